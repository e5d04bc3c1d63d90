"""`csc-rules show --catalogue`: every id a baseline defines and the shared vocabulary's, each
with what it is and its source, and docs/catalogue.md made from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PLAIN_YAML, PROCEDURE_FILES, ROOT, run

BASELINES = [f for f in PROCEDURE_FILES if f.council is None]
COMMAND = "csc-rules docs -o docs"


def catalogue() -> dict[str, dict[str, dict[str, Any]]]:
    """The catalogue as JSON: by baseline (or the vocabulary), by kind, by id."""
    result = run("show", "--catalogue", "--format", "json")
    assert result.exit_code == 0, result.output
    return {
        part["id"]: {
            kind: {item["id"]: item for item in items} for kind, items in part["sections"].items()
        }
        for part in json.loads(result.stdout)
    }


def plain_yaml(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=PLAIN_YAML)


def test_docs_catalogue_is_what_the_command_makes() -> None:
    result = run("show", "--catalogue", "--format", "markdown")
    assert result.exit_code == 0, result.output
    page = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    assert page == result.stdout, f"docs/catalogue.md is out of date: run `{COMMAND}`"
    assert COMMAND in page


@pytest.mark.parametrize("baseline", BASELINES, ids=lambda f: f.id)
def test_every_item_of_a_baseline_is_listed_with_its_source(baseline: Any) -> None:
    written = plain_yaml(baseline.path)
    listed = catalogue()[baseline.id]
    for kind in ("duties", "windows", "rules", "notes"):
        items = written.get(kind) or {}
        assert set(listed[kind]) == set(items), kind
        for item_id, item in items.items():
            assert listed[kind][item_id]["sources"] == item["sources"], (kind, item_id)
    assert set(listed["stages"]) == set(written["stages"])
    steps = {s for stage in written["stages"].values() for s in stage["steps"]}
    assert set(listed["steps"]) == steps
    assert set(listed["states"]) == set(written["states"])
    assert set(listed["events"]) == set(written["events"])
    for event_id, event in written["events"].items():
        for field in event.get("fields") or {}:
            assert f"`{field}`" in listed["events"][event_id]["details"], (event_id, field)
    extensions = {
        f"{duty_id}/{extension_id}"
        for duty_id, duty in (written.get("duties") or {}).items()
        for extension_id in duty.get("extensions") or {}
    }
    assert set(listed["extensions"]) == extensions


def test_the_vocabulary_is_listed_once_for_every_baseline() -> None:
    written = plain_yaml(ROOT / "rules" / "vocabulary.yaml")
    listed = catalogue()["rules/vocabulary.yaml"]
    for kind in ("facts", "roles", "grounds", "documents"):
        assert set(listed[kind]) == set(written[kind]), kind
    assert listed["roles"]["panel"]["description"] == written["roles"]["panel"]


def test_a_duty_added_to_a_baseline_is_in_the_catalogue(library_copy: Path) -> None:
    baseline = library_copy / "rules" / "baseline" / "csc-statutory.yaml"
    text = baseline.read_text(encoding="utf-8")
    added = """duties:
  first-contact:
    title: First contact
    actor: complaints-officer
    anchor: complaint-received
    limit: {amount: 3, unit: working-days}
    met_by: [acknowledged]
    sources: ["SI 2006/1738: reg 14"]
"""
    assert text.count("\nduties:\n") == 1
    baseline.write_text(text.replace("\nduties:\n", "\n" + added), encoding="utf-8")
    item = catalogue()["baseline/csc-statutory"]["duties"]["first-contact"]
    assert item["sources"] == ["SI 2006/1738: reg 14"]
    assert item["details"].startswith("3 working days from `complaint-received`")
    text_form = run("show", "--catalogue").stdout
    assert "first-contact: First contact" in text_form


def test_the_catalogue_takes_no_procedure() -> None:
    result = run("show", "--catalogue", "baseline/corporate")
    assert result.exit_code == 2
    assert "--catalogue lists every baseline" in result.output
