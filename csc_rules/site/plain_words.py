"""A compiled procedure in the plain words of its `plain` fields, in the order a case meets them:
the sections of the children's page, the time limits of each stage, the moves open at any time,
and the days the calculator counts from. The sentences themselves, each filled in from the rules,
are made in `statements`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .._words import joined as joined  # also offered here, with the other plain words
from ..calendars.bank_holidays import REGIONS
from ..language.model import Deadline, Stage, Step, Transition
from ..procedures.compiler import CompiledProcedure
from .statements import (
    Statement,
    anchor_phrase,
    deadline_statements,
    extension_grounds,
    move_statements,
    note_statements,
    route_statements,
    rule_statements,
    step_statements,
    supports,
)


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
    """The step's time limits, then what the council aims for at it (its targets)."""
    return [procedure.deadlines[d] for d in step.deadlines if d in procedure.deadlines] + [
        procedure.targets[t] for t in step.targets if t in procedure.targets
    ]


def targets_of_stage(procedure: CompiledProcedure, stage: Stage) -> list[Deadline]:
    """What the council aims for in the stage, as the procedure lists its targets."""
    return [t for t in procedure.targets.values() if t.stage == stage.id]


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
    """A section of the children's page: its paragraphs, each a run of statements."""

    heading: str
    paragraphs: tuple[tuple[Statement, ...], ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """What the section cites: the sources of its statements that support them."""
        found = (s for p in self.paragraphs for statement in p for s in statement.sources)
        return tuple(dict.fromkeys(s for s in found if supports(s)))

    @property
    def text(self) -> str:
        return " ".join(s.text for p in self.paragraphs for s in p)


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
        plain = procedure.plain
        words = Statement(plain.text, sources=plain.sources)
        out.append(Section(plain.heading or "What is a complaint?", ((words,),)))
    if any(d.limit.unit == "working-days" for d in procedure.deadlines.values()):
        out.append(Section("What is a working day?", ((Statement(working_day_words(procedure)),),)))
    rules = rules_section(procedure)
    out += [rules] if rules is not None else []
    for stage in procedure.stages:
        out += list(_stage_sections(procedure, stage))
    for move in anytime_moves(procedure):
        if move.plain:
            heading = move.plain.heading or move.event.replace("-", " ").capitalize()
            times = [
                tuple(deadline_statements(procedure, d))
                for d in deadlines_of_move(procedure, move)
                if d.plain is not None
            ]
            out.append(Section(heading, (tuple(move_statements(procedure, move)), *times)))
    routes = [tuple(route_statements(r)) for r in procedure.routes if r.plain is not None]
    if routes:
        out.append(Section(ROUTES_HEADING, tuple(routes)))
    return out


# The headings of the sections made from the rules and the routes, on both pages.
RULES_HEADING = "Is your complaint one for this process?"
ROUTES_HEADING = "Other places you can go"


def rules_section(procedure: CompiledProcedure) -> Section | None:
    """The eligibility rules that have plain words, in order: what may take a complaint out of
    this process, in words a child can read."""
    rules = [tuple(rule_statements(r)) for r in procedure.rules if r.plain is not None]
    return Section(RULES_HEADING, tuple(rules)) if rules else None


def _stage_sections(procedure: CompiledProcedure, stage: Stage) -> Iterator[Section]:
    paragraphs: list[tuple[Statement, ...]] = []
    if stage.plain is not None:
        paragraphs.append((Statement(stage.plain.text, sources=stage.plain.sources),))
    times = [
        tuple(deadline_statements(procedure, d))
        for d in deadlines_of_stage(procedure, stage)
        if d.plain is not None
    ]
    times += [
        tuple(deadline_statements(procedure, t))
        for t in targets_of_stage(procedure, stage)
        if t.plain is not None
    ]
    times += [tuple(move_statements(procedure, m)) for m in stage_moves(procedure, stage)]
    if stage.plain is None and not times:
        return
    yield Section(stage_heading(procedure, stage), (*paragraphs, *times))
    for step in stage.steps:
        if step.plain:
            heading = step.plain.heading or (step.title or step.id.replace("-", " ")).capitalize()
            words = step_statements(procedure, step) + note_statements(procedure, (step.id,))
            yield Section(heading, (tuple(words),))


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
    return "\n\n".join(s.text for s in children_sections(procedure))


def without_plain_words(procedure: CompiledProcedure) -> list[str]:
    """What the public pages show in the rules' own words, for want of plain words."""
    missing = [] if procedure.plain else ["the procedure"]
    missing += [f"stage `{s.id}`" for s in procedure.stages if s.plain is None]
    for deadline in procedure.deadlines.values():
        if deadline.plain is None:
            missing.append(f"{deadline.kind} `{deadline.id}`")
            continue
        missing += [
            f"extension `{deadline.id}/{e.id}`"
            for _, extensions in extension_grounds(deadline)
            for e in extensions
            if e.plain is None
        ]
        said = [] if deadline.before or not deadline.limit.stated else [deadline.anchor]
        said += list(deadline.met_by) if said and deadline.kind == "duty" else []
        missing += [
            f"event `{e}`"
            for e in said
            if e in procedure.events and procedure.events[e].plain is None
        ]
    return list(dict.fromkeys(missing))
