"""A procedure change tried on a caseload: each case of a changed procedure replayed under the
procedure in force and under the proposed one, the two results reduced to what a policy officer
compares (each deadline's due date and status, the warnings' codes), and those counted.

`compare_case` runs where the case was replayed (a worker process of the batch), so it returns
only a small tuple; `Tally` adds them up in the parent, in memory that does not grow with the
caseload (the changed cases go to a file as they come, see `application.impact`)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import CscRulesError

if TYPE_CHECKING:
    from ..cases.case import Case
    from ..cases.results import Result
    from ..procedures.compiler import CompiledProcedure

# The status of a deadline one side of the comparison does not have.
ABSENT = "absent"


@dataclass(frozen=True)
class Proposal:
    """What the worker processes need to replay a case the second time: cheap to send."""

    root: str  # the folder of the proposed library (rules/ and councils/)
    changed: frozenset[str]  # the ids of the procedures whose definition changed
    # With --apply-to-all: procedure id -> the proposed file every case of it is replayed under.
    every_case: tuple[tuple[str, str], ...] = ()


# One deadline of one case: its id, due date and status before, due date and status after.
Row = tuple[str, str | None, str, str | None, str]


class Compared(NamedTuple):
    """One case of a changed procedure, replayed twice."""

    case: str
    rows: tuple[Row, ...]
    warnings_before: tuple[str, ...]
    warnings_after: tuple[str, ...]
    problem: str | None = None  # why the proposed procedure could not replay it


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _proposed(proposal: Proposal, case: Case) -> CompiledProcedure:
    from ..procedures.library import library

    lib = library(Path(proposal.root))
    every = dict(proposal.every_case)
    if case.procedure in every:
        return lib.compiled.procedure(Path(every[case.procedure]))
    return lib.compiled.in_force(case.procedure, case.received)


def replay_proposed(
    proposal: Proposal, case: Case, as_of: dt.date
) -> tuple[CompiledProcedure, Result]:
    """The proposed procedure for the case, and the case replayed under it as of `as_of`."""
    from ..cases.interpreter import evaluate

    procedure = _proposed(proposal, case)
    return procedure, evaluate(procedure, case, as_of)


def compare_case(
    proposal: Proposal, procedure: CompiledProcedure, case: Case, result: Result
) -> Compared | None:
    """The case replayed under the proposed procedure on the same day as `result`, compared
    with it; None for a case of a procedure that did not change."""
    del procedure  # the one in force, already replayed into `result`
    if case.procedure not in proposal.changed:
        return None
    try:
        after = replay_proposed(proposal, case, result.as_of)[1]
    except CscRulesError as exc:
        return refused(case, result, exc)
    return compare_results(case, result, after)


def refused(case: Case, result: Result, exc: CscRulesError) -> Compared:
    """A case the proposed procedure could not replay, and why."""
    codes = tuple(w.code for w in result.warnings)
    return Compared(case.id, (), codes, (), str(exc).splitlines()[0])


def compare_results(case: Case, result: Result, after: Result) -> Compared:
    """Each deadline of either replay, with its due date and status in both."""
    old = {d.id: d for d in result.deadlines}
    new = {d.id: d for d in after.deadlines}
    rows = []
    for key in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(key), new.get(key)
        rows.append(
            (
                key,
                _iso(a.due if a else None),
                a.status if a else ABSENT,
                _iso(b.due if b else None),
                b.status if b else ABSENT,
            )
        )
    return Compared(
        case.id,
        tuple(rows),
        tuple(w.code for w in result.warnings),
        tuple(w.code for w in after.warnings),
    )


@dataclass
class Tally:
    """What the comparison counted: statuses before and after by deadline, the moves between
    them, the warnings that appear and disappear, and the cases left out and why."""

    before: dict[str, Counter[str]] = field(default_factory=dict)
    after: dict[str, Counter[str]] = field(default_factory=dict)
    moved: dict[str, Counter[str]] = field(default_factory=dict)
    appear: Counter[str] = field(default_factory=Counter)
    disappear: Counter[str] = field(default_factory=Counter)
    compared: int = 0  # cases of the changed procedures, replayed both ways
    changed_cases: int = 0  # of those, the cases with some deadline moved
    changes: int = 0  # the deadlines that moved, over every case
    other: int = 0  # cases of procedures the change leaves alone
    failed: int = 0  # cases that could not be read or replayed as things are
    refused: int = 0  # cases the proposed procedure could not replay

    def add(self, compared: Compared | None) -> Iterator[dict[str, Any]]:
        """Count one case; yield each deadline of it whose due date or status moved."""
        if compared is None:
            self.other += 1
            return
        if compared.problem is not None:
            self.refused += 1
            return
        self.compared += 1
        moved_any = False
        for key, due_a, status_a, due_b, status_b in compared.rows:
            self.before.setdefault(key, Counter())[status_a] += 1
            self.after.setdefault(key, Counter())[status_b] += 1
            moves = self.moved.setdefault(key, Counter())
            if status_a != status_b:
                moves[f"{status_a}->{status_b}"] += 1
            if (due_a, status_a) != (due_b, status_b):
                moved_any = True
                self.changes += 1
                yield {
                    "case": compared.case,
                    "deadline": key,
                    "before": {"due": due_a, "status": status_a},
                    "after": {"due": due_b, "status": status_b},
                }
        self.changed_cases += moved_any
        was, now = Counter(compared.warnings_before), Counter(compared.warnings_after)
        self.appear.update(now - was)
        self.disappear.update(was - now)

    def summary(self) -> dict[str, Any]:
        """The counts by deadline, as the JSON document gives them."""
        return {
            key: {
                "before": dict(sorted(self.before[key].items())),
                "after": dict(sorted(self.after[key].items())),
                "moved": dict(sorted(self.moved[key].items())),
            }
            for key in self.before
        }

    def warnings(self) -> dict[str, dict[str, int]]:
        return {
            "appear": dict(sorted(self.appear.items())),
            "disappear": dict(sorted(self.disappear.items())),
        }


@dataclass
class Impact:
    """The comparison made: the procedures that changed (each with `diff`'s comparison), the
    counts, and the file holding the deadlines that moved, one JSON object a line."""

    procedures: list[dict[str, Any]]
    tally: Tally
    changes: Path
    as_of: dt.date | None
    apply_to_all: bool
    # With --year: the annual report's response times by stage, before and after.
    report: dict[str, Any] | None = None

    def changed(self) -> Iterator[dict[str, Any]]:
        with self.changes.open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)
