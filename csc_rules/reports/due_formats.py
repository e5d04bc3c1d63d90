"""The daily list written out: text and markdown for people, JSON and CSV for other systems.

Every format takes the items as they come (already in order) and writes each as it comes, so a
list of any length needs no more memory than one item; what was counted (`Totals`) is complete
once the last item is out, so the closing note and JSON's summary come last. `FORMATS` is the
one table of formats: another format is one more entry."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from .due import DueItem
from .due_list import NOT_OPEN, OTHER_COUNCIL, OTHER_STAGE, RECEIVED_LATER, Totals


@dataclass(frozen=True)
class Listing:
    """A list to write: its items in order, what was counted making it, and the options a
    format may take (a calendar's alarm, say)."""

    items: Iterable[DueItem]
    totals: Totals
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Format:
    """One way of writing the list: `write(listing, out)`, to a binary stream if `binary`."""

    write: Callable[[Listing, IO[Any]], None]
    binary: bool = False
    note_on_stderr: bool = False  # the closing note has no place in the file itself


def _days(n: int) -> str:
    return f"{n} working day{'s' * (n != 1)}"


def when(item: DueItem) -> str:
    """How near or late it is: `3 working days left`, `due today`, `2 working days late`."""
    if item.working_days_late is not None:
        return f"{_days(item.working_days_late)} late"
    if item.working_days_left == 0:
        return "due today"
    if item.working_days_left is not None:
        return f"{_days(item.working_days_left)} left"
    return ""


def _due(item: DueItem) -> str:
    return f"{item.due:%a} {item.due.isoformat()}"


def _heading(totals: Totals) -> str:
    sieve = totals.sieve
    horizon = f" within {_days(sieve.within)}" if sieve.within is not None else ""
    only = [f"council {sieve.council}"] if sieve.council else []
    only += [f"stage {sieve.stage}"] if sieve.stage else []
    scope = f" ({', '.join(only)})" if only else ""
    return f"What is due{horizon} as of {sieve.as_of:%A} {sieve.as_of.isoformat()}{scope}"


def closing_note(totals: Totals) -> list[str]:
    """What the list counted, and everything it left out, in sentences."""
    lines = [
        f"{totals.items} open deadline{'s' * (totals.items != 1)} ({totals.overdue} overdue, "
        f"{totals.pending} not yet due) in {totals.listed_cases} of {totals.open_cases} open "
        f"case{'s' * (totals.open_cases != 1)}; {totals.cases} case"
        f"{'s' * (totals.cases != 1)} read."
    ]
    left = totals.left_out
    reasons = [
        (totals.undated, "open deadline(s) with no due date (the documents state no limit)"),
        (totals.later, f"deadline(s) due after the next {_days(totals.sieve.within or 0)}"),
        (left[NOT_OPEN], "case(s) no longer open (resolved, withdrawn, referred or ended)"),
        (left[RECEIVED_LATER], "case(s) received after the day asked about"),
        (left[OTHER_COUNCIL], "case(s) of other councils"),
        (left[OTHER_STAGE], "case(s) at other stages"),
    ]
    lines += [f"Not listed: {count} {what}." for count, what in reasons if count]
    if totals.failed:
        lines.append(f"{totals.failed} case(s) could not be read or replayed: see the errors.")
    return lines


def write_text(listing: Listing, out: IO[str]) -> None:
    totals = listing.totals
    out.write(_heading(totals) + "\n")
    section = None
    for item in listing.items:
        if item.status != section:
            section = item.status
            out.write("\nOverdue\n" if section == "overdue" else "\nDue\n")
        extended = ", extended" if item.extended else ""
        out.write(
            f"  {_due(item)}  {when(item):<22}  {item.case:<16}  "
            f"{item.what} ({item.actor_words}{extended}), {item.council_name}\n"
        )
    if section is None:
        out.write("\nNothing is due.\n")
    out.write("\n" + "\n".join(closing_note(totals)) + "\n")


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def write_markdown(listing: Listing, out: IO[str]) -> None:
    totals = listing.totals
    out.write(f"# {_heading(totals)}\n")
    section = None
    for item in listing.items:
        if item.status != section:
            section = item.status
            out.write("\n## Overdue\n\n" if section == "overdue" else "\n## Due\n\n")
            out.write("| Due | | Case | Council | What is due | Who acts | Extended |\n")
            out.write("|---|---|---|---|---|---|---|\n")
        cells = (
            _due(item),
            when(item),
            item.case,
            item.council_name,
            item.what,
            item.actor_words,
            "yes" if item.extended else "",
        )
        out.write("| " + " | ".join(_cell(c) for c in cells) + " |\n")
    if section is None:
        out.write("\nNothing is due.\n")
    out.write("\n" + "\n".join(f"- {line}" for line in closing_note(totals)) + "\n")


def write_json(listing: Listing, out: IO[str]) -> None:
    """One document, `{"as_of", ..., "items": [...], "summary": {...}}`, written as it grows."""
    sieve = listing.totals.sieve
    head = {
        "as_of": sieve.as_of.isoformat(),
        "within": sieve.within,
        "council": sieve.council,
        "stage": sieve.stage,
    }
    out.write(json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "items": [')
    written = 0
    for item in listing.items:
        text = json.dumps(item.to_json(), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        out.write(("\n    " if not written else ",\n    ") + text)
        written += 1
    closing = "\n  ]" if written else "]"
    summary = json.dumps(listing.totals.to_json(), indent=2).replace("\n", "\n  ")
    out.write(f'{closing},\n  "summary": {summary}\n}}\n')


# CSV's columns: every field of an item, as its JSON names them.
CSV_COLUMNS = [
    "case",
    "council",
    "council_name",
    "procedure",
    "deadline",
    "kind",
    "what",
    "actor",
    "actor_words",
    "stage",
    "from",
    "due",
    "weekday",
    "status",
    "working_days_left",
    "working_days_late",
    "extended",
]


def _csv_text(value: Any) -> str:
    """A cell as a spreadsheet will take it: a text that would start a formula is quoted with
    an apostrophe, so that a reference such as `=HYPERLINK(...)` stays text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, str):
        return str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_csv(listing: Listing, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in listing.items:
        data = item.to_json()
        writer.writerow([_csv_text(data[column]) for column in CSV_COLUMNS])


def write_workbook(listing: Listing, out: IO[bytes]) -> None:
    """An Excel workbook (see `due_workbook`): the list, and what it was made from."""
    from .due_workbook import write_workbook as write

    write(
        listing.items,
        out,
        as_of=listing.totals.sieve.as_of,
        source=str(listing.options.get("source", "")),
    )


def write_calendar(listing: Listing, out: IO[bytes]) -> None:
    """An iCalendar file (see `due_calendar`), each reminder `alarm_days` working days before
    the due date, counted back by the `back` the options give (each procedure's calendar)."""
    from .due_calendar import calendar_chunks

    options = listing.options
    for chunk in calendar_chunks(
        listing.items,
        as_of=listing.totals.sieve.as_of,
        back=options["back"],
        alarm_days=options.get("alarm_days"),
        source=str(options.get("source", "")),
    ):
        out.write(chunk)


FORMATS: dict[str, Format] = {
    "text": Format(write_text),
    "markdown": Format(write_markdown),
    "json": Format(write_json),
    "csv": Format(write_csv, note_on_stderr=True),
    "xlsx": Format(write_workbook, binary=True, note_on_stderr=True),
    "ics": Format(write_calendar, binary=True, note_on_stderr=True),
}
