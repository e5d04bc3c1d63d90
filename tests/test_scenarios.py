"""Every council's scenarios (councils/<id>/scenarios/), each run from the YAML procedure and
from its compiled JSON file: a council added with its scenarios is tested here, nothing edited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, SCENARIO_FILES

_COMPILED: dict[str, Any] = {}


def _compiled(procedure_id: str, received: dt.date, folder: Path) -> Any:
    """The version in force, written to compiled JSON and loaded back, once per test session."""
    from csc_rules.procedures.compiler import dumps, load_compiled
    from csc_rules.procedures.library import library, load_procedure

    source = library().versions.choose(procedure_id, received, earliest=True)
    if str(source) not in _COMPILED:
        path = folder / f"{source.stem}-{len(_COMPILED)}.json"
        path.write_text(dumps(load_procedure(source)), encoding="utf-8")
        _COMPILED[str(source)] = load_compiled(path)
    return _COMPILED[str(source)]


@pytest.fixture(scope="session")
def compiled_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("compiled")


def _name(path: Path) -> str:
    """`<council>/<scenario>`, from below the council's scenarios folder."""
    council = path.relative_to(ROOT / "councils").parts[0]
    below = path.relative_to(ROOT / "councils" / council / "scenarios").with_suffix("")
    return f"{council}/{below.as_posix()}"


def test_every_council_with_a_folder_of_scenarios_has_some() -> None:
    folders = sorted((ROOT / "councils").glob("*/scenarios"))
    assert folders, "no council keeps scenarios in councils/<id>/scenarios/"
    empty = [f for f in folders if not any(f.rglob("*.yaml"))]
    assert empty == [], "these scenarios folders hold no .yaml files"


@pytest.mark.parametrize("source", ["yaml", "compiled"])
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=_name)
def test_scenario(path: Path, source: str, compiled_folder: Path) -> None:
    from csc_rules.cases.scenarios import check
    from csc_rules.procedures.library import library

    if source == "yaml":
        outcome = check(path, library().compiled.in_force)
    else:
        outcome = check(path, lambda pid, received: _compiled(pid, received, compiled_folder))
    assert outcome.passed, f"{path.relative_to(ROOT)} [{source}]\n" + "\n".join(outcome.failures)
