"""Replay a case's events through a compiled procedure and say where it stands on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .case import Case, CaseError, _Plain, check_against
from .compiler import CompiledProcedure, derived
from .conditions import describe, holds
from .diagnostics import Diagnostic
from .eligibility import case_context
from .model import Deadline, Extension, Transition
from .results import (
    CANCELLED,
    LAPSED,
    MET,
    MISSED,
    OVERDUE,
    PENDING,
    CaseWarning,
    DeadlineResult,
    Result,
)
from .stage_graph import REFERRED, WITHDRAWN
from .working_days import CalendarError

RESOLVED = "resolved"


class _Tables:
    """Look-ups a procedure's replay needs, made once per compiled procedure."""

    def __init__(self, procedure: CompiledProcedure) -> None:
        self.moves: dict[tuple[str, str], Transition] = {
            (t.source, t.event): t for t in procedure.transitions
        }
        self.allowed: dict[str, list[Transition]] = {}
        for t in procedure.transitions:
            self.allowed.setdefault(t.source, []).append(t)
        self.starts: dict[str, list[Deadline]] = {}
        self.meets: dict[str, list[Deadline]] = {}
        self.extends: dict[str, list[tuple[Deadline, Extension]]] = {}
        for d in procedure.deadlines.values():
            self.starts.setdefault(d.anchor, []).append(d)
            for event in d.met_by:
                self.meets.setdefault(event, []).append(d)
            for e in d.extensions:
                if e.event:
                    self.extends.setdefault(e.event, []).append((d, e))
        self.ends = {s.id: s.end for s in procedure.states.values() if s.end}
        self.limit_text = {d.id: str(d.limit) for d in procedure.deadlines.values()}
        self.conditional = {
            d.id: [e for e in d.extensions if e.when is not None]
            for d in procedure.deadlines.values()
        }


class _Clock:
    """One started deadline during replay."""

    __slots__ = (
        "deadline",
        "start",
        "amount",
        "extension",
        "due",
        "met_on",
        "ended_on",
        "cancelled",
    )

    def __init__(self, deadline: Deadline, start: dt.date) -> None:
        self.deadline = deadline
        self.start = start
        self.amount = deadline.limit.amount
        self.extension: Extension | None = None
        self.due: dt.date | None = None
        self.met_on: dt.date | None = None
        self.ended_on: dt.date | None = None  # the case ended while this was overdue
        self.cancelled = False

    def open_on(self, day: dt.date) -> bool:
        return self.met_on is None and not self.cancelled and self.ended_on is None

    def overdue_on(self, day: dt.date) -> bool:
        return self.open_on(day) and self.due is not None and self.due < day


def evaluate(
    procedure: CompiledProcedure,
    case: Case,
    as_of: dt.date | None = None,
    *,
    explain: bool = False,
    checked: bool = False,
) -> Result:
    """Replay `case` through `procedure` and report where it stands on `as_of` (default today).

    Events after `as_of` have not happened yet and are left out. Raises CaseError, located at the
    event concerned, for an event the procedure does not allow where it comes."""
    as_of = as_of or dt.date.today()
    if not checked:
        check_against(case, procedure)
    locate = case.where or _Plain(case.id)
    if case.received < procedure.effective:
        raise CaseError(
            [
                locate.diagnostic(
                    ("events", 0, "date"),
                    "not-in-force",
                    f"`{procedure.id}` version {procedure.version} takes effect on {procedure.effective.isoformat()}, after this complaint was received on {case.received.isoformat()}",
                )
            ]
        )
    if as_of < case.received:
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
        return _Replay(procedure, case, as_of, explain, locate).run()
    except CalendarError as exc:
        raise CaseError([locate.diagnostic(("events",), "outside-calendar", str(exc))]) from None


class _Replay:
    def __init__(
        self, procedure: CompiledProcedure, case: Case, as_of: dt.date, explain: bool, locate: Any
    ) -> None:
        self.procedure = procedure
        self.tables = derived(procedure, _Tables)
        self.calendar = procedure.calendar
        self.case = case
        self.as_of = as_of
        self.explain = explain
        self.locate = locate
        self.clocks: dict[str, _Clock] = {}
        self.warnings: list[CaseWarning] = []
        self.replayed: list[tuple[dt.date, str]] = []
        self.ended_on: dt.date | None = None

    def _error(self, index: int, code: str, message: str, field: str = "event") -> CaseError:
        diagnostic: Diagnostic = self.locate.diagnostic(("events", index, field), code, message)
        return CaseError([diagnostic])

    def run(self) -> Result:
        procedure, tables = self.procedure, self.tables
        meets, extends, starts, ends = tables.meets, tables.extends, tables.starts, tables.ends
        state: str | None = None
        as_of, replayed = self.as_of, self.replayed
        for event in self.case.events:
            if event.date > as_of:
                break
            name = event.event
            replayed.append((event.date, name))
            if state is None:
                if name != procedure.start_event:
                    raise self._error(
                        event.index,
                        "first-event",
                        f"a case starts with `{procedure.start_event}`, not `{name}` on {event.date.isoformat()}",
                    )
                target = procedure.start_state
            else:
                target = self._move(state, event)
                if target == state and state in ends:
                    self._after_end(state, event)
            if name in meets:
                self._meet(event)
            if name in extends:
                self._extend(event)
            if target in ends and (state is None or state not in ends):
                self._end(state, target, event)
            if name in starts:
                self._start(event)
            state = target
        if state is None:  # unreachable: `evaluate` refuses an as_of before receipt
            raise self._error(
                0, "as-of-before-receipt", "no event had happened by the date asked about"
            )
        return self._result(state)

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
        self.warnings.append(
            CaseWarning(
                "events-after-end",
                f"{event.event} on {event.date.isoformat()} is recorded after the case ended ({self.tables.ends[state]}{ended}); check the record",
                event.event,
                event.date,
            )
        )

    def _move(self, state: str, event: Any) -> str:
        transition = self.tables.moves.get((state, event.event))
        if transition is None:
            allowed = [
                f"{t.event} (once {t.when_overdue} is overdue)" if t.when_overdue else t.event
                for t in self.tables.allowed.get(state, [])
            ]
            raise self._error(
                event.index,
                "event-not-allowed",
                f"`{event.event}` on {event.date.isoformat()} is not allowed in state `{state}`; allowed there: {', '.join(allowed) or 'nothing'}",
            )
        guard = transition.when_overdue
        if guard:
            clock = self.clocks.get(guard)
            if clock is None or not clock.overdue_on(event.date):
                due = f" (due {clock.due.isoformat()})" if clock and clock.due else ""
                raise self._error(
                    event.index,
                    "event-not-allowed",
                    f"`{event.event}` on {event.date.isoformat()} is allowed in state `{state}` only once `{guard}` is overdue{due}",
                )
            self.warnings.append(
                CaseWarning(
                    "escalated-on-delay",
                    f"{event.event} while {guard} was overdue (due {clock.due.isoformat() if clock.due else '?'})",
                    event.event,
                    event.date,
                )
            )
        return transition.target

    def _meet(self, event: Any) -> None:
        for deadline in self.tables.meets.get(event.event, ()):
            clock = self.clocks.get(deadline.id)
            if clock is None or not clock.open_on(event.date):
                continue
            clock.met_on = event.date
            if deadline.kind == "window" and clock.due is not None and event.date > clock.due:
                late = self.calendar.between(clock.due, event.date)
                self.warnings.append(
                    CaseWarning(
                        "out-of-time",
                        f"{event.event} on {event.date.isoformat()} came {late} working day{'s' * (late != 1)} after the {deadline.id} window closed on {clock.due.isoformat()}; the council may still accept it",
                        event.event,
                        event.date,
                    )
                )

    def _extend(self, event: Any) -> None:
        for deadline, extension in self.tables.extends.get(event.event, ()):
            clock = self.clocks.get(deadline.id)
            if clock is None or not clock.open_on(event.date) or clock.amount is None:
                continue
            maximum = extension.maximum.amount or 0
            asked = event.fields.get("limit", maximum)
            if asked > maximum:
                raise self._error(
                    event.index,
                    "extension-too-long",
                    f"`{event.event}` asks for {asked} {deadline.limit.unit}, beyond the maximum of {maximum} for `{deadline.id}`",
                    "limit",
                )
            if asked < clock.amount:
                raise self._error(
                    event.index,
                    "extension-too-long",
                    f"`{event.event}` gives {asked} {deadline.limit.unit}, shorter than the {clock.amount} `{deadline.id}` already has",
                    "limit",
                )
            clock.amount = asked
            clock.extension = extension
            clock.due = self._due(deadline, clock.start, asked)

    def _end(self, state: str | None, target: str, event: Any) -> None:
        self.ended_on = event.date
        ending = self.tables.ends[target]
        if ending == REFERRED:
            overdue = [
                c.deadline.id
                for c in self.clocks.values()
                if c.deadline.kind == "duty" and c.overdue_on(event.date)
            ]
            if not overdue:
                self.warnings.append(
                    CaseWarning(
                        "premature-referral",
                        f"referred to the Ombudsman on {event.date.isoformat()} before the council's procedure had finished and with no council duty overdue; the Ombudsman will usually send it back",
                        event.event,
                        event.date,
                    )
                )
        for clock in self.clocks.values():
            if clock.open_on(event.date):
                if (
                    clock.due is not None
                    and clock.due < event.date
                    and clock.deadline.kind == "duty"
                ):
                    clock.ended_on = event.date  # stays overdue: late is late
                else:
                    clock.cancelled = True

    def _start(self, event: Any) -> None:
        for deadline in self.tables.starts.get(event.event, ()):
            existing = self.clocks.get(deadline.id)
            if existing is not None and existing.met_on is not None:
                continue  # already met; a repeated event does not start it again
            start = event.date
            if deadline.anchor_field:
                value = event.fields.get(deadline.anchor_field)
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
                        f"`{event.event}` must give `{deadline.anchor_field}`: `{deadline.id}` counts back from it",
                    )
            clock = _Clock(deadline, start)
            conditional = self.tables.conditional[deadline.id]
            # The same context as the eligibility rules, so a date test counts from receipt.
            context = case_context(self.procedure, self.case) if conditional else None
            for extension in conditional:
                applies = extension.when is not None and holds(
                    extension.when, self.case.facts, context
                )
                if (
                    applies
                    and clock.amount is not None
                    and (extension.maximum.amount or 0) > clock.amount
                ):
                    clock.amount = extension.maximum.amount
                    clock.extension = extension
            if clock.amount is not None:
                clock.due = self._due(deadline, start, clock.amount)
            self.clocks[deadline.id] = clock

    def _due(self, deadline: Deadline, start: dt.date, amount: int) -> dt.date:
        if deadline.limit.unit == "working-days" and not deadline.before:
            return self.calendar.add(start, amount)
        return self.calendar.shift(
            start, amount, deadline.limit.unit or "working-days", before=deadline.before
        )

    def _result(self, state: str) -> Result:
        procedure, calendar, as_of = self.procedure, self.calendar, self.as_of
        deadlines = []
        for clock in self.clocks.values():
            deadline, due = clock.deadline, clock.due
            late = remaining = None
            if clock.met_on is not None:
                status = MET if due is None or clock.met_on <= due else MISSED
                late = 0 if status == MET else calendar.between(due, clock.met_on)  # type: ignore[arg-type]
            elif clock.cancelled:
                status = CANCELLED
            elif due is None:
                status = PENDING
            elif due < as_of:
                status = OVERDUE if deadline.kind == "duty" else LAPSED
                late = (
                    calendar.between(due, min(as_of, clock.ended_on or as_of))
                    if deadline.kind == "duty"
                    else None
                )
            else:
                status = PENDING
                remaining = calendar.between(as_of, due)
            limit = (
                self.tables.limit_text[deadline.id]
                if clock.amount == deadline.limit.amount or clock.amount is None
                else str(deadline.limit.with_amount(clock.amount))
            )
            deadlines.append(
                DeadlineResult(
                    deadline.id,
                    deadline.kind,
                    deadline.anchor,
                    clock.start,
                    due,
                    clock.extension is not None,
                    clock.met_on,
                    status,
                    late,
                    remaining,
                    limit,
                    deadline.sources,
                    self._explain(clock) if self.explain else None,
                )
            )
        deadlines.sort(key=lambda d: (d.due or dt.date.max, d.id))
        current = procedure.states[state]
        next_events = tuple(
            t.event
            for t in self.tables.allowed.get(state, [])
            if not t.when_overdue
            or (
                self.clocks.get(t.when_overdue) is not None
                and self.clocks[t.when_overdue].overdue_on(as_of)
            )
        )
        from .eligibility import decide_case

        eligibility = decide_case(procedure, self.case)
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
        return Result(
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
            tuple(self.replayed),
            eligibility,
        )

    def _explain(self, clock: _Clock) -> str:
        deadline, due = clock.deadline, clock.due
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


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def evaluate_data(
    procedure: CompiledProcedure,
    case: Mapping[str, Any],
    as_of: dt.date | None = None,
    *,
    explain: bool = False,
) -> Result:
    """`evaluate` for a case given as plain data, as other systems hold it."""
    from .case import case_from_data

    return evaluate(procedure, case_from_data(case), as_of, explain=explain)


__all__ = ["RESOLVED", "WITHDRAWN", "evaluate", "evaluate_data"]
