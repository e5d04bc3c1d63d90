"""The rows of a case system's CSV export, case by case, whatever their order.

A first quick read tells whether the rows of each case are together. If they are, the cases are
read in file order, a case at a time. If not (an export sorted by date), the rows are sorted by
case on disk in bounded runs and merged (`_bounded_sort`), so memory does not grow with the
export either way; each row keeps its line, so a problem is still located where it is."""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, Diagnostic, display_path
from ..errors import CsvProblem
from ._bounded_sort import bounded_sort
from .case_csv import read_date

ROW_BYTES = 1 << 20  # a row longer than this is refused, so memory stays bounded

# A row of the export as read: (0, "", line, what is wrong) for a row that cannot belong to a
# case (reported as an item of its own), else (1, reference, line, its cells). As tuples they
# sort problems first in line order, then by case and line: sorting groups an export's cases.
Record = tuple[int, str, int, Any]
RECENT = 10_000  # references of the latest cases kept in memory, to see a case reappear early


def case_rows(
    export: Path, mapping: Mapping[str, Any]
) -> Iterator[tuple[str, list[tuple[int, dict[str, str]]], list[str]]]:
    """(reference, its rows as (line number, row), the header) for each case, its rows in date
    order (a day's in file order); a problem with the file itself is raised as a list of
    diagnostics in a CsvProblem.

    A first quick read says whether the rows of each case are together. If they are, the cases
    come in file order, a case at a time; if not (an export sorted by date), the rows are sorted
    by case on disk, a bounded run at a time, and the cases come in order of reference. Either
    way memory does not grow with the export."""
    name = display_path(export)
    column = mapping["columns"]["case"]
    try:
        with _reader(export, name) as reader:
            header = _header(reader, name, mapping)
            grouped = _grouped(_records(reader, header, column))
        with _reader(export, name) as reader:
            header = _header(reader, name, mapping)
            records = _records(reader, header, column)
            cases = _cases(records if grouped else bounded_sort(records, _weight), name, header)
            for reference, rows, columns in cases:
                yield reference, _by_date(rows, mapping), columns
    except OSError as exc:  # reading the export is not: `_records` reports that at its line
        raise _problem(
            name,
            1,
            "file-unwritable",
            f"grouping the rows of an export this long by case needs room for temporary files in {tempfile.gettempdir()}: {exc.strerror or exc}; "
            "make room there, or set TMPDIR to a folder with room",
        ) from None


@contextmanager
def _reader(export: Path, name: str) -> Iterator[Any]:
    try:
        handle = export.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise _problem(
            name, 1, "file-unreadable", f"cannot read it: {exc.strerror or exc}"
        ) from None
    with handle:
        yield csv.reader(_bounded(handle, name))


def _problem(name: str, line: int, code: str, message: str) -> CsvProblem:
    return CsvProblem([Diagnostic(name, line, 1, ERROR, code, message)])


NOT_UTF8 = 'not UTF-8 text: save the export as UTF-8 ("CSV UTF-8")'


def _header(reader: Any, name: str, mapping: Mapping[str, Any]) -> list[str]:
    """The export's header, once it names every column the mapping does."""
    try:
        header: list[str] | None = next(reader, None)
    except UnicodeDecodeError:
        raise _problem(name, 1, "binary-file", NOT_UTF8) from None
    except csv.Error as exc:
        raise _problem(name, 1, "csv-syntax", f"the header cannot be read: {exc}") from None
    if header is None:
        raise _problem(name, 1, "empty-file", "the export is empty: it needs a header row")
    missing = [c for c in _columns(mapping) if c not in header]
    if missing:
        raise _problem(
            name,
            1,
            "unknown-column",
            f"the mapping names column(s) the export does not have: {', '.join(missing)}; it has {', '.join(header)}",
        )
    return header


def _records(reader: Any, header: list[str], column: str) -> Iterator[Record]:
    """The export's rows after the header as records; blank rows are skipped."""
    index = header.index(column)
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            yield (0, "", line, NOT_UTF8)
            return  # the rest of the file cannot be read reliably
        except OSError as exc:
            yield (0, "", line, f"cannot read on from here: {exc.strerror or exc}")
            return
        except csv.Error as exc:
            yield (0, "", line, str(exc))
            continue
        if values == [TOO_LONG]:
            message = f"this row is longer than {ROW_BYTES // (1 << 20)} MiB: it cannot be a case record; fix the export"
            yield (0, "", line, message)
        elif not any(v.strip() for v in values):
            continue
        elif any(v.strip() for v in values[len(header) :]):
            message = f"this row has {len(values)} cells, more than the header's {len(header)} columns: fix the row or the header"
            yield (0, "", line, message)
        elif not (reference := values[index].strip() if index < len(values) else ""):
            message = f"this row gives no case reference in column `{column}`: fill it in, or delete the row"
            yield (0, "", line, message)
        else:
            yield (1, reference, line, values)


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


def _by_date(
    rows: list[tuple[int, dict[str, str]]], mapping: Mapping[str, Any]
) -> list[tuple[int, dict[str, str]]]:
    """A case's rows in date order, the rows of a day in file order: an export sorted newest
    first, or by anything but date, reads as its cases happened. Left as they are when a date
    cannot be read, for that to be reported."""
    if len(rows) < 2:
        return rows
    column = mapping["columns"]["date"]
    read = [read_date(row.get(column, "").strip(), mapping)[0] for _, row in rows]
    days = [day for day in read if day is not None]
    if len(days) < len(rows) or days == sorted(days):
        return rows
    return [rows[i] for i in sorted(range(len(rows)), key=days.__getitem__)]


def _cases(
    records: Iterable[Record], name: str, header: list[str]
) -> Iterator[tuple[str, list[tuple[int, dict[str, str]]], list[str]]]:
    """Each case as `case_rows` gives it, from records in which its rows are together; a row
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
            yield current, rows, header
            rows = []
        current = reference
        rows.append((line, dict(zip(header, cells, strict=False))))
    if rows:
        yield current, rows, header
    if not read:
        raise _problem(
            name, 2, "empty-file", "the export has a header but no rows: export the cases too"
        )


TOO_LONG = "\ufffecsc-rules: row too long\ufffe"  # stands in for a row past ROW_BYTES


def _bounded(handle: io.TextIOBase, name: str) -> Iterator[str]:
    """The export's lines, a line past ROW_BYTES replaced by a marker (reported as that row's
    problem) rather than held in memory. A line is read in pieces, so memory stays bounded."""
    while True:
        line = handle.readline(ROW_BYTES + 1)
        if not line:
            return
        if len(line) > ROW_BYTES and not line.endswith("\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith("\n"):
                pass
            yield TOO_LONG + "\n"
            continue
        yield line


def _columns(mapping: Mapping[str, Any]) -> list[str]:
    wanted = list(mapping["columns"].values())
    procedure = mapping.get("procedure")
    if isinstance(procedure, dict):
        wanted.append(procedure["column"])
    wanted += [c for c in (mapping.get("fields") or {}).values() if isinstance(c, str)]
    wanted += [c for c in (mapping.get("facts") or {}).values() if isinstance(c, str)]
    return list(dict.fromkeys(wanted))
