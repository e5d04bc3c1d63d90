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


def report_markdown(data: dict[str, Any]) -> str:
    """The report as Markdown, categories named as rules/vocabulary.yaml labels them."""
    from ..procedures import library
    from ..report_tables import markdown

    facts = library().fact_vocabulary()
    labels = {name: dict(fact.get("labels", {})) for name, fact in facts.items()}
    return markdown(data, labels)


def _first_line(error: BaseException) -> str:
    diagnostics = getattr(error, "diagnostics", None)
    if diagnostics:
        first = diagnostics[0]
        return f"{first.code}: {first.message}" + (
            f" (and {len(diagnostics) - 1} more)" if len(diagnostics) > 1 else ""
        )
    return str(error).splitlines()[0]
