"""`due` as an Excel workbook: opened by openpyxl, which wrote it, and by python-calamine (Rust's
calamine), which shares nothing with it, each reading the dates as dates."""

from __future__ import annotations

import datetime as dt
import io
import sys

import pytest
from python_calamine import CalamineWorkbook

from csc_rules.errors import CommandError
from csc_rules.reports.due import DueItem
from csc_rules.reports.due_workbook import write_workbook
from due_examples import LATE, SOON, item

AS_OF = dt.date(2025, 1, 22)  # a Wednesday


def workbook(items: list[DueItem], **kw: object) -> bytes:
    out = io.BytesIO()
    write_workbook(items, out, as_of=AS_OF, source="cases.jsonl", **kw)  # type: ignore[arg-type]
    return out.getvalue()


def test_openpyxl_reads_date_cells_a_frozen_header_and_a_filter() -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(workbook([LATE, SOON])))
    assert book.sheetnames == ["Due", "About"]
    sheet = book["Due"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:O3"  # 15 columns, the header and 2 lines
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Case", "Council", "What is due", "Who acts", "Due"]
    assert all(c.font.bold for c in sheet[1])
    due, start = sheet["E2"], sheet["L3"]
    assert due.value == dt.datetime(2025, 1, 8) and due.number_format == "dd/mm/yyyy"
    assert due.is_date and start.value == dt.datetime(2025, 1, 20)
    assert [c.value for c in sheet[2]][5:10] == ["Wednesday", "overdue", None, 10, "no"]
    assert [c.value for c in sheet[3]][5:10] == ["Thursday", "pending", 1, None, "yes"]
    assert sheet.column_dimensions["C"].width >= len("Stage 1 response")


def test_calamine_reads_the_same_rows_with_dates_as_dates() -> None:
    book = CalamineWorkbook.from_filelike(io.BytesIO(workbook([LATE, SOON])))
    assert book.sheet_names == ["Due", "About"]
    rows = book.get_sheet_by_name("Due").to_python()
    assert rows[1][:5] == [
        "SEF-0001",
        "Sefton Council",
        "Stage 1 response",
        "Team manager",
        dt.date(2025, 1, 8),
    ]
    assert rows[2][4] == dt.date(2025, 1, 23) and rows[2][11] == dt.date(2025, 1, 20)
    about = {row[0]: row[1] for row in book.get_sheet_by_name("About").to_python()}
    assert about["As of"] == AS_OF
    assert about["Cases read from"] == "cases.jsonl"
    assert (about["Lines"], about["Overdue"], about["Pending"]) == (2, 1, 1)
    assert about["Cases with something due"] == 2


def test_text_that_looks_like_a_formula_stays_text() -> None:
    import openpyxl

    hostile = item('=HYPERLINK("http://example.invalid","x")', dt.date(2025, 1, 8), "overdue")
    control = item("SEF\x01-3", dt.date(2025, 1, 8), "overdue")
    data = workbook([hostile, control])
    cell = openpyxl.load_workbook(io.BytesIO(data))["Due"]["A2"]
    assert cell.data_type == "s" and cell.value == hostile.case
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Due").to_python()
    assert rows[1][0] == hostile.case
    assert rows[2][0] == "SEF\\x01-3"  # a character a workbook cannot hold, shown, not dropped


def test_a_list_longer_than_a_sheet_goes_on_over_the_next_sheets() -> None:
    items = [item(f"SEF-{n}", dt.date(2025, 1, 8 + n), "overdue") for n in range(5)]
    data = workbook(items, sheet_rows=3)  # a header and 2 lines a sheet
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == ["Due", "Due (2)", "Due (3)", "About"]
    found = []
    for name in book.sheet_names[:3]:
        rows = book.get_sheet_by_name(name).to_python()
        assert rows[0][0] == "Case"
        found += [r[0] for r in rows[1:]]
    assert found == [f"SEF-{n}" for n in range(5)]
    about = {row[0]: row[1] for row in book.get_sheet_by_name("About").to_python()}
    assert (about["Lines"], about["Sheets of the list"]) == (5, 3)


def test_an_empty_list_is_a_workbook_that_says_so() -> None:
    book = CalamineWorkbook.from_filelike(io.BytesIO(workbook([])))
    assert book.get_sheet_by_name("Due").to_python()[0][0] == "Case"
    about = {row[0]: row[1] for row in book.get_sheet_by_name("About").to_python()}
    assert about["Lines"] == 0


def test_without_openpyxl_it_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import fails as if not installed
    with pytest.raises(CommandError) as exc_info:
        workbook([LATE])
    assert "pip install 'csc-rules[export]'" in str(exc_info.value)
