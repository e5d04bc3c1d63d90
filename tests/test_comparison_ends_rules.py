"""`diff` says where each deadline ends as well as where it starts, and compares eligibility
rules and the timescales steps are expected to take (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run
from csc_rules.procedures.library import load_procedure
from csc_rules.reading.loader import load
from csc_rules.reports.comparison import RULE_FIELDS, event_words

SEFTON, CHESHIRE_WEST = "sefton/csc-statutory", "cheshire-west/csc-statutory"
# The start of a continuation line of `diff`'s text: no id, then the field.
INDENT = " " * 27


def _json(*args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _text(*args: str) -> list[str]:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def _document_name(document: str) -> str:
    """The name outputs give a document: as the vocabulary names it, or, for one listed with
    its title, `publisher, title` (a council's own is in its council.yaml)."""
    files = [ROOT / "rules" / "vocabulary.yaml", *sorted(ROOT.glob("councils/*/council.yaml"))]
    for path in files:
        data, _ = load(path)
        assert data is not None
        listed = data.data.get("documents", {}).get(document)
        if isinstance(listed, dict):
            return f"{listed['publisher']}, {listed['title']}"
        if listed is not None:
            return str(listed)
    raise AssertionError(f"no file lists {document}")


# -- the real councils -------------------------------------------------------------------------


def test_cheshire_wests_stage_2_limit_ends_at_the_report_seftons_at_the_answer() -> None:
    sefton, cheshire_west = load_procedure(SEFTON), load_procedure(CHESHIRE_WEST)
    assert sefton.deadlines["stage-2-response"].met_by == ("stage-2-response-sent",)
    assert cheshire_west.deadlines["stage-2-response"].met_by == ("investigation-report-received",)
    text = _text("diff", SEFTON, CHESHIRE_WEST)
    row = text.index(
        "stage-2-response           ends at     stage-2-response-sent          "
        "investigation-report-received"
    )
    # the next two lines say, in words, what meets each
    seftons, cheshire_wests = text[row + 1], text[row + 2]
    assert seftons.startswith(INDENT + f"{'ends when':<11} {SEFTON}: ")
    assert cheshire_wests.startswith(INDENT + f"{'':<11} {CHESHIRE_WEST}: ")
    assert seftons.endswith(event_words(sefton.events, "stage-2-response-sent"))
    assert cheshire_wests.endswith(
        event_words(cheshire_west.events, "investigation-report-received")
    )
    assert "response" in seftons and "report" in cheshire_wests
    # and the duty Cheshire West adds runs on from the report to the answer
    assert any(
        line.startswith("stage-2-report-response    only in     cheshire-west/csc-statutory: ")
        and line.endswith("from investigation-report-received to stage-2-response-sent")
        for line in text
    )


def test_every_deadline_row_says_what_meets_it_on_each_side() -> None:
    data = _json("diff", SEFTON, CHESHIRE_WEST)
    text = _text("diff", SEFTON, CHESHIRE_WEST)
    shown = [row for row in data["deadlines"] if row["differs"]]
    assert shown
    for row in shown:
        for side in (row["a"], row["b"]):
            if side is not None:
                assert side["ends"] and side["ends"] != side["met_by"], row["id"]
        if row["a"] is not None and row["b"] is not None and "met_by" not in row["differs"]:
            # the same end is said once, and marked as the same
            assert (
                INDENT + f"{'ends at':<11} {row['a']['met_by']} in both, when {row['a']['ends']}"
            ) in text
    stage_2 = next(row for row in data["deadlines"] if row["id"] == "stage-2-response")
    assert "met_by" in stage_2["differs"]
    assert (stage_2["a"]["met_by"], stage_2["b"]["met_by"]) == (
        "stage-2-response-sent",
        "investigation-report-received",
    )
    markdown = run("diff", SEFTON, CHESHIRE_WEST, "--format", "markdown").stdout
    assert (
        "| stage-2-response | ends at | stage-2-response-sent | investigation-report-received |\n"
        f"|  | ends when | {stage_2['a']['ends']} | {stage_2['b']['ends']} |"
    ) in markdown


def test_every_rule_of_either_is_compared() -> None:
    sefton, cheshire_west = load_procedure(SEFTON), load_procedure(CHESHIRE_WEST)
    data = _json("diff", SEFTON, CHESHIRE_WEST)
    rows = {row["id"]: row for row in data["rules"]}
    assert set(rows) == {r.id for r in sefton.rules} | {r.id for r in cheshire_west.rules}
    text = _text("diff", SEFTON, CHESHIRE_WEST)
    for rule_id, row in rows.items():
        if row["a"] is None or row["b"] is None:
            assert row["differs"] == list(RULE_FIELDS)
            side = SEFTON if row["b"] is None else CHESHIRE_WEST
            assert any(
                line.startswith(rule_id) and f" only in     {side}: " in line for line in text
            ), rule_id
        elif not row["differs"]:
            same = next(line for line in text if line.startswith("rules the same in both:"))
            assert rule_id in same
        for side in (row["a"], row["b"]):
            if side is not None:
                # documents by name, not by file
                assert ".txt" not in side["cites"]
                assert set(side) >= {"decision", "when", "cites", "route", "title", "documents"}


def test_early_resolution_timescales_are_compared() -> None:
    """Sefton's step expects 2 days; Cheshire West's the next working day."""
    expected = {
        p: {s.id: str(s.expected_within) for st in load_procedure(p).stages for s in st.steps}
        for p in (SEFTON, CHESHIRE_WEST)
    }
    data = _json("diff", SEFTON, CHESHIRE_WEST)
    rows = {row["step"]: row for row in data["expected"]}
    assert rows["settle-concern"] == {"step": "settle-concern", "a": "2 days", "b": "1 working day"}
    assert rows["settle-concern"]["a"] == expected[SEFTON]["settle-concern"]
    assert (
        "settle-concern             expected    2 days                         1 working day"
        in _text("diff", SEFTON, CHESHIRE_WEST)
    )


def test_the_whole_page_and_its_json_name_ends_and_documents() -> None:
    data = _json("diff", "--all")
    assert all(
        fields is None or fields["ends"]
        for row in data["deadlines"]
        for fields in row["procedures"].values()
    )
    assert all(
        fields is None or ".txt" not in fields["cites"]
        for row in data["rules"]
        for fields in row["procedures"].values()
    )
    settle = next(row for row in data["expected"] if row["step"] == "settle-concern")
    assert settle["procedures"][SEFTON] == "2 days"
    assert settle["procedures"][CHESHIRE_WEST] == "1 working day"
    page = run("diff", "--all", "--format", "markdown").stdout
    assert "## What ends them" in page
    report = event_words(load_procedure(CHESHIRE_WEST).events, "investigation-report-received")
    assert f"| investigation-report-received | {report} |" in page


# -- small procedures written for the test ----------------------------------------------------

SOURCE = '"004_b2659dac51ae51b8.txt: Stage 1 Complaints - Informal Resolution"'


def _procedure(procedure_id: str, body: str) -> str:
    return f"""procedure: {procedure_id}
extends: baseline/csc-statutory
title: A procedure written for a test
version: "1"
effective: 2020-01-01
sources: [{SOURCE}]
{body}"""


A = _procedure(
    "testshire/csc-statutory",
    f"""stages:
  stage-1:
    sources: [{SOURCE}]
    steps:
      settle-early:
        title: Settle it early
        actor: team-manager
        description: Put things right at once.
        expected_within: {{amount: 3, unit: days}}
        sources: [{SOURCE}]
duties:
  stage-1-response:
    met_by: [stage-2-requested]
    sources: [{SOURCE}]
rules:
  only-here:
    title: Only in this one
    when: {{fact: safeguarding_concern, equals: true}}
    decision: redirect
    route: safeguarding
    message: Safeguarding comes first.
    sources: [{SOURCE}]
  time-limit:
    decision: ineligible
    sources: [{SOURCE}]
""",
)
B = _procedure(
    "otherton/csc-statutory",
    f"""stages:
  stage-1:
    sources: [{SOURCE}]
    steps:
      settle-early:
        title: Settle it by the next working day
        actor: team-manager
        description: Put things right by the end of the next working day.
        expected_within: {{amount: 1, unit: working-days}}
        sources: [{SOURCE}]
duties:
  stage-2-response:
    actor: investigating-officer
    sources: [{SOURCE}]
rules:
  only-there:
    title: Only in that one
    when: {{fact: previously_completed_all_stages, equals: true}}
    decision: ineligible
    message: Already through every stage.
    sources: [{SOURCE}]
""",
)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[str, str]:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(A, encoding="utf-8")
    b.write_text(B, encoding="utf-8")
    for path in (a, b):
        checked = run("validate", str(path))
        assert checked.exit_code == 0, checked.output
    return str(a), str(b)


def test_a_rule_in_one_only_and_a_rule_that_differs(pair: tuple[str, str]) -> None:
    a, b = pair
    data = _json("diff", a, b)
    rows = {row["id"]: row for row in data["rules"]}
    islington = _document_name("004_b2659dac51ae51b8.txt")
    assert rows["only-here"]["b"] is None
    assert rows["only-here"]["a"]["decision"] == "redirect to safeguarding"
    assert rows["only-here"]["a"]["route"] == "safeguarding"
    assert rows["only-here"]["a"]["cites"] == islington
    assert rows["only-here"]["a"]["documents"] == ["004_b2659dac51ae51b8.txt"]
    assert rows["only-there"]["a"] is None and rows["only-there"]["b"]["decision"] == "ineligible"
    limit = rows["time-limit"]
    assert limit["differs"] == ["decision", "cites"]  # the same condition, decided otherwise
    assert (limit["a"]["decision"], limit["b"]["decision"]) == ("ineligible", "discretion")
    assert limit["a"]["when"] == limit["b"]["when"]
    assert rows["who-may-complain"]["differs"] == []
    text = _text("diff", a, b)
    assert any(
        line.startswith("only-here                  only in     testshire/csc-statutory: ")
        and line.endswith(f"redirect to safeguarding when safeguarding_concern ({islington})")
        for line in text
    )
    assert any(
        line.startswith("only-there                 only in     otherton/csc-statutory: ineligible")
        for line in text
    )
    assert (
        "time-limit                 decision    ineligible                     discretion" in text
    )
    assert INDENT + f"{'when':<11} in both: {limit['a']['when']}" in text
    rules_same = next(line for line in text if line.startswith("rules the same in both:"))
    assert "who-may-complain" in rules_same and "time-limit" not in rules_same
    markdown = run("diff", a, b, "--format", "markdown").stdout
    assert "| time-limit | decision | ineligible | discretion |" in markdown
    assert f"|  | when (in both) | {limit['a']['when']} | {limit['a']['when']} |" in markdown
    assert "| only-here | decision | redirect to safeguarding | (none) |" in markdown


def test_ends_that_differ_and_ends_that_do_not(pair: tuple[str, str]) -> None:
    a, b = pair
    events = load_procedure(b).events
    data = _json("diff", a, b)
    rows = {row["id"]: row for row in data["deadlines"]}
    stage_1 = rows["stage-1-response"]
    assert stage_1["differs"][0] == "met_by"
    assert stage_1["a"]["ends"] == event_words(events, "stage-2-requested")
    assert stage_1["b"]["ends"] == event_words(events, "stage-1-response-sent")
    stage_2 = rows["stage-2-response"]
    assert "met_by" not in stage_2["differs"] and "actor" in stage_2["differs"]
    text = _text("diff", a, b)
    row = text.index(
        "stage-1-response           ends at     stage-2-requested              stage-1-response-sent"
    )
    assert (
        text[row + 1]
        == INDENT + f"{'ends when':<11} testshire/csc-statutory: {stage_1['a']['ends']}"
    )
    assert text[row + 2] == INDENT + f"{'':<11} otherton/csc-statutory: {stage_1['b']['ends']}"
    assert (
        INDENT + f"{'ends at':<11} stage-2-response-sent in both, when {stage_2['a']['ends']}"
    ) in text


def test_timescales_steps_are_expected_to_take(pair: tuple[str, str]) -> None:
    a, b = pair
    data = _json("diff", a, b)
    assert {"step": "settle-early", "a": "3 days", "b": "1 working day"} in data["expected"]
    assert (
        "settle-early               expected    3 days                         1 working day"
        in _text("diff", a, b)
    )
