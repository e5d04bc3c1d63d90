"""Eligibility, exemption, discretion and routing rules: each decision with its reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run
from csc_rules.cases.case import case_from_data
from csc_rules.cases.eligibility import decide_case
from csc_rules.errors import Missing
from csc_rules.language.conditions import Context, evaluate
from csc_rules.procedures.library import load_procedure

# Facts that settle every national rule the other way, so a test changes one thing at a time.
CLEAR = {
    "complainant": {"role": "parent"},
    "on_behalf_of_child": False,
    "matter_date": "2025-01-06",
    "about_council_actions": True,
    "previously_completed_all_stages": False,
    "subject": "standard-of-service",
    "concurrent_proceedings": [],
    "safeguarding_concern": False,
}


def decide(procedure_id: str, facts: dict, received: str = "2025-03-03"):
    procedure = load_procedure(procedure_id)
    case = case_from_data(
        {
            "case": "E",
            "procedure": procedure_id,
            "facts": facts,
            "events": [{"date": received, "event": "complaint-received"}],
        }
    )
    return decide_case(procedure, case)


def merged(**changes: object) -> dict:
    facts = json.loads(json.dumps(CLEAR))
    for key, value in changes.items():
        if "." in key:
            outer, inner = key.split(".")
            facts.setdefault(outer, {})[inner] = value
        else:
            facts[key] = value
    return facts


def test_clear_facts_are_eligible_with_no_reasons() -> None:
    decision = decide("sefton/csc-statutory", CLEAR)
    assert (decision.decision, decision.route, decision.reasons, decision.needs) == (
        "eligible",
        "csc-statutory",
        (),
        (),
    )


@pytest.mark.parametrize(
    ("procedure_id", "changes", "decision", "route", "rule"),
    [
        (
            "islington/csc-statutory",
            {"complainant.role": "other"},
            "ineligible",
            "csc-statutory",
            "who-may-complain",
        ),
        (
            "islington/csc-statutory",
            {
                "complainant.role": "person-with-sufficient-interest",
                "complainant.sufficient_interest_decided": False,
            },
            "discretion",
            "csc-statutory",
            "sufficient-interest",
        ),
        (
            "islington/csc-statutory",
            {
                "on_behalf_of_child": True,
                "child.able_to_consent": True,
                "complainant.consent_from_child": False,
            },
            "ineligible",
            "csc-statutory",
            "child-consent",
        ),
        # received 2025-03-03; 12 months before is 2024-03-03, and 2024-03-01 is earlier
        (
            "sefton/csc-statutory",
            {"complainant.role": "local-authority-foster-carer", "matter_date": "2024-03-01"},
            "discretion",
            "csc-statutory",
            "time-limit",
        ),
        (
            "islington/csc-statutory",
            {"about_council_actions": False},
            "ineligible",
            "csc-statutory",
            "not-about-the-council",
        ),
        (
            "cheshire-west/csc-statutory",
            {"previously_completed_all_stages": True},
            "ineligible",
            "csc-statutory",
            "already-considered",
        ),
        (
            "cheshire-west/csc-statutory",
            {"subject": "data-protection"},
            "ineligible",
            "csc-statutory",
            "data-protection",
        ),
        (
            "cheshire-west/csc-statutory",
            {"subject": "child-protection-conference"},
            "redirect",
            "child-protection-conference-appeal",
            "child-protection-conference",
        ),
        (
            "cheshire-west/csc-statutory",
            {"concurrent_proceedings": ["court"]},
            "discretion",
            "csc-statutory",
            "concurrent-proceedings",
        ),
        (
            "islington/csc-statutory",
            {"subject": "school-admissions"},
            "redirect",
            "corporate",
            "not-social-care",
        ),
        (
            "cheshire-west/csc-statutory",
            {"safeguarding_concern": True, "subject": "school-admissions"},
            "redirect",
            "safeguarding",
            "safeguarding",
        ),
        # received Mon 2025-03-03: the next working day is Tue 4 Mar
        (
            "cheshire-west/csc-statutory",
            {"settled_on": "2025-03-04"},
            "redirect",
            "early-resolution",
            "settled-next-day",
        ),
    ],
    ids=lambda v: (
        v
        if isinstance(v, str)
        and "/" not in v
        and v not in ("redirect", "discretion", "ineligible", "csc-statutory")
        else None
    ),
)
def test_each_rule_fires(
    procedure_id: str, changes: dict, decision: str, route: str, rule: str
) -> None:
    found = decide(procedure_id, merged(**changes))
    assert (found.decision, found.route) == (decision, route)
    assert rule in [r.rule for r in found.reasons]
    assert all(r.sources for r in found.reasons)


@pytest.mark.parametrize(
    ("procedure_id", "changes"),
    [
        ("sefton/csc-statutory", {"matter_date": "2024-03-04"}),  # exactly within the year
        ("cheshire-west/csc-statutory", {"settled_on": "2025-03-05"}),  # two working days: too late
        # Sefton's "most will be sorted out within 2 days" describes, it does not cut off
        ("sefton/csc-statutory", {"settled_on": "2025-03-04"}),
        # only Cheshire West's documents take safeguarding concerns and these matters out
        ("sefton/csc-statutory", {"safeguarding_concern": True}),
        ("islington/csc-statutory", {"safeguarding_concern": True}),
        ("islington/csc-statutory", {"subject": "data-protection"}),
        ("sefton/csc-statutory", {"previously_completed_all_stages": True}),
        (
            "islington/csc-statutory",
            {
                "complainant.role": "person-with-sufficient-interest",
                "complainant.sufficient_interest_decided": True,
            },
        ),
        ("islington/csc-statutory", {"on_behalf_of_child": True, "child.able_to_consent": False}),
        ("cheshire-west/csc-statutory", {"concurrent_proceedings": []}),
    ],
)
def test_and_does_not_fire_otherwise(procedure_id: str, changes: dict) -> None:
    assert decide(procedure_id, merged(**changes)).decision == "eligible"


def test_the_same_facts_received_on_another_day_are_decided_again() -> None:
    # Decisions are remembered by facts, and by the day of receipt when a rule counts from it:
    # Sefton's time limit does (12 months before receipt). The list fact is left out, so that
    # the decision is one that can be remembered.
    facts = {k: v for k, v in merged(matter_date="2024-03-01").items() if not isinstance(v, list)}

    def reasons(received: str) -> list[str]:
        return [r.rule for r in decide("sefton/csc-statutory", facts, received).reasons]

    # 12 months before Fri 2025-02-28 is 2024-02-28; 2024-03-01 is later: in time
    assert "time-limit" not in reasons("2025-02-28")
    # 12 months before Mon 2025-03-03 is 2024-03-03; 2024-03-01 is earlier: out of time
    assert "time-limit" in reasons("2025-03-03")
    assert "time-limit" not in reasons("2025-02-28")


def test_decisions_remembered_for_one_set_of_facts_are_not_given_for_another() -> None:
    # Cases alike but for one fact, decided in turn and again: each keeps its own answer.
    plain = {k: v for k, v in merged().items() if not isinstance(v, list)}
    redirected = {**plain, "settled_on": "2025-03-04"}  # the working day after receipt on 3 Mar
    for _ in range(2):
        assert decide("cheshire-west/csc-statutory", plain).decision == "undecided"
        assert decide("cheshire-west/csc-statutory", redirected).route == "early-resolution"
        assert decide("cheshire-west/csc-statutory", {}).needs != ()


def test_a_missing_fact_is_reported_not_guessed() -> None:
    facts = merged()
    del facts["matter_date"]
    found = decide("islington/csc-statutory", facts)
    assert found.decision == "undecided"
    assert found.needs == (("time-limit", ("matter_date",)),)
    assert found.to_json()["needs"][0]["message"] == "cannot decide: needs matter_date"


def test_eligibility_command(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        "case: EL-3\nprocedure: islington/csc-statutory\nfacts:\n  subject: school-admissions\nevents:\n  - {date: 2025-01-27, event: complaint-received}\n",
        encoding="utf-8",
    )
    result = run("eligibility", str(case))
    assert result.exit_code == 0
    assert "eligibility: redirect to corporate" in result.stdout
    data = json.loads(run("eligibility", str(case), "--format", "json").stdout)
    assert (data["decision"], data["route"], data["reasons"][0]["rule"]) == (
        "redirect",
        "corporate",
        "not-social-care",
    )


def test_run_includes_the_decision() -> None:
    data = json.loads(
        run(
            "run",
            str(Path(__file__).parent.parent / "examples/sefton-late-acknowledgement.yaml"),
            "--as-of",
            "2025-01-20",
            "--format",
            "json",
        ).stdout
    )
    assert data["eligibility"]["route"] == "csc-statutory"


fact_values = st.one_of(
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["parent", "court", "2024-01-01", "x", "school-admissions"]),
    st.lists(st.sampled_from(["court", "criminal"]), max_size=2),
)
leaf = st.fixed_dictionaries(
    {"fact": st.sampled_from(["a", "b", "matter_date", "complainant.role"])}
).flatmap(
    lambda base: st.one_of(
        st.builds(lambda v: {**base, "equals": v}, fact_values),
        st.builds(lambda v: {**base, "in": v}, st.lists(fact_values, max_size=3)),
        st.builds(lambda v: {**base, "present": v}, st.booleans()),
        st.builds(lambda v: {**base, "at_least": v}, fact_values),
        st.builds(
            lambda n, u: {**base, "earlier_than": {"amount": n, "unit": u}},
            st.integers(1, 24),
            st.sampled_from(["days", "months", "working-days"]),
        ),
    )
)
conditions = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=8,
)
facts = st.dictionaries(
    st.sampled_from(["a", "b", "matter_date", "complainant.role"]), fact_values, max_size=4
)


@pytest.mark.slow
@settings(max_examples=300)
@given(conditions, facts)
def test_evaluating_any_condition_raises_nothing_but_missing(
    condition: dict, given_facts: dict
) -> None:
    from datetime import date

    context = Context(date(2025, 3, 3), CALENDAR)
    try:
        assert evaluate(condition, given_facts, context) in (True, False)
    except Missing as exc:
        assert exc.facts


from csc_rules.calendars.bank_holidays import region_calendar  # noqa: E402

CALENDAR = region_calendar("ENG", 2023, 2026)


def test_a_misspelt_fact_in_a_rule_fails_validate(council_copy) -> None:
    from conftest import line_of

    copy = council_copy(
        "councils/cheshire-west/csc-statutory.yaml",
        "{fact: safeguarding_concern, equals: true}",
        "{fact: safeguarding_concen, equals: true}",
    )
    result = run("validate", str(copy))
    assert result.exit_code == 1
    line = line_of(copy, "safeguarding_concen")
    assert f"{copy}:{line}:" in result.stdout
    assert (
        "error[unknown-fact]: no fact is called `safeguarding_concen`; did you mean `safeguarding_concern`?"
        in result.stdout
    )


def test_a_redirect_without_a_route_fails_validate(council_copy) -> None:
    copy = council_copy(
        "councils/cheshire-west/csc-statutory.yaml", "    route: safeguarding\n", ""
    )
    result = run("validate", str(copy))
    assert result.exit_code == 1
    assert "error[missing-key]: rule `safeguarding` redirects, so it needs `route`" in result.stdout


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (
            "{fact: complex, earlier_than: {amount: 12, unit: months}}",
            "fact `complex` is bool, so `earlier_than` cannot apply to it (only to date facts)",
        ),
        (
            "{fact: subject, at_least: 3}",
            "fact `subject` is text, so `at_least` cannot apply to it (only to date or number facts)",
        ),
        (
            "{fact: matter_date, equals: last-year}",
            "fact `matter_date` is a date, so compare it with a date written YYYY-MM-DD, not `last-year`",
        ),
        (
            "{fact: complainant.role, in: [parent, grandparent]}",
            "fact `complainant.role` has no value `grandparent`",
        ),
        (
            "{fact: complex, equals: true, present: true}",
            "the test of fact `complex` needs exactly one of",
        ),
        (
            "{all: [{fact: complex, equals: true}], any: [{fact: complex, equals: true}]}",
            "a condition with `all` may hold nothing else",
        ),
    ],
    ids=[
        "date test on a bool",
        "comparison on text",
        "bad date",
        "unknown value",
        "two tests",
        "two operators",
    ],
)
def test_condition_errors_at_load_time(council_copy, condition: str, message: str) -> None:
    from conftest import line_of

    copy = council_copy(
        "councils/cheshire-west/csc-statutory.yaml",
        "{fact: safeguarding_concern, equals: true}",
        condition,
    )
    result = run("validate", str(copy))
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if "error[" in line]
    assert len(errors) == 1 and message in errors[0], result.stdout
    assert errors[0].startswith(f"{copy}:{line_of(copy, condition)}:")


def test_the_eligibility_examples() -> None:
    examples = Path(__file__).parent.parent / "examples" / "eligibility"
    result = run("eligibility", str(examples), "--format", "json")
    assert result.exit_code == 0, result.stderr
    decisions = json.loads(result.stdout)  # one document: a list, as for any folder
    found = {
        d["case"]: (d["decision"], d["route"], [r["rule"] for r in d["reasons"]]) for d in decisions
    }
    assert found == {
        "SEF-2025-0101": ("discretion", "csc-statutory", ["time-limit"]),
        "CW-2025-0102": ("discretion", "csc-statutory", ["concurrent-proceedings"]),
        "ISL-2025-0103": ("redirect", "corporate", ["not-social-care"]),
    }


def test_a_list_valued_fact_is_decided_once_for_equal_facts() -> None:
    """`concurrent_proceedings` is a list: two cases giving the same facts share one decision
    (the second is the memo's), and a different list is decided afresh, the other way."""
    procedure = load_procedure("sefton/csc-statutory")

    def case(proceedings: list[str]):
        return case_from_data(
            {
                "case": "E",
                "procedure": "sefton/csc-statutory",
                "facts": merged(concurrent_proceedings=proceedings),
                "events": [{"date": "2025-03-03", "event": "complaint-received"}],
            }
        )

    first = decide_case(procedure, case([]))
    again = decide_case(procedure, case([]))
    court = decide_case(procedure, case(["court"]))
    assert first.decision == "eligible"
    assert again is first
    assert court.decision == "discretion"
    assert [r.rule for r in court.reasons] == ["concurrent-proceedings"]
    assert decide_case(procedure, case(["court"])) is court


def test_facts_found_sound_once_do_not_let_a_wrong_one_through() -> None:
    """The check of a case's facts is kept per distinct facts: a case whose list-valued fact
    holds a value the vocabulary lacks is still refused after cases with sound facts, and so is
    a sound-facts case whose event carries a field its event does not have."""
    from csc_rules.cases.interpreter import evaluate_data
    from csc_rules.errors import CaseError

    procedure = load_procedure("sefton/csc-statutory")

    def data(proceedings: list[str], **event: str) -> dict:
        return {
            "case": "E",
            "procedure": "sefton/csc-statutory",
            "facts": merged(concurrent_proceedings=proceedings),
            "events": [{"date": "2025-03-03", "event": "complaint-received", **event}],
        }

    for _ in range(2):
        assert evaluate_data(procedure, data(["court"])).eligibility.decision == "discretion"
    with pytest.raises(CaseError) as wrong_value:
        evaluate_data(procedure, data(["courts"]))
    assert "fact-type" in str(wrong_value.value)
    assert "concurrent_proceedings" in str(wrong_value.value)
    with pytest.raises(CaseError) as wrong_field:
        evaluate_data(procedure, data(["court"], outcome="upheld"))
    assert "unknown-key" in str(wrong_field.value)
