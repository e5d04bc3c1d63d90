"""The interactive process map of one procedure, for families: the stages as bands, the numbered
steps with who acts, the time limits in plain words, a panel for each step, and the "when should
I hear back?" calculator, which counts with the compiled procedure's own calendar."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from .compiler import CompiledProcedure
from .diagrams import words
from .model import Deadline, Stage, Step
from .plain_words import (
    anytime_moves,
    deadlines_of_move,
    deadlines_of_stage,
    joined,
    public_time_sentences,
    stage_heading,
    starting_points,
    step_deadlines,
)
from .site_html import esc, heading, sources_block


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


def _step_panel(
    procedure: CompiledProcedure,
    stage: Stage,
    step: Step,
    last: bool,
    documents: Mapping[str, str],
) -> str:
    what = step.plain.text if step.plain else step.description
    parts = [f"<h4>What happens</h4><p>{esc(what)}</p>"]
    parts.append(f"<h4>Who does this</h4><p>{esc(_who(step.actor))}</p>")
    times = [
        s for d in step_deadlines(procedure, step) for s in public_time_sentences(procedure, d)
    ]
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
                yours += public_time_sentences(procedure, deadline)
    yours.append("You can stop your complaint, or go to the Ombudsman, at any time.")
    parts.append(f"<h4>What you can do</h4>{_paragraphs(yours)}")
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
            else '<span class="step-number step-number-none" aria-hidden="true">&bull;</span>'
        )
        label = f"Step {number}: " if number else ""
        title = step.title or words(step.id).capitalize()
        optional = ' <span class="tag">optional</span>' if step.optional else ""
        panel = _step_panel(procedure, stage, step, index == len(stage.steps) - 1, documents)
        steps.append(
            f'<li class="step"><h3 class="step-heading">'
            f'<button type="button" class="step-button" id="{sid}-button" '
            f'aria-expanded="true" aria-controls="{sid}-panel">{badge}'
            f'<span class="step-title"><span class="visually-hidden">{esc(label)}</span>'
            f"{esc(title)}{optional}</span>"
            f'<span class="step-who">{esc(_who(step.actor))}</span>'
            f'<span class="step-more" aria-hidden="true">More</span></button></h3>'
            f'<div class="step-panel" id="{sid}-panel" role="region" '
            f'aria-labelledby="{sid}-button">{panel}</div></li>'
        )
    limits = [
        f"<li>{esc(' '.join(public_time_sentences(procedure, d)))}</li>"
        for d in deadlines_of_stage(procedure, stage)
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
    """What the calculator counts with: the compiled calendar's non-working days and, for each
    day it can count from, the time limits that start on it."""
    calendar = procedure.calendar
    closed = list(calendar.holidays) + (list(calendar.closures) if calendar.count_closures else [])
    return {
        "first_year": calendar.first_year,
        "last_year": calendar.last_year,
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
    longer = sorted(
        {
            (e.maximum.amount or 0)
            for e in deadline.extensions
            if (e.maximum.amount or 0) > (deadline.limit.amount or 0)
        }
    )
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
                "if": joined(
                    [
                        (e.plain.text if e.plain else (e.description or e.id)).strip().rstrip(".")
                        for e in deadline.extensions
                        if e.maximum.amount == amount
                    ]
                ),
            }
            for amount in longer
        ],
    }


def _calculator(procedure: CompiledProcedure) -> str:
    points = starting_points(procedure)
    if not points:
        return ""
    options = "".join(
        f'<option value="{esc(p.event)}">{esc(p.phrase[0].upper() + p.phrase[1:])}</option>'
        for p in points
    )
    calendar = procedure.calendar
    return (
        '<section class="calculator" aria-labelledby="calculator-heading">'
        '<h2 id="calculator-heading">When should I hear back?</h2>'
        "<p>Choose what happened and when, and see the dates that follow from it. The dates "
        "count working days: not weekends, and not bank holidays in England and Wales.</p>"
        '<form id="calculator" class="calculator-form" novalidate>'
        '<div class="field"><label for="calculator-start">Count from</label>'
        f'<select id="calculator-start" name="start">{options}</select></div>'
        '<div class="field"><label for="calculator-date">The date it happened</label>'
        '<input id="calculator-date" name="date" type="date" required '
        f'min="{calendar.first_year}-01-01" max="{calendar.last_year}-12-31" '
        'aria-describedby="calculator-date-hint">'
        f'<p class="hint" id="calculator-date-hint">For example, 20 December 2024. Dates from '
        f"{calendar.first_year} to {calendar.last_year}.</p></div>"
        '<button type="submit" class="button">Show the dates</button></form>'
        '<div id="calculator-result" class="calculator-result" aria-live="polite"></div>'
        "<noscript><p>The calculator needs JavaScript. The time limits are listed under each "
        "stage below.</p></noscript></section>"
    )


def _anytime(procedure: CompiledProcedure, documents: Mapping[str, str]) -> Iterator[str]:
    for move in anytime_moves(procedure):
        heading = (
            move.plain.heading
            if move.plain and move.plain.heading
            else words(move.event).capitalize()
        )
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
        f'<h2 class="visually-hidden">The stages</h2><ol class="stages">{bands}</ol>'
        f"{''.join(_anytime(procedure, documents))}{contact}"
    )


def script(procedure: CompiledProcedure, depth: int) -> str:
    data = json.dumps(calculator_data(procedure), ensure_ascii=False, separators=(",", ":"))
    data = data.replace("</", "<\\/")  # never closes the script element early
    return (
        f'<script type="application/json" id="calculator-data">{data}</script>\n'
        f'<script src="{"../" * depth}assets/site.js"></script>\n'
    )
