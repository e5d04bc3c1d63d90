"""Procedures side by side: two of them deadline by deadline, or every one in one table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .conditions import describe

FIELDS = ("limit", "anchor", "met_by", "extensions", "actor", "source")


def deadline_fields(deadline: Mapping[str, Any] | None) -> dict[str, str] | None:
    """What `diff` compares about one duty or window, as text."""
    if deadline is None:
        return None
    limit = deadline.get("limit", {})
    if "amount" in limit:
        direction = " before" if deadline.get("direction") == "before" else ""
        limit_text = f"{limit['amount']} {str(limit.get('unit')).replace('-', ' ')}{direction}"
    else:
        limit_text = "no time limit stated"
    extensions = []
    for name, extension in deadline.get("extensions", {}).items():
        maximum = extension.get("maximum", {})
        how = describe(extension["when"]) if "when" in extension else f"on {extension.get('event')}"
        extensions.append(f"{name}: up to {maximum.get('amount')} when {how}")
    anchor = str(deadline.get("anchor"))
    if deadline.get("anchor_field"):
        anchor += f" ({deadline['anchor_field']})"
    sources = deadline.get("sources", [])
    return {
        "limit": limit_text,
        "anchor": anchor,
        "met_by": ", ".join(deadline.get("met_by", [])),
        "extensions": "; ".join(extensions) or "none",
        "actor": str(deadline.get("actor", "")).replace("-", " "),
        "source": str(sources[0]) if sources else "",
    }


def _deadlines(definition: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {**definition.get("duties", {}), **definition.get("windows", {})}


def _steps(definition: Mapping[str, Any]) -> dict[str, str]:
    return {
        step_id: str(step.get("title") or step_id)
        for stage in definition.get("stages", {}).values()
        for step_id, step in stage.get("steps", {}).items()
    }


def diff(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """Two resolved definitions compared by deadline id, and their steps."""
    deadlines_a, deadlines_b = _deadlines(a), _deadlines(b)
    rows = []
    for deadline_id in [*deadlines_a, *(d for d in deadlines_b if d not in deadlines_a)]:
        fa, fb = (
            deadline_fields(deadlines_a.get(deadline_id)),
            deadline_fields(deadlines_b.get(deadline_id)),
        )
        differs = [f for f in FIELDS if fa is None or fb is None or fa[f] != fb[f]]
        rows.append({"id": deadline_id, "a": fa, "b": fb, "differs": differs})
    steps_a, steps_b = _steps(a), _steps(b)
    return {
        "a": a.get("procedure"),
        "b": b.get("procedure"),
        "deadlines": rows,
        "steps": {
            "only_in_a": [{"id": s, "title": t} for s, t in steps_a.items() if s not in steps_b],
            "only_in_b": [{"id": s, "title": t} for s, t in steps_b.items() if s not in steps_a],
        },
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


def _summary(deadline: Mapping[str, Any] | None) -> str:
    """`10 working days, up to 20, from complaint-received`, or `10 working days before the
    panel_date of panel-scheduled`."""
    if deadline is None:
        return ""
    limit = deadline.get("limit", {})
    if "amount" not in limit:
        return f"no time limit stated, from {deadline.get('anchor')}"
    text = f"{limit['amount']} {str(limit.get('unit')).replace('-', ' ')}"
    maxima = [
        e.get("maximum", {}).get("amount", 0) for e in deadline.get("extensions", {}).values()
    ]
    if maxima:
        text += f", up to {max(maxima)},"
    if deadline.get("direction") == "before":
        return f"{text} before the {deadline.get('anchor_field')} of {deadline.get('anchor')}"
    return f"{text} from {deadline.get('anchor')}"


def page(definitions: Sequence[Mapping[str, Any]]) -> str:
    """docs/comparison.md: every deadline of every procedure in one table."""
    ids = [str(d.get("procedure")) for d in definitions]
    order: list[str] = []
    for definition in definitions:
        order += [d for d in _deadlines(definition) if d not in order]
    out = [
        "# Every deadline, side by side",
        "",
        "Each cell gives the limit, the longest an extension can make it, and what it counts from.",
        "A blank cell means the procedure has no such deadline. Generated by",
        "`csc-rules diff --all --format markdown`; a test fails when it is out of date.",
        "",
        "| deadline | " + " | ".join(f"`{i}`" for i in ids) + " |",
        "|---|" + "---|" * len(ids),
    ]
    for deadline_id in order:
        cells = [_cell(_summary(_deadlines(d).get(deadline_id))) for d in definitions]
        out.append(f"| {deadline_id} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"
