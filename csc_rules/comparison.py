"""Procedures side by side: two of them deadline by deadline, or every one in one table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .conditions import describe
from .model import Deadline, Parts

FIELDS = ("limit", "anchor", "met_by", "extensions", "actor", "source")


def deadline_fields(deadline: Deadline | None) -> dict[str, str] | None:
    """What `diff` compares about one duty or window, as text."""
    if deadline is None:
        return None
    limit = str(deadline.limit)
    if deadline.limit.stated and deadline.before:
        limit += " before"
    extensions = [
        f"{e.id}: up to {e.maximum.amount} when "
        + (describe(e.when) if e.when is not None else f"on {e.event}")
        for e in deadline.extensions
    ]
    anchor = deadline.anchor
    if deadline.anchor_field:
        anchor += f" ({deadline.anchor_field})"
    return {
        "limit": limit,
        "anchor": anchor,
        "met_by": ", ".join(deadline.met_by),
        "extensions": "; ".join(extensions) or "none",
        "actor": deadline.actor.replace("-", " "),
        "source": deadline.sources[0] if deadline.sources else "",
    }


def _steps(procedure: Parts) -> dict[str, str]:
    return {step.id: step.title or step.id for stage in procedure.stages for step in stage.steps}


def diff(a: Parts, b: Parts) -> dict[str, Any]:
    """Two procedures compared by deadline id, and their steps."""
    rows = []
    for deadline_id in [*a.deadlines, *(d for d in b.deadlines if d not in a.deadlines)]:
        fa, fb = (
            deadline_fields(a.deadlines.get(deadline_id)),
            deadline_fields(b.deadlines.get(deadline_id)),
        )
        differs = [f for f in FIELDS if fa is None or fb is None or fa[f] != fb[f]]
        rows.append({"id": deadline_id, "a": fa, "b": fb, "differs": differs})
    steps_a, steps_b = _steps(a), _steps(b)
    return {
        "a": a.id,
        "b": b.id,
        "deadlines": rows,
        "steps": {
            "only_in_a": [{"id": s, "title": t} for s, t in steps_a.items() if s not in steps_b],
            "only_in_b": [{"id": s, "title": t} for s, t in steps_b.items() if s not in steps_a],
        },
    }


def side_by_side(procedures: Sequence[Parts]) -> dict[str, Any]:
    """`diff --all` as JSON: every deadline of every procedure, as `diff` describes each one
    (null where a procedure has no such deadline)."""
    order = list(dict.fromkeys(key for p in procedures for key in p.deadlines))
    return {
        "procedures": [p.id for p in procedures],
        "deadlines": [
            {
                "id": key,
                "procedures": {p.id: deadline_fields(p.deadlines.get(key)) for p in procedures},
            }
            for key in order
        ],
    }


def as_text(result: Mapping[str, Any]) -> str:
    a, b = result["a"], result["b"]
    width = max(30, len(a))
    out = [f"{'deadline':<26} {'':<11} {a:<{width}} {b}"]
    same = []
    for row in result["deadlines"]:
        if not row["differs"]:
            same.append(row["id"])
            continue
        if row["a"] is None or row["b"] is None:
            side = a if row["b"] is None else b
            present = row["a"] or row["b"]
            out.append(
                f"{row['id']:<26} {'only in':<11} {side}: {present['limit']} from {present['anchor']}"
            )
            continue
        for index, name in enumerate(row["differs"]):
            label = row["id"] if index == 0 else ""
            out.append(f"{label:<26} {name:<11} {row['a'][name]:<{width}} {row['b'][name]}")
    if same:
        out.append(f"{'the same in both:':<38} {', '.join(same)}")
    steps = result["steps"]
    for key, name in (("only_in_a", a), ("only_in_b", b)):
        if steps[key]:
            out.append(
                f"{'steps only in ' + name + ':':<38} " + ", ".join(s["id"] for s in steps[key])
            )
    return "\n".join(out) + "\n"


def _span(fields: Mapping[str, str]) -> str:
    joiner = " " if fields["limit"].endswith(" before") else " from "
    return f"{fields['limit']}{joiner}{fields['anchor']}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def as_markdown(result: Mapping[str, Any]) -> str:
    a, b = result["a"], result["b"]
    out = [f"| deadline | field | `{a}` | `{b}` |", "|---|---|---|---|"]
    for row in result["deadlines"]:
        for index, name in enumerate(row["differs"]):
            va = row["a"][name] if row["a"] else "(none)"
            vb = row["b"][name] if row["b"] else "(none)"
            out.append(
                f"| {row['id'] if index == 0 else ''} | {name} | {_cell(va)} | {_cell(vb)} |"
            )
    same = [row["id"] for row in result["deadlines"] if not row["differs"]]
    if same:
        out += ["", "The same in both: " + ", ".join(f"`{s}`" for s in same) + "."]
    for key, name in (("only_in_a", a), ("only_in_b", b)):
        if result["steps"][key]:
            out += [
                "",
                f"Steps only in `{name}`: "
                + ", ".join(f"`{s['id']}` ({s['title']})" for s in result["steps"][key])
                + ".",
            ]
    return "\n".join(out) + "\n"


def _summary(deadline: Deadline | None) -> str:
    """`10 working days, up to 20, from complaint-received`, or `10 working days before the
    panel_date of panel-scheduled`."""
    if deadline is None:
        return ""
    if not deadline.limit.stated:
        return f"{deadline.limit}, from {deadline.anchor}"
    text = str(deadline.limit)
    if deadline.longest != deadline.limit:
        text += f", up to {deadline.longest.amount},"
    if deadline.before:
        return f"{text} before the {deadline.anchor_field} of {deadline.anchor}"
    return f"{text} from {deadline.anchor}"


def page(procedures: Sequence[Parts]) -> str:
    """docs/comparison.md: every deadline of every procedure in one table."""
    order = list(dict.fromkeys(key for p in procedures for key in p.deadlines))
    out = [
        "# Every deadline, side by side",
        "",
        "Each cell gives the limit, the longest an extension can make it, and what it counts from.",
        "A blank cell means the procedure has no such deadline. Generated by",
        "`csc-rules diff --all --format markdown`; a test fails when it is out of date.",
        "",
        "| deadline | " + " | ".join(f"`{p.id}`" for p in procedures) + " |",
        "|---|" + "---|" * len(procedures),
    ]
    for deadline_id in order:
        cells = [_cell(_summary(p.deadlines.get(deadline_id))) for p in procedures]
        out.append(f"| {deadline_id} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"
