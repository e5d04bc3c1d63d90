"""Whether a representation is a complaint for this procedure: every rule that fires, with its reasons."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from ..language.conditions import (
    Compiled,
    Context,
    Remembered,
    compile_condition,
    counted_from_receipt,
)
from ..procedures.compiler import derived

if TYPE_CHECKING:
    from ..procedures.compiler import CompiledProcedure
    from .case import Case

# When several rules fire, the strongest decides: a redirect (the first one's route), then
# ineligible, then discretion; with none of them, eligible, unless a rule could not be decided.
_STRENGTH = {"redirect": 3, "ineligible": 2, "discretion": 1, "eligible": 0}
UNDECIDED = "undecided"


class Reason(NamedTuple):
    rule: str
    decision: str
    route: str | None
    message: str
    sources: tuple[str, ...]
    explain_in_writing: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "decision": self.decision,
            "route": self.route,
            "message": self.message,
            "sources": list(self.sources),
        }
        if self.explain_in_writing:
            data["explain_in_writing"] = True
        return data


class Eligibility(NamedTuple):
    """The decision (`eligible`, `ineligible`, `discretion`, `redirect`, or `undecided` while a rule
    still needs facts), the route it leads to, the rules that fired, and the facts still needed."""

    decision: str
    route: str
    reasons: tuple[Reason, ...]
    needs: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (rule, facts) for each rule not decided

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "route": self.route,
            "reasons": [r.to_json() for r in self.reasons],
            "needs": [
                {
                    "rule": rule,
                    "facts": list(facts),
                    "message": f"cannot decide: needs {', '.join(facts)}",
                }
                for rule, facts in self.needs
            ],
        }


def case_context(procedure: CompiledProcedure, case: Case) -> Context:
    """What every condition of `procedure` counts dates from for `case`, its rules' and its
    extensions' alike: the day the complaint was received, in the procedure's calendar."""
    return Context(case.received if case.events else None, procedure.calendar)


class _Rules:
    """A procedure's rules with their conditions built, and the decisions already made: a
    decision depends only on the facts (and on the day of receipt, for a fact a rule compares
    with it)."""

    def __init__(self, procedure: CompiledProcedure) -> None:
        self.rules = [(rule, compile_condition(rule.when)) for rule in procedure.rules]
        self.decided: Remembered[Eligibility] = Remembered(
            frozenset().union(*(counted_from_receipt(rule.when) for rule in procedure.rules))
        )

    # The decision for a case that gives no facts: the same for every such case.
    factless: Eligibility | None = None

    def decide(self, procedure: CompiledProcedure, case: Case) -> Eligibility:
        if not case.facts:
            found = self.factless
            if found is None:
                found = self.factless = _decide(procedure, case, self.rules)
            return found
        return self.decided.get(
            case.facts,
            case.events[0].date if case.events else None,
            _decide,
            procedure,
            case,
            self.rules,
        )


def deciding(procedure: CompiledProcedure) -> Callable[[CompiledProcedure, Case], Eligibility]:
    """`decide_case` for one procedure, its rules built once."""
    return derived(procedure, _Rules).decide


def decide_case(procedure: CompiledProcedure, case: Case) -> Eligibility:
    """Every rule of `procedure`, in order, against the case's facts."""
    return deciding(procedure)(procedure, case)


def _decide(
    procedure: CompiledProcedure, case: Case, rules: list[tuple[Any, Compiled]]
) -> Eligibility:
    context = case_context(procedure, case)
    reasons: list[Reason] = []
    needs: list[tuple[str, tuple[str, ...]]] = []
    for rule, test in rules:
        missing: list[str] = []
        answer = test(case.facts, context, missing)
        if answer is None:
            needs.append((rule.id, tuple(missing)))
        elif answer:
            reasons.append(
                Reason(
                    rule.id,
                    rule.decision,
                    rule.route,
                    rule.message,
                    rule.sources,
                    rule.explain_in_writing,
                )
            )
            if rule.stop:
                break
    own_route = procedure.id.split("/", 1)[-1]
    strongest = max(reasons, key=lambda r: _STRENGTH[r.decision], default=None)
    if strongest is not None and strongest.decision == "redirect":
        first = next(r for r in reasons if r.decision == "redirect")
        return Eligibility("redirect", first.route or "", tuple(reasons), tuple(needs))
    if strongest is not None and strongest.decision in ("ineligible", "discretion"):
        return Eligibility(strongest.decision, own_route, tuple(reasons), tuple(needs))
    return Eligibility(UNDECIDED if needs else "eligible", own_route, tuple(reasons), tuple(needs))


def explain(eligibility: Eligibility) -> str:
    """The decision in words, one reason a line."""
    route = (
        f" to {eligibility.route}"
        if eligibility.decision == "redirect"
        else f" ({eligibility.route})"
    )
    lines = [f"eligibility: {eligibility.decision}{route}"]
    for reason in eligibility.reasons:
        lines.append(f"  {reason.rule} ({reason.decision}): {reason.message}")
        lines.append(f"      source: {reason.sources[0]}" if reason.sources else "")
    for rule, facts in eligibility.needs:
        lines.append(f"  {rule}: cannot decide: needs {', '.join(facts)}")
    return "\n".join(line for line in lines if line) + "\n"
