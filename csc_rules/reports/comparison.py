"""Procedures side by side: two of them deadline by deadline and rule by rule, or every one in
one page. Each deadline says where it starts and where it ends (what meets it, in the words of
the event's description): one council's limit may run to a report where another's runs to the
answer. Each rule says what it decides, when, and the documents it cites, by name."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from ..language.conditions import describe
from ..language.model import Deadline, Event, Parts, Rule

FIELDS = ("limit", "anchor", "met_by", "extensions", "actor", "source")
RULE_FIELDS = ("decision", "when", "cites")
# How the text and markdown name each field.
LABELS = {"met_by": "ends at"}
# The articles an event's description may open with, lower-cased where it is read mid-sentence.
_ARTICLES = ("The ", "A ", "An ")


def event_words(events: Mapping[str, Event], event_id: str) -> str:
    """What an event records, to follow `ends when`: its description without the full stop
    (`the council's stage 2 response was sent`), or its id where the procedure has no such
    event."""
    event = events.get(event_id)
    if event is None:
        return event_id
    text = " ".join(event.description.split()).rstrip(".")
    if text.startswith(_ARTICLES):
        text = text[0].lower() + text[1:]
    return text


def document_name(document: str, documents: Mapping[str, str]) -> str:
    """How a cited document is named: one cited by an id (`004_b2659dac51ae51b8.txt`,
    `bexley-complaints-page`) by the name its council or the vocabulary gives it; a statute or
    code by its citation (`SI 2006/1738`), which is already a name people read."""
    if " " not in document:
        return documents.get(document, document)
    return document


def deadline_fields(
    deadline: Deadline | None, events: Mapping[str, Event] | None = None
) -> dict[str, str] | None:
    """What `diff` compares about one duty or window, as text; `ends` says in words what meets
    it (not compared: it follows from `met_by`)."""
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
        "ends": " or ".join(event_words(events or {}, e) for e in deadline.met_by),
    }


def rule_fields(
    rule: Rule | None, documents: Mapping[str, str] | None = None
) -> dict[str, Any] | None:
    """What `diff` compares about one eligibility rule, as text: its decision (with the route
    of a redirect), its condition in words, and the documents it cites, by name. `title`,
    `route` and `documents` (the cited documents as the sources give them) are not compared."""
    if rule is None:
        return None
    cited = sorted({source.split(":", 1)[0].strip() for source in rule.sources})
    names = sorted({document_name(d, documents or {}) for d in cited})
    return {
        "decision": rule.decision + (f" to {rule.route}" if rule.route else ""),
        "when": describe(rule.when),
        "cites": "; ".join(names),
        "title": rule.title or rule.id,
        "route": rule.route,
        "documents": cited,
    }


def _steps(procedure: Parts) -> dict[str, str]:
    return {step.id: step.title or step.id for stage in procedure.stages for step in stage.steps}


def _expected(procedure: Parts) -> dict[str, str]:
    """The timescales steps are expected to take that no event measures, by step."""
    return {
        step.id: str(step.expected_within)
        for stage in procedure.stages
        for step in stage.steps
        if step.expected_within is not None
    }


def _rows(
    a: Mapping[str, Any],
    b: Mapping[str, Any],
    fields_a: Callable[[Any], dict[str, Any] | None],
    fields_b: Callable[[Any], dict[str, Any] | None],
    names: Sequence[str],
) -> list[dict[str, Any]]:
    """One row per id in either, in a's order then b's: each side's fields, and which differ."""
    rows = []
    for item_id in [*a, *(i for i in b if i not in a)]:
        fa, fb = fields_a(a.get(item_id)), fields_b(b.get(item_id))
        differs = [f for f in names if fa is None or fb is None or fa[f] != fb[f]]
        rows.append({"id": item_id, "a": fa, "b": fb, "differs": differs})
    return rows


def diff(a: Parts, b: Parts, documents: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Two procedures compared by deadline id and by rule id, and their steps. `documents`
    names the documents sources cite (rules/vocabulary.yaml)."""
    steps_a, steps_b = _steps(a), _steps(b)
    expected_a, expected_b = _expected(a), _expected(b)
    names = documents or {}
    return {
        "a": a.id,
        "b": b.id,
        "deadlines": _rows(
            a.deadlines,
            b.deadlines,
            partial(deadline_fields, events=a.events),
            partial(deadline_fields, events=b.events),
            FIELDS,
        ),
        "rules": _rows(
            {r.id: r for r in a.rules},
            {r.id: r for r in b.rules},
            partial(rule_fields, documents=names),
            partial(rule_fields, documents=names),
            RULE_FIELDS,
        ),
        "expected": [
            {"step": s, "a": expected_a.get(s), "b": expected_b.get(s)}
            for s in [*expected_a, *(s for s in expected_b if s not in expected_a)]
            if expected_a.get(s) != expected_b.get(s)
        ],
        "steps": {
            "only_in_a": [{"id": s, "title": t} for s, t in steps_a.items() if s not in steps_b],
            "only_in_b": [{"id": s, "title": t} for s, t in steps_b.items() if s not in steps_a],
        },
    }


def side_by_side(
    procedures: Sequence[Parts], documents: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """`diff --all` as JSON: every deadline and rule of every procedure, as `diff` describes
    each one (null where a procedure has no such deadline or rule), and the timescales steps
    are expected to take."""
    order = list(dict.fromkeys(key for p in procedures for key in p.deadlines))
    rules = {p.id: {r.id: r for r in p.rules} for p in procedures}
    expected = {p.id: _expected(p) for p in procedures}
    return {
        "procedures": [p.id for p in procedures],
        "deadlines": [
            {
                "id": key,
                "procedures": {
                    p.id: deadline_fields(p.deadlines.get(key), p.events) for p in procedures
                },
            }
            for key in order
        ],
        "rules": [
            {
                "id": key,
                "procedures": {
                    p.id: rule_fields(rules[p.id].get(key), documents) for p in procedures
                },
            }
            for key in dict.fromkeys(r.id for p in procedures for r in p.rules)
        ],
        "expected": [
            {"step": step, "procedures": {p.id: expected[p.id].get(step) for p in procedures}}
            for step in dict.fromkeys(s for p in procedures for s in expected[p.id])
        ],
    }


def _line(label: str, field: str, text: str) -> str:
    return f"{label:<26} {field:<11} {text}"


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
                f"{row['id']:<26} {'only in':<11} {side}: {_span(present)} to {present['met_by']}"
            )
            out.append(_line("", "ends when", _ends(present)))
            continue
        for index, name in enumerate(row["differs"]):
            label = row["id"] if index == 0 else ""
            out += _pair(label, LABELS.get(name, name), row["a"][name], row["b"][name], width)
            if name == "met_by":  # the two ends differ: say what each records
                out.append(_line("", "ends when", f"{a}: {_ends(row['a'])}"))
                out.append(_line("", "", f"{b}: {_ends(row['b'])}"))
        if "met_by" not in row["differs"]:
            out.append(
                _line("", "ends at", f"{row['a']['met_by']} in both, when {_ends(row['a'])}")
            )
    if same:
        out.append(f"{'the same in both:':<38} {', '.join(same)}")
    steps = result["steps"]
    for key, name in (("only_in_a", a), ("only_in_b", b)):
        if steps[key]:
            out.append(
                f"{'steps only in ' + name + ':':<38} " + ", ".join(s["id"] for s in steps[key])
            )
    out += _rules_text(result, width)
    return "\n".join(out) + "\n"


def _pair(label: str, field: str, a: str, b: str, width: int) -> list[str]:
    """One field of both procedures in their columns; b's value on a line of its own, in its
    column, where a's fills its column (so that the two never run together)."""
    if len(a) < width:
        return [f"{label:<26} {field:<11} {a:<{width}} {b}"]
    return [f"{label:<26} {field:<11} {a}", f"{'':<26} {'':<11} {'':<{width}} {b}"]


def _ends(fields: Mapping[str, str]) -> str:
    """What meets a deadline in words; its events' ids where the result predates `ends`."""
    return fields.get("ends") or fields["met_by"]


def _rules_text(result: Mapping[str, Any], width: int) -> list[str]:
    """The rules block of `as_text`, and the timescales steps are expected to take."""
    a, b = result["a"], result["b"]
    out = ["", f"{'rule':<26} {'':<11} {a:<{width}} {b}"]
    same = []
    for row in result["rules"]:
        if not row["differs"]:
            same.append(row["id"])
            continue
        if row["a"] is None or row["b"] is None:
            side = a if row["b"] is None else b
            present = row["a"] or row["b"]
            out.append(
                f"{row['id']:<26} {'only in':<11} {side}: {present['decision']} when {present['when']} ({present['cites']})"
            )
            continue
        for index, name in enumerate(row["differs"]):
            label = row["id"] if index == 0 else ""
            out += _pair(label, name, row["a"][name], row["b"][name], width)
        for name in RULE_FIELDS:
            if name not in row["differs"]:
                out.append(_line("", name, f"in both: {row['a'][name]}"))
    if same:
        out.append(f"{'rules the same in both:':<38} {', '.join(same)}")
    for row in result["expected"]:
        out += _pair(row["step"], "expected", row["a"] or "(none)", row["b"] or "(none)", width)
    return out if len(out) > 2 else []


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
                f"| {row['id'] if index == 0 else ''} | {LABELS.get(name, name)} | {_cell(va)} | {_cell(vb)} |"
            )
            if name == "met_by":
                wa = _ends(row["a"]) if row["a"] else "(none)"
                wb = _ends(row["b"]) if row["b"] else "(none)"
                out.append(f"|  | ends when | {_cell(wa)} | {_cell(wb)} |")
        if row["differs"] and "met_by" not in row["differs"]:
            ends = [f"{side['met_by']}, when {_ends(side)}" for side in (row["a"], row["b"])]
            out.append(f"|  | ends at (in both) | {_cell(ends[0])} | {_cell(ends[1])} |")
    same = [row["id"] for row in result["deadlines"] if not row["differs"]]
    if same:
        out += ["", "The same in both: " + ", ".join(f"`{s}`" for s in same) + "."]
    rules = [row for row in result["rules"] if row["differs"]]
    if rules or result["expected"]:
        out += ["", f"| rule | field | `{a}` | `{b}` |", "|---|---|---|---|"]
    for row in rules:
        for index, name in enumerate(row["differs"]):
            va = row["a"][name] if row["a"] else "(none)"
            vb = row["b"][name] if row["b"] else "(none)"
            out.append(
                f"| {row['id'] if index == 0 else ''} | {name} | {_cell(va)} | {_cell(vb)} |"
            )
        for name in RULE_FIELDS:
            if name not in row["differs"]:
                value = _cell(row["a"][name])
                out.append(f"|  | {name} (in both) | {value} | {value} |")
    for row in result["expected"]:
        out.append(
            f"| {row['step']} | expected | {_cell(row['a'] or '(none)')} | {_cell(row['b'] or '(none)')} |"
        )
    same_rules = [row["id"] for row in result["rules"] if not row["differs"]]
    if same_rules:
        out += ["", "Rules the same in both: " + ", ".join(f"`{s}`" for s in same_rules) + "."]
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
        return f"{deadline.limit}, from {deadline.anchor} to {', '.join(deadline.met_by)}"
    text = str(deadline.limit)
    if deadline.longest != deadline.limit:
        text += f", up to {deadline.longest.amount},"
    ends = ", ".join(deadline.met_by)
    if deadline.before:
        return f"{text} before the {deadline.anchor_field} of {deadline.anchor}, to {ends}"
    return f"{text} from {deadline.anchor} to {ends}"


def page(procedures: Sequence[Parts], documents: Mapping[str, str] | None = None) -> str:
    """docs/comparison.md: every deadline of every procedure in one table, what ends each,
    every rule, and the timescales steps are expected to take."""
    order = list(dict.fromkeys(key for p in procedures for key in p.deadlines))
    out = [
        "# Every deadline and rule, side by side",
        "",
        "Each cell gives the limit, the longest an extension can make it, what it counts from and",
        "the event that ends it (one procedure's limit may end at a report where another's ends at",
        "the answer). A blank cell means the procedure has no such deadline. Generated by",
        "`csc-rules docs -o docs` (this page alone: `csc-rules diff --all --format markdown`); a",
        "test fails when it is out of date.",
        "",
        "## Deadlines",
        "",
        "| deadline | " + " | ".join(f"`{p.id}`" for p in procedures) + " |",
        "|---|" + "---|" * len(procedures),
    ]
    for deadline_id in order:
        cells = [_cell(_summary(p.deadlines.get(deadline_id))) for p in procedures]
        out.append(f"| {deadline_id} | " + " | ".join(cells) + " |")
    ends: dict[str, dict[str, None]] = {}
    for p in procedures:
        for deadline in p.deadlines.values():
            for event in deadline.met_by:
                ends.setdefault(event, {})[event_words(p.events, event)] = None
    out += [
        "",
        "## What ends them",
        "",
        "Each event a deadline above ends at, and what it records.",
        "",
        "| event | what it records |",
        "|---|---|",
    ]
    for event, words in ends.items():
        out.append(f"| {event} | {_cell('; or '.join(words))} |")
    out += [
        "",
        "## Rules",
        "",
        "Who may complain, what is excluded or sent elsewhere, and where the council has",
        "discretion: each rule's decision, when it applies, and the documents it cites.",
        "",
        "| rule | " + " | ".join(f"`{p.id}`" for p in procedures) + " |",
        "|---|" + "---|" * len(procedures),
    ]
    for rule_id in dict.fromkeys(r.id for p in procedures for r in p.rules):
        cells = []
        for p in procedures:
            fields = rule_fields(next((r for r in p.rules if r.id == rule_id), None), documents)
            cells.append(
                _cell(f"{fields['decision']} when {fields['when']} ({fields['cites']})")
                if fields
                else ""
            )
        out.append(f"| {rule_id} | " + " | ".join(cells) + " |")
    expected = [_expected(p) for p in procedures]
    steps = list(dict.fromkeys(s for e in expected for s in e))
    if steps:
        out += [
            "",
            "## Timescales no event measures",
            "",
            "What a step is expected to take where the documents give a time but no recorded",
            "event measures it, such as settling a concern before it becomes a complaint.",
            "",
            "| step | " + " | ".join(f"`{p.id}`" for p in procedures) + " |",
            "|---|" + "---|" * len(procedures),
        ]
        for step in steps:
            out.append(f"| {step} | " + " | ".join(_cell(e.get(step, "")) for e in expected) + " |")
    return "\n".join(out) + "\n"
