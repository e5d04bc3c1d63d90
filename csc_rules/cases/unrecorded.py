"""Duties counted from an event the records lack, timed by the chain of limits that bounds them.

An implied event (a statement of complaint, an investigation report, see `irregularities`)
happened on a day the records do not give. A duty counted from it cannot be timed from that
day, but the records still bound it: the event came no later than the recorded event that
implies it, and no later than the due date of a duty it meets, unless that duty was late. Where
the procedure's own limits bound nothing (a stage 2 counted from a statement that no duty times),
the statute's chain from the last recorded event does (`CompiledProcedure.statute`).

Such a deadline starts from the day that chain counts from and is due on the latest day it can
have been due: done by then, no lateness is proved (`not-timed`); done later, or not done, the
lateness is the least the records prove, whatever day the unrecorded event happened.

The statute's bound is also kept, unseen, while the event is still to come (`shadow`): a case
waiting for a statement of complaint that is never recorded is late by the statute once that
bound has passed, and a referral then is not premature. It shows only once it proves lateness.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .clocks import Clock
from .results import MISSED, OVERDUE, Bound, CaseWarning, DeadlineResult

if TYPE_CHECKING:
    from .replay_tables import Plan

CODE = "late-whatever-the-date"


def start_bounded(replay: Any, plan: Plan, implied: Any, recorded: Any) -> None:
    """Start `plan`'s deadline, counted from the `implied` event, on the tightest bound the
    records give: from the `recorded` event that implies it, through the duties the implied
    event meets (their due dates, as the case's extensions make them), else by the statute's
    chain kept for it (`shadow`). Its own limit is taken at its longest, so that the lateness
    found holds whatever extension the records lack."""
    if plan.anchor_field or plan.amount is None:
        return  # counted back from a date the event would give, or no limit: nothing bounds it
    amount = plan.deadline.longest.amount or plan.amount
    own = Bound(recorded.event, amount, replay.procedure.id, (plan.id,))
    best = (plan.due(implied.date, amount), own, implied.date)
    for deadline in replay.tables.meets.get(implied.event, ()):
        clock = replay.clocks.get(deadline.id)
        if clock is None or not clock.plan.duty or clock.due is None or clock.bound is not None:
            continue
        if clock.met_on != implied.date or deadline.id not in replay.unrecorded:
            continue  # met by another event: it does not bound this one
        due = plan.due(clock.due, amount)
        if due < best[0]:
            days = replay.calendar.between(clock.start, due)
            best = (
                due,
                Bound(clock.plan.anchor, days, own.procedure, (deadline.id, plan.id)),
                clock.start,
            )
    shadowed = replay.shadowed.pop(plan.id, None) if replay.shadowed else None
    if shadowed is not None and shadowed.due < best[0] and shadowed.stopped_on is None:
        best = (shadowed.due, shadowed.bound, shadowed.start)
    due, bound, since = best
    clock = Clock(plan, since, due)
    clock.amount, clock.bound = amount, bound
    replay.clocks[plan.id] = clock


def shadow(replay: Any, event: Any, bounds: Iterable[tuple[Plan, Bound]]) -> None:
    """Keep the statute's bound for each duty `event` bounds while the event the duty counts
    from is not recorded; the tightest one if several recorded events give one."""
    for plan, bound in bounds:
        if plan.id in replay.clocks:
            continue  # started: timed from its own anchor, or bounded already
        due = replay.calendar.add(event.date, bound.working_days)
        shadowed = replay.shadowed if replay.shadowed is not None else {}
        kept = shadowed.get(plan.id)
        if kept is None or due < kept.due:
            clock = Clock(plan, event.date, due)
            clock.bound = bound
            shadowed[plan.id] = clock
        replay.shadowed = shadowed


def proved_late(
    results: Iterable[DeadlineResult],
) -> Iterator[tuple[DeadlineResult, Bound, dt.date]]:
    """The bounded deadlines that are late whatever day their unrecorded anchor had, each with
    its bound and its (latest) due date."""
    for d in results:
        if d.bound is not None and d.due is not None and d.status in (MISSED, OVERDUE):
            yield d, d.bound, d.due


def warning(
    deadline: DeadlineResult, bound: Bound, due: dt.date, procedure: str, as_of: dt.date
) -> CaseWarning:
    """What a bounded deadline's lateness means, in words."""
    late = deadline.working_days_late or 0
    whose = "this procedure" if bound.procedure == procedure else f"the statute ({bound.procedure})"
    through = ", then ".join(f"`{d}`" for d in bound.duties)
    done = (
        f"was done on {deadline.done_on.isoformat()}"
        if deadline.done_on is not None
        else "was not done when the case moved on"
        if deadline.status == MISSED
        else f"is not done on {as_of.isoformat()}"
    )
    shared = "; the lateness may lie with any duty of the chain" if len(bound.duties) > 1 else ""
    return CaseWarning(
        CODE,
        f"`{deadline.anchor}` is not recorded, but whatever day it happened the council was late: "
        f"`{deadline.id}` {done}, where {whose} allows at most {bound.working_days} working days "
        f"after `{bound.since}` on {deadline.start.isoformat()} ({through}), to {due.isoformat()}: "
        f"at least {late} working day{'s' * (late != 1)} late{shared}",
        deadline.anchor,
        deadline.done_on or as_of,
    )
