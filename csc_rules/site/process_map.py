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
from .page import esc, heading, long_date, sources_block
from .plain_words import (
    anytime_moves,
    deadlines_of_move,
    deadlines_of_stage,
    extension_groups,
    joined,
    public_time_sentences,
    stage_heading,
    stage_moves,
    starting_points,
    step_deadlines,
    working_day_words,
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


def _paragraphs(sentences: list[str]) -> str:
    return "".join(f"<p>{esc(s)}</p>" for s in sentences)


def stage_is_open(procedure: CompiledProcedure, stage: Stage) -> bool:
    """Whether a case can be in the stage (a stage before the procedure starts has no states)."""
    return any(state.stage == stage.id and state.end is None for state in procedure.states.values())


def anytime_links(procedure: CompiledProcedure) -> str:
    """`At any time: <what you can do>`, linking to each move open from every open state."""
    links = [
        f'<a href="#anytime-{esc(move.event)}">{esc(_move_heading(move))}</a>'
        for move in anytime_moves(procedure)
    ]
    return f"<p>At any time: {' '.join(links)}</p>" if links else ""


def _move_heading(move: Transition) -> str:
    if move.plain and move.plain.heading:
        return move.plain.heading
    return words(move.event).capitalize()


def conflicted(procedure: CompiledProcedure, deadline: Deadline) -> bool:
    return any(n.kind == "conflict" and deadline.id in n.concerns for n in procedure.notes)


CONFLICT = (
    "The council's own documents do not all give the same time for this. This page shows the "
    "one the council's procedure holds it to; the page for staff says why."
)


def _times(procedure: CompiledProcedure, deadline: Deadline) -> list[str]:
    sentences = public_time_sentences(procedure, deadline)
    return sentences + ([CONFLICT] if conflicted(procedure, deadline) else [])


def _step_panel(
    procedure: CompiledProcedure,
    stage: Stage,
    step: Step,
    last: bool,
    documents: Mapping[str, str],
) -> str:
    parts = [f"<h4>What happens</h4><p>{esc(step.description)}</p>"]
    if step.plain:
        heading = step.plain.heading or "In plain words"
        parts.append(f"<h4>{esc(heading)}</h4><p>{esc(step.plain.text)}</p>")
    parts.append(f"<h4>Who does this</h4><p>{esc(_who(step.actor))}</p>")
    times = [s for d in step_deadlines(procedure, step) for s in _times(procedure, d)]
    if step.expected_within is not None:
        times.append(f"This usually takes up to {step.expected_within}; no time limit is set.")
    if times:
        parts.append(f"<h4>How long it takes</h4>{_paragraphs(times)}")
    yours = []
    if step.optional:
        yours.append("This step only happens if you ask for it.")
    if last:
        for deadline in deadlines_of_stage(procedure, stage):
            if deadline.kind == "window":
                yours += _times(procedure, deadline)
        yours += [m.plain.text for m in stage_moves(procedure, stage) if m.plain]
    anytime = anytime_links(procedure) if stage_is_open(procedure, stage) else ""
    if yours or anytime:
        parts.append(f"<h4>What you can do</h4>{_paragraphs(yours)}{anytime}")
    sources = (step.plain.sources if step.plain else ()) + step.sources
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
        f"<li>{esc(' '.join(_times(procedure, d)))}</li>"
        for d in deadlines_of_stage(procedure, stage)
    ]
    limits += [f"<li>{esc(m.plain.text)}</li>" for m in stage_moves(procedure, stage) if m.plain]
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
            for amount, extensions in extension_groups(deadline)
        ],
    }


def _reasons(extensions: list[Extension]) -> str:
    """Why a limit may be longer, in plain words where the extensions have them (an extension
    without them, such as the council's recording of one, is how a plain reason is applied)."""
    plain = [e.plain.text for e in extensions if e.plain]
    said = plain or [e.description or words(e.id) for e in extensions]
    return joined([text.strip().rstrip(".") for text in said])


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
        text = move.plain.text if move.plain else (move.description or "")
        times = [
            s
            for d in deadlines_of_move(procedure, move)
            for s in public_time_sentences(procedure, d)
        ]
        sources = (move.plain.sources if move.plain else ()) + move.sources
        yield (
            f'<section class="anytime" aria-labelledby="anytime-{esc(move.event)}">'
            f'<h2 id="anytime-{esc(move.event)}">{esc(heading)}</h2><p>{esc(text)}</p>'
            f"{_paragraphs(times)}{sources_block(sources, documents, 'Where this comes from')}"
            "</section>"
        )


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
        f"{_calculator(procedure)}"
        f'<ol class="stages">{bands}</ol>'
        f"{''.join(_anytime(procedure, documents))}{contact}"
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
