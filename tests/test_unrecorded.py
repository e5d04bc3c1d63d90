"""Duties counted from an event the records lack (csc_rules/cases/unrecorded.py), and what an
ending leaves standing. Dates are counted by hand from England's bank holidays (2024-12-25,
12-26, 2025-01-01, 04-18, 04-21); "16 Sep -> 16 Dec: 65" means 65 working days after 16 Sep up
to and including 16 Dec."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from csc_rules.cases.interpreter import evaluate_data
from csc_rules.cases.results import Result
from csc_rules.language.chains import chain, links
from csc_rules.procedures.compiler import digest_of, dumps, loads
from csc_rules.procedures.library import load_procedure

ISLINGTON, CHESHIRE_WEST = "islington/csc-statutory", "cheshire-west/csc-statutory"
STAGE_2 = [
    {"date": "2024-09-02", "event": "complaint-received"},
    {"date": "2024-09-03", "event": "acknowledged"},
    {"date": "2024-09-13", "event": "stage-1-response-sent", "outcome": "not-upheld"},
    {"date": "2024-09-16", "event": "stage-2-requested"},
]


def replay(procedure: Any, events: list[dict[str, Any]], as_of: str) -> Result:
    case = {"case": "T", "procedure": procedure.id, "events": events}
    return evaluate_data(procedure, case, dt.date.fromisoformat(as_of))


def test_the_statute_chain_names_its_duties() -> None:
    # Cheshire West: 25 (65 if complex) for the investigation, then 10 for the response
    cheshire_west = load_procedure(CHESHIRE_WEST)
    found = chain(
        links(cheshire_west.deadlines.values()), "stage-2-requested", "stage-2-response-sent"
    )
    assert found == (75, ("stage-2-response", "stage-2-report-response"))
    # the statute it extends: 25 (65 if extended) from the request to the response
    statute = cheshire_west.statute
    assert statute is not None and statute.procedure == "baseline/csc-statutory"
    assert chain(statute.links, "stage-2-requested", "stage-2-response-sent") == (
        65,
        ("stage-2-response",),
    )
    # windows bound nothing: the complainant may ask late
    assert chain(statute.links, "stage-1-response-sent", "stage-2-requested") is None


def test_a_report_recorded_without_its_statement_is_held_to_the_statute() -> None:
    # The report of Mon 14 Oct implies the statement of complaint, whose day is unknown. By the
    # statute the answer was due 65 working days after the request (16 Sep -> 16 Dec: 65), a
    # bound tighter than Islington's own 65 from the report. On Fri 25 Oct at most 36 are left
    # (28-31 Oct, 1, 4-8, 11-15, 18-22, 25-29 Nov, 2-6, 9-13, 16 Dec); on Fri 20 Dec the answer
    # is at least 4 late (17-20 Dec).
    islington = load_procedure(ISLINGTON)
    events = [*STAGE_2, {"date": "2024-10-14", "event": "investigation-report-received"}]
    early = replay(islington, events, "2024-10-25").deadline("stage-2-response")
    assert (early.status, early.due.isoformat(), early.working_days_remaining) == (
        "pending",
        "2024-12-16",
        36,
    )
    assert early.bound is not None
    assert early.bound.to_json() == {
        "from": "stage-2-requested",
        "working_days": 65,
        "procedure": "baseline/csc-statutory",
        "duties": ["stage-2-response"],
    }
    late = replay(islington, events, "2024-12-20")
    stage_2 = late.deadline("stage-2-response")
    assert (stage_2.status, stage_2.working_days_late) == ("overdue", 4)
    assert [w.code for w in late.warnings] == ["implied-event", "late-whatever-the-date"]
    assert "at least 4 working days late" in late.warnings[-1].message


def test_an_answer_within_the_bound_proves_nothing_and_is_not_called_met() -> None:
    # Islington, no statement recorded, answered on Mon 2 Dec, within the statute's 65 (to 16
    # Dec): the statement may have been agreed early enough to make it late, or not
    islington = load_procedure(ISLINGTON)
    events = [
        *STAGE_2,
        {"date": "2024-12-02", "event": "stage-2-response-sent", "outcome": "upheld"},
    ]
    result = replay(islington, events, "2024-12-06")
    stage_2 = result.deadline("stage-2-response")
    assert (stage_2.status, stage_2.working_days_late, stage_2.done_on.isoformat()) == (
        "not-timed",
        None,
        "2024-12-02",
    )
    assert "late-whatever-the-date" not in [w.code for w in result.warnings]


def test_a_compiled_file_from_before_the_statute_was_carried_still_loads_and_bounds_nothing() -> (
    None
):
    document = json.loads(dumps(load_procedure(ISLINGTON)))
    del document["statute"]
    document.pop("sha256")
    document["sha256"] = digest_of(document)
    old = loads(json.dumps(document), "islington.json")
    assert old.statute is None
    events = [*STAGE_2, {"date": "2024-12-23", "event": "referred-to-ombudsman"}]
    # without the statute's chain nothing bounds the missing statement: premature, as before
    result = replay(old, events, "2025-01-10")
    assert [w.code for w in result.warnings] == ["premature-referral"]
    assert [w.code for w in replay(load_procedure(ISLINGTON), events, "2025-01-10").warnings] == [
        "late-whatever-the-date"
    ]


@pytest.mark.parametrize(
    ("event", "owed"),
    [("stage-3-response-sent", "stage-3-response"), ("panel-report-sent", "panel-report")],
)
def test_what_a_settlement_leaves_owed_is_only_what_was_started(event: str, owed: str) -> None:
    # Settled at stage 1 on Fri 6 Sep: nothing of stage 3 had started, so a panel report or
    # response recorded later is an event after the end, and starts nothing
    islington = load_procedure(ISLINGTON)
    events = [
        {"date": "2024-09-02", "event": "complaint-received"},
        {"date": "2024-09-03", "event": "acknowledged"},
        {"date": "2024-09-06", "event": "resolved", "outcome": "upheld"},
        {"date": "2024-10-01", "event": event},
    ]
    result = replay(islington, events, "2024-12-31")
    assert result.status == "resolved"
    assert owed not in [d.id for d in result.deadlines]
    assert "stage-3-response" not in [d.id for d in result.deadlines]
    assert [w.code for w in result.warnings] == ["events-after-end"]
    assert list(result.next_events) == ["referred-to-ombudsman"]
