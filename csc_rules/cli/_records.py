"""Where a command's case records are: the CASES argument and the options naming records kept
elsewhere (a workbook's sheet, a SQL database), given once here for every command that reads
cases."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

OPTIONS = [
    click.argument("cases", nargs=-1, type=click.Path(path_type=Path)),
    click.option(
        "--sql",
        metavar="URL",
        help="Also read the cases from this database: sqlite:///path/to/cases.db, or "
        "postgresql://user:password@host:5432/name (the password is never shown back). "
        "Needs --query.",
    ),
    click.option(
        "--query",
        type=click.Path(path_type=Path),
        metavar="FILE.sql",
        help="The SELECT that returns one row per event from --sql, its columns named in "
        "FILE.mapping.yaml beside it (as a CSV export's are).",
    ),
    click.option(
        "--mapping",
        type=click.Path(path_type=Path),
        metavar="FILE.yaml",
        help="The mapping of the query's columns, instead of the one beside the query file.",
    ),
    click.option(
        "--sheet",
        metavar="NAME",
        help="Read each workbook (.xlsx) from this sheet, instead of the one its mapping names.",
    ),
]


# How many processes replay the cases, for every command that reads a caseload.
JOBS = click.option(
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Spread the cases over N processes (default: the number of cores).",
)


# Where a command over a caseload writes its answer, instead of the screen.
OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write to this file (whole, or not at all) instead of the screen.",
)


def records(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the CASES argument and the options --sql, --query, --mapping and
    --sheet, and call it with `cases` the sources they name (application.cases.record_sources)."""

    @functools.wraps(command)
    def with_sources(
        *args: Any,
        cases: tuple[Path, ...],
        sql: str | None,
        query: Path | None,
        mapping: Path | None,
        sheet: str | None,
        **kwargs: Any,
    ) -> Any:
        from ..application.cases import record_sources

        sources = record_sources(cases, sql, query, mapping, sheet)
        return command(*args, cases=tuple(sources), **kwargs)

    for option in reversed(OPTIONS):
        with_sources = option(with_sources)
    return with_sources
