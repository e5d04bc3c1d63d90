"""A council folder added to councils/ is found by every command with nothing else edited: each
council of the library, copied under a new name in a copy of the library, validates, is listed,
shown, checked for conformance and counts working days as the original does, and the
original's scenarios pass against the copy."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import (
    COUNCILS,
    LIBRARY_FILES,
    PLAIN_YAML,
    PROCEDURE_FILES,
    RECORDED_CONFLICTS,
    SCENARIOS,
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
    """The scenario files of tests/scenarios that name a procedure of `council`."""
    ids = ids_of(council)
    return [
        path
        for path in sorted(SCENARIOS.rglob("*.yaml"))
        if yaml.load(path.read_text(encoding="utf-8"), Loader=PLAIN_YAML).get("procedure") in ids
    ]


@pytest.mark.parametrize("source", [c for c in COUNCILS if scenarios_of(c)])
def test_the_originals_scenarios_pass_against_the_copy(
    source: str, library_copy: Path, tmp_path: Path
) -> None:
    copy_council(library_copy, source, NEW)
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for path in scenarios_of(source):
        (folder / f"{path.parent.name}-{path.name}").write_text(
            renamed(path.read_text(encoding="utf-8"), source, NEW), encoding="utf-8"
        )
    copied = len(list(folder.iterdir()))
    result = run("test", str(folder))
    assert result.exit_code == 0, result.output
    assert f"{copied} passed, 0 failed" in result.output
