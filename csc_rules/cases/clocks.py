"""A case's deadlines during replay: each started one's clock, what events do to it (start, extend,
meet out of time, wait for it to start), and where each stands on the as-of date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from ..language.conditions import for_stage
from ..language.model import Deadline, Extension
from .grounds import on_ground
from .replay_tables import Plan, lengthened
from .results import (
    CANCELLED,
    LAPSED,
    MET,
    MISSED,
    NOT_TIMED,
    OVERDUE,
    PENDING,
    UNRECORDED,
    Bound,
    DeadlineResult,
)
from .wording import explanation, units

if TYPE_CHECKING:
    from ..calendars.working_days import WorkingCalendar
    from ..errors import CaseError
    from ..language.model import Transition
    from ..procedures.compiler import CompiledProcedure
    from .case import Case

_LAST = dt.date.max  # where a deadline with no due date sorts
_new = tuple.__new__

# An extension waiting for its deadline to start: the deadline, the extension, its maximum.
Waiting = tuple[Deadline, Extension, int]


class Clock:
    """One started deadline during replay."""

    __slots__ = (
        "plan",
        "start",
        "amount",
        "extension",
        "due",
        "met_on",
        "stopped_on",
        "bound",
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
        # Counted from an event the records lack: `start` and `due` are then those of the chain
        # of limits that bounds it from the last recorded event (see `unrecorded.start_bounded`).
        self.bound: Bound | None = None

    def open_on(self, day: dt.date) -> bool:
        return self.met_on is None and self.stopped_on is None

    def overdue_on(self, day: dt.date) -> bool:
        return self.open_on(day) and self.due is not None and self.due < day

    def opens(self, transition: Transition, calendar: WorkingCalendar) -> dt.date | None:
        """The last day before a move this deadline guards opens: its due date, or the end of
        the transition's own `overdue_after` counted from its start."""
        after = transition.overdue_after
        if after is None:
            return self.due
        return calendar.shift(self.start, after.amount, after.unit)  # type: ignore[arg-type]

    def lets_through(self, transition: Transition, day: dt.date, calendar: WorkingCalendar) -> bool:
        """Whether a move this deadline guards is open on `day`: still unanswered, and overdue."""
        opens = self.opens(transition, calendar)
        return self.open_on(day) and opens is not None and opens < day


class Replay(Protocol):
    """What keeping the clocks asks of the replay: the case, its clocks, what waits for a
    deadline to start, and a way to warn and to refuse an event."""

    procedure: CompiledProcedure
    case: Case
    calendar: WorkingCalendar
    clocks: dict[str, Clock]
    waiting: dict[str, list[tuple[Any, Waiting | None]]] | None

    def warn(self, code: str, message: str, event: Any, field: str = "event") -> None: ...

    def error(self, index: int, code: str, message: str, field: str = "event") -> CaseError: ...


# -- what events do to deadlines -------------------------------------------------------------------


def start(replay: Replay, event: Any, plan: Plan) -> None:
    """Start a deadline that counts from a date the event gives, or that the case's facts
    may lengthen (those that need neither are started in the replay's loop)."""
    day = event.date
    if plan.anchor_field:
        value = event.fields.get(plan.anchor_field)
        day = (
            dt.date.fromisoformat(value)
            if isinstance(value, str)
            else value
            if isinstance(value, dt.date)
            else None
        )
        if day is None:
            raise replay.error(
                event.index,
                "missing-key",
                f"`{event.event}` must give `{plan.anchor_field}`: `{plan.id}` counts back from it",
            )
    clock = Clock(plan, day, None)
    if plan.conditional:
        case = replay.case
        if not case.facts:
            found = plan.factless
            if found is None:
                found = plan.factless = lengthened(plan, replay.procedure, case)
            clock.amount, clock.extension = found
        else:
            clock.amount, clock.extension = plan.lengthened.get(
                for_stage(case.facts, *plan.stages),
                case.events[0].date,
                lengthened,
                plan,
                replay.procedure,
                case,
            )
    if clock.amount is not None:
        clock.due = plan.due(day, clock.amount)
    replay.clocks[plan.id] = clock


def extend(replay: Replay, event: Any, extensions: tuple[Waiting, ...]) -> None:
    """Apply the extensions `event` records; one that comes too late, asks for more than the
    maximum or less than the limit already has is warned about."""
    clocks, day = replay.clocks, event.date
    for deadline, extension, maximum in extensions:
        clock = clocks.get(deadline.id)
        if clock is None:  # agreed before the limit starts (before the statement, say)
            remember(replay, deadline, event, (deadline, extension, maximum))
            continue
        if clock.met_on is not None or clock.stopped_on is not None or clock.amount is None:
            continue
        if (
            clock.bound is not None
        ):  # timed by its longest limit already (`unrecorded.start_bounded`)
            continue
        asked = event.fields.get("limit", maximum) if event.fields else maximum
        if clock.due is not None and day > clock.due:
            replay.warn(
                "late-extension",
                f"`{event.event}` on {event.date.isoformat()} extends `{deadline.id}` after its limit had passed on {clock.due.isoformat()}; set aside, so the duty stays late",
                event,
            )
            continue
        if not on_ground(replay, event, deadline, extension, clock):
            continue
        if asked > maximum:
            replay.warn(
                "extension-beyond-maximum",
                f"`{event.event}` asks for {asked} {units(deadline)}, beyond the maximum of {maximum} for `{deadline.id}`; capped at {maximum}",
                event,
                "limit",
            )
            asked = maximum
        if asked < clock.amount:
            replay.warn(
                "extension-shortened",
                f"`{event.event}` gives {asked} {units(deadline)}, shorter than the {clock.amount} `{deadline.id}` already has; the longer limit stands",
                event,
                "limit",
            )
            continue
        clock.extension = extension
        if asked != clock.amount:  # a repeated extension to the same limit changes nothing
            clock.amount = asked
            clock.due = clock.plan.due(clock.start, asked)


def remember(replay: Replay, deadline: Deadline, event: Any, extension: Waiting | None) -> None:
    """An event recorded for a deadline that has not started yet: an extension agreed
    before the limit starts, or papers sent before the date they count back from is fixed.
    It is applied when the deadline starts."""
    waiting = replay.waiting if replay.waiting is not None else {}
    waiting.setdefault(deadline.id, []).append((event, extension))
    replay.waiting = waiting


def catch_up(replay: Replay, plan: Plan) -> None:
    """Apply what was recorded for `plan`'s deadline before it started."""
    clock = replay.clocks[plan.id]
    for event, extension in (replay.waiting or {}).pop(plan.id, []):
        if extension is not None:
            extend(replay, event, (extension,))
        elif clock.met_on is None and clock.stopped_on is None:
            clock.met_on = event.date


def out_of_time(replay: Replay, event: Any, clock: Clock) -> None:
    """A window met after it closed: accepted, with a warning."""
    late = replay.calendar.between(clock.due, event.date)  # type: ignore[arg-type]
    replay.warn(
        "out-of-time",
        f"{event.event} on {event.date.isoformat()} came {late} working day{'s' * (late != 1)} after the {clock.plan.id} window closed on {clock.due.isoformat()}; the council may still accept it",  # type: ignore[union-attr]
        event,
    )


# -- where the deadlines stand ---------------------------------------------------------------------


def standing(
    clocks: Iterable[Clock],
    as_of: dt.date,
    procedure: CompiledProcedure,
    unrecorded: frozenset[str],
    explain: bool,
) -> list[DeadlineResult]:
    """Each deadline as it stands on `as_of`, by due date (none last), then id."""
    calendar = procedure.calendar
    keyed: list[tuple[dt.date, str, DeadlineResult]] = []
    for clock in clocks:
        plan, due, met_on = clock.plan, clock.due, clock.met_on
        late = remaining = latest = None
        stopped = clock.stopped_on
        if stopped is not None:  # the case moved past it while it was open
            status, late = _when_stopped(clock, stopped, calendar)
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
        bound = clock.bound
        if bound is not None:  # no lateness is proved by a day within the bound
            if status == MET:
                status, late = NOT_TIMED, None
            limit = f"at most {bound.working_days} working days from {bound.since}"
            sources = (*bound.sources, *plan.sources)
        elif clock.amount == plan.amount:
            limit, sources = plan.limit_text, plan.sources
        else:
            limit, sources = plan.extended_to(clock.amount), plan.sources
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
                sources,
                explanation(clock, procedure) if explain else None,
                latest,
                bound,
            ),
        )
        keyed.append((due or _LAST, plan.id, result))
    if len(keyed) > 1:
        keyed.sort()  # by due date, then id (ids differ, so results are never compared)
    return [result for _, _, result in keyed]


def _when_stopped(
    clock: Clock, stopped: dt.date, calendar: WorkingCalendar
) -> tuple[str, int | None]:
    """The status and working days late of a deadline the case moved past on `stopped` while
    it was open: a duty already late then is late to that day, even if answered after."""
    plan, due, met_on = clock.plan, clock.due, clock.met_on
    late_then = plan.duty and due is not None and due < stopped
    if met_on is None and not plan.duty and due is not None and due < stopped:
        return LAPSED, None  # a window that had closed unused before the case moved on
    if met_on is None:
        if late_then:  # lateness frozen on the day it stopped counting
            return MISSED, calendar.between(due, stopped)  # type: ignore[arg-type]
        return CANCELLED, None
    if due is None or met_on <= due:
        return MET, 0
    return MISSED, calendar.between(due, stopped if late_then else met_on)
