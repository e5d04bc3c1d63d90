"""The interactive process map of one procedure, for families: the stages as bands, the numbered
steps with who acts, the time limits in plain words, a panel for each step, and the "when should
I hear back?" calculator, which counts with the compiled procedure's own calendar."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..language.model import Deadline, Extension, Stage, Step, Transition
from ..procedures.compiler import CompiledProcedure
from ..reports.diagrams import words
from .page import NO_DOCUMENT, esc, heading, long_date, said, sources_block
from .plain_words import (
    ROUTES_HEADING,
    anytime_moves,
    deadlines_of_move,
    deadlines_of_stage,
    joined,
    rules_section,
    stage_heading,
    stage_moves,
    starting_points,
    step_deadlines,
    working_day_words,
)
from .statements import (
    Statement,
    deadline_statements,
    extension_grounds,
    ground_words,
    move_statements,
    note_statements,
    optional_statement,
    route_statements,
    step_statements,
    supports,
    usual_statement,
)


def step_id(step: Step) -> str:
    return f"step-{step.stage}-{step.id}"


def numbered(procedure: CompiledProcedure) -> dict[str, str]:
    """The number each step shows: the procedure's own where it numbers its steps (an
    unnumbered step then shows none), else 1, 2, 3... in order."""
    steps = [step for stage in procedure.stages for step in stage.steps]
    if any(step.number is not None for step in steps):
        return {s.id: "" if s.number is None else str(s.number) for s in steps}
    return {s.id: str(i) for i, s in enumerate(steps, 1)}


def _who(actor: str) -> str:
    return "You" if actor == "complainant" else words(actor).capitalize()


def _paragraphs(paragraphs: list[list[Statement]]) -> str:
    return "".join(f"<p>{said(p)}</p>" for p in paragraphs if p)


def _supported(paragraphs: list[list[Statement]]) -> tuple[str, ...]:
    """The sources of what the paragraphs say that support it (see `statements.supports`)."""
    return tuple(s for p in paragraphs for statement in p for s in statement.sources if supports(s))


def stage_is_open(procedure: CompiledProcedure, stage: Stage) -> bool:
    """Whether a case can be in the stage (a stage before the procedure starts has no states)."""
    return any(state.stage == stage.id and state.end is None for state in procedure.states.values())


def anytime_links(procedure: CompiledProcedure) -> str:
    """`At any time: <what you can do>`, linking to each move open from every open state."""
    links = [
        f'<a href="#anytime-{esc(move.event)}">{esc(_move_heading(move))}</a>'
        for move in anytime_moves(procedure)
    ]
    if not links:
        return ""
    events = " ".join(move.event for move in anytime_moves(procedure))
    return (
        f'<p><span data-claim="anytime-list" data-of="{esc(events)}">At any time:</span> '
        f"{' '.join(links)}</p>"
    )


def _move_heading(move: Transition) -> str:
    if move.plain and move.plain.heading:
        return move.plain.heading
    return words(move.event).capitalize()


def _step_panel(
    procedure: CompiledProcedure,
    stage: Stage,
    step: Step,
    last: bool,
    documents: Mapping[str, str],
) -> str:
    parts = [f"<h4>What happens</h4><p>{esc(step.description)}</p>"]
    plain = step_statements(procedure, step) + note_statements(procedure, (step.id,))
    if step.plain:
        parts.append(
            f"<h4>{esc(step.plain.heading or 'In plain words')}</h4>{_paragraphs([plain])}"
        )
    parts.append(f"<h4>Who does this</h4><p>{esc(_who(step.actor))}</p>")
    times = [deadline_statements(procedure, d) for d in step_deadlines(procedure, step)]
    usual = usual_statement(step)
    times += [[usual]] if usual else []
    if any(times):
        parts.append(f"<h4>How long it takes</h4>{_paragraphs(times)}")
    optional = optional_statement(step)
    yours = [[optional]] if optional else []
    if last:
        yours += [
            deadline_statements(procedure, d)
            for d in deadlines_of_stage(procedure, stage)
            if d.kind == "window"
        ]
        yours += [move_statements(procedure, m) for m in stage_moves(procedure, stage)]
    anytime = anytime_links(procedure) if stage_is_open(procedure, stage) else ""
    if any(yours) or anytime:
        parts.append(f"<h4>What you can do</h4>{_paragraphs(yours)}{anytime}")
    sources = (*step.sources, *_supported([plain, *times, *yours]))
    parts.append(sources_block(sources, documents, "Where this comes from"))
    return "".join(parts)


def _stage_band(
    procedure: CompiledProcedure,
    stage: Stage,
    numbers: Mapping[str, str],
    documents: Mapping[str, str],
) -> str:
    heading_id = f"stage-{stage.id}"
    intro = stage.plain.text if stage.plain else (stage.description or "")
    steps = []
    for index, step in enumerate(stage.steps):
        sid = step_id(step)
        number = numbers.get(step.id, "")
        badge = (
            f'<span class="step-number" aria-hidden="true">{esc(number)}</span>'
            if number
            else '<span class="step-number step-number-none" aria-hidden="true"></span>'
        )
        label = f"Step {number}: " if number else ""
        unnumbered = (
            '<span class="step-unnumbered">Not numbered on the council\'s own map</span>'
            if not number
            else ""
        )
        title = step.title or words(step.id).capitalize()
        optional = ' <span class="tag">optional</span>' if step.optional else ""
        panel = _step_panel(procedure, stage, step, index == len(stage.steps) - 1, documents)
        steps.append(
            f'<li class="step"><h3 class="step-heading">'
            f'<button type="button" class="step-button" id="{sid}-button" '
            f'aria-expanded="true" aria-controls="{sid}-panel">{badge}'
            f'<span class="step-title"><span class="visually-hidden">{esc(label)}</span>'
            f"{esc(title)}{optional}</span>"
            f'<span class="step-who">{esc(_who(step.actor))}</span>{unnumbered}'
            f'<span class="step-more" aria-hidden="true">More</span></button></h3>'
            f'<div class="step-panel" id="{sid}-panel" '
            f'aria-labelledby="{sid}-button">{panel}</div></li>'
        )
    limits = [
        f"<li>{said(deadline_statements(procedure, d))}</li>"
        for d in deadlines_of_stage(procedure, stage)
    ]
    limits += [
        f"<li>{said(move_statements(procedure, m))}</li>" for m in stage_moves(procedure, stage)
    ]
    limits_html = (
        f'<div class="stage-limits"><p class="limits-heading">Time limits</p><ul>{"".join(limits)}</ul></div>'
        if limits
        else ""
    )
    return (
        f'<li class="stage" aria-labelledby="{heading_id}">'
        f'<h2 id="{heading_id}" class="stage-heading">{esc(stage_heading(procedure, stage))}</h2>'
        f'<p class="stage-intro">{esc(intro)}</p>'
        f'<ol class="steps">{"".join(steps)}</ol>{limits_html}</li>'
    )


def calculator_data(procedure: CompiledProcedure) -> dict[str, Any]:
    """What the calculator counts with: the compiled calendar's non-working days, the first day
    of this version (an earlier date belongs to an earlier version's limits) and, for each day it
    can count from, the time limits that start on it."""
    calendar = procedure.calendar
    closed = list(calendar.holidays) + (list(calendar.closures) if calendar.count_closures else [])
    return {
        "first_year": calendar.first_year,
        "last_year": calendar.last_year,
        "first_day": max(procedure.effective, dt.date(calendar.first_year, 1, 1)).isoformat(),
        "non_working_days": sorted(d.isoformat() for d in closed),
        "starts": [
            {
                "event": point.event,
                "phrase": point.phrase,
                "deadlines": [_counted(d) for d in point.deadlines],
            }
            for point in starting_points(procedure)
        ],
    }


def _counted(deadline: Deadline) -> dict[str, Any]:
    return {
        "id": deadline.id,
        "title": deadline.title,
        "kind": deadline.kind,
        "amount": deadline.limit.amount,
        "unit": deadline.limit.unit,
        "limit": str(deadline.limit),
        "extended": [
            {
                "amount": amount,
                "limit": str(deadline.limit.with_amount(amount)),
                "if": _reasons(extensions),
            }
            for amount, extensions in extension_grounds(deadline)
        ],
    }


def _reasons(extensions: list[Extension]) -> str:
    """Why a limit may be longer: the grounds' plain words, as the pages give them."""
    return joined(list(dict.fromkeys(ground_words(e) for e in extensions)))


def _calculator(procedure: CompiledProcedure) -> str:
    points = starting_points(procedure)
    if not points:
        return ""
    options = "".join(
        f'<option value="{esc(p.event)}">{esc(p.phrase[0].upper() + p.phrase[1:])}</option>'
        for p in points
    )
    calendar = procedure.calendar
    first_day_date = max(procedure.effective, dt.date(calendar.first_year, 1, 1))
    first_day = first_day_date.isoformat()
    return (
        '<section class="calculator" aria-labelledby="calculator-heading">'
        '<h2 id="calculator-heading">When should I hear back?</h2>'
        "<p>Choose what happened and when, and see the dates that follow from it.</p>"
        f"<p>{esc(working_day_words(procedure))} The dates follow the procedure in force from "
        f"{esc(long_date(procedure.effective))}.</p>"
        '<form id="calculator" class="calculator-form" novalidate>'
        '<div class="field"><label for="calculator-start">Count from</label>'
        f'<select id="calculator-start" name="start">{options}</select></div>'
        '<div class="field"><label for="calculator-date">The date it happened</label>'
        '<input id="calculator-date" name="date" type="date" required '
        f'min="{first_day}" max="{calendar.last_year}-12-31" '
        'aria-describedby="calculator-date-hint">'
        f'<p class="hint" id="calculator-date-hint">For example, 20/12/2024. Dates from '
        f"{esc(long_date(first_day_date))} to the end of {calendar.last_year}.</p></div>"
        '<button type="submit" class="button">Show the dates</button></form>'
        '<div id="calculator-result" class="calculator-result" aria-live="polite"></div>'
        "<noscript><p>The calculator needs JavaScript. The time limits are listed under each "
        "stage below.</p></noscript></section>"
    )


def _anytime(procedure: CompiledProcedure, documents: Mapping[str, str]) -> Iterator[str]:
    for move in anytime_moves(procedure):
        heading = _move_heading(move)
        said_here = [move_statements(procedure, move)] if move.plain else []
        text = "" if move.plain else f"<p>{esc(move.description or '')}</p>"
        said_here += [deadline_statements(procedure, d) for d in deadlines_of_move(procedure, move)]
        sources = _supported(said_here) if move.plain else (*move.sources, *_supported(said_here))
        cited = sources_block(sources, documents, "Where this comes from")
        if not cited:  # what it says rests on documents that say nothing on the point
            cited = f'<p class="source-line">{esc(NO_DOCUMENT)}</p>'
        yield (
            f'<section class="anytime" aria-labelledby="anytime-{esc(move.event)}">'
            f'<h2 id="anytime-{esc(move.event)}">{esc(heading)}</h2>{text}'
            f"{_paragraphs(said_here)}{cited}</section>"
        )


def _section(
    key: str, heading: str, said_here: list[list[Statement]], documents: Mapping[str, str]
) -> str:
    cited = sources_block(_supported(said_here), documents, "Where this comes from")
    return (
        f'<section class="anytime" aria-labelledby="{key}">'
        f'<h2 id="{key}">{esc(heading)}</h2>{_paragraphs(said_here)}{cited}</section>'
    )


def _rules(procedure: CompiledProcedure, documents: Mapping[str, str]) -> str:
    """The eligibility rules with plain words, before the map: what this process is not for."""
    rules = rules_section(procedure)
    if rules is None:
        return ""
    return _section("rules", rules.heading, [list(p) for p in rules.paragraphs], documents)


def _routes(procedure: CompiledProcedure, documents: Mapping[str, str]) -> str:
    """The other bodies a complainant may go to, each with when, from the procedure's routes."""
    said_here = [route_statements(route) for route in procedure.routes]
    if not said_here:
        return ""
    return _section("routes", ROUTES_HEADING, said_here, documents)


def body(
    procedure: CompiledProcedure,
    council_name: str,
    documents: Mapping[str, str],
    contact: str,
    links: str,
) -> str:
    numbers = numbered(procedure)
    intro = procedure.plain.text if procedure.plain else (procedure.description or "")
    bands = "".join(_stage_band(procedure, s, numbers, documents) for s in procedure.stages)
    return (
        f"<h1>{esc(heading(council_name, procedure.title))}</h1>"
        f'<p class="lede">{esc(intro)}</p>{links}'
        "<p>The map shows each stage and its steps in order. Choose a step to see what happens, "
        "who does it, how long it takes and what you can do.</p>"
        f"{_rules(procedure, documents)}{_calculator(procedure)}"
        f'<ol class="stages">{bands}</ol>'
        f"{''.join(_anytime(procedure, documents))}{_routes(procedure, documents)}{contact}"
    )


def script(procedure: CompiledProcedure, depth: int) -> str:
    data = json.dumps(calculator_data(procedure), ensure_ascii=False, separators=(",", ":"))
    # `<`, `>` and `&` as JSON escapes: no text of the rules can end the script element early or
    # start a comment in it (`<!--<script>` would swallow the script that follows)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        f'<script type="application/json" id="calculator-data">{data}</script>\n'
        f'<script src="{"../" * depth}assets/site.js"></script>\n'
    )
