"""Replay a case's events through a compiled procedure and say where it stands on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..diagnostics import Diagnostic, PlainLocator
from ..errors import CalendarError, CaseError
from ..language.conditions import describe
from ..language.model import Deadline, Extension
from ..language.stage_graph import REFERRED, WITHDRAWN
from ..procedures.compiler import CompiledProcedure, derived
from .case import Case, CaseEvent, check_against
from .irregularities import IRREGULAR, explain_event
from .replay_tables import Plan, Step, Tables, lengthened
from .results import (
    CANCELLED,
    LAPSED,
    MET,
    MISSED,
    OVERDUE,
    PENDING,
    UNRECORDED,
    CaseWarning,
    DeadlineResult,
    Result,
)

RESOLVED = "resolved"
_LAST = dt.date.max  # where a deadline with no due date sorts
_new = tuple.__new__


class _Clock:
    """One started deadline during replay."""

    __slots__ = (
        "plan",
        "start",
        "amount",
        "extension",
        "due",
        "met_on",
        "stopped_on",
    )

    def __init__(self, plan: Plan, start: dt.date, due: dt.date | None) -> None:
        self.plan = plan
        self.start = start
        self.amount = plan.amount  # as extended
        self.due = due
        self.extension: Extension | None = None
        self.met_on: dt.date | None = None  # for an unrecorded event, the latest it can be
        # The day the case moved past it while it was open (an escalation on delay, the end of
        # the case): it stops counting then, missed if already late, else cancelled.
        self.stopped_on: dt.date | None = None

    def open_on(self, day: dt.date) -> bool:
        return self.met_on is None and self.stopped_on is None

    def overdue_on(self, day: dt.date) -> bool:
        return self.open_on(day) and self.due is not None and self.due < day


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
    # What most cases never change, kept on the class until a case does (a caseload makes
    # hundreds of thousands of these).
    ended_on: dt.date | None = None
    before_end: str | None = None  # the state the case ended from
    unrecorded: frozenset[str] = frozenset()  # deadlines met by events the records lack
    # The irregular warnings, each with the event's place in the file and field, for `strict`.
    irregular: tuple[tuple[int, str, CaseWarning], ...] = ()
    # Events recorded for deadlines not yet started, by deadline (see `_remember`).
    waiting: dict[str, list[tuple[Any, Any]]] | None = None

    def __init__(
        self, procedure: CompiledProcedure, case: Case, as_of: dt.date, explain: bool
    ) -> None:
        self.procedure = procedure
        self.tables = derived(procedure, Tables)
        self.calendar = procedure.calendar
        self.case = case
        self.as_of = as_of
        self.explain = explain
        self.clocks: dict[str, _Clock] = {}
        self.warnings: list[CaseWarning] = []
        self.events = case.events  # in the order they are applied
        self.replayed = len(case.events)  # how many had happened by the as-of date

    def _error(self, index: int, code: str, message: str, field: str = "event") -> CaseError:
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
        clocks = self.clocks
        for event in events:
            day = event.date
            if day > as_of:  # it has not happened yet, nor has any after it
                self.replayed = events.index(event)
                break
            step = steps.get((state, event.event)) or self._move(state, event)
            if step is None:  # accounted for, and changes nothing
                continue
            # What `_take` does, written out here: this loop runs for every event of a caseload.
            target, meets, extends, starts, ends_case, after_end = step
            if after_end:
                self._after_end(target, event)
            for deadline in meets:
                clock = clocks.get(deadline.id)
                if clock is None:
                    if deadline.before:  # papers sent before the panel's date is fixed
                        self._remember(deadline, event, None)
                elif clock.met_on is None and clock.stopped_on is None:
                    clock.met_on = day
                    if clock.due is not None and day > clock.due and not clock.plan.duty:
                        self._out_of_time(event, clock)
            if extends:
                self._extend(event, extends)
            if ends_case:
                self._end(state, target, event)
            for plan in starts:
                clock = clocks.get(plan.id)
                if clock is not None and clock.met_on is not None:
                    continue  # already met; a repeated event does not start it again
                if plan.anchor_field or plan.conditional:
                    self._start(event, plan)
                else:
                    due = plan.due(day, plan.amount) if plan.amount is not None else None
                    clocks[plan.id] = _Clock(plan, day, due)
                if self.waiting is not None and plan.id in self.waiting:
                    self._catch_up(plan)
            state = target
        if state is None:  # unreachable: `evaluate` refuses an as_of before receipt
            raise self._error(
                0, "as-of-before-receipt", "no event had happened by the date asked about"
            )
        return self._result(state)

    def _take(self, state: str | None, step: Step, event: Any, implied: bool = False) -> str:
        """Apply one move: meet, extend, end, start; the state it leads to. An implied event
        meets duties without a known day and starts nothing (`run` writes this out for speed:
        change both together)."""
        target, meets, extends, starts, ends_case, after_end = step
        clocks, day = self.clocks, event.date
        if after_end:
            self._after_end(target, event)
        for deadline in meets:
            clock = clocks.get(deadline.id)
            if clock is not None and clock.met_on is None and clock.stopped_on is None:
                clock.met_on = day
                if implied:
                    self.unrecorded = self.unrecorded | {clock.plan.id}
                if clock.due is not None and day > clock.due and not clock.plan.duty:
                    self._out_of_time(event, clock)
        if extends:
            self._extend(event, extends)
        if ends_case:
            self._end(state, target, event)
        for plan in starts:
            clock = clocks.get(plan.id)
            if clock is not None and clock.met_on is not None:
                continue  # already met; a repeated event does not start it again
            if implied:
                continue  # its day is not known, so nothing counted from it can be timed
            if plan.anchor_field or plan.conditional:
                self._start(event, plan)
            else:
                due = plan.due(day, plan.amount) if plan.amount is not None else None
                clocks[plan.id] = _Clock(plan, day, due)
            if self.waiting is not None and plan.id in self.waiting:
                self._catch_up(plan)
        return target

    def _after_end(self, state: str, event: Any) -> None:
        """An event that leaves an ended case where it was is recorded with a warning, unless it
        does what the ending itself required (the first confirmation of a withdrawal). Moving
        on to another ending, such as the Ombudsman after a resolution, is no irregularity."""
        if any(
            (clock := self.clocks.get(d.id)) is not None and clock.open_on(event.date)
            for d in self.tables.meets.get(event.event, ())
        ):
            return
        ended = f" on {self.ended_on.isoformat()}" if self.ended_on else ""
        self.warn(
            "events-after-end",
            f"{event.event} on {event.date.isoformat()} is recorded after the case ended ({self.tables.ends[state]}{ended}); check the record",
            event,
        )

    def _move(self, state: str | None, event: Any) -> Step | None:
        """A move that needs checking: the first event, one allowed only once a duty is overdue,
        or one the procedure does not allow where it comes (see `irregularities`)."""
        if state is None:
            raise self._error(
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
            opens = self._opens(transition, clock)
            after = transition.overdue_after
            if after is None:  # the duty's own due date opens the move
                when = f"`{guard}` is overdue"
                due = f" (due {opens.isoformat()})" if opens else ""
            else:  # the procedure's own trigger, counted from the duty's start
                when = f"`{guard}` has gone unanswered for {after}"
                due = f" (counted to {opens.isoformat()})" if opens else ""
            if clock is None or not self._open(transition, clock, event.date):
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

    def _opens(self, transition: Any, clock: _Clock | None) -> dt.date | None:
        """The last day before a guarded move opens: the guarding duty's due date, or the end of
        the transition's own `overdue_after` counted from the duty's start."""
        if clock is None:
            return None
        after = transition.overdue_after
        if after is None:
            return clock.due
        return self.calendar.shift(clock.start, after.amount, after.unit)

    def _open(self, transition: Any, clock: _Clock, day: dt.date) -> bool:
        """Whether a guarded move is open on `day`: its duty still unanswered, and overdue."""
        opens = self._opens(transition, clock)
        return clock.open_on(day) and opens is not None and opens < day

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
            + (f"; {', '.join(untimed)}, counted from it, cannot be timed" if untimed else ""),
            event,
        )
        implied = CaseEvent(event.date, transition.event, {}, event.index)
        return self._take(state, step, implied, implied=True)

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
        return self._error(
            event.index,
            "event-not-allowed",
            f"`{event.event}` on {event.date.isoformat()} is not allowed in state `{state}`, and no step the records may lack leads to where it is; allowed there: {', '.join(allowed) or 'nothing'}",
        )

    # -- what events do to deadlines ---------------------------------------------------------------

    def _out_of_time(self, event: Any, clock: _Clock) -> None:
        """A window met after it closed: accepted, with a warning."""
        late = self.calendar.between(clock.due, event.date)  # type: ignore[arg-type]
        self.warn(
            "out-of-time",
            f"{event.event} on {event.date.isoformat()} came {late} working day{'s' * (late != 1)} after the {clock.plan.id} window closed on {clock.due.isoformat()}; the council may still accept it",  # type: ignore[union-attr]
            event,
        )

    def _extend(self, event: Any, extensions: tuple[tuple[Deadline, Extension, int], ...]) -> None:
        clocks, day = self.clocks, event.date
        for deadline, extension, maximum in extensions:
            clock = clocks.get(deadline.id)
            if clock is None:  # agreed before the limit starts (before the statement, say)
                self._remember(deadline, event, (deadline, extension, maximum))
                continue
            if clock.met_on is not None or clock.stopped_on is not None or clock.amount is None:
                continue
            asked = event.fields.get("limit", maximum) if event.fields else maximum
            if clock.due is not None and day > clock.due:
                self.warn(
                    "late-extension",
                    f"`{event.event}` on {event.date.isoformat()} extends `{deadline.id}` after its limit had passed on {clock.due.isoformat()}; set aside, so the duty stays late",
                    event,
                )
                continue
            if asked > maximum:
                self.warn(
                    "extension-beyond-maximum",
                    f"`{event.event}` asks for {asked} {_units(deadline)}, beyond the maximum of {maximum} for `{deadline.id}`; capped at {maximum}",
                    event,
                    "limit",
                )
                asked = maximum
            if asked < clock.amount:
                self.warn(
                    "extension-shortened",
                    f"`{event.event}` gives {asked} {_units(deadline)}, shorter than the {clock.amount} `{deadline.id}` already has; the longer limit stands",
                    event,
                    "limit",
                )
                continue
            clock.extension = extension
            if asked != clock.amount:  # a repeated extension to the same limit changes nothing
                clock.amount = asked
                clock.due = clock.plan.due(clock.start, asked)

    def _remember(self, deadline: Deadline, event: Any, extension: Any) -> None:
        """An event recorded for a deadline that has not started yet: an extension agreed
        before the limit starts, or papers sent before the date they count back from is fixed.
        It is applied when the deadline starts."""
        waiting = self.waiting if self.waiting is not None else {}
        waiting.setdefault(deadline.id, []).append((event, extension))
        self.waiting = waiting

    def _catch_up(self, plan: Plan) -> None:
        """Apply what was recorded for `plan`'s deadline before it started."""
        clock = self.clocks[plan.id]
        for event, extension in (self.waiting or {}).pop(plan.id, []):
            if extension is not None:
                self._extend(event, (extension,))
            elif clock.met_on is None and clock.stopped_on is None:
                clock.met_on = event.date

    def _end(self, state: str | None, target: str, event: Any) -> None:
        ended_already = state in self.tables.ends
        self.ended_on = event.date
        if not ended_already:
            self.before_end = state
        ending = self.tables.ends[target]
        if ending == REFERRED and not ended_already:
            overdue = [
                c.plan.id for c in self.clocks.values() if c.plan.duty and c.overdue_on(event.date)
            ]
            if not overdue:
                self.warn(
                    "premature-referral",
                    f"referred to the Ombudsman on {event.date.isoformat()} before the council's procedure had finished and with no council duty overdue; the Ombudsman will usually send it back",
                    event,
                )
        for clock in self.clocks.values():
            if clock.open_on(event.date):
                clock.stopped_on = event.date

    def _start(self, event: Any, plan: Plan) -> None:
        """Start a deadline that counts from a date the event gives, or that the case's facts
        may lengthen (those that need neither are started in `run`)."""
        start = event.date
        if plan.anchor_field:
            value = event.fields.get(plan.anchor_field)
            start = (
                dt.date.fromisoformat(value)
                if isinstance(value, str)
                else value
                if isinstance(value, dt.date)
                else None
            )
            if start is None:
                raise self._error(
                    event.index,
                    "missing-key",
                    f"`{event.event}` must give `{plan.anchor_field}`: `{plan.id}` counts back from it",
                )
        clock = _Clock(plan, start, None)
        if plan.conditional:
            case = self.case
            clock.amount, clock.extension = plan.lengthened.get(
                case.facts, case.events[0].date, lengthened, plan, self.procedure, case
            )
        if clock.amount is not None:
            clock.due = plan.due(start, clock.amount)
        self.clocks[plan.id] = clock

    def _result(self, state: str) -> Result:
        procedure, calendar, as_of = self.procedure, self.calendar, self.as_of
        explain, unrecorded = self.explain, self.unrecorded
        keyed: list[tuple[dt.date, str, DeadlineResult]] = []
        for clock in self.clocks.values():
            plan, due, met_on, stopped = clock.plan, clock.due, clock.met_on, clock.stopped_on
            late = remaining = latest = None
            if stopped is not None:  # the case moved past it while it was open
                late_then = plan.duty and due is not None and due < stopped
                if met_on is None and not plan.duty and due is not None and due < stopped:
                    status = LAPSED  # a window that had closed unused before the case moved on
                elif met_on is None:
                    status = MISSED if late_then else CANCELLED
                    if late_then:  # lateness frozen on the day it stopped counting
                        late = calendar.between(due, stopped)  # type: ignore[arg-type]
                elif due is None or met_on <= due:
                    status, late = MET, 0
                else:
                    status = MISSED
                    late = calendar.between(due, stopped if late_then else met_on)
            elif met_on is not None:
                if plan.id in unrecorded:
                    status, latest, met_on = UNRECORDED, met_on, None
                elif due is None or met_on <= due:
                    status, late = MET, 0
                else:
                    status, late = MISSED, calendar.between(due, met_on)
            elif due is None:
                status = PENDING
            elif due < as_of:
                if plan.duty:
                    status, late = OVERDUE, calendar.between(due, as_of)
                else:
                    status = LAPSED
            else:
                status = PENDING
                remaining = calendar.between(as_of, due)
            amount = clock.amount
            limit = plan.limit_text if amount == plan.amount else plan.extended_to(amount)
            # Made as a plain tuple of all its fields: a named tuple's own constructor costs
            # twice as much, which tells over a caseload.
            result = _new(
                DeadlineResult,
                (
                    plan.id,
                    plan.kind,
                    plan.anchor,
                    clock.start,
                    due,
                    clock.extension is not None,
                    met_on,
                    status,
                    late,
                    remaining,
                    limit,
                    plan.sources,
                    self._explain(clock) if explain else None,
                    latest,
                ),
            )
            keyed.append((due or _LAST, plan.id, result))
        if len(keyed) > 1:
            keyed.sort()  # by due date, then id (ids differ, so results are never compared)
        deadlines = [result for _, _, result in keyed]
        tables = self.tables
        next_events = tables.next_events.get(state, ())
        if state in tables.guarded:
            next_events = tuple(
                t.event
                for t in tables.allowed[state]
                if not t.when_overdue
                or (
                    (guard := self.clocks.get(t.when_overdue)) is not None
                    and self._open(t, guard, as_of)
                )
            )
        eligibility = tables.decide(procedure, self.case)
        if eligibility.decision == "redirect":
            # Not a complaint for this procedure, so none of its time limits run.
            deadlines = [
                d._replace(status=CANCELLED, working_days_late=None, working_days_remaining=None)
                for d in deadlines
            ]
            self.warnings.append(
                CaseWarning(
                    "redirected",
                    f"this is not a complaint for {procedure.id}: rule {next(r.rule for r in eligibility.reasons if r.route == eligibility.route)} sends it to {eligibility.route}, so none of this procedure's time limits apply",
                    self.case.events[0].event,
                    self.case.received,
                )
            )
        current = procedure.states[state]
        return _new(
            Result,
            (
                self.case.id,
                procedure.id,
                procedure.version,
                as_of,
                current.end or "open",
                current.end or current.stage or "",
                state,
                tuple(deadlines),
                next_events,
                tuple(self.warnings),
                tuple(
                    [
                        (e.date, e.event)
                        for e in (
                            self.events
                            if self.replayed == len(self.events)
                            else self.events[: self.replayed]
                        )
                    ]
                ),
                eligibility,
            ),
        )

    def _explain(self, clock: _Clock) -> str:
        deadline, due = clock.plan.deadline, clock.due
        if due is None:
            return f"no due date: {deadline.limit.unstated}"
        amount = str(deadline.limit.with_amount(clock.amount or 0))
        event = self.procedure.events.get(deadline.anchor)
        anchor = event.noun if event is not None and event.noun else f"`{deadline.anchor}`"
        if clock.extension is not None:
            reason = (
                describe(clock.extension.when)
                if clock.extension.when is not None
                else f"`{clock.extension.event}`"
            )
            amount += f" (extended from {deadline.limit.amount} by {reason})"
        if deadline.before:
            where = f"before the {deadline.anchor_field.replace('_', ' ') if deadline.anchor_field else 'date'} of {clock.start.isoformat()}"
            low, high = due, clock.start
        else:
            where = f"after {anchor} on {clock.start.isoformat()}"
            low, high = clock.start, due
        skipped = (
            [
                d.name
                for d in self.calendar.non_working_days(
                    low + dt.timedelta(days=1), high, weekends=False
                )
            ]
            if high > low
            else []
        )
        skipping = (
            f", skipping {_and(skipped)}"
            if skipped and deadline.limit.unit == "working-days"
            else ""
        )
        return f"due {due.isoformat()}: {amount} {where}{skipping}"


def _units(deadline: Deadline) -> str:
    """The deadline's unit in words, for several: `working days`."""
    return deadline.limit.with_amount(2).unit_words()


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


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


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
