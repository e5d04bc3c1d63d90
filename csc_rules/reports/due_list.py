"""What one replayed case puts on the daily list: its open duties and windows as `DueItem`s,
made where the case was replayed (in a worker process for a large caseload), with what was
left out and why, so that the list can say it in its closing note."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from ..cases.results import OVERDUE
from .due import OPEN, DueItem

if TYPE_CHECKING:
    from ..cases.case import Case
    from ..cases.results import DeadlineResult, Result
    from ..procedures.compiler import CompiledProcedure

# Why a whole case gives nothing to the list.
NOT_OPEN = "not-open"  # resolved, withdrawn, referred, ineligible or redirected on the day
RECEIVED_LATER = "received-later"  # received after the day asked about
OTHER_COUNCIL = "other-council"  # left out by --council
OTHER_STAGE = "other-stage"  # left out by --stage


@dataclass(frozen=True)
class Sieve:
    """What the list keeps: the day asked about, and the filters given."""

    as_of: dt.date
    within: int | None = None  # working days ahead; everything overdue is kept whatever it is
    council: str | None = None
    stage: str | None = None


class Listed(NamedTuple):
    """What one case gives the list."""

    items: tuple[DueItem, ...] = ()
    left_out: str | None = None  # why the whole case gives nothing (see above), if it does not
    undated: int = 0  # open deadlines with no due date (the documents state no limit)
    later: int = 0  # open deadlines due after the --within horizon


@dataclass
class Totals:
    """What the list counted as it was made: the cases, what they gave, and what was left out.
    Complete once the list's last item has been written (the closing note comes last)."""

    sieve: Sieve
    cases: int = 0  # cases read and replayed
    listed_cases: int = 0  # open cases with at least one item on the list
    open_cases: int = 0  # open cases the filters kept
    overdue: int = 0
    pending: int = 0
    undated: int = 0  # open deadlines with no due date, not listed
    later: int = 0  # pending deadlines due after the --within horizon, not listed
    failed: int = 0  # cases that could not be read or replayed (reported where they failed)
    left_out: Counter[str] = field(default_factory=Counter)  # whole cases, by why

    @property
    def items(self) -> int:
        return self.overdue + self.pending

    def add(self, listed: Listed) -> None:
        self.cases += 1
        if listed.left_out is not None:
            self.left_out[listed.left_out] += 1
            return
        self.open_cases += 1
        self.listed_cases += bool(listed.items)
        self.undated += listed.undated
        self.later += listed.later
        for item in listed.items:
            if item.status == OVERDUE:
                self.overdue += 1
            else:
                self.pending += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "overdue": self.overdue,
            "pending": self.pending,
            "cases": self.cases,
            "open_cases": self.open_cases,
            "cases_listed": self.listed_cases,
            "undated_left_out": self.undated,
            "beyond_within": self.later,
            "cases_left_out": {why: self.left_out[why] for why in sorted(self.left_out)},
            "cases_failed": self.failed,
        }


def list_case(sieve: Sieve, procedure: CompiledProcedure, case: Case, result: Result) -> Listed:
    """The open duties and windows of one case on `sieve.as_of` (a function of module level,
    so that `runner.run_cases` can call it in its worker processes)."""
    council = procedure.id.split("/", 1)[0]
    if case.received > sieve.as_of:
        return Listed(left_out=RECEIVED_LATER)
    if sieve.council is not None and council != sieve.council:
        return Listed(left_out=OTHER_COUNCIL)
    if result.status != "open":
        return Listed(left_out=NOT_OPEN)
    if sieve.stage is not None and result.stage != sieve.stage:
        return Listed(left_out=OTHER_STAGE)
    items: list[DueItem] = []
    undated = later = 0
    for deadline in result.deadlines:
        if deadline.status not in OPEN:
            continue
        if deadline.due is None:
            undated += 1
        elif _beyond(deadline, sieve.within):
            later += 1
        else:
            items.append(_item(procedure, council, result, deadline))
    return Listed(tuple(items), undated=undated, later=later)


def _beyond(deadline: DeadlineResult, within: int | None) -> bool:
    """Whether a pending deadline falls due after `within` working days of the day asked about
    (counted in the case's own calendar, as its days left are)."""
    left = deadline.working_days_remaining
    return within is not None and deadline.status != OVERDUE and left is not None and left > within


def _item(
    procedure: CompiledProcedure, council: str, result: Result, deadline: DeadlineResult
) -> DueItem:
    plan = procedure.deadlines.get(deadline.id)
    actor = plan.actor if plan is not None else ""
    overdue = deadline.status == OVERDUE
    return DueItem(
        case=result.case,
        council=council,
        council_name=council_name(council),
        procedure=procedure.id,
        deadline=deadline.id,
        kind=deadline.kind,
        what=plan.title if plan is not None else deadline.id.replace("-", " ").capitalize(),
        actor=actor,
        actor_words=actor.replace("-", " ").capitalize(),
        stage=result.stage or None,
        start=deadline.start,
        due=deadline.due,  # type: ignore[arg-type]  # undated deadlines are counted, not listed
        status=deadline.status,
        working_days_left=None if overdue else deadline.working_days_remaining,
        working_days_late=deadline.working_days_late if overdue else None,
        extended=deadline.extended,
    )


@functools.cache
def council_name(council: str) -> str:
    """The council's name as its council.yaml gives it, else its id; read once a process."""
    from ..procedures.library import library
    from ..reading.locations import council_file

    lib = library()
    path = council_file(council, lib.root)
    document = lib.files.load(path)[0] if path is not None else None
    data = document.data if document is not None and isinstance(document.data, dict) else {}
    return str(data.get("name") or council)


__all__ = [
    "NOT_OPEN",
    "OTHER_COUNCIL",
    "OTHER_STAGE",
    "RECEIVED_LATER",
    "Listed",
    "Sieve",
    "Totals",
    "council_name",
    "list_case",
]
