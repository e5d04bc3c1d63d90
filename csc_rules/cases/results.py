"""What evaluating a case gives: immutable values (named tuples, cheap to make by the hundred
thousand) with the JSON the CLI prints."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

PENDING, MET, MISSED, OVERDUE, LAPSED, CANCELLED, UNRECORDED, NOT_TIMED = (
    "pending",
    "met",
    "missed",
    "overdue",
    "lapsed",
    "cancelled",
    "unrecorded",  # met by an event the records lack: done by `latest_done_on`, day unknown
    "not-timed",  # done, but counted from an event the records lack: no lateness is proved
)
# How a case ended outside the procedure: the council decided the representation is not a
# complaint for it, or sent it to another route (recorded as an event with its reasons).
INELIGIBLE, REDIRECTED = "ineligible", "redirected"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


class CaseWarning(NamedTuple):
    """Something the council should know: `out-of-time`, `escalated-on-delay`, `premature-referral`."""

    code: str
    message: str
    event: str
    date: dt.date

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "event": self.event,
            "date": self.date.isoformat(),
        }


class Bound(NamedTuple):
    """For a deadline counted from an event the records lack: the chain of limits that bounds
    it from the last recorded event that chain counts from. `due` is then the latest the
    deadline can have been due, its lateness the least the records prove."""

    since: str  # the recorded event the chain counts from
    working_days: int  # the most the chain allows after it
    procedure: str  # whose limits make the chain: the case's procedure, or the statute's
    duties: tuple[str, ...]  # the duties the chain runs through, in order
    sources: tuple[str, ...] = ()  # of the statute's limits, where the statute bounds it

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.since,
            "working_days": self.working_days,
            "procedure": self.procedure,
            "duties": list(self.duties),
        }


class DeadlineResult(NamedTuple):
    """Where one duty, window or target (an aim) stands on the as-of date."""

    id: str
    kind: str  # duty, window or target
    anchor: str  # the event it counts from
    start: dt.date  # the date it counts from (for a limit before an event, that event's date field)
    due: dt.date | None  # None where the documents state no limit
    extended: bool
    done_on: dt.date | None
    status: str
    working_days_late: int | None
    working_days_remaining: int | None
    limit: str
    sources: tuple[str, ...]
    explanation: str | None = None
    latest_done_on: dt.date | None = None  # for `unrecorded`: the latest day it can have been done
    bound: Bound | None = None  # for a deadline counted from an event the records lack

    def to_json(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "kind": self.kind,
            "anchor": self.anchor,
            "from": self.start.isoformat(),
            "due": _iso(self.due),
            "limit": self.limit,
            "extended": self.extended,
            "done_on": _iso(self.done_on),
            "latest_done_on": _iso(self.latest_done_on),
            "status": self.status,
            "working_days_late": self.working_days_late,
            "working_days_remaining": self.working_days_remaining,
            "bound": self.bound.to_json() if self.bound is not None else None,
            "sources": list(self.sources),
        }
        if self.explanation is not None:
            data["explanation"] = self.explanation
        return data


class Result(NamedTuple):
    """A case on a date: its state, every deadline, what may happen next and what went wrong."""

    case: str
    procedure: str
    version: str
    as_of: dt.date
    status: str  # open, resolved, withdrawn, referred-to-ombudsman, ineligible or redirected
    stage: str
    state: str
    deadlines: tuple[DeadlineResult, ...]
    next_events: tuple[str, ...]
    warnings: tuple[CaseWarning, ...]
    events: tuple[tuple[dt.date, str], ...] = ()  # the events replayed, up to the as-of date
    eligibility: Any = None  # an Eligibility: what the procedure's rules decide for the case
    # What the council aims for (kind "target"), each met, missed or pending; never a duty.
    targets: tuple[DeadlineResult, ...] = ()

    def deadline(self, deadline_id: str) -> DeadlineResult:
        return next(d for d in self.deadlines if d.id == deadline_id)

    def target(self, target_id: str) -> DeadlineResult:
        return next(d for d in self.targets if d.id == target_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "procedure": self.procedure,
            "version": self.version,
            "as_of": self.as_of.isoformat(),
            "status": self.status,
            "stage": self.stage,
            "state": self.state,
            "events": [{"date": day.isoformat(), "event": event} for day, event in self.events],
            "deadlines": [d.to_json() for d in self.deadlines],
            "targets": [d.to_json() for d in self.targets],
            "next_events": list(self.next_events),
            "eligibility": self.eligibility.to_json() if self.eligibility is not None else None,
            "warnings": [w.to_json() for w in self.warnings],
        }
