"""What is due, as the files a complaints team opens: a workbook for their spreadsheet and a
calendar for their diary, as bytes; and the list itself from cases sent as JSON lines, for the
HTTP API's `POST /cases/due`.

The cases sent are listed by the same code as `csc-rules due` lists a caseload
(`reports.due_list.list_case`), and the JSON document is the one `due --format json` writes."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..errors import CaseError

if TYPE_CHECKING:
    from ..reports.due import DueItem
    from ..reports.due_calendar import CountBack
    from ..reports.due_list import Listed, Sieve, Totals


def workbook_bytes(items: Iterable[DueItem], as_of: dt.date, source: str) -> bytes:
    """The items as an Excel workbook (`due --format xlsx`), in the order given."""
    from ..reports.due_workbook import write_workbook

    out = io.BytesIO()
    write_workbook(items, out, as_of=as_of, source=source)
    return out.getvalue()


def calendar_bytes(
    items: Iterable[DueItem],
    as_of: dt.date,
    source: str = "",
    alarm_days: int | None = 2,
    name: str = "What is due",
) -> Iterator[bytes]:
    """The items as an iCalendar file (`due --format ics`), a piece at a time, each reminder
    `alarm_days` working days before the due date in the calendar of the item's procedure."""
    from ..reports.due_calendar import calendar_chunks

    return calendar_chunks(
        items, as_of=as_of, back=count_back(), alarm_days=alarm_days, name=name, source=source
    )


def count_back() -> CountBack:
    """The n-th working day before an item's due date, in the calendar its procedure carries
    (the version in force on the day its clock started: the calendar is the council's, the same
    in every version)."""
    from ..procedures.library import library

    compiled = library().compiled

    def back(item: DueItem, n: int) -> dt.date:
        return compiled.in_force(item.procedure, item.start).calendar.subtract(item.due, n)

    return back


# -- the list, from cases sent as JSON lines -------------------------------------------------


def due_items(
    lines: Sequence[tuple[int, bytes | None]],
    as_of: dt.date | None,
    within: int | None = None,
    name: str = "request",
) -> list[DueItem]:
    """Every open duty and window of the open cases the numbered JSON lines hold, as of the day
    (default today), overdue first, then by due date; with `within`, only what is overdue or
    due within that many working days. A line that is not a case the engine can evaluate is an
    error located at its line, every such line in one CaseError: a list missing a case would
    look complete and is not."""
    from ..reports.due_list import Sieve

    listed, problems = due_lines(lines, Sieve(as_of or dt.date.today(), within), name)
    if problems:
        raise CaseError(problems)
    return sorted((i for case in listed for i in case.items), key=lambda i: i.sort_key())


def due_lines(
    lines: Sequence[tuple[int, bytes | None]], sieve: Sieve, name: str = "request"
) -> tuple[list[Listed], list[Diagnostic]]:
    """What each case of some of the lines gives the list, as `csc-rules due` makes it (see
    `reports.due_list.list_case`), and the problems of the lines that could not be evaluated,
    located at their lines: a piece of the list, for a caller that reads the lines a piece at a
    time."""
    from ..cases.runner import evaluate_item
    from ..reports.due_list import list_case

    found: list[Listed] = []
    problems: list[Diagnostic] = []
    count = functools.partial(list_case, sieve)
    for number, line in lines:
        outcome = evaluate_item(("line", name, number, line), sieve.as_of, False, count=count)
        if outcome.value is None:
            problems.extend(outcome.problems)
            continue
        found.append(outcome.value)
    return found, problems


def due_totals(as_of: dt.date, within: int | None = None) -> Totals:
    """What a list as of the day (and within so many working days) counts as it is made."""
    from ..reports.due_list import Sieve, Totals

    return Totals(Sieve(as_of, within))


def due_document(items: Sequence[DueItem], totals: Totals) -> dict[str, Any]:
    """The list as the one JSON document `csc-rules due --format json` writes."""
    sieve = totals.sieve
    return {
        "as_of": sieve.as_of.isoformat(),
        "within": sieve.within,
        "council": sieve.council,
        "stage": sieve.stage,
        "items": [i.to_json() for i in items],
        "summary": totals.to_json(),
    }
