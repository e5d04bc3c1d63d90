"""Compiling: the frozen procedure, its stage graph, the compiled JSON and loading it back."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from conftest import PROCEDURE_FILES, PROCEDURE_IDS, ROOT, line_of, run
from csc_rules.errors import CompiledFileError, DefinitionError
from csc_rules.procedures.compiler import dumps, load_compiled, loads
from csc_rules.procedures.library import load_procedure

IDS = PROCEDURE_IDS


@pytest.fixture(scope="module")
def compiled() -> dict[str, str]:
    return {procedure_id: dumps(load_procedure(procedure_id)) for procedure_id in IDS}


@pytest.mark.parametrize("procedure_id", IDS)
def test_round_trip_gives_identical_bytes_and_an_equal_object(
    compiled: dict[str, str], procedure_id: str
) -> None:
    text = compiled[procedure_id]
    again = loads(text)
    assert dumps(again) == text
    assert again == load_procedure(procedure_id)
    assert (
        again.calendar.add(__import__("datetime").date(2024, 12, 20), 10).isoformat()
        == "2025-01-08"
    )


def test_compiling_in_separate_processes_gives_the_same_bytes() -> None:
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-m", "csc_rules", "compile", "sefton/csc-statutory"],
            capture_output=True,
            cwd=ROOT,
            env=env,
            check=True,
        )
        outputs.add(out.stdout)
    assert len(outputs) == 1


def test_loading_needs_neither_yaml_nor_holidays(compiled: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "sefton.json"
    path.write_text(compiled["sefton/csc-statutory"], encoding="utf-8")
    code = f"import sys\nfrom csc_rules import load_compiled\np = load_compiled({str(path)!r})\nprint(p.id, sorted(m for m in ('yaml', 'holidays') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert out.stdout.strip() == "sefton/csc-statutory []"


def test_the_document_carries_what_other_systems_need(compiled: dict[str, str]) -> None:
    document = json.loads(compiled["islington/csc-statutory"])
    assert document["format"] == "csc-rules/compiled-procedure" and document["format_version"] == 3
    assert (document["procedure"], document["version"], document["effective"]) == (
        "islington/csc-statutory",
        "web-page",
        "2006-09-01",
    )
    calendar = document["calendar"]
    assert (calendar["region"], calendar["first_year"], calendar["last_year"]) == (
        "ENG",
        2006,
        2040,
    )
    assert ["2023-05-08", "Coronation of Charles III"] in calendar["non_working_days"]
    assert ["2011-04-29", "Wedding of William and Catherine"] in calendar["non_working_days"]
    assert re.fullmatch(r"[0-9a-f]{64}", document["source_sha256"]) and re.fullmatch(
        r"[0-9a-f]{64}", document["sha256"]
    )
    assert document["definition"]["duties"]["stage-2-response"]["anchor"] == "stage-2-started"


def _altered(text: str, change) -> str:
    document = json.loads(text)
    change(document)
    return json.dumps(document)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format_version=4), "format_version 4 is not one this csc-rules"),
        (lambda d: d.update(format="something-else"), "not a compiled csc-rules procedure"),
        (
            lambda d: d["definition"]["duties"]["acknowledgement"]["limit"].update(amount=5),
            "the sha256 digest does not match the content",
        ),
        (lambda d: d.pop("graph"), "damaged at $: 'graph' is a required property"),
        (
            lambda d: d["calendar"].update(non_working_days=[["2024-12-25"]]),
            "damaged at $.calendar.non_working_days[0]",
        ),
    ],
    ids=[
        "unknown format_version",
        "another format",
        "digest mismatch",
        "missing part",
        "corrupt calendar",
    ],
)
def test_altered_files_are_refused_with_a_clear_error(
    compiled: dict[str, str], change, message: str
) -> None:
    with pytest.raises(CompiledFileError) as exc_info:
        loads(_altered(compiled["sefton/csc-statutory"], change), "sefton.json")
    assert str(exc_info.value).startswith("sefton.json: ")
    assert message in str(exc_info.value)


def test_a_truncated_file_is_not_json(compiled: dict[str, str]) -> None:
    with pytest.raises(CompiledFileError, match=r"^x\.json:\d+:\d+: not JSON"):
        loads(compiled["sefton/corporate"][:500], "x.json")


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CompiledFileError, match="no such file"):
        load_compiled(tmp_path / "nothing.json")


@pytest.mark.parametrize(
    "path", ["councils/sefton/council.yaml", "rules/vocabulary.yaml"], ids=["council", "vocabulary"]
)
def test_load_procedure_refuses_a_file_that_is_not_a_procedure(path: str) -> None:
    with pytest.raises(DefinitionError) as exc_info:
        load_procedure(ROOT / path)
    [problem] = exc_info.value.diagnostics
    assert problem.code == "not-a-procedure" and problem.path.endswith(path)
    assert "this is not a procedure file" in problem.message


def test_the_stage_graph() -> None:
    procedure = load_procedure("sefton/csc-statutory")
    graph = procedure.graph
    assert isinstance(graph, nx.MultiDiGraph) and nx.is_frozen(graph)
    assert list(graph.nodes) == list(procedure.states)
    assert graph.nodes["stage-1"]["stage"] == "stage-1"
    assert set(graph.nodes["stage-1"]["starts"]) == {"acknowledgement", "stage-1-response"}
    assert graph.nodes["stage-3-panel"]["starts"] == ["panel", "panel-arrangement"]
    assert graph.nodes["panel-arranged"]["starts"] == ["panel-papers"]
    assert graph.has_edge("stage-1", "stage-2-requested", key="stage-2-requested")
    assert (
        graph.edges["stage-1", "stage-2-requested", "stage-2-requested"]["when_overdue"]
        == "stage-1-response"
    )
    open_states = [s for s, data in graph.nodes(data=True) if "end" not in data]
    assert all(graph.has_edge(s, "withdrawn", key="withdrawn") for s in open_states)
    assert all(
        graph.has_edge(s, "referred-to-ombudsman", key="referred-to-ombudsman") for s in open_states
    )
    with pytest.raises(nx.NetworkXError, match="Frozen graph"):
        graph.add_node("extra")


def test_a_compiled_procedure_cannot_be_changed() -> None:
    procedure = load_procedure("islington/csc-statutory")
    with pytest.raises(dataclasses.FrozenInstanceError):
        procedure.version = "2"  # type: ignore[misc]
    with pytest.raises(TypeError):
        procedure.definition["duties"]["acknowledgement"]["limit"]["amount"] = 5  # type: ignore[index]
    assert procedure.deadlines["acknowledgement"].limit.amount == 2


# -- the CLI -------------------------------------------------------------------------------------


def test_compile_all_then_round_trip_through_the_cli(tmp_path: Path) -> None:
    result = run("compile", "--all", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "out").glob("*.json"))
    # one file per version; a procedure with several versions has each named by its version
    versions = Counter(f.id for f in PROCEDURE_FILES)
    expected = [
        f"{f.id.replace('/', '-')}{f'-{f.version}' if versions[f.id] > 1 else ''}.json"
        for f in PROCEDURE_FILES
    ]
    assert [f.name for f in files] == sorted(expected)
    for path in files:
        again = tmp_path / "again.json"
        assert run("compile", str(path), "-o", str(again)).exit_code == 0
        assert again.read_bytes() == path.read_bytes()


def test_compile_refuses_a_broken_procedure_and_names_the_line(council_copy) -> None:
    copy = council_copy(
        "councils/islington/csc-statutory.yaml",
        "anchor: stage-2-started",
        "anchor: stage-2-strated",
    )
    result = run("compile", str(copy))
    assert result.exit_code == 1
    assert f"{copy}:{line_of(copy, 'stage-2-strated')}:13: error[unknown-event]" in result.stderr
    assert result.stderr.rstrip().endswith(
        "Error: the procedure has 1 error; fix it first (see `csc-rules validate`)"
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["compile"], 2),
        (["compile", "--all"], 2),
        (["compile", "sefton/csc-statutry"], 1),
        (["graph", "nowhere.json"], 1),
    ],
)
def test_compile_and_graph_usage(args: list[str], code: int) -> None:
    result = run(*args)
    assert result.exit_code == code
    if args == ["compile", "sefton/csc-statutry"]:
        assert "did you mean `sefton/csc-statutory`?" in result.stderr


def test_graph_checks_name_the_state_and_its_line(council_copy) -> None:
    """An unreachable state, and a stage 2 that can never end, each found by `validate`."""
    unreachable = council_copy(
        "councils/islington/csc-statutory.yaml",
        "states:\n",
        "states:\n  stage-2-review:\n    stage: stage-2\n    description: Nothing leads here.\n    transitions:\n      resolved: {to: resolved}\n",
        name="unreachable.yaml",
    )
    result = run("validate", str(unreachable))
    assert (
        f"{unreachable}:{line_of(unreachable, 'stage-2-review:')}:3: error[unreachable-state]: state `stage-2-review` cannot be reached"
        in result.stdout
    )
    endless = council_copy(
        "councils/islington/csc-statutory.yaml",
        "states:\n",
        "remove:\n"
        "  - {what: transition, id: stage-2-requested/resolved, reason: Test, sources: ['SI 2006/1738: reg 17']}\n"
        "  - {what: transition, id: stage-2-investigation/resolved, reason: Test, sources: ['SI 2006/1738: reg 17']}\n"
        "states:\n"
        "  stage-2-investigation:\n"
        "    transitions:\n"
        "      investigation-report-received: {to: stage-2-requested}\n",
        name="endless.yaml",
    )
    result = run("validate", str(endless))
    assert result.exit_code == 1
    expected = f"{endless}:{line_of(endless, 'stage-2-investigation:')}:3: error[no-way-out]: a case in state `stage-2-requested`, `stage-2-investigation` can never reach an end state"
    assert expected in result.stdout.splitlines()[0] or any(
        line.startswith(expected) for line in result.stdout.splitlines()
    ), result.stdout
