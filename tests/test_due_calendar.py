"""`due` as an iCalendar file: read back by icalendar's own parser and by vobject, which shares
nothing with it; folded and ended as RFC 5545 says; the same UIDs from one day to the next."""

from __future__ import annotations

import datetime as dt
import sys

import icalendar
import pytest
import vobject

from csc_rules.calendars.bank_holidays import region_calendar
from csc_rules.errors import CommandError
from csc_rules.reports.due import DueItem
from csc_rules.reports.due_calendar import calendar_chunks, uid
from due_examples import LATE, SOON, item

ENGLAND = region_calendar("ENG", 2024, 2026)
AS_OF = dt.date(2025, 1, 22)


def back(found: DueItem, n: int) -> dt.date:
    return ENGLAND.subtract(found.due, n)


def ics(items: list[DueItem], as_of: dt.date = AS_OF, **kw: object) -> bytes:
    return b"".join(calendar_chunks(items, as_of=as_of, back=back, **kw))  # type: ignore[arg-type]


# Due Wednesday 7 May 2025: two working days before is Friday 2 May, as Monday 5 May is the
# Early May bank holiday; 9am that Friday is 4 days and 15 hours before the day's start.
MAY = item(
    "CW/2025/17",
    dt.date(2025, 5, 7),
    "pending",
    council="cheshire-west",
    council_name="Cheshire West and Chester Council",
    procedure="cheshire-west/csc-statutory",
    working_days_left=70,
)


def test_icalendar_reads_an_all_day_event_a_line_with_its_alarm() -> None:
    found = icalendar.Calendar.from_ical(ics([LATE, SOON, MAY]))
    assert str(found["version"]) == "2.0" and "csc-rules" in str(found["prodid"])
    assert str(found["calscale"]) == "GREGORIAN" and str(found["x-wr-calname"]) == "What is due"
    events = found.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [
        "SEF-0001/stage-1-response@sefton.csc-rules",
        "SEF-0002/acknowledgement@sefton.csc-rules",
        "CW%2F2025%2F17/stage-1-response@cheshire-west.csc-rules",
    ]
    late = events[0]
    assert late.decoded("dtstart") == dt.date(2025, 1, 8)
    assert late.decoded("dtend") == dt.date(2025, 1, 9)
    assert str(late["summary"]) == "SEF-0001: Stage 1 response"
    assert late["categories"].cats == ["overdue"]
    text = str(late["description"])
    assert "Who acts: Team manager." in text
    assert "Due Wednesday 8 January 2025: overdue, 10 working days late" in text
    assert "1 working day left" in str(events[1]["description"])
    # 2 working days before Wednesday 8 January is Monday 6 January, 9am
    (alarm,) = late.walk("VALARM")
    assert alarm.decoded("trigger") == dt.timedelta(days=-2, hours=9)
    (alarm,) = events[2].walk("VALARM")
    assert alarm.decoded("trigger") == dt.timedelta(days=-5, hours=9)  # Friday 2 May, 9am


def test_vobject_reads_the_same_events() -> None:
    found = vobject.readOne(ics([LATE, SOON, MAY]).decode("utf-8"))
    events = found.vevent_list
    assert [e.uid.value for e in events] == [
        "SEF-0001/stage-1-response@sefton.csc-rules",
        "SEF-0002/acknowledgement@sefton.csc-rules",
        "CW%2F2025%2F17/stage-1-response@cheshire-west.csc-rules",
    ]
    may = events[2]
    assert may.dtstart.value == dt.date(2025, 5, 7) and may.dtend.value == dt.date(2025, 5, 8)
    assert may.summary.value == "CW/2025/17: Stage 1 response"
    assert "Cheshire West and Chester Council" in may.description.value
    assert may.valarm.trigger.value == dt.timedelta(days=-5, hours=9)
    assert may.transp.value == "TRANSPARENT"


def test_lines_are_folded_at_75_octets_and_end_in_crlf() -> None:
    long = item(
        "SEF-0003",
        dt.date(2025, 1, 8),
        "overdue",
        what="Réponse à l’étape 1, avec des accents; et, des virgules " * 4,
    )
    data = ics([long])
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the summary was folded
    for line in lines:
        line.decode("utf-8")  # never folded inside a character
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["summary"]) == f"SEF-0003: {long.what}"


def test_the_same_case_and_deadline_keep_their_uid_and_a_moved_due_date_is_a_new_revision() -> None:
    today = icalendar.Calendar.from_ical(ics([SOON])).walk("VEVENT")[0]
    tomorrow = icalendar.Calendar.from_ical(ics([SOON], dt.date(2025, 1, 23))).walk("VEVENT")[0]
    assert today["uid"] == tomorrow["uid"] and today["sequence"] == tomorrow["sequence"]
    assert today.decoded("dtstamp") < tomorrow.decoded("dtstamp")
    extended = item("SEF-0002", dt.date(2025, 2, 4), "pending", deadline="acknowledgement")
    moved = icalendar.Calendar.from_ical(ics([extended])).walk("VEVENT")[0]
    assert moved["uid"] == today["uid"]
    assert moved["sequence"] > today["sequence"]  # 12 days later, 12 revisions on
    assert moved["sequence"] - today["sequence"] == 12


def test_a_case_reference_cannot_make_two_uids_alike() -> None:
    a = item("A/B", dt.date(2025, 1, 8), "overdue")
    b = item("A%2FB", dt.date(2025, 1, 8), "overdue")
    assert uid(a) != uid(b)
    hostile = item("X\r\nBEGIN:VEVENT;,", dt.date(2025, 1, 8), "overdue")
    events = icalendar.Calendar.from_ical(ics([hostile])).walk("VEVENT")
    # one event: the line break is escaped (RFC 5545 writes a new line as \n), never a new line
    assert len(events) == 1 and str(events[0]["summary"]).startswith("X\nBEGIN:VEVENT;,")


def test_no_alarm_when_asked_and_an_alarm_on_the_day_with_zero() -> None:
    bare = icalendar.Calendar.from_ical(ics([LATE], alarm_days=None)).walk("VEVENT")[0]
    assert bare.walk("VALARM") == []
    (alarm,) = icalendar.Calendar.from_ical(ics([LATE], alarm_days=0)).walk("VALARM")
    assert alarm.decoded("trigger") == dt.timedelta(hours=9)
    with pytest.raises(CommandError, match="give 0 or more"):
        ics([LATE], alarm_days=-1)


def test_an_empty_list_is_a_calendar_with_no_events() -> None:
    found = icalendar.Calendar.from_ical(ics([]))
    assert found.walk("VEVENT") == [] and str(found["version"]) == "2.0"


def test_without_icalendar_it_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)
    with pytest.raises(CommandError) as exc_info:
        ics([LATE])
    assert "pip install 'csc-rules[export]'" in str(exc_info.value)
