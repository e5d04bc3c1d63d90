"""Rows of case records, one per event (a CSV export, a sheet of a workbook, a query's result),
made into cases: each row checked, then grouped by reference in bounded memory.

Each reader (csv_rows, workbook_rows, sql_rows) turns its rows into `Record`s; this module holds
what they share: the check of the header against the mapping, the check of a row, the grouping
(in the order read when the rows of each case are together, else sorted on disk by
`_bounded_sort`), and a case's rows in date order."""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from ..diagnostics import ERROR, Diagnostic
from ..errors import CsvProblem
from ._bounded_sort import bounded_sort
from .case_csv import read_date

# A row as read: (0, "", line, what is wrong) for a row that cannot belong to a case (reported
# as an item of its own), else (1, reference, line, its cells). As tuples they sort problems
# first in line order, then by case and line: sorting groups the cases.
Record = tuple[int, str, int, Any]
# A case as the readers give it: its reference, its rows as (line, {column: cell}), the header.
CaseRows = tuple[str, list[tuple[int, dict[str, str]]], list[str]]
# An open table: its header and its records; opened twice when the grouping is checked first.
Table = tuple[list[str], Iterator[Record]]
RECENT = 10_000  # references of the latest cases kept in memory, to see a case reappear early


def problem(name: str, line: int, code: str, message: str, column: int = 1) -> CsvProblem:
    return CsvProblem([Diagnostic(name, line, column, ERROR, code, message)])


def mapped_columns(mapping: Mapping[str, Any]) -> list[str]:
    """Every column the mapping names, once each, in the order it names them."""
    wanted = list(mapping["columns"].values())
    procedure = mapping.get("procedure")
    if isinstance(procedure, dict):
        wanted.append(procedure["column"])
    wanted += [c for c in (mapping.get("fields") or {}).values() if isinstance(c, str)]
    wanted += [c for c in (mapping.get("facts") or {}).values() if isinstance(c, str)]
    return list(dict.fromkeys(wanted))


def check_header(header: list[str], name: str, mapping: Mapping[str, Any], holder: str) -> None:
    """The header names every column the mapping does; `holder` says whose header it is in the
    message ("the export", "the sheet", "the query's result")."""
    missing = [c for c in mapped_columns(mapping) if c not in header]
    if missing:
        raise problem(
            name,
            1,
            "unknown-column",
            f"the mapping names column(s) {holder} does not have: {', '.join(missing)}; it has {', '.join(header)}",
        )


def record(values: list[str], line: int, header: list[str], index: int) -> Record | None:
    """A row of cells as a record; None for a blank row, which is skipped."""
    if not any(v.strip() for v in values):
        return None
    if any(v.strip() for v in values[len(header) :]):
        message = f"this row has {len(values)} cells, more than the header's {len(header)} columns: fix the row or the header"
        return (0, "", line, message)
    if not (reference := values[index].strip() if index < len(values) else ""):
        message = f"this row gives no case reference in column `{header[index]}`: fill it in, or delete the row"
        return (0, "", line, message)
    return (1, reference, line, values)


def grouped_cases(
    open_table: Callable[[], AbstractContextManager[Table]],
    name: str,
    mapping: Mapping[str, Any],
    empty: str,
) -> Iterator[CaseRows]:
    """Each case of a table read twice: a first quick read says whether the rows of each case
    are together; if they are, the cases come in the order read, a case at a time; if not, the
    rows are sorted by case on disk, a bounded run at a time, and the cases come in order of
    reference. `empty` is the message for a table with a header but no rows."""
    with _room_to_sort(name):
        with open_table() as (_, records):
            grouped = _grouped(records)
        with open_table() as (header, records):
            ordered = records if grouped else bounded_sort(records, _weight)
            yield from _cases(ordered, name, header, mapping, empty)


def sorted_cases(
    table: Table, name: str, mapping: Mapping[str, Any], empty: str
) -> Iterator[CaseRows]:
    """Each case of a table read once, in order of reference, its rows sorted on disk by case
    (in the order read within a case): for rows that cannot be read twice the same, such as a
    query's, whose order the database does not promise."""
    header, records = table
    with _room_to_sort(name):
        yield from _cases(bounded_sort(records, _weight), name, header, mapping, empty, 1)


@contextmanager
def _room_to_sort(name: str) -> Iterator[None]:
    """No room for the temporary files of the sort: one problem saying where room is needed
    (a failure to read the rows themselves is not this: each reader reports that at its row)."""
    try:
        yield
    except OSError as exc:
        raise problem(
            name,
            1,
            "file-unwritable",
            f"grouping these rows by case needs room for temporary files in {tempfile.gettempdir()}: {exc.strerror or exc}; "
            "make room there, or set TMPDIR to a folder with room",
        ) from None


def _grouped(records: Iterator[Record]) -> bool:
    """Whether the rows of each case are together. The reference starting each run of rows is
    looked for among the latest cases' (a case seen again ends the read early) and, to be sure
    of the others in bounded memory, among all of them once sorted."""
    recent: set[str] = set()
    apart = False

    def starts() -> Iterator[str]:
        nonlocal apart
        previous = None
        for order, reference, _, _ in records:
            if order == 0 or reference == previous:
                continue
            if reference in recent:
                apart = True
                return
            if len(recent) >= RECENT:
                recent.clear()
            recent.add(reference)
            previous = reference
            yield reference

    ordered = bounded_sort(starts(), lambda reference: len(reference) + 64)
    repeated = any(a == b for a, b in itertools.pairwise(ordered))
    return not (apart or repeated)


def _weight(record: Record) -> int:
    """About the bytes a record holds in memory: a string costs some 50 bytes besides its text."""
    cells = record[3]
    return 120 + (len(cells) if isinstance(cells, str) else sum(len(c) + 56 for c in cells))


def _cases(
    records: Iterable[Record],
    name: str,
    header: list[str],
    mapping: Mapping[str, Any],
    empty: str,
    empty_line: int = 2,
) -> Iterator[CaseRows]:
    """Each case from records in which its rows are together, its rows in date order; a row
    that cannot belong to a case is an item of its own, labelled by its line."""
    current = ""
    rows: list[tuple[int, dict[str, str]]] = []
    read = False
    for order, reference, line, cells in records:
        read = True
        if order == 0:
            yield f"{name}:{line}", [(line, {"__error__": cells})], header
            continue
        if reference != current and rows:
            yield current, by_date(rows, mapping), header
            rows = []
        current = reference
        rows.append((line, dict(zip(header, cells, strict=False))))
    if rows:
        yield current, by_date(rows, mapping), header
    if not read:
        raise problem(name, empty_line, "empty-file", empty)


def by_date(
    rows: list[tuple[int, dict[str, str]]], mapping: Mapping[str, Any]
) -> list[tuple[int, dict[str, str]]]:
    """A case's rows in date order, the rows of a day in the order read: an export sorted
    newest first, or by anything but date, reads as its cases happened. Left as they are when a
    date cannot be read, for that to be reported."""
    if len(rows) < 2:
        return rows
    column = mapping["columns"]["date"]
    read = [read_date(row.get(column, "").strip(), mapping)[0] for _, row in rows]
    days = [day for day in read if day is not None]
    if len(days) < len(rows) or days == sorted(days):
        return rows
    return [rows[i] for i in sorted(range(len(rows)), key=days.__getitem__)]


def cell_text(value: Any, date_format: str | None) -> str:
    """A cell as the text a CSV export would hold: a date (a workbook's date cell, a database's
    date column) written in the mapping's date format, so that it reads back as that day; a
    whole number without a decimal point; yes or no for a truth value; nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime(date_format) if date_format else value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, decimal.Decimal) and value.is_finite():
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return str(value)
