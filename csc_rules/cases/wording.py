"""How replay words what it finds: a due date explained (what `explain` adds to each deadline),
and a limit's units for the warnings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .._words import joined
from ..language.conditions import describe
from ..language.model import Deadline

if TYPE_CHECKING:
    from ..procedures.compiler import CompiledProcedure
    from .clocks import Clock
    from .results import Bound


def explanation(clock: Clock, procedure: CompiledProcedure) -> str:
    """`due 2025-03-03: 20 working days (extended from 10 by ...) after the complaint on
    2025-02-03, skipping ...`: how a deadline's due date was counted."""
    deadline, due = clock.plan.deadline, clock.due
    if due is None:
        return f"no due date: {deadline.limit.unstated}"
    if clock.bound is not None:
        return _bounded(clock, clock.bound, procedure, due)
    amount = str(deadline.limit.with_amount(clock.amount or 0))
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
        event = procedure.events.get(deadline.anchor)
        anchor = event.noun if event is not None and event.noun else f"`{deadline.anchor}`"
        where = f"after {anchor} on {clock.start.isoformat()}"
        low, high = clock.start, due
    skipped = _holidays(procedure, low, high)  # counted for every unit: it checks the calendar
    working = skipped and deadline.limit.unit == "working-days"
    skipping = f", skipping {joined(skipped, 'and')}" if working else ""
    return f"due {due.isoformat()}: {amount} {where}{skipping}"


def _bounded(clock: Clock, bound: Bound, procedure: CompiledProcedure, due: dt.date) -> str:
    """How the latest due date of a deadline counted from an unrecorded event was counted."""
    whose = "" if bound.procedure == procedure.id else f" of {bound.procedure}"
    skipped = _holidays(procedure, clock.start, due)
    skipping = f", skipping {joined(skipped, 'and')}" if skipped else ""
    return (
        f"due {due.isoformat()} at the latest: `{clock.plan.anchor}` is not recorded, so it is "
        f"counted through the limits{whose} ({', then '.join(bound.duties)}), at most "
        f"{bound.working_days} working days after `{bound.since}` on {clock.start.isoformat()}{skipping}"
    )


def _holidays(procedure: CompiledProcedure, low: dt.date, high: dt.date) -> list[str]:
    """The names of the holidays and closures after `low`, up to and including `high`."""
    if high <= low:
        return []
    days = procedure.calendar.non_working_days(low + dt.timedelta(days=1), high, weekends=False)
    return [day.name for day in days]


def units(deadline: Deadline) -> str:
    """The deadline's unit in words, for several: `working days`."""
    return deadline.limit.with_amount(2).unit_words()
