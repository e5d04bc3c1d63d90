"""The catalogue of ids: everything a baseline defines that a council's file may name, change or
remove (stages, steps, states, events, duties, windows, extensions, rules, notes), and the
shared vocabulary's facts, roles, grounds and documents, each with what it is and its source."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .._shapes import as_map

if TYPE_CHECKING:
    from ..procedures.compiler import CompiledProcedure

VOCABULARY = "rules/vocabulary.yaml"


@dataclass(frozen=True)
class Item:
    """One id: what it is, what else there is to know (its limit, its fields, its moves) and
    where it comes from."""

    id: str
    description: str
    details: str
    sources: tuple[str, ...]


# (kind, its heading), in the order the catalogue lists them.
Section = tuple[str, str, list[Item]]


def of_procedure(procedure: CompiledProcedure) -> list[Section]:
    """Every id `procedure` defines, kind by kind."""
    definition = procedure.definition
    deadlines = procedure.deadlines.values()
    return [
        ("stages", "Stages", [_stage(s) for s in procedure.stages]),
        ("steps", "Steps", [_step(s) for stage in procedure.stages for s in stage.steps]),
        ("states", "States", list(_states(procedure))),
        ("events", "Events", list(_events(procedure, as_map(definition.get("events"))))),
        ("duties", "Duties", [_deadline(d) for d in deadlines if d.kind == "duty"]),
        ("windows", "Windows", [_deadline(d) for d in deadlines if d.kind == "window"]),
        ("extensions", "Extensions", list(_extensions(procedure))),
        ("rules", "Rules", [_rule(r) for r in procedure.rules]),
        ("notes", "Notes", [Item(n.id, n.description, n.kind, n.sources) for n in procedure.notes]),
    ]


def _stage(stage: Any) -> Item:
    steps = ", ".join(f"`{s.id}`" for s in stage.steps)
    return Item(
        stage.id, stage.description or stage.title, f"{stage.title}; steps {steps}", stage.sources
    )


def _step(step: Any) -> Item:
    details = [f"{step.title}" if step.title else "", f"stage `{step.stage}`", f"by `{step.actor}`"]
    if step.deadlines:
        details.append("timed by " + ", ".join(f"`{d}`" for d in step.deadlines))
    if step.optional:
        details.append("optional")
    return Item(step.id, step.description, "; ".join(d for d in details if d), step.sources)


def _states(procedure: CompiledProcedure) -> Iterator[Item]:
    for state in procedure.states.values():
        moves = [
            f"`{t.event}` to `{t.target}`"
            for t in procedure.transitions
            if t.source == state.id and not t.anytime
        ]
        where = f"ends the case as `{state.end}`" if state.end else f"stage `{state.stage}`"
        actor = f"; waiting on `{state.actor}`" if state.actor else ""
        details = f"{where}{actor}; moves: {', '.join(moves) or 'none'}"
        yield Item(state.id, state.description, details, ())


def _events(procedure: CompiledProcedure, written: Mapping[str, Any]) -> Iterator[Item]:
    anytime = {t.event for t in procedure.transitions if t.anytime}
    for event in procedure.events.values():
        details = [", ".join(f"`{k}` ({v})" for k, v in event.fields.items())]
        details[0] = f"fields {details[0]}" if details[0] else ""
        if event.id in anytime:
            details.append("allowed in every open state")
        if event.implied is not None:
            details.append("may be missing from the records")
        sources = tuple(as_map(written.get(event.id)).get("sources") or ())
        yield Item(event.id, event.description, "; ".join(d for d in details if d), sources)


def _deadline(deadline: Any) -> Item:
    met = " or ".join(f"`{e}`" for e in deadline.met_by)
    details = f"{deadline.span} from `{deadline.anchor}`, met by {met}; by `{deadline.actor}`"
    description = deadline.title + (f": {deadline.description}" if deadline.description else "")
    return Item(deadline.id, description, details, deadline.sources)


def _extensions(procedure: CompiledProcedure) -> Iterator[Item]:
    for deadline in procedure.deadlines.values():
        for extension in deadline.extensions:
            how = (
                f"recorded with `{extension.event}`"
                if extension.event
                else "when the case's facts say so"
            )
            grounds = (
                "; on the grounds " + ", ".join(f"`{g.id}`" for g in extension.grounds)
                if extension.grounds
                else ""
            )
            yield Item(
                f"{deadline.id}/{extension.id}",
                extension.description or "",
                f"up to {extension.maximum}, {how}{grounds}",
                extension.sources,
            )


def _rule(rule: Any) -> Item:
    decision = rule.decision + (f" to `{rule.route}`" if rule.route else "")
    return Item(rule.id, rule.title or rule.message, f"decides: {decision}", rule.sources)


def of_vocabulary(vocabulary: Mapping[str, Any], documents: Mapping[str, str]) -> list[Section]:
    """The ids every procedure shares: facts, roles, grounds and the shared citable documents
    (`documents`, id -> the name outputs give it; a council's own are in its council.yaml)."""
    where = (VOCABULARY,)
    facts = []
    for fact_id, fact in as_map(vocabulary.get("facts")).items():
        values = fact.get("values") or fact.get("codes")
        shown = f"; values {', '.join(f'`{v}`' for v in values)}" if values else ""
        facts.append(
            Item(fact_id, str(fact.get("description", "")), f"{fact.get('type')}{shown}", where)
        )
    return [
        ("facts", "Facts", facts),
        ("roles", "Roles", _named(vocabulary.get("roles"), where)),
        ("grounds", "Grounds of an extension", _named(vocabulary.get("grounds"), where)),
        ("documents", "Documents a source may cite", _named(documents, where)),
    ]


def _named(values: Any, where: tuple[str, ...]) -> list[Item]:
    return [Item(str(k), str(v), "", where) for k, v in as_map(values).items()]


# -- the catalogue written out -----------------------------------------------------------------

Catalogue = list[tuple[str, str, list[Section]]]  # (id, title, its sections): baselines, vocabulary


def to_json(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [
        {
            "id": part_id,
            "title": title,
            "sections": {kind: [asdict(i) for i in items] for kind, _, items in sections},
        }
        for part_id, title, sections in catalogue
    ]


def to_text(catalogue: Catalogue) -> str:
    out: list[str] = []
    for part_id, title, sections in catalogue:
        out += [f"{part_id}: {title}", ""]
        for _, heading, items in sections:
            out.append(f"  {heading}" + ("" if items else ": none"))
            for item in items:
                out.append(f"    {item.id}: {item.description}")
                if item.details:
                    out.append(f"      {item.details.replace('`', '')}")
                if item.sources:
                    out.append(f"      source: {'; '.join(item.sources)}")
            out.append("")
    return "\n".join(out)


def to_markdown(catalogue: Catalogue, command: str) -> str:
    out = [
        "# The catalogue of ids",
        "",
        "Every id a baseline defines, which a council's procedure may name, change or remove,",
        "and the shared vocabulary's facts, roles, grounds and documents. Each row says what",
        "the id is and where it comes from. This page is made by csc-rules: do not edit it;",
        "after changing a baseline or the vocabulary, make it again with",
        "",
        f"    {command}",
    ]
    for part_id, title, sections in catalogue:
        out += ["", f"## {part_id}", "", f"{title}."]
        for _, heading, items in sections:
            out += ["", f"### {heading} ({part_id})", ""]
            if not items:
                out.append("None.")
                continue
            out += ["| id | what it is | details | source |", "|---|---|---|---|"]
            for item in items:
                cells = (f"`{item.id}`", item.description, item.details, "; ".join(item.sources))
                out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def dumps(catalogue: Catalogue) -> str:
    return json.dumps(to_json(catalogue), ensure_ascii=False, indent=2) + "\n"
