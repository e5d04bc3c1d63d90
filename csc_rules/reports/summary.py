"""A compiled procedure in words, for a complaints manager to check against the published leaflet."""

from __future__ import annotations

from typing import Any

from ..language.conditions import describe
from ..language.model import Deadline, Extension, Step
from ..procedures.compiler import CompiledProcedure, identity
from .diagrams import deadline_text, mermaid, stage_label, words


def _heading(procedure: CompiledProcedure) -> str:
    based = f"; extends {procedure.extends}" if procedure.extends else ""
    return f"{procedure.kind.capitalize()} procedure, version {procedure.version}, in force from {procedure.effective.isoformat()}{based}"


def _extension_text(extension: Extension) -> str:
    triggers = []
    if extension.when is not None:
        triggers.append(f"when {describe(extension.when)}")
    if extension.event:
        grounds = (
            ""
            if extension.grounds is None
            else f" for {' or '.join(g.id for g in extension.grounds)}"
        )
        triggers.append(f"when `{extension.event}` is recorded{grounds}")
    return f"up to {extension.maximum} {' or '.join(triggers)}".rstrip()


def _limit_text(deadline: Deadline) -> str:
    if not deadline.limit.stated:
        return f"{deadline.limit}: {deadline.limit.unstated}"
    where = (
        f"before the `{deadline.anchor_field}` of `{deadline.anchor}`"
        if deadline.before
        else f"from `{deadline.anchor}`"
    )
    return f"{deadline.limit} {where}"


def _step_limits(procedure: CompiledProcedure, step: Step) -> list[str]:
    lines = [deadline_text(procedure.deadlines[d]) for d in step.deadlines]
    if step.expected_within:
        lines.append(f"expected within {step.expected_within} (no event measures it)")
    return lines


def text(procedure: CompiledProcedure) -> str:
    out = [procedure.id, procedure.title, _heading(procedure), ""]
    for stage in procedure.stages:
        out.append(stage_label(stage))
        for step in stage.steps:
            number = str(step.number) if step.number is not None else "·"
            optional = " (optional)" if step.optional else ""
            out.append(
                f"  {number:<3} {step.title or words(step.id).capitalize()}{optional}, {words(step.actor)}"
            )
            out += [f"        time limit: {line}" for line in _step_limits(procedure, step)]
            out += [f"        source: {source}" for source in step.sources]
        out.append("")
    out.append("Time limits")
    for deadline in procedure.deadlines.values():
        who = "the council" if deadline.kind == "duty" else "the complainant"
        out.append(f"  {deadline.id} ({deadline.kind}: {who}, {words(deadline.actor)})")
        out.append(
            f"        {_limit_text(deadline)}, met by {', '.join(f'`{m}`' for m in deadline.met_by)}"
        )
        out += [f"        extension {e.id}: {_extension_text(e)}" for e in deadline.extensions]
        if deadline.council_setting:
            out.append(f"        council setting: {deadline.council_setting}")
        out += [f"        source: {source}" for source in deadline.sources]
    conflicts = [n for n in procedure.notes if n.kind == "conflict"]
    if conflicts:
        out += ["", "Where the council's documents disagree"]
        for note in conflicts:
            out.append(f"  {', '.join(note.concerns)}: {note.description}")
            if note.binding:
                out.append(f"        encoded as binding: {note.binding}")
    return "\n".join(out) + "\n"


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def markdown(procedure: CompiledProcedure) -> str:
    out = [f"# {procedure.id}: {procedure.title}", "", f"{_heading(procedure)}.", ""]
    if procedure.description:
        out += [procedure.description, ""]
    out += [
        "## Stage graph",
        "",
        "States are the rounded boxes, grouped by stage with the stage's steps beside them; each",
        "`limit` line is a time limit that arriving in the state starts. Withdrawal and referral to",
        "the Ombudsman are open from every state that has not ended (dashed).",
        "",
        "```mermaid",
        mermaid(procedure).rstrip("\n"),
        "```",
        "",
        "## Steps",
        "",
        "| Stage | No. | Step | Who acts | Time limit | Sources |",
        "|---|---|---|---|---|---|",
    ]
    for stage in procedure.stages:
        for step in stage.steps:
            title = (step.title or words(step.id).capitalize()) + (
                " (optional)" if step.optional else ""
            )
            cells = [
                stage_label(stage),
                str(step.number or ""),
                title,
                words(step.actor),
                "; ".join(_step_limits(procedure, step)),
                "<br>".join(step.sources),
            ]
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    out += [
        "",
        "## Time limits",
        "",
        "| Deadline | Kind | Who acts | Limit | Met by | Extensions | Sources |",
        "|---|---|---|---|---|---|---|",
    ]
    for d in procedure.deadlines.values():
        extensions = "<br>".join(f"{e.id}: {_extension_text(e)}" for e in d.extensions)
        cells = [
            d.id,
            d.kind,
            words(d.actor),
            _limit_text(d),
            ", ".join(d.met_by),
            extensions,
            "<br>".join(d.sources),
        ]
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    conflicts = [n for n in procedure.notes if n.kind == "conflict"]
    if conflicts:
        out += ["", "## Where the council's documents disagree", ""]
        for note in conflicts:
            binding = f" **Encoded as binding:** {note.binding}" if note.binding else ""
            out.append(f"- **{', '.join(note.concerns)}**: {note.description}{binding}")
    out += [
        "",
        f"_Generated by `csc-rules show {procedure.id} --format markdown` (every page: `csc-rules docs -o docs`); edit the YAML, not this page._",
        "",
    ]
    return "\n".join(out)


def as_json(procedure: CompiledProcedure) -> dict[str, Any]:
    return {
        **identity(procedure),
        "stages": [
            {
                "id": stage.id,
                "title": stage.title,
                "steps": [
                    {
                        "id": s.id,
                        "number": s.number,
                        "title": s.title,
                        "actor": s.actor,
                        "optional": s.optional,
                        "deadlines": list(s.deadlines),
                        "sources": list(s.sources),
                    }
                    for s in stage.steps
                ],
            }
            for stage in procedure.stages
        ],
        "deadlines": [
            {
                "id": d.id,
                "kind": d.kind,
                "actor": d.actor,
                "anchor": d.anchor,
                "anchor_field": d.anchor_field,
                "direction": "before" if d.before else "after",
                "limit": str(d.limit),
                "longest": str(d.longest),
                "met_by": list(d.met_by),
                "extensions": [{"id": e.id, "text": _extension_text(e)} for e in d.extensions],
                "sources": list(d.sources),
            }
            for d in procedure.deadlines.values()
        ],
        "conflicts": [
            {
                "concerns": list(n.concerns),
                "description": n.description,
                "binding": n.binding,
                "sources": list(n.sources),
            }
            for n in procedure.notes
            if n.kind == "conflict"
        ],
    }
