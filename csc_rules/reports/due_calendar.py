"""What is due as an iCalendar file (RFC 5545), for Outlook, Google Calendar and Apple Calendar:
one all-day event on each due date, with a reminder some working days before it.

Each event's UID names the council, the case and the deadline, and its SEQUENCE is the due date
as a day number, so that importing a later list updates the events already there rather than
adding them again, and a due date an extension moved counts as a new revision. DTSTAMP is the
day the list was asked about, so the same list always writes the same bytes.

Written with icalendar an event at a time, so a list of any length takes flat memory. Needs the
`export` extra (`pip install 'csc-rules[export]'`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import quote

from .._version import __version__
from ..errors import CommandError
from .due import DueItem

# The n-th working day before an item's due date, counted in its procedure's calendar (so a
# reminder never falls on a bank holiday or a weekend).
CountBack = Callable[[DueItem, int], dt.date]

ALARM_DAYS = 2
# The reminder goes off at this hour of its working day, in the reader's own time: an all-day
# event starts at midnight wherever it is read, and the trigger is counted from that start.
ALARM_HOUR = 9
_EPOCH = dt.date(2000, 1, 1).toordinal()


def uid(item: DueItem) -> str:
    """`<case>/<deadline>@<council>.csc-rules`: one per case and deadline, whatever the day.
    The case reference is percent-encoded, so that no reference can make two UIDs alike or
    break the line."""
    return f"{quote(item.case, safe='-._~')}/{item.deadline}@{item.council}.csc-rules"


def calendar_chunks(
    items: Iterable[DueItem],
    *,
    as_of: dt.date,
    back: CountBack,
    alarm_days: int | None = ALARM_DAYS,
    name: str = "What is due",
    source: str = "",
) -> Iterator[bytes]:
    """The calendar, a piece at a time: its header, one event per item, its end. With
    `alarm_days` None, the events have no reminder."""
    icalendar = _icalendar()
    if alarm_days is not None and alarm_days < 0:
        raise CommandError(
            f"a reminder {alarm_days} working days before is after the due date: give 0 or more",
            code="usage",
        )
    head = icalendar.Calendar()
    head.add("prodid", f"-//csc-rules//What is due {__version__}//EN")
    head.add("version", "2.0")
    head.add("calscale", "GREGORIAN")
    head.add("method", "PUBLISH")
    head.add("x-wr-calname", name)
    read = f" read from {source}" if source else ""
    head.add(
        "x-wr-caldesc",
        f"Every open duty and window of the open cases{read}, as of {_day(as_of)}, "
        "made by csc-rules",
    )
    text: bytes = head.to_ical()
    end = b"END:VCALENDAR\r\n"
    yield text[: -len(end)]
    for item in items:
        yield event(item, as_of=as_of, back=back, alarm_days=alarm_days).to_ical()
    yield end


def event(
    item: DueItem, *, as_of: dt.date, back: CountBack, alarm_days: int | None = ALARM_DAYS
) -> Any:
    """One item as an all-day VEVENT on its due date."""
    icalendar = _icalendar()
    found = icalendar.Event()
    found.add("uid", uid(item))
    found.add("dtstamp", dt.datetime.combine(as_of, dt.time(), dt.timezone.utc))
    found.add("sequence", item.due.toordinal() - _EPOCH)
    found.add("dtstart", item.due)
    found.add("dtend", item.due + dt.timedelta(days=1))
    found.add("summary", f"{item.case}: {item.what}")
    found.add("description", description(item, as_of))
    found.add("categories", [item.status])
    found.add("transp", "TRANSPARENT")  # a deadline, not time taken up
    if alarm_days is not None:
        found.add_component(_alarm(icalendar, item, back(item, alarm_days), alarm_days))
    return found


def _alarm(icalendar: Any, item: DueItem, day: dt.date, alarm_days: int) -> Any:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", dt.timedelta(days=(day - item.due).days, hours=ALARM_HOUR))
    ahead = "today" if alarm_days == 0 else f"in {_working_days(alarm_days)}"
    alarm.add("description", f"Due {ahead}: {item.case}: {item.what} ({_day(item.due)})")
    return alarm


def description(item: DueItem, as_of: dt.date) -> str:
    """Who acts, the status and the working days left or late, in words."""
    lines = [
        f"{item.what}, case {item.case} ({item.council_name}).",
        f"Who acts: {item.actor_words}.",
        f"Due {_day(item.due)}: {standing(item)}, as of {_day(as_of)}.",
        f"Counted from {_day(item.start)}" + ("; extended." if item.extended else "."),
        f"Procedure {item.procedure}, {item.kind} {item.deadline}.",
    ]
    return "\n".join(lines)


def standing(item: DueItem) -> str:
    """`overdue, 3 working days late`, `pending, 1 working day left` or `pending, due today`."""
    if item.status == "overdue":
        late = item.working_days_late
        return "overdue" if late is None else f"overdue, {_working_days(late)} late"
    left = item.working_days_left
    if left is None:
        return item.status
    return (
        f"{item.status}, due today" if left == 0 else f"{item.status}, {_working_days(left)} left"
    )


def _working_days(n: int) -> str:
    return f"{n} working day" if n == 1 else f"{n} working days"


def _day(day: dt.date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def _icalendar() -> Any:
    try:
        import icalendar
    except ImportError:
        raise CommandError(
            "writing a calendar needs icalendar, in the export extra: pip install 'csc-rules[export]'",
            code="missing-extra",
        ) from None
    return icalendar


__all__ = ["ALARM_DAYS", "CountBack", "calendar_chunks", "description", "event", "standing", "uid"]
