"""Case records in a SQL database (issue 26 item 4): `--sql URL --query FILE.sql`, the query's
columns named by the mapping a CSV export uses; SQLite here, PostgreSQL in
test_records_databases.py. A database that cannot be read is one clear line, never a traceback,
and never the password."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from conftest import assert_no_crash, run

CW = "cheshire-west/csc-statutory"
MAPPING = """sql: case-system
procedure: {column: procedure}
columns: {case: reference, date: day, event: event}
fields: {outcome: outcome}
"""
ROWS = [  # apart and out of order, as a query without ORDER BY may return them
    ("CW-2", CW, "2024-06-04", "complaint-received", None),
    ("CW-1", CW, "2024-06-10", "stage-1-response-sent", "upheld"),
    ("CW-2", CW, "2024-06-31", "stage-1-response-sent", "upheld"),
    ("CW-1", CW, "2024-06-03", "complaint-received", None),
]


def database(folder: Path, rows: list[tuple[object, ...]] = ROWS) -> tuple[Path, Path]:
    path = folder / "cases.db"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE events (reference TEXT, procedure TEXT, day TEXT, event TEXT, outcome TEXT)"
        )
        connection.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)", rows)
    connection.close()
    query = folder / "events.sql"
    query.write_text("SELECT * FROM events WHERE procedure LIKE 'cheshire%'\n", encoding="utf-8")
    (folder / "events.mapping.yaml").write_text(MAPPING, encoding="utf-8")
    return path, query


def test_a_query_s_rows_are_grouped_into_cases_and_a_bad_row_is_located(tmp_path: Path) -> None:
    path, query = database(tmp_path)
    result = run(
        "run", "--sql", f"sqlite:///{path}", "--query", str(query), "--as-of", "2024-07-01",
        "--format", "jsonl",
    )  # fmt: skip
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["case"] for line in lines] == ["CW-1", "CW-2"]  # in order of reference
    # Mon 3 Jun 2024 + 10 working days = Mon 17 Jun, answered Mon 10 Jun: met
    stage_1 = next(d for d in lines[0]["deadlines"] if d["id"] == "stage-1-response")
    assert (stage_1["due"], stage_1["status"]) == ("2024-06-17", "met")
    bad = lines[1]["error"]
    # the third row the query returned, its third column (day)
    assert (bad["path"], bad["line"], bad["column"]) == (f"{query}[result]", 3, 3)
    assert "`2024-06-31` is not a real date in the form YYYY-MM-DD" in bad["message"]
    assert_no_crash(result)


def test_eligibility_and_the_report_read_a_query_too(tmp_path: Path) -> None:
    path, query = database(tmp_path, [r for r in ROWS if r[0] == "CW-1"])
    url = f"sqlite:///{path}"
    decided = run("eligibility", "--sql", url, "--query", str(query), "--format", "json")
    assert decided.exit_code == 0, decided.output
    assert [d["case"] for d in json.loads(decided.stdout)] == ["CW-1"]
    report = run(
        "report", "--sql", url, "--query", str(query), "--year", "2024-25", "--format", "json"
    )
    assert report.exit_code == 0, report.output
    assert json.loads(report.stdout)["outcomes"]["stage-1"]["upheld"] == 1


def test_the_database_is_only_read(tmp_path: Path) -> None:
    path, query = database(tmp_path)
    query.write_text("DELETE FROM events RETURNING *", encoding="utf-8")
    result = run("run", "--sql", f"sqlite:///{path}", "--query", str(query))
    assert result.exit_code == 1
    assert (
        "error[query-failed]: the query failed: attempt to write a readonly database"
        in result.stderr
    )
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM events").fetchone() == (len(ROWS),)
    connection.close()
    missing = tmp_path / "nothing.db"
    result = run("run", "--sql", f"sqlite:///{missing}", "--query", str(query))
    assert f"no such database file: {missing}" in result.stderr
    assert not missing.exists()  # SQLite would have made an empty one


@pytest.mark.parametrize(
    ("url", "query", "message"),
    [
        (
            "sqlite:/cases.db",
            "SELECT * FROM events",
            "error[bad-url]: `sqlite:/cases.db` is not a database URL: write it as sqlite:///path/to/cases.db or postgresql://user:password@host:5432/database",
        ),
        (
            "postgresql://clerk:hunter2@127.0.0.1:9/complaints",
            "SELECT * FROM events",
            "error[cannot-connect]: cannot connect to postgresql://clerk:***@127.0.0.1:9/complaints: connection failed:",
        ),
        (
            "oracle2://clerk:hunter2@db/complaints",
            "SELECT * FROM events",
            "error[bad-url]: `oracle2` in `oracle2://clerk:***@db/complaints` is not a database SQLAlchemy knows",
        ),
        (
            "{sqlite}",
            "SELECT * FROM complaints",
            "error[query-failed]: the query failed: no such table: complaints",
        ),
        (
            "{sqlite}",
            "SELECT reference, procedure, event FROM events",
            "error[unknown-column]: the mapping names column(s) the query's result does not have: day, outcome; it has reference, procedure, event",
        ),
        (
            "{sqlite}",
            "SELECT * FROM events WHERE 0",
            "error[empty-file]: the query returned no rows",
        ),
        ("{sqlite}", "  \n", "error[empty-file]: the query file is empty"),
    ],
    ids=[
        "bad-url",
        "unreachable",
        "unknown-database",
        "failed-query",
        "missing-column",
        "no-rows",
        "empty-query",
    ],
)
def test_a_database_that_cannot_be_read_is_one_clear_line_without_the_password(
    tmp_path: Path, url: str, query: str, message: str
) -> None:
    path, file = database(tmp_path)
    file.write_text(query, encoding="utf-8")
    result = run(
        "run",
        "--sql",
        url.format(sqlite=f"sqlite:///{path}"),
        "--query",
        str(file),
        "--format",
        "json",
    )
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if "error[" in line]
    assert len(problems) == 1, result.stderr
    assert message in problems[0]
    assert "hunter2" not in result.output
    assert json.loads(result.stdout)[0]["error"]["code"] in message
    assert_no_crash(result)


def test_the_mapping_may_be_named_and_the_options_go_together(tmp_path: Path) -> None:
    path, query = database(tmp_path)
    (tmp_path / "events.mapping.yaml").rename(tmp_path / "columns.yaml")
    url = f"sqlite:///{path}"
    beside = run("run", "--sql", url, "--query", str(query))
    assert "a SQL query needs its column mapping beside it: write" in beside.stderr
    named = run(
        "run",
        "--sql",
        url,
        "--query",
        str(query),
        "--mapping",
        str(tmp_path / "columns.yaml"),
        "--as-of",
        "2024-07-01",
        "--format",
        "jsonl",
    )
    assert [json.loads(line)["case"] for line in named.stdout.splitlines()] == ["CW-1", "CW-2"]
    alone = run("run", "--sql", url)
    assert alone.exit_code == 2
    assert "--sql URL and --query FILE.sql go together" in alone.output
    nothing = run("run")
    assert nothing.exit_code == 2
    assert "give the cases: files, folders" in nothing.output


def test_without_sqlalchemy_one_line_says_which_extra_adds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, query = database(tmp_path)
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)  # as if it were not installed
    result = run("run", "--sql", f"sqlite:///{path}", "--query", str(query))
    assert result.exit_code == 1
    assert (
        "error[missing-library]: reading a SQL database needs SQLAlchemy: "
        "pip install 'csc-rules[sql]'" in result.stderr
    )
    assert_no_crash(result)
