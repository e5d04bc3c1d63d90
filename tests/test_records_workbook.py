"""Case records in an Excel workbook (issue 26 item 4): a sheet of one row per event, read with
the mapping a CSV export uses; problems located as `book.xlsx[Sheet]:row:column`, and a workbook
that cannot be read refused in one line."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from conftest import assert_no_crash, run

CW = "cheshire-west/csc-statutory"
MAPPING = """workbook: case-system
sheet: Events
procedure: {column: Procedure}
columns: {case: Reference, date: Date, event: Event}
date_format: "%d/%m/%Y"
fields: {outcome: Outcome}
values:
  event: {Complaint received: complaint-received, Stage 1 response sent: stage-1-response-sent}
  outcome: {Upheld: upheld, Not upheld: not-upheld}
"""
HEADER = ["Reference", "Procedure", "Date", "Event", "Outcome"]


def workbook(
    folder: Path,
    rows: list[list[Any]],
    mapping: str = MAPPING,
    sheet: str = "Events",
    header: list[str] = HEADER,
) -> Path:
    book = Workbook()
    book.active.title = "Notes"
    events = book.create_sheet(sheet)
    events.append(header)
    for row in rows:
        events.append(row)
    path = folder / "book.xlsx"
    book.save(path)
    (folder / "book.mapping.yaml").write_text(mapping, encoding="utf-8")
    return path


def stage_1(result: dict[str, Any]) -> tuple[str, str]:
    found = next(d for d in result["deadlines"] if d["id"] == "stage-1-response")
    return found["due"], found["status"]


def test_dates_as_excel_keeps_them_and_bad_cells_are_located_by_sheet_row_and_column(
    tmp_path: Path,
) -> None:
    path = workbook(
        tmp_path,
        [
            ["CW-1", CW, dt.date(2024, 6, 3), "Complaint received", None],  # a date cell
            ["CW-1", CW, 45453, "Stage 1 response sent", "Upheld"],  # serial: Mon 10 Jun 2024
            ["CW-2", CW, "04/06/2024", "Complaint received", None],  # text in the mapping's form
            ["CW-2", CW, dt.datetime(2024, 6, 18, 16, 30), "Stage 1 response sent", "Upheld"],
            ["CW-3", CW, "31/06/2024", "Complaint received", None],
            ["CW-4", CW, dt.date(2024, 6, 5), "Complaint received", "Maybe"],
        ],
    )
    result = run("run", str(path), "--as-of", "2024-07-01", "--format", "jsonl")
    assert result.exit_code == 1
    lines = {r["case"]: r for r in map(json.loads, result.stdout.splitlines())}
    # Mon 3 Jun 2024 + 10 working days = Mon 17 Jun, answered Mon 10 Jun: met
    assert stage_1(lines["CW-1"]) == ("2024-06-17", "met")
    # Tue 4 Jun + 10 working days = Tue 18 Jun, answered that afternoon: met
    assert stage_1(lines["CW-2"]) == ("2024-06-18", "met")
    bad = lines["CW-3"]["error"]
    # the sheet's sixth row (the header is row 1), its third column (C): the Date
    assert (bad["path"], bad["line"], bad["column"]) == (str(tmp_path / "book.xlsx[Events]"), 6, 3)
    assert "`31/06/2024` is not a real date in the form DD/MM/YYYY" in bad["message"]
    word = lines["CW-4"]["error"]
    assert (word["line"], word["column"]) == (7, 5)  # the Outcome, column E
    assert '"Maybe" in column `Outcome` is missing from the mapping' in word["message"]
    assert f"values:` of {tmp_path / 'book.mapping.yaml'}" in word["message"]
    assert f"{tmp_path / 'book.xlsx[Events]'}:6:3: error[invalid-value]" in result.stderr
    assert_no_crash(result)


def test_the_sheet_named_on_the_command_line_is_read_and_the_report_counts_it(
    tmp_path: Path,
) -> None:
    mapping = MAPPING.replace("sheet: Events\n", "")
    path = workbook(
        tmp_path,
        [
            ["CW-1", CW, dt.date(2024, 6, 3), "Complaint received", None],
            ["CW-1", CW, dt.date(2024, 6, 10), "Stage 1 response sent", "Not upheld"],
        ],
        mapping,
        sheet="Complaints 2024",
    )
    result = run(
        "report", str(path), "--sheet", "Complaints 2024", "--year", "2024-25", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outcomes"]["stage-1"]["not-upheld"] == 1
    # without --sheet, a workbook of two sheets and a mapping naming none: which one?
    unnamed = run("run", str(path))
    assert unnamed.exit_code == 1
    assert (
        "the workbook has 2 sheets (Notes, Complaints 2024): say which holds the cases with "
        "`sheet:` in the mapping or --sheet" in unnamed.stderr
    )
    assert_no_crash(unnamed)


def encrypted(path: Path) -> Path:
    """The workbook encrypted with a password, as Excel's File > Protect Workbook does."""
    import msoffcrypto.format.ooxml

    locked = path.with_name("locked.xlsx")
    with path.open("rb") as plain, locked.open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("secret", out)
    locked.with_name("locked.mapping.yaml").write_text(MAPPING, encoding="utf-8")
    return locked


def broken(path: Path) -> Path:
    cut = path.with_name("cut.xlsx")
    cut.write_bytes(path.read_bytes()[:900])  # a copy that stopped half way
    cut.with_name("cut.mapping.yaml").write_text(MAPPING, encoding="utf-8")
    return cut


def elsewhere(path: Path) -> Path:
    alone = path.parent / "alone"
    alone.mkdir()
    return Path(path.replace(alone / path.name))


@pytest.mark.parametrize(
    ("make", "where", "message"),
    [
        (
            lambda p: workbook(p.parent, [], MAPPING.replace("sheet: Events", "sheet: Cases")),
            "book.xlsx:1:1",
            'error[missing-sheet]: the workbook has no sheet "Cases"; its sheets are: Notes, Events',
        ),
        (
            lambda p: workbook(
                p.parent, [], header=["Reference", "Procedure", "Day", "Event", "Outcome"]
            ),
            "book.xlsx[Events]:1:1",
            "error[unknown-column]: the mapping names column(s) the sheet does not have: Date; it has Reference, Procedure, Day, Event, Outcome",
        ),
        (
            encrypted,
            "locked.xlsx:1:1",
            "error[protected-workbook]: the workbook is encrypted with a password, or is an old .xls workbook",
        ),
        (
            broken,
            "cut.xlsx:1:1",
            "error[broken-workbook]: not a workbook that can be read",
        ),
        (
            elsewhere,
            "alone/book.xlsx:1:1",
            "error[missing-mapping]: a workbook needs its column mapping beside it: write",
        ),
        (
            lambda p: workbook(p.parent, []),
            "book.xlsx[Events]:2:1",  # where the first row should be
            "error[empty-file]: the sheet has a header but no rows: put the cases under it",
        ),
    ],
    ids=["missing-sheet", "missing-column", "password", "corrupt", "no-mapping", "no-rows"],
)
def test_a_workbook_that_cannot_be_read_is_one_clear_line(
    tmp_path: Path, make: Any, where: str, message: str
) -> None:
    good = workbook(tmp_path, [["CW-1", CW, dt.date(2024, 6, 3), "Complaint received", None]])
    path = make(good)
    result = run("run", str(path), "--format", "json")
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if "error[" in line]
    assert len(problems) == 1, result.stderr
    assert f"{tmp_path / where}: {message}" in problems[0]
    assert json.loads(result.stdout)["error"]["code"] in message
    assert "Traceback" not in result.output
    assert_no_crash(result)


def test_a_folder_reads_its_workbooks_but_not_the_file_excel_keeps_open(tmp_path: Path) -> None:
    workbook(tmp_path, [["CW-1", CW, dt.date(2024, 6, 3), "Complaint received", None]])
    (tmp_path / "~$book.xlsx").write_bytes(b"\x00" * 165)  # Excel's lock file beside an open book
    result = run("run", str(tmp_path), "--as-of", "2024-07-01", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["case"] for line in result.stdout.splitlines()] == ["CW-1"]


def test_sheet_without_a_workbook_is_a_usage_error(tmp_path: Path) -> None:
    result = run("run", str(tmp_path / "cases.jsonl"), "--sheet", "Events")
    assert result.exit_code == 2
    assert "--sheet names the sheet of a workbook: give the .xlsx file too" in result.output


def test_without_openpyxl_one_line_says_which_extra_adds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook(tmp_path, [["CW-1", CW, dt.date(2024, 6, 3), "Complaint received", None]])
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if it were not installed
    result = run("run", str(path))
    assert result.exit_code == 1
    assert (
        "error[missing-library]: reading a workbook needs openpyxl: pip install 'csc-rules[excel]'"
        in result.stderr
    )
    assert_no_crash(result)
