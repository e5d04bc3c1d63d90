"""The quick case check (fastjsonschema) and jsonschema read the case schema alike: a case the
quick check passes is one jsonschema finds nothing wrong with, and the other way round."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from csc_rules.reading.schema import valid, validator

# Values of every JSON type, with the look-alikes that trip readers: integers as floats, true
# as 1, dates that are not real days or not in the right form, names with foreign letters.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([1.0, 0.5, 2.0]),
    st.sampled_from(
        [
            "2024-06-03",
            "2024-02-29",
            "2023-02-29",
            "2024-06-31",
            "20240603",
            "2024-6-3",
            "２０２４-06-03",
            "2024-06-03T10:00",
            "complaint-received",
            "acknowledged",
            "cоmplaint-received",  # Cyrillic о
            "Complaint",
            "-bad-",
            "upheld",
            "partly",
            "sefton/csc-statutory",
            "sefton/csc_statutory",
            "",
            "x",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
BASE = {
    "case": "C-1",
    "procedure": "sefton/csc-statutory",
    "facts": {"complainant": {"role": "parent"}, "complex": True},
    "events": [
        {"date": "2024-12-20", "event": "complaint-received"},
        {"date": "2025-01-10", "event": "stage-1-response-sent", "outcome": "upheld"},
        {"date": "2025-01-20", "event": "panel-scheduled", "panel_date": "2025-02-20"},
    ],
}
# Where a change may be made: a key of the case, or a field of one of its events.
PLACES = st.one_of(
    st.tuples(st.sampled_from(["case", "procedure", "facts", "events", "as_of", "extra"])),
    st.tuples(
        st.just("events"),
        st.integers(0, 2),
        st.sampled_from(["date", "event", "outcome", "panel_date", "limit", "note", "on", "x"]),
    ),
)


@st.composite
def cases(draw: st.DrawFn) -> Any:
    """A valid case with none, one or a few parts changed: removed, or given another value."""
    import copy

    case: Any = copy.deepcopy(BASE)
    for place in draw(st.lists(PLACES, max_size=3)):
        target = case
        for part in place[:-1]:  # follow the path while the earlier changes left it there
            if isinstance(target, dict):
                target = target.get(part)
            elif isinstance(target, list) and isinstance(part, int) and part < len(target):
                target = target[part]
            else:
                target = None
        if isinstance(target, dict):
            if draw(st.booleans()) and place[-1] in target:
                del target[place[-1]]
            else:
                target[place[-1]] = draw(VALUES)
    return case


@settings(max_examples=600)
@given(cases())
def test_the_quick_check_agrees_with_jsonschema(case: Any) -> None:
    slow = not any(True for _ in validator("case").iter_errors(case))
    assert valid(case, "case") == slow


def test_a_real_case_passes_both() -> None:
    case = {
        "case": "C-1",
        "procedure": "sefton/csc-statutory",
        "facts": {"complainant": {"role": "parent"}},
        "events": [
            {"date": "2024-12-20", "event": "complaint-received"},
            {"date": "2025-01-10", "event": "stage-1-response-sent", "outcome": "upheld"},
        ],
    }
    assert valid(case, "case")
    assert not valid({**case, "events": [{"date": "2024-02-30", "event": "x"}]}, "case")
