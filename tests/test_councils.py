"""The real procedures: they validate clean, and they say what the councils' documents say."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from conftest import PROCEDURE_FILES, PROCEDURE_IDS, RECORDED_CONFLICTS, ROOT, ProcedureFile
from csc_rules import validate
from csc_rules.reading.inheritance import Resolved
from csc_rules.reading.loader import load
from csc_rules.reading.locations import kind_of, library_files


@cache
def library() -> tuple[tuple[Any, ...], dict[str, Resolved]]:
    report = validate()
    return report.diagnostics, {p.id: p for p in report.procedures}


def procedure(procedure_id: str) -> dict[str, Any]:
    return library()[1][procedure_id].data


def test_library_has_no_errors_and_exactly_the_documented_conflicts() -> None:
    diagnostics, procedures = library()
    assert set(procedures) == set(PROCEDURE_IDS)
    assert [d for d in diagnostics if d.is_error] == []
    conflicts = sorted(
        (d.path, d.message.split(":", 1)[0]) for d in diagnostics if d.code == "conflict"
    )
    on = "the documents conflict on"
    assert conflicts == [(path, f"{on} {concerns}") for path, concerns in RECORDED_CONFLICTS]
    assert conflicts, "no recorded conflict: this would prove nothing"


def duty(procedure_id: str, deadline_id: str, collection: str = "duties") -> dict[str, Any]:
    return procedure(procedure_id)[collection][deadline_id]


def test_sefton_acknowledges_with_a_reference_number_within_3_working_days() -> None:
    ack = duty("sefton/csc-statutory", "acknowledgement")
    assert (ack["anchor"], ack["limit"], ack["met_by"]) == (
        "complaint-received",
        {"amount": 3, "unit": "working-days"},
        ["acknowledged"],
    )
    assert "reference number" in ack["sources"][0]


def test_sefton_panel_papers_go_10_working_days_before_the_panel_date() -> None:
    papers = duty("sefton/csc-statutory", "panel-papers")
    assert papers["anchor"] == "panel-scheduled"
    assert papers["anchor_field"] == "panel_date"
    assert papers["direction"] == "before"
    assert papers["limit"] == {"amount": 10, "unit": "working-days"}


def test_sefton_process_map_has_13_numbered_steps_in_order() -> None:
    numbers = [
        step["number"]
        for stage in procedure("sefton/csc-statutory")["stages"].values()
        for step in stage["steps"].values()
        if "number" in step
    ]
    assert numbers == list(range(1, 14))


def test_sefton_corporate_is_15_then_10_working_days_without_extensions() -> None:
    stage_1 = duty("sefton/corporate", "stage-1-response")
    stage_2 = duty("sefton/corporate", "stage-2-response")
    assert (stage_1["anchor"], stage_1["limit"]) == (
        "complaint-received",
        {"amount": 15, "unit": "working-days"},
    )
    assert (stage_2["anchor"], stage_2["limit"]) == (
        "stage-2-requested",
        {"amount": 10, "unit": "working-days"},
    )
    assert "extensions" not in stage_1 or stage_1["extensions"] == {}
    assert "extensions" not in stage_2 or stage_2["extensions"] == {}


def test_islington_acknowledges_in_2_working_days_and_counts_stage_2_from_the_statement() -> None:
    assert duty("islington/csc-statutory", "acknowledgement")["limit"] == {
        "amount": 2,
        "unit": "working-days",
    }
    stage_2 = duty("islington/csc-statutory", "stage-2-response")
    assert stage_2["anchor"] == "stage-2-started"
    assert stage_2["extensions"]["extended"]["maximum"] == {"amount": 65, "unit": "working-days"}


def test_cheshire_west_responds_10_days_after_the_report_and_20_days_after_the_panel() -> None:
    report = duty("cheshire-west/csc-statutory", "stage-2-report-response")
    assert (report["anchor"], report["limit"], report["met_by"]) == (
        "investigation-report-received",
        {"amount": 10, "unit": "working-days"},
        ["stage-2-response-sent"],
    )
    director = duty("cheshire-west/csc-statutory", "stage-3-response")
    assert (director["anchor"], director["limit"]) == (
        "panel-held",
        {"amount": 20, "unit": "working-days"},
    )


def test_baseline_keeps_the_statutory_limits() -> None:
    limits = {
        k: (v["anchor"], v["limit"]["amount"])
        for k, v in procedure("baseline/csc-statutory")["duties"].items()
    }
    assert limits == {
        "stage-1-response": ("complaint-received", 10),
        "stage-2-response": ("stage-2-requested", 25),
        "panel": ("stage-3-requested", 30),
        "panel-report": ("panel-held", 5),
        "stage-3-response": ("panel-report-sent", 15),
    }
    stage_2 = duty("baseline/csc-statutory", "stage-2-response")
    assert stage_2["extensions"]["extended"]["maximum"]["amount"] == 65
    assert "council_setting" in stage_2  # the start of the stage 2 clock is uncertain in law


@pytest.mark.parametrize("procedure_id", sorted(library()[1]))
def test_every_duty_window_extension_and_step_cites_a_source(procedure_id: str) -> None:
    data = procedure(procedure_id)
    cited = []
    for collection in ("duties", "windows"):
        for item in data.get(collection, {}).values():
            cited.append(item)
            cited.extend(item.get("extensions", {}).values())
    for stage in data["stages"].values():
        cited.append(stage)
        cited.extend(stage.get("steps", {}).values())
    assert cited and all(item.get("sources") for item in cited)


@pytest.mark.parametrize(
    "file", [f for f in PROCEDURE_FILES if f.council], ids=lambda f: f.relative
)
def test_council_files_extend_a_baseline_and_name_their_schema(file: ProcedureFile) -> None:
    first = file.path.read_text(encoding="utf-8").splitlines()[0]
    # the schema with the library's names, so that an editor offers them (docs/policy-officers.md)
    assert first == "# yaml-language-server: $schema=../../rules/library.schema.json"
    assert (file.path.parent / "../../rules/library.schema.json").resolve().is_file()
    assert file.id.startswith(f"{file.council}/")
    assert file.extends and file.extends.startswith("baseline/")


@pytest.mark.parametrize(
    "path",
    library_files(),
    ids=lambda p: p.relative_to(ROOT).as_posix() if p.is_relative_to(ROOT) else p.name,
)
def test_published_schema_alone_accepts_every_file(path) -> None:
    """What an editor or check-jsonschema sees through the file's `$schema` line: no errors,
    even in a council file that states only what differs from its baseline."""
    document, problems = load(path)
    assert problems == []
    kind = kind_of(document.data)
    schema = json.loads((ROOT / "rules" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    assert [e.message for e in validator.iter_errors(document.data)] == []


@pytest.mark.parametrize("name", ["procedure", "council", "vocabulary"])
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    Draft202012Validator.check_schema(
        json.loads((ROOT / "rules" / f"{name}.schema.json").read_text(encoding="utf-8"))
    )
