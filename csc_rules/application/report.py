"""The statutory annual report from case records (`csc-rules report`)."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import display_path
from ..errors import CommandError

if TYPE_CHECKING:
    from ..annual_report.categories import Categories
    from ..annual_report.figures import Figures
    from ..annual_report.ledger import Ledger
    from ..annual_report.tally import Frame, Tally
    from ..cases.exports import Source
    from ..cases.runner import Outcome

YEAR = re.compile(r"([0-9]{4})-([0-9]{2})")


def check_year(text: str) -> str:
    """A reporting year as `2024-25`; CommandError for anything else."""
    match = YEAR.fullmatch(text)
    if match and not 1990 <= int(match.group(1)) <= 2100:
        raise CommandError(
            f"`{text}` is outside the years a report can cover: give one from 1990-91 to 2100-01",
            code="bad-year",
        )
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise CommandError(
            f"`{text}` is not a reporting year: write it as 2024-25, the first year in full and "
            "the second as its last two digits",
            code="bad-year",
        )
    return text


def annual_report(
    paths: Sequence[Source],
    year: str,
    years: int = 5,
    council: str | None = None,
    as_of: dt.date | None = None,
    jobs: int | None = None,
    *,
    strict: bool = False,
    refused: Callable[[str], None] | None = None,
    figures: Path | None = None,
) -> dict[str, Any]:
    """Replay every case the paths name and count them into the report for `year` (with the
    years before it, `years` in all), as the JSON document.

    Cases are replayed as of the end of the year unless `as_of` is given, spread over `jobs`
    processes (default: one per core), and counted as they come, so a caseload of any size
    needs the same memory. Each case (a council and a reference) is counted once: a repeat of
    the same record is counted once with a warning, a different record under the same
    reference is refused. Cases of other councils (with `council`) and cases received after
    `as_of` are left out and counted as such. A record that cannot be read or replayed is
    refused: listed with where it is and why, and passed to `refused` as one line, or with
    `strict` a CommandError. Input that cannot be read as a whole (a path that does not exist,
    a folder with no cases, a CSV export without its mapping) or that holds no case at all is a
    CommandError, raised before any report is made.

    `figures` is a file of figures given beside the records (annual_report.figures): read and
    checked first, and a Failures, every problem located, if it does not pass."""
    from functools import partial

    from ..annual_report.ledger import Ledger
    from ..annual_report.tables import document
    from ..annual_report.tally import Frame, Tally, count_case
    from ..cases.runner import run_cases
    from ..procedures.library import library

    check_year(year)
    _all_there(paths)
    if council is not None:
        _known_council(council)
    frame = Frame.of(library().vocabulary.report_frame(), _categories())
    given = _figures(figures, paths, frame, council)
    day = as_of or frame.year(year)[1]
    tally = Tally(frame)
    count = partial(count_case, frame, council, day)
    run = run_cases(list(paths), day, False, jobs or os.cpu_count() or 1, count=count)
    silent = _Silent(paths)
    with Ledger() as ledger, closing(run) as outcomes:
        for outcome in outcomes:
            _take(outcome, tally, ledger, strict, refused)
            silent.heard(outcome.source)
    if silent.left:
        raise CommandError(
            f"{', '.join(sorted(silent.left.values()))}: no case records found there, so no "
            "report was made; give the files, folders or exports that hold the cases",
            code="no-cases",
        )
    report_council = _council(council, tally.councils)
    _figures_council(given, report_council)
    return document(tally, year, years, day, report_council, given)


def _categories() -> dict[str, dict[str, Categories]]:
    """Each council's own categories for the tables by a fact (its council.yaml's `report:`),
    its file checked first."""
    from ..annual_report.categories import council_categories
    from ..diagnostics import display_path
    from ..procedures.library import library
    from ..reading.locations import council_file, council_names

    lib = library()
    found = {}
    for name in council_names(lib.root):
        path = council_file(name, lib.root)
        document = lib.files.load(path)[0] if path is not None else None
        if path is None or document is None or not isinstance(document.data, dict):
            continue
        if "report" in document.data:
            lib.checker.sound(path)
            found[name] = council_categories(document.data["report"], display_path(path))
    return found


def _figures(
    path: Path | None, cases: Sequence[Source], frame: Frame, council: str | None
) -> Figures | None:
    """The figures file, read and checked; it must not lie among the cases read (where it would
    be read as a case) unless its name says what it is, and must be of `council` if named."""
    from ..annual_report.figures import read_figures
    from ..cases.exports import source_path
    from ..cases.runner import FIGURES_SUFFIX

    if path is None:
        return None
    for source in map(source_path, cases):
        inside = source.is_dir() and path.resolve().is_relative_to(source.resolve())
        if inside and not path.name.endswith(FIGURES_SUFFIX):
            raise CommandError(
                f"{display_path(path)}: the figures file lies in {display_path(source)}, whose "
                f"files are read as cases: name it <name>{FIGURES_SUFFIX} (files so named are "
                "not read as cases), or keep it elsewhere (no report was made)",
                code="figures-among-cases",
                path=path,
            )
    given = read_figures(path, frame)
    if council is not None:
        _figures_council(given, {"id": council})
    return given


def _figures_council(figures: Figures | None, council: dict[str, str] | None) -> None:
    """The figures file's `council`, if it names one, is the report's."""
    if figures is None or figures.council is None:
        return
    if council is None or council["id"] != figures.council:
        whose = f"{council['id']}'s" if council else "of several councils"
        raise CommandError(
            f"{figures.path}: the figures are {figures.council}'s (`council: "
            f"{figures.council}`), but the report is {whose}: give --council "
            f"{figures.council}, or the figures of the report's council (no report was made)",
            code="figures-of-another-council",
            path=figures.path,
        )


class _Silent:
    """The paths named that have not yet given a record (a case, or a record refused)."""

    def __init__(self, paths: Sequence[Source]) -> None:
        from ..cases.exports import source_path

        shown = map(source_path, paths)
        self.left = {os.path.abspath(p): display_path(p) for p in shown}
        self.last = ""

    def heard(self, source: str) -> None:
        """A record came from the file `source` (as `display_path` shows it; a workbook's sheet
        or a query's `[result]` after it in brackets)."""
        from ..cases.exports import file_of

        if not self.left or source == self.last:
            return
        self.last, where = source, os.path.abspath(file_of(source))
        self.left = {
            named: shown
            for named, shown in self.left.items()
            if where != named and not where.startswith(named.rstrip(os.sep) + os.sep)
        }


def _take(
    outcome: Outcome,
    tally: Tally,
    ledger: Ledger,
    strict: bool,
    refused: Callable[[str], None] | None,
) -> None:
    """Count one outcome of the run, once; refuse it if it cannot be counted."""
    if outcome.unread:
        first = outcome.problems[0]
        raise CommandError(
            f"{first.path}: {first.message}; no report was made, as the input could not be read",
            code=first.code,
            path=first.path,
        )
    if not outcome.ok:
        where, why = _why(outcome)
        _refuse(tally, outcome.label, where, why, strict, refused)
        return
    counted = outcome.value
    repeat = ledger.enter(counted.key, counted.digest, outcome.source, outcome.line)
    if repeat is None:
        tally.add(counted)
    elif repeat.same:
        tally.note(
            "duplicate-record", f"{counted.reference}: {outcome.place} repeats {repeat.first}"
        )
    else:
        why = (
            f"duplicate-case: {counted.council}'s case `{counted.reference}` is also at "
            f"{repeat.first}, with a different record; only that one is counted: keep one record "
            "per case"
        )
        _refuse(tally, counted.reference, outcome.place, why, strict, refused)


def _refuse(
    tally: Tally,
    reference: str,
    where: str,
    why: str,
    strict: bool,
    refused: Callable[[str], None] | None,
) -> None:
    if strict:
        raise CommandError(
            f"{where}: {why}; with --strict no report is made while a record cannot be counted",
            code="refused",
        )
    tally.refuse(reference, where, why)
    if refused is not None:  # a record read with no reference is named by its place alone
        refused(f"{where}: {why}" if reference == where else f"{where}: {reference}: {why}")


def _all_there(paths: Sequence[Source]) -> None:
    """Each path names something that can hold cases; a .jsonl file holds at least a line (a
    query's file is checked when it is read)."""
    from ..cases.exports import Query, source_path

    for source in paths:
        if isinstance(source, Query):
            continue
        path = source_path(source)
        if not path.exists():
            raise CommandError(
                f"{display_path(path)}: no such file or folder; check the path (no report was made)",
                code="file-not-found",
                path=path,
            )
        if path.suffix == ".jsonl" and path.is_file() and _blank(path):
            raise CommandError(
                f"{display_path(path)}: the file holds no cases (it is empty); give the file "
                "the cases were exported to (no report was made)",
                code="no-cases",
                path=path,
            )


def _blank(path: Path) -> bool:
    """Whether a file holds nothing but white space (read until something else is found)."""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 16):
            if chunk.strip():
                return False
    return True


def _known_council(council: str) -> None:
    from ..calendars.bank_holidays import unknown_council
    from ..procedures.library import library
    from ..reading.locations import council_file, council_names

    root = library().root
    if council_file(council, root) is None:
        raise CommandError(
            str(unknown_council(council, council_names(root))), code="unknown-council"
        )


def _council(council: str | None, counted: set[str]) -> dict[str, str] | None:
    """The council the report is for, {"id", "name"} (its name from its council.yaml): the one
    asked for, else the one whose cases were all counted; None when they are several's."""
    from ..procedures.library import library
    from ..reading.locations import council_file

    found = council or (next(iter(counted)) if len(counted) == 1 else None)
    if found is None:
        return None
    lib = library()
    path = council_file(found, lib.root)
    document = lib.files.load(path)[0] if path is not None else None
    data = document.data if document is not None and isinstance(document.data, dict) else {}
    return {"id": found, "name": str(data.get("name") or found)}


# The key of `report_texts` under which an html report's problems come, and the end of the file's
# name they are written to beside the page: `report.html` has `report.problems.csv`.
PROBLEMS = ".problems.csv"


def report_texts(data: dict[str, Any], fmt: str) -> dict[str, str]:
    """The report written out: for csv, one file per table by name; otherwise one text, under
    the name ''. Categories are named as rules/vocabulary.yaml labels them. For html, the page
    carries no case reference or warning: the records' problems come apart, under `PROBLEMS`."""
    import json

    from ..annual_report.page import page, problems
    from ..annual_report.tables import csv_files, markdown, text
    from ..procedures.library import library

    if fmt == "json":
        return {"": json.dumps(data, ensure_ascii=False, indent=2) + "\n"}
    facts = library().vocabulary.facts()
    labels = {name: dict(fact.get("labels", {})) for name, fact in facts.items()}
    if fmt == "csv":
        return csv_files(data, labels)
    if fmt == "html":
        return {"": page(data, labels, _event_descriptions()), PROBLEMS: problems(data)}
    render = {"markdown": markdown, "text": text}[fmt]
    return {"": render(data, labels)}


def write_report(
    texts: dict[str, str], output: Path, fmt: str, inputs: Sequence[Path]
) -> list[Path]:
    """Write the report to `output` (a folder for csv, a file otherwise), never over an input,
    and an html page's problems beside it (`problems_file`); the paths written."""
    from .output import write_files

    if fmt == "csv":
        files = {output / name: body for name, body in texts.items()}
        write_files(files, inputs, folder=output)
        return list(files)
    files = {output: texts[""]}
    if PROBLEMS in texts:
        beside = problems_file(output)
        _not_in_a_folder_read(beside, inputs)
        files[beside] = texts[PROBLEMS]
    write_files(files, inputs)
    return list(files)


def problems_file(output: Path) -> Path:
    """Where an html page's problems are written: `report.html` has `report.problems.csv`."""
    name = output.stem if output.suffix else output.name
    beside = output.with_name(name + PROBLEMS)
    return beside if beside != output else output.with_name(output.name + PROBLEMS)


def problems_notice(data: dict[str, Any], fmt: str, output: Path | None) -> str | None:
    """For the html page, which never shows them: how many problems the records had and where
    they are listed, for the screen (stderr); None when there were none."""
    from ..annual_report.page import problem_counts
    from ..diagnostics import display_path

    refused, warned = problem_counts(data)
    if fmt != "html" or not (refused or warned):
        return None
    found = " and ".join(
        part
        for part in (
            f"{refused} record(s) not counted" if refused else "",
            f"{warned} warning(s)" if warned else "",
        )
        if part
    )
    if output is not None:
        return f"the records' problems ({found}) are listed in {display_path(problems_file(output))}, not on the page"
    return (
        f"the records' problems ({found}) are not on the page: give -o FILE.html to have them "
        "listed in FILE.problems.csv beside it, or see `warnings` and `refused` in --format json"
    )


def _not_in_a_folder_read(target: Path, inputs: Sequence[Path]) -> None:
    """A CSV written into a folder of case records would be read as an export the next time."""
    from ..diagnostics import display_path
    from ..errors import WriteError

    where = target.resolve().parent
    for source in inputs:
        if source.is_dir() and where.is_relative_to(source.resolve()):
            raise WriteError(
                f"refusing to write {display_path(target)}: it would lie in "
                f"{display_path(source)}, whose CSV files this command reads as case records; "
                "give -o a file outside the folders of cases",
                code="output-is-input",
                path=target,
            )


def _event_descriptions() -> dict[str, str]:
    """Each event's description, for the page's words: from the baselines, the statutory one
    first (the report is the statutory one; every event it counts is one of a baseline's)."""
    from ..procedures.library import library

    found: dict[str, str] = {}
    baselines = [e for e in library().catalogue.entries()[0] if e.extends is None]
    for entry in sorted(baselines, key=lambda e: e.kind != "statutory"):
        for event, definition in library().compiled.procedure(entry.id).events.items():
            found.setdefault(event, definition.description)
    return found


def _why(outcome: Outcome) -> tuple[str, str]:
    """Where a refused record is (the first problem's file and line, else the record's place),
    and why it was refused, in one line."""
    first = outcome.problems[0]
    where = f"{first.path}:{first.line}" if first.line else outcome.place
    more = f" (and {len(outcome.problems) - 1} more)" if len(outcome.problems) > 1 else ""
    return where, f"{first.code}: {first.message}{more}"
