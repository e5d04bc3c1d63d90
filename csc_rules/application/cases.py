"""Cases: replay them, decide their eligibility, and run the scenario tests.

A batch is a stream: the functions yield one outcome per case as it comes, in input order, and a
case that cannot be evaluated is an outcome with its problems, never the end of the batch."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..errors import CommandError, CscRulesError

if TYPE_CHECKING:
    from ..cases.case import Case
    from ..cases.eligibility import Eligibility
    from ..cases.exports import Source
    from ..cases.results import Result
    from ..cases.runner import Outcome
    from ..cases.scenarios import Outcome as ScenarioOutcome


def as_of_date(text: str | None) -> dt.date | None:
    """The day to evaluate on, from YYYY-MM-DD; None (today) when not given. An empty text is
    given, and refused as any other text that is not a date: it is not taken for today."""
    from ..calendars.working_days import parse_date

    return None if text is None else parse_date(text)


def is_batch(paths: Sequence[Source]) -> bool:
    """Whether the paths name a batch (several files, a folder, a .jsonl file, a query), whose
    JSON is a list, rather than one case file, whose JSON is the one object."""
    from ..reading.locations import is_folder

    return len(paths) > 1 or any(
        not isinstance(p, Path) or p.suffix == ".jsonl" or is_folder(p) for p in paths
    )


def record_sources(
    paths: Sequence[Path],
    sql: str | None = None,
    query: Path | None = None,
    mapping: Path | None = None,
    sheet: str | None = None,
) -> list[Source]:
    """Where the cases are read from: the paths (with `sheet`, each workbook among them, and in
    the folders among them, is read from that sheet), then the rows a SQL `query` returns from
    the database at the URL `sql`, its columns mapped by `mapping` (default: the mapping beside
    the query file). An ArgumentError for options that do not go together."""
    from ..cases.exports import Query, Sheet
    from ..errors import ArgumentError
    from ..reading.locations import is_folder

    if (sql is None) != (query is None):
        raise ArgumentError(
            "--sql URL and --query FILE.sql go together: the database, and the query that "
            "returns one row per event"
        )
    if mapping is not None and sql is None:
        raise ArgumentError(
            "--mapping names the mapping of a query's columns (with --sql and --query); an "
            "export's or a workbook's mapping is the file beside it, <name>.mapping.yaml"
        )
    if not paths and sql is None:
        raise ArgumentError(
            "give the cases: files, folders, .jsonl files, CSV exports or workbooks, or "
            "--sql URL --query FILE.sql"
        )
    sources: list[Source] = list(paths)
    if sheet is not None:
        if not any(p.suffix == ".xlsx" or is_folder(p) for p in paths):
            raise ArgumentError("--sheet names the sheet of a workbook: give the .xlsx file too")
        sources = [Sheet(p, sheet) if p.suffix == ".xlsx" or is_folder(p) else p for p in paths]
    if sql is not None and query is not None:
        sources.append(Query(sql, query, mapping))
    return sources


def source_paths(sources: Sequence[Source]) -> list[Path]:
    """The files and folders the sources name (for a query, the file holding it)."""
    from ..cases.exports import source_path

    return [source_path(source) for source in sources]


# -- run --------------------------------------------------------------------------------------


def evaluate_cases(
    paths: Sequence[Source],
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
    from ..cases.runner import run_cases

    cores = os.cpu_count() or 1
    return run_cases(
        list(paths),
        as_of,
        explain,
        jobs=cores if jobs is None else jobs,
        render=render,
        strict=strict,
    )


def find_cases(
    paths: Sequence[Source],
    reference: str,
    as_of: dt.date | None,
    explain: bool = False,
    render: Callable[[Result], str] | None = None,
    strict: bool = False,
) -> Iterator[Outcome]:
    """The case (or the cases, one a council) with the reference `reference` among those the
    paths name, replayed as `evaluate_cases` replays it, without reading or replaying the rest
    whole (see `cases.lookup`). An input that cannot be read at all comes as a failed outcome;
    no case with the reference is a CommandError naming the inputs, with the nearest reference."""
    from .._suggest import did_you_mean
    from ..cases.lookup import Search
    from ..cases.runner import evaluate_item
    from ..diagnostics import display_path

    search = Search(reference)
    found = 0
    for item in search.items(list(paths)):
        found += item[0] != "error"
        yield evaluate_item(item, as_of, explain, render, strict)
    if not found:
        inputs = ", ".join(display_path(p) for p in source_paths(paths))
        raise CommandError(
            f"{inputs}: no case has the reference {reference!r} (check the reference, or give "
            f"the file that holds it){did_you_mean(reference, search.near)}",
            code="case-not-found",
        )


def summary_renderer(fmt: str) -> Callable[[Result], str]:
    """How `run --summary` writes a case's line: `text`, `csv` (a row), `json` or `jsonl`."""
    from ..reports import case_lines

    return {"text": case_lines.line_text, "csv": case_lines.line_csv}.get(fmt, case_lines.line_json)


def summary_header(fmt: str) -> str | None:
    """The line that comes before the rows of `run --summary`, if the format has one."""
    from ..reports import case_lines

    return case_lines.csv_header() if fmt == "csv" else None


def evaluate_text(
    text: str,
    as_of: dt.date | None,
    explain: bool = False,
    strict: bool = False,
    name: str = "request",
    syntax: str = "json",
) -> Outcome:
    """One case sent as text (a case file's content, `json` or `yaml`), evaluated as `run`
    evaluates a case file, under the version of its procedure in force when it was received;
    `name` stands for the file in the problems' locations."""
    from ..cases.runner import evaluate_item

    return evaluate_item((syntax, name, text), as_of, explain, None, strict)


def evaluate_lines(
    lines: Iterable[bytes | None],
    as_of: dt.date | None,
    explain: bool = False,
    strict: bool = False,
    name: str = "request",
    first: int = 1,
) -> Iterator[Outcome]:
    """Cases sent as JSON lines (a .jsonl file's content), one outcome a line, in order, as
    `run` evaluates a .jsonl file; a line given as None was too long to read. `first` is the
    number of the first line, for locating problems."""
    from ..cases.runner import evaluate_item

    for number, line in enumerate(lines, first):
        yield evaluate_item(("line", name, number, line), as_of, explain, None, strict)


def batch_lines() -> Any:
    """A reader of JSON lines fed a piece at a time, as `run` reads a .jsonl file (see
    `runner.LineSplitter`): `feed(piece, last)` gives the numbered lines each piece completes."""
    from ..cases.runner import LineSplitter

    return LineSplitter()


def answer_lines(
    lines: Sequence[tuple[int, bytes | None]],
    as_of: dt.date | None,
    explain: bool = False,
    strict: bool = False,
    *,
    most_problems: int,
    errors_left: int,
    name: str = "request",
) -> tuple[bytes, int]:
    """Numbered lines of a batch answered as `run --format jsonl` answers a .jsonl file: one
    JSON line each, a failed case's error in its place, located at its line, with no more
    than `most_problems` located problems. Reading stops at the line that fails once
    `errors_left` lines have failed: the answers, and how many lines failed (errors_left + 1
    when it stopped)."""
    from ..cases.runner import evaluate_item
    from .output import capped

    out, failed = [], 0
    for number, line in lines:
        outcome = evaluate_item(("line", name, number, line), as_of, explain, None, strict)
        if outcome.result is None:
            failed += 1
            if failed > errors_left:
                break
        entry = outcome_json(outcome)
        if "error" in entry:
            entry["error"] = capped(entry["error"], most_problems)
        out.append(json_line(entry, plain=True))
    return "".join(out).encode(), failed


def json_line(value: Any, *, plain: bool = False) -> str:
    """One line of JSON; text JSON allows but UTF-8 cannot hold (a lone surrogate) escaped.
    `plain` says that the value holds no float (a result, a failed case's error), so that the
    fast writer may write it."""
    if plain:
        from ..cases.fast_lines import dumps

        text = dumps(value) + "\n"
    else:
        text = json.dumps(value, ensure_ascii=False) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # json_input refuses such text on the way in; kept as a guard
        return json.dumps(value) + "\n"
    return text


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """A case's result as `run --format json` prints it, or its error in the result's place."""
    if outcome.result is not None:
        return outcome.result.to_json()
    return failure_json(outcome.label, outcome.problems)


def renderer(fmt: str, explain: bool = False) -> Callable[[Result], str]:
    """How a result is written out: `text` (its timeline), `json` (indented) or `jsonl`."""
    if fmt == "text":
        return functools.partial(result_text, explain=explain)
    return functools.partial(result_json, indent=2 if fmt == "json" else None)


def result_json(result: Result, indent: int | None = None) -> str:
    """A result as the JSON `run --format json` prints (one line without `indent`)."""
    if indent is None:
        from ..cases.fast_lines import dumps

        return dumps(result.to_json())
    return json.dumps(result.to_json(), ensure_ascii=False, indent=indent)


def count_cases(paths: Sequence[Source]) -> int:
    """How many cases the paths name (blank lines of a .jsonl file included), read cheaply."""
    from ..cases.runner import count_cases as count

    return count(list(paths))


def result_text(result: Result, explain: bool = False) -> str:
    """A case's result for people: its timeline, and with `explain` why each due date falls
    where it does."""
    from ..reports.timeline import timeline

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
        from ..cases.eligibility import explain

        return f"{self.case.id}  {self.case.procedure}\n{explain(self.decision)}"


def decide_cases(paths: Sequence[Source], strict: bool = False) -> Iterator[Decided]:
    """Decide whether each case the paths name is a complaint for its procedure, with every
    rule that fired; a rule that needs a fact the case does not give says so. With `strict`,
    the case's records are replayed first, and any irregularity in them is an error."""
    from ..cases.runner import case_sources

    for label, case in case_sources(list(paths)):
        yield _decide(label, case, strict)


def decide_text(
    text: str, strict: bool = False, name: str = "request", syntax: str = "json"
) -> Decided:
    """The eligibility decision for one case sent as text (`json` or `yaml`), as `eligibility`
    decides a case file; `name` stands for the file in the problems' locations."""
    from ..cases.runner import read_item

    label, case = read_item((syntax, name, text))
    return _decide(label, case, strict)


def _decide(label: str, case: Case | CscRulesError, strict: bool) -> Decided:
    from ..cases.case import check_against
    from ..cases.eligibility import decide_case
    from ..procedures.library import library

    if isinstance(case, CscRulesError):  # the case could not be read
        return Decided(label, problems=tuple(getattr(case, "diagnostics", ())))
    try:
        procedure = library().compiled.in_force(case.procedure, case.received)
        check_against(case, procedure)
        if strict:
            from ..cases.interpreter import evaluate

            evaluate(procedure, case, case.events[-1].date, checked=True, strict=True)
        decision = decide_case(procedure, case)
    except CscRulesError as exc:  # located in the case as `run` locates it
        from ..cases.runner import case_failure

        return Decided(label, problems=case_failure(label, case, exc))
    return Decided(label, case, decision)


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
    from .output import error_json, problems_json

    found = problems_json(list(problems)) if problems else error_json(error or Exception(label))
    return {"case": label, "error": found}


# -- scenario tests ---------------------------------------------------------------------------


def scenario_files(paths: Sequence[Path] = ()) -> list[Path]:
    """The scenario files the paths name (default: every council's, in councils/<id>/scenarios/)."""
    from ..cases.scenarios import scenario_files as found
    from ..reading.locations import scenario_folders

    files = found(list(paths) or scenario_folders())
    if not files:
        where = "" if paths else " in any council's folder (councils/<id>/scenarios/)"
        raise CommandError(
            f"no scenario files found{where}: give the files or folders to run",
            code="no-scenarios",
        )
    return files


def check_scenario(path: Path, strict: bool = False) -> ScenarioOutcome:
    """Run one scenario from the YAML procedure in force (strictly, if asked); what was
    expected and did not come out, if anything."""
    from ..cases.scenarios import check
    from ..procedures.library import library

    return check(path, library().compiled.in_force, strict)


# -- the conformance suite for other implementations ----------------------------------------------

# What a scenario file holds besides its case.
_SCENARIO_KEYS = ("as_of", "expect", "strict", "description")

SUITE_README = """# The csc-rules conformance suite

Every scenario of csc-rules' own tests, as JSON, for another implementation of the same
procedures (in any language) to check itself against. Made by `csc-rules test --export DIR`
from the scenario files; `index.json` lists them.

Each `<council>/<scenario>.json` holds:

- `case`: one complaint in the case-file format (`rules/case.schema.json`), as JSON;
- `as_of`: the day to evaluate it on; `strict`: whether every irregularity in its records is an
  error (`--strict`);
- `expect`: what the scenario's author worked out by hand (state, status, stage, next events,
  warning codes, eligibility, and each deadline's due date, status and working days late or
  remaining), the part that must match;
- `result`: everything csc-rules answered (`rules/evaluation-result.schema.json`), or, for a case
  that must be refused, `error`: the located problems, with their codes.

To check an implementation, for each file:

1. Evaluate `case` as of `as_of` (strictly if `strict`), under the version of its procedure in
   force on the day the complaint was received (`csc-rules compile --all` gives every version,
   with its calendar, as self-contained JSON: `rules/compiled-procedure.schema.json`).
2. If the file has `error`, the implementation must refuse the case, with the first problem's
   `code`. Otherwise, every field `expect` names must be equal; `deadlines` lists every deadline
   the case started, none more.
3. For a stricter check, the whole answer must equal `result`, key for key. Its `explanation`
   and warning messages are words, which another implementation may put otherwise.

How `expect` compares with an answer (as `csc-rules test` compares it):

- `state`, `status`, `stage`: equal; `next_events`: the same list, in order;
- `warnings`: the warning codes of the answer, in order (`result.warnings[].code`);
- `deadlines`: keyed by deadline id, where the answer lists them (`result.deadlines[].id`);
  every deadline the answer started must be there and no other, and each field given (`due`,
  `status`, `working_days_late`, `working_days_remaining`, `done_on`, `latest_done_on`,
  `extended`, `from`) must be equal;
- `eligibility`: `decision` and `route` equal, `rules` the ids of the rules that fired
  (`result.eligibility.reasons[].rule`), `needs` the ids of the rules a missing fact left
  undecided (`result.eligibility.needs[].rule`), in order;
- `error`: the first problem's `code` must be equal and its message must contain `message`;
  `line` is the line of the YAML scenario file the case came from, and does not apply to the
  JSON `case`.

`procedures/` holds every version of every procedure compiled (with its calendar: the bank
holidays of its region), and `schemas/` the JSON Schemas of the case, the compiled procedure
and the answer, from the same csc-rules that wrote the answers: check against these, and export
again when they change.

`csc-rules serve` answers `POST /cases/evaluate?as_of=...&strict=...` with `result`, so an
implementation can also be compared with a running csc-rules over HTTP.
"""


def export_scenarios(paths: Sequence[Path], folder: Path, strict: bool = False) -> list[Path]:
    """Every scenario the paths name, as JSON in `folder` (named by its place under the folder
    given, `<council>/<scenario>.json` for each council's own), with an index, a README saying how
    another implementation checks itself, every compiled procedure and the schemas: the case,
    the day, what was expected and what csc-rules answers (every scenario strictly, with
    `strict`). All or nothing."""
    from ..errors import DefinitionError
    from ..reading.loader import load
    from ..reading.locations import is_folder, rules_dir, scenario_folders
    from .output import prepare_folder, refuse_inputs, write_files
    from .procedures import compile_all, inputs

    # A council's scenarios are named `<council>/...`, from below its scenarios folder.
    roots = [(p, Path()) for p in paths] or [(p, Path(p.parent.name)) for p in scenario_folders()]
    out: dict[Path, str] = {}
    read: list[Path] = []
    index = []
    for root, prefix in roots:
        for path in scenario_files([root]):
            read.append(path)
            name = prefix / (path.relative_to(root) if is_folder(root) else Path(path.name))
            name = name.with_suffix("")
            target = folder / f"{name.as_posix()}.json"
            if target in out:
                raise CommandError(
                    f"{path}: another scenario would be written to {target} too; export them "
                    "from their common folder",
                    code="cannot-write",
                    path=path,
                )
            document, problems = load(path)
            if document is None or not isinstance(document.data, dict):
                raise DefinitionError(problems)
            data = document.data
            if "as_of" not in data:
                raise CommandError(
                    f"{path}: a scenario needs `as_of:`, the day to evaluate it on",
                    code="not-a-scenario",
                    path=path,
                )
            case = {k: v for k, v in data.items() if k not in _SCENARIO_KEYS}
            strictly = strict or data.get("strict") is True
            as_of = str(data["as_of"])
            outcome = evaluate_text(
                json.dumps(case, ensure_ascii=False), as_of_date(as_of), strict=strictly
            )
            entry: dict[str, Any] = {
                "scenario": name.as_posix(),
                "description": " ".join(str(data.get("description", "")).split()),
                "as_of": as_of,
                "strict": strictly,
                "case": case,
                "expect": data.get("expect"),
            }
            if outcome.result is not None:
                entry["result"] = outcome.result.to_json()
            else:
                entry["error"] = failure_json(outcome.label, outcome.problems)["error"]
            out[target] = json.dumps(entry, ensure_ascii=False, indent=2) + "\n"
            index.append(f"{name.as_posix()}.json")
    out[folder / "index.json"] = json.dumps(index, indent=2) + "\n"
    out[folder / "README.md"] = SUITE_README
    out.update(compile_all(folder / "procedures"))
    for schema in sorted(rules_dir().glob("*.schema.json")):
        out[folder / "schemas" / schema.name] = schema.read_text(encoding="utf-8")
    refuse_inputs(out, [*read, *inputs()])
    for subfolder in sorted({p.parent for p in out}):
        prepare_folder(subfolder)
    write_files(out, [*read, *inputs()])  # every folder prepared above
    return sorted(folder / name for name in index)
