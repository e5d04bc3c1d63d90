"""The right form of a value, for messages that show it: the schema's own example written as
YAML, the choices it allows, and a time limit written as words read back as the mapping it
should be. The examples live in rules/*.schema.json, so the engine names no procedure's ids."""

from __future__ import annotations

import json
import re
from typing import Any

from .._words import joined

# A plain YAML word needs no quotes: letters, digits and the punctuation of ids and dates.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./_-]*")
# `10 working days`, `20 calendar days`, `3 months`, `2 weeks`: a number and its unit in words.
_SPOKEN = re.compile(r"^\s*(\d+)\s*([a-z][a-z -]*?)\s*$", re.I)


def flow(value: Any) -> str:
    """`value` as one line of YAML: `{amount: 10, unit: working-days}`, `[a, b]`, `"a: b"`."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str) and not _PLAIN.fullmatch(value):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def example(schema: Any) -> str | None:
    """The schema's first example as YAML, or None where it gives none."""
    examples = schema.get("examples") if isinstance(schema, dict) else None
    return flow(examples[0]) if isinstance(examples, list) and examples else None


def for_example(schema: Any, key: Any) -> str:
    """`; for example `key: <example>`` where the schema gives one, else ''."""
    shown = example(schema)
    if shown is None:
        return ""
    return f"; for example `{key}: {shown}`" if isinstance(key, str) else f"; for example `{shown}`"


def units(schema: Any) -> list[str]:
    """The units a time limit's schema allows; [] for a schema that is no time limit."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict) or not {"amount", "unit"} <= properties.keys():
        return []
    return [str(u) for u in properties["unit"].get("enum", [])]


def limit_hint(schema: Any, value: Any) -> str:
    """What to write instead of a time limit given as a number or words (`10 working days`)."""
    allowed = units(schema)
    if not allowed:
        return ""
    names = joined([f"`{u}`" for u in allowed])
    either = " (or `{unstated: why}` where the documents give no time)" if _unstated(schema) else ""
    choices = f"; the units are {names}{either}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"; give the unit too, as `{{amount: {value}, unit: {allowed[0]}}}`{choices}"
    spoken = _SPOKEN.match(value) if isinstance(value, str) else None
    if spoken is None:
        shown = example(schema) or f"{{amount: 10, unit: {allowed[0]}}}"
        return f"; write it as a mapping with the number in figures, like `{shown}`{choices}"
    amount, words = spoken.group(1), spoken.group(2).lower()
    unit = _unit(words, allowed)
    if unit is None:
        return f"; `{words}` is not a unit csc-rules counts in: count the time in {names}{either}"
    return f"; write it as `{{amount: {amount}, unit: {unit}}}`{choices}"


def _unit(words: str, allowed: list[str]) -> str | None:
    """The unit `words` names (`working days` -> `working-days`, `calendar day` -> `days`)."""
    name = "-".join(words.split()).replace("--", "-")
    for candidate in (
        name,
        name + "s",
        name.removeprefix("calendar-"),
        f"{name}s".removeprefix("calendar-"),
    ):
        if candidate in allowed:
            return candidate
    return None


def _unstated(schema: dict[str, Any]) -> bool:
    return "unstated" in schema.get("properties", {})
