"""`csc-rules due`, the daily list, and `run --case` / `run --summary`, as a complaints officer
uses them. Due dates here are counted by hand in the comments."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run


def _jsonl(path: Path, *cases: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(case) + "\n" for case in cases), encoding="utf-8")
    return path


def _case(reference: str, *events: tuple[str, str], procedure: str = "sefton/csc-statutory"):
    return {
        "case": reference,
        "procedure": procedure,
        "events": [{"date": day, "event": event} for day, event in events],
    }


# Received Fri 2024-12-20 (the contract's example). Sefton's acknowledgement, 3 working days:
# 23, 24, (25, 26 Dec bank holidays) 27 Dec. Stage 1, 10 working days: 23, 24, 27, 30, 31 Dec,
# (1 Jan) 2, 3, 6, 7, 8 Jan: Wed 2025-01-08.
CHRISTMAS = _case("XMAS-1", ("2024-12-20", "complaint-received"))
# Received Thu 2025-04-17, before Easter (Good Friday 18, Easter Monday 21 Apr). The
# acknowledgement: 22, 23, 24 Apr: Thu 2025-04-24. Stage 1: 22-25, 28-30 Apr, 1, 2 May,
# (5 May bank holiday) 6 May: Tue 2025-05-06.
EASTER = _case("EASTER-1", ("2025-04-17", "complaint-received"))
ANSWERED = _case(
    "DONE-1",
    ("2025-04-01", "complaint-received"),
    ("2025-04-02", "acknowledged"),
    ("2025-04-03", "resolved"),
)


def _due(*args: str) -> Any:
    result = run("due", *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_overdue_first_then_by_due_date_around_the_bank_holidays(tmp_path: Path) -> None:
    cases = _jsonl(tmp_path / "cases.jsonl", CHRISTMAS, EASTER, ANSWERED)
    result = _due(str(cases), "--as-of", "2025-05-08", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    listed = [
        (i["case"], i["deadline"], i["due"], i["weekday"], i["status"], i["working_days_late"])
        for i in data["items"]
    ]
    # Late by the working days after the due date up to Thu 8 May: from Fri 27 Dec 2024 and
    # Wed 8 Jan 2025 many; from Thu 24 Apr: 25, 28, 29, 30 Apr, 1, 2, 6, 7, 8 May = 9; from
    # Tue 6 May: 7, 8 May = 2.
    assert listed[2:] == [
        ("EASTER-1", "acknowledgement", "2025-04-24", "Thursday", "overdue", 9),
        ("EASTER-1", "stage-1-response", "2025-05-06", "Tuesday", "overdue", 2),
    ]
    assert [(c, d, day) for c, d, day, *_ in listed[:2]] == [
        ("XMAS-1", "acknowledgement", "2024-12-27"),
        ("XMAS-1", "stage-1-response", "2025-01-08"),
    ]
    assert data["summary"]["cases_left_out"] == {"not-open": 1}
    assert data["summary"]["overdue"] == 4


def test_within_keeps_what_falls_due_soon_and_everything_overdue(tmp_path: Path) -> None:
    # As of Mon 2025-01-06: the acknowledgement (due Fri 27 Dec) is late by 30, 31 Dec, 2, 3,
    # 6 Jan = 5; stage 1 (due Wed 8 Jan) has 2 working days left (7, 8 Jan).
    cases = _jsonl(tmp_path / "cases.jsonl", CHRISTMAS)
    text = _due(str(cases), "--as-of", "2025-01-06").stdout
    assert "Fri 2024-12-27  5 working days late" in text
    assert "Wed 2025-01-08  2 working days left" in text
    soon = _due(str(cases), "--as-of", "2025-01-06", "--within", "1").stdout
    assert "2024-12-27" in soon and "2025-01-08" not in soon
    assert "Not listed: 1 deadline(s) due after the next 1 working day." in soon


def test_markdown_and_csv_say_the_same(tmp_path: Path) -> None:
    cases = _jsonl(tmp_path / "cases.jsonl", CHRISTMAS, EASTER)
    markdown = _due(str(cases), "--as-of", "2025-05-08", "--format", "markdown").stdout
    assert markdown.startswith("# What is due as of Thursday 2025-05-08")
    assert "| Tue 2025-05-06 | 2 working days late | EASTER-1 | Sefton Council | " in markdown
    rows = list(
        csv.DictReader(
            io.StringIO(_due(str(cases), "--as-of", "2025-05-08", "--format", "csv").stdout)
        )
    )
    assert [(r["case"], r["due"], r["working_days_late"]) for r in rows][2:] == [
        ("EASTER-1", "2025-04-24", "9"),
        ("EASTER-1", "2025-05-06", "2"),
    ]


def test_a_broken_case_is_reported_after_the_list_with_exit_1(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(EASTER) + "\n{not json\n", encoding="utf-8")
    result = _due(str(cases), "--as-of", "2025-05-08")
    assert result.exit_code == 1
    assert "EASTER-1" in result.stdout
    assert "cases.jsonl:2" in result.stderr
    assert "1 case could not be listed" in result.stderr


def test_filters_are_checked(tmp_path: Path) -> None:
    cases = _jsonl(tmp_path / "cases.jsonl", EASTER)
    wrong = _due(str(cases), "--stage", "stage-one")
    assert wrong.exit_code == 1 and "did you mean `stage-1`?" in wrong.stderr
    nobody = _due(str(cases), "--council", "nowhere")
    assert nobody.exit_code == 1 and "nowhere" in nobody.stderr
    elsewhere = _due(str(cases), "--as-of", "2025-05-08", "--council", "islington")
    assert "EASTER-1" not in elsewhere.stdout and "1 case(s) of other councils" in elsewhere.stdout


def test_output_never_overwrites_an_input(tmp_path: Path) -> None:
    cases = _jsonl(tmp_path / "cases.jsonl", EASTER)
    before = cases.read_text()
    refused = _due(str(cases), "-o", str(cases))
    assert refused.exit_code == 1 and "which this command reads" in refused.stderr
    assert cases.read_text() == before
    written = _due(
        str(cases), "--as-of", "2025-05-08", "-o", str(tmp_path / "due.md"), "--format", "markdown"
    )
    assert written.exit_code == 0
    assert "EASTER-1" in (tmp_path / "due.md").read_text()


def test_the_sort_spills_to_disk_and_keeps_the_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bounded sort's runs, merged: the same list as when it all fits in memory."""
    from csc_rules.application import due
    from csc_rules.reports.due_list import Sieve

    cases = _jsonl(
        tmp_path / "cases.jsonl",
        *[
            _case(f"C-{n:03}", (f"2025-0{1 + n % 5}-{10 + n % 15}", "complaint-received"))
            for n in range(150)
        ],
    )
    kept = Sieve(dt.date(2025, 6, 2))
    whole = [i.sort_key() for i in due.due_list([cases], kept, jobs=1)[0]]
    monkeypatch.setattr("csc_rules.cases._bounded_sort.RUN_WEIGHT", 6_000)
    monkeypatch.setattr("csc_rules.cases._bounded_sort.FAN_IN", 3)
    spilled = [i.sort_key() for i in due.due_list([cases], kept, jobs=1)[0]]
    assert spilled == whole == sorted(whole) and len(whole) == 300


# -- run --case, run --summary ------------------------------------------------------------------


def test_run_case_finds_one_case_and_parses_no_other_line(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    # a broken line without the reference is never parsed, so it is no error here
    cases.write_text(json.dumps(CHRISTMAS) + "\n{broken\n" + json.dumps(EASTER) + "\n")
    found = run(
        "run", str(cases), "--case", "EASTER-1", "--as-of", "2025-05-08", "--format", "json"
    )
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)["case"] == "EASTER-1"
    missing = run("run", str(cases), "--case", "EASTER-2", "--as-of", "2025-05-08")
    assert missing.exit_code == 1
    assert "no case has the reference 'EASTER-2'" in missing.stderr
    assert "did you mean `EASTER-1`?" in missing.stderr


def test_run_summary_one_line_per_case(tmp_path: Path) -> None:
    cases = _jsonl(tmp_path / "cases.jsonl", EASTER, ANSWERED)
    text = run("run", str(cases), "--summary", "--as-of", "2025-05-08").stdout.splitlines()
    assert len(text) == 2
    assert text[0].startswith("EASTER-1")
    assert "next: Acknowledgement with reference number, due Thu 2025-04-24 (overdue)" in text[0]
    assert "late: 2, the worst Acknowledgement with reference number by 9 working days" in text[0]
    assert "resolved" in text[1] and "next: nothing due" in text[1]
    rows = list(
        csv.DictReader(
            io.StringIO(
                run(
                    "run", str(cases), "--summary", "--as-of", "2025-05-08", "--format", "csv"
                ).stdout
            )
        )
    )
    assert [(r["case"], r["late"], r["worst_working_days_late"]) for r in rows] == [
        ("EASTER-1", "2", "9"),
        ("DONE-1", "0", ""),
    ]


# -- the list is exactly the open deadlines `run` reports ------------------------------------------


def _generate() -> Any:
    """The benchmarks' generator of random walks over the councils' procedures."""
    spec = importlib.util.spec_from_file_location("batch", ROOT / "benchmarks" / "batch.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


@pytest.mark.slow
def test_the_list_is_every_open_deadline_of_every_open_case_and_nothing_more(
    tmp_path: Path,
) -> None:
    cases = tmp_path / "cases.jsonl"
    _generate()(cases, 3000, seed=26)
    as_of = "2027-03-01"  # receipts run to 2029: some cases are received later, some are open
    replayed = run("run", str(cases), "--as-of", as_of, "--format", "jsonl", "--jobs", "2")
    expected, undated, failed = set(), 0, 0
    for line in replayed.stdout.splitlines():
        result = json.loads(line)
        if "error" in result:  # received after the day asked about
            failed += 1
            continue
        if result["status"] != "open":
            continue
        for d in result["deadlines"]:
            if d["status"] in ("pending", "overdue"):
                if d["due"] is None:
                    undated += 1
                else:
                    expected.add((result["case"], d["id"], d["due"], d["status"], d["extended"]))
    listed = run("due", str(cases), "--as-of", as_of, "--format", "json", "--jobs", "2")
    assert listed.exit_code == 0, listed.stderr
    data = json.loads(listed.stdout)
    got = [(i["case"], i["deadline"], i["due"], i["status"], i["extended"]) for i in data["items"]]
    assert len(got) == len(set(got))
    assert set(got) == expected
    assert len(expected) > 500 and {status for *_, status, _ in expected} == {"pending", "overdue"}
    summary = data["summary"]
    assert summary["undated_left_out"] == undated
    assert summary["cases_left_out"].get("received-later", 0) == failed
    keys = [(i["status"] != "overdue", i["due"]) for i in data["items"]]
    assert keys == sorted(keys)


def test_the_command_writes_the_workbook_and_the_calendar(tmp_path: Path) -> None:
    # examples/cases.jsonl as of Monday 10 February 2025 (tests/test_server.py works it out):
    # BATCH-1 due Monday 17 February, BATCH-3 Monday 24 February, BATCH-2 Monday 3 March.
    import icalendar
    import openpyxl

    cases = str(ROOT / "examples" / "cases.jsonl")
    book = tmp_path / "due.xlsx"
    made = run("due", cases, "--as-of", "2025-02-10", "--format", "xlsx", "-o", str(book))
    assert made.exit_code == 0, made.output
    sheet = openpyxl.load_workbook(book)["Due"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [(r[0], r[4]) for r in rows] == [
        ("BATCH-1", dt.datetime(2025, 2, 17)),
        ("BATCH-3", dt.datetime(2025, 2, 24)),
        ("BATCH-2", dt.datetime(2025, 3, 3)),
    ]
    diary = tmp_path / "due.ics"
    made = run(
        "due", cases, "--as-of", "2025-02-10", "--format", "ics", "--alarm", "3", "-o", str(diary)
    )
    assert made.exit_code == 0, made.output
    events = icalendar.Calendar.from_ical(diary.read_bytes()).walk("VEVENT")
    first = events[0]
    assert first.decoded("dtstart") == dt.date(2025, 2, 17)
    # 3 working days before Monday 17 February: Wednesday 12 February, 9 in the morning
    (alarm,) = first.walk("VALARM")
    assert dt.datetime(2025, 2, 17) + alarm.decoded("trigger") == dt.datetime(2025, 2, 12, 9)


def test_the_command_offers_every_format_the_list_has() -> None:
    from csc_rules.cli.due import DUE_FORMATS
    from csc_rules.reports.due_formats import FORMATS

    assert tuple(FORMATS) == DUE_FORMATS
