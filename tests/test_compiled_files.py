"""Compiled procedure files from outside: checked against their schema (here and in
check-jsonschema), for meaning, and within bounds, so that a damaged, hostile or hand-edited file
is refused with one line that says where, and a real one loads and gives the same answers."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from conftest import PROCEDURE_IDS, ROOT, SCENARIO_FILES, run
from csc_rules.cases.case import read_case
from csc_rules.errors import CompiledFileError, CscRulesError
from csc_rules.language.model import build
from csc_rules.procedures.compiler import (
    CompiledProcedure,
    digest_of,
    dumps,
    load_compiled,
    loads,
    stage_graph,
)
from csc_rules.procedures.library import load_procedure
from csc_rules.reading.schema import compiled_validator

SCHEMA = ROOT / "rules" / "compiled-procedure.schema.json"
Change = Callable[[dict[str, Any]], object]


@cache
def from_yaml(procedure_id: str) -> CompiledProcedure:
    return load_procedure(procedure_id)


@cache
def compiled(procedure_id: str) -> str:
    return dumps(from_yaml(procedure_id))


def redigested(document: dict[str, Any]) -> str:
    """The document with both digests made to match it again, as someone hiding an edit would."""
    document = dict(document)
    document.pop("sha256", None)
    if isinstance(document.get("definition"), dict):
        document["source_sha256"] = digest_of(document["definition"])
    document["sha256"] = digest_of(document)
    return json.dumps(document, indent=2, ensure_ascii=False)


def edited(change: Change, procedure_id: str = "sefton/csc-statutory") -> str:
    document = json.loads(compiled(procedure_id))
    change(document)
    return redigested(document)


def refusal(text: str, name: str = "sefton.json") -> CompiledFileError:
    with pytest.raises(CompiledFileError) as exc_info:
        loads(text, name)
    message = str(exc_info.value)
    assert message.startswith(f"{name}"), message
    assert "\n" not in message and "\r" not in message
    return exc_info.value


# -- the schema, in check-jsonschema and in the engine ------------------------------------------


def check_jsonschema(document: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema as a user runs it, from another folder, offline."""
    if importlib.util.find_spec("check_jsonschema") is None:
        pytest.fail(
            "check-jsonschema is not installed in this environment: install the test extras with "
            "`pip install '.[test]'` (or `pip install 'check-jsonschema>=0.27'`)"
        )
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMA), str(document)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_check_jsonschema_accepts_a_freshly_compiled_file(tmp_path: Path) -> None:
    path = tmp_path / "sefton.json"
    assert run("compile", "sefton/csc-statutory", "-o", str(path)).exit_code == 0
    (tmp_path / "elsewhere").mkdir()
    result = check_jsonschema(path, tmp_path / "elsewhere")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_check_jsonschema_refuses_a_damaged_file_where_the_engine_does(tmp_path: Path) -> None:
    def damage(d: dict[str, Any]) -> None:
        d["definition"]["states"]["stage-1"]["stage"] = 7
        d["facts"]["complex"]["type"] = "maybe"

    path = tmp_path / "damaged.json"
    path.write_text(edited(damage), encoding="utf-8")
    result = check_jsonschema(path, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    expected = ["$.definition.states['stage-1'].stage", "$.facts.complex.type"]
    assert all(f"{path}::{where}: " in result.stdout for where in expected), result.stdout
    engine = [e.json_path for e in compiled_validator().iter_errors(json.loads(path.read_text()))]
    assert sorted(engine) == expected
    assert "damaged at $.definition.states.stage-1.stage: 7 is not of type 'string'" in str(
        refusal(path.read_text(encoding="utf-8"), "damaged.json")
    )


def test_the_compiled_schema_is_valid_draft_2020_12_and_names_its_parts_by_file() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    # An `$id` would become the base that check-jsonschema resolves `procedure.schema.json` against.
    assert "$id" not in schema
    refs = json.dumps(schema)
    assert '"$ref": "procedure.schema.json"' in refs
    assert '"$ref": "vocabulary.schema.json#/properties/facts"' in refs
    for name in ("procedure", "vocabulary"):
        assert (SCHEMA.parent / f"{name}.schema.json").is_file()


# -- hand edits whose digests were recomputed -----------------------------------------------------


def _first_rule(d: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = next(iter(d["definition"]["rules"].values()))
    return rule


def _remove_event(d: dict[str, Any]) -> None:
    del d["definition"]["events"]["acknowledged"]


def _remove_state(d: dict[str, Any]) -> None:
    del d["definition"]["states"]["stage-2-requested"]


def _remove_transition(d: dict[str, Any]) -> None:
    """The only way into stage-2-adjudication, with the graph redrawn to match, as a careful
    editor would: only the checks of the stage graph can tell."""
    del d["definition"]["states"]["stage-2-investigation"]["transitions"][
        "investigation-report-received"
    ]
    graph = stage_graph(build(d["definition"]))
    d["graph"] = nx.node_link_data(graph, edges="edges")


HAND_EDITS: list[tuple[str, Change, str, str]] = [
    (
        "duty met by an event that does not exist",
        lambda d: d["definition"]["duties"]["acknowledgement"]["met_by"].__setitem__(
            0, "acknowledgment-sent"
        ),
        "$.definition.duties.acknowledgement.met_by[0]",
        "no event is called `acknowledgment-sent`",
    ),
    (
        "anchor names an event that does not exist",
        lambda d: d["definition"]["duties"]["stage-1-response"].update(anchor="received"),
        "$.definition.duties.stage-1-response.anchor",
        "no event is called `received`",
    ),
    (
        "extension event that does not exist",
        lambda d: d["definition"]["duties"]["stage-1-response"]["extensions"]["recorded"].update(
            event="stage-1-prolonged"
        ),
        "$.definition.duties.stage-1-response.extensions.recorded.event",
        "no event is called `stage-1-prolonged`",
    ),
    (
        "event removed that transitions use",
        _remove_event,
        "$.definition.states.stage-1.transitions.acknowledged",
        "no event is called `acknowledged`",
    ),
    (
        "state missing",
        _remove_state,
        "$.definition.states.stage-1.transitions.stage-2-requested.to",
        "no state is called `stage-2-requested`",
    ),
    (
        "transition to a state that does not exist",
        lambda d: d["definition"]["states"]["stage-1"]["transitions"]["resolved"].update(
            to="closed"
        ),
        "$.definition.states.stage-1.transitions.resolved.to",
        "no state is called `closed`",
    ),
    (
        "start state that does not exist",
        lambda d: d["definition"]["start"].update(state="begun"),
        "$.definition.start.state",
        "no state is called `begun`",
    ),
    (
        "state in a stage that does not exist",
        lambda d: d["definition"]["states"]["stage-1"].update(stage="stage-one"),
        "$.definition.states.stage-1.stage",
        "no stage is called `stage-one`",
    ),
    (
        "step names a deadline that does not exist",
        lambda d: (
            next(iter(d["definition"]["stages"]["stage-1"]["steps"].values()))
            .setdefault("deadlines", [])
            .append("stage-1-reply")
        ),
        "$.definition.stages.stage-1.steps",
        "no duty or window is called `stage-1-reply`",
    ),
    (
        "extension below the limit it extends",
        lambda d: d["definition"]["duties"]["stage-1-response"]["extensions"]["complex"][
            "maximum"
        ].update(amount=5),
        "$.definition.duties.stage-1-response.extensions.complex.maximum.amount",
        "allows at most 5 working-days, less than the base limit of 10",
    ),
    (
        "extension in another unit",
        lambda d: d["definition"]["duties"]["stage-1-response"]["extensions"]["complex"][
            "maximum"
        ].update(unit="months"),
        "$.definition.duties.stage-1-response.extensions.complex.maximum.unit",
        "the maximum is in months but the limit of `stage-1-response` is in working-days",
    ),
    (
        "rule reads a fact the file does not declare",
        lambda d: _first_rule(d).update(when={"fact": "child.age", "at_least": 18}),
        "$.definition.rules.",
        "no fact is called `child.age`",
    ),
    (
        "rule compares a fact with a value of the wrong kind",
        lambda d: _first_rule(d).update(when={"fact": "complex", "equals": "yes"}),
        "$.definition.rules.",
        "fact `complex` is true or false, so it cannot be compared with `yes`",
    ),
    (
        "rule condition of the wrong shape",
        lambda d: _first_rule(d).update(when={"fact": "complex", "equals": True, "all": []}),
        "$.definition.rules.",
        "damaged at",
    ),
    (
        "rule condition with two tests",
        lambda d: _first_rule(d).update(when={"fact": "complex", "equals": True, "present": True}),
        "$.definition.rules.",
        "needs exactly one of",
    ),
    (
        "fact of an unknown type",
        lambda d: d["facts"]["complex"].update(type="maybe"),
        "$.facts.complex.type",
        "'maybe' is not one of",
    ),
    (
        "enum fact without values",
        lambda d: d["facts"]["child.status"].pop("values"),
        "$.facts['child.status']",
        "'values' is a required property",
    ),
    (
        "fact values of the wrong shape",
        lambda d: d["facts"]["child.status"].update(values="looked-after"),
        "$.facts['child.status'].values",
        "is not of type 'array'",
    ),
    (
        "fact removed that a rule reads",
        lambda d: d["facts"].pop("about_council_actions"),
        "$.definition.rules.",
        "no fact is called `about_council_actions`",
    ),
    (
        "transition removed, leaving a state no case can reach",
        _remove_transition,
        "$.definition.states.stage-2-adjudication",
        "state `stage-2-adjudication` cannot be reached",
    ),
    (
        "identity at the top differs from the definition",
        lambda d: d.update(version="2099"),
        "$.version",
        "`version` is `2099` but the definition it carries says",
    ),
    (
        "graph that does not match the definition",
        lambda d: d["graph"]["edges"].pop(),
        "$.graph.edges",
        "the stage graph does not match the definition it carries",
    ),
    (
        "graph with `1` for `true`",
        lambda d: next(e for e in d["graph"]["edges"] if "anytime" in e).update(anytime=1),
        "$.graph.edges[",
        "the stage graph does not match the definition it carries",
    ),
]


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [edit[1:] for edit in HAND_EDITS],
    ids=[edit[0] for edit in HAND_EDITS],
)
def test_a_hand_edit_with_fresh_digests_is_refused_with_the_reason(
    change: Change, where: str, message: str
) -> None:
    error = refusal(edited(change))
    text = str(error)
    assert where in text and message in text, text
    assert text.endswith("; compile the procedure again"), text
    assert error.diagnostics and all(d.path == "sefton.json" for d in error.diagnostics)


def test_every_problem_is_kept_and_the_message_names_the_first_few() -> None:
    def many(d: dict[str, Any]) -> None:
        for event in ("nope-1", "nope-2", "nope-3", "nope-4"):
            d["definition"]["duties"]["acknowledgement"]["met_by"].append(event)

    error = refusal(edited(many))
    assert [d.yaml_path for d in error.diagnostics] == [
        f"$.definition.duties.acknowledgement.met_by[{i}]" for i in range(1, 5)
    ]
    assert "(and 3 more: $.definition.duties.acknowledgement.met_by[2]: no event" in str(error)
    assert str(error).endswith("; ...); compile the procedure again")


def test_the_meaning_checks_see_an_edit_in_every_procedure() -> None:
    for procedure_id in PROCEDURE_IDS:
        text = edited(lambda d: d["definition"]["start"].update(event="nothing"), procedure_id)
        assert "no event is called `nothing`" in str(refusal(text, "x.json"))


def test_an_edit_without_fresh_digests_is_refused_by_the_digest() -> None:
    document = json.loads(compiled("sefton/csc-statutory"))
    document["definition"]["duties"]["acknowledgement"]["met_by"][0] = "nope"
    assert "the sha256 digest does not match the content" in str(refusal(json.dumps(document)))


# -- hostile input: bounded, and only our own error -----------------------------------------------


def _in_facts(value: str) -> Callable[[str], str]:
    return lambda text: text.replace('"facts": {', '"facts": {"zz": ' + value + ",", 1)


HOSTILE: list[tuple[str, Callable[[str], str], str]] = [
    ("nested 100,000 deep", lambda _: "[" * 100_000 + "]" * 100_000, "nested more than 64"),
    ("nested deep inside", _in_facts("[" * 5000 + "]" * 5000), "nested more than 64"),
    (
        "a 5,000-digit number",
        lambda t: t.replace('"format_version": 3', '"format_version": 3' + "0" * 5000),
        "has 5,001 digits",
    ),
    ("a 5,000-digit number inside", _in_facts("9" * 5000), "has 5,000 digits"),
    ("a huge exponent", _in_facts("1e999"), "too large"),
    ("NaN", _in_facts("NaN"), "`NaN` is not JSON"),
    (
        "a duplicate key",
        lambda t: t.replace('"format": ', '"format": 1, "format": ', 1),
        "duplicate",
    ),
    ("a list", lambda _: "[1, 2]", "it holds a list"),
    ("a string", lambda _: '"csc-rules/compiled-procedure"', "it holds a string"),
    ("null", lambda _: "null", "it holds nothing"),
    ("a number", lambda _: "12", "it holds the value 12"),
    ("empty", lambda _: "", "not JSON"),
    ("truncated", lambda t: t[:1000], "not JSON"),
    (
        "format_version true",
        lambda t: t.replace('"format_version": 3', '"format_version": true'),
        "format_version true",
    ),
]


@pytest.mark.parametrize(
    ("damage", "message"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_hostile_text_is_refused_in_one_line(damage: Callable[[str], str], message: str) -> None:
    text = damage(compiled("sefton/csc-statutory"))
    assert message in str(refusal(text))


JUNK_GRAPHS: list[Any] = [
    {"directed": True, "multigraph": True, "graph": {}, "nodes": [{"id": "a"}], "edges": []},
    {
        "directed": True,
        "multigraph": True,
        "graph": {},
        "nodes": [{"id": "a", "stage": [1, {"x": None}]}],
        "edges": [{"source": [1], "target": {"a": 1}, "key": None, "event": 1.5}],
    },
    {"directed": True, "multigraph": True, "graph": [], "nodes": {}, "edges": "x"},
    {"directed": 1, "multigraph": 0, "graph": {}, "nodes": [], "edges": []},
    {"directed": True, "multigraph": True, "graph": {}, "nodes": [{"id": "a"}], "links": []},
]


@pytest.mark.parametrize("graph", JUNK_GRAPHS, ids=range(len(JUNK_GRAPHS)))
def test_a_junk_graph_is_refused_without_reaching_networkx(graph: Any) -> None:
    error = refusal(edited(lambda d: d.update(graph=graph)))
    assert "$.graph" in str(error)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["calendar"].update(first_year=2041),
        lambda d: d["calendar"].update(first_year=-(10**20)),
        lambda d: d["calendar"].update(last_year=9999),
        lambda d: d["calendar"].update(non_working_days=[["2024-02-30", "No such day"]]),
        lambda d: d["calendar"].update(non_working_days=[["2024-12-25", "x"]] * 20_001),
        lambda d: d["definition"]["states"].update({"a\nb": {"end": "resolved"}}),
    ],
    ids=[
        "years back to front",
        "year far away",
        "ten thousand years",
        "no such day",
        "too many non-working days",
        "newline in a key",
    ],
)
def test_a_damaged_calendar_or_text_is_refused(change: Change) -> None:
    refusal(edited(change))


def test_a_lone_surrogate_is_refused() -> None:
    """JSON may write `"\\ud800"`; it is no text, so it has no digest and compile never writes it."""
    document = json.loads(compiled("sefton/csc-statutory"))
    document["title"] = "\ud800"
    assert "a lone surrogate" in str(refusal(json.dumps(document)))


def test_reading_a_file_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.json"
    path.write_text(compiled("sefton/csc-statutory"), encoding="utf-8")
    assert load_compiled(path).id == "sefton/csc-statutory"
    monkeypatch.setenv("CSC_RULES_MAX_FILE_BYTES", "1000")
    with pytest.raises(CompiledFileError, match=r"more than 1,000 bytes.*CSC_RULES_MAX_FILE_BYTES"):
        load_compiled(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe{}", "not UTF-8 text (byte 0xff)"),
        (b'{"format": "\x00"}', "is a binary file, not text"),
        (None, "is a folder"),
    ],
    ids=["not UTF-8", "a NUL byte", "a folder"],
)
def test_files_that_are_not_text_are_refused(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "x.json"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    with pytest.raises(CompiledFileError, match=re.escape(message)):
        load_compiled(path)


def test_loading_needs_neither_yaml_nor_holidays_even_to_refuse(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(compiled("sefton/csc-statutory"), encoding="utf-8")
    bad.write_text(
        edited(lambda d: d["definition"]["duties"]["acknowledgement"].update(anchor="x")),
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        "from csc_rules import CompiledFileError, load_compiled\n"
        f"print(load_compiled({str(good)!r}).id)\n"
        "try:\n"
        f"    load_compiled({str(bad)!r})\n"
        "except CompiledFileError as exc:\n"
        "    print('refused:', 'no event is called `x`' in str(exc))\n"
        "print(sorted(m for m in ('yaml', 'holidays') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert out.stdout.splitlines() == ["sefton/csc-statutory", "refused: True", "[]"]


# -- the real files: every procedure compiles, loads and answers as from YAML ----------------------


@pytest.fixture(scope="module")
def compiled_all(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CompiledProcedure]:
    folder = tmp_path_factory.mktemp("all")
    result = run("compile", "--all", "-o", str(folder))
    assert result.exit_code == 0, result.output
    loaded = {}
    for path in sorted(folder.glob("*.json")):
        procedure = load_compiled(path)
        loaded[procedure.id] = procedure
    assert sorted(loaded) == sorted(PROCEDURE_IDS)
    return loaded


@pytest.mark.parametrize("procedure_id", PROCEDURE_IDS)
def test_every_compiled_procedure_loads_as_its_yaml(
    compiled_all: dict[str, CompiledProcedure], procedure_id: str
) -> None:
    assert compiled_all[procedure_id] == from_yaml(procedure_id)


def test_every_scenario_gives_the_same_answer_from_the_compiled_files(
    compiled_all: dict[str, CompiledProcedure],
) -> None:
    from csc_rules.cases.interpreter import evaluate

    compared = 0
    for path in SCENARIO_FILES:
        try:
            case = read_case(path)
        except CscRulesError:
            continue  # broken on purpose
        latest = compiled_all.get(case.procedure)  # `compile --all` writes the latest version
        if latest is None or case.received < latest.effective:
            continue  # an older version in force, or none: not among the files compiled here
        as_of = dt.date.fromisoformat(str(case.where.data.get("as_of", "2025-06-30")))
        answers: list[object] = []
        for procedure in (latest, from_yaml(case.procedure)):
            try:
                answers.append(evaluate(procedure, case, as_of, explain=True).to_json())
            except CscRulesError as exc:
                answers.append(str(exc))
        assert answers[0] == answers[1], path
        compared += 1
    assert compared >= 20


# -- fuzzing: mutated, re-digested documents give a procedure or CompiledFileError -----------------

BASES = ("sefton/csc-statutory", "baseline/corporate")


def _names(value: Any) -> set[str]:
    """Every key and string in a document: the ids a mutation may swap in for one another."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            found |= _names(item)
    elif isinstance(value, list):
        for item in value:
            found |= _names(item)
    elif isinstance(value, str) and len(value) < 40:
        found.add(value)
    return found


@cache
def _pool() -> tuple[str, ...]:
    names: set[str] = set()
    for procedure_id in BASES:
        names |= _names(json.loads(compiled(procedure_id))["definition"])
    return tuple(sorted(names))


def _values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.sampled_from(_pool()),
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**6), max_value=10**6),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=8),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.sampled_from(_pool()) | st.text(max_size=5), inner, max_size=3),
        ),
        max_leaves=6,
    )


@st.composite
def _mutant(draw: st.DrawFn) -> str:
    document = json.loads(compiled(draw(st.sampled_from(BASES))))
    for _ in range(draw(st.integers(1, 3))):
        # walk down to a container, preferring the definition, where the meaning is
        container: Any = document
        if isinstance(document.get("definition"), (dict, list)) and draw(st.integers(0, 3)) > 0:
            container = document["definition"]
        while True:
            children = list(container) if isinstance(container, dict) else range(len(container))
            if not children:
                break
            key = draw(st.sampled_from(list(children)))
            if not isinstance(container[key], (dict, list)) or draw(st.integers(0, 3)) == 0:
                break
            container = container[key]
        if not (isinstance(container, dict) and container) and not (
            isinstance(container, list) and container
        ):
            continue
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        key = draw(st.sampled_from(keys))
        action = draw(
            st.sampled_from(["name", "name", "replace", "rename", "delete", "add", "copy"])
        )
        if action == "name":  # another id where one was: what a hand edit mostly does
            container[key] = draw(st.sampled_from(_pool()))
        elif action == "replace":
            container[key] = draw(_values())
        elif action == "rename" and isinstance(container, dict):
            container[draw(st.sampled_from(_pool()))] = container.pop(key)
        elif action == "delete":
            del container[key]
        elif action == "add" and isinstance(container, dict):
            container[draw(st.sampled_from(_pool()))] = draw(_values())
        elif action == "add" and isinstance(container, list):
            container.append(draw(_values()))
        else:
            container[key] = copy.deepcopy(container[draw(st.sampled_from(keys))])
    if draw(st.integers(0, 9)) == 0:
        return json.dumps(document)
    return redigested(document)


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_mutant())
def test_a_mutated_compiled_file_loads_or_is_refused_in_one_line(text: str) -> None:
    try:
        procedure = loads(text, "mutant.json")
    except CompiledFileError as exc:
        assert str(exc).startswith("mutant.json") and "\n" not in str(exc)
        return
    # What loads is a procedure the engine can show and run like any other.
    assert loads(dumps(procedure)) == procedure
    _use(procedure)


def _use(procedure: CompiledProcedure) -> None:
    from csc_rules.cases.interpreter import evaluate_data
    from csc_rules.reports import diagrams, summary

    summary.text(procedure)
    diagrams.mermaid(procedure)
    events = [{"date": "2024-01-08", "event": procedure.start_event}]
    state = procedure.start_state
    day = dt.date(2024, 1, 8)
    for _ in range(6):
        allowed = procedure.allowed_events(state)
        if not allowed:
            break
        day += dt.timedelta(days=3)
        events.append({"date": day.isoformat(), "event": allowed[0]})
        state = next(t.target for t in procedure.transitions if t.source == state)
    case = {"case": "FUZZ-1", "procedure": procedure.id, "events": events}
    with contextlib.suppress(CscRulesError):
        evaluate_data(procedure, case, dt.date(2024, 6, 1), explain=True)
