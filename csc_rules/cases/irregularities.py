"""What real case records do that the procedure does not foresee, and how replay reads them.

Councils' records are not the procedure: internal steps go unrecorded, extensions run past the
maximum, a complainant asks for the next stage early, an answer comes after the case has moved
on. None of this is bad data. Replay carries on, names each irregularity with a fixed warning
code, and `strict` turns every one of them into an error, for checking records as they are
entered.

An event the procedure does not allow where it comes is offered to the handlers in `HANDLERS`,
in order, as jsonschema offers an instance to its keywords; the first that can explain the event
says what replay does with it. An event that none of them explains is an error naming the event,
the state and what is allowed there: a case is never silently repaired.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .grounds import records_extension

if TYPE_CHECKING:
    from .replay_tables import Step

# Every irregularity, with what replay does about it. These are the codes `strict` refuses.
IRREGULARITIES: dict[str, str] = {
    "implied-event": "an event the records lack is taken to have happened, no later than the recorded event that needs it",
    "extension-beyond-maximum": "an extension past the procedure's maximum is capped at the maximum",
    "extension-shortened": "an extension shorter than the limit already in force is set aside; the longer limit stands",
    "early-request": "a request made before the procedure allows it is accepted, at the council's discretion",
    "late-extension": "an extension first recorded after the limit had passed is set aside: the duty stays late",
    "extension-ground": "an extension on a ground the procedure does not give, with no ground it gives recorded, or where the procedure gives no extension, is set aside: the limit stays as it was",
    "answered-after-escalation": "a duty done after the case moved on is recorded as done; the case does not move back",
    "reopened": "a request made within its window after the case was marked resolved reopens the case",
    "before-first-version": "a case received before the earliest version of its procedure runs under that version",
    "events-after-end": "an event after the case ended is listed and changes nothing",
    "repeated-event": "a second record of an event that happens at most once in a case is listed and changes nothing; the first one stands",
}
IRREGULAR = frozenset(IRREGULARITIES)

# A handler is given the replay, the state and the event. It returns the step to take from the
# state it leaves the replay in, None when the event is accounted for and changes nothing more,
# or NOT_MINE when it cannot explain the event.
NOT_MINE: Any = object()
Handler = Callable[[Any, str, Any], "Step | None"]


def after_the_end(replay: Any, state: str, event: Any) -> Step | None:
    """In an ended case: a request within a window that a resolution cut short reopens it;
    anything else is listed and changes nothing."""
    tables = replay.tables
    if state not in tables.ends:
        return NOT_MINE  # type: ignore[no-any-return]
    reopening = replay.reopening(state, event)
    if reopening is not None:
        return reopening  # type: ignore[no-any-return]
    ended = f" on {replay.ended_on.isoformat()}" if replay.ended_on else ""
    replay.warn(
        "events-after-end",
        f"{event.event} on {event.date.isoformat()} is recorded after the case ended ({tables.ends[state]}{ended}); it changes nothing: check the record",
        event,
    )
    return None


def unrecorded_steps(replay: Any, state: str, event: Any) -> Step | None:
    """Internal steps the records lack: when the shortest run of events the procedure marks as
    possibly unrecorded leads to a state where the event is allowed, they are taken as having
    happened by the event's date."""
    path = replay.tables.implied_path(state, event.event)
    if path is None:
        return NOT_MINE  # type: ignore[no-any-return]
    for transition in path:
        state = replay.imply(state, transition, event)
    return replay.step_from(state, event)  # type: ignore[no-any-return]


def answered_late(replay: Any, state: str, event: Any) -> Step | None:
    """A duty done after the case has moved past it (an answer after escalation): recorded as
    done on its day, and the case stays where it is."""
    done = replay.answer_after_moving_on(event)
    if not done:
        return NOT_MINE  # type: ignore[no-any-return]
    replay.warn(
        "answered-after-escalation",
        f"{event.event} on {event.date.isoformat()} comes after the case had moved on to `{state}`; recorded as doing {', '.join(done)}, and the case stays where it is",
        event,
    )
    return None


def extension_not_given(replay: Any, state: str, event: Any) -> Step | None:
    """An extension recorded where the procedure gives none that the event can make (a council
    that publishes fixed limits): listed, and every limit stays as it was."""
    extends = replay.tables.actions.get(event.event, ((), (), ()))[1]
    if extends or not records_extension(replay.procedure, event.event):
        return NOT_MINE  # type: ignore[no-any-return]
    replay.warn(
        "extension-ground",
        f"`{event.event}` on {event.date.isoformat()} records an extension, but {replay.procedure.id} gives no extension that it can make (the case is in `{state}`): set aside, so no time limit changes",
        event,
    )
    return None


# Tried in this order: an ended case first (nothing moves it but a reopening), then the steps
# the records may lack (a stage 2 response with no report recorded), then a late answer, then
# an extension the procedure does not give.
HANDLERS: tuple[Handler, ...] = (
    after_the_end,
    unrecorded_steps,
    answered_late,
    extension_not_given,
)


def explain_event(replay: Any, state: str, event: Any) -> Step | None:
    """The step to take for an event not allowed where it comes, None if it changes nothing;
    raises the replay's event-not-allowed error if no handler can explain it."""
    for handler in HANDLERS:
        step = handler(replay, state, event)
        if step is not NOT_MINE:
            return step
    raise replay.not_allowed(state, event)
