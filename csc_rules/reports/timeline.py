"""A case's result as a timeline a complaints officer can read: each event, then the deadlines it
started, with their due dates, status and source."""

from __future__ import annotations

import datetime as dt

from ..cases.results import MISSED, OVERDUE, PENDING, UNRECORDED, DeadlineResult, Result


def _days(n: int) -> str:
    return f"{n} working day{'s' * (n != 1)}"


def _status(deadline: DeadlineResult) -> str:
    if deadline.status == MISSED:
        done = f"done {deadline.done_on}" if deadline.done_on else "not done when the case moved on"
        return f"missed by {_days(deadline.working_days_late or 0)} ({done})"
    if deadline.status == UNRECORDED:
        return f"unrecorded (done by {deadline.latest_done_on} at the latest)"
    if deadline.status == OVERDUE:
        return f"overdue by {_days(deadline.working_days_late or 0)}"
    if deadline.status == PENDING and deadline.working_days_remaining is not None:
        return f"pending, {_days(deadline.working_days_remaining)} left"
    if deadline.done_on is not None:
        return f"{deadline.status} (done {deadline.done_on})"
    return deadline.status


def _started_by(result: Result, deadline: DeadlineResult) -> int:
    """The index of the replayed event that started `deadline`: the last one of its anchor event
    on the date it counts from, else (a limit before a date it carries) the last one at all."""
    # counted from an event the records lack: placed at the recorded one its bound counts from
    anchor = deadline.bound.since if deadline.bound is not None else deadline.anchor
    candidates = [i for i, (_, event) in enumerate(result.events) if event == anchor]
    exact = [i for i in candidates if result.events[i][0] == deadline.start]
    return (exact or candidates or [0])[-1]


def timeline(result: Result, *, explain: bool = False) -> str:
    out = [
        f"{result.case}  {result.procedure} (version {result.version}), as of {result.as_of}",
        f"{result.status}: {result.stage.replace('-', ' ')}, state {result.state}",
        "",
        f"{'date':<11} {'event':<30} {'deadline':<24} {'due':<11} status",
    ]
    started: dict[int, list[DeadlineResult]] = {}
    for deadline in result.deadlines:
        started.setdefault(_started_by(result, deadline), []).append(deadline)
    for index, (day, event) in enumerate(result.events):
        lead = f"{day.isoformat():<11} {event:<30}"
        rows = started.get(index, [])
        if not rows:
            out.append(lead.rstrip())
        for deadline in rows:
            out.append(f"{lead}{_row(deadline)}")
            lead = " " * len(lead)
            if explain and deadline.explanation:
                out.append(f"{lead}   {deadline.explanation}")
            if deadline.sources:
                out.append(f"{lead}   source: {deadline.sources[0]}")
    if result.targets:  # aims, apart from the duties: never late in law, never a warning
        out += ["", "what the council aims for (not a duty):"]
        out += [f"  {_row(target).lstrip()}" for target in result.targets]
    if result.warnings:
        out.append("")
        out += [f"warning[{w.code}] {w.date}: {w.message}" for w in result.warnings]
    out += ["", "may happen next: " + (", ".join(result.next_events) or "nothing")]
    if result.eligibility is not None:
        from ..cases.eligibility import explain as explain_decision

        out += ["", explain_decision(result.eligibility).rstrip("\n")]
    return "\n".join(out) + "\n"


def _row(deadline: DeadlineResult) -> str:
    due = deadline.due.isoformat() if isinstance(deadline.due, dt.date) else "no limit"
    extended = " (extended)" if deadline.extended else ""
    return f" {deadline.id:<24} {due:<11} {_status(deadline)}{extended}"
