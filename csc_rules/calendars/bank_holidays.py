"""Calendars for a region or a council, from data: bank holidays from the `holidays` package,
closure days from a council's file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .._suggest import did_you_mean
from ..errors import CalendarError
from ..reading.locations import COUNCIL_NAME_LENGTH, is_council_name
from .working_days import WorkingCalendar

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


def unknown_council(council: str, known: list[str]) -> CalendarError:
    """The error for a council the library does not hold, or a name that cannot be one."""
    shown = council if len(council) <= 40 else council[:40] + "..."
    if not is_council_name(council):
        hint = (
            did_you_mean(council.lower(), known) if len(council) <= 2 * COUNCIL_NAME_LENGTH else ""
        )
        return CalendarError(
            f"`{shown}` is not a council's name: councils are named by their folders under "
            f"councils/, in lower-case letters, digits and hyphens, at most {COUNCIL_NAME_LENGTH} "
            f"characters{hint} (known councils: {', '.join(known)})"
        )
    return CalendarError(
        f"unknown council `{shown}`{did_you_mean(council, known)} (known councils: {', '.join(known)})"
    )


def council_calendar(
    council: Mapping[str, Any],
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
    *,
    count_closures: bool = False,
) -> WorkingCalendar:
    """The calendar a council's file (councils/<council>/council.yaml, validated) describes:
    its region's holidays and its closure days."""
    closures = {
        dt.date.fromisoformat(str(c["date"])): str(c["name"])
        for c in council.get("closure_days", [])
    }
    return region_calendar(
        str(council["region"]), first_year, last_year, closures, count_closures=count_closures
    )
