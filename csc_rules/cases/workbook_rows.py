"""The rows of a sheet of an Excel workbook (.xlsx), one per event, case by case, read as a CSV
export is read (`rows`), with the same mapping: openpyxl in read-only mode streams the rows, so
a workbook of any size is read in bounded memory.

A problem is located as `book.xlsx[Events]:12:3`: the workbook, the sheet in brackets, the row
and the column (3 is column C). Dates are read as Excel stores them (a date cell, or a serial
number in a column the mapping reads as a date) and as text in the mapping's `date_format`."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from ..diagnostics import display_path
from .rows import CaseRows, Record, Table, cell_text, check_header, grouped_cases, problem, record

# The first bytes of an OLE compound file: what Excel writes for a workbook encrypted with a
# password (the .xlsx inside is encrypted), and what an old .xls workbook is.
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What openpyxl raises for a file that is not a sound workbook, opened or read on.
BROKEN: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    EOFError,
)
EXTRA = "reading a workbook needs openpyxl: pip install 'csc-rules[excel]'"


def sheet_name(workbook: Path, mapping: Mapping[str, Any], sheet: str | None) -> str:
    """The sheet to read: `sheet` (from --sheet), else the mapping's `sheet:`, else the
    workbook's only sheet; a CsvProblem, located at the workbook, when it is not there or the
    workbook cannot be opened."""
    name = display_path(workbook)
    wanted = sheet or mapping.get("sheet")
    with _opened(workbook, name) as book:
        names = [str(title) for title in book.sheetnames]
    if not wanted and len(names) == 1:
        return names[0]
    if not wanted:
        raise problem(
            name,
            1,
            "missing-sheet",
            f"the workbook has {len(names)} sheets ({', '.join(names)}): say which holds the cases with `sheet:` in the mapping or --sheet",
        )
    if wanted not in names:
        raise problem(
            name,
            1,
            "missing-sheet",
            f'the workbook has no sheet "{wanted}"; its sheets are: {", ".join(names)}',
        )
    return str(wanted)


def case_rows(workbook: Path, mapping: Mapping[str, Any], sheet: str) -> Iterator[CaseRows]:
    """(reference, its rows as (row number, {column: cell}), the header) for each case of the
    sheet, as `csv_rows.case_rows` gives an export's; a problem with the workbook itself is
    raised as a CsvProblem."""
    name = located(workbook, sheet)
    empty = "the sheet has a header but no rows: put the cases under it"
    return grouped_cases(lambda: _table(workbook, sheet, mapping), name, mapping, empty)


def located(workbook: Path, sheet: str) -> str:
    """How a problem in the sheet names where it is: the workbook, the sheet in brackets."""
    return f"{display_path(workbook)}[{sheet}]"


@contextmanager
def _opened(workbook: Path, name: str) -> Iterator[Any]:
    """The workbook opened read-only (its cells' values, not their formulas)."""
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise problem(name, 1, "missing-library", EXTRA) from None
    try:
        with workbook.open("rb") as handle:
            start = handle.read(len(OLE))
    except OSError as exc:
        raise problem(
            name, 1, "file-unreadable", f"cannot read it: {exc.strerror or exc}"
        ) from None
    if start == OLE:
        raise problem(
            name,
            1,
            "protected-workbook",
            "the workbook is encrypted with a password, or is an old .xls workbook: csc-rules "
            "cannot open it; save a copy as .xlsx without a password to open it",
        )
    try:
        book = load_workbook(workbook, read_only=True, data_only=True)
    except BROKEN as exc:
        raise problem(
            name,
            1,
            "broken-workbook",
            f"not a workbook that can be read ({_why(exc)}): open it in Excel and save it again as .xlsx",
        ) from None
    try:
        yield book
    finally:
        book.close()


def _why(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


@contextmanager
def _table(workbook: Path, sheet: str, mapping: Mapping[str, Any]) -> Iterator[Table]:
    name = located(workbook, sheet)
    with _opened(workbook, display_path(workbook)) as book:
        rows = book[sheet].iter_rows(min_row=1, values_only=True)
        try:
            first = next(rows, None)
        except BROKEN as exc:
            raise problem(
                name, 1, "broken-workbook", f"the sheet cannot be read: {_why(exc)}"
            ) from None
        header = _header(first)
        if not header:
            raise problem(name, 1, "empty-file", "the sheet is empty: it needs a header row")
        check_header(header, name, mapping, "the sheet")
        yield header, _records(rows, header, mapping, book.epoch)


def _header(cells: tuple[Any, ...] | None) -> list[str]:
    """The header row's names, without the empty cells after the last."""
    names = [cell_text(cell, None).strip() for cell in cells or ()]
    while names and not names[-1]:
        names.pop()
    return names


def _records(
    rows: Iterator[tuple[Any, ...]], header: list[str], mapping: Mapping[str, Any], epoch: Any
) -> Iterator[Record]:
    """The sheet's rows after the header as records, numbered as Excel numbers them; a date
    column's serial numbers read as the days they stand for; blank rows skipped."""
    from openpyxl.utils.datetime import from_excel

    index = header.index(mapping["columns"]["case"])
    dates = {i for i, column in enumerate(header) if column in date_columns(mapping)}
    form = mapping.get("date_format")
    number = 1
    while True:
        number += 1
        try:
            cells = next(rows)
        except StopIteration:
            return
        except BROKEN as exc:
            yield (0, "", number, f"the sheet cannot be read on from here: {_why(exc)}")
            return
        values = []
        for i, cell in enumerate(cells):
            if i in dates and isinstance(cell, (int, float)) and not isinstance(cell, bool):
                cell = _serial(cell, epoch, from_excel)
            values.append(cell_text(cell, form))
        if (found := record(values, number, header, index)) is not None:
            yield found


def _serial(value: float, epoch: Any, from_excel: Any) -> Any:
    """The day an Excel serial number stands for; the number itself when it stands for none."""
    try:
        return from_excel(value, epoch)
    except (ValueError, OverflowError):
        return value


def date_columns(mapping: Mapping[str, Any]) -> set[str]:
    """The columns the mapping reads as dates: the events' dates, the fields ending in `_date`,
    and the facts the vocabulary says are dates."""
    from ..procedures.library import library

    found = {mapping["columns"]["date"]}
    fields = mapping.get("fields") or {}
    found |= {c for f, c in fields.items() if str(f).endswith("_date") and isinstance(c, str)}
    declared = library().vocabulary.facts()
    for fact, column in (mapping.get("facts") or {}).items():
        kind = (declared.get(fact) or declared.get(str(fact).rpartition(".")[0]) or {}).get("type")
        if kind == "date" and isinstance(column, str):
            found.add(column)
    return found
