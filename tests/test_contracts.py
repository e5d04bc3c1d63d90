"""The JSON contracts in rules/: what `run`, `eligibility` and `validate` print with --format json,
and the problem details the HTTP API returns, each checked against its published JSON Schema.

Other systems (and the HTTP API's OpenAPI document) build on these schemas, so every output the
library can give is run through them here: every scenario case, every example, broken fixtures."""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from conftest import FIXTURES, ROOT, SCENARIO_FILES, run, scenario_name
from csc_rules.reading.loader import load

RULES = ROOT / "rules"
OUTPUT_SCHEMAS = [
    "evaluation-result.schema.json",
    "eligibility-decision.schema.json",
    "located-problem.schema.json",
    "problem-details.schema.json",
]
EXAMPLES = ROOT / "examples"
EXAMPLE_AS_OF = "2025-06-30"  # after every example complaint was received
CASE_KEYS = ("case", "procedure", "facts", "events")


def _registry() -> Registry[Any]:
    """Every schema in rules/, by its file name (how the schemas `$ref` each other) and its `$id`."""
    registry: Registry[Any] = Registry()
    for path in sorted(RULES.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource: Resource[Any] = Resource.from_contents(contents)
        registry = registry.with_resource(path.name, resource)
        if "$id" in contents:
            registry = registry.with_resource(contents["$id"], resource)
    return registry


REGISTRY = _registry()


def validator(schema: str | dict[str, Any]) -> Draft202012Validator:
    """A validator for a schema in rules/ (by file name), or for a schema made here that refers
    to them; formats (dates) are checked too."""
    contents = REGISTRY.contents(schema) if isinstance(schema, str) else schema
    return Draft202012Validator(
        contents, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def problems_with(schema: str | dict[str, Any], document: Any) -> list[str]:
    """Every way `document` breaks the schema, one line each (empty when it conforms)."""
    return [
        f"{error.json_path}: {error.message}" for error in validator(schema).iter_errors(document)
    ]


def json_output(*args: str) -> Any:
    """Standard output of a CLI command, as the one JSON document it must be."""
    result = run(*args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return json.loads(result.stdout)


def each_entry(document: Any) -> Iterator[dict[str, Any]]:
    """The entries of a command's JSON: the one object for a case file, each item of a batch's list."""
    yield from document if isinstance(document, list) else [document]


# -- the schemas themselves ---------------------------------------------------------------------


def _refs(node: Any) -> Iterator[str]:
    """Every `$ref` in a schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


@pytest.mark.parametrize("name", OUTPUT_SCHEMAS)
def test_each_contract_is_a_valid_2020_12_schema(name: str) -> None:
    schema = json.loads((RULES / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] and schema["description"]
    # A schema that names others by file name has no `$id` (as compiled-procedure.schema.json),
    # so that tools resolve those names beside it, not against a URN; the others are named
    # `urn:csc-rules:<file name>` like the rest of rules/.
    if any(not ref.startswith("#") for ref in _refs(schema)):
        assert "$id" not in schema
    else:
        assert schema["$id"] == f"urn:csc-rules:{name}"


@pytest.mark.parametrize("name", OUTPUT_SCHEMAS)
def test_every_reference_resolves_offline_from_the_files_in_rules(name: str) -> None:
    """A tool given rules/ finds every schema a contract refers to, with no network."""
    resolver = REGISTRY.resolver(base_uri=name)
    schema = REGISTRY.contents(name)
    refs = sorted(set(_refs(schema)))
    assert refs, f"{name} refers to nothing"
    for ref in refs:
        resolved = resolver.lookup(ref).contents
        assert isinstance(resolved, dict), f"{name}: {ref} does not lead to a schema"


# Keywords whose subschemas only constrain properties described elsewhere (or hold examples).
_NOT_DESCRIPTIVE = {"if", "then", "else", "not", "contains", "allOf", "examples"}


def _undescribed(node: Any, where: str) -> Iterator[str]:
    """Every property, at any depth, with neither a description nor just a `$ref` to one."""
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            if isinstance(value, dict) and not (value.get("description") or set(value) == {"$ref"}):
                yield f"{where}.{key}"
        for key, value in node.items():
            if key not in _NOT_DESCRIPTIVE:
                yield from _undescribed(value, where if key == "properties" else f"{where}.{key}")
    elif isinstance(node, list):
        for item in node:
            yield from _undescribed(item, where)


@pytest.mark.parametrize("name", OUTPUT_SCHEMAS)
def test_every_property_is_described_for_a_developer_of_another_system(name: str) -> None:
    missing = list(_undescribed(REGISTRY.contents(name), "$"))
    assert not missing, f"{name}: properties with no description: {missing}"


def check_jsonschema(
    schema: str, documents: list[Path], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """check-jsonschema as a developer of another system runs it, from another folder, offline."""
    if importlib.util.find_spec("check_jsonschema") is None:
        pytest.fail(
            "check-jsonschema is not installed in this environment: install the test extras with "
            "`pip install '.[test]'` (or `pip install 'check-jsonschema>=0.27'`)"
        )
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(RULES / schema)]
        + [str(d) for d in documents],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_check_jsonschema_finds_the_schemas_a_contract_names_and_catches_a_drift(
    tmp_path: Path,
) -> None:
    """From any folder, the `$ref`s between the contracts resolve to the files beside them: a
    result, a failed case (its error defined in located-problem.schema.json) and a decision pass;
    a result with a misspelt deadline status fails, named where it is."""
    result = run(
        "run",
        str(EXAMPLES / "sefton-late-acknowledgement.yaml"),
        "--as-of",
        "2025-01-20",
        "--format",
        "json",
    ).stdout
    failed = run("run", str(tmp_path / "missing.yaml"), "--format", "json").stdout
    decided = run(
        "eligibility", str(EXAMPLES / "eligibility" / "school-admissions.yaml"), "--format", "json"
    ).stdout
    drifted = json.loads(result)
    drifted["deadlines"][1]["status"] = "overdo"
    files = {"result": result, "failed": failed, "decided": decided, "drifted": json.dumps(drifted)}
    for name, text in files.items():
        (tmp_path / f"{name}.json").write_text(text, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    good = check_jsonschema(
        "evaluation-result.schema.json",
        [tmp_path / "result.json", tmp_path / "failed.json"],
        elsewhere,
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert "ok -- validation done" in good.stdout
    decision = check_jsonschema(
        "eligibility-decision.schema.json", [tmp_path / "decided.json"], elsewhere
    )
    assert decision.returncode == 0, decision.stdout + decision.stderr
    bad = check_jsonschema("evaluation-result.schema.json", [tmp_path / "drifted.json"], elsewhere)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "'overdo' is not one of" in bad.stdout, bad.stdout


# -- run and eligibility on every scenario case -------------------------------------------------


def _scenario_case(path: Path, tmp_path: Path) -> tuple[Path, dict[str, Any], list[str]]:
    """The scenario's case written to a JSON case file, its data, and the options it runs with
    (`--as-of` its `as_of:`, and `--strict` if it says `strict: true`), as scenarios.py reads them."""
    document, problems = load(path)
    assert document is not None, problems
    data = document.data
    case_file = tmp_path / f"{path.stem}.json"
    case_file.write_text(
        json.dumps({key: data[key] for key in CASE_KEYS if key in data}), encoding="utf-8"
    )
    strict = ["--strict"] if data.get("strict") is True else []
    return case_file, data, strict


@pytest.mark.parametrize("scenario", SCENARIO_FILES, ids=scenario_name)
def test_run_and_eligibility_json_of_every_scenario_case_meet_their_contracts(
    scenario: Path, tmp_path: Path
) -> None:
    case_file, data, strict = _scenario_case(scenario, tmp_path)
    as_of = str(data["as_of"])
    expected_error = data["expect"].get("error")

    result = json_output("run", str(case_file), "--as-of", as_of, "--format", "json", *strict)
    assert problems_with("evaluation-result.schema.json", result) == []
    if expected_error:  # a scenario that expects an error gets the error in the result's place
        assert result["error"]["code"] == expected_error["code"]
    else:
        assert "error" not in result, result
        assert result["as_of"] == as_of

    decided = json_output("eligibility", str(case_file), "--format", "json", *strict)
    assert problems_with("eligibility-decision.schema.json", decided) == []
    if "error" not in result:
        # The `eligibility` member of a result is what `eligibility` decides, without its
        # case and procedure.
        assert {"case": result["case"], "procedure": result["procedure"]} | result[
            "eligibility"
        ] == decided


# -- run and eligibility on every example ------------------------------------------------------

EXAMPLE_FILES = sorted(  # the case files (a report's figures file is not one)
    p
    for p in EXAMPLES.rglob("*")
    if p.suffix in (".yaml", ".yml", ".json", ".jsonl") and not p.name.endswith(".figures.yaml")
)


@pytest.mark.parametrize(
    "example", EXAMPLE_FILES, ids=[str(p.relative_to(EXAMPLES)) for p in EXAMPLE_FILES]
)
@pytest.mark.parametrize("explain", [False, True], ids=["plain", "explain"])
def test_run_json_of_every_example_meets_the_evaluation_result_contract(
    example: Path, explain: bool
) -> None:
    options = ["--explain"] if explain else []
    document = json_output(
        "run", str(example), "--as-of", EXAMPLE_AS_OF, "--format", "json", "--jobs", "1", *options
    )
    entries = list(each_entry(document))
    assert entries
    for entry in entries:
        assert problems_with("evaluation-result.schema.json", entry) == []
        assert "error" not in entry, entry
        deadlines = entry["deadlines"]
        assert deadlines
        # --explain adds an explanation to every deadline; without it there is none.
        assert all(("explanation" in d) == explain for d in deadlines), deadlines


@pytest.mark.parametrize(
    "example", EXAMPLE_FILES, ids=[str(p.relative_to(EXAMPLES)) for p in EXAMPLE_FILES]
)
def test_eligibility_json_of_every_example_meets_its_contract(example: Path) -> None:
    for entry in each_entry(json_output("eligibility", str(example), "--format", "json")):
        assert problems_with("eligibility-decision.schema.json", entry) == []
        assert "decision" in entry, entry


# -- cases that fail ---------------------------------------------------------------------------

TWO_BAD_DATES = """\
case: BAD-1
procedure: sefton/csc-statutory
events:
  - {date: 2024-13-01, event: complaint-received}
  - {date: 2024-10-32, event: acknowledged}
"""
UNKNOWN_PROCEDURE = """\
case: BAD-2
procedure: nowhere/csc-statutory
events:
  - {date: 2024-10-01, event: complaint-received}
"""


@pytest.mark.parametrize("command", ["run", "eligibility"])
def test_a_case_with_several_problems_lists_them_all_within_the_contract(
    command: str, tmp_path: Path
) -> None:
    case_file = tmp_path / "bad.yaml"
    case_file.write_text(TWO_BAD_DATES, encoding="utf-8")
    document = json_output(command, str(case_file), "--format", "json")
    schema = f"{'evaluation-result' if command == 'run' else 'eligibility-decision'}.schema.json"
    assert problems_with(schema, document) == []
    problems = document["error"]["problems"]
    assert [(p["line"], p["yaml_path"]) for p in problems] == [
        (4, "$.events[0].date"),
        (5, "$.events[1].date"),
    ]


def test_a_batch_with_broken_cases_meets_the_contract_entry_by_entry(tmp_path: Path) -> None:
    """A case whose procedure cannot be found, a missing file, a good case: one entry each."""
    broken = tmp_path / "unknown-procedure.yaml"
    broken.write_text(UNKNOWN_PROCEDURE, encoding="utf-8")
    good = EXAMPLES / "sefton-late-acknowledgement.yaml"
    paths = [str(broken), str(tmp_path / "missing.yaml"), str(good)]
    for command, schema in [
        ("run", "evaluation-result.schema.json"),
        ("eligibility", "eligibility-decision.schema.json"),
    ]:
        extra = ["--as-of", EXAMPLE_AS_OF, "--jobs", "1"] if command == "run" else []
        document = json_output(command, *paths, "--format", "json", *extra)
        assert [("error" in entry) for entry in document] == [True, True, False]
        for entry in document:
            assert problems_with(schema, entry) == []


# -- validate ----------------------------------------------------------------------------------

LOCATED_PROBLEMS = {"type": "array", "items": {"$ref": "located-problem.schema.json"}}
BROKEN_FIXTURES = [
    "yaml-syntax",
    "duplicate-key",
    "non-string-key",
    "unknown-key",
    "missing-key",
    "wrong-type",
    "unknown-event",
    "dead-end",
    "too-large",
    "too-deep",
    "binary-file",
    "empty-file",
]


@pytest.mark.parametrize("fixture", BROKEN_FIXTURES)
def test_validate_json_of_a_broken_file_is_a_list_of_located_problems(fixture: str) -> None:
    result = run("validate", str(FIXTURES / f"{fixture}.yaml"), "--format", "json")
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert problems_with(LOCATED_PROBLEMS, document) == []
    errors = [p for p in document if p["severity"] == "error"]
    assert fixture in [p["code"] for p in errors], document
    assert all(p["line"] >= 1 and p["column"] >= 1 for p in errors)


def test_validate_json_of_a_missing_file_is_a_located_problem(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nowhere.yaml"), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert problems_with(LOCATED_PROBLEMS, document) == []
    assert [p["code"] for p in document] == ["file-not-found"]


# -- problem details ---------------------------------------------------------------------------

PROBLEM = {
    "type": "urn:csc-rules:problem:yaml-syntax",
    "title": "The YAML cannot be read",
    "status": 400,
    "detail": "YAML syntax: did not find expected ',' or ']'",
    "instance": "/cases/evaluate",
    "code": "yaml-syntax",
    "problems": [
        {
            "path": "case.yaml",
            "line": 2,
            "column": 1,
            "code": "yaml-syntax",
            "message": "YAML syntax: did not find expected ',' or ']'",
            "yaml_path": "$",
        }
    ],
    "request_id": "a member a later version may add, which clients ignore",
}


def test_a_problem_details_document_meets_the_contract() -> None:
    assert problems_with("problem-details.schema.json", PROBLEM) == []
    bare = {k: PROBLEM[k] for k in ("type", "title", "status", "detail", "code")}
    assert problems_with("problem-details.schema.json", bare) == []


def test_the_examples_in_the_problem_details_schema_meet_it() -> None:
    examples = REGISTRY.contents("problem-details.schema.json")["examples"]
    assert examples
    for example in examples:
        assert problems_with("problem-details.schema.json", example) == []


def _without(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc.pop(key)


def _setting(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc.__setitem__(key, value)


@pytest.mark.parametrize(
    "change",
    [
        _without("status"),
        _setting("status", 200),
        _setting("status", 600),
        _setting("status", "400"),
        _without("code"),
        _setting("type", "yaml-syntax"),
        _setting("detail", "two\nlines"),
        _setting("problems", []),
        lambda doc: doc["problems"][0].pop("line"),
        lambda doc: doc["problems"][0].__setitem__("lines", 2),
    ],
    ids=[
        "no-status",
        "status-200",
        "status-600",
        "status-as-text",
        "no-code",
        "type-not-a-csc-rules-urn",
        "detail-on-two-lines",
        "empty-problems",
        "problem-without-line",
        "problem-with-misspelt-key",
    ],
)
def test_a_problem_details_document_that_breaks_the_contract_is_refused(
    change: Callable[[dict[str, Any]], None],
) -> None:
    document = copy.deepcopy(PROBLEM)
    change(document)
    assert problems_with("problem-details.schema.json", document) != []


# -- strict enough to catch a drift -------------------------------------------------------------


@pytest.fixture(scope="module")
def sefton_result() -> dict[str, Any]:
    """A result with a met-late and an overdue duty, and a decided eligibility."""
    document = json_output(
        "run",
        str(EXAMPLES / "sefton-late-acknowledgement.yaml"),
        "--as-of",
        "2025-01-20",
        "--format",
        "json",
    )
    assert problems_with("evaluation-result.schema.json", document) == []
    assert [d["status"] for d in document["deadlines"]] == ["missed", "overdue"]
    return document  # type: ignore[no-any-return]


def _deadline(index: int, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["deadlines"][index].__setitem__(key, value)


DRIFTS: dict[str, Callable[[dict[str, Any]], None]] = {
    "unknown-status": _setting("status", "closed"),
    "misspelt-key": lambda doc: doc.__setitem__("warning", doc.pop("warnings")),
    "extra-key": _setting("council", "sefton"),
    "missing-key": _without("next_events"),
    "as-of-not-a-date": _setting("as_of", "20/01/2025"),
    "as-of-not-a-real-day": _setting("as_of", "2025-02-30"),
    "ended-but-at-a-stage": _setting("status", "resolved"),
    "null-eligibility": _setting("eligibility", None),
    "unknown-deadline-status": _deadline(0, "status", "late"),
    "unknown-deadline-kind": _deadline(0, "kind", "aim"),
    "deadline-misspelt-key": lambda doc: doc["deadlines"][0].__setitem__(
        "done", doc["deadlines"][0].pop("done_on")
    ),
    "working-days-late-as-text": _deadline(1, "working_days_late", "8"),
    "overdue-but-done": _deadline(1, "done_on", "2025-01-10"),
    "met-but-late": lambda doc: doc["deadlines"][0].__setitem__("status", "met"),
    "overdue-window": _deadline(1, "kind", "window"),
    "unknown-warning-code": lambda doc: doc["warnings"].append(
        {"code": "lateish", "message": "m", "event": "acknowledged", "date": "2024-12-30"}
    ),
    "warning-without-date": lambda doc: doc["warnings"].append(
        {"code": "out-of-time", "message": "m", "event": "acknowledged"}
    ),
    "unknown-eligibility-decision": lambda doc: doc["eligibility"].__setitem__("decision", "maybe"),
    "eligibility-with-case": lambda doc: doc["eligibility"].__setitem__("case", doc["case"]),
    "undecided-with-nothing-needed": lambda doc: doc["eligibility"].__setitem__(
        "decision", "undecided"
    ),
    "redirect-to-nowhere": lambda doc: doc["eligibility"].update(
        decision="redirect",
        route="nowhere",
        reasons=[
            {"rule": "r", "decision": "redirect", "route": "nowhere", "message": "m", "sources": []}
        ],
    ),
    "error-beside-a-result": lambda doc: doc.__setitem__(
        "error", {"code": "x", "message": "m", "path": None, "line": None, "column": None}
    ),
}


@pytest.mark.parametrize("drift", list(DRIFTS))
def test_a_result_that_drifts_from_the_contract_is_refused(
    sefton_result: dict[str, Any], drift: str
) -> None:
    document = copy.deepcopy(sefton_result)
    DRIFTS[drift](document)
    assert document != sefton_result
    assert problems_with("evaluation-result.schema.json", document) != []


@pytest.mark.parametrize(
    "change",
    [
        lambda doc: doc.__setitem__("decision", "unsure"),
        lambda doc: doc.__setitem__("reason", doc.pop("reasons")),
        lambda doc: doc.pop("procedure"),
        lambda doc: doc["reasons"][0].__setitem__("route", "corporate"),
        lambda doc: doc["reasons"][0].__setitem__("explain_in_writing", False),
        lambda doc: doc.__setitem__("decision", "eligible"),
    ],
    ids=[
        "unknown-decision",
        "misspelt-key",
        "no-procedure",
        "route-on-a-discretion",
        "explain-in-writing-false",
        "eligible-with-a-discretion-reason",
    ],
)
def test_an_eligibility_decision_that_drifts_from_the_contract_is_refused(
    change: Callable[[dict[str, Any]], None],
) -> None:
    document = json_output(
        "eligibility",
        str(EXAMPLES / "eligibility" / "parent-care-proceedings.yaml"),
        "--format",
        "json",
    )
    assert problems_with("eligibility-decision.schema.json", document) == []
    assert document["decision"] == "discretion"
    change(document)
    assert problems_with("eligibility-decision.schema.json", document) != []


@pytest.mark.parametrize(
    "change",
    [
        lambda doc: doc.__setitem__("severity", "fatal"),
        lambda doc: doc.__setitem__("col", doc.pop("column")),
        lambda doc: doc.__setitem__("line", 0),
        lambda doc: doc.pop("code"),
        lambda doc: doc.__setitem__("yaml_path", "events.0.date"),
    ],
    ids=["unknown-severity", "misspelt-key", "line-0", "no-code", "yaml-path-not-from-root"],
)
def test_a_located_problem_that_drifts_from_the_contract_is_refused(
    change: Callable[[dict[str, Any]], None],
) -> None:
    result = run("validate", str(FIXTURES / "yaml-syntax.yaml"), "--format", "json")
    problem = json.loads(result.stdout)[0]
    assert problems_with("located-problem.schema.json", problem) == []
    change(problem)
    assert problems_with("located-problem.schema.json", problem) != []
