"""The same records wherever they live give the same answers (issue 26 item 4): a generated
caseload as .jsonl case lines, a CSV export, a workbook, a SQLite table and a PostgreSQL table,
through `run --format json` and `report`; and what PostgreSQL says when it cannot be read.

These tests read a real PostgreSQL server, whose URL is in CSC_RULES_TEST_POSTGRES:
`.ci/with-postgres python -m pytest` starts a throwaway one beside the tests (CI does)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from caseload import HEADER, MAPPING, Row, caseload, shuffled, write_all

from conftest import assert_no_crash, run

pytestmark = [pytest.mark.database, pytest.mark.slow]
CASES = 1000
AS_OF = "2026-01-01"


@pytest.fixture(scope="module")
def postgres() -> Iterator[Any]:
    """An engine on the test server; fails (never skips) when there is none."""
    from sqlalchemy import create_engine

    url = os.environ.get("CSC_RULES_TEST_POSTGRES")
    if not url:
        pytest.fail(
            "CSC_RULES_TEST_POSTGRES is not set: these tests read a PostgreSQL server. Run them "
            "beside a throwaway one with `.ci/with-postgres python -m pytest ...`, or set it to "
            "the URL of a database the tests may make tables in",
            pytrace=False,
        )
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    yield engine
    engine.dispose()


def postgres_table(engine: Any, rows: list[Row]) -> str:
    """The rows in a new table with DATE columns (returned to csc-rules as dates, not text)."""
    table = f"events_{uuid.uuid4().hex[:12]}"
    types = ["TEXT", "TEXT", "DATE", "TEXT", "TEXT", "DATE", "TEXT"]
    columns = ", ".join(f'"{name}" {kind}' for name, kind in zip(HEADER, types, strict=True))
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE TABLE {table} ({columns})")
        cursor = connection.connection.cursor()
        cursor.executemany(
            f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [tuple(cell or None for cell in row) for row in rows],
        )
    return table


def answers(*arguments: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """What `run --format json` says of each case, by reference, the report's document, and
    the list of what is due."""
    ran = run("run", *arguments, "--as-of", AS_OF, "--format", "json", "--jobs", "1")
    assert ran.exit_code == 0, ran.output[-2000:]
    cases = json.loads(ran.stdout)
    by_case = {case["case"]: case for case in cases}
    assert len(by_case) == len(cases) == CASES  # each case once, none lost
    report = run("report", *arguments, "--year", "2024-25", "--format", "json", "--jobs", "1")
    assert report.exit_code == 0, report.output[-2000:]
    due = run("due", *arguments, "--as-of", AS_OF, "--format", "json", "--jobs", "1")
    assert due.exit_code == 0, due.output[-2000:]
    return by_case, json.loads(report.stdout), json.loads(due.stdout)


def test_the_same_records_give_the_same_answers_wherever_they_live(
    tmp_path: Path, postgres: Any
) -> None:
    paths = write_all(tmp_path, CASES)
    _, rows = caseload(CASES)
    table = postgres_table(postgres, shuffled(rows))
    pg_query = tmp_path / "pg.sql"
    pg_query.write_text(f"SELECT * FROM {table}", encoding="utf-8")
    (tmp_path / "pg.mapping.yaml").write_text((tmp_path / "events.mapping.yaml").read_text())
    expected = answers(str(paths["jsonl"]))
    assert sum(case["status"] == "open" for case in expected[0].values()) > 50  # due work left
    assert expected[2]["summary"]["items"] > 50  # and a list of it
    sources = {
        "csv": [str(paths["csv"])],
        "xlsx": [str(paths["xlsx"])],
        "sqlite": ["--sql", f"sqlite:///{paths['sqlite']}", "--query", str(paths["query"])],
        "postgresql": ["--sql", os.environ["CSC_RULES_TEST_POSTGRES"], "--query", str(pg_query)],
    }
    for kind, arguments in sources.items():
        found = answers(*arguments)
        assert found[0] == expected[0], kind
        assert found[1] == expected[1], kind
        assert found[2] == expected[2], kind


def test_postgresql_failures_are_one_line_without_the_password(
    tmp_path: Path, postgres: Any
) -> None:
    from sqlalchemy.engine import make_url

    _, rows = caseload(3)
    table = postgres_table(postgres, rows)
    (tmp_path / "q.mapping.yaml").write_text(MAPPING, encoding="utf-8")
    with postgres.begin() as connection:  # a query that writes, hidden in a function
        connection.exec_driver_sql(
            f"CREATE FUNCTION {table}_purge() RETURNS SETOF {table} "
            f"AS 'DELETE FROM {table} RETURNING *' LANGUAGE sql"
        )
    query = tmp_path / "q.sql"
    url = make_url(os.environ["CSC_RULES_TEST_POSTGRES"])
    with_password = url.set(password="s3cr3t-pass").render_as_string(hide_password=False)
    wrong_database = url.set(password="s3cr3t-pass", database="no_such_db").render_as_string(
        hide_password=False
    )
    cases = [
        (
            with_password,
            f"SELECT * FROM {table} WHERE",
            "error[query-failed]: the query failed: syntax error at end of input",
        ),
        (
            with_password,
            f"SELECT * FROM {table}_purge()",
            "error[query-failed]: the query failed: cannot execute DELETE in a read-only transaction",
        ),
        (
            with_password,
            f'SELECT "Reference", "Date" FROM {table}',
            "error[unknown-column]: the mapping names column(s) the query's result does not have: Event, Procedure, Outcome, Panel date, Complainant; it has Reference, Date",
        ),
        (
            wrong_database,
            f"SELECT * FROM {table}",
            "error[cannot-connect]: cannot connect to postgresql://csc_rules:***@",
        ),
    ]
    for address, sql, message in cases:
        query.write_text(sql, encoding="utf-8")
        result = run("run", "--sql", address, "--query", str(query))
        assert result.exit_code == 1
        problems = [line for line in result.stderr.splitlines() if "error[" in line]
        assert len(problems) == 1 and message in problems[0], result.stderr
        assert "s3cr3t-pass" not in result.output
        assert_no_crash(result)
    with postgres.connect() as connection:  # the DELETE was refused: every row is still there
        assert connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == len(rows)
