"""`csc-rules run` and `csc-rules test`, and the developers' Python example (docs/developers.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run

EXAMPLE = str(ROOT / "examples" / "sefton-late-acknowledgement.yaml")


def test_the_late_acknowledgement_example() -> None:
    result = run("run", EXAMPLE, "--as-of", "2025-01-20", "--explain")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "open: stage 1, state stage-1"
    assert re.search(
        r"^2024-12-20  complaint-received +acknowledgement +2024-12-27  missed by 1 working day \(done 2024-12-30\)$",
        result.stdout,
        re.M,
    )
    assert re.search(
        r"^ +stage-1-response +2025-01-08  overdue by 8 working days$", result.stdout, re.M
    )
    assert (
        "due 2025-01-08: 10 working days after receipt on 2024-12-20, skipping Christmas Day, Boxing Day and New Year's Day"
        in result.stdout
    )
    assert "2024-12-30  acknowledged" in lines


def test_json_matches_the_design_contract() -> None:
    data = json.loads(run("run", EXAMPLE, "--as-of", "2025-01-20", "--format", "json").stdout)
    assert {
        "case",
        "procedure",
        "version",
        "as_of",
        "status",
        "stage",
        "state",
        "deadlines",
        "next_events",
        "eligibility",
        "warnings",
    } <= set(data)
    ack = data["deadlines"][0]
    assert (
        ack["id"],
        ack["kind"],
        ack["from"],
        ack["due"],
        ack["done_on"],
        ack["status"],
        ack["working_days_late"],
    ) == (
        "acknowledgement",
        "duty",
        "2024-12-20",
        "2024-12-27",
        "2024-12-30",
        "missed",
        1,
    )
    assert ack["sources"][0].startswith("000_0386b032216d3c7d.txt")


def test_a_folder_and_jsonl_carry_on_past_a_broken_case(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.yaml").write_text(Path(EXAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    broken_event = "  - {date: 2024-12-20, event: complaint-recieved}"
    (folder / "b.yaml").write_text(
        f"case: BROKEN-1\nprocedure: sefton/csc-statutory\nevents:\n{broken_event}\n",
        encoding="utf-8",
    )
    column = broken_event.index("complaint-recieved") + 1
    result = run("run", str(folder), "--as-of", "2025-01-20", "--format", "jsonl")
    assert result.exit_code == 1
    good, bad = (json.loads(line) for line in result.stdout.splitlines())
    assert good["case"] == "SEF-2024-0917" and "error" not in good
    assert bad["case"] == "BROKEN-1"
    assert (bad["error"]["code"], bad["error"]["line"], bad["error"]["column"]) == (
        "unknown-event",
        4,
        column,
    )
    assert (
        f"BROKEN-1: {folder / 'b.yaml'}:4:{column}: error[unknown-event]: `sefton/csc-statutory` has no event `complaint-recieved`; did you mean `complaint-received`?"
        in result.stderr
    )
    assert "Error: 1 case could not be evaluated; see above" in result.stderr
    lines = tmp_path / "cases.jsonl"
    good = {
        "case": "J-1",
        "procedure": "islington/csc-statutory",
        "events": [{"date": "2024-12-20", "event": "complaint-received"}],
    }
    lines.write_text(
        json.dumps(good)
        + "\n{not json\n"
        + json.dumps({**good, "case": "J-3", "procedure": "nowhere/x"})
        + "\n",
        encoding="utf-8",
    )
    result = run("run", str(lines), "--as-of", "2024-12-27", "--format", "jsonl")
    assert result.exit_code == 1
    results = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(r["case"], "error" in r) for r in results] == [
        ("J-1", False),
        (f"{lines}:2", True),
        ("J-3", True),
    ]
    assert results[1]["error"]["code"] == "invalid-json"
    assert f"{lines}:2: {lines}:2:2: error[invalid-json]" in result.stderr
    assert "J-3: " in result.stderr and "no procedure is called `nowhere/x`" in result.stderr


def test_bad_as_of_is_one_line() -> None:
    result = run("run", EXAMPLE, "--as-of", "2025-02-30")
    assert (result.exit_code, result.stderr) == (1, "Error: `2025-02-30` is not a real date\n")


def test_scenarios_pass_through_the_cli() -> None:
    result = run("test", str(ROOT / "councils" / "sefton" / "scenarios"))
    assert result.exit_code == 0, result.output
    assert re.search(r"^\d+ passed, 0 failed$", result.stdout, re.M)


def test_a_failing_scenario_says_what_differs(tmp_path: Path) -> None:
    text = (ROOT / "councils/sefton/scenarios/01-late-acknowledgement.yaml").read_text(
        encoding="utf-8"
    )
    broken = tmp_path / "wrong.yaml"
    broken.write_text(text.replace("due: 2024-12-27", "due: 2024-12-24"), encoding="utf-8")
    result = run("test", str(broken))
    assert result.exit_code == 1
    assert "     deadline acknowledgement: due expected 2024-12-24, got 2024-12-27" in result.stdout
    assert result.stdout.rstrip().endswith("0 passed, 1 failed")


def test_the_documented_python_example_prints_what_it_says() -> None:
    page = (ROOT / "docs" / "developers.md").read_text(encoding="utf-8")
    code = page.split("## The Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    expected = [
        line.split("# ", 1)[1].split(":")[0].strip()
        for line in code.splitlines()
        if line.startswith("print(")
    ]
    out = io.StringIO()
    old = os.getcwd()
    try:
        os.chdir(ROOT)
        with contextlib.redirect_stdout(out):
            exec(compile(code, "docs/developers.md", "exec"), {})
    finally:
        os.chdir(old)
    assert out.getvalue().splitlines() == expected


# three csc-rules processes
@pytest.mark.slow
def test_the_version_in_force_when_the_complaint_was_received(tmp_path: Path) -> None:
    """A council publishes a new version: earlier complaints keep the old limits."""
    import shutil
    import subprocess
    import sys

    for folder in ("rules", "councils"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    newer = (ROOT / "councils/sefton/csc-statutory.yaml").read_text(encoding="utf-8")
    newer = newer.replace(
        'version: "2023-11-17"\neffective: 2023-11-17',
        'version: "2026-04-01"\neffective: 2026-04-01',
    )
    newer = newer.replace(
        "limit: {amount: 3, unit: working-days}\n    met_by: [acknowledged]",
        "limit: {amount: 5, unit: working-days}\n    met_by: [acknowledged]",
    )
    (tmp_path / "councils/sefton/csc-statutory-2026.yaml").write_text(newer, encoding="utf-8")
    for received, due in (("2026-03-30", "2026-04-02"), ("2026-04-13", "2026-04-20")):
        # 2026: Good Friday 3 Apr, Easter Monday 6 Apr. Old version, 3 working days from Mon 30 Mar:
        # 31, 1, 2 Apr. New version, 5 from Mon 13 Apr: 14, 15, 16, 17, 20 Apr.
        case = tmp_path / f"case-{received}.yaml"
        case.write_text(
            f"case: V\nprocedure: sefton/csc-statutory\nevents:\n  - {{date: {received}, event: complaint-received}}\n",
            encoding="utf-8",
        )
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "csc_rules",
                "run",
                str(case),
                "--as-of",
                "2026-04-21",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        ack = next(d for d in data["deadlines"] if d["id"] == "acknowledgement")
        assert (data["version"], ack["due"]) == (
            "2023-11-17" if received < "2026-04-01" else "2026-04-01",
            due,
        )
    listed = subprocess.run(
        [sys.executable, "-m", "csc_rules", "list", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert [
        e["version"] for e in json.loads(listed.stdout) if e["id"] == "sefton/csc-statutory"
    ] == ["2023-11-17", "2026-04-01"]
    compiled = subprocess.run(
        [sys.executable, "-m", "csc_rules", "compile", "--all", "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert compiled.returncode == 0, compiled.stderr
    assert {p.name for p in (tmp_path / "out").glob("sefton-csc-statutory*.json")} == {
        "sefton-csc-statutory-2023-11-17.json",
        "sefton-csc-statutory-2026-04-01.json",
    }


def test_every_example_runs() -> None:
    result = run("run", str(ROOT / "examples"), "--as-of", "2025-04-01", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    every = [json.loads(line)["case"] for line in result.stdout.splitlines()]
    # the annual report's made-up caseload, then the examples a newcomer runs
    assert len([c for c in every if c.startswith("CW-2425-")]) == 123
    cases = [c for c in every if not c.startswith("CW-2425-")]
    assert cases == [
        "BATCH-1",
        "BATCH-2",
        "BATCH-3",
        "SEF-2025-0101",
        "CW-2025-0102",
        "ISL-2025-0103",
        "ISL-2024-0311",
        "SEF-2024-0917",
    ]


def test_the_quick_start_example_is_an_eligible_complaint() -> None:
    result = run("run", EXAMPLE, "--as-of", "2025-01-20")
    assert result.stdout.rstrip().endswith("eligibility: eligible (csc-statutory)")


def test_jobs_spread_a_batch_over_processes_in_input_order(tmp_path: Path) -> None:
    from csc_rules.cases.runner import CHUNK

    lines = (ROOT / "examples/cases.jsonl").read_text(encoding="utf-8").splitlines()
    batch = tmp_path / "batch.jsonl"
    count = CHUNK + 10  # more than one chunk, so that two jobs do spread
    with batch.open("w", encoding="utf-8") as handle:
        for number in range(count):
            case = json.loads(lines[number % len(lines)])
            case["case"] = f"B-{number}"
            handle.write(json.dumps(case) + "\n")
    args = ("run", str(batch), "--as-of", "2025-06-01", "--format", "jsonl")
    alone, spread = run(*args, "--jobs", "1"), run(*args, "--jobs", "2")
    assert alone.exit_code == spread.exit_code == 0, spread.output
    assert spread.stdout == alone.stdout
    assert [json.loads(line)["case"] for line in spread.stdout.splitlines()] == [
        f"B-{number}" for number in range(count)
    ]


def _slow_when_marked(result: Any) -> str:
    """Renders a result, slowly for a case marked SLOW: a worker given those takes longer than
    the other worker takes over the chunks after them (module level, so workers can call it)."""
    if result.case.startswith("SLOW-"):
        time.sleep(0.002)
    return str(result.case)


def test_jobs_keep_the_input_order_when_early_cases_take_longest(tmp_path: Path) -> None:
    from csc_rules.cases.runner import CHUNK, run_cases

    case = json.loads((ROOT / "examples/cases.jsonl").read_text(encoding="utf-8").splitlines()[0])
    batch = tmp_path / "batch.jsonl"
    count = CHUNK * 3 + 7
    with batch.open("w", encoding="utf-8") as handle:
        for number in range(count):
            if number == CHUNK + 3:
                handle.write("{not a case\n")  # refused in its place, not first or last
                continue
            case["case"] = f"{'SLOW' if number < CHUNK else 'FAST'}-{number}"
            handle.write(json.dumps(case) + "\n")
    day = dt.date(2025, 6, 1)
    spread = list(run_cases([batch], day, False, jobs=2, render=_slow_when_marked))
    expected = [f"{'SLOW' if number < CHUNK else 'FAST'}-{number}" for number in range(count)]
    expected[CHUNK + 3] = f"refused at line {CHUNK + 4}"
    assert [o.text if o.ok else f"refused at line {o.line}" for o in spread] == expected
    assert [o.line for o in spread] == list(range(1, count + 1))


def test_jobs_is_at_least_one() -> None:
    result = run("run", EXAMPLE, "--jobs", "0")
    assert result.exit_code == 2
    assert "Invalid value for '--jobs'" in result.stderr
