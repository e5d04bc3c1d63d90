"""`csc-rules validate` and `csc-rules list` as users and CI run them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import (
    COUNCILS,
    LIBRARY_FILES,
    PROCEDURE_IDS,
    RECORDED_CONFLICTS,
    ROOT,
    assert_no_crash,
    line_of,
    run,
)

# The conflicts between documents the library records as `kind: conflict` notes (today Cheshire
# West's director's response, escalation and Ombudsman timing; Islington's two agreement gates;
# Sefton's panel timing and stage 1 overrun; the Young People's Zone window, in the baseline).
CONFLICTS = len(RECORDED_CONFLICTS)


def test_validate_everything_exits_0_and_prints_the_recorded_conflicts() -> None:
    result = run("validate")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    conflicts = [line for line in lines if "warning[conflict]" in line]
    assert len(conflicts) == CONFLICTS
    assert all("warning[" in line for line in lines)
    assert (
        f"checked {len(LIBRARY_FILES)} files (rules from .): 0 errors, {len(lines)} warnings"
        in result.stderr
    )


def test_validate_json_is_a_list_of_located_problems() -> None:
    result = run("validate", "--format", "json")
    assert result.exit_code == 0
    problems = json.loads(result.stdout)
    assert len([p for p in problems if p["code"] == "conflict"]) == CONFLICTS
    for problem in problems:
        assert set(problem) == {
            "path",
            "line",
            "column",
            "severity",
            "code",
            "message",
            "yaml_path",
        }
        assert problem["severity"] == "warning"
        assert problem["yaml_path"].startswith(
            "$.notes." if problem["code"] == "conflict" else "$."
        )
    # the one limit of Cheshire West's longer than the statute's: its Director, 20 working days
    [longer] = [
        p
        for p in problems
        if p["code"] == "longer-than-statute"
        and p["path"] == "councils/cheshire-west/csc-statutory.yaml"
    ]
    assert longer["yaml_path"] == "$.duties.stage-3-response.limit.amount"


def test_validate_json_for_a_broken_file(council_copy) -> None:
    copy = council_copy(
        "councils/islington/csc-statutory.yaml",
        "anchor: stage-2-started",
        "anchor: stage-2-strated",
    )
    result = run("validate", str(copy), "--format", "json")
    assert result.exit_code == 1
    [problem] = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    assert problem["code"] == "unknown-event"
    assert problem["line"] == line_of(copy, "stage-2-strated")
    assert problem["yaml_path"] == "$.duties.stage-2-response.anchor"
    assert "did you mean `stage-2-started`?" in problem["message"]


# The broken copies the issue asks for: each exits 1 and names the line that is wrong.
BROKEN = [
    (
        "misspelt key",
        "councils/sefton/csc-statutory.yaml",
        "    anchor_field: panel_date",
        "    anchor_feild: panel_date",
        "anchor_feild",
        "unknown-key",
    ),
    (
        "wrong type",
        "councils/islington/csc-statutory.yaml",
        "limit: {amount: 2, unit: working-days}",
        "limit: {amount: two, unit: working-days}",
        "amount: two",
        "wrong-type",
    ),
    (
        "duplicate key",
        "councils/cheshire-west/csc-statutory.yaml",
        "    limit: {amount: 20, unit: working-days}\n",
        "    limit: {amount: 20, unit: working-days}\n    limit: {amount: 15, unit: working-days}\n",
        "amount: 15",
        "duplicate-key",
    ),
    (
        "broken indentation",
        "councils/sefton/csc-statutory.yaml",
        "    direction: before\n",
        "     direction: before\n",
        "direction: before",
        "yaml-syntax",
    ),
    (
        "undefined event",
        "councils/sefton/csc-statutory.yaml",
        "met_by: [panel-scheduled]",
        "met_by: [panel-sheduled]",
        "panel-sheduled",
        "unknown-event",
    ),
    (
        "extension shorter than its base",
        "councils/cheshire-west/csc-statutory.yaml",
        "maximum: {amount: 65, unit: working-days}",
        "maximum: {amount: 24, unit: working-days}",
        "maximum: {amount: 24",
        "extension-below-base",
    ),
    (
        "on: used as a key",
        "councils/sefton/csc-statutory.yaml",
        "    anchor: withdrawn\n",
        "    on: withdrawn\n",
        "on: withdrawn",
        "non-string-key",
    ),
]


@pytest.mark.parametrize(
    ("source", "old", "new", "culprit", "code"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_copy_of_a_council_file(
    council_copy, source: str, old: str, new: str, culprit: str, code: str
) -> None:
    copy = council_copy(source, old, new)
    result = run("validate", str(copy))
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if ": error[" in line]
    expected = f"{copy}:{line_of(copy, culprit)}:"
    assert any(line.startswith(expected) and f"error[{code}]" in line for line in errors), (
        result.stdout
    )
    assert_no_crash(result)


def test_error_inherited_from_a_baseline_names_the_baseline(tmp_path: Path) -> None:
    baseline = (ROOT / "rules/baseline/csc-statutory.yaml").read_text(encoding="utf-8")
    baseline = baseline.replace("procedure: baseline/csc-statutory", "procedure: test/base")
    baseline = baseline.replace(
        "panel-report-sent: {to: awaiting-stage-3-response}",
        "panel-report-sent: {to: awaiting-stage3-response}",
    )
    (tmp_path / "base.yaml").write_text(baseline, encoding="utf-8")
    council = (ROOT / "councils/islington/csc-statutory.yaml").read_text(encoding="utf-8")
    council = council.replace("extends: baseline/csc-statutory", "extends: test/base")
    (tmp_path / "council.yaml").write_text(council, encoding="utf-8")
    result = run("validate", str(tmp_path / "council.yaml"), str(tmp_path / "base.yaml"))
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if "error[" in line]
    line = line_of(tmp_path / "base.yaml", "awaiting-stage3-response")
    column = baseline.splitlines()[line - 1].index("awaiting-stage3-response") + 1
    assert errors == [
        f"{tmp_path / 'base.yaml'}:{line}:{column}: error[unknown-state]: no state is called `awaiting-stage3-response`; did you mean `awaiting-stage-3-response`?"
    ]


def test_list_shows_every_procedure_with_its_version() -> None:
    result = run("list")
    assert result.exit_code == 0
    for expected in PROCEDURE_IDS:
        assert expected in result.stdout
    for council in COUNCILS:
        assert f"({council})\n" in result.stdout
    assert "Sefton Council (sefton)" in result.stdout
    entries = {e["id"]: e for e in json.loads(run("list", "--format", "json").stdout)}
    assert entries["sefton/corporate"]["kind"] == "corporate"  # inherited from its baseline
    assert entries["sefton/csc-statutory"]["version"] == "2023-11-17"
    assert entries["islington/csc-statutory"]["extends"] == "baseline/csc-statutory"


@pytest.mark.parametrize(
    "args", [["validate", "--format", "xml"], ["validate", "--no-such-option"], ["no-such-command"]]
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.output


def test_help_does_not_import_the_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from csc_rules.cli import cli\n"
        "assert CliRunner().invoke(cli, ['--help']).exit_code == 0\n"
        "print(sorted(m for m in ('jsonschema', 'networkx', 'holidays', 'yaml') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"


def _installed_script() -> Path | None:
    script = Path(sys.executable).parent / ("csc-rules.exe" if os.name == "nt" else "csc-rules")
    return script if script.exists() else None


@pytest.mark.skipif(
    _installed_script() is None, reason="csc-rules is not installed in this environment"
)
def test_installed_command_finds_its_rules_from_any_folder(tmp_path: Path) -> None:
    """After `pip install .`, the rules and councils ship inside the package."""
    out = subprocess.run(
        [str(_installed_script()), "validate"], capture_output=True, text=True, cwd=tmp_path
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 errors, " in out.stderr
    assert out.stdout.count("warning[conflict]") == CONFLICTS


def test_a_misspelt_override_id_points_at_the_inherited_one(council_copy) -> None:
    copy = council_copy(
        "councils/islington/csc-statutory.yaml", "  panel-report:\n", "  panel-reprot:\n"
    )
    result = run("validate", str(copy))
    assert result.exit_code == 1
    [error] = [line for line in result.stdout.splitlines() if ": error[" in line]
    assert error.startswith(
        f"{copy}:{line_of(copy, 'panel-reprot:')}:3: error[missing-key]: `panel-reprot` is not a "
        "duty in baseline/csc-statutory, so it makes a new one"
    )
    assert "keep `panel-report` and change its `title`" in error


@pytest.mark.skipif(
    _installed_script() is None, reason="csc-rules is not installed in this environment"
)
def test_installed_command_checks_the_project_it_is_run_in(tmp_path: Path) -> None:
    """A policy officer's edits are what `validate` checks, from the project folder or below it."""
    for folder in ("rules", "councils"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    edited = tmp_path / "councils/islington/csc-statutory.yaml"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("amount: 2,", "amount: 0,"), encoding="utf-8"
    )
    out = subprocess.run(
        [str(_installed_script()), "validate"],
        capture_output=True,
        text=True,
        cwd=tmp_path / "councils/islington",
    )
    assert out.returncode == 1
    expected = f"csc-statutory.yaml:{line_of(edited, 'amount: 0,')}:21: error[invalid-value]: duties.acknowledgement.limit.amount is 0; it must be a whole number from 1 to 400"
    assert expected in out.stdout.splitlines()


def test_csc_rules_home_names_the_library_outside_a_project(tmp_path: Path) -> None:
    code = "from csc_rules.reading.locations import data_root; print(data_root())"
    env = {**os.environ, "CSC_RULES_HOME": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    )
    assert out.stdout.strip() == str(ROOT)
    env["CSC_RULES_HOME"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "csc_rules", "validate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert out.returncode == 1
    assert (
        out.stderr.strip()
        == f"Error: CSC_RULES_HOME is {tmp_path}, which holds no rules/ and councils/ folders"
    )


def test_an_internal_error_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from csc_rules import cli as cli_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something the code did not expect")

    monkeypatch.setattr(cli_module.cli, "main", broken)
    monkeypatch.delenv("CSC_RULES_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc_info:
        cli_module.main()
    assert exc_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "csc-rules: internal error (RuntimeError: something the code did not expect). This is a bug"
    )
    assert "Traceback" not in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("old", "new", "key", "found"),
    [
        (
            "extends: baseline/csc-statutory",
            "extends: [baseline/csc-statutory]",
            "extends",
            "a list",
        ),
        ("version: web-page", "version: {junk: 1}", "version", "a mapping"),
        ("effective: 2006-09-01", "effective: 3", "effective", "a number"),
        ("procedure: islington/csc-statutory", "procedure: [a, b]", "procedure", "a list"),
    ],
    ids=["extends a list", "version a mapping", "effective a number", "procedure a list"],
)
def test_list_reports_junk_in_a_procedure_file_and_carries_on(
    library_copy: Path, old: str, new: str, key: str, found: str
) -> None:
    source = library_copy / "councils/islington/csc-statutory.yaml"
    junk = library_copy / "councils/islington/junk.yaml"
    junk.write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    junk = junk.relative_to(library_copy)  # as `list` shows it, from the folder it runs in
    result = run("list")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # sys.exit(1), not a TypeError
    [problem] = result.stderr.splitlines()
    assert problem.startswith(
        f"{junk}:{line_of(junk, new)}:1: error[wrong-type]: `{key}` is {found};"
    )
    assert "sefton/csc-statutory" in result.stdout  # the rest are still listed
    listed = json.loads(run("list", "--format", "json").stdout)
    assert sorted({e["id"] for e in listed}) == sorted(PROCEDURE_IDS)
