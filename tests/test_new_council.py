"""A council folder added to councils/ is found by every command with nothing else edited: each
council of the library, copied under a new name in a copy of the library, validates, is listed,
shown, checked for conformance and counts working days as the original does, and its scenarios,
copied with it, run with every council's (by `csc-rules test` and by the project's own tests)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import (
    COUNCILS,
    LIBRARY_FILES,
    PROCEDURE_FILES,
    RECORDED_CONFLICTS,
    ROOT,
    SCENARIO_FILES,
    run,
)

NEW = "newtown"


def copy_council(library: Path, source: str, new: str) -> None:
    """councils/SOURCE copied to councils/NEW, its council and procedure ids renamed: what a
    policy officer does to start a council's file from a neighbour's."""
    target = library / "councils" / new
    shutil.copytree(library / "councils" / source, target)
    for path in target.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(rf"^council: {source}$", f"council: {new}", text, flags=re.M)
        text = re.sub(rf"^(procedure|extends): {source}/", rf"\1: {new}/", text, flags=re.M)
        path.write_text(text, encoding="utf-8")
    for path in (target / "scenarios").rglob("*.yaml"):  # each names the copy's procedures
        path.write_text(renamed(path.read_text(encoding="utf-8"), source, new), encoding="utf-8")


def renamed(text: str, source: str, new: str) -> str:
    """`text` with the source council's procedure ids and paths as the copy's."""
    return text.replace(f"{source}/", f"{new}/")


@pytest.fixture(params=list(COUNCILS))
def council(request: pytest.FixtureRequest, library_copy: Path) -> str:
    """The council copied, with the copy in place in a copy of the library."""
    assert NEW not in COUNCILS, f"the library has a council called {NEW}: choose another name"
    copy_council(library_copy, request.param, NEW)
    return str(request.param)


def ids_of(council: str) -> list[str]:
    return list(dict.fromkeys(f.id for f in PROCEDURE_FILES if f.council == council))


def test_the_copy_validates_with_its_recorded_conflicts(council: str) -> None:
    result = run("validate", "--format", "json")
    assert result.exit_code == 0, result.output
    problems = json.loads(result.stdout)
    assert [p for p in problems if p["severity"] == "error"] == []
    conflicts = sorted(p["path"] for p in problems if p["code"] == "conflict")
    mine = [path for path, _ in RECORDED_CONFLICTS if path.startswith(f"councils/{council}/")]
    copied = [renamed(path, council, NEW) for path in mine]
    assert conflicts == sorted([path for path, _ in RECORDED_CONFLICTS] + copied)
    added = len(list((Path("councils") / NEW).glob("*.yaml")))
    assert f"checked {len(LIBRARY_FILES) + added} files" in run("validate").stderr


def test_the_copy_is_listed_with_the_originals_versions(council: str) -> None:
    result = run("list", "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    versions = sorted((e["id"], e["version"], e["effective"]) for e in listed)
    for procedure_id in ids_of(council):
        copy = procedure_id.replace(f"{council}/", f"{NEW}/")
        assert [v[1:] for v in versions if v[0] == copy] == [
            v[1:] for v in versions if v[0] == procedure_id
        ]
    assert {e["group"] for e in listed} == {"baseline", *COUNCILS, NEW}


@pytest.mark.parametrize("command", ["show", "conformance"])
def test_the_copy_is_shown_and_checked_as_the_original(council: str, command: str) -> None:
    for procedure_id in ids_of(council):
        original = run(command, procedure_id, "--format", "json")
        copy = run(command, procedure_id.replace(f"{council}/", f"{NEW}/"), "--format", "json")
        assert (copy.exit_code, copy.stdout) == (
            original.exit_code,
            renamed(original.stdout, council, NEW),
        ), copy.output
        assert original.exit_code in (0, 1), original.output


def test_the_copys_working_days_are_the_originals(council: str) -> None:
    original = run("workdays", "list", "2024", "--council", council)
    copy = run("workdays", "list", "2024", "--council", NEW)
    assert (copy.exit_code, copy.stdout) == (0, original.stdout), copy.output


def scenarios_of(council: str) -> list[Path]:
    """The council's scenario files, in councils/<council>/scenarios/."""
    return [
        p for p in SCENARIO_FILES if p.is_relative_to(ROOT / "councils" / council / "scenarios")
    ]


@pytest.mark.slow
@pytest.mark.parametrize("source", [c for c in COUNCILS if scenarios_of(c)])
def test_the_copys_scenarios_run_with_every_councils(source: str, library_copy: Path) -> None:
    copy_council(library_copy, source, NEW)
    copied = len(scenarios_of(source))
    result = run("test")  # no paths: every council's scenarios, the copy's among them
    assert result.exit_code == 0, result.output
    assert f"{len(SCENARIO_FILES) + copied} passed, 0 failed" in result.output
    assert f"councils/{NEW}/scenarios/" in result.output


@pytest.mark.slow
def test_the_projects_own_tests_run_a_copied_councils_scenarios(library_copy: Path) -> None:
    """The suite's scenario test, as it stands, in the copy of the library: the copied
    council's scenarios are among those it runs, from YAML and from compiled JSON."""
    source = min((c for c in COUNCILS if scenarios_of(c)), key=lambda c: len(scenarios_of(c)))
    copy_council(library_copy, source, NEW)
    (library_copy / "tests").mkdir()
    for name in ("conftest.py", "test_scenarios.py"):
        shutil.copy(ROOT / "tests" / name, library_copy / "tests" / name)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", NEW, "tests"],
        cwd=library_copy,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{2 * len(scenarios_of(source))} passed" in result.stdout, result.stdout
