"""Case records as a case system exports them: a CSV file, one row per event, with its column
mapping beside it (issue 14). `run` and `report` read it as they read case files."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import assert_no_crash, run

MAPPING = """csv: case-system-export
procedure: {column: Procedure}
columns: {case: Reference, date: Date, event: Event}
date_format: "%d/%m/%Y"
fields: {outcome: Outcome, limit: Extended to}
facts:
  complainant.role: Complainant
  service_area: Team
  point_of_receipt: Received via
  about_council_actions: About us
values:
  event: {Complaint received: complaint-received, Stage 1 response sent: stage-1-response-sent}
  outcome: {Upheld: upheld, Partly upheld: partially-upheld, Not upheld: not-upheld}
  complainant.role: {Parent: parent}
"""
HEADER = (
    "Reference,Procedure,Date,Event,Outcome,Complainant,Team,Received via,About us,Extended to\n"
)
CW = "cheshire-west/csc-statutory"


def export(folder: Path, rows: list[str], mapping: str = MAPPING) -> Path:
    path = folder / "export.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    (folder / "export.mapping.yaml").write_text(mapping, encoding="utf-8")
    return path


def test_a_csv_export_runs_and_bad_rows_are_reported_by_line_and_column(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        [
            f"CW-1,{CW},03/06/2024,Complaint received,,Parent,children-in-need-chester,customer-relations-team,yes,",
            f"CW-1,{CW},10/06/2024,Stage 1 response sent,Upheld,,,,,",
            f"CW-2,{CW},04/06/2024,Complaint received,,Parent,,other,yes,",
            f"CW-2,{CW},31/06/2024,Stage 1 response sent,Upheld,,,,,",
            f"CW-3,{CW},05/06/2024,Complaint received,,Parent,,other,perhaps,",
        ],
    )
    result = run("run", str(path), "--as-of", "2024-07-01", "--format", "jsonl")
    assert result.exit_code == 1  # two cases could not be evaluated; the third was
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    good = next(r for r in lines if r["case"] == "CW-1")
    # Mon 3 Jun 2024 + 10 working days = Mon 17 Jun; answered Mon 10 Jun: met
    stage_1 = next(d for d in good["deadlines"] if d["id"] == "stage-1-response")
    assert (stage_1["due"], stage_1["status"]) == ("2024-06-17", "met")
    errors = {r["case"]: r["error"] for r in lines if "error" in r}
    assert (errors["CW-2"]["line"], errors["CW-2"]["column"]) == (5, 3)  # the Date column
    assert "`31/06/2024` is not a real date in the form DD/MM/YYYY" in errors["CW-2"]["message"]
    assert (errors["CW-3"]["line"], errors["CW-3"]["column"]) == (6, 9)  # the About us column
    assert "`perhaps` is not yes or no" in errors["CW-3"]["message"]
    assert_no_crash(result)


def test_the_report_reads_the_same_export(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        [
            f"CW-1,{CW},03/06/2024,Complaint received,,Parent,children-in-need-chester,customer-relations-team,yes,",
            f"CW-1,{CW},10/06/2024,Stage 1 response sent,Partly upheld,,,,,",
        ],
    )
    data = json.loads(run("report", str(path), "--year", "2024-25", "--format", "json").stdout)
    assert data["outcomes"]["stage-1"]["partially-upheld"] == 1
    assert data["service_areas"] == {"children-in-need-chester": 1}
    assert data["points_of_receipt"] == {"customer-relations-team": 1}


def test_an_export_without_its_mapping_says_what_to_write(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(HEADER, encoding="utf-8")
    result = run("run", str(path))
    assert result.exit_code == 1
    assert "a CSV export needs its column mapping beside it: write" in result.output
    assert "export.mapping.yaml" in result.output


def test_a_mapping_naming_a_column_the_export_lacks(tmp_path: Path) -> None:
    path = export(tmp_path, [], MAPPING.replace("Team", "Service team"))
    result = run("run", str(path))
    assert result.exit_code == 1
    assert "the mapping names column(s) the export does not have: Service team" in result.output


def test_rows_of_one_case_apart_are_refused_and_the_rest_carry_on(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        [
            f"CW-1,{CW},03/06/2024,Complaint received,,Parent,,other,yes,",
            f"CW-2,{CW},04/06/2024,Complaint received,,Parent,,other,yes,",
            f"CW-1,{CW},10/06/2024,Stage 1 response sent,Upheld,,,,,",
        ],
    )
    result = run("run", str(path), "--as-of", "2024-07-01", "--format", "jsonl")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["case"] for r in lines if "error" not in r] == ["CW-1", "CW-2"]
    [apart] = [r for r in lines if "error" in r]
    assert (
        "the rows of case `CW-1` are not together: sort the export by Reference"
        in apart["error"]["message"]
    )
    assert apart["error"]["line"] == 4


def test_broken_exports_are_refused_with_what_to_do(tmp_path: Path) -> None:
    header_only = export(tmp_path, [])
    result = run("run", str(header_only))
    assert result.exit_code == 1
    assert "the export has a header but no rows: export the cases too" in result.output

    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.replace("Received via", "Reçu").encode("latin-1"))
    (tmp_path / "latin.mapping.yaml").write_text(MAPPING, encoding="utf-8")
    result = run("run", str(latin))
    assert result.exit_code == 1 and "not UTF-8 text: save the export as UTF-8" in result.output

    wide = export(tmp_path, [f"CW-1,{CW},03/06/2024,Complaint received,,Parent,,other,yes,,LOST"])
    result = run("run", str(wide), "--as-of", "2024-07-01")
    assert result.exit_code == 1
    assert "this row has 11 cells, more than the header's 10 columns" in result.output

    odd = export(tmp_path, [], MAPPING.replace('"%d/%m/%Y"', '"%Q"'))
    result = run("run", str(odd))
    assert result.exit_code == 1
    assert "`%Q` is not a date format: write it with %d, %m and %Y" in result.output
    assert_no_crash(result)


def test_a_row_past_the_size_bound_is_reported_not_held_or_dropped(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        [
            f"CW-1,{CW},03/06/2024,Complaint received,{'x' * (2 << 20)},Parent,,other,yes,",
            f"CW-2,{CW},04/06/2024,Complaint received,,Parent,,other,yes,",
        ],
    )
    result = run("run", str(path), "--as-of", "2024-07-01", "--format", "jsonl")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["case"] for r in lines if "error" not in r] == ["CW-2"]
    [long] = [r for r in lines if "error" in r]
    assert long["error"]["line"] == 2
    assert "this row is longer than 1 MiB" in long["error"]["message"]
