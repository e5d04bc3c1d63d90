"""`csc-rules report --figures FILE.yaml`: a figures file that cannot be used makes no report,
and says where each problem is (file, line, column) and what to do, as the other readers do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, assert_no_crash, run

EXAMPLE = ROOT / "examples" / "annual-report" / "cheshire-west-2024-25.jsonl"

# (what is wrong, the file, each problem as `line:column: error[code]` and a part of its words)
BROKEN = [
    (
        "a year written wrongly",
        'years:\n  "2023-25":\n    compliments: 3\n',
        [("2:3: error[bad-year]", "the year after 2023 is 2024")],
    ),
    (
        "a year that is not one",
        "years:\n  last year:\n    compliments: 3\n",
        [("2:3: error[bad-year]", "write it as 2024-25")],
    ),
    (
        "a count that is not one",
        'years:\n  "2023-24":\n    compliments: -2\n    enquiries: {mp: four}\n',
        [
            ("3:18: error[invalid-value]", "it must be at least 0"),
            ("4:21: error[wrong-type]", "should be a whole number, not the text `four`"),
        ],
    ),
    (
        "a misspelt key",
        'years:\n  "2023-24":\n    complements: 3\n',
        [("3:5: error[unknown-key]", "did you mean `compliments`?")],
    ),
    (
        "a stage the report does not count, and a band the stage does not have",
        'years:\n  "2023-24":\n    published:\n      outcomes:\n        stage-4: {upheld: 1}\n'
        "      response_times:\n        stage-1: {within-15: 3}\n",
        [
            ("5:9: error[unknown-stage]", "did you mean `stage-3`?"),
            ("7:19: error[unknown-band]", "its bands: within-10, within-20"),
        ],
    ),
    (
        "a published table the report does not have",
        'years:\n  "2023-24":\n    published:\n      complainant: {parent: 3}\n',
        [("4:7: error[unknown-key]", "did you mean `complainants`?")],
    ),
    (
        "the Ombudsman's decisions not adding up",
        'years:\n  "2023-24":\n    ombudsman:\n      decided: 12\n'
        "      decisions: {advice-given: 1, upheld: 2}\n",
        [("5:18: error[figures-disagree]", "the decisions add up to 3, not the 12")],
    ),
    (
        "no years",
        "council: cheshire-west\n",
        [("1:1: error[missing-key]", "is missing `years`")],
    ),
    (
        "an empty file",
        "",
        [("1:1: error[empty-file]", "a figures file gives `years:`")],
    ),
    (
        "not YAML",
        "years: [\n",
        [("2:1: error[yaml-syntax]", "YAML syntax")],
    ),
]


@pytest.mark.parametrize(("text", "problems"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_figures_file_makes_no_report_and_says_where(
    tmp_path: Path, text: str, problems: list[tuple[str, str]]
) -> None:
    figures = tmp_path / "cw.figures.yaml"
    figures.write_text(text, encoding="utf-8")
    out = tmp_path / "report.md"
    result = run(
        "report", str(EXAMPLE), "--year", "2024-25", "--figures", str(figures), "-o", str(out)
    )
    assert_no_crash(result)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    for where, words in problems:
        assert any(f"cw.figures.yaml:{where}" in line and words in line for line in lines), lines
    assert "no report was made" in lines[-1]
    assert not out.exists()


def test_a_missing_figures_file_is_named(tmp_path: Path) -> None:
    result = run(
        "report", str(EXAMPLE), "--year", "2024-25", "--figures", str(tmp_path / "none.yaml")
    )
    assert result.exit_code == 1
    assert "none.yaml:1:1: error[file-not-found]: no such file; check the path" in result.stderr
    assert result.stdout == ""


def test_figures_of_another_council_are_refused(tmp_path: Path) -> None:
    figures = tmp_path / "s.figures.yaml"
    figures.write_text('council: sefton\nyears: {"2023-24": {compliments: 1}}\n', encoding="utf-8")
    result = run("report", str(EXAMPLE), "--year", "2024-25", "--figures", str(figures))
    assert result.exit_code == 1
    assert "the figures are sefton's (`council: sefton`), but the report is cheshire-west's" in (
        result.output
    )
    assert "no report was made" in result.output


def test_a_figures_file_among_the_cases_must_say_what_it_is(tmp_path: Path) -> None:
    """A folder of cases is read whole: a figures file there is read as a case unless its name
    ends in .figures.yaml."""
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "cases.jsonl").write_bytes(EXAMPLE.read_bytes())
    (folder / "figures.yaml").write_text('years: {"2023-24": {compliments: 1}}\n', "utf-8")
    result = run(
        "report", str(folder), "--year", "2024-25", "--figures", str(folder / "figures.yaml")
    )
    assert result.exit_code == 1
    assert "name it <name>.figures.yaml" in result.output
    (folder / "figures.yaml").rename(folder / "cw.figures.yaml")
    named = run(
        "report", str(folder), "--year", "2024-25", "--figures", str(folder / "cw.figures.yaml"),
        "--format", "json",
    )  # fmt: skip
    assert named.exit_code == 0, named.output  # read as figures, not as a case
    data = json.loads(named.stdout)
    assert data["representations"]["total"] == 123 and data["refused"]["count"] == 0
    assert data["previous_years"][0]["given"] == {"compliments": 1}


def test_the_report_never_writes_over_its_figures_file(tmp_path: Path) -> None:
    figures = tmp_path / "cw.figures.yaml"
    text = 'years: {"2023-24": {compliments: 1}}\n'
    figures.write_text(text, encoding="utf-8")
    result = run(
        "report", str(EXAMPLE), "--year", "2024-25", "--figures", str(figures), "-o", str(figures)
    )
    assert result.exit_code == 1
    assert "refusing to write" in result.output
    assert figures.read_text(encoding="utf-8") == text


def test_json_gives_the_first_problem_of_a_broken_figures_file(tmp_path: Path) -> None:
    figures = tmp_path / "cw.figures.yaml"
    figures.write_text('years:\n  "2023-24":\n    compliments: many\n', encoding="utf-8")
    result = run(
        "report", str(EXAMPLE), "--year", "2024-25", "--figures", str(figures), "--format", "json"
    )
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert (error["code"], error["line"], error["column"]) == ("wrong-type", 3, 18)
    assert error["yaml_path"] == "$.years.2023-24.compliments"
    assert error["path"].endswith("cw.figures.yaml")
