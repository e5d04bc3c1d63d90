"""The rows a SQL query returns, one per event, case by case, read as a CSV export is read
(`rows`), with the same mapping: SQLite (the embedded default) or PostgreSQL through SQLAlchemy.

The database is only read: a SQLite file is opened read-only (and never made when it is not
there), a PostgreSQL transaction is set read-only. The query's rows are streamed and sorted by
case on disk in bounded runs (`rows.sorted_cases`), so no ORDER BY is needed and memory does
not grow with the result; a case's rows keep the query's order within a day. A problem in a row
is located as `cases.sql[result]:5:2`: the 5th row the query returned, its 2nd column. The
database's URL is never shown with its password."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import display_path
from .rows import CaseRows, Record, cell_text, check_header, problem, record, sorted_cases

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine

    from .exports import Query

EXTRA = "reading a SQL database needs SQLAlchemy: pip install 'csc-rules[sql]'"
FORM = "sqlite:///path/to/cases.db or postgresql://user:password@host:5432/database"
FETCH = 1000  # rows fetched from the database at a time
CONNECT_SECONDS = 10  # a server that does not answer is reported rather than waited on


def case_rows(query: Query, mapping: Mapping[str, Any]) -> Iterator[CaseRows]:
    """(reference, its rows as (row number, {column: cell}), the header) for each case the
    query returns, in order of reference; a problem with the database or the query itself is
    raised as a CsvProblem, with the password masked."""
    secret = _Secret(query.url)
    sql = _query_text(query.file)
    place = display_path(query.file)
    engine = _engine(query.url, secret, place)  # first: it says so when SQLAlchemy is missing
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with _connected(engine, secret, place) as connection:
            try:
                result = connection.execution_options(
                    stream_results=True, yield_per=FETCH
                ).exec_driver_sql(sql)
            except SQLAlchemyError as exc:
                raise problem(
                    place, 1, "query-failed", f"the query failed: {secret.hide(_why(exc))}"
                ) from None
            try:
                yield from _cases(result, query, mapping, secret)
            finally:  # a server-side cursor is closed, however the reading ends
                result.close()
    finally:
        engine.dispose()


def _cases(
    result: Any, query: Query, mapping: Mapping[str, Any], secret: _Secret
) -> Iterator[CaseRows]:
    place = display_path(query.file)
    if not result.returns_rows:
        raise problem(place, 1, "query-failed", "the query returns no rows: write a SELECT")
    columns = result.keys()  # the result's column names, in order
    header = [str(column) for column in columns]
    check_header(header, query.name, mapping, "the query's result")
    records = _records(result, header, mapping, secret)
    empty = "the query returned no rows: check what it selects, and the database it reads"
    yield from sorted_cases((header, records), query.name, mapping, empty)


class _Secret:
    """The URL's password, to be masked in every message (as written in the URL, and decoded);
    the URL as it may be shown."""

    def __init__(self, url: str) -> None:
        from urllib.parse import unquote

        found = re.match(r"[^:/]+://[^:/@]*:([^@]*)@", url)
        written = found.group(1) if found else ""
        self.passwords = sorted(
            {p for p in (written, unquote(written)) if p}, key=len, reverse=True
        )
        self.shown = url.replace(f":{written}@", ":***@", 1) if written else url

    def hide(self, text: str) -> str:
        for password in self.passwords:
            text = text.replace(password, "***")
        return text


def _query_text(file: Path) -> str:
    name = display_path(file)
    try:
        sql = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise problem(
            name, 1, "file-not-found", "no such query file; check the path given to --query"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise problem(name, 1, "file-unreadable", f"cannot read the query: {why}") from None
    if not sql.strip():
        raise problem(
            name,
            1,
            "empty-file",
            "the query file is empty: write the SELECT that returns one row per event",
        )
    return sql


def _engine(raw: str, secret: _Secret, place: str) -> Engine:
    """An engine for the URL, for reading only; a CsvProblem for a URL that names no database
    csc-rules can reach."""
    try:
        from sqlalchemy import create_engine, make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError
    except ImportError:
        raise problem(place, 1, "missing-library", EXTRA) from None
    try:
        url = make_url(raw)
    except ArgumentError:
        message = f"`{secret.shown}` is not a database URL: write it as {FORM}"
        raise problem(place, 1, "bad-url", message) from None
    backend = url.get_backend_name()
    if url.drivername == "postgresql":  # psycopg (3) is the driver the `sql` extra installs
        url = url.set(drivername="postgresql+psycopg")
    arguments: dict[str, Any] = {}
    if backend == "sqlite":
        url = _read_only_sqlite(url, secret, place)
    elif backend == "postgresql":
        arguments = {"connect_timeout": CONNECT_SECONDS}
    try:
        return create_engine(url, connect_args=arguments)
    except NoSuchModuleError:
        message = f"`{backend}` in `{secret.shown}` is not a database SQLAlchemy knows: write the URL as {FORM}"
        raise problem(place, 1, "bad-url", message) from None
    except ImportError as exc:
        message = f"the driver for {url.drivername} is not installed ({exc.name or exc}): install it, or pip install 'csc-rules[sql]' for SQLite and PostgreSQL"
        raise problem(place, 1, "missing-library", message) from None


def _read_only_sqlite(url: URL, secret: _Secret, place: str) -> URL:
    """A SQLite URL opened read-only: the file must be there (SQLite would make an empty one)."""
    if not url.database or url.database == ":memory:":
        raise problem(
            place, 1, "bad-url", f"`{secret.shown}` names no database file: write it as {FORM}"
        )
    path = Path(url.database)
    if not path.is_file():
        message = f"no such database file: {display_path(path)} (from `{secret.shown}`); check the path after sqlite:///"
        raise problem(place, 1, "file-not-found", message)
    return url.set(database=path.resolve().as_uri(), query={"mode": "ro", "uri": "true"})


@contextmanager
def _connected(engine: Engine, secret: _Secret, place: str) -> Iterator[Connection]:
    from sqlalchemy.exc import SQLAlchemyError

    try:
        connection = engine.connect()
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
    except SQLAlchemyError as exc:
        message = f"cannot connect to {secret.shown}: {secret.hide(_why(exc))}; check the URL given to --sql, and that the database is running"
        raise problem(place, 1, "cannot-connect", message) from None
    with connection:
        yield connection


def _why(exc: Exception) -> str:
    """The database's own words for what went wrong: its first line, without SQLAlchemy's."""
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip()
    return text.splitlines()[0] if text else type(cause).__name__


def _records(
    result: Any, header: list[str], mapping: Mapping[str, Any], secret: _Secret
) -> Iterator[Record]:
    """The result's rows as records, numbered from 1 as the query returned them."""
    from sqlalchemy.exc import SQLAlchemyError

    index = header.index(mapping["columns"]["case"])
    form = mapping.get("date_format")
    number = 0
    rows = iter(result)
    while True:
        number += 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except SQLAlchemyError as exc:
            yield (0, "", number, f"the database stopped answering here: {secret.hide(_why(exc))}")
            return
        values = [cell_text(cell, form) for cell in row]
        if (found := record(values, number, header, index)) is not None:
            yield found
