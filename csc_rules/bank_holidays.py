"""Calendars for a region or a council: bank holidays from the `holidays` package, closures from councils/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ._suggest import did_you_mean
from .library import COUNCIL_NAME_LENGTH, council_file, council_names, is_council_name
from .working_days import CalendarError, WorkingCalendar

# The United Kingdom's nations, as the `holidays` package's GB subdivisions. Always ask for one:
# with no subdivision, `holidays` leaves out Easter Monday and the August bank holiday.
REGIONS = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
# The years we answer for. Later years would miss any one-off holiday not yet proclaimed.
FIRST_YEAR, LAST_YEAR = 2000, 2040


def region_code(name: str) -> str:
    """`ENG` for `ENG`, `eng` or `England`."""
    wanted = name.strip().lower().replace("-", " ")
    for code, full in REGIONS.items():
        if wanted in (code.lower(), full.lower()):
            return code
    choices = [*REGIONS, *(n.lower().replace(" ", "-") for n in REGIONS.values())]
    raise CalendarError(
        f"unknown region `{name}`{did_you_mean(name, choices)}; use one of {', '.join(REGIONS)}"
    )


def check_years(first_year: int, last_year: int) -> None:
    for year in (first_year, last_year):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CalendarError(
                f"{year} is outside {FIRST_YEAR}-{LAST_YEAR}, the years csc-rules holds bank holidays for"
            )


def bank_holidays(region: str, first_year: int, last_year: int) -> dict[dt.date, str]:
    """Every bank and public holiday of `region` in the years given, with its name."""
    check_years(first_year, last_year)
    import holidays  # heavy: only the commands that build a calendar from scratch need it

    found = holidays.country_holidays(
        "GB", subdiv=region_code(region), years=range(first_year, last_year + 1)
    )
    return {day: str(name) for day, name in sorted(found.items())}


def region_calendar(
    region: str = "ENG",
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
    closures: dict[dt.date, str] | None = None,
    *,
    count_closures: bool = False,
) -> WorkingCalendar:
    code = region_code(region)
    return WorkingCalendar(
        code,
        first_year,
        last_year,
        bank_holidays(code, first_year, last_year),
        closures,
        count_closures=count_closures,
    )


def council_calendar(
    council: str,
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
    *,
    count_closures: bool = False,
) -> WorkingCalendar:
    """The calendar of councils/<council>/council.yaml: its region's holidays and its closure days."""
    from .errors import DefinitionError
    from .validation import validate

    known = council_names()
    if not is_council_name(council):
        shown = council if len(council) <= 40 else council[:40] + "..."
        hint = (
            did_you_mean(council.lower(), known) if len(council) <= 2 * COUNCIL_NAME_LENGTH else ""
        )
        raise CalendarError(
            f"`{shown}` is not a council's name: councils are named by their folders under "
            f"councils/, in lower-case letters, digits and hyphens, at most {COUNCIL_NAME_LENGTH} "
            f"characters{hint} (known councils: {', '.join(known)})"
        )
    path = council_file(council)
    if path is None:
        raise CalendarError(
            f"unknown council `{council}`{did_you_mean(council, known)} (known councils: {', '.join(known)})"
        )
    report = validate([path])
    if report.errors:
        raise DefinitionError(list(report.errors))
    data = _council_data(path)
    closures = {
        dt.date.fromisoformat(str(c["date"])): c["name"] for c in data.get("closure_days", [])
    }
    return region_calendar(
        data["region"], first_year, last_year, closures, count_closures=count_closures
    )


def _council_data(path: Path) -> dict[str, Any]:
    from .errors import DefinitionError
    from .loader import load

    document, problems = load(path)
    if document is None or not isinstance(document.data, dict):  # changed since it was validated
        raise DefinitionError(problems)
    return document.data


def procedure_calendar(procedure_id: str, first_year: int, last_year: int) -> WorkingCalendar:
    """The calendar of the council whose folder a procedure id starts with; England's otherwise."""
    council = procedure_id.split("/", 1)[0]
    if council_file(council) is not None:
        return council_calendar(council, first_year, last_year)
    return region_calendar("ENG", first_year, last_year)
