"""Working days: which dates count, and arithmetic in working days, calendar days and months.

A `WorkingCalendar` is built from plain data (a region's non-working dates with their names, and
a council's closure days), so a compiled procedure can carry it without the `holidays` package.
It precomputes, for every day of its span, how many working days fall on or before it; adding N
working days or counting them between two dates is then two list look-ups.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from ..errors import CalendarError

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class NonWorkingDay:
    """Why a date is not a working day: `weekend`, `holiday` or `closure`, and its name."""

    date: dt.date
    kind: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"date": self.date.isoformat(), "kind": self.kind, "name": self.name}


class WorkingCalendar:
    """The working days of one region over whole years, with a council's closure days kept apart.

    Closure days are non-working only when `count_closures` is true: the statutory clock runs
    through them unless a procedure says otherwise, but they are always reported."""

    __slots__ = (
        "region",
        "first_year",
        "last_year",
        "holidays",
        "closures",
        "count_closures",
        "_base",
        "_span",
        "_cumulative",
        "_workdays",
    )

    def __init__(
        self,
        region: str,
        first_year: int,
        last_year: int,
        holidays: Mapping[dt.date, str],
        closures: Mapping[dt.date, str] | None = None,
        *,
        count_closures: bool = False,
    ) -> None:
        if first_year > last_year:
            raise CalendarError(
                f"a calendar needs first_year <= last_year, not {first_year} > {last_year}"
            )
        self.region = region
        self.first_year = first_year
        self.last_year = last_year
        self.holidays = {
            d: holidays[d] for d in sorted(holidays) if first_year <= d.year <= last_year
        }
        self.closures = {
            d: (closures or {})[d]
            for d in sorted(closures or {})
            if first_year <= d.year <= last_year
        }
        self.count_closures = count_closures
        self._base = dt.date(first_year, 1, 1).toordinal()
        self._span = dt.date(last_year, 12, 31).toordinal() - self._base + 1
        closed = self.closures if count_closures else {}
        skip = {d.toordinal() for d in self.holidays} | {d.toordinal() for d in closed}
        # Ordinal 1 (0001-01-01) was a Monday, so (ordinal + 6) % 7 is the weekday, Monday 0.
        working = [
            (ordinal + 6) % 7 < 5 and ordinal not in skip
            for ordinal in range(self._base, self._base + self._span)
        ]
        # working days on or before each day of the span, and every working day in order
        self._cumulative = list(accumulate(working))
        self._workdays = [
            dt.date.fromordinal(self._base + offset) for offset, ok in enumerate(working) if ok
        ]

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.region!r}, {self.first_year}-{self.last_year}, {len(self.holidays)} holidays, {len(self.closures)} closures)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingCalendar):
            return NotImplemented
        return self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(
            (
                self.region,
                self.first_year,
                self.last_year,
                tuple(self.holidays),
                tuple(self.closures),
            )
        )

    # -- what a date is ------------------------------------------------------------------------

    def _index(self, day: dt.date) -> int:
        index = day.toordinal() - self._base
        if not 0 <= index < self._span:
            raise CalendarError(
                f"{day.isoformat()} is outside {self.first_year}-{self.last_year}, the years whose "
                f"bank holidays this calendar holds"
            )
        return index

    def why_not_working(self, day: dt.date) -> NonWorkingDay | None:
        """None for a working day; else the reason, a holiday's name before the weekend."""
        self._index(day)
        if day in self.holidays:
            return NonWorkingDay(day, "holiday", self.holidays[day])
        if day.weekday() >= 5:
            return NonWorkingDay(day, "weekend", _WEEKDAY_NAMES[day.weekday()])
        if self.count_closures and day in self.closures:
            return NonWorkingDay(day, "closure", self.closures[day])
        return None

    def is_working_day(self, day: dt.date) -> bool:
        index = self._index(day)
        return self._cumulative[index] != (self._cumulative[index - 1] if index else 0)

    def non_working_days(
        self, start: dt.date, end: dt.date, *, weekends: bool = True
    ) -> Iterator[NonWorkingDay]:
        """Every non-working day from `start` to `end`, both included, in date order."""
        self._index(start)
        self._index(end)
        day = start
        while day <= end:
            reason = self.why_not_working(day)
            if reason and (weekends or reason.kind != "weekend"):
                yield reason
            day += dt.timedelta(days=1)

    def closures_between(self, start: dt.date, end: dt.date) -> list[NonWorkingDay]:
        """Council closure days from `start` to `end`, both included, whether or not they count."""
        return [
            NonWorkingDay(d, "closure", name)
            for d, name in self.closures.items()
            if start <= d <= end
        ]

    # -- arithmetic ----------------------------------------------------------------------------

    def add(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start`; `start` itself is never counted, and if it is not a
        working day the next working day is day 1. add(d, 0) is d."""
        index = start.toordinal() - self._base
        if 0 <= index < self._span and n > 0:
            position = self._cumulative[index] + n - 1
            if position < len(self._workdays):
                return self._workdays[position]
        if n == 0:
            self._index(start)
            return start
        return self._add_slowly(start, n)

    def subtract(self, end: dt.date, n: int) -> dt.date:
        """The n-th working day before `end` (so that add(subtract(d, n), n) == d for a working day d)."""
        index = self._index(end)
        if n < 0:
            raise CalendarError(f"cannot count back {n} working days: give a number of 0 or more")
        if n == 0:
            return end
        position = (self._cumulative[index - 1] if index else 0) - n
        if position < 0:
            raise CalendarError(
                f"{n} working days before {end.isoformat()} is before {self.first_year}, the first year this calendar holds"
            )
        return self._workdays[position]

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is earlier."""
        first, last = start.toordinal() - self._base, end.toordinal() - self._base
        if 0 <= first < self._span and 0 <= last < self._span:
            return self._cumulative[last] - self._cumulative[first]
        return self._cumulative[self._index(end)] - self._cumulative[self._index(start)]

    def _add_slowly(self, start: dt.date, n: int) -> dt.date:
        """The errors `add` can meet, kept off its fast path."""
        self._index(start)
        if n < 0:
            raise CalendarError(
                f"cannot add {n} working days: give a number of 0 or more, or count backwards"
            )
        raise CalendarError(
            f"{n} working days after {start.isoformat()} runs past {self.last_year}, the last year this calendar holds"
        )

    def shift(self, day: dt.date, amount: int, unit: str, *, before: bool = False) -> dt.date:
        """`amount` working days, calendar days or months after `day` (or before it)."""
        if unit == "working-days":
            return self.subtract(day, amount) if before else self.add(day, amount)
        if unit == "days":
            result = day - dt.timedelta(days=amount) if before else day + dt.timedelta(days=amount)
        elif unit == "months":
            result = add_months(day, -amount if before else amount)
        else:
            raise CalendarError(f"unknown unit `{unit}`: use working-days, days or months")
        self._index(result)
        return result

    # -- plain data ----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """Plain data from which `from_json` rebuilds the same calendar."""
        return {
            "region": self.region,
            "first_year": self.first_year,
            "last_year": self.last_year,
            "holidays": [[d.isoformat(), name] for d, name in self.holidays.items()],
            "closures": [[d.isoformat(), name] for d, name in self.closures.items()],
            "count_closures": self.count_closures,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WorkingCalendar:
        try:
            return cls(
                str(data["region"]),
                int(data["first_year"]),
                int(data["last_year"]),
                {dt.date.fromisoformat(d): str(name) for d, name in data["holidays"]},
                {dt.date.fromisoformat(d): str(name) for d, name in data.get("closures", [])},
                count_closures=bool(data.get("count_closures", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CalendarError(f"not a calendar: {exc}") from None


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later (or earlier), on the same day of the month or the month's last day:
    2024-02-29 plus 12 months is 2025-02-28."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    if not 1 <= year <= 9999:
        raise CalendarError(f"{day.isoformat()} plus {months} months is outside the calendar")
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date, or a CalendarError saying what is wrong with it."""
    if (
        text.isascii()  # isdigit() takes other scripts' digits, which are no date's
        and len(text) == 10
        and text[4] == text[7] == "-"
        and (text[:4] + text[5:7] + text[8:]).isdigit()
    ):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise CalendarError(f"`{text}` is not a real date") from None
    raise CalendarError(f"`{text}` is not a date: write YYYY-MM-DD, e.g. 2024-12-20")
