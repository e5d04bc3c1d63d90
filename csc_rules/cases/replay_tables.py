"""What replaying a case through a compiled procedure looks up, worked out once per procedure:
each deadline's plan (how its due date is counted, the extensions its facts may bring, its limit
in words) and each move as one step (where an event leads from a state and everything it does
on the way). The interpreter keeps no table of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from ..language.chains import chain
from ..language.conditions import (
    Remembered,
    compile_condition,
    counted_from_receipt,
    for_stage,
)
from ..language.model import Deadline, Extension, Transition
from ..language.reach import allowed_after
from .eligibility import case_context, deciding
from .results import Bound

if TYPE_CHECKING:
    from ..procedures.compiler import CompiledProcedure
    from .case import Case


class Plan:
    """What replay needs of one deadline, worked out once per compiled procedure."""

    __slots__ = (
        "deadline",
        "id",
        "kind",
        "anchor",
        "sources",
        "duty",
        "anchor_field",
        "amount",
        "due",
        "conditional",
        "limit_text",
        "limit_texts",
        "lengthened",
        "factless",
        "stages",
    )

    def __init__(self, deadline: Deadline, calendar: Any, stages: frozenset[str]) -> None:
        self.deadline = deadline
        self.id, self.kind, self.anchor = deadline.id, deadline.kind, deadline.anchor
        self.sources = deadline.sources
        self.duty = deadline.kind == "duty"
        self.anchor_field = deadline.anchor_field
        self.amount = deadline.limit.amount
        # The extensions that apply by the case's facts, each with its condition built.
        self.conditional = tuple(
            (e, compile_condition(e.when)) for e in deadline.extensions if e.when is not None
        )
        # The stage its deadline belongs to (if one can be named), and every stage's id: what
        # picks out the facts a case gives for that stage alone (`for_stage`).
        self.stages = (deadline.stage, stages)
        self.limit_text = str(deadline.limit)
        self.limit_texts: dict[int, str] = {}  # the limit in words, as extensions make it
        self.lengthened: Remembered[tuple[int | None, Extension | None]] = Remembered(
            frozenset().union(*(counted_from_receipt(e.when) for e, _ in self.conditional))
        )
        # What `lengthened` gives a case with no facts: the same for every such case.
        self.factless: tuple[int | None, Extension | None] | None = None
        unit, before = deadline.limit.unit or "working-days", deadline.before
        # The due date from a start and an amount; working days forward is the common case.
        self.due: Callable[[dt.date, int], dt.date] = (
            calendar.add
            if unit == "working-days" and not before
            else lambda start, amount: calendar.shift(start, amount, unit, before=before)
        )

    def extended_to(self, amount: int | None) -> str:
        """The limit in words once extended to `amount`."""
        if amount is None:
            return self.limit_text
        text = self.limit_texts.get(amount)
        if text is None:
            text = self.limit_texts[amount] = str(self.deadline.limit.with_amount(amount))
        return text


class Step(NamedTuple):
    """What one event does when it comes in one state."""

    target: str  # the state it leads to
    meets: tuple[Deadline, ...]
    extends: tuple[tuple[Deadline, Extension, int], ...]  # each with its maximum
    starts: tuple[Plan, ...]
    ends_case: bool  # it ends the case, or ends it another way (a referral after withdrawal)
    after_end: bool  # it leaves an ended case where it was
    # The duties it leaves behind: meetable where the case was, by no event allowed from where
    # it goes (an acknowledgement once the answer is sent). They stop counting that day.
    strands: tuple[str, ...] = ()
    # The duties it bounds by the statute while the event they count from is not recorded
    # (see `Tables.statute_bounds`): each plan with its bound.
    bounds: tuple[tuple[Plan, Bound], ...] = ()


class Tables:
    """Look-ups a procedure's replay needs, made once per compiled procedure."""

    def __init__(self, procedure: CompiledProcedure) -> None:
        self.moves: dict[tuple[str, str], Transition] = {
            (t.source, t.event): t for t in procedure.transitions
        }
        self.allowed: dict[str, list[Transition]] = {}
        for t in procedure.transitions:
            self.allowed.setdefault(t.source, []).append(t)
        self.next_events = {
            state: tuple(t.event for t in moves if not t.when_overdue)
            for state, moves in self.allowed.items()
        }
        self.guarded = {
            s for s, moves in self.allowed.items() if any(t.when_overdue for t in moves)
        }
        self.once = frozenset(e.id for e in procedure.events.values() if e.once)
        starts: dict[str, list[Plan]] = {}
        meets: dict[str, list[Deadline]] = {}
        extends: dict[str, list[tuple[Deadline, Extension, int]]] = {}
        stages = frozenset(stage.id for stage in procedure.stages)
        for d in procedure.deadlines.values():
            starts.setdefault(d.anchor, []).append(Plan(d, procedure.calendar, stages))
            for event in d.met_by:
                meets.setdefault(event, []).append(d)
            for e in d.extensions:
                if e.event:
                    extends.setdefault(e.event, []).append((d, e, e.maximum.amount or 0))
        self.meets = meets  # what an event meets, for the irregularity handlers
        # For each event that touches a deadline: what it meets, extends and starts, in one look-up.
        self.actions = {
            name: (
                tuple(meets.get(name, ())),
                tuple(extends.get(name, ())),
                tuple(starts.get(name, ())),
            )
            for name in {*starts, *meets, *extends}
        }
        self.ends = {s.id: s.end for s in procedure.states.values() if s.end}
        # The duties each state can still see met: one of their events is allowed in a state
        # reachable from it. Those an ending leaves meetable stand after it (the council's
        # response to a panel that has reported, after a settlement).
        self.meetable = _meetable(procedure)
        self.plans = {plan.id: plan for plans in starts.values() for plan in plans}
        self.statute_bounds = self._statute_bounds(procedure)
        self.decide = deciding(procedure)  # what the eligibility rules make of a case
        # Each move as one look-up, keyed by (state, event), the state None before the first
        # event: everything it does (see `Step`). The moves with no guard, which replay takes
        # at once, and those allowed only once a duty is overdue, which it checks first.
        self.steps: dict[tuple[str | None, str], Step] = {
            (None, procedure.start_event): self._step(
                None, procedure.start_event, procedure.start_state
            )
        }
        self.guarded_steps: dict[tuple[str | None, str], Step] = {}
        for t in procedure.transitions:
            into = self.guarded_steps if t.when_overdue else self.steps
            into[(t.source, t.event)] = self._step(t.source, t.event, t.target)
        self.rank = same_day_order(procedure)
        # The events that may go unrecorded, and the moves they make with no guard.
        self.implied = {e.id: e.implied for e in procedure.events.values() if e.implied}
        self._unrecorded_moves: dict[str, list[Transition]] = {}
        for t in procedure.transitions:
            if t.event in self.implied and not t.when_overdue and t.target != t.source:
                self._unrecorded_moves.setdefault(t.source, []).append(t)
        self._paths: dict[tuple[str, str], tuple[Transition, ...] | None] = {}

    def implied_path(self, state: str, event: str) -> tuple[Transition, ...] | None:
        """The shortest run of unrecorded events that leads from `state` to one where `event`
        is allowed; None if there is none. Found breadth first, the moves in the order the
        procedure lists them, so the same case always gets the same path."""
        key = (state, event)
        if key not in self._paths:
            self._paths[key] = self._shortest(state, event)
        return self._paths[key]

    def _shortest(self, state: str, event: str) -> tuple[Transition, ...] | None:
        seen = {state}
        frontier: list[tuple[str, tuple[Transition, ...]]] = [(state, ())]
        while frontier:
            later: list[tuple[str, tuple[Transition, ...]]] = []
            for here, path in frontier:
                for t in self._unrecorded_moves.get(here, ()):
                    if t.target in seen:
                        continue
                    taken = (*path, t)
                    if (t.target, event) in self.moves:
                        return taken
                    seen.add(t.target)
                    later.append((t.target, taken))
            frontier = later
        return None

    def _step(self, source: str | None, event: str, target: str) -> Step:
        meets, extends, starts = self.actions.get(event, ((), (), ()))
        ends = self.ends
        ends_case = target in ends and target != source
        before = self.meetable.get(source, frozenset()) if source is not None else frozenset()
        strands = () if ends_case else tuple(sorted(before - self.meetable.get(target, before)))
        return Step(
            target,
            meets,
            extends,
            starts,
            ends_case,
            target == source and source in ends,
            strands,
            self.statute_bounds.get(event, ()),
        )

    def _statute_bounds(
        self, procedure: CompiledProcedure
    ) -> dict[str, tuple[tuple[Plan, Bound], ...]]:
        """For each event, the duties the statute bounds from it whose own anchor may go
        unrecorded and is met by no duty of the procedure, so that nothing in the procedure
        bounds when it comes (a stage 2 counted from the statement of complaint): the most
        working days after the event by which the statute's chain has one of their meeting
        events done."""
        statute = procedure.statute
        if statute is None:
            return {}
        implied = {e.id for e in procedure.events.values() if e.implied}
        found: dict[str, list[tuple[Plan, Bound]]] = {}
        for d in procedure.deadlines.values():
            if d.kind != "duty" or d.before or d.anchor not in implied:
                continue
            if any(m.kind == "duty" for m in self.meets.get(d.anchor, ())):
                continue
            for event in procedure.events:
                if event == d.anchor or event in d.met_by:
                    continue
                chains = [c for m in d.met_by if (c := chain(statute.links, event, m)) is not None]
                if chains:
                    days, duties = min(chains)
                    sources = tuple(
                        dict.fromkeys(
                            s for link in statute.links if link.duty in duties for s in link.sources
                        )
                    )
                    bound = Bound(event, days, statute.procedure, duties, sources)
                    found.setdefault(event, []).append((self.plans[d.id], bound))
        return {event: tuple(bounds) for event, bounds in found.items()}


def _meetable(procedure: CompiledProcedure) -> dict[str, frozenset[str]]:
    """For each state, the duties one of whose meeting events is allowed in a state reachable
    from it (itself included), by every move the procedure allows."""
    duties = [d for d in procedure.deadlines.values() if d.kind == "duty"]
    return {
        state: frozenset(d.id for d in duties if allowed.intersection(d.met_by))
        for state, allowed in allowed_after(procedure.states, procedure.transitions).items()
    }


def lengthened(
    plan: Plan, procedure: CompiledProcedure, case: Case
) -> tuple[int | None, Extension | None]:
    """The limit as the extensions that apply by the case's facts make it, and the one that
    made it so (None if none does). The context is the eligibility rules' own, so a date test
    counts from receipt."""
    amount, chosen = plan.amount, None
    if amount is None:
        return amount, chosen
    context = case_context(procedure, case)
    facts = for_stage(case.facts, *plan.stages)
    for extension, applies in plan.conditional:
        longer = extension.maximum.amount or 0
        if longer > amount and applies(facts, context, []) is True:  # a guess is no
            amount, chosen = longer, extension
    return amount, chosen


# Says that one event comes before another on the same day (see `same_day_order`).
Precede = Callable[[str, str], None]


def same_day_order(procedure: CompiledProcedure) -> dict[str, int]:
    """A rank for every event, so that events recorded on the same day are applied in the order
    the procedure needs, whatever order the file gives them in. Worked out from the stage graph:

    - the first event of a case comes before any other;
    - a move from one state to another comes after the events that happen within the state it
      leaves and are not allowed in the next, and before the events allowed only in the state it
      reaches (as written in the states: withdrawal and referral, allowed in every open state,
      come after what each state allows);
    - an event that ends the case comes after every event that carries it on, and a bare
      ending (resolution, withdrawal, referral) after one that also answers a duty (the final
      response), so that the answer is counted;
    - a deadline's anchor comes before the events that extend or meet it, and an extension
      before the event that meets it.

    Where these leave a choice, or could not all hold, the event allowed nearest the start of
    the procedure goes first, then the one whose name sorts first."""
    after: dict[str, set[str]] = {name: set() for name in procedure.events}

    def precede(first: str, then: str) -> None:
        if first != then and first in after and then in after:
            after[first].add(then)

    for name in procedure.events:
        precede(procedure.start_event, name)
    _by_states(procedure, precede)
    _by_endings(procedure, precede)
    _by_deadlines(procedure, precede)
    return _ranked(after, _nearest_the_start(procedure))


def _by_states(procedure: CompiledProcedure, precede: Precede) -> None:
    """A move comes after the events that stay within the state it leaves and are not allowed
    in the next, and before the events allowed only in the state it reaches."""
    written: dict[str, set[str]] = {}  # the events each state allows, written in it
    staying: dict[str, set[str]] = {}  # of those, the ones that leave the case where it is
    for t in procedure.transitions:
        if not t.anytime:
            written.setdefault(t.source, set()).add(t.event)
            if t.target == t.source:
                staying.setdefault(t.source, set()).add(t.event)
    for t in procedure.transitions:
        if t.target == t.source:
            continue
        here, there = written.get(t.source, set()), written.get(t.target, set())
        for name in there - here:
            precede(t.event, name)
        for name in staying.get(t.source, set()) - there:
            precede(name, t.event)


def _by_endings(procedure: CompiledProcedure, precede: Precede) -> None:
    """An event that ends the case comes after every event that carries it on, and a bare
    ending after one that also answers a duty."""
    ends = {s.id for s in procedure.states.values() if s.end}
    going_on: set[str] = set()
    ending: set[str] = set()
    for t in procedure.transitions:
        if t.source not in ends:
            (ending if t.target in ends else going_on).add(t.event)
    answering = {name for d in procedure.deadlines.values() for name in d.met_by}
    for last in ending - going_on:
        for name in going_on:
            precede(name, last)
        if last not in answering:  # a bare ending follows one that answers a duty
            for name in (ending - going_on) & answering:
                precede(name, last)


def _by_deadlines(procedure: CompiledProcedure, precede: Precede) -> None:
    """A deadline's anchor comes before the events that extend or meet it, and an extension
    before the event that meets it."""
    for d in procedure.deadlines.values():
        extending = [e.event for e in d.extensions if e.event]
        for name in (*extending, *d.met_by):
            precede(d.anchor, name)
        for name in extending:
            for meeting in d.met_by:
                precede(name, meeting)


def _nearest_the_start(procedure: CompiledProcedure) -> dict[str, int]:
    """For each event, how near the start of the procedure it is first allowed (by the moves
    written in the states); the first event nearest of all."""
    depth = _depths(procedure)
    nearest = {
        name: min(
            (
                depth.get(t.source, len(depth))
                for t in procedure.transitions
                if t.event == name and not t.anytime
            ),
            default=len(depth) + 1,
        )
        for name in procedure.events
    }
    nearest[procedure.start_event] = -1
    return nearest


def _ranked(after: dict[str, set[str]], nearest: dict[str, int]) -> dict[str, int]:
    """A rank for every event that puts each before those `after` says follow it; where that
    leaves a choice, or a cycle allows none, the event nearest the start goes first, then the
    one whose name sorts first."""
    waiting = {name: 0 for name in after}
    for followers in after.values():
        for name in followers:
            waiting[name] += 1
    rank: dict[str, int] = {}
    remaining = set(after)
    while remaining:
        free = [name for name in remaining if waiting[name] == 0] or list(remaining)  # a cycle
        chosen = min(free, key=lambda name: (nearest[name], name))
        rank[chosen] = len(rank)
        remaining.discard(chosen)
        for name in after[chosen]:
            waiting[name] -= 1
    return rank


def _depths(procedure: CompiledProcedure) -> dict[str, int]:
    """How many moves each state is from the start, by the moves written in the states."""
    depth = {procedure.start_state: 0}
    frontier = [procedure.start_state]
    while frontier:
        later = []
        for state in frontier:
            for t in procedure.transitions:
                if t.source == state and not t.anytime and t.target not in depth:
                    depth[t.target] = depth[state] + 1
                    later.append(t.target)
        frontier = later
    return depth
