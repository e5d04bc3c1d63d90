"""Draw a compiled procedure: Mermaid (which GitHub renders), Graphviz DOT, or node-link JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import networkx as nx

from ..language.model import Deadline, Stage, State, Step
from ..procedures.compiler import CompiledProcedure


def words(identifier: str) -> str:
    """`complaints-officer` as `complaints officer`."""
    return identifier.replace("-", " ")


def deadline_text(deadline: Deadline) -> str:
    """`<deadline>: <limit> (up to <longest>)`, then from its anchor or before its date field."""
    text = f"{deadline.id}: {deadline.limit}"
    longest = deadline.longest
    if longest != deadline.limit:
        text += f" (up to {longest})"
    if deadline.limit.stated:
        text += (
            f" before {deadline.anchor_field}" if deadline.before else f" from {deadline.anchor}"
        )
    return text


def step_text(step: Step) -> str:
    number = f"{step.number} · " if step.number is not None else "· "
    title = step.title or words(step.id).capitalize()
    optional = " (optional)" if step.optional else ""
    within = f", expected within {step.expected_within}" if step.expected_within else ""
    return f"{number}{title}{optional}, {words(step.actor)}{within}"


def stage_label(stage: Stage) -> str:
    """`Stage 1: Local resolution`, or just the title where it already names the stage."""
    name = words(stage.id).capitalize()
    return stage.title if stage.title.lower().startswith(name.lower()) else f"{name}: {stage.title}"


def _state_lines(procedure: CompiledProcedure, state: State) -> list[str]:
    lines = [state.description]
    lines += [f"limit {deadline_text(procedure.deadlines[d])}" for d in state.starts]
    staying = [
        t.event for t in procedure.transitions if t.source == state.id == t.target and not t.anytime
    ]
    if staying:
        lines.append("also: " + ", ".join(staying))
    return lines


def _moves(procedure: CompiledProcedure) -> Iterator[tuple[str, str, str]]:
    """(source, target, label) for each event that moves a case, other than the anytime exits."""
    for t in procedure.transitions:
        if t.source != t.target and not t.anytime:
            guard = f" if {t.guard_words()}" if t.when_overdue else ""
            yield t.source, t.target, f"{t.event}{guard}"


def _anytime(procedure: CompiledProcedure) -> list[tuple[str, str]]:
    """(event, target) of the exits open from every open state, drawn once per stage."""
    seen: dict[str, str] = {}
    for t in procedure.transitions:
        if t.anytime:
            seen.setdefault(t.event, t.target)
    return list(seen.items())


def _stage_states(procedure: CompiledProcedure, stage: Stage) -> list[State]:
    return [s for s in procedure.states.values() if s.stage == stage.id]


# -- Mermaid ------------------------------------------------------------------------------------


def _mid(prefix: str, identifier: str) -> str:
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9]', '_', identifier)}"


def _mlabel(lines: list[str]) -> str:
    text = "<br/>".join(line.replace('"', "#quot;") for line in lines)
    return f'"{text}"'


def mermaid(procedure: CompiledProcedure) -> str:
    out = [f"%% {procedure.id}, version {procedure.version}: {procedure.title}", "flowchart TD"]
    out.append(f'  start(["{procedure.start_event}"]) --> {_mid("s", procedure.start_state)}')
    for stage in procedure.stages:
        out.append(f"  subgraph {_mid('g', stage.id)}[{_mlabel([stage_label(stage)])}]")
        out.append("    direction TB")
        if stage.steps:
            out.append(
                f"    {_mid('steps', stage.id)}[{_mlabel([step_text(s) for s in stage.steps])}]"
            )
        for state in _stage_states(procedure, stage):
            out.append(f"    {_mid('s', state.id)}({_mlabel(_state_lines(procedure, state))})")
        out.append("  end")
    for state in procedure.states.values():
        if state.end is not None:
            out.append(
                f"  {_mid('s', state.id)}([{_mlabel([state.id] + _state_lines(procedure, state)[1:])}])"
            )
    for source, target, label in _moves(procedure):
        out.append(f"  {_mid('s', source)} -->|{_mlabel([label])}| {_mid('s', target)}")
    for event, target in _anytime(procedure):
        for stage in procedure.stages:
            if _stage_states(procedure, stage):
                out.append(f"  {_mid('g', stage.id)} -.->|{_mlabel([event])}| {_mid('s', target)}")
    out.append("  classDef steps fill:#f6f8fa,stroke:#d0d7de,text-align:left")
    steps = [_mid("steps", s.id) for s in procedure.stages if s.steps]
    if steps:
        out.append(f"  class {','.join(steps)} steps")
    return "\n".join(out) + "\n"


# -- Graphviz DOT -------------------------------------------------------------------------------


def _dq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dlabel(lines: list[str]) -> str:
    return _dq("\\n".join(line.replace("\\", "\\\\") for line in lines)).replace("\\\\n", "\\n")


def dot(procedure: CompiledProcedure) -> str:
    out = [
        f"// {procedure.id}, version {procedure.version}: {procedure.title}",
        f"digraph {_dq(procedure.id)} {{",
    ]
    out += [
        "  rankdir=TB;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    out.append(f"  start [shape=oval, label={_dq(procedure.start_event)}];")
    out.append(f"  start -> {_dq(procedure.start_state)};")
    for stage in procedure.stages:
        out.append(f"  subgraph {_dq('cluster_' + stage.id)} {{")
        out.append(f"    label={_dq(stage_label(stage))};")
        if stage.steps:
            out.append(
                f"    {_dq('steps ' + stage.id)} [shape=note, label={_dlabel([step_text(s) for s in stage.steps])}];"
            )
        for state in _stage_states(procedure, stage):
            out.append(f"    {_dq(state.id)} [label={_dlabel(_state_lines(procedure, state))}];")
        out.append("  }")
    for state in procedure.states.values():
        if state.end is not None:
            out.append(
                f"  {_dq(state.id)} [shape=doubleoctagon, label={_dlabel([state.id] + _state_lines(procedure, state)[1:])}];"
            )
    for source, target, label in _moves(procedure):
        out.append(f"  {_dq(source)} -> {_dq(target)} [label={_dq(label)}];")
    for event, target in _anytime(procedure):
        out.append(f"  // `{event}` leads to {target} from every open state")
        for state in procedure.states.values():
            if state.end is None:
                out.append(
                    f"  {_dq(state.id)} -> {_dq(target)} [label={_dq(event)}, style=dashed, color=gray];"
                )
    out.append("}")
    return "\n".join(out) + "\n"


def node_link(procedure: CompiledProcedure) -> str:
    return (
        json.dumps(nx.node_link_data(procedure.graph, edges="edges"), indent=2, ensure_ascii=False)
        + "\n"
    )


def render(procedure: CompiledProcedure, fmt: str) -> str:
    return {"mermaid": mermaid, "dot": dot, "json": node_link}[fmt](procedure)
