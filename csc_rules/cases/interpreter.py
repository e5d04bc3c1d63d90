"""Replay a case's events through a compiled procedure and say where it stands on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, PlainLocator
from ..errors import CalendarError, CaseError
from ..language.stage_graph import REFERRED, WITHDRAWN
from ..procedures.compiler import CompiledProcedure, derived
from .case import Case, CaseEvent, check_against
from .clocks import Clock, Waiting, catch_up, extend, out_of_time, remember, standing, start
from .irregularities import IRREGULAR, explain_event
from .replay_tables import Step, Tables
from .results import (
    CANCELLED,
    INELIGIBLE,
    MISSED,
    OVERDUE,
    REDIRECTED,
    CaseWarning,
    DeadlineResult,
    Result,
)
from .targets import aims
from .unrecorded import proved_late, shadow, start_bounded, warning

if TYPE_CHECKING:
    from .eligibility import Eligibility

RESOLVED = "resolved"
_new = tuple.__new__


def evaluate(
    procedure: CompiledProcedure,
    case: Case,
    as_of: dt.date | None = None,
    *,
    explain: bool = False,
    checked: bool = False,
    strict: bool = False,
) -> Result:
    """Replay `case` through `procedure` and report where it stands on `as_of` (default today).

    Events after `as_of` have not happened yet and are left out; events on the same day are
    applied in the order the procedure needs. What real records do that the procedure does not
    foresee is a warning (see `irregularities`), or with `strict` an error. Raises CaseError,
    located at the event concerned, for bad data and for an event nothing explains."""
    as_of = as_of or dt.date.today()
    if not checked:
        check_against(case, procedure)
    received = case.events[0].date
    if as_of < received:
        locate = case.where or PlainLocator(case.id)
        raise CaseError(
            [
                locate.diagnostic(
                    ("events", 0, "date"),
                    "as-of-before-receipt",
                    f"the case is evaluated as of {as_of.isoformat()}, before the complaint was received on {case.received.isoformat()}: give a date on or after receipt",
                )
            ]
        )
    try:
        replay = _Replay(procedure, case, as_of, explain)
        result = replay.run()
    except CalendarError as exc:
        locate = case.where or PlainLocator(case.id)
        raise CaseError([locate.diagnostic(("events",), "outside-calendar", str(exc))]) from None
    if strict and replay.irregular:
        locate = case.where or PlainLocator(case.id)
        raise CaseError(
            [
                locate.diagnostic(
                    ("events", index, field),
                    w.code,
                    f"an irregularity, refused with --strict: {w.message}",
                )
                for index, field, w in replay.irregular
            ]
        )
    return result


class _Replay:
    """One case moved through the procedure's states, event by event; its deadlines are kept
    in `clocks` (see the module of that name)."""

    # What most cases never change, kept on the class until a case does (a caseload makes
    # hundreds of thousands of these).
    ended_on: dt.date | None = None
    before_end: str | None = None  # the state the case ended from
    unrecorded: frozenset[str] = frozenset()  # deadlines met by events the records lack
    # The irregular warnings, each with the event's place in the file and field, for `strict`.
    irregular: tuple[tuple[int, str, CaseWarning], ...] = ()
    # Events recorded for deadlines not yet started, by deadline (see `clocks.remember`).
    waiting: dict[str, list[tuple[Any, Waiting | None]]] | None = None
    # The statute's bounds on duties whose anchor is not recorded yet (see `unrecorded.shadow`).
    shadowed: dict[str, Clock] | None = None
    # How the case left the procedure, if the council decided it is not a complaint for it.
    outside: str | None = None
    # The events of those that happen at most once (`once: true`) that have happened.
    done_once: frozenset[str] = frozenset()
    # Whether an event the records lack was taken to have happened (`imply`).
    implied = False

    def __init__(
        self, procedure: CompiledProcedure, case: Case, as_of: dt.date, explain: bool
    ) -> None:
        self.procedure = procedure
        self.tables = derived(procedure, Tables)
        self.calendar = procedure.calendar
        self.case = case
        self.as_of = as_of
        self.explain = explain
        self.clocks: dict[str, Clock] = {}
        self.warnings: list[CaseWarning] = []
        self.events = case.events  # in the order they are applied
        self.replayed = len(case.events)  # how many had happened by the as-of date

    def error(self, index: int, code: str, message: str, field: str = "event") -> CaseError:
        locate = self.case.where or PlainLocator(self.case.id)
        diagnostic: Diagnostic = locate.diagnostic(("events", index, field), code, message)
        return CaseError([diagnostic])

    def warn(self, code: str, message: str, event: Any, field: str = "event") -> None:
        warning = _new(CaseWarning, (code, message, event.event, event.date))
        self.warnings.append(warning)
        if code in IRREGULAR:
            self.irregular = (*self.irregular, (event.index, field, warning))

    def run(self) -> Result:
        procedure, steps = self.procedure, self.tables.steps
        state: str | None = None
        as_of, events = self.as_of, self.case.events
        if self.case.same_day:  # put in the procedure's order first
            events = self.events = _in_order(events, self.tables.rank)
        received = events[0].date
        if received < procedure.effective:
            self.warn(
                "before-first-version",
                f"received on {received.isoformat()}, before `{procedure.id}` version {procedure.version} took effect on {procedure.effective.isoformat()}: run under that version, the earliest there is",
                events[0],
                "date",
            )
        clocks, once = self.clocks, self.tables.once
        for event in events:
            day = event.date
            if day > as_of:  # it has not happened yet, nor has any after it
                self.replayed = events.index(event)
                break
            if once and event.event in once and self._again(event):
                continue  # recorded twice: the first one stands
            step = steps.get((state, event.event)) or self._move(state, event)
            if step is None:  # accounted for, and changes nothing
                continue
            # What `_take` does, written out here: this loop runs for every event of a caseload.
            target, meets, extends, starts, ends_case, after_end, strands, bounds = step
            if after_end and not self._after_end(target, event):
                continue  # listed, and it changes nothing
            for deadline in meets:
                clock = clocks.get(deadline.id)
                if clock is None:
                    if deadline.before:  # papers sent before the panel's date is fixed
                        remember(self, deadline, event, None)
                elif clock.met_on is None and clock.stopped_on is None:
                    clock.met_on = day
                    if clock.due is not None and day > clock.due and not clock.plan.duty:
                        out_of_time(self, event, clock)
            if extends:
                extend(self, event, extends)
            if strands:
                self._strand(strands, day)
            if ends_case:
                self._end(state, target, event)
            for plan in starts:
                clock = clocks.get(plan.id)
                if clock is not None and clock.met_on is not None:
                    continue  # already met; a repeated event does not start it again
                if plan.anchor_field or plan.conditional:
                    start(self, event, plan)
                else:
                    due = plan.due(day, plan.amount) if plan.amount is not None else None
                    clocks[plan.id] = Clock(plan, day, due)
                if self.waiting is not None and plan.id in self.waiting:
                    catch_up(self, plan)
                if self.shadowed is not None:
                    self.shadowed.pop(plan.id, None)  # timed from its own anchor now
            if bounds:
                shadow(self, event, bounds)
            state = target
        if state is None:  # unreachable: `evaluate` refuses an as_of before receipt
            raise self.error(
                0, "as-of-before-receipt", "no event had happened by the date asked about"
            )
        return self._result(state)

    def _take(self, state: str | None, step: Step, event: Any, implied_by: Any = None) -> str:
        """Apply one move: meet, extend, end, start; the state it leads to. An event implied by
        the recorded event `implied_by` meets duties without a known day, and what counts from
        it is bounded by the records (see `unrecorded`) (`run` writes this out for speed: change
        both together)."""
        target, meets, extends, starts, ends_case, after_end, strands, bounds = step
        clocks, day, implied = self.clocks, event.date, implied_by is not None
        if after_end and not self._after_end(target, event):
            return target
        for deadline in meets:
            clock = clocks.get(deadline.id)
            if clock is not None and clock.met_on is None and clock.stopped_on is None:
                clock.met_on = day
                if implied:
                    self.unrecorded = self.unrecorded | {clock.plan.id}
                if clock.due is not None and day > clock.due and not clock.plan.duty:
                    out_of_time(self, event, clock)
        if extends:
            extend(self, event, extends)
        if strands:
            self._strand(strands, day)
        if ends_case:
            self._end(state, target, event)
        for plan in starts:
            clock = clocks.get(plan.id)
            if clock is not None and clock.met_on is not None:
                continue  # already met; a repeated event does not start it again
            if implied:  # its day is not known: timed only within what the records bound
                start_bounded(self, plan, event, implied_by)
                continue
            if plan.anchor_field or plan.conditional:
                start(self, event, plan)
            else:
                due = plan.due(day, plan.amount) if plan.amount is not None else None
                clocks[plan.id] = Clock(plan, day, due)
            if self.waiting is not None and plan.id in self.waiting:
                catch_up(self, plan)
            if self.shadowed is not None:
                self.shadowed.pop(plan.id, None)
        if bounds:
            shadow(self, event, bounds)
        return target

    def _again(self, event: Any) -> bool:
        """Whether an event that happens at most once has happened already: then it is the
        warning `repeated-event` and changes nothing; else it is noted as done."""
        if event.event not in self.done_once:
            self.done_once = self.done_once | {event.event}
            return False
        self.warn(
            "repeated-event",
            f"{event.event} on {event.date.isoformat()} is recorded again, and happens only once in a case; the first one stands and this one changes nothing: check the record",
            event,
        )
        return True

    def _strand(self, strands: tuple[str, ...], day: dt.date) -> None:
        """Stop the duties a move leaves behind, where no event can meet them any more: missed
        if already late that day, else cancelled (see `clocks.standing`)."""
        for deadline_id in strands:
            for kept in (self.clocks, self.shadowed or {}):
                clock = kept.get(deadline_id)
                if clock is not None and clock.met_on is None and clock.stopped_on is None:
                    clock.stopped_on = day

    def _after_end(self, state: str, event: Any) -> bool:
        """An event that leaves an ended case where it was is recorded with a warning, unless it
        does what the ending itself required (the first confirmation of a withdrawal). Moving
        on to another ending, such as the Ombudsman after a resolution, is no irregularity."""
        if any(
            (clock := self.clocks.get(d.id)) is not None and clock.open_on(event.date)
            for d in self.tables.meets.get(event.event, ())
        ):
            return True
        ended = f" on {self.ended_on.isoformat()}" if self.ended_on else ""
        self.warn(
            "events-after-end",
            f"{event.event} on {event.date.isoformat()} is recorded after the case ended ({self.tables.ends[state]}{ended}); it changes nothing: check the record",
            event,
        )
        return False

    def _move(self, state: str | None, event: Any) -> Step | None:
        """A move that needs checking: the first event, one allowed only once a duty is overdue,
        or one the procedure does not allow where it comes (see `irregularities`)."""
        if state is None:
            raise self.error(
                event.index,
                "first-event",
                f"a case starts with `{self.procedure.start_event}`, not `{event.event}` on {event.date.isoformat()}",
            )
        transition = self.tables.moves.get((state, event.event))
        if transition is None:
            return explain_event(self, state, event)
        guard = transition.when_overdue
        if guard:
            clock = self.clocks.get(guard)
            opens = clock.opens(transition, self.calendar) if clock is not None else None
            after = transition.overdue_after
            if after is None:  # the duty's own due date opens the move
                when = f"`{guard}` is overdue"
                due = f" (due {opens.isoformat()})" if opens else ""
            else:  # the procedure's own trigger, counted from the duty's start
                when = f"`{guard}` has gone unanswered for {after}"
                due = f" (counted to {opens.isoformat()})" if opens else ""
            if clock is None or not clock.lets_through(transition, event.date, self.calendar):
                self.warn(
                    "early-request",
                    f"{event.event} on {event.date.isoformat()} comes before {when}{due}, when the procedure allows it; accepted at the council's discretion",
                    event,
                )
            else:
                self.warn(
                    "escalated-on-delay",
                    f"{event.event} once {when}{due}"
                    if after
                    else f"{event.event} while {guard} was overdue{due}",
                    event,
                )
            if clock is not None and clock.open_on(event.date):
                clock.stopped_on = event.date  # the case has moved past it
        return self.tables.guarded_steps[(state, event.event)]

    def _end(self, state: str | None, target: str, event: Any) -> None:
        ended_already = state in self.tables.ends
        ending = self.tables.ends[target]
        if self.tables.ends.get(state or "") != ending:  # not for what follows the same end
            self.ended_on = event.date  # (the Ombudsman's decision after a referral)
        if not ended_already:
            self.before_end = state
            if ending in (INELIGIBLE, REDIRECTED):
                self.outside = ending
        # The statute's bounds count too: late by them, some duty is overdue whatever the day
        # of the event the records lack.
        clocks = [*self.clocks.values(), *(self.shadowed or {}).values()]
        if ending == REFERRED and not ended_already:
            overdue = [c.plan.id for c in clocks if c.plan.duty and c.overdue_on(event.date)]
            if not overdue:
                self.warn(
                    "premature-referral",
                    f"referred to the Ombudsman on {event.date.isoformat()} before the council's procedure had finished and with no council duty overdue; the Ombudsman will usually send it back",
                    event,
                )
        owed = self.tables.meetable.get(target, frozenset())  # still owed after this end
        for clock in clocks:
            if clock.open_on(event.date) and clock.plan.id not in owed:
                clock.stopped_on = event.date

    # -- what the irregularity handlers ask of the replay ------------------------------------------

    def step_from(self, state: str, event: Any) -> Step | None:
        """The move `event` makes from `state`, checked as any other."""
        return self.tables.steps.get((state, event.event)) or self._move(state, event)

    def imply(self, state: str, transition: Any, event: Any) -> str:
        """Take an event the records lack as having happened by `event`'s day."""
        step = self.tables.steps[(state, transition.event)]
        untimed = [plan.id for plan in step.starts]
        reason = self.tables.implied[transition.event].reason
        self.warn(
            "implied-event",
            f"{transition.event} is not recorded, but {event.event} on {event.date.isoformat()} comes after it, so it is taken to have happened by then ({reason.rstrip('.')})"
            + (
                f"; {', '.join(untimed)}, counted from it, can be timed only within the bound the records give"
                if untimed
                else ""
            ),
            event,
        )
        implied = CaseEvent(event.date, transition.event, {}, event.index)
        self.implied = True
        return self._take(state, step, implied, implied_by=event)

    def reopening(self, state: str, event: Any) -> Step | None:
        """A request within a window that the case's resolution cut short: the case goes back to
        where it was, and the request is taken from there."""
        if self.tables.ends.get(state) != RESOLVED or self.before_end is None:
            return None
        window = next(
            (
                clock
                for clock in self.clocks.values()
                if not clock.plan.duty
                and clock.stopped_on == self.ended_on
                and event.event in clock.plan.deadline.met_by
                and clock.due is not None
                and event.date <= clock.due
            ),
            None,
        )
        if window is None or (self.before_end, event.event) not in self.tables.moves:
            return None
        for clock in self.clocks.values():
            if clock.stopped_on == self.ended_on:
                clock.stopped_on = None  # the resolution no longer stops them
        self.warn(
            "reopened",
            f"{event.event} on {event.date.isoformat()} comes within the {window.plan.id} window (to {window.due.isoformat()}) after the case was marked resolved on {self.ended_on.isoformat() if self.ended_on else '?'}; the case is reopened",  # type: ignore[union-attr]
            event,
        )
        state, self.before_end, self.ended_on = self.before_end, None, None
        return self.step_from(state, event)

    def answer_after_moving_on(self, event: Any) -> list[str]:
        """Record `event` as doing the duties it meets that the case has moved past or left
        open behind it; the ids of those it did."""
        done = []
        for deadline in self.tables.meets.get(event.event, ()):
            clock = self.clocks.get(deadline.id)
            if clock is not None and clock.met_on is None and deadline.kind == "duty":
                clock.met_on = event.date
                done.append(deadline.id)
        return done

    def not_allowed(self, state: str, event: Any) -> CaseError:
        allowed = [
            f"{t.event} (once {t.guard_words()})" if t.when_overdue else t.event
            for t in self.tables.allowed.get(state, [])
        ]
        return self.error(
            event.index,
            "event-not-allowed",
            f"`{event.event}` on {event.date.isoformat()} is not allowed in state `{state}`, and no step the records may lack leads to where it is; allowed there: {', '.join(allowed) or 'nothing'}",
        )

    # -- where the case stands -------------------------------------------------------------------

    def _result(self, state: str) -> Result:
        """The case on the as-of date: its state, each deadline, what may happen next, the
        eligibility rules' decision, the warnings and the events replayed."""
        procedure = self.procedure
        deadlines = standing(
            self.clocks.values(), self.as_of, procedure, self.unrecorded, self.explain
        )
        if self.shadowed:  # the statute's bounds show once they prove the council late
            shown = standing(
                self.shadowed.values(), self.as_of, procedure, frozenset(), self.explain
            )
            late = [d for d in shown if d.status in (MISSED, OVERDUE)]
            if late:
                deadlines = sorted([*deadlines, *late], key=lambda d: (d.due or dt.date.max, d.id))
        eligibility = self.tables.decide(procedure, self.case)
        if eligibility.decision == "redirect":
            deadlines = self._redirected(deadlines, eligibility)
        elif self.outside is not None:  # the council decided it is not a complaint for this
            deadlines = _cancelled(deadlines)
        elif self.shadowed or self.implied:  # else no deadline is bounded by the statute
            self.warnings += [
                warning(d, bound, due, procedure.id, self.as_of)
                for d, bound, due in proved_late(deadlines)
            ]
        current = procedure.states[state]
        return _new(
            Result,
            (
                self.case.id,
                procedure.id,
                procedure.version,
                self.as_of,
                current.end or "open",
                current.end or current.stage or "",
                state,
                tuple(deadlines),
                self._next_events(state),
                tuple(self.warnings),
                self._replayed_events(),
                eligibility,
                aims(procedure, self.events[: self.replayed], self.as_of, self.ended_on)
                if procedure.targets
                else (),
            ),
        )

    def _next_events(self, state: str) -> tuple[str, ...]:
        """What may happen next: the moves from `state`, and of those allowed only once a duty
        is overdue, the ones open on the as-of date; never an event that happens at most once
        and has happened."""
        offered = self._offered(state)
        if self.done_once and not self.done_once.isdisjoint(offered):
            return tuple([e for e in offered if e not in self.done_once])
        return offered

    def _offered(self, state: str) -> tuple[str, ...]:
        tables = self.tables
        if state in tables.ends:  # after the end, only what is still owed, and the endings after it
            return tuple(e for e in tables.next_events.get(state, ()) if self._still_owed(state, e))
        if state not in tables.guarded:
            return tables.next_events.get(state, ())
        as_of, calendar = self.as_of, self.calendar
        return tuple(
            t.event
            for t in tables.allowed[state]
            if not t.when_overdue
            or (
                (guard := self.clocks.get(t.when_overdue)) is not None
                and guard.lets_through(t, as_of, calendar)
            )
        )

    def _still_owed(self, state: str, event: str) -> bool:
        """Whether `event`, allowed in the ended state `state`, may still happen: one that moves
        on (the Ombudsman's decision), one that meets no deadline, or one that meets a deadline
        still open (the council's response after a settlement)."""
        step = self.tables.steps.get((state, event))
        if step is None or not step.after_end or not step.meets:
            return True
        return any(
            (clock := self.clocks.get(d.id)) is not None and clock.open_on(self.as_of)
            for d in step.meets
        )

    def _redirected(
        self, deadlines: list[DeadlineResult], eligibility: Eligibility
    ) -> list[DeadlineResult]:
        """Not a complaint for this procedure, so none of its time limits run: every deadline
        cancelled, with a warning naming the rule that sends it elsewhere."""
        rule = next(r.rule for r in eligibility.reasons if r.route == eligibility.route)
        self.warnings.append(
            CaseWarning(
                "redirected",
                f"this is not a complaint for {self.procedure.id}: rule {rule} sends it to {eligibility.route}, so none of this procedure's time limits apply",
                self.case.events[0].event,
                self.case.received,
            )
        )
        return _cancelled(deadlines)

    def _replayed_events(self) -> tuple[tuple[dt.date, str], ...]:
        """The events that had happened by the as-of date, each as (date, event)."""
        events = self.events if self.replayed == len(self.events) else self.events[: self.replayed]
        return tuple([(e.date, e.event) for e in events])


def _cancelled(deadlines: list[DeadlineResult]) -> list[DeadlineResult]:
    """Every deadline cancelled: the case is not a complaint for this procedure, so none of its
    time limits run (what was done stays recorded as done)."""
    return [
        d._replace(status=CANCELLED, working_days_late=None, working_days_remaining=None)
        for d in deadlines
    ]


def _in_order(events: tuple[CaseEvent, ...], rank: dict[str, int]) -> tuple[CaseEvent, ...]:
    """The events by date, and those of one day in the order the procedure needs (then by what
    they carry), so that the order lines are written in never changes the answer."""
    return tuple(sorted(events, key=lambda e: (e.date, rank.get(e.event, len(rank)), _carried(e))))


def _carried(event: CaseEvent) -> tuple[tuple[str, Any], ...]:
    """What an event carries, comparable whatever the types: numbers by size, the rest as text."""
    return tuple(
        (name, (0, value, "") if isinstance(value, (int, float)) else (1, 0, str(value)))
        for name, value in sorted(event.fields.items())
    )


def evaluate_data(
    procedure: CompiledProcedure,
    case: Mapping[str, Any],
    as_of: dt.date | None = None,
    *,
    explain: bool = False,
    strict: bool = False,
) -> Result:
    """`evaluate` for a case given as plain data, as other systems hold it."""
    from .case import case_from_data

    return evaluate(procedure, case_from_data(case), as_of, explain=explain, strict=strict)


__all__ = ["RESOLVED", "WITHDRAWN", "evaluate", "evaluate_data"]
