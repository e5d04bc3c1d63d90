"""How the engine counted before /work/spec23.md, in the places the specification changes.

Each change is a named deviation that count.py's rules can be made to count with, so that a
test can tell which of the specification's changes explain the engine's figures, and fail on
any difference none of them explains. Written from csc_rules/annual_report/tally.py and
application/report.py as they stood before the change; delete this module, and the xfail mark
of tests/test_report_independent.py, once the engine follows the specification.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .count import (
    OUTCOMES,
    Case,
    Counting,
    Event,
    Reached,
    Standing,
    eligibility,
    working_days,
    year_of,
)

DEVIATIONS = {
    "received-after-as-of": (
        "section 0: a case received after --as-of is still counted (in its own year), and "
        "left_out has no received_after_as_of"
    ),
    "escalated-then-ended": (
        "section 1: a complaint escalated on delay (stage 1 never answered) that then ends "
        "withdrawn or settled is counted as not pursued"
    ),
    "outcome-columns": (
        "section 2: no not-recorded, escalated, settled or referred columns: an answer without "
        "an outcome, or a stage left for the next, counts in the total only, and an unanswered "
        "stage of an ended case counts as withdrawn however it ended"
    ),
    "stopped-stage-times": (
        "section 3: no ended or total rows: an unanswered stage is timed to the as-of day, "
        "outside only while the case is open, else pending, whether or not a later stage or "
        "the end of the case stopped it"
    ),
}


class AsBefore(Counting):
    """count.py's rules with some of the specification's changes not made."""

    def __init__(self, deviations: Iterable[str]) -> None:
        self.deviations = frozenset(deviations)
        if "outcome-columns" in self.deviations:
            self.outcome_columns = (*OUTCOMES, "open", "withdrawn", "total")
        if "stopped-stage-times" in self.deviations:
            self.time_rows = ("outside", "pending")
        if "received-after-as-of" in self.deviations:
            self.left_out_keys = ("other_years", "other_councils")

    def left_out(self, case: Case, as_of: dt.date, council: str | None, shown: list[str]) -> str:
        if "received-after-as-of" not in self.deviations or case.received <= as_of:
            return super().left_out(case, as_of, council, shown)
        if council is not None and case.council != council:
            return "other_councils"
        if year_of(case.received) not in shown:
            return "other_years"
        raise NotImplementedError("counting a case as of its receipt, after --as-of")

    def kind(self, case: Case, events: list[Event], where: Standing) -> str:
        if "escalated-then-ended" not in self.deviations:
            return super().kind(case, events, where)
        decision = eligibility(case)
        answered = any(e.name == "stage-1-response-sent" for e in events)
        if decision == "ineligible":
            return "ineligible"
        if decision == "redirect" or (where.status in ("withdrawn", "resolved") and not answered):
            return "not_pursued"
        return "valid"

    def outcome(self, reached: Reached, where: Standing) -> str:
        if "outcome-columns" not in self.deviations:
            return super().outcome(reached, where)
        if reached.answer is not None:
            recorded = reached.answer.fields.get("outcome")
            return str(recorded) if recorded in OUTCOMES else ""
        if reached.later is not None:
            return ""
        return "open" if where.status == "open" else "withdrawn"

    def time(self, reached: Reached, where: Standing, as_of: dt.date) -> tuple[str, bool | None]:
        if "stopped-stage-times" not in self.deviations or reached.timed is not None:
            return super().time(reached, where, as_of)
        running = working_days(reached.opened, as_of)
        if where.status == "open" and running > reached.stage.in_time_within:
            return "outside", False
        return "pending", None


def explaining(
    engine: Mapping[str, Any],
    counting: Callable[..., dict[str, Any]],
    differences: Callable[[Mapping[str, Any], Mapping[str, Any]], list[str]],
) -> frozenset[str] | None:
    """The fewest deviations with which count.py (`counting`: its `report` with the cases and
    options given, taking `counting=`) gives every figure the engine gives: the empty set when
    the engine follows the specification, None when no set of them explains it."""
    for size in range(len(DEVIATIONS) + 1):
        for chosen in itertools.combinations(sorted(DEVIATIONS), size):
            if not differences(engine, counting(counting=AsBefore(chosen))):
                return frozenset(chosen)
    return None
