"""The condition language: one table of operators, the walkers it drives, and the laws they keep."""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, run
from csc_rules.calendars.bank_holidays import region_calendar
from csc_rules.calendars.working_days import add_months
from csc_rules.language.conditions import OPERATORS, Context, check, decide, describe, holds
from csc_rules.language.model import freeze

CALENDAR = region_calendar("ENG", 2023, 2026)


def test_the_schema_and_the_table_know_the_same_operators() -> None:
    schema = json.loads((ROOT / "rules/procedure.schema.json").read_text(encoding="utf-8"))
    assert set(schema["$defs"]["condition"]["properties"]) == {"fact", *OPERATORS}


# -- in words ------------------------------------------------------------------------------------

A, B = {"fact": "complex", "equals": True}, {"fact": "advocate_required", "equals": True}
WORDS = [
    ({"all": [A, B]}, "(complex and advocate_required)"),
    ({"any": [A]}, "complex"),
    ({"not": {"any": [A, B]}}, "not (complex or advocate_required)"),
    ({"fact": "complex", "equals": False}, "not complex"),
    (
        {"fact": "subject", "in": ["school-admissions", "data-protection"]},
        "subject is one of school-admissions, data-protection",
    ),
    ({"fact": "settled_on", "present": False}, "settled_on is unknown"),
    ({"fact": "matter_date", "at_least": "2024-01-01"}, "matter_date >= 2024-01-01"),
    ({"fact": "age", "at_most": 17}, "age <= 17"),
    ({"fact": "age", "more_than": 3}, "age > 3"),
    ({"fact": "age", "less_than": 18}, "age < 18"),
    (
        {"fact": "matter_date", "earlier_than": {"amount": 12, "unit": "months"}},
        "matter_date more than 12 months before receipt",
    ),
    (
        {"fact": "settled_on", "no_later_than": {"amount": 1, "unit": "working-days"}},
        "settled_on no later than 1 working day after receipt",
    ),
]


@pytest.mark.parametrize(("condition", "words"), WORDS, ids=[w for _, w in WORDS])
def test_each_operator_in_words(condition: dict, words: str) -> None:
    assert describe(condition) == words
    assert describe(freeze(condition)) == words  # as a compiled procedure keeps it


def test_every_operator_has_words_above() -> None:
    assert {next(k for k in c if k != "fact") for c, _ in WORDS} == set(OPERATORS)


# -- checked when a procedure is loaded -----------------------------------------------------------

FACTS = {
    "complex": {"type": "bool"},
    "subject": {"type": "text"},
    "matter_date": {"type": "date"},
    "complainant.role": {"type": "enum", "values": ["child", "parent"]},
}


class Where:
    """Records where each problem is, as a document would locate it."""

    def diagnostic(self, path: tuple, code: str, message: str, **_: object) -> tuple:
        return path, code, message


@pytest.mark.parametrize(
    ("condition", "found"),
    [
        (
            {
                "all": [
                    {"fact": "compex", "equals": True},
                    {"not": {"fact": "complainant.role", "in": ["parent", "grandparent"]}},
                ]
            },
            [
                (("rules", "r", "when", "all", 0, "fact"), "unknown-fact"),
                (("rules", "r", "when", "all", 1, "not", "in", 1), "fact-type"),
            ],
        ),
        (
            {"any": [{"fact": "subject", "at_least": 3}]},
            [(("rules", "r", "when", "any", 0, "at_least"), "fact-type")],
        ),
        (
            {"fact": "matter_date", "less_than": "soon"},
            [(("rules", "r", "when", "less_than"), "fact-type")],
        ),
        ({"fact": "matter_date", "earlier_than": {"amount": 1, "unit": "days"}}, []),
        ({"fact": "complex", "present": True}, []),
    ],
    ids=["nested", "comparison on text", "bad date", "date test", "present"],
)
def test_problems_are_located_under_their_operator(condition: dict, found: list) -> None:
    problems = check(condition, ("rules", "r", "when"), FACTS, Where())
    assert [(path, code) for path, code, _ in problems] == found


@pytest.mark.parametrize(
    ("condition", "answer"),
    [
        ({"equals": "court"}, True),
        ({"equals": "criminal"}, False),
        ({"in": ["criminal", "court"]}, True),
        ({"in": []}, False),
        ({"not": {"fact": "concurrent_proceedings", "equals": "court"}}, False),
    ],
)
def test_a_list_fact_matches_when_any_of_its_items_does(condition: dict, answer: bool) -> None:
    condition = condition if "not" in condition else {"fact": "concurrent_proceedings", **condition}
    given = {"concurrent_proceedings": ["tribunal", "court"]}
    assert decide(condition, given, None, []) is answer
    assert decide(freeze(condition), given, None, []) is answer


# -- date tests count from receipt, in the council's calendar -----------------------------------

# Received Thursday 2 January 2025. Counting back working days (England): Tue 31 Dec is 1, Mon 30
# Dec 2, Fri 27 Dec 3 (25 and 26 December are bank holidays, 28-29 a weekend), Tue 24 Dec 4, Mon
# 23 Dec 5, Fri 20 Dec 6, Thu 19 7, Wed 18 8, Tue 17 9, Mon 16 December 10. So "more than 10
# working days before receipt" is any day before Monday 16 December 2024; in calendar days it is
# any day before Monday 23 December.
RECEIVED = Context(dt.date(2025, 1, 2), CALENDAR)
TEN_WORKING_DAYS = {"amount": 10, "unit": "working-days"}


@pytest.mark.parametrize(
    ("condition", "day", "answer"),
    [
        ({"earlier_than": TEN_WORKING_DAYS}, "2024-12-13", True),
        ({"earlier_than": TEN_WORKING_DAYS}, "2024-12-16", False),
        ({"earlier_than": TEN_WORKING_DAYS}, "2024-12-20", False),
        ({"earlier_than": {"amount": 10, "unit": "days"}}, "2024-12-20", True),
        ({"earlier_than": {"amount": 10, "unit": "days"}}, "2024-12-23", False),
        ({"earlier_than": {"amount": 1, "unit": "months"}}, "2024-12-01", True),
        ({"earlier_than": {"amount": 1, "unit": "months"}}, "2024-12-02", False),
        # Forward from Thu 2 January: Fri 3 is 1, Mon 6 is 2.
        ({"no_later_than": {"amount": 2, "unit": "working-days"}}, "2025-01-06", True),
        ({"no_later_than": {"amount": 2, "unit": "working-days"}}, "2025-01-07", False),
    ],
)
def test_date_tests_count_from_receipt(condition: dict, day: str, answer: bool) -> None:
    condition = {"fact": "matter_date", **condition}
    assert holds(condition, {"matter_date": day}, RECEIVED) is answer
    assert holds(freeze(condition), {"matter_date": day}, RECEIVED) is answer


def test_without_a_receipt_date_a_date_test_does_not_hold() -> None:
    condition = {"fact": "matter_date", "earlier_than": TEN_WORKING_DAYS}
    assert decide(condition, {"matter_date": "2020-01-01"}, None, []) is False
    assert decide(condition, {"matter_date": "2020-01-01"}, Context(), []) is False


# A council of the test's own, added to a copy of the library: named so that no real council
# (nor the copy of one a contributor makes to try the tests) takes its folder.
TEST_COUNCIL = {
    "council.yaml": """\
council: test-extension-council
name: The test's council
region: ENG
contact:
  team: Complaints team
sources: ["SI 2006/1738: reg 14"]
""",
    "csc-statutory.yaml": """\
procedure: test-extension-council/csc-statutory
extends: baseline/csc-statutory
title: The test's children's social care complaints procedure
version: "2024-01-01"
effective: 2024-01-01
sources: ["SI 2006/1738: reg 14"]
duties:
  stage-1-response:
    extensions:
      old-matter:
        description: The matter is more than 10 working days old when the complaint arrives.
        when: {fact: matter_date, earlier_than: {amount: 10, unit: working-days}}
        maximum: {amount: 20, unit: working-days}
        sources: ["SI 2006/1738: reg 14"]
    sources: ["SI 2006/1738: reg 14"]
""",
}


# Received Thu 2 January 2025; the extension applies to a matter before Mon 16 December 2024 (see
# RECEIVED above). The stage 1 response is due 10 working days after receipt: Fri 3 Jan is 1,
# Mon 6-Fri 10 are 2-6, Mon 13-Thu 16 are 7-10, so Thursday 16 January; extended to 20: Fri 17 is
# 11, Mon 20-Fri 24 are 12-16, Mon 27-Thu 30 are 17-20, so Thursday 30 January.
@pytest.mark.parametrize(
    ("matter_date", "due", "extended"),
    [
        ("2024-12-13", "2025-01-30", True),
        ("2024-12-16", "2025-01-16", False),  # exactly 10 working days: not more
        ("2024-12-20", "2025-01-16", False),  # more than 10 calendar days, but 6 working days
    ],
)
def test_an_extension_condition_counts_from_receipt(
    library_copy: Path, matter_date: str, due: str, extended: bool
) -> None:
    council = library_copy / "councils" / "test-extension-council"
    council.mkdir()
    for name, text in TEST_COUNCIL.items():
        (council / name).write_text(text, encoding="utf-8")
    case = library_copy / "case.yaml"
    case.write_text(
        "case: T-1\nprocedure: test-extension-council/csc-statutory\n"
        f"facts: {{matter_date: {matter_date}}}\n"
        "events:\n  - {date: 2025-01-02, event: complaint-received}\n",
        encoding="utf-8",
    )
    result = run("run", str(case), "--as-of", "2025-01-03", "--format", "json")
    assert result.exit_code == 0, result.stdout
    (deadline,) = json.loads(result.stdout)["deadlines"]
    assert (deadline["id"], deadline["due"], deadline["extended"]) == (
        "stage-1-response",
        due,
        extended,
    )
    if extended:
        text = run("run", str(case), "--as-of", "2025-01-03", "--explain").stdout
        assert "(extended from 10 by matter_date more than 10 working days before receipt)" in text


# -- the laws, on random conditions and facts ------------------------------------------------------

NAMES = ["a", "b", "matter_date", "complainant.role"]
days = st.dates(dt.date(2023, 6, 1), dt.date(2026, 6, 30)).map(dt.date.isoformat)
values = st.one_of(
    st.booleans(),
    st.integers(-3, 3),
    days,
    st.sampled_from(["parent", "court", "x", "2024-02-30"]),  # the last is no date
    st.lists(st.sampled_from(["court", "criminal", "2024-01-01"]), max_size=2),
)


def leaves(present: bool = True) -> st.SearchStrategy[dict]:
    limits = st.fixed_dictionaries(
        {
            "amount": st.integers(1, 24),
            "unit": st.sampled_from(["days", "months", "working-days"]),
        }
    )
    operands = {
        "equals": values,
        "in": st.lists(values, max_size=3),
        "at_least": values,
        "at_most": values,
        "more_than": values,
        "less_than": values,
        "earlier_than": limits,
        "no_later_than": limits,
        **({"present": st.booleans()} if present else {}),
    }
    return st.tuples(st.sampled_from(NAMES), st.sampled_from(sorted(operands))).flatmap(
        lambda pair: operands[pair[1]].map(lambda operand: {"fact": pair[0], pair[1]: operand})
    )


def conditions(present: bool = True) -> st.SearchStrategy[dict]:
    return st.recursive(
        leaves(present),
        lambda inner: st.one_of(
            st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda x: {"not": x}, inner),
        ),
        max_leaves=8,
    )


facts = st.dictionaries(st.sampled_from(NAMES), values, max_size=4)
contexts = st.one_of(
    st.none(),
    st.builds(
        lambda day: Context(day, CALENDAR), st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    ),
)


COMPARE = {
    "at_least": operator.ge,
    "at_most": operator.le,
    "more_than": operator.gt,
    "less_than": operator.lt,
}


def reference(
    condition: Mapping[str, Any], facts: Mapping[str, Any], context: Context | None, missing: list
) -> bool | None:
    """The language read plainly from the docstring of csc_rules.language.conditions, slowly and without
    the table: what the table-built tests are held to."""
    if "all" in condition or "any" in condition:
        wanted = "all" in condition
        undecided = False
        for part in condition["all" if wanted else "any"]:
            answer = reference(part, facts, context, missing)
            if answer is (not wanted):
                return not wanted
            undecided = undecided or answer is None
        return None if undecided else wanted
    if "not" in condition:
        answer = reference(condition["not"], facts, context, missing)
        return None if answer is None else not answer
    name = condition["fact"]
    if "present" in condition:
        return (name in facts) is condition["present"]
    if name not in facts:
        if name not in missing:
            missing.append(name)
        return None
    value = facts[name]
    items = value if isinstance(value, list) else [value]
    if "equals" in condition:
        return any(item == condition["equals"] for item in items)
    if "in" in condition:
        return any(item == option for item in items for option in condition["in"])
    for test, compare in COMPARE.items():
        if test in condition:
            try:
                return bool(compare(as_date(value), as_date(condition[test])))
            except TypeError:  # a date with a number, say
                return False
    test = "earlier_than" if "earlier_than" in condition else "no_later_than"
    day = as_date(value)
    if context is None or context.received is None or not isinstance(day, dt.date):
        return False
    earlier = test == "earlier_than"
    limit = edge(context.received, condition[test]["amount"], condition[test]["unit"], earlier)
    return day < limit if earlier else day <= limit


def edge(received: dt.date, amount: int, unit: str, earlier: bool) -> dt.date:
    """The day `amount` `unit` before (or after) receipt."""
    if unit == "months":
        return add_months(received, -amount if earlier else amount)
    if unit == "days":
        return received + dt.timedelta(days=-amount if earlier else amount)
    day, step = received, dt.timedelta(days=-1 if earlier else 1)
    for _ in range(amount):  # one working day at a time, the day of receipt not counted
        day += step
        while not CALENDAR.is_working_day(day):
            day += step
    return day


def as_date(value: Any) -> Any:
    try:
        return (
            dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else value
        )
    except ValueError:
        return value


@pytest.mark.slow
@settings(max_examples=500)
@given(conditions(), facts, contexts)
def test_the_table_built_tests_agree_with_the_plain_reading(
    condition: dict, given: dict, context: Context | None
) -> None:
    for form in (condition, freeze(condition)):  # as written, and as a compiled procedure keeps it
        expected: list[str] = []
        answer = reference(form, given, context, expected)
        missing: list[str] = []
        assert decide(form, given, context, missing) is answer
        assert missing == expected
        assert holds(form, given, context) is (answer is True)
    assert isinstance(describe(condition), str)


@given(
    st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
    st.integers(1, 24),
    st.sampled_from(["days", "months", "working-days"]),
    st.sampled_from(["earlier_than", "no_later_than"]),
    st.integers(-3, 3),
)
def test_date_tests_agree_with_the_plain_reading_at_their_edges(
    received: dt.date, amount: int, unit: str, test: str, offset: int
) -> None:
    context = Context(received, CALENDAR)
    day = edge(received, amount, unit, test == "earlier_than") + dt.timedelta(days=offset)
    condition = {"fact": "a", test: {"amount": amount, "unit": unit}}
    given = {"a": day.isoformat()}
    assert decide(condition, given, context, []) is reference(condition, given, context, [])


@given(conditions(), facts, contexts)
def test_not_flips_an_answer_and_keeps_an_undecided_one(
    condition: dict, given: dict, context: Context | None
) -> None:
    answer = decide(condition, given, context, [])
    flipped = decide({"not": condition}, given, context, [])
    assert flipped is (None if answer is None else not answer)


@given(conditions(present=False), facts, facts, contexts)
def test_an_answer_never_rests_on_a_missing_fact(
    condition: dict, given: dict, more: dict, context: Context | None
) -> None:
    """Undecided names the facts to ask for, each one the case lacks; a decided answer stays the
    same whatever those facts turn out to be (`present` is left out: it asks just that)."""
    missing: list[str] = []
    answer = decide(condition, given, context, missing)
    assert set(missing).isdisjoint(given)
    if answer is None:
        assert missing
    else:
        assert decide(condition, {**more, **given}, context, []) is answer
