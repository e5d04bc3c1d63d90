"""`csc-rules impact`, as a policy officer uses it before publishing a change: the counts are
those two separate runs of `run` give, the proposal is checked first, and the library is never
written to. Due dates here are counted by hand in the comments."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from caseload import caseload

from conftest import ROOT, run

SEFTON = ROOT / "councils" / "sefton" / "csc-statutory.yaml"
# Sefton states no stage 1 limit of its own: it takes the statute's 10 working days. The
# proposal states 15.
STAGE_1_AT_15 = (
    "  stage-1-response:\n    actor: complaints-officer\n",
    "  stage-1-response:\n    actor: complaints-officer\n"
    "    limit: {amount: 15, unit: working-days}\n",
)


def _proposed(folder: Path) -> Path:
    text = SEFTON.read_text(encoding="utf-8")
    assert STAGE_1_AT_15[0] in text
    path = folder / "csc-statutory.yaml"
    path.write_text(text.replace(*STAGE_1_AT_15, 1), encoding="utf-8")
    return path


def _jsonl(path: Path, cases: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(case) + "\n" for case in cases), encoding="utf-8")
    return path


def _impact(*args: str) -> Any:
    result = run("impact", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# Received Fri 2024-12-20. Stage 1 at 10 working days: 23, 24, 27, 30, 31 Dec, (1 Jan bank
# holiday) 2, 3, 6, 7, 8 Jan: 2025-01-08. At 15: 9, 10, 13, 14, 15 Jan: 2025-01-15. Answered on
# 10 Jan: late now, in time under the proposal.
CHRISTMAS = {
    "case": "XMAS-1",
    "procedure": "sefton/csc-statutory",
    "events": [
        {"date": "2024-12-20", "event": "complaint-received"},
        {"date": "2024-12-23", "event": "acknowledged"},
        {"date": "2025-01-10", "event": "stage-1-response-sent", "outcome": "upheld"},
    ],
}
OTHER_COUNCIL = {
    "case": "CW-1",
    "procedure": "cheshire-west/csc-statutory",
    "events": [{"date": "2024-12-20", "event": "complaint-received"}],
}


def test_a_late_answer_becomes_in_time_and_nothing_else_moves(tmp_path: Path) -> None:
    cases = _jsonl(tmp_path / "cases.jsonl", [CHRISTMAS, OTHER_COUNCIL])
    data = _impact(
        str(cases),
        "--proposed",
        str(_proposed(tmp_path)),
        "--as-of",
        "2025-03-01",
        "--format",
        "json",
    )
    assert list(data) == ["procedures", "summary", "changes", "warnings"]
    assert [p["id"] for p in data["procedures"]] == ["sefton/csc-statutory"]
    rows = {row["id"]: row for row in data["procedures"][0]["diff"]["deadlines"]}
    assert rows["stage-1-response"]["differs"] == ["limit"]
    assert data["summary"]["stage-1-response"] == {
        "before": {"missed": 1},
        "after": {"met": 1},
        "moved": {"missed->met": 1},
    }
    assert data["summary"]["acknowledgement"]["moved"] == {}
    assert data["changes"] == [
        {
            "case": "XMAS-1",
            "deadline": "stage-1-response",
            "before": {"due": "2025-01-08", "status": "missed"},
            "after": {"due": "2025-01-15", "status": "met"},
        }
    ]
    text = run(
        "impact",
        str(cases),
        "--proposed",
        str(tmp_path / "csc-statutory.yaml"),
        "--as-of",
        "2025-03-01",
    )
    assert "10 working days" in text.stdout and "15 working days" in text.stdout
    assert "1 missed to met" in text.stdout
    assert "1 cases of procedures the change leaves alone" in text.stderr


def test_a_proposal_that_does_not_validate_is_refused_before_any_case_is_read(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "csc-statutory.yaml"
    text = _proposed(tmp_path).read_text(encoding="utf-8")
    broken.write_text(text.replace("amount: 15, unit: working-days", "amount: 15, unit: weeks"))
    missing = tmp_path / "no-such-cases.jsonl"  # never opened: the proposal is refused first
    result = run("impact", str(missing), "--proposed", str(broken))
    assert result.exit_code == 1
    assert "csc-statutory.yaml:" in result.stderr and "error[invalid-value]" in result.stderr
    assert "weeks" in result.stderr
    assert "no-such-cases" not in result.stderr


def test_the_library_is_never_written_to(tmp_path: Path) -> None:
    before = SEFTON.read_bytes()
    cases = _jsonl(tmp_path / "cases.jsonl", [CHRISTMAS])
    proposed = _proposed(tmp_path)
    subprocess.run(  # from outside the library, where its files are shown by whole paths
        [sys.executable, "-m", "csc_rules", "impact", "cases.jsonl", "--proposed", proposed.name],
        cwd=tmp_path,
        capture_output=True,
        env=dict(os.environ),
        check=True,
    )
    assert SEFTON.read_bytes() == before
    out = tmp_path / "impact.csv"
    result = run("impact", str(cases), "--proposed", str(proposed), "-o", str(proposed))
    assert result.exit_code == 1 and "csc-statutory.yaml" in result.output
    assert proposed.read_text(encoding="utf-8").count("amount: 15") == 1
    result = run(
        "impact", str(cases), "--proposed", str(proposed), "--format", "csv", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines()[1].startswith("XMAS-1,stage-1-response,2025-01-08,missed")


def test_a_proposal_that_changes_nothing_says_so(tmp_path: Path) -> None:
    cases = _jsonl(tmp_path / "cases.jsonl", [CHRISTMAS])
    same = tmp_path / "csc-statutory.yaml"
    shutil.copyfile(SEFTON, same)
    data = _impact(str(cases), "--proposed", str(same), "--format", "json")
    assert data == {
        "procedures": [],
        "summary": {},
        "changes": [],
        "warnings": {"appear": {}, "disappear": {}},
    }


def _statuses(lines: str) -> dict[str, dict[str, tuple[str | None, str]]]:
    """Each Sefton statutory case's deadlines from `run --format json`: (due, status) by id."""
    found = {}
    for result in json.loads(lines):
        if result.get("procedure") == "sefton/csc-statutory":
            found[result["case"]] = {d["id"]: (d["due"], d["status"]) for d in result["deadlines"]}
    return found


def _warnings(lines: str) -> dict[str, Counter[str]]:
    return {
        r["case"]: Counter(w["code"] for w in r["warnings"])
        for r in json.loads(lines)
        if r.get("procedure") == "sefton/csc-statutory"
    }


@pytest.mark.slow
def test_the_counts_are_those_of_two_runs_of_run(tmp_path: Path) -> None:
    """The issue's test: Sefton's stage 1 limit from 10 to 15 working days on a generated
    caseload; `run` on the library as it is, and `run` in a copy of the library with the
    change, give the counts `impact` gives."""
    cases = _jsonl(tmp_path / "cases.jsonl", caseload(900, seed=27)[0])
    as_of = "2026-01-05"  # after every receipt the generator makes
    copy = tmp_path / "library"
    for part in ("rules", "councils"):
        shutil.copytree(ROOT / part, copy / part)
    proposed = _proposed(tmp_path)
    shutil.copyfile(proposed, copy / "councils" / "sefton" / "csc-statutory.yaml")
    now = run("run", str(cases), "--as-of", as_of, "--format", "json")
    assert now.exit_code == 0, now.stderr
    then = subprocess.run(
        [
            sys.executable,
            "-m",
            "csc_rules",
            "run",
            str(cases),
            "--as-of",
            as_of,
            "--format",
            "json",
        ],
        cwd=copy,  # the copy is the library its working folder holds
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=True,
    )
    before, after = _statuses(now.stdout), _statuses(then.stdout)
    assert before.keys() == after.keys() and len(before) == 300
    summary: dict[str, dict[str, Counter[str]]] = {}
    changes = set()
    for case, deadlines in before.items():
        for key in deadlines.keys() | after[case].keys():
            a, b = deadlines.get(key, (None, "absent")), after[case].get(key, (None, "absent"))
            counts = summary.setdefault(
                key, {"before": Counter(), "after": Counter(), "moved": Counter()}
            )
            counts["before"][a[1]] += 1
            counts["after"][b[1]] += 1
            if a[1] != b[1]:
                counts["moved"][f"{a[1]}->{b[1]}"] += 1
            if a != b:
                changes.add((case, key, *a, *b))
    appear, disappear = Counter[str](), Counter[str]()
    was, now_ = _warnings(now.stdout), _warnings(then.stdout)
    for case in was:
        appear.update(now_[case] - was[case])
        disappear.update(was[case] - now_[case])

    data = _impact(
        str(cases), "--proposed", str(proposed), "--as-of", as_of, "--format", "json", "--jobs", "2"
    )
    assert data["summary"] == {
        key: {name: dict(counter) for name, counter in counts.items()}
        for key, counts in summary.items()
    }
    got = {
        (
            c["case"],
            c["deadline"],
            c["before"]["due"],
            c["before"]["status"],
            c["after"]["due"],
            c["after"]["status"],
        )
        for c in data["changes"]
    }
    assert got == changes and len(data["changes"]) == len(changes)
    assert data["warnings"] == {"appear": dict(appear), "disappear": dict(disappear)}
    # The change does something a complaints manager would notice: late answers become in time.
    moved = data["summary"]["stage-1-response"]["moved"]
    assert moved.get("missed->met", 0) > 10


# Sefton's corporate procedure of 2026 adds an acknowledgement within 5 working days, which the
# 2023 version does not have. Received Mon 2025-06-02: 3, 4, 5, 6, 9 Jun, due 2025-06-09.
CORPORATE = [
    {
        "case": f"CORP-{number}",
        "procedure": "sefton/corporate",
        "events": [
            {"date": "2025-06-02", "event": "complaint-received"},
            {"date": day, "event": "acknowledged"},
        ],
    }
    for number, day in ((1, "2025-06-05"), (2, "2025-06-16"))
]


def test_the_2026_version_tried_on_last_years_cases(tmp_path: Path) -> None:
    cases = _jsonl(tmp_path / "cases.jsonl", CORPORATE)
    version = str(ROOT / "councils" / "sefton" / "corporate-2026-04-01.yaml")
    as_is = _impact(str(cases), "--proposed", version, "--format", "json")
    assert as_is["changes"] == []  # the file is the library's own: in force from 2026 only
    data = _impact(
        str(cases),
        "--proposed",
        version,
        "--apply-to-all",
        "--as-of",
        "2025-07-01",
        "--format",
        "json",
    )
    assert data["summary"]["acknowledgement"] == {
        "before": {"absent": 2},
        "after": {"met": 1, "missed": 1},
        "moved": {"absent->met": 1, "absent->missed": 1},
    }
    assert [(c["case"], c["after"]) for c in data["changes"]] == [
        ("CORP-1", {"due": "2025-06-09", "status": "met"}),
        ("CORP-2", {"due": "2025-06-09", "status": "missed"}),
    ]
    assert data["warnings"]["appear"] == {"before-first-version": 2}


def test_the_annual_reports_figures_before_and_after(tmp_path: Path) -> None:
    """The report measures stage 1 against the statute's 20 working days: the answer on the
    12th working day (23, 24, 27, 30, 31 Dec, 2, 3, 6, 7, 8, 9, 10 Jan) is in time both ways;
    only the duty's own verdict, by Sefton's limit, moves."""
    cases = _jsonl(tmp_path / "cases.jsonl", [CHRISTMAS, OTHER_COUNCIL])
    data = _impact(
        str(cases),
        "--proposed",
        str(_proposed(tmp_path)),
        "--as-of",
        "2025-03-01",
        "--year",
        "2024-25",
        "--format",
        "json",
    )
    stage_1 = data["report"]["stages"]["stage-1"]
    assert stage_1 == {
        "before": {"in_time": 1, "judged": 1, "duty": {"missed": 1}},
        "after": {"in_time": 1, "judged": 1, "duty": {"met": 1}},
    }
    assert data["report"]["year"] == "2024-25"
    bad = run(
        "impact", str(cases), "--proposed", str(tmp_path / "csc-statutory.yaml"), "--year", "2024"
    )
    assert bad.exit_code == 1 and "2024-25" in bad.output


def test_the_page_charts_each_deadline_before_and_after(tmp_path: Path) -> None:
    cases = _jsonl(tmp_path / "cases.jsonl", [CHRISTMAS])
    page = tmp_path / "impact.html"
    result = run(
        "impact",
        str(cases),
        "--proposed",
        str(_proposed(tmp_path)),
        "--as-of",
        "2025-03-01",
        "--year",
        "2024-25",
        "--format",
        "html",
        "-o",
        str(page),
    )
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    # acknowledgement, stage 1 and the stage 2 request window: a chart and a table each
    assert text.count("<svg") == 3 and text.count("<table>") == 4
    assert "stage-1-response: cases by status before" in text
    assert "<tr><td>missed</td><td>1</td><td>0</td></tr>" in text
    assert "<tr><td>met</td><td>0</td><td>1</td></tr>" in text
    assert "<script" not in text and "http" not in text.split("</head>")[1]


def test_a_new_version_goes_beside_the_one_in_force(tmp_path: Path) -> None:
    """A proposed 2026 version of Sefton's statutory procedure, in a file of the same name as
    the version in force: cases received before it keep the version in force both ways."""
    text = _proposed(tmp_path).read_text(encoding="utf-8")
    text = text.replace(
        'version: "2023-11-17"\neffective: 2023-11-17',
        'version: "2026-04-01"\neffective: 2026-04-01',
        1,
    )
    assert 'version: "2026-04-01"' in text
    (tmp_path / "csc-statutory.yaml").write_text(text, encoding="utf-8")
    late = {
        **CHRISTMAS,
        "case": "LATE-1",
        "events": [{"date": "2026-04-01", "event": "complaint-received"}],
    }
    cases = _jsonl(tmp_path / "cases.jsonl", [CHRISTMAS, late])
    data = _impact(
        str(cases),
        "--proposed",
        str(tmp_path / "csc-statutory.yaml"),
        "--as-of",
        "2026-06-01",
        "--format",
        "json",
    )
    assert [(p["id"], p["version"], "replaces" in p) for p in data["procedures"]] == [
        ("sefton/csc-statutory", "2026-04-01", False)
    ]
    # Received Wed 1 Apr 2026; Good Friday 3 Apr and Easter Monday 6 Apr are bank holidays.
    # 10 working days: 2, 7, 8, 9, 10, 13, 14, 15, 16, 17 Apr; 15: and 20, 21, 22, 23, 24 Apr.
    # Unanswered on 1 June: overdue both ways. XMAS-1, received in 2024, keeps the 2023 version.
    assert data["changes"] == [
        {
            "case": "LATE-1",
            "deadline": "stage-1-response",
            "before": {"due": "2026-04-17", "status": "overdue"},
            "after": {"due": "2026-04-24", "status": "overdue"},
        }
    ]


def test_a_whole_library_folder_as_the_proposal(tmp_path: Path) -> None:
    copy = tmp_path / "library"
    for part in ("rules", "councils"):
        shutil.copytree(ROOT / part, copy / part)
    shutil.copyfile(_proposed(tmp_path), copy / "councils" / "sefton" / "csc-statutory.yaml")
    cases = _jsonl(tmp_path / "cases.jsonl", [CHRISTMAS, OTHER_COUNCIL])
    data = _impact(str(cases), "--proposed", str(copy), "--as-of", "2025-03-01", "--format", "json")
    assert [p["id"] for p in data["procedures"]] == ["sefton/csc-statutory"]
    assert data["summary"]["stage-1-response"]["moved"] == {"missed->met": 1}
    not_a_library = run("impact", str(cases), "--proposed", str(tmp_path / "library" / "rules"))
    assert not_a_library.exit_code == 1 and "rules/vocabulary.yaml and councils/" in (
        not_a_library.output
    )


def test_the_command_offers_every_format_the_comparison_has() -> None:
    from csc_rules.cli.impact import IMPACT_FORMATS
    from csc_rules.reports.impact_formats import FORMATS

    assert tuple(FORMATS) == IMPACT_FORMATS
