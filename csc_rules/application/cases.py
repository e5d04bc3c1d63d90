"""Cases: replay them, decide their eligibility, and run the scenario tests.

A batch is a stream: the functions yield one outcome per case as it comes, in input order, and a
case that cannot be evaluated is an outcome with its problems, never the end of the batch."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..errors import CscRulesError
from ..output import CommandError

if TYPE_CHECKING:
    from ..case import Case
    from ..eligibility import Eligibility
    from ..results import Result
    from ..runner import Outcome
    from ..scenarios import Outcome as ScenarioOutcome


def as_of_date(text: str | None) -> dt.date | None:
    """The day to evaluate on, from YYYY-MM-DD; None (today) when not given."""
    from ..working_days import parse_date

    return parse_date(text) if text else None


def is_batch(paths: Sequence[Path]) -> bool:
    """Whether the paths name a batch (several files, a folder, a .jsonl file), whose JSON is a
    list, rather than one case file, whose JSON is the one object."""
    from ..library import is_folder

    return len(paths) > 1 or any(p.suffix == ".jsonl" or is_folder(p) for p in paths)


# -- run --------------------------------------------------------------------------------------


def evaluate_cases(
    paths: Sequence[Path],
    as_of: dt.date | None,
    explain: bool = False,
    jobs: int | None = None,
    render: Callable[[Result], str] | None = None,
    strict: bool = False,
) -> Iterator[Outcome]:
    """Replay every case the paths name (case files, folders of them, .jsonl files), each under
    the version of its procedure in force when it was received, spread over `jobs` processes
    (default: one per core); the outcomes in input order, as they come. With `render` (see
    `renderer`), each result comes as its text, written out where it was worked out. With
    `strict`, every irregularity in a case's records is an error for that case."""
    from ..runner import run_cases

    cores = os.cpu_count() or 1
    return run_cases(
        list(paths),
        as_of,
        explain,
        jobs=cores if jobs is None else jobs,
        render=render,
        strict=strict,
    )


def renderer(fmt: str, explain: bool = False) -> Callable[[Result], str]:
    """How a result is written out: `text` (its timeline), `json` (indented) or `jsonl`."""
    if fmt == "text":
        return functools.partial(result_text, explain=explain)
    return functools.partial(result_json, indent=2 if fmt == "json" else None)


def result_json(result: Result, indent: int | None = None) -> str:
    """A result as the JSON `run --format json` prints (one line without `indent`)."""
    return json.dumps(result.to_json(), ensure_ascii=False, indent=indent)


def count_cases(paths: Sequence[Path]) -> int:
    """How many cases the paths name (blank lines of a .jsonl file included), read cheaply."""
    from ..runner import count_cases as count

    return count(list(paths))


def result_text(result: Result, explain: bool = False) -> str:
    """A case's result for people: its timeline, and with `explain` why each due date falls
    where it does."""
    from ..timeline import timeline

    return timeline(result, explain=explain)


# -- eligibility ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decided:
    """One case's eligibility decision, or why there is none."""

    label: str  # the case id, or where it was when it has none
    case: Case | None = None
    decision: Eligibility | None = None
    problems: tuple[Diagnostic, ...] = ()
    error: CscRulesError | None = None  # what failed, when it was not the case itself

    def to_json(self) -> dict[str, Any]:
        if self.case is None or self.decision is None:
            return failure_json(self.label, self.problems, self.error)
        return {"case": self.case.id, "procedure": self.case.procedure, **self.decision.to_json()}

    def text(self) -> str:
        if self.case is None or self.decision is None:
            return "\n".join(failure_lines(self.label, self.problems, self.error))
        from ..eligibility import explain

        return f"{self.case.id}  {self.case.procedure}\n{explain(self.decision)}"


def decide_cases(paths: Sequence[Path], strict: bool = False) -> Iterator[Decided]:
    """Decide whether each case the paths name is a complaint for its procedure, with every
    rule that fired; a rule that needs a fact the case does not give says so. With `strict`,
    the case's records are replayed first, and any irregularity in them is an error."""
    from ..case import CaseError, check_against
    from ..eligibility import decide_case
    from ..procedures import library
    from ..runner import case_sources

    procedures = library()
    for label, case in case_sources(list(paths)):
        try:
            if isinstance(case, Exception):
                raise case
            procedure = procedures.in_force(case.procedure, case.received)
            check_against(case, procedure)
            if strict:
                from ..interpreter import evaluate

                evaluate(procedure, case, case.events[-1].date, checked=True, strict=True)
            decision = decide_case(procedure, case)
        except CaseError as exc:
            yield Decided(label, problems=tuple(exc.diagnostics))
            continue
        except CscRulesError as exc:
            yield Decided(label, problems=tuple(getattr(exc, "diagnostics", ())), error=exc)
            continue
        yield Decided(label, case, decision)


# -- a case that failed -----------------------------------------------------------------------


def failure_lines(
    label: str, problems: Sequence[Diagnostic], error: BaseException | None = None
) -> list[str]:
    """Why a case failed, for people: each problem, prefixed with the case."""
    lines = [f"{label}: {problem.to_text()}" for problem in problems]
    if error is not None and not problems:
        lines.append(f"{label}: {str(error).splitlines()[0] if str(error) else error!r}")
    return lines


def failure_json(
    label: str, problems: Sequence[Diagnostic], error: BaseException | None = None
) -> dict[str, Any]:
    """A failed case where its result would be: `{"case": label, "error": {...}}`."""
    from ..output import error_json, problems_json

    found = problems_json(list(problems)) if problems else error_json(error or Exception(label))
    return {"case": label, "error": found}


# -- scenario tests ---------------------------------------------------------------------------


def scenario_files(paths: Sequence[Path] = ()) -> list[Path]:
    """The scenario files the paths name (default: tests/scenarios beside rules/)."""
    from ..library import data_root
    from ..scenarios import scenario_files as found

    files = found(list(paths) or [data_root() / "tests" / "scenarios"])
    if not files:
        raise CommandError(
            "no scenario files found: give the files or folders to run", code="no-scenarios"
        )
    return files


def check_scenario(path: Path, strict: bool = False) -> ScenarioOutcome:
    """Run one scenario from the YAML procedure in force (strictly, if asked); what was
    expected and did not come out, if anything."""
    from ..procedures import library
    from ..scenarios import check

    return check(path, library().in_force, strict)
