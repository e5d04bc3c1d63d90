"""Conditions over a case's facts: a small declarative language, checked when a procedure is loaded
and evaluated without `eval`. A condition is one of:

- `{all: [...]}`, `{any: [...]}`, `{not: ...}`;
- `{fact: name, equals: value}`, `{fact: name, in: [values]}`, `{fact: name, present: true}`;
- `{fact: name, at_least | at_most | more_than | less_than: value}` for numbers and dates;
- `{fact: name, earlier_than: {amount, unit}}`: a date more than that long before the complaint
  was received; `{fact: name, no_later_than: {amount, unit}}`: a date at most that long after it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ._suggest import did_you_mean
from .diagnostics import Diagnostic
from .errors import CscRulesError
from .schema import Locator

if TYPE_CHECKING:
    from .working_days import WorkingCalendar

Path_ = tuple[Any, ...]
LOGIC = ("all", "any", "not")
COMPARISONS = {"at_least": ">=", "at_most": "<=", "more_than": ">", "less_than": "<"}
RELATIVE = ("earlier_than", "no_later_than")
TESTS = ("equals", "in", "present", *COMPARISONS, *RELATIVE)
_UNITS = {
    "working-days": ("working day", "working days"),
    "days": ("day", "days"),
    "months": ("month", "months"),
}


class Missing(CscRulesError):
    """A condition cannot be decided: the case does not give these facts."""

    def __init__(self, facts: list[str]) -> None:
        self.facts = facts
        super().__init__(", ".join(facts))


# -- checking a condition when the procedure is loaded --------------------------------------------


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
            f"a condition needs `fact:` with one of {', '.join(TESTS)}, or one of `all`, `any`, `not`",
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
            f"the test of fact `{name}` needs exactly one of {', '.join(TESTS)}",
            key=True,
        )
        return
    if name not in facts:
        yield where.diagnostic(
            path + ("fact",),
            "unknown-fact",
            f"no fact is called `{name}`{did_you_mean(name, facts)} (facts are declared in rules/vocabulary.yaml)",
        )
        return
    test, fact = tests[0], facts[name]
    if test == "present":
        return
    if test in RELATIVE or test in COMPARISONS:
        allowed = ("date",) if test in RELATIVE else ("date", "number")
        if fact.get("type") not in allowed:
            yield where.diagnostic(
                path + (test,),
                "fact-type",
                f"fact `{name}` is {fact.get('type')}, so `{test}` cannot apply to it (only to {' or '.join(allowed)} facts)",
            )
            return
    if test in RELATIVE:
        return  # the amount and unit are checked by the schema
    values = condition[test] if test == "in" else [condition[test]]
    for index, value in enumerate(values if isinstance(values, list) else []):
        at = path + ((test, index) if test == "in" else (test,))
        problem = _mismatch(fact, value)
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


# -- evaluating a condition for a case ------------------------------------------------------------


class Context:
    """What date tests count from: the day the complaint was received, in the procedure's calendar."""

    __slots__ = ("received", "calendar")

    def __init__(
        self, received: datetime.date | None = None, calendar: WorkingCalendar | None = None
    ) -> None:
        self.received = received
        self.calendar = calendar


def evaluate(
    condition: Mapping[str, Any], facts: Mapping[str, Any], context: Context | None = None
) -> bool:
    """Whether `condition` holds for a case's (flattened) facts. Raises Missing, naming the facts,
    when the answer depends on facts the case does not give: nothing is guessed."""
    missing: list[str] = []
    answer = decide(condition, facts, context, missing)
    if answer is None:
        raise Missing(missing)
    return answer


def decide(
    condition: Mapping[str, Any],
    facts: Mapping[str, Any],
    context: Context | None,
    missing: list[str],
) -> bool | None:
    """True, False, or None when undecided, adding the facts it would need to `missing`."""
    if "all" in condition or "any" in condition:
        wanted = "all" in condition
        undecided = False
        for part in condition["all" if wanted else "any"]:
            answer = decide(part, facts, context, missing)
            if answer is None:
                undecided = True
            elif answer != wanted:
                return not wanted
        return None if undecided else wanted
    if "not" in condition:
        answer = decide(condition["not"], facts, context, missing)
        return None if answer is None else not answer
    name = str(condition.get("fact"))
    if "present" in condition:
        return (name in facts) == bool(condition["present"])
    if name not in facts:
        if name not in missing:
            missing.append(name)
        return None
    value = facts[name]
    values = value if isinstance(value, list) else [value]
    if "equals" in condition:
        return condition["equals"] in values
    if "in" in condition:
        return any(v in condition["in"] for v in values)
    for test, symbol in COMPARISONS.items():
        if test in condition:
            return _compare(_comparable(value), symbol, _comparable(condition[test]))
    for test in RELATIVE:
        if test in condition:
            day = _comparable(value)
            if context is None or context.received is None or not isinstance(day, datetime.date):
                return False
            return _relative(test, day, condition[test], context)
    return False


def _comparable(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _compare(left: Any, symbol: str, right: Any) -> bool:
    try:
        if symbol == ">=":
            return bool(left >= right)
        if symbol == "<=":
            return bool(left <= right)
        return bool(left > right) if symbol == ">" else bool(left < right)
    except TypeError:  # a date compared with a number: never true
        return False


def _relative(test: str, day: datetime.date, limit: Mapping[str, Any], context: Context) -> bool:
    assert context.received is not None
    from .working_days import add_months

    amount, unit, received = int(limit["amount"]), str(limit["unit"]), context.received
    if test == "earlier_than":
        if unit == "months":
            return day < add_months(received, -amount)
        if unit == "days":
            return day < received - datetime.timedelta(days=amount)
        assert context.calendar is not None
        return day < context.calendar.subtract(received, amount)
    if unit == "months":
        return day <= add_months(received, amount)
    if unit == "days":
        return day <= received + datetime.timedelta(days=amount)
    assert context.calendar is not None
    return day <= context.calendar.add(received, amount)


def holds(
    condition: Mapping[str, Any], facts: Mapping[str, Any], context: Context | None = None
) -> bool:
    """Whether `condition` surely holds: a missing fact counts as false, so an extension never
    applies on a guess."""
    return decide(condition, facts, context, []) is True


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
    for test, symbol in COMPARISONS.items():
        if test in condition:
            return f"{fact} {symbol} {condition[test]}"
    for test in RELATIVE:
        if test in condition:
            limit = condition[test]
            singular, plural = _UNITS.get(str(limit.get("unit")), ("", ""))
            amount = limit.get("amount")
            span = f"{amount} {singular if amount == 1 else plural}"
            return (
                f"{fact} more than {span} before receipt"
                if test == "earlier_than"
                else f"{fact} no later than {span} after receipt"
            )
    return str(fact)


Compiled = Callable[[Mapping[str, Any], "Context | None", list[str]], "bool | None"]


def compile_condition(condition: Mapping[str, Any]) -> Compiled:
    """`decide` for one condition, built once as nested closures so that evaluating it for many
    cases does not read the condition's structure again. No code is generated or evaluated."""
    if "all" in condition or "any" in condition:
        wanted = "all" in condition
        parts = [compile_condition(part) for part in condition["all" if wanted else "any"]]

        def combined(
            facts: Mapping[str, Any], context: Context | None, missing: list[str]
        ) -> bool | None:
            undecided = False
            for part in parts:
                answer = part(facts, context, missing)
                if answer is None:
                    undecided = True
                elif answer != wanted:
                    return not wanted
            return None if undecided else wanted

        return combined
    if "not" in condition:
        inner = compile_condition(condition["not"])

        def negated(
            facts: Mapping[str, Any], context: Context | None, missing: list[str]
        ) -> bool | None:
            answer = inner(facts, context, missing)
            return None if answer is None else not answer

        return negated
    plain_condition = {k: v for k, v in condition.items()}
    name = str(plain_condition.get("fact"))
    if "present" in plain_condition:
        expected = bool(plain_condition["present"])
        return lambda facts, context, missing: (name in facts) == expected
    if "equals" in plain_condition or "in" in plain_condition:
        accepted = frozenset(
            [plain_condition["equals"]] if "equals" in plain_condition else plain_condition["in"]
        )

        def member(
            facts: Mapping[str, Any], context: Context | None, missing: list[str]
        ) -> bool | None:
            if name not in facts:
                if name not in missing:
                    missing.append(name)
                return None
            value = facts[name]
            if isinstance(value, list):
                return any(v in accepted for v in value)
            return value in accepted

        return member

    def other(facts: Mapping[str, Any], context: Context | None, missing: list[str]) -> bool | None:
        return decide(plain_condition, facts, context, missing)

    return other
