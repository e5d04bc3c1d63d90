"""What is due, as the files a complaints team opens: a workbook for their spreadsheet and a
calendar for their diary, as bytes; and the list itself from cases sent as JSON lines, for the
HTTP API's `POST /cases/due`.

`due_items` has the contract of the list `csc-rules due` builds (the cases replayed as of a day,
every open duty and window of the open cases, overdue first, then by due date): the API's route
is built on it, and the command's list takes its place where both are present."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..errors import CaseError

if TYPE_CHECKING:
    from ..cases.case import Case
    from ..cases.results import Result
    from ..procedures.compiler import CompiledProcedure
    from ..reports.due import DueItem
    from ..reports.due_calendar import CountBack


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
    found, problems = due_lines(lines, as_of or dt.date.today(), within, name)
    if problems:
        raise CaseError(problems)
    return sorted(found, key=lambda i: i.sort_key())


def due_lines(
    lines: Sequence[tuple[int, bytes | None]],
    as_of: dt.date,
    within: int | None = None,
    name: str = "request",
) -> tuple[list[DueItem], list[Diagnostic]]:
    """The open duties and windows of some of the lines, in their order, and the problems of
    the lines that could not be evaluated, located at their lines: a piece of `due_items`, for
    a caller that reads the lines a piece at a time."""
    from ..cases.runner import evaluate_item

    found: list[DueItem] = []
    problems: list[Diagnostic] = []
    for number, line in lines:
        outcome = evaluate_item(
            ("line", name, number, line), as_of, False, count=functools.partial(_open, as_of)
        )
        if outcome.value is None:
            problems.extend(outcome.problems)
            continue
        found.extend(i for i in outcome.value if _within(i, within))
    return found, problems


def due_json(items: Sequence[DueItem], as_of: dt.date, within: int | None) -> dict[str, Any]:
    """The list as one JSON document: the day, the bound, the counts and the items."""
    return {
        "as_of": as_of.isoformat(),
        "within": within,
        "count": len(items),
        "overdue": sum(i.status == "overdue" for i in items),
        "pending": sum(i.status == "pending" for i in items),
        "items": [i.to_json() for i in items],
    }


def _within(item: DueItem, within: int | None) -> bool:
    left = item.working_days_left
    return within is None or item.status == "overdue" or (left is not None and left <= within)


def _open(as_of: dt.date, procedure: CompiledProcedure, case: Case, result: Result) -> list[Any]:
    """The open duties and windows of a case still open, as DueItems."""
    from ..reports.due import OPEN, DueItem

    if result.status != "open":
        return []
    council = procedure.id.split("/", 1)[0]
    items = []
    for deadline in result.deadlines:
        if deadline.status not in OPEN or deadline.due is None:
            continue
        rule = procedure.deadlines[deadline.id]
        items.append(
            DueItem(
                case=result.case,
                council=council,
                council_name=_council_name(council),
                procedure=procedure.id,
                deadline=deadline.id,
                kind=deadline.kind,
                what=rule.title,
                actor=rule.actor,
                actor_words=rule.actor.replace("-", " ").capitalize(),
                stage=result.stage,
                start=deadline.start,
                due=deadline.due,
                status=deadline.status,
                working_days_left=deadline.working_days_remaining,
                working_days_late=deadline.working_days_late,
                extended=deadline.extended,
            )
        )
    return items


def _council_name(council: str) -> str:
    """The council's name as its file gives it, else its id."""
    from ..procedures.library import library

    return _named(library().root, council)


@functools.cache
def _named(root: Path, council: str) -> str:
    from ..procedures.library import library
    from ..reading.locations import council_file

    path = council_file(council, root)
    if path is None:
        return council
    document, _ = library().files.load(path)
    data = document.data if document is not None else None
    name = data.get("name") if isinstance(data, Mapping) else None
    return str(name) if name else council
