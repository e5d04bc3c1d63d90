"""Conditions over a case's facts: the static checks made when a procedure is loaded."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import Any

from ._suggest import did_you_mean
from .diagnostics import Diagnostic
from .schema import Locator

Path_ = tuple[Any, ...]
LOGIC = ("all", "any", "not")
TESTS = ("equals", "in", "present")


def check(
    condition: Any, path: Path_, facts: Mapping[str, Any], where: Locator
) -> Iterator[Diagnostic]:
    """Every problem in `condition`: its shape, the facts it reads, the values it compares them with."""
    if not isinstance(condition, dict):
        return
    logic = [k for k in LOGIC if k in condition]
    tests = [k for k in TESTS if k in condition]
    if logic:
        if len(condition) != 1:
            yield where.diagnostic(
                path,
                "bad-condition",
                f"a condition with `{logic[0]}` may hold nothing else: wrap the rest in `all:`",
                key=True,
            )
        for op in logic:
            if op == "not":
                yield from check(condition[op], path + (op,), facts, where)
            elif isinstance(condition[op], list):
                for index, part in enumerate(condition[op]):
                    yield from check(part, path + (op, index), facts, where)
        return
    if "fact" not in condition:
        yield where.diagnostic(
            path,
            "bad-condition",
            "a condition needs `fact:` with `equals`, `in` or `present`, or one of `all`, `any`, `not`",
            key=True,
        )
        return
    name = condition["fact"]
    if not isinstance(name, str):
        return
    if len(tests) != 1:
        yield where.diagnostic(
            path,
            "bad-condition",
            f"the test of fact `{name}` needs exactly one of `equals`, `in`, `present`",
            key=True,
        )
        return
    if name not in facts:
        yield where.diagnostic(
            path + ("fact",),
            "unknown-fact",
            f"no fact is called `{name}`{did_you_mean(str(name), facts)} (facts are declared in rules/vocabulary.yaml)",
        )
        return
    test = tests[0]
    if test == "present":
        return
    values = condition[test] if test == "in" else [condition[test]]
    for index, value in enumerate(values if isinstance(values, list) else []):
        at = path + ((test, index) if test == "in" else (test,))
        problem = _mismatch(facts[name], value)
        if problem:
            yield where.diagnostic(at, "fact-type", f"fact `{name}` {problem}")


def _mismatch(fact: Mapping[str, Any], value: Any) -> str | None:
    """Why `value` can never equal a value of `fact`, or None when it can."""
    kind = fact.get("type")
    if kind == "bool":
        return (
            None
            if isinstance(value, bool)
            else f"is true or false, so it cannot be compared with `{value}`"
        )
    if kind == "number":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else f"is a number, so it cannot be compared with `{value}`"
    if not isinstance(value, str):
        return f"is {kind}, so it cannot be compared with `{value}`"
    if kind in ("enum", "list"):
        allowed = fact.get("values", [])
        return (
            None
            if value in allowed
            else f"has no value `{value}`{did_you_mean(value, allowed)} (values: {', '.join(allowed)})"
        )
    if kind == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return f"is a date, so compare it with a date written YYYY-MM-DD, not `{value}`"
    return None


def describe(condition: Any) -> str:
    """A condition in words: `complex`, `subject is school-admissions`, `not (a or b)`."""
    if not isinstance(condition, Mapping):
        return str(condition)
    if "all" in condition or "any" in condition:
        op = "all" if "all" in condition else "any"
        joined = (" and " if op == "all" else " or ").join(describe(c) for c in condition[op])
        return f"({joined})" if len(condition[op]) > 1 else joined
    if "not" in condition:
        return f"not {describe(condition['not'])}"
    fact = condition.get("fact", "?")
    if "equals" in condition:
        value = condition["equals"]
        if value is True:
            return str(fact)
        if value is False:
            return f"not {fact}"
        return f"{fact} is {value}"
    if "in" in condition:
        return f"{fact} is one of {', '.join(map(str, condition['in']))}"
    if "present" in condition:
        return f"{fact} is {'known' if condition['present'] else 'unknown'}"
    return str(fact)


def holds(condition: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """Whether `condition` holds for a case's (flattened) facts; a fact the case does not give
    makes a test false, so an extension never applies on a guess."""
    if "all" in condition:
        return all(holds(part, facts) for part in condition["all"])
    if "any" in condition:
        return any(holds(part, facts) for part in condition["any"])
    if "not" in condition:
        return not holds(condition["not"], facts)
    name = str(condition.get("fact"))
    if "present" in condition:
        return (name in facts) == bool(condition["present"])
    if name not in facts:
        return False
    value = facts[name]
    values = value if isinstance(value, list) else [value]
    if "equals" in condition:
        return condition["equals"] in values
    if "in" in condition:
        return any(v in condition["in"] for v in values)
    return False
