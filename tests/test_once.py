"""Events that happen at most once (`once: true`): a second record changes nothing and is
the warning `repeated-event`, and "may happen next" stops offering the event."""

from __future__ import annotations

import datetime as dt

from csc_rules.cases.interpreter import evaluate_data
from csc_rules.procedures.library import load_procedure


def _case(*events: tuple[str, str]) -> dict[str, object]:
    return {
        "case": "ONCE-1",
        "procedure": "baseline/corporate",
        "events": [{"date": day, "event": event} for day, event in events],
    }


def test_a_second_acknowledgement_does_not_start_the_response_time_again() -> None:
    """The corporate baseline counts stage 1's 10 working days from the acknowledgement.
    Acknowledged Tue 2026-05-05 (Mon 4 May a bank holiday): due the 10th working day after,
    Tue 19 May (6-8, 11-15, 18, 19). Counted again from a second acknowledgement on Tue 12 May
    it would be Wed 27 May (13-15, 18-22, (25 May bank holiday) 26, 27)."""
    procedure = load_procedure("baseline/corporate")
    case = _case(
        ("2026-05-01", "complaint-received"),
        ("2026-05-05", "acknowledged"),
        ("2026-05-12", "acknowledged"),
    )
    result = evaluate_data(procedure, case, dt.date(2026, 5, 14))
    assert result.deadline("stage-1-response").due == dt.date(2026, 5, 19)
    assert [w.code for w in result.warnings] == ["repeated-event"]
    assert "acknowledged" not in result.next_events


def test_may_happen_next_offers_it_until_it_has_happened() -> None:
    procedure = load_procedure("baseline/corporate")
    received = _case(("2026-05-01", "complaint-received"))
    before = evaluate_data(procedure, received, dt.date(2026, 5, 5))
    assert "acknowledged" in before.next_events
