"""Conditions over a case's facts: a small declarative language, checked when a procedure is loaded
and evaluated without `eval`. A condition is one of:

- `{all: [...]}`, `{any: [...]}`, `{not: ...}`;
- `{fact: name, equals: value}`, `{fact: name, in: [values]}`, `{fact: name, present: true}`;
- `{fact: name, at_least | at_most | more_than | less_than: value}` for numbers and dates;
- `{fact: name, earlier_than: {amount, unit}}`: a date more than that long before the complaint
  was received; `{fact: name, no_later_than: {amount, unit}}`: a date at most that long after it.

Every operator is one entry of `OPERATORS`, which says how it is checked when a procedure is
loaded, how it is built into a test, and how it is put into words; `check`, `compile_condition`
and `describe` are the walkers that add the rest (where a problem is, the facts that are missing,
the brackets), as jsonschema's `validators.create` walks its table of keywords. A condition is
evaluated one way only: built once into nested closures (no code is generated), then run for
each case.
"""

from __future__ import annotations

import datetime
import operator
import sys
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .._suggest import did_you_mean
from ..calendars.working_days import add_months
from ..diagnostics import Locator, Path_
from ..errors import Missing
from ..reading.forms import flow
from .model import Limit

if TYPE_CHECKING:
    from ..calendars.working_days import WorkingCalendar
    from ..diagnostics import Diagnostic

T = TypeVar("T")


class Context:
    """What date tests count from: the day the complaint was received, in the procedure's calendar."""

    __slots__ = ("received", "calendar")

    def __init__(
        self, received: datetime.date | None = None, calendar: WorkingCalendar | None = None
    ) -> None:
        self.received = received
        self.calendar = calendar


# A condition built for evaluation: given a case's (flattened) facts and the context, True, False,
# or None when undecided, having added the facts it would need to the list.
Compiled = Callable[[Mapping[str, Any], "Context | None", list[str]], "bool | None"]
# What a test of one fact asks of the fact's value, once the case gives it.
Predicate = Callable[[Any, "Context | None"], bool]


# -- the operators ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Logic:
    """An operator that combines conditions: `all`, `any`, `not`."""

    # The conditions it combines, each with its place under the operator: what `check`
    # descends into, and what the other two fields receive built or in words.
    parts: Callable[[Any], Iterator[tuple[Path_, Any]]]
    build: Callable[[list[Compiled]], Compiled]  # the combined test, from the parts' tests
    words: Callable[[list[str]], str]  # the condition in words, from the parts in words


@dataclass(frozen=True)
class FactTest:
    """An operator that tests one fact against its operand (`equals: parent`, `in: [...]`)."""

    build: Callable[[str, Any], Compiled]  # the test of the named fact against the operand
    words: Callable[[str, Any], str]  # the test in words: the fact's name, the operand
    applies_to: tuple[str, ...] = ()  # the types of fact it can test; empty: any
    # The values in the operand that a fact's value is compared with, each with its place under
    # the operator, to be checked against the fact's declaration when the procedure is loaded.
    values: Callable[[Any], Iterator[tuple[Path_, Any]]] = lambda operand: iter(())
    reads_receipt: bool = False  # whether it counts from the day the complaint was received


def _sequence(operand: Any) -> Iterator[tuple[Path_, Any]]:
    if isinstance(operand, (list, tuple)):
        yield from (((index,), part) for index, part in enumerate(operand))


def _single(operand: Any) -> Iterator[tuple[Path_, Any]]:
    yield (), operand


def _all_or_any(wanted: bool) -> Logic:
    """`all` (wanted True) or `any` (wanted False): decided by the first part that answers
    otherwise than `wanted`; undecided if none does and a part is undecided."""

    def build(parts: list[Compiled]) -> Compiled:
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

    def words(parts: list[str]) -> str:
        joined = (" and " if wanted else " or ").join(parts)
        return f"({joined})" if len(parts) > 1 else joined

    return Logic(_sequence, build, words)


def _negation(parts: list[Compiled]) -> Compiled:
    (inner,) = parts

    def negated(
        facts: Mapping[str, Any], context: Context | None, missing: list[str]
    ) -> bool | None:
        answer = inner(facts, context, missing)
        return None if answer is None else not answer

    return negated


def _reading(name: str, predicate: Predicate) -> Compiled:
    """The test of fact `name`: undecided, and the fact added to `missing`, when the case does
    not give it; nothing is guessed."""

    def test(facts: Mapping[str, Any], context: Context | None, missing: list[str]) -> bool | None:
        if name in facts:
            return predicate(facts[name], context)
        if name not in missing:
            missing.append(name)
        return None

    return test


def _one_of(options: Any) -> Predicate:
    """The value, or for a list fact any of its items, is one of `options`."""
    try:
        accepted: frozenset[Any] | tuple[Any, ...] = frozenset(options)
    except TypeError:  # an option that cannot be hashed: compare one by one
        accepted = tuple(options)

    def member(value: Any) -> bool:
        try:
            return value in accepted
        except TypeError:  # a value that cannot be hashed equals none of them
            return False

    def predicate(value: Any, context: Context | None) -> bool:
        if isinstance(value, list):
            return any(member(item) for item in value)
        return member(value)

    return predicate


def _equals(name: str, value: Any) -> Compiled:
    return _reading(name, _one_of((value,)))


def _equals_words(name: str, value: Any) -> str:
    if value is True:
        return name
    if value is False:
        return f"not {name}"
    return f"{name} is {value}"


def _in(name: str, values: Any) -> Compiled:
    return _reading(name, _one_of(values if isinstance(values, (list, tuple)) else ()))


def _in_words(name: str, values: Any) -> str:
    return f"{name} is one of {', '.join(map(str, values))}"


def _comparable(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _comparison(symbol: str, compare: Callable[[Any, Any], Any]) -> FactTest:
    """`at_least` and the like: numbers with numbers, dates (written YYYY-MM-DD) with dates."""

    def build(name: str, operand: Any) -> Compiled:
        right = _comparable(operand)

        def predicate(value: Any, context: Context | None) -> bool:
            try:
                return bool(compare(_comparable(value), right))
            except TypeError:  # a date compared with a number: never true
                return False

        return _reading(name, predicate)

    return FactTest(
        build,
        lambda name, operand: f"{name} {symbol} {operand}",
        applies_to=("date", "number"),
        values=_single,
    )


def _relative(earlier: bool) -> FactTest:
    """`earlier_than` (a date more than the limit before receipt) or `no_later_than` (a date at
    most the limit after it). Without a receipt date, or for a value that is not a date, the
    test does not hold."""

    def build(name: str, operand: Any) -> Compiled:
        amount, unit = int(operand["amount"]), str(operand["unit"])

        def predicate(value: Any, context: Context | None) -> bool:
            day = _comparable(value)
            if context is None or context.received is None or not isinstance(day, datetime.date):
                return False
            received = context.received
            if unit == "months":
                limit = add_months(received, -amount if earlier else amount)
            elif unit == "days":
                limit = received + datetime.timedelta(days=-amount if earlier else amount)
            elif context.calendar is None:  # working days, but no calendar to count them in
                return False
            elif earlier:
                limit = context.calendar.subtract(received, amount)
            else:
                limit = context.calendar.add(received, amount)
            return day < limit if earlier else day <= limit

        return _reading(name, predicate)

    def words(name: str, operand: Any) -> str:
        span = str(Limit.of(operand))
        if earlier:
            return f"{name} more than {span} before receipt"
        return f"{name} no later than {span} after receipt"

    return FactTest(build, words, applies_to=("date",), reads_receipt=True)


def _present(name: str, operand: Any) -> Compiled:
    """Whether the case gives the fact: decided whether it does or not."""
    expected = bool(operand)
    return lambda facts, context, missing: (name in facts) == expected


def _present_words(name: str, known: Any) -> str:
    return f"{name} is {'known' if known else 'unknown'}"


# The language: every operator, in the order messages list them. The first key of a condition
# found here decides what the condition is; `check` refuses a condition with more than one.
OPERATORS: Mapping[str, Logic | FactTest] = MappingProxyType(
    {
        "all": _all_or_any(True),
        "any": _all_or_any(False),
        "not": Logic(_single, _negation, lambda parts: f"not {parts[0]}"),
        "equals": FactTest(_equals, _equals_words, values=_single),
        "in": FactTest(_in, _in_words, values=_sequence),
        "present": FactTest(_present, _present_words),
        "at_least": _comparison(">=", operator.ge),
        "at_most": _comparison("<=", operator.le),
        "more_than": _comparison(">", operator.gt),
        "less_than": _comparison("<", operator.lt),
        "earlier_than": _relative(earlier=True),
        "no_later_than": _relative(earlier=False),
    }
)
_LOGIC = {name: op for name, op in OPERATORS.items() if isinstance(op, Logic)}
_TESTS = {name: op for name, op in OPERATORS.items() if isinstance(op, FactTest)}
LOGIC, TESTS = tuple(_LOGIC), tuple(_TESTS)


def _operator(condition: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in condition), None)


# -- checking a condition when the procedure is loaded --------------------------------------------


def check(
    condition: Any,
    path: Path_,
    facts: Mapping[str, Any],
    where: Locator,
    whose: Callable[[str], str] = lambda name: "",
) -> Iterator[Diagnostic]:
    """Every problem in `condition`: its shape, the facts it reads, the values it compares them
    with. `whose(name)`, for a fact this procedure may not read, says whose it is, if anyone's."""
    if not isinstance(condition, dict):
        return  # the schema says what a condition must be
    logic = [name for name in LOGIC if name in condition]
    if logic:
        if len(condition) != 1:
            yield where.diagnostic(
                path,
                "bad-condition",
                f"a condition with `{logic[0]}` may hold nothing else: wrap the rest in `all:`",
                key=True,
            )
        for name in logic:
            for place, part in _LOGIC[name].parts(condition[name]):
                yield from check(part, path + (name, *place), facts, where, whose)
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
    tests = [test for test in TESTS if test in condition]
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
            whose(name)
            or f"no fact is called `{name}`{did_you_mean(name, facts)} (facts are declared in rules/vocabulary.yaml, and a council's own in its council.yaml)",
        )
        return
    test, fact = tests[0], facts[name]
    testing = _TESTS[test]
    if testing.applies_to and fact.get("type") not in testing.applies_to:
        yield where.diagnostic(
            path + (test,),
            "fact-type",
            f"fact `{name}` is {fact.get('type')}, so `{test}` cannot apply to it (only to {' or '.join(testing.applies_to)} facts)",
        )
        return
    for place, value in testing.values(condition[test]):
        problem = mismatch(fact, value)
        if problem:
            yield where.diagnostic(path + (test, *place), "fact-type", f"fact `{name}` {problem}")


def mismatch(fact: Mapping[str, Any], value: Any) -> str | None:
    """Why `value` can never equal a value of `fact`, or None when it can."""
    if not isinstance(value, (str, int, float, bool, list, dict, type(None))):
        return None  # a value the schema rejected, and has reported
    kind = fact.get("type")
    shown = flow(value)
    if kind == "bool":
        return (
            None
            if isinstance(value, bool)
            else f"is true or false, so it cannot be compared with `{shown}`: write `true` or `false`"
        )
    if kind == "number":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else f"is a number, so it cannot be compared with `{shown}`"
    if not isinstance(value, str):
        return f"is {kind}, so it cannot be compared with `{shown}`"
    if kind == "enum" or (kind == "list" and "values" in fact):  # a list may hold any text
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


def compile_condition(condition: Mapping[str, Any]) -> Compiled:
    """`condition` built into a test, once, so that evaluating it for many cases does not read
    its structure again."""
    name = _operator(condition, LOGIC)
    if name is not None:
        combining = _LOGIC[name]
        return combining.build(
            [compile_condition(part) for _, part in combining.parts(condition[name])]
        )
    fact = str(condition.get("fact"))
    test = _operator(condition, TESTS)
    if test is None:  # no test: it never holds, but only a case that gives the fact says so
        return _reading(fact, lambda value, context: False)
    return _TESTS[test].build(fact, condition[test])


# Frozen conditions (read-only all the way down, as a compiled procedure keeps them) built once
# each, so that the conditions of a procedure's extensions are not rebuilt for every case.
_BUILT: dict[int, tuple[Mapping[str, Any], Compiled]] = {}


def _built(condition: Mapping[str, Any]) -> Compiled:
    if type(condition) is not MappingProxyType:
        return compile_condition(condition)  # may change after this call: build it afresh
    entry = _BUILT.get(id(condition))
    if entry is None or entry[0] is not condition:
        if len(_BUILT) > 4096:
            _BUILT.clear()
        entry = _BUILT[id(condition)] = (condition, compile_condition(condition))
    return entry[1]


def decide(
    condition: Mapping[str, Any],
    facts: Mapping[str, Any],
    context: Context | None,
    missing: list[str],
) -> bool | None:
    """True, False, or None when undecided, adding the facts it would need to `missing`."""
    return _built(condition)(facts, context, missing)


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


def holds(
    condition: Mapping[str, Any], facts: Mapping[str, Any], context: Context | None = None
) -> bool:
    """Whether `condition` surely holds: a missing fact counts as false, so an extension never
    applies on a guess."""
    return _built(condition)(facts, context, []) is True


def counted_from_receipt(condition: Any) -> frozenset[str]:
    """The facts `condition` compares with the day the complaint was received (`earlier_than`,
    `no_later_than`): two cases that give one of them, alike but received on different days, may
    be decided differently; without them, the day of receipt changes nothing."""
    if not isinstance(condition, Mapping):
        return frozenset()
    name = _operator(condition, LOGIC)
    if name is not None:
        return frozenset().union(
            *(counted_from_receipt(part) for _, part in _LOGIC[name].parts(condition[name]))
        )
    test = _operator(condition, TESTS)
    if test is not None and _TESTS[test].reads_receipt:
        return frozenset({str(condition.get("fact"))})
    return frozenset()


def for_stage(
    facts: Mapping[str, Any], stage: str | None, stages: Collection[str]
) -> Mapping[str, Any]:
    """The facts as a deadline of `stage` sees them. A case may give a fact for one stage only
    (`complex: {<stage id>: true}`, flattened to `complex.<stage id>`): that value stands for the fact
    in its own stage and is unknown in every other, so that a stage 2 found complex does not
    lengthen stage 1."""
    scoped = [k for k in facts if k.rpartition(".")[2] in stages]
    if not scoped:
        return facts
    seen = {k: v for k, v in facts.items() if k not in scoped}
    for key in scoped:
        name, _, key_stage = key.rpartition(".")
        if key_stage == stage:
            seen[name] = facts[key]
    return seen


def frozen(value: Any) -> Any:
    """`value` as a hashable key that equals another's only where the values and their types
    are equal all the way down: a list-valued fact (`concurrent_proceedings: []`) as a tuple,
    a mapping as its items in order, each item with its type."""
    kind = type(value)
    if kind is list or kind is tuple:
        return (kind, tuple([(type(item), frozen(item)) for item in value]))
    if kind is dict:
        return (kind, tuple([(name, type(item), frozen(item)) for name, item in value.items()]))
    return value


class Remembered(Generic[T]):
    """Answers worked out from a case's facts (and its day of receipt, where a condition counts
    from it), kept so that a caseload whose cases share their facts works each out once. At most
    `MEMORY` are kept; when full they are all forgotten, so memory stays bounded."""

    MEMORY = 4096

    def __init__(self, dated: frozenset[str]) -> None:
        self.dated = dated  # the facts compared with the day of receipt
        self.answers: dict[Any, T] = {}

    def get(
        self,
        facts: Mapping[str, Any],
        received: datetime.date | None,
        work: Callable[..., T],
        *arguments: Any,
    ) -> T:
        """The answer for these facts, from `work(*arguments)` the first time."""
        try:
            if facts:
                # The day of receipt matters only when a fact compared with it is given.
                when = received if not self.dated.isdisjoint(facts) else None
                kinds = tuple(map(type, facts.values()))  # so that 1, 1.0 and True differ
                # Names and values in one flat tuple: a kept key is then a third the size.
                items = (
                    tuple([part for name, value in facts.items() for part in (name, frozen(value))])
                    if list in kinds or dict in kinds or tuple in kinds
                    else tuple(chain.from_iterable(facts.items()))
                )
                key: Any = (when, items, kinds)
            else:
                key = None  # no fact, so nothing to compare with the day of receipt
            found = self.answers.get(key)
        except TypeError:  # a value of a type no case file holds: work it out afresh
            return work(*arguments)
        if found is None:
            if len(self.answers) >= self.MEMORY:
                self.answers.clear()
            found = work(*arguments)
            if key is not None:  # kept with its texts shared, not each case's own copies
                key = (key[0], tuple([_shared(part) for part in key[1]]), key[2])
            self.answers[key] = found
        return found


def _shared(part: Any) -> Any:
    return sys.intern(part) if type(part) is str else part


# -- a condition in words --------------------------------------------------------------------------


def describe(condition: Any) -> str:
    """A condition in words: `complex`, `subject is school-admissions`, `not (a or b)`."""
    if not isinstance(condition, Mapping):
        return str(condition)
    name = _operator(condition, LOGIC)
    if name is not None:
        combining = _LOGIC[name]
        return combining.words([describe(part) for _, part in combining.parts(condition[name])])
    fact = str(condition.get("fact", "?"))
    test = _operator(condition, TESTS)
    return fact if test is None else _TESTS[test].words(fact, condition[test])
