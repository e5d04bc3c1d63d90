"""The rows of a case system's CSV export, case by case, whatever their order (see `rows`: a
first quick read tells whether the rows of each case are together; if not, they are sorted by
case on disk in bounded runs); each row keeps its line, so a problem is located where it is."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..diagnostics import display_path
from .rows import CaseRows, Record, Table, check_header, grouped_cases, problem, record

ROW_BYTES = 1 << 20  # a row longer than this is refused, so memory stays bounded


def case_rows(export: Path, mapping: Mapping[str, Any]) -> Iterator[CaseRows]:
    """(reference, its rows as (line number, row), the header) for each case, its rows in date
    order (a day's in file order); a problem with the file itself is raised as a list of
    diagnostics in a CsvProblem. The cases come in file order when the rows of each are
    together, else in order of reference; either way memory does not grow with the export."""
    name = display_path(export)
    empty = "the export has a header but no rows: export the cases too"
    return grouped_cases(lambda: _table(export, name, mapping), name, mapping, empty)


@contextmanager
def _table(export: Path, name: str, mapping: Mapping[str, Any]) -> Iterator[Table]:
    try:
        handle = export.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise problem(
            name, 1, "file-unreadable", f"cannot read it: {exc.strerror or exc}"
        ) from None
    with handle:
        reader = csv.reader(_bounded(handle, name))
        header = _header(reader, name, mapping)
        yield header, _records(reader, header, mapping["columns"]["case"])


NOT_UTF8 = 'not UTF-8 text: save the export as UTF-8 ("CSV UTF-8")'


def _header(reader: Any, name: str, mapping: Mapping[str, Any]) -> list[str]:
    """The export's header, once it names every column the mapping does."""
    try:
        header: list[str] | None = next(reader, None)
    except UnicodeDecodeError:
        raise problem(name, 1, "binary-file", NOT_UTF8) from None
    except csv.Error as exc:
        raise problem(name, 1, "csv-syntax", f"the header cannot be read: {exc}") from None
    if header is None:
        raise problem(name, 1, "empty-file", "the export is empty: it needs a header row")
    check_header(header, name, mapping, "the export")
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
        elif (found := record(values, line, header, index)) is not None:
            yield found


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
