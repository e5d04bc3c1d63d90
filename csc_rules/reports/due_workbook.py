"""What is due as an Excel workbook: the list on a sheet of its own, with real date cells, a
header row that stays in view and a filter on every column, and a second sheet saying what the
list is (the day asked about, the input, the counts).

Written with openpyxl in its write-only mode, a row at a time, so a list of any length takes
flat memory; a list longer than a sheet holds goes on over further sheets, each with its header,
never cut short. Needs the `export` extra (`pip install 'csc-rules[export]'`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from .._version import __version__
from ..errors import CommandError
from .due import DueItem

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# Excel's most rows on a sheet, the header's included.
SHEET_ROWS = 1_048_576
# Day first, as English councils write dates; the cell holds the date itself, so a reader in
# another locale or a program sees the same day.
DATE_FORMAT = "dd/mm/yyyy"
SHEET = "Due"
ABOUT = "About"

# The columns of the list: the header, the width in characters, and the value of an item.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Case", 18),
    ("Council", 22),
    ("What is due", 34),
    ("Who acts", 24),
    ("Due", 12),
    ("Weekday", 11),
    ("Status", 10),
    ("Working days left", 10),
    ("Working days late", 10),
    ("Extended", 9),
    ("Stage", 10),
    ("From", 12),
    ("Kind", 8),
    ("Deadline", 26),
    ("Procedure", 30),
)


def row(item: DueItem) -> tuple[Any, ...]:
    """An item's cells, in the order of COLUMNS."""
    return (
        item.case,
        item.council_name,
        item.what,
        item.actor_words,
        item.due,
        item.due.strftime("%A"),
        item.status,
        item.working_days_left,
        item.working_days_late,
        "yes" if item.extended else "no",
        item.stage,
        item.start,
        item.kind,
        item.deadline,
        item.procedure,
    )


@dataclass
class Counts:
    """What the list holds, counted as it is written."""

    items: int = 0
    overdue: int = 0
    pending: int = 0
    cases: set[str] = field(default_factory=set)

    def add(self, item: DueItem) -> None:
        self.items += 1
        self.overdue += item.status == "overdue"
        self.pending += item.status == "pending"
        self.cases.add(f"{item.council}\n{item.case}")


def write_workbook(
    items: Iterable[DueItem],
    out: IO[bytes],
    *,
    as_of: dt.date,
    source: str,
    sheet_rows: int = SHEET_ROWS,
) -> Counts:
    """Write the items, in the order given, as a workbook to `out` (a binary file), with `source`
    (what the cases were read from) and the counts on the About sheet; the counts written."""
    openpyxl = _openpyxl()
    book = openpyxl.Workbook(write_only=True)
    counts = Counts()
    sheet, used = _list_sheet(book, SHEET), 1
    for item in items:
        if used == sheet_rows:  # full: the list goes on over the next sheet
            _close_filter(sheet, used)
            sheet, used = _list_sheet(book, f"{SHEET} ({len(book.worksheets) + 1})"), 1
        sheet.append(_cells(sheet, row(item)))
        counts.add(item)
        used += 1
    _close_filter(sheet, used)
    _about(book, as_of, source, counts)
    book.save(out)
    return counts


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise CommandError(
            "writing a workbook needs openpyxl, in the export extra: pip install 'csc-rules[export]'",
            code="missing-extra",
        ) from None
    return openpyxl


def _list_sheet(book: Workbook, title: str) -> WriteOnlyWorksheet:
    """A sheet for the list: widths and the frozen header set before its first row, as
    write-only sheets need."""
    from openpyxl.utils import get_column_letter

    sheet: WriteOnlyWorksheet = book.create_sheet(title)
    for number, (_, width) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, [name for name, _ in COLUMNS]))
    return sheet


def _close_filter(sheet: WriteOnlyWorksheet, rows: int) -> None:
    """A filter over the header and every row written (the sheet writes it after its rows)."""
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{rows}"


def _header(sheet: WriteOnlyWorksheet, names: list[str]) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _cells(sheet: WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    """Dates as date cells; text always as text, so a case reference that begins with `=` is
    never taken for a formula, and characters a workbook cannot hold are written as escapes."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = []
    for value in values:
        if isinstance(value, str):
            text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
            cell = WriteOnlyCell(sheet)
            cell.value = text
            cell.data_type = "s"
        else:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
        cells.append(cell)
    return cells


def _about(book: Workbook, as_of: dt.date, source: str, counts: Counts) -> None:
    sheet = book.create_sheet(ABOUT)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 60
    lines: list[tuple[str, Any]] = [
        ("What is due", "every open duty and window of the open cases, overdue first"),
        ("As of", as_of),
        ("Cases read from", source),
        ("Lines", counts.items),
        ("Overdue", counts.overdue),
        ("Pending", counts.pending),
        ("Cases with something due", len(counts.cases)),
        ("Sheets of the list", len(book.worksheets) - 1),
        ("Made by", f"csc-rules {__version__}"),
    ]
    for label, value in lines:
        sheet.append([*_header(sheet, [label]), *_cells(sheet, [value])])


__all__ = ["COLUMNS", "DATE_FORMAT", "SHEET_ROWS", "Counts", "row", "write_workbook"]
