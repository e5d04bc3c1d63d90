"""Where a case stands against what the council aims for (its `targets`): each counted like a
duty, from the first time its anchor event happens to the first event that meets it, and
reported apart from the duties, so that an aim missed is never an irregularity, a warning or a
missed duty."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .results import CANCELLED, MET, MISSED, PENDING, DeadlineResult

if TYPE_CHECKING:
    from ..language.model import Deadline
    from ..procedures.compiler import CompiledProcedure
    from .case import CaseEvent


def aims(
    procedure: CompiledProcedure,
    events: Iterable[CaseEvent],
    as_of: dt.date,
    ended_on: dt.date | None,
) -> tuple[DeadlineResult, ...]:
    """Each target the case has started by `as_of` (its anchor has happened), met, missed,
    pending, or cancelled where the case ended before it was due and unmet."""
    if not procedure.targets:
        return ()
    happened = [e for e in events if e.date <= as_of]
    found = []
    for target in procedure.targets.values():
        result = _aim(procedure, target, happened, as_of, ended_on)
        if result is not None:
            found.append(result)
    return tuple(sorted(found, key=lambda r: (r.due or dt.date.max, r.id)))


def _aim(
    procedure: CompiledProcedure,
    target: Deadline,
    happened: list[CaseEvent],
    as_of: dt.date,
    ended_on: dt.date | None,
) -> DeadlineResult | None:
    place, anchor = next(
        ((i, e) for i, e in enumerate(happened) if e.event == target.anchor), (0, None)
    )
    if anchor is None:
        return None
    start = anchor.date
    if target.anchor_field and isinstance(anchor.fields.get(target.anchor_field), str):
        start = dt.date.fromisoformat(anchor.fields[target.anchor_field])
    calendar = procedure.calendar
    limit = target.limit
    due = (
        calendar.shift(start, limit.amount, limit.unit, before=target.before)  # type: ignore[arg-type]
        if limit.stated
        else None
    )
    done = next((e.date for e in happened[place:] if e.event in target.met_by), None)
    late = remaining = None
    if done is not None:
        status = MET if due is None or done <= due else MISSED
        late = calendar.between(due, done) if status == MISSED and due else 0
    elif due is not None and ended_on is not None and ended_on <= due:
        status = CANCELLED  # the case ended before the aim was due
    elif due is not None and as_of > due:
        status, late = MISSED, calendar.between(due, min(as_of, ended_on or as_of))
    else:
        status = PENDING
        remaining = calendar.between(as_of, due) if due is not None else None
    return DeadlineResult(
        target.id,
        target.kind,
        target.anchor,
        start,
        due,
        False,
        done,
        status,
        late,
        remaining,
        str(limit),
        target.sources,
    )
