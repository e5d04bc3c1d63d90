"""The statutory annual report from case records (`csc-rules report`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import CscRulesError
from ..output import CommandError

YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def check_year(text: str) -> str:
    """A reporting year as `2024-25`; CommandError for anything else."""
    match = YEAR.match(text)
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
) -> dict[str, Any]:
    """Replay every case the paths name and count them into the report for `year` (with the
    years before it, `years` in all), as the JSON document. Cases of other councils are left
    out when `council` is given; a case that cannot be read or replayed is reported with its
    reference and why, never dropped silently. Cases are replayed as of the end of the year
    unless `as_of` is given."""
    from ..annual_report import Frame, Tally, count_case
    from ..case import CaseError
    from ..interpreter import evaluate
    from ..procedures import library
    from ..report_tables import document
    from ..runner import case_sources

    check_year(year)
    procedures = library()
    frame = Frame.of(procedures.report_frame())
    end = frame.year(year)[1]
    tally = Tally(frame)
    for label, case in case_sources(list(paths)):
        if isinstance(case, CaseError):
            tally.refuse(label, _first_line(case))
            continue
        if council is not None and case.procedure.split("/")[0] != council:
            continue
        try:
            procedure = procedures.in_force(case.procedure, case.received)
            when = as_of or max(end, case.received)
            result = evaluate(procedure, case, when)
        except CscRulesError as exc:
            tally.refuse(case.id, _first_line(exc))
            continue
        tally.add(count_case(frame, procedure, case, result))
    return document(tally, year, years)


FORMATS = ("markdown", "text", "json", "csv", "html")


def report_texts(data: dict[str, Any], fmt: str) -> dict[str, str]:
    """The report written out: for csv, one file per table by name; otherwise one text, under
    the name ''. Categories are named as rules/vocabulary.yaml labels them."""
    import json

    from ..procedures import library
    from ..report_html import page
    from ..report_tables import csv_files, markdown, text

    if fmt == "json":
        return {"": json.dumps(data, ensure_ascii=False, indent=2) + "\n"}
    facts = library().fact_vocabulary()
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
    from ..output import write_files

    if fmt == "csv":
        files = {output / name: body for name, body in texts.items()}
        write_files(files, inputs, folder=output)
    else:
        files = {output: texts[""]}
        write_files(files, inputs)
    return list(files)


def _first_line(error: BaseException) -> str:
    diagnostics = getattr(error, "diagnostics", None)
    if diagnostics:
        first = diagnostics[0]
        return f"{first.code}: {first.message}" + (
            f" (and {len(diagnostics) - 1} more)" if len(diagnostics) > 1 else ""
        )
    return str(error).splitlines()[0]
