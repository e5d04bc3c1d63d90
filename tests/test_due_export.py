"""What is due as the files a team opens, from the application layer: reminders counted back in
each procedure's own calendar, and the list from JSON lines."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from conftest import ROOT
from csc_rules.application.due_export import calendar_bytes, due_items
from csc_rules.errors import CaseError
from due_examples import item


@pytest.mark.parametrize(
    ("council", "due", "trigger"),
    [
        # Monday 30 December 2024: Friday 27 is one working day before, Tuesday 24 two, as
        # Christmas Day and Boxing Day are bank holidays: 9am on the 24th is 6 days less 9 hours
        ("sefton", dt.date(2024, 12, 30), dt.timedelta(days=-6, hours=9)),
        # Wednesday 7 May 2025: Tuesday 6 is one, Friday 2 two, past the Early May bank holiday
        ("cheshire-west", dt.date(2025, 5, 7), dt.timedelta(days=-5, hours=9)),
    ],
    ids=["christmas", "early-may"],
)
def test_a_reminder_skips_the_bank_holidays_of_the_procedure_s_calendar(
    council: str, due: dt.date, trigger: dt.timedelta
) -> None:
    found = item(
        "C-1",
        due,
        "pending",
        council=council,
        procedure=f"{council}/csc-statutory",
        start=due - dt.timedelta(days=14),
    )
    text = b"".join(calendar_bytes([found], dt.date(2024, 12, 16)))
    (alarm,) = icalendar.Calendar.from_ical(text).walk("VALARM")
    assert alarm.decoded("trigger") == trigger


def test_the_list_is_sorted_and_a_bad_line_is_located() -> None:
    lines = (ROOT / "examples" / "cases.jsonl").read_bytes().splitlines()
    items = due_items(list(enumerate(lines, 1)), dt.date(2025, 2, 10))
    # due 17 February, 24 February, 3 March (tests/test_server.py works them out)
    assert [i.case for i in items] == ["BATCH-1", "BATCH-3", "BATCH-2"]
    with pytest.raises(CaseError) as exc_info:
        due_items([(1, lines[0]), (7, b"[1]")], dt.date(2025, 2, 10))
    assert [d.line for d in exc_info.value.diagnostics] == [7]
