"""`csc-rules schema`: the schema editors read offers the library's names and holds the fields
that name something to them; `validate` keeps the library's copy up to date, and nothing that
command did not write is ever written over."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import PROCEDURE_FILES, ROOT, run

LIBRARY_SCHEMA = ROOT / "rules" / "library.schema.json"
ISLINGTON = "councils/islington/csc-statutory.yaml"


def generated() -> dict[str, Any]:
    result = run("schema")
    assert result.exit_code == 0, result.output
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return generated()


def problems(schema: dict[str, Any], data: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in Draft202012Validator(schema).iter_errors(data)]


def plain(path: Path) -> Any:
    """A file as JSON would carry it (dates as text), read without csc-rules."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_the_library_schema_is_up_to_date() -> None:
    assert LIBRARY_SCHEMA.is_file(), "run `csc-rules schema -o rules/library.schema.json`"
    assert json.loads(LIBRARY_SCHEMA.read_text(encoding="utf-8")) == generated(), (
        "rules/library.schema.json is out of date: run `csc-rules validate`, which rewrites it "
        "(or `csc-rules schema -o rules/library.schema.json`), and commit it"
    )


def test_it_is_a_valid_schema_that_says_it_is_generated(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$comment"].startswith("Generated from the library by `csc-rules schema`")
    assert schema["$id"] == "urn:csc-rules:library.schema.json"


@pytest.mark.parametrize("file", PROCEDURE_FILES, ids=lambda f: f.relative)
def test_every_procedure_of_the_library_conforms(schema: dict[str, Any], file: Any) -> None:
    assert problems(schema, plain(file.path)) == []


def _baseline_events() -> dict[str, str]:
    """The events of the statutory baseline with their descriptions, read as plain YAML."""
    data = plain(ROOT / "rules" / "baseline" / "csc-statutory.yaml")
    return {k: v["description"] for k, v in data["events"].items()}


def test_an_event_field_offers_every_event_with_its_description(schema: dict[str, Any]) -> None:
    field = schema["$defs"]["start"]["properties"]["event"]
    offered = schema["$defs"][field["$ref"].rsplit("/", 1)[1]]
    described = dict(zip(offered["enum"], offered["enumDescriptions"], strict=True))
    for event, description in _baseline_events().items():
        assert event in described
        # each as the baseline words it, saying where that wording comes from
        assert re.search(
            re.escape(description) + r" \(from [^)]*baseline/csc-statutory", described[event]
        )


@pytest.mark.parametrize(
    ("where", "old", "new"),
    [
        ("a duty's anchor", "anchor: complaint-received", "anchor: complaint-recieved"),
        ("a step's actor", "actor: complaints-officer", "actor: complaint-officer"),
        ("a transition's state", "to: stage-2", "to: stage-two"),
    ],
)
def test_a_misspelt_name_is_refused(schema: dict[str, Any], where: str, old: str, new: str) -> None:
    text = (ROOT / "rules/baseline/csc-statutory.yaml").read_text(encoding="utf-8")
    assert old in text
    found = problems(
        schema, json.loads(json.dumps(yaml.safe_load(text.replace(old, new, 1)), default=str))
    )
    assert found and all(new.split(": ")[1] in p for p in found), (where, found)


def test_a_citation_of_an_unknown_document_is_refused(schema: dict[str, Any]) -> None:
    data = plain(ROOT / ISLINGTON)
    data["sources"][0] = "005_not_a_document.txt: Stage 1"
    assert [p.split(":")[0] for p in problems(schema, data)] == ["$.sources[0]"]


def test_validate_rewrites_the_schema_when_a_council_adds_an_event(library_copy: Path) -> None:
    target = library_copy / "rules" / "library.schema.json"
    council = library_copy / ISLINGTON
    text = council.read_text(encoding="utf-8")
    council.write_text(
        text.replace(
            "\nstages:\n",
            "\nevents:\n  advocate-found:\n    description: An advocate agreed to help.\n"
            '    sources: ["Children Act 1989: s26A"]\n\nstages:\n',
            1,
        ),
        encoding="utf-8",
    )
    result = run("validate")
    assert "rules/library.schema.json (what editors offer) was rewritten" in result.stderr
    known = json.loads(target.read_text(encoding="utf-8"))["$defs"]["known-events"]
    at = known["enum"].index("advocate-found")
    assert known["enumDescriptions"][at] == (
        "An advocate agreed to help. (from islington/csc-statutory)"
    )
    again = run("validate")
    assert "rewritten" not in again.stderr  # up to date now: nothing written, nothing said


def test_validate_leaves_a_schema_it_did_not_write(library_copy: Path) -> None:
    target = library_copy / "rules" / "library.schema.json"
    own = '{"title": "my own schema"}\n'
    target.write_text(own, encoding="utf-8")
    result = run("validate")
    assert "was not written by `csc-rules schema`, so validate leaves it" in result.stderr
    assert target.read_text(encoding="utf-8") == own


def test_checking_a_file_of_ones_own_never_writes_into_the_library(
    library_copy: Path, tmp_path: Path
) -> None:
    target = library_copy / "rules" / "library.schema.json"
    target.write_text(target.read_text(encoding="utf-8").replace("acknowledged", "x"), "utf-8")
    before = target.read_bytes()
    mine = tmp_path / "mine.yaml"
    mine.write_text((ROOT / ISLINGTON).read_text(encoding="utf-8"), encoding="utf-8")
    run("validate", str(mine))
    assert target.read_bytes() == before


def test_schema_refuses_to_write_over_a_file_it_did_not_write(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("{}\n", encoding="utf-8")
    result = run("schema", "-o", str(target))
    assert result.exit_code == 1
    assert (
        "refusing to write" in result.stderr
        and "not a schema `csc-rules schema` wrote" in result.stderr
    )
    assert target.read_text(encoding="utf-8") == "{}\n"
    target.unlink()
    assert run("schema", "-o", str(target)).exit_code == 0
    assert run("schema", "-o", str(target)).exit_code == 0  # its own: written again
