"""What the documents say, all of it and no more: the faults a line-by-line review found stay
fixed (issue 13). Dates and replay behaviour are in the scenarios; these check what the
procedures say and cite."""

from __future__ import annotations

import re

from conftest import run
from csc_rules.procedures.library import load_procedure

SEEDS = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt:")  # a council's (or a guide's) own document


def test_cheshire_west_agrees_the_scope_before_appointing_the_investigators() -> None:
    shown = run("show", "cheshire-west/csc-statutory").stdout
    assert shown.index("Agree the scope of the investigation") < shown.index(
        "Appoint the investigators"
    )


def test_cheshire_west_stage_3_says_what_it_counts_from() -> None:
    procedure = load_procedure("cheshire-west/csc-statutory")
    response = procedure.deadlines["stage-3-response"]
    assert response.anchor == "panel-held"
    assert (response.council_setting or "").startswith("Counted from the day of the panel meeting")
    window = procedure.deadlines["stage-3-request"]
    assert "received notice" in (window.council_setting or "")
    assert "stage-3-request-start" in {n.id for n in procedure.notes}


def test_no_baseline_rule_rests_on_one_councils_documents() -> None:
    for procedure_id in ("baseline/csc-statutory",):
        for rule in load_procedure(procedure_id).rules:
            assert not [s for s in rule.sources if SEEDS.match(s)], rule.id


def test_cut_offs_are_only_where_a_document_makes_them() -> None:
    rules = {
        pid: {r.id for r in load_procedure(pid).rules}
        for pid in (
            "sefton/csc-statutory",
            "islington/csc-statutory",
            "cheshire-west/csc-statutory",
        )
    }
    exemptions = {
        "safeguarding",
        "data-protection",
        "child-protection-conference",
        "already-considered",
    }
    assert exemptions <= rules["cheshire-west/csc-statutory"]
    assert not exemptions & rules["sefton/csc-statutory"]
    assert not exemptions & rules["islington/csc-statutory"]
    assert not any("settled" in r for r in rules["sefton/csc-statutory"])  # 2 days describes


def test_sefton_sources_support_their_claims() -> None:
    procedure = load_procedure("sefton/csc-statutory")
    # the time to ask for a panel: cited where a time is given (the web page), not the map's
    # sentence that gives none
    assert all(
        "20 days" in s or "in working days" in s
        for s in procedure.deadlines["stage-3-request"].sources
    )
    # the panel meets within 30 working days: not the pop-up's "arranged within 30 days"
    assert not any("arranged" in s for s in procedure.deadlines["panel"].sources)


def test_the_withdrawal_note_says_only_what_was_read() -> None:
    note = next(n for n in load_procedure("sefton/csc-statutory").notes if n.id == "withdrawal")
    assert "every council's documents" not in note.description
    assert "only Sefton's process map" in note.description
    assert any(s.startswith("000_0386b032216d3c7d.txt:") for s in note.sources)


def test_the_young_peoples_zone_window_bears_on_every_council() -> None:
    for procedure_id in (
        "sefton/csc-statutory",
        "islington/csc-statutory",
        "cheshire-west/csc-statutory",
    ):
        notes = {n.id: n for n in load_procedure(procedure_id).notes}
        assert notes["stage-2-request-window"].kind == "conflict", procedure_id
        assert any(s.startswith("002_") for s in notes["stage-2-request-window"].sources)
