"""A fact a case gives for one stage reaches only that stage's deadlines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import run
from csc_rules.cases.interpreter import evaluate_data
from csc_rules.cases.results import Result
from csc_rules.errors import CaseError
from csc_rules.procedures.library import load_procedure

CHESHIRE_WEST = "cheshire-west/csc-statutory"
# Received Mon 2 Sep 2024, answered Fri 27 Sep, stage 2 asked for Tue 1 Oct, started Tue 8 Oct.
EVENTS = [
    {"date": "2024-09-02", "event": "complaint-received"},
    {"date": "2024-09-27", "event": "stage-1-response-sent", "outcome": "not-upheld"},
    {"date": "2024-10-01", "event": "stage-2-requested"},
    {"date": "2024-10-08", "event": "stage-2-started"},
]


def replay(facts: dict[str, Any]) -> Result:
    procedure = load_procedure(CHESHIRE_WEST)
    case = {"case": "T", "procedure": procedure.id, "facts": facts, "events": EVENTS}
    return evaluate_data(procedure, case, dt.date.fromisoformat("2024-12-20"))


def test_a_stage_2_found_complex_does_not_stretch_stage_1() -> None:
    # Stage 1 keeps its 10 working days (3-6, 9-13, 16 Sep: due Mon 16 Sep), so the answer of
    # 27 Sep is late; the investigation gets 65 from the request (due Fri 3 Jan 2025, counted in
    # tests/scenarios/cheshire-west/05-complex-investigation.yaml).
    result = replay({"complex": {"stage-2": True}})
    stage_1, stage_2 = result.deadline("stage-1-response"), result.deadline("stage-2-response")
    assert (stage_1.due, stage_1.status) == (dt.date(2024, 9, 16), "missed")
    assert stage_2.due == dt.date(2025, 1, 3)


def test_a_stage_1_found_complex_does_not_stretch_stage_2() -> None:
    # Stage 1 gets 20 (due Mon 30 Sep, met on the 27th); the investigation 25 from Tue 1 Oct:
    # 2-4, 7-11, 14-18, 21-25, 28-31 Oct, 1, 4, 5 Nov: due Tue 5 Nov, missed by 20 Dec.
    result = replay({"complex": {"stage-1": True, "stage-2": False}})
    stage_1, stage_2 = result.deadline("stage-1-response"), result.deadline("stage-2-response")
    assert (stage_1.due, stage_1.status) == (dt.date(2024, 9, 30), "met")
    assert stage_2.due == dt.date(2024, 11, 5)


def test_a_fact_for_the_whole_case_still_reaches_every_stage() -> None:
    result = replay({"complex": True})
    assert result.deadline("stage-1-response").due == dt.date(2024, 9, 30)
    assert result.deadline("stage-2-response").due == dt.date(2025, 1, 3)


def test_a_fact_for_a_stage_the_procedure_lacks_is_refused_with_the_stages_named() -> None:
    with pytest.raises(CaseError) as exc_info:
        replay({"complex": {"stage-4": True}})
    message = str(exc_info.value)
    assert "fact `complex` is given for `stage-4`, which is no stage" in message
    assert "stage-1, stage-2, stage-3" in message


def test_a_csv_export_gives_a_fact_for_one_stage_through_its_mapping(tmp_path: Path) -> None:
    # A column mapped to `complex.stage-2`: "yes" is read as the boolean `complex` takes, and
    # stage 1 keeps its 10 working days (Mon 3 Jun 2024 -> Mon 17 Jun), answered Wed 19 Jun:
    # missed by 2 (18, 19 Jun).
    (tmp_path / "export.mapping.yaml").write_text(
        "csv: case-system-export\nprocedure: cheshire-west/csc-statutory\n"
        "columns: {case: Reference, date: Date, event: Event}\n"
        "fields: {outcome: Outcome}\nfacts: {complex.stage-2: Complex at stage 2}\n",
        encoding="utf-8",
    )
    path = tmp_path / "export.csv"
    path.write_text(
        "Reference,Date,Event,Outcome,Complex at stage 2\n"
        "C-1,2024-06-03,complaint-received,,yes\n"
        "C-1,2024-06-19,stage-1-response-sent,upheld,\n",
        encoding="utf-8",
    )
    result = run("run", str(path), "--as-of", "2024-06-20", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    stage_1 = next(d for d in found["deadlines"] if d["id"] == "stage-1-response")
    assert (stage_1["due"], stage_1["status"], stage_1["working_days_late"]) == (
        "2024-06-17",
        "missed",
        2,
    )
