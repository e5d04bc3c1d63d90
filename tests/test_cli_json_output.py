"""With --format json, standard output is one JSON document whatever happens; with jsonl, a line a case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from conftest import ROOT, assert_no_crash, run

EXAMPLE = str(ROOT / "examples" / "sefton-late-acknowledgement.yaml")
ERROR_KEYS = {"code", "message", "path", "line", "column"}
LONG_NAME = "x" * 300


def document(result: Result) -> Any:
    """Standard output as one JSON document: json.loads refuses two back to back, or none."""
    return json.loads(result.stdout)


def an_error(value: Any) -> dict[str, Any]:
    assert isinstance(value, dict) and set(value) >= {"error"}, value
    assert set(value["error"]) >= ERROR_KEYS, value["error"]
    return value["error"]


# (command, exit code, error code): commands that fail, each asked for JSON.
FAILING = [
    (["show", "nowhere/x"], 1, "not-found"),
    (["graph", "nowhere/x"], 1, "not-found"),
    (["diff", "nowhere/x", "baseline/corporate"], 1, "not-found"),
    (["conformance", "baseline/csc-statutory"], 1, "nothing-to-compare"),
    (["conformance", "nowhere/x"], 1, "not-found"),
    (["run", EXAMPLE, "--as-of", "2025-02-30"], 1, "invalid-calendar-input"),
    (["workdays", "list", "2023", "--council", "x" * 60], 1, "invalid-calendar-input"),
    (["workdays", "add", "2024-12-20", "ten"], 1, "invalid-calendar-input"),
    (["show", f"{LONG_NAME}.yaml"], 1, None),
    (["diff", "baseline/corporate"], 2, "usage"),  # raised by the command itself
    (["conformance"], 2, "usage"),
    (["run", "--bogus", EXAMPLE], 2, "usage"),  # click's own parse errors
    (["eligibility"], 2, "usage"),
]


@pytest.mark.parametrize(
    ("args", "exit_code", "code"), FAILING, ids=[" ".join(f[0])[:40] for f in FAILING]
)
@pytest.mark.parametrize("how", ["--format json", "--format=json"])
def test_a_failed_command_prints_one_json_error(
    args: list[str], exit_code: int, code: str | None, how: str
) -> None:
    result = run(*args, *how.split())
    assert result.exit_code == exit_code, result.output
    error = an_error(document(result))
    if code:
        assert error["code"] == code
    assert error["message"]
    assert_no_crash(result)
    assert "Error: " in result.stderr  # the human message still goes to stderr


def test_a_broken_procedure_gives_every_located_problem(council_copy) -> None:
    copy = council_copy(
        "councils/islington/csc-statutory.yaml",
        "anchor: stage-2-started",
        "anchor: stage-2-strated\n    anchor_feild: x",
    )
    result = run("show", str(copy), "--format", "json")
    assert result.exit_code == 1
    error = an_error(document(result))
    assert error["path"] == str(copy) and error["line"] and error["column"]
    assert {p["code"] for p in error["problems"]} >= {"unknown-event", "unknown-key"}
    assert all(set(p) >= ERROR_KEYS for p in error["problems"])
    assert "error[unknown-event]" in result.stderr and "Error: the procedure has" in result.stderr


def test_text_failures_leave_stdout_empty() -> None:
    result = run("conformance", "baseline/csc-statutory")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.count("\n") == 1 and "extends nothing" in result.stderr


def test_a_failed_single_case_is_an_error_object_not_null() -> None:
    result = run("run", "no-such-case.yaml", "--format", "json")
    assert result.exit_code == 1
    data = document(result)
    assert data["case"] == "no-such-case.yaml"
    assert an_error(data)["code"] == "file-not-found"


def _cases(tmp_path: Path) -> list[str]:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "case: BROKEN-1\nprocedure: sefton/csc-statutory\nevents:\n"
        "  - {date: 2024-12-20, event: complaint-recieved}\n",
        encoding="utf-8",
    )
    return [EXAMPLE, str(broken), str(tmp_path / "missing.yaml")]


@pytest.mark.parametrize("command", ["run", "eligibility"])
def test_a_failed_case_takes_its_place_in_the_list(tmp_path: Path, command: str) -> None:
    cases = _cases(tmp_path)
    extra = ["--as-of", "2025-01-20"] if command == "run" else []
    result = run(command, *cases, *extra, "--format", "json")
    assert result.exit_code == 1
    good, broken, missing = document(result)
    assert good["case"] == "SEF-2024-0917" and "error" not in good
    assert (broken["case"], an_error(broken)["code"]) == ("BROKEN-1", "unknown-event")
    assert an_error(broken)["line"] == 4
    assert an_error(missing)["code"] == "file-not-found"
    assert f"could not be {'evaluated' if command == 'run' else 'decided'}" in result.stderr

    lines = run(command, *cases, *extra, "--format", "jsonl")
    assert lines.exit_code == 1
    assert [json.loads(line) for line in lines.stdout.splitlines()] == [good, broken, missing]


def test_eligibility_gives_one_object_for_one_file_and_one_list_for_a_folder() -> None:
    one = run("eligibility", EXAMPLE, "--format", "json")
    assert one.exit_code == 0
    assert document(one)["case"] == "SEF-2024-0917"
    folder = run("eligibility", str(ROOT / "examples"), "--format", "json")
    assert folder.exit_code == 0
    decisions = document(folder)
    assert isinstance(decisions, list) and len(decisions) > 1
    assert all("decision" in d for d in decisions)


def test_diff_all_json_is_one_document_and_markdown_stays_the_page() -> None:
    result = run("diff", "--all", "--format", "json")
    assert result.exit_code == 0
    data = document(result)
    assert {"baseline/csc-statutory", "islington/csc-statutory"} <= set(data["procedures"])
    ack = next(d for d in data["deadlines"] if d["id"] == "acknowledgement")
    assert ack["procedures"]["islington/csc-statutory"]["limit"] == "2 working days"
    assert ack["procedures"]["baseline/csc-statutory"] is None
    page = run("diff", "--all", "--format", "markdown")
    assert page.stdout.startswith("# Every deadline and rule, side by side")
    assert any(r["id"] == "settled-next-day" for r in data["rules"])


def test_an_unexpected_failure_still_gives_json(monkeypatch: pytest.MonkeyPatch) -> None:
    import csc_rules.procedures.library

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something the code did not expect")

    monkeypatch.setattr(csc_rules.procedures.library, "load_procedure", broken)
    result = run("show", "baseline/corporate", "--format", "json")
    assert isinstance(result.exception, RuntimeError)  # main() turns it into its one line
    assert an_error(document(result))["code"] == "internal-error"
