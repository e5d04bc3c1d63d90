"""What the annual report makes of its input (issue 23): every case counted once, however often
it is given; no report from input that was not read; records refused one by one said at the top
of every format; --strict; and which council the report is for."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_annual_report import EXAMPLE, line, report

from conftest import assert_no_crash, run

SEFTON, CW = "sefton/csc-statutory", "cheshire-west/csc-statutory"
RECEIVED = [{"date": "2024-06-03", "event": "complaint-received"}]
ANSWERED = [
    *RECEIVED,
    {"date": "2024-06-10", "event": "stage-1-response-sent", "outcome": "upheld"},
]


def write(path: Path, *lines: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{text}\n" for text in lines), encoding="utf-8")
    return path


# -- every case counted once ----------------------------------------------------------------------


def test_the_same_file_named_twice_is_counted_once_with_a_warning(tmp_path: Path) -> None:
    copy = tmp_path / "cases.jsonl"
    copy.write_bytes(EXAMPLE.read_bytes())
    once = report(str(copy), "--year", "2024-25")
    twice = report(str(copy), str(copy), "--year", "2024-25")
    assert twice["representations"] == once["representations"]  # 123, not 246
    assert twice["response_times"] == once["response_times"]
    repeats = twice["warnings"]["duplicate-record"]
    assert repeats["count"] == 123
    assert repeats["cases"][0] == f"CW-2425-001: {copy}:1 repeats {copy}:1"
    assert twice["refused"]["count"] == 0


def test_a_repeated_line_and_a_case_given_again_as_a_file_are_counted_once(tmp_path: Path) -> None:
    record = line("S-1", SEFTON, ANSWERED)
    cases = write(tmp_path / "cases.jsonl", record, line("S-2", SEFTON, RECEIVED), record)
    again = write(tmp_path / "folder" / "inner" / "S-1.json", record)
    result = run(
        "report", str(cases), str(tmp_path / "folder"), "--year", "2024-25", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["representations"]["total"] == 2
    assert data["warnings"]["duplicate-record"] == {
        "count": 2,
        "cases": [f"S-1: {cases}:3 repeats {cases}:1", f"S-1: {again} repeats {cases}:1"],
    }


def test_a_different_record_under_a_reference_already_counted_is_refused_naming_both(
    tmp_path: Path,
) -> None:
    first = write(tmp_path / "a.jsonl", line("S-1", SEFTON, ANSWERED))
    second = write(
        tmp_path / "b.jsonl", line("S-2", SEFTON, RECEIVED), line("S-1", SEFTON, RECEIVED)
    )
    result = run("report", str(first), str(second), "--year", "2024-25", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["representations"]["total"] == 2  # S-1 as first read, and S-2
    assert data["outcomes"]["stage-1"]["upheld"] == 1
    [refused] = data["refused"]["cases"]
    assert (refused["case"], refused["where"]) == ("S-1", f"{second}:2")
    assert f"also at {first}:1, with a different record" in refused["why"]
    assert f"not counted: {second}:2: S-1: duplicate-case" in result.stderr


def test_the_same_reference_at_two_councils_is_two_cases(tmp_path: Path) -> None:
    cases = write(
        tmp_path / "cases.jsonl", line("X-1", SEFTON, RECEIVED), line("X-1", CW, RECEIVED)
    )
    data = report(str(cases), "--year", "2024-25")
    assert data["representations"]["total"] == 2
    assert "duplicate-record" not in data["warnings"]
    assert data["council"] is None  # two councils' cases: no one council's report


def test_a_csv_export_and_the_same_cases_as_json_lines_are_counted_once(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "Reference,Procedure,Date,Event,Outcome,Complainant,About us\n"
        f"CW-1,{CW},03/06/2024,Complaint received,,Parent,yes\n"
        f"CW-1,{CW},10/06/2024,Stage 1 response sent,Upheld,,\n",
        encoding="utf-8",
    )
    (tmp_path / "export.mapping.yaml").write_text(
        "csv: export\nprocedure: {column: Procedure}\n"
        "columns: {case: Reference, date: Date, event: Event}\n"
        'date_format: "%d/%m/%Y"\nfields: {outcome: Outcome}\n'
        "facts: {complainant.role: Complainant, about_council_actions: About us}\n"
        "values:\n"
        "  event: {Complaint received: complaint-received, Stage 1 response sent: stage-1-response-sent}\n"
        "  outcome: {Upheld: upheld}\n  complainant.role: {Parent: parent}\n",
        encoding="utf-8",
    )
    record = {
        "case": "CW-1",
        "procedure": CW,
        "facts": {"complainant": {"role": "parent"}, "about_council_actions": True},
        "events": ANSWERED,
    }
    lines = write(tmp_path / "export.jsonl", json.dumps(record))
    data = report(str(export), str(lines), "--year", "2024-25")
    assert data["representations"]["total"] == 1
    assert data["warnings"]["duplicate-record"]["cases"] == [f"CW-1: {lines}:1 repeats {export}:2"]


# -- no report from input that was not read -------------------------------------------------------


def _csv_without_mapping(folder: Path) -> Path:
    path = folder / "export.csv"
    path.write_text("Reference,Date,Event\nA-1,03/06/2024,Complaint received\n", encoding="utf-8")
    return path


def _latin_export(folder: Path) -> Path:
    path = folder / "latin.csv"
    path.write_bytes("Référence,Date,Event\n".encode("latin-1"))
    (folder / "latin.mapping.yaml").write_text(
        "csv: latin\nprocedure: sefton/csc-statutory\n"
        "columns: {case: Référence, date: Date, event: Event}\n",
        encoding="utf-8",
    )
    return path


UNREAD = {
    "a path that does not exist": (
        lambda folder: folder / "casess.jsonl",
        "casess.jsonl: no such file or folder; check the path",
    ),
    "a folder with no cases": (
        lambda folder: (folder / "empty").mkdir() or folder / "empty",
        "empty: this folder holds no case files",
    ),
    "an export without its mapping": (
        _csv_without_mapping,
        "a CSV export needs its column mapping beside it",
    ),
    "an export that is not UTF-8": (_latin_export, "not UTF-8 text"),
    "an empty .jsonl file": (
        lambda folder: write(folder / "cases.jsonl", "", ""),
        "cases.jsonl: the file holds no cases (it is empty)",
    ),
    "a folder whose files hold no case": (
        lambda folder: write(folder / "blank" / "cases.jsonl", "").parent,
        "blank: no case records found there, so no report was made",
    ),
}


@pytest.mark.parametrize("fmt", ["markdown", "json", "csv"])
@pytest.mark.parametrize("shape", list(UNREAD), ids=list(UNREAD))
def test_input_that_cannot_be_read_makes_no_report(tmp_path: Path, shape: str, fmt: str) -> None:
    make, message = UNREAD[shape]
    good = write(tmp_path / "good.jsonl", line("S-1", SEFTON, ANSWERED))
    target = tmp_path / ("out" if fmt == "csv" else f"report.{fmt}")
    bad = make(tmp_path)
    result = run(
        "report", str(good), str(bad), "--year", "2024-25", "--format", fmt, "-o", str(target)
    )
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one line
    assert not target.exists()  # nothing written
    if fmt == "json":  # a program is told in JSON; no report
        assert set(json.loads(result.stdout)) == {"error"}
    else:
        assert result.stdout == ""
    assert_no_crash(result)


def test_the_working_folder_given_as_a_dot_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "cases" / "cases.jsonl", line("S-1", SEFTON, ANSWERED))
    monkeypatch.chdir(tmp_path)
    assert report(".", "--year", "2024-25")["representations"]["total"] == 1


def test_an_unknown_council_is_refused_with_the_nearest_name() -> None:
    result = run("report", str(EXAMPLE), "--year", "2024-25", "--council", "chesire-west")
    assert result.exit_code == 1
    assert "unknown council `chesire-west`; did you mean `cheshire-west`?" in result.stderr
    assert result.stdout == ""


# -- records refused one by one -------------------------------------------------------------------


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    return write(
        tmp_path / "cases.jsonl",
        line("S-1", SEFTON, ANSWERED),
        '{"case": "BROKEN", ',
        line("S-3", SEFTON, [{"date": "2024-02-30", "event": "complaint-received"}]),
    )


def test_refused_records_are_said_at_the_top_of_every_format(messy: Path, tmp_path: Path) -> None:
    args = ("report", str(messy), "--year", "2024-25")
    notice = (
        "2 records are not counted in these tables (unreadable, impossible, or a second, "
        "different record of a case)"
    )
    markdown = run(*args)
    assert markdown.exit_code == 1
    assert markdown.stdout.splitlines()[2].startswith(f"> **{notice}: see “Records not counted”")
    assert f"| {messy}:2 | {messy}:2 |" in markdown.stdout  # a broken line has no reference
    assert f"| {messy}:3 | S-3 |" in markdown.stdout
    text = run(*args, "--format", "text")
    assert text.stdout.splitlines()[2].startswith(f"NOTE: {notice}")
    data = json.loads(run(*args, "--format", "json").stdout)
    assert list(data)[:6] == ["year", "from", "to", "as_of", "council", "refused"]
    assert (data["refused"]["count"], data["refused"]["listed"]) == (2, 2)
    assert [c["where"] for c in data["refused"]["cases"]] == [f"{messy}:2", f"{messy}:3"]
    assert data["representations"]["total"] == 1  # the one that could be read
    folder = tmp_path / "tables"
    result = run(*args, "--format", "csv", "-o", str(folder))
    assert result.exit_code == 1
    assert "2 record(s) could not be counted: see refused.csv" in result.stderr
    rows = list(csv.reader(io.StringIO((folder / "refused.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["where", "case", "why"]
    assert [r[:2] for r in rows[1:]] == [[f"{messy}:2", f"{messy}:2"], [f"{messy}:3", "S-3"]]
    # and each one on the error output as it is found
    assert markdown.stderr.count("not counted: ") == 2


def test_strict_makes_a_refused_record_fatal(messy: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    result = run("report", str(messy), "--year", "2024-25", "--strict", "-o", str(target))
    assert result.exit_code == 1
    assert f"{messy}:2: " in result.stderr
    assert "with --strict no report is made while a record cannot be counted" in result.stderr
    assert not target.exists()
    clean = write(tmp_path / "clean.jsonl", line("S-1", SEFTON, ANSWERED))
    assert run("report", str(clean), "--year", "2024-25", "--strict").exit_code == 0


# -- whose report ---------------------------------------------------------------------------------


def test_the_report_names_its_council_when_it_is_one_councils(tmp_path: Path) -> None:
    cases = write(
        tmp_path / "cases.jsonl", line("S-1", SEFTON, RECEIVED), line("C-1", CW, RECEIVED)
    )
    assert report(str(cases), "--year", "2024-25")["council"] is None
    sefton = report(str(cases), "--year", "2024-25", "--council", "sefton")
    assert sefton["council"] == {"id": "sefton", "name": "Sefton Council"}
    markdown = run("report", str(cases), "--year", "2024-25", "--council", "sefton").stdout
    assert markdown.startswith("# Children's social care complaints, Sefton Council, 2024-25\n")
