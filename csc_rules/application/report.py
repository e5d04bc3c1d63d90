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


def report_texts(data: dict[str, Any], fmt: str) -> dict[str, str]:
    """The report written out: for csv, one file per table by name; otherwise one text, under
    the name ''. Categories are named as rules/vocabulary.yaml labels them."""
    import json

    from ..annual_report.page import page
    from ..annual_report.tables import csv_files, markdown, text
    from ..procedures.library import library

    if fmt == "json":
        return {"": json.dumps(data, ensure_ascii=False, indent=2) + "\n"}
    facts = library().vocabulary.facts()
    labels = {name: dict(fact.get("labels", {})) for name, fact in facts.items()}
    if fmt == "csv":
        return csv_files(data, labels)
    render = {"markdown": markdown, "text": text, "html": page}[fmt]
    return {"": render(data, labels)}


def write_report(
    texts: dict[str, str], output: Path, fmt: str, inputs: Sequence[Path]
) -> list[Path]:
    """Write the report to `output` (a folder for csv, a file otherwise), never over an input;
    the paths written."""
    from .output import write_files

    if fmt == "csv":
        files = {output / name: body for name, body in texts.items()}
        write_files(files, inputs, folder=output)
    else:
        files = {output: texts[""]}
        write_files(files, inputs)
    return list(files)


def _first_line_of(problems: Sequence[Any]) -> str:
    first = problems[0]
    location = f"{first.path}:{first.line}: " if first.line else ""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{location}{first.code}: {first.message}{more}"
