"""The working-day calendar. Every expected date here was worked out by hand from the England and
Wales bank-holiday list (gov.uk), counting the day after the start as the first candidate."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from csc_rules.calendars.bank_holidays import region_calendar
from csc_rules.calendars.working_days import WorkingCalendar, add_months, parse_date
from csc_rules.errors import CalendarError

D = dt.date
ENGLAND = region_calendar("ENG", 2014, 2036)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Fri 20 Dec 2024: 23, 24, (25, 26 Christmas, Boxing Day), 27, 30, 31, (1 Jan), 2, 3, 6, 7, 8
        (D(2024, 12, 20), 10, D(2025, 1, 8)),
        # Christmas 2021 on a Saturday: substitute days Mon 27 and Tue 28 Dec
        (D(2021, 12, 23), 3, D(2021, 12, 30)),
        # New Year's Day 2022 on a Saturday: substitute day Mon 3 Jan
        (D(2021, 12, 31), 1, D(2022, 1, 4)),
        # Christmas 2022 on a Sunday: Boxing Day Mon 26, Christmas substitute Tue 27
        (D(2022, 12, 23), 1, D(2022, 12, 28)),
        # Easter 2024: Good Friday 29 Mar, Easter Monday 1 Apr
        (D(2024, 3, 28), 1, D(2024, 4, 2)),
        # 2022's Spring bank holiday moved: Mon 30 May was a working day, Thu 2 and Fri 3 Jun were not
        (D(2022, 5, 27), 1, D(2022, 5, 30)),
        (D(2022, 6, 1), 1, D(2022, 6, 6)),
        # State Funeral, Mon 19 Sep 2022
        (D(2022, 9, 16), 1, D(2022, 9, 20)),
        # Coronation, Mon 8 May 2023, a week after May Day (Mon 1 May)
        (D(2023, 5, 5), 1, D(2023, 5, 9)),
        (D(2023, 4, 28), 1, D(2023, 5, 2)),
        # Starting on a Saturday or a Sunday, the Monday is day 1
        (D(2024, 6, 15), 1, D(2024, 6, 17)),
        (D(2024, 6, 16), 5, D(2024, 6, 21)),
        # Stage 2 at its longest: 65 working days from Mon 2 Sep 2024 (no holidays until Christmas)
        (D(2024, 9, 2), 65, D(2024, 12, 2)),
    ],
)
def test_hand_worked_due_dates(start: dt.date, n: int, due: dt.date) -> None:
    assert ENGLAND.add(start, n) == due
    assert ENGLAND.between(start, due) == n


def test_counting_back_from_a_panel_date() -> None:
    # Panel on Tue 14 Jan 2025; 10 working days before: 13, 10, 9, 8, 7, 6, 3, 2, (1 Jan), 31, 30 Dec
    assert ENGLAND.subtract(D(2025, 1, 14), 10) == D(2024, 12, 30)


def test_between_counts_after_the_first_date_up_to_and_including_the_second() -> None:
    assert ENGLAND.between(D(2024, 3, 27), D(2024, 4, 3)) == 3  # Thu 28, Tue 2, Wed 3
    assert ENGLAND.between(D(2024, 4, 3), D(2024, 3, 27)) == -3
    assert ENGLAND.between(D(2024, 4, 3), D(2024, 4, 3)) == 0


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2022, 12, 27), ("holiday", "Christmas Day (observed)")),
        (D(2024, 12, 21), ("weekend", "Saturday")),
        (D(2022, 12, 25), ("holiday", "Christmas Day")),
        (D(2024, 4, 1), ("holiday", "Easter Monday")),  # missing without subdivision ENG
        (D(2024, 8, 26), ("holiday", "Late Summer Bank Holiday")),  # likewise
        (D(2022, 5, 30), None),
    ],
)
def test_why_a_day_is_not_a_working_day(day: dt.date, reason: tuple[str, str] | None) -> None:
    found = ENGLAND.why_not_working(day)
    assert (found and (found.kind, found.name)) == reason
    assert ENGLAND.is_working_day(day) == (reason is None)


def test_calendar_days_and_months() -> None:
    assert ENGLAND.shift(D(2024, 12, 20), 28, "days") == D(2025, 1, 17)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)
    assert add_months(D(2024, 11, 30), 14) == D(2026, 1, 30)
    assert ENGLAND.shift(D(2025, 2, 28), 12, "months", before=True) == D(2024, 2, 28)


def test_closure_days_are_reported_but_count_only_when_asked() -> None:
    holidays = {d: n for d, n in ENGLAND.holidays.items() if d.year in (2024, 2025)}
    closed = {D(2024, 12, 27): "Christmas closure"}
    running = WorkingCalendar("ENG", 2024, 2025, holidays, closed)
    assert running.add(D(2024, 12, 20), 10) == D(2025, 1, 8)
    assert [(c.date, c.name) for c in running.closures_between(D(2024, 12, 20), D(2025, 1, 8))] == [
        (D(2024, 12, 27), "Christmas closure")
    ]
    stopping = WorkingCalendar("ENG", 2024, 2025, holidays, closed, count_closures=True)
    assert stopping.add(D(2024, 12, 20), 10) == D(2025, 1, 9)
    assert stopping.why_not_working(D(2024, 12, 27)).kind == "closure"


def test_years_outside_the_calendar_are_an_error_not_a_guess() -> None:
    with pytest.raises(CalendarError, match="2037-01-05 is outside 2014-2036"):
        ENGLAND.add(D(2037, 1, 5), 1)
    with pytest.raises(CalendarError, match="runs past 2036"):
        ENGLAND.add(D(2036, 12, 20), 10)
    with pytest.raises(CalendarError, match="before 2014"):
        ENGLAND.subtract(D(2014, 1, 5), 5)
    with pytest.raises(CalendarError, match="give a number of 0 or more"):
        ENGLAND.add(D(2024, 1, 5), -1)
    with pytest.raises(CalendarError, match="outside 2000-2040"):
        region_calendar("ENG", 1999, 2001)


@pytest.mark.parametrize(
    "text", ["2024-13-01", "2024-02-30", "20241220", "20-12-2024", "", "2024-1-5"]
)
def test_bad_dates(text: str) -> None:
    with pytest.raises(CalendarError, match="not a (real )?date"):
        parse_date(text)


def test_a_calendar_from_plain_dates_needs_no_holidays_package() -> None:
    code = (
        "import sys, datetime as dt\n"
        "from csc_rules.calendars.working_days import WorkingCalendar\n"
        "c = WorkingCalendar('ENG', 2024, 2025, {dt.date(2024, 12, 25): 'Christmas Day', dt.date(2024, 12, 26): 'Boxing Day', dt.date(2025, 1, 1): \"New Year's Day\"})\n"
        "print(c.add(dt.date(2024, 12, 20), 10), 'holidays' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.split() == ["2025-01-08", "False"]


def test_plain_data_round_trip() -> None:
    again = WorkingCalendar.from_json(ENGLAND.to_json())
    assert again == ENGLAND and again.add(D(2024, 12, 20), 10) == D(2025, 1, 8)
    with pytest.raises(CalendarError, match="not a calendar"):
        WorkingCalendar.from_json({"region": "ENG"})


# -- properties over 2015-2035, against a naive day-by-day walk over the holidays package ----------

import holidays as holidays_package  # noqa: E402  (only the reference needs it)

REFERENCE = holidays_package.country_holidays("GB", subdiv="ENG", years=range(2015, 2037))
days = st.dates(D(2015, 1, 1), D(2035, 12, 31))
counts = st.integers(1, 230)  # so that N + 1 working days from 2035 stay inside 2036


def naive_add(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in REFERENCE:
            n -= 1
    return day


@settings(max_examples=400)
@given(days, counts)
def test_add_agrees_with_a_naive_walk_and_lands_on_a_working_day(day: dt.date, n: int) -> None:
    due = ENGLAND.add(day, n)
    assert due == naive_add(day, n)
    assert due.weekday() < 5 and due not in REFERENCE
    assert ENGLAND.between(day, due) == n


@given(days, counts)
def test_between_agrees_with_a_naive_count(day: dt.date, n: int) -> None:
    end = day + dt.timedelta(days=n)
    naive = sum(
        1
        for k in range(1, n + 1)
        if (d := day + dt.timedelta(days=k)).weekday() < 5 and d not in REFERENCE
    )
    assert ENGLAND.between(day, end) == naive


@given(days, days, counts)
def test_add_is_monotonic_in_n_and_in_the_start(a: dt.date, b: dt.date, n: int) -> None:
    assert ENGLAND.add(a, n) < ENGLAND.add(a, n + 1)
    first, second = sorted((a, b))
    assert ENGLAND.add(first, n) <= ENGLAND.add(second, n)


@given(days, counts)
def test_before_and_after_are_inverse(day: dt.date, n: int) -> None:
    if not ENGLAND.is_working_day(day):
        day = ENGLAND.add(day, 1)
    assert ENGLAND.subtract(ENGLAND.add(day, n), n) == day
    assert ENGLAND.add(ENGLAND.subtract(day, n), n) == day
