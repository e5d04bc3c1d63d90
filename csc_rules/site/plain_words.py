"""A compiled procedure in the plain words of its `plain` fields: the sentences the public process
map, the children's page and the calculator show. Every time in them comes from a limit, so they
say what the engine enforces."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .._words import joined as joined  # also offered here, with the other plain words
from ..calendars.bank_holidays import REGIONS
from ..language.model import Deadline, Extension, Stage, Step, Transition
from ..procedures.compiler import CompiledProcedure

LIMIT = "{limit}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def anchor_phrase(procedure: CompiledProcedure, deadline: Deadline) -> str | None:
    """`the day you asked for stage 2`: when the time starts, from the anchor event's plain
    words; None for a time counted back from a date, or an event with no plain words."""
    if deadline.before or not deadline.limit.stated:
        return None
    event = procedure.events.get(deadline.anchor)
    return event.plain.text.strip() if event is not None and event.plain else None


def extension_groups(deadline: Deadline) -> list[tuple[int, list[Extension]]]:
    """The extensions that lengthen the limit, grouped by how far, shortest first."""
    groups: dict[int, list[Extension]] = {}
    for extension in deadline.extensions:
        amount = extension.maximum.amount or 0
        if amount > (deadline.limit.amount or 0):
            groups.setdefault(amount, []).append(extension)
    return sorted(groups.items())


def time_sentences(procedure: CompiledProcedure, deadline: Deadline) -> list[str]:
    """The time limit in plain words: `The council has 10 working days to answer you.`, `The time
    starts from the day the council got your complaint.`, then `It can take up to 20 working days
    if your complaint is complicated or you need an advocate to help you.` Empty where the
    deadline has no plain words."""
    if deadline.plain is None:
        return []
    text = deadline.plain.text.strip().replace(LIMIT, str(deadline.limit))
    out = [_sentence(text)]
    start = anchor_phrase(procedure, deadline)
    if start:
        out.append(f"The time starts from {start}.")
    for amount, extensions in extension_groups(deadline):
        reasons = [e.plain.text.strip().rstrip(".") for e in extensions if e.plain]
        if reasons:  # an extension without plain words is how a plain reason is applied
            longest = deadline.limit.with_amount(amount)
            out.append(f"It can take up to {longest} if {joined(reasons)}.")
    return out


def staff_time_sentence(procedure: CompiledProcedure, deadline: Deadline) -> str:
    """A deadline with no plain words, in the procedure's own: shown rather than left out."""
    event = procedure.events.get(deadline.anchor)
    if not deadline.limit.stated:
        return f"{deadline.title}: {deadline.limit}."
    if deadline.before:
        return f"{deadline.title}: {deadline.span} before the {deadline.anchor_field or 'date'}."
    start = event.description.rstrip(".").lower() if event else deadline.anchor
    return f"{deadline.title}: {deadline.span}, counting from when {start}."


def public_time_sentences(procedure: CompiledProcedure, deadline: Deadline) -> list[str]:
    return time_sentences(procedure, deadline) or [staff_time_sentence(procedure, deadline)]


def stage_of_deadline(procedure: CompiledProcedure, deadline: Deadline) -> str | None:
    """The stage a deadline is shown under: the stage of the step that names it, else the stage
    of the state its anchor event leads into (a window belongs where the complainant waits)."""
    for stage in procedure.stages:
        if any(deadline.id in step.deadlines for step in stage.steps):
            return stage.id
    for transition in procedure.transitions:
        if transition.event == deadline.anchor and not transition.anytime:
            state = procedure.states.get(transition.target)
            if state is not None and state.stage is not None:
                return state.stage
    if deadline.anchor == procedure.start_event:
        return procedure.states[procedure.start_state].stage
    return None


def deadlines_of_stage(procedure: CompiledProcedure, stage: Stage) -> list[Deadline]:
    """The stage's time limits in the order a case meets them: those of its steps in step
    order, then the rest (the complainant's windows) as the procedure lists them."""
    order = {d: (i, j) for i, step in enumerate(stage.steps) for j, d in enumerate(step.deadlines)}
    found = [d for d in procedure.deadlines.values() if stage_of_deadline(procedure, d) == stage.id]
    return sorted(found, key=lambda d: order.get(d.id, (len(stage.steps), 0)))


def stage_moves(procedure: CompiledProcedure, stage: Stage) -> list[Transition]:
    """The moves out of the stage's states that have plain words (going on to the next stage
    when an answer is late, say), once each, other than those open from every open state."""
    seen: dict[str, Transition] = {}
    for transition in procedure.transitions:
        state = procedure.states.get(transition.source)
        if (
            not transition.anytime
            and transition.plain is not None
            and state is not None
            and state.stage == stage.id
        ):
            seen.setdefault(transition.event, transition)
    return list(seen.values())


def deadlines_of_move(procedure: CompiledProcedure, move: Transition) -> list[Deadline]:
    """The time limits a move open at any time starts (confirming a withdrawal, say)."""
    return [d for d in procedure.deadlines.values() if d.anchor == move.event]


def step_deadlines(procedure: CompiledProcedure, step: Step) -> list[Deadline]:
    return [procedure.deadlines[d] for d in step.deadlines if d in procedure.deadlines]


def anytime_moves(procedure: CompiledProcedure) -> list[Transition]:
    """The moves open from every open state (withdrawing, the Ombudsman), once each."""
    seen: dict[str, Transition] = {}
    for transition in procedure.transitions:
        if transition.anytime and transition.event not in seen:
            seen[transition.event] = transition
    return list(seen.values())


@dataclass(frozen=True)
class StartingPoint:
    """A day the calculator counts from, and the time limits that start on it."""

    event: str
    phrase: str
    deadlines: tuple[Deadline, ...]


def starting_points(procedure: CompiledProcedure) -> list[StartingPoint]:
    """Every event in plain words that starts a time limit counted forward, in the order the
    procedure lists its events (the order a case meets them); the limits each starts, shortest
    first, so that the dates come in order."""
    found: dict[str, list[Deadline]] = {}
    for deadline in procedure.deadlines.values():
        if anchor_phrase(procedure, deadline) is not None:
            found.setdefault(deadline.anchor, []).append(deadline)
    events = list(procedure.events)
    found = dict(sorted(found.items(), key=lambda item: events.index(item[0])))
    return [
        StartingPoint(
            event,
            _phrase(procedure, event),
            tuple(sorted(deadlines, key=lambda d: d.limit.amount or 0)),  # soonest first
        )
        for event, deadlines in found.items()
    ]


def _phrase(procedure: CompiledProcedure, event: str) -> str:
    plain = procedure.events[event].plain
    return plain.text.strip() if plain else event


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]
    sources: tuple[str, ...]


def working_day_words(procedure: CompiledProcedure) -> str:
    """What a working day is, from the compiled calendar."""
    calendar = procedure.calendar
    where = REGIONS.get(calendar.region, calendar.region)
    closures = " or a day the council's offices are closed" if calendar.count_closures else ""
    return (
        "A working day is a weekday, Monday to Friday, that is not a bank holiday in "
        f"{where}{closures}. Day 1 is the first working day after the day you start counting from."
    )


def children_sections(procedure: CompiledProcedure) -> list[Section]:
    """The children's page, section by section, all from plain words: what a complaint is; each
    stage, what happens, who can help, how long it takes and how to ask for the next; then what
    can be done at any time. Items with no plain words are left off this page."""
    out: list[Section] = []
    if procedure.plain:
        out.append(
            Section(
                procedure.plain.heading or "What is a complaint?",
                (procedure.plain.text,),
                procedure.plain.sources,
            )
        )
    if any(d.limit.unit == "working-days" for d in procedure.deadlines.values()):
        out.append(Section("What is a working day?", (working_day_words(procedure),), ()))
    for stage in procedure.stages:
        out += list(_stage_sections(procedure, stage))
    for move in anytime_moves(procedure):
        if move.plain:
            heading = move.plain.heading or move.event.replace("-", " ").capitalize()
            times = [time_sentences(procedure, d) for d in deadlines_of_move(procedure, move)]
            body = (move.plain.text, *(" ".join(t) for t in times if t))
            out.append(Section(heading, body, move.plain.sources))
    return out


def _stage_sections(procedure: CompiledProcedure, stage: Stage) -> Iterator[Section]:
    times: list[str] = []
    sources: list[str] = []
    for deadline in deadlines_of_stage(procedure, stage):
        if deadline.plain is None:
            continue
        times.append(" ".join(time_sentences(procedure, deadline)))
        sources += deadline.plain.sources
        for extension in deadline.extensions:
            if extension.plain:
                sources += extension.plain.sources
    for move in stage_moves(procedure, stage):
        if move.plain is not None:  # stage_moves gives only those with plain words
            times.append(move.plain.text)
            sources += move.plain.sources
    if stage.plain is None and not times:
        return
    heading = stage_heading(procedure, stage)
    body = ((stage.plain.text,) if stage.plain else ()) + tuple(times)
    yield Section(heading, body, (stage.plain.sources if stage.plain else ()) + tuple(sources))
    for step in stage.steps:
        if step.plain:
            heading = step.plain.heading or (step.title or step.id.replace("-", " ")).capitalize()
            yield Section(heading, (step.plain.text,), step.plain.sources)


def stage_heading(procedure: CompiledProcedure, stage: Stage) -> str:
    """`Stage 1: Sorting it out`: the stage's name from its id where that is how the procedure
    numbers it, with its plain heading or title."""
    from ..reports.diagrams import words

    title = stage.plain.heading if stage.plain and stage.plain.heading else stage.title
    name = words(stage.id).capitalize()
    if any(ch.isdigit() for ch in stage.id):
        return f"{name}: {title}"
    return title


def children_text(procedure: CompiledProcedure) -> str:
    """All the words of the children's page that come from the rules, for a readability score."""
    return "\n\n".join(" ".join(s.paragraphs) for s in children_sections(procedure))
