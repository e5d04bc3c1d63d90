"""The statutory annual report from case records (`csc-rules report`)."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import CommandError

YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def check_year(text: str) -> str:
    """A reporting year as `2024-25`; CommandError for anything else."""
    match = YEAR.match(text)
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
    paths: Sequence[Path],
    year: str,
    years: int = 5,
    council: str | None = None,
    as_of: dt.date | None = None,
    jobs: int | None = None,
) -> dict[str, Any]:
    """Replay every case the paths name and count them into the report for `year` (with the
    years before it, `years` in all), as the JSON document. Cases of other councils are left
    out when `council` is given; a case that cannot be read or replayed is reported with its
    reference and why, never dropped silently. Cases are replayed as of the end of the year
    unless `as_of` is given, spread over `jobs` processes (default: one per core), and counted
    as they come, so a caseload of any size needs the same memory."""
    from functools import partial

    from ..annual_report.tables import document
    from ..annual_report.tally import Frame, Tally, count_case
    from ..cases.runner import run_cases
    from ..procedures.library import library

    check_year(year)
    frame = Frame.of(library().vocabulary.report_frame())
    tally = Tally(frame)
    cores = os.cpu_count() or 1
    count = partial(count_case, frame, council)
    left_out = 0
    for outcome in run_cases(
        list(paths), as_of or frame.year(year)[1], False, jobs or cores, count=count
    ):
        if not outcome.ok:
            tally.refuse(outcome.label, _first_line_of(outcome.problems))
        elif outcome.value is not None:
            tally.add(outcome.value)
        else:
            left_out += 1
    data = document(tally, year, years)
    shown = {data["year"], *(y["year"] for y in data["previous_years"])}
    # Counted, not dropped unseen: cases of other councils (with --council), and cases received
    # in years the tables do not show.
    data["left_out"] = {
        "other_councils": left_out,
        "other_years": sum(
            sum(counts.representations.values())
            for label, counts in tally.years.items()
            if label not in shown
        ),
    }
    return data


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


def _first_line_of(problems: Sequence[Any]) -> str:
    first = problems[0]
    location = f"{first.path}:{first.line}: " if first.line else ""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{location}{first.code}: {first.message}{more}"
