"""Working-day arithmetic around bank holidays: add, count between two dates, list a year.

A working day is any day but a Saturday, a Sunday or a bank holiday of the region (England
unless told otherwise). A council's closure days are reported apart and do not stop the clock
unless `count_closures` is set."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ArgumentError

if TYPE_CHECKING:
    from ..calendars.working_days import NonWorkingDay, WorkingCalendar

# Every year has well over this many working days, so N of them never span more years than
# N / this + 1.
_WORKING_DAYS_A_YEAR_AT_LEAST = 240


def calendar(
    council: str | None,
    region: str | None,
    count_closures: bool,
    *dates: dt.date,
    years: tuple[int, int],
) -> WorkingCalendar:
    """The calendar of a council or of a region (default England), holding `years` (as far as
    csc-rules holds any) and the `dates`, which must fall in years it holds."""
    from ..calendars.bank_holidays import FIRST_YEAR, LAST_YEAR, check_years, region_calendar

    if council is not None and region is not None:
        raise ArgumentError("give --council or --region, not both")
    for day in dates:
        check_years(day.year, day.year)
    first_year, last_year = max(years[0], FIRST_YEAR), min(years[1], LAST_YEAR)
    if council is not None:
        from ..procedures.library import library

        calendars = library().calendars
        return calendars.of_council(council, first_year, last_year, count_closures=count_closures)
    region = "ENG" if region is None else region
    return region_calendar(region, first_year, last_year, count_closures=count_closures)


def _date(value: str | dt.date) -> dt.date:
    from ..calendars.working_days import parse_date

    return value if isinstance(value, dt.date) else parse_date(value)


def _count(value: str | int) -> int:
    from ..errors import CalendarError

    try:
        n = int(value)
    except ValueError:
        raise CalendarError(f"`{value}` is not a whole number of working days") from None
    if n < 0:
        raise CalendarError(
            f"cannot add {n} working days: give 0 or more, and --before to count back"
        )
    return n


def closure_note(day: NonWorkingDay) -> str:
    """What to tell the reader about a council closure day that was counted as a working day."""
    return (
        f"note: the council is closed on {day.date.isoformat()} ({day.name}); it was counted as a "
        "working day, as the statutory clock does not stop for it (--count-closures to skip it)"
    )


@dataclass(frozen=True)
class Added:
    """The N-th working day after (or before) a date, and the days skipped to reach it."""

    start: dt.date
    count: int
    before: bool
    result: dt.date
    region: str
    council: str | None
    skipped: tuple[NonWorkingDay, ...]
    closures: tuple[NonWorkingDay, ...]  # closure days counted as working days

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.start.isoformat(),
            "working_days": self.count,
            "direction": "before" if self.before else "after",
            "result": self.result.isoformat(),
            "region": self.region,
            "council": self.council,
            "skipped": [d.to_json() for d in self.skipped],
            "closures_not_counted": [d.to_json() for d in self.closures],
        }


def add(
    date: str | dt.date,
    n: str | int,
    *,
    before: bool = False,
    council: str | None = None,
    region: str | None = None,
    count_closures: bool = False,
) -> Added:
    """The N-th working day after `date` (or before it). The date itself is never counted; if it
    is not a working day, the next working day is day 1."""
    start, count = _date(date), _count(n)
    years = count // _WORKING_DAYS_A_YEAR_AT_LEAST + 1
    span = (start.year - years, start.year) if before else (start.year, start.year + years)
    found = calendar(council, region, count_closures, start, years=span)
    result = found.subtract(start, count) if before else found.add(start, count)
    low, high = sorted((start, result))
    return Added(
        start,
        count,
        before,
        result,
        found.region,
        council,
        tuple(d for d in found.non_working_days(low, high) if d.date not in (start,)),
        () if count_closures else tuple(found.closures_between(low, high)),
    )


@dataclass(frozen=True)
class Counted:
    """How many working days there are after one date up to and including another."""

    start: dt.date
    end: dt.date
    count: int
    region: str
    council: str | None
    skipped: tuple[NonWorkingDay, ...]
    closures: tuple[NonWorkingDay, ...]  # closure days counted as working days

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "working_days": self.count,
            "calendar_days": (self.end - self.start).days,
            "region": self.region,
            "council": self.council,
            "skipped": [d.to_json() for d in self.skipped],
            "closures_not_counted": [d.to_json() for d in self.closures],
        }


def between(
    start: str | dt.date,
    end: str | dt.date,
    *,
    council: str | None = None,
    region: str | None = None,
    count_closures: bool = False,
) -> Counted:
    """The working days after `start` up to and including `end` (negative if `end` is first)."""
    first, last = _date(start), _date(end)
    low, high = sorted((first, last))
    found = calendar(council, region, count_closures, low, high, years=(low.year, high.year))
    return Counted(
        first,
        last,
        found.between(first, last),
        found.region,
        council,
        tuple(d for d in found.non_working_days(low, high) if d.date != low),
        () if count_closures else tuple(found.closures_between(low, high)),
    )


@dataclass(frozen=True)
class Listed:
    """The bank holidays (and council closure days) of a year, weekends aside."""

    days: tuple[NonWorkingDay, ...]
    count_closures: bool

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {**d.to_json(), "counts": d.kind != "closure" or self.count_closures} for d in self.days
        ]

    def text(self) -> str:
        lines = []
        for day in self.days:
            note = (
                "  (council closure: the statutory clock does not stop)"
                if day.kind == "closure" and not self.count_closures
                else ""
            )
            lines.append(f"{day.date.isoformat()}  {day.date.strftime('%a')}  {day.name}{note}")
        return "".join(line + "\n" for line in lines)


def year(
    number: int,
    *,
    council: str | None = None,
    region: str | None = None,
    count_closures: bool = False,
) -> Listed:
    """The bank holidays of a year, with their names, and the council's closure days (which
    count only with `count_closures`)."""
    if not dt.MINYEAR <= number <= dt.MAXYEAR:  # no such date: say which years there are
        from ..calendars.bank_holidays import check_years

        check_years(number, number)
    first, last = dt.date(number, 1, 1), dt.date(number, 12, 31)
    found = calendar(council, region, count_closures, first, years=(number, number))
    days = list(found.non_working_days(first, last, weekends=False))
    if not count_closures:
        days = sorted([*days, *found.closures_between(first, last)], key=lambda d: d.date)
    return Listed(tuple(days), count_closures)
