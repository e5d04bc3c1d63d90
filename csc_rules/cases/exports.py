"""Case records where a case system keeps them, one row per event: a CSV export, a sheet of a
workbook, or what a SQL query returns; each read with its column mapping, a case at a time,
into the items `runner` reads (a case's rows, or the problem that stopped the reading)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from ..diagnostics import display_path
from ..errors import CsvProblem
from .rows import CaseRows


@dataclass(frozen=True)
class Sheet:
    """A workbook, or a folder of them, to be read from the sheet named on the command line
    (`--sheet`) rather than the one its mapping names."""

    path: Path
    sheet: str


@dataclass(frozen=True)
class Query:
    """Case records a SQL query returns (`--sql URL --query FILE.sql`): the database's URL, the
    file holding the query, and the mapping of its columns (`--mapping`; by default the one
    beside the query, FILE.mapping.yaml)."""

    url: str
    file: Path
    mapping: Path | None = None

    @property
    def name(self) -> str:
        """How a problem in the query's result names where it is: `cases.sql[result]`, then
        the row (the first the query returns is row 1) and the column."""
        return f"{display_path(self.file)}[result]"


# Where cases are read from: a path (a case file, a folder, a .jsonl file, an export or a
# workbook), a workbook read from a sheet named apart, or a SQL query.
Source = Union[Path, Sheet, Query]  # noqa: UP007 (a type alias made at run time, on Python 3.10)


def source_path(source: Source) -> Path:
    """The file or folder a source names: for a query, the file holding it."""
    return (
        source
        if isinstance(source, Path)
        else source.path
        if isinstance(source, Sheet)
        else source.file
    )


PART = re.compile(r"\[[^\[\]]*\]$")


def file_of(place: str) -> str:
    """The file a problem's place names, without the sheet or `[result]` in brackets after it."""
    return PART.sub("", place)


Item = tuple[Any, ...]


def csv_items(path: Path) -> Iterator[Item]:
    """One item per case of a CSV export, read a case at a time (see `csv_rows`)."""
    from .case_csv import mapping_path, read_mapping
    from .csv_rows import case_rows

    name = display_path(path)
    mapping, problems = read_mapping(path)
    if mapping is None:
        yield ("error", name, tuple(problems))
        return
    yield from _mapped(name, lambda: case_rows(path, mapping), mapping, mapping_path(path))


def workbook_items(path: Path, sheet: str | None = None) -> Iterator[Item]:
    """One item per case of a sheet of a workbook (`sheet`, else the one its mapping names)."""
    from .case_csv import mapping_path, read_mapping
    from .workbook_rows import case_rows, located, sheet_name

    name = display_path(path)
    mapping, problems = read_mapping(path, what="a workbook")
    if mapping is None:
        yield ("error", name, tuple(problems))
        return
    try:
        chosen = sheet_name(path, mapping, sheet)
    except CsvProblem as exc:
        yield ("error", name, tuple(exc.diagnostics))
        return
    rows = lambda: case_rows(path, mapping, chosen)  # noqa: E731
    yield from _mapped(located(path, chosen), rows, mapping, mapping_path(path))


def query_items(query: Query) -> Iterator[Item]:
    """One item per case of what a SQL query returns (see `sql_rows`)."""
    from .case_csv import mapping_path, read_mapping
    from .sql_rows import case_rows

    mapping, problems = read_mapping(query.file, query.mapping, what="a SQL query")
    if mapping is None:
        yield ("error", query.name, tuple(problems))
        return
    rows = lambda: case_rows(query, mapping)  # noqa: E731
    yield from _mapped(query.name, rows, mapping, query.mapping or mapping_path(query.file))


def _mapped(
    name: str,
    cases: Callable[[], Iterator[CaseRows]],
    mapping: dict[str, Any],
    mapping_file: Path,
) -> Iterator[Item]:
    shown = display_path(mapping_file)
    try:
        for reference, rows, header in cases():
            yield ("csv", name, reference, rows, header, mapping, shown)
    except CsvProblem as exc:
        yield ("error", name, tuple(exc.diagnostics))
