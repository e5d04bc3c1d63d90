"""Case files: a complaint's facts and dated events, read from YAML or JSON or given as plain data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._suggest import did_you_mean
from ..diagnostics import Diagnostic, Path_, PlainLocator
from ..errors import CaseError
from ..reading.forms import flow

if TYPE_CHECKING:
    from ..procedures.compiler import CompiledProcedure

OUTCOMES = ("upheld", "partially-upheld", "not-upheld")


@dataclass(frozen=True)
class CaseEvent:
    """One dated event; `fields` holds what else it carries (outcome, reason, panel_date, limit)."""

    date: dt.date
    event: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    index: int = 0  # its place in the case as written, for error messages


@dataclass(frozen=True)
class Case:
    id: str
    procedure: str
    facts: Mapping[str, Any]  # flattened: {"complainant.role": "parent", "complex": True}
    events: tuple[CaseEvent, ...]
    where: Any = field(default=None, compare=False, repr=False)  # a Document, for located errors
    # Whether two events share a day, when replay must put them in the procedure's order.
    same_day: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        days = [e.date for e in self.events]
        object.__setattr__(self, "same_day", len(set(days)) < len(days))

    @property
    def received(self) -> dt.date:
        return self.events[0].date


def flatten(facts: Any, prefix: str = "") -> dict[str, Any]:
    """`{complainant: {role: parent}}` as `{"complainant.role": "parent"}`."""
    flat: dict[str, Any] = {}
    if isinstance(facts, Mapping):
        for key, value in facts.items():
            name = f"{prefix}{key}"
            if isinstance(value, Mapping):
                flat.update(flatten(value, name + "."))
            else:
                flat[name] = value
    return flat


def read_case(path: Path) -> Case:
    """A case file, checked against rules/case.schema.json, with every problem located."""
    from ..reading.loader import load

    return _case_of(*load(path))


def read_case_text(name: str, text: str) -> Case:
    """A case file's text (YAML or JSON), checked as `read_case` checks the file, every problem
    located in `name`."""
    from ..reading.loader import parse

    return _case_of(*parse(Path(name), text))


def _case_of(document: Any, problems: list[Diagnostic]) -> Case:
    if document is None:
        raise CaseError(problems)
    problems += _shape_problems(document.data, document)
    if problems:
        raise CaseError(problems)
    return _build(document.data, document, document)


def case_from_data(data: Any, *, where: Any = None, from_json: bool = False) -> Case:
    """A case from plain data (dates as YYYY-MM-DD text or `datetime.date`), checked like a file:
    within the bounds of `limits`, then against rules/case.schema.json, then dates in order.

    `from_json` is for data `json_input` has just read: its nesting and size are bounded
    already, its keys are text and it holds no dates, so it is not walked again."""
    locate = where or PlainLocator(
        str(data.get("case", "<case>"))[:100] if isinstance(data, Mapping) else "<case>"
    )
    problems = _shape_problems(data, locate, from_json)
    if problems:
        raise CaseError(problems)
    return _build(data, locate, where)


def _shape_problems(data: Any, locate: Any, from_json: bool = False) -> list[Diagnostic]:
    """Why `data` is not a case at all: past a bound, not a mapping, or against the schema."""
    from ..reading import schema
    from ..reading.bounds import EVENTS

    if not isinstance(data, Mapping):
        return [
            locate.diagnostic(
                (),
                "wrong-type",
                "a case must be a mapping with `case`, `procedure`, `facts` and `events`",
            )
        ]
    events = data.get("events")
    if isinstance(events, (list, tuple)) and len(events) > EVENTS.value:
        return [
            locate.diagnostic(
                ("events",),
                "too-large",
                EVENTS.exceeded(f"the case has {len(events):,} events,"),
                key=True,
            )
        ]
    oversized, dates = (None, False) if from_json else bounds_problem(data)
    if oversized is not None:
        code, message, path = oversized
        return [locate.diagnostic(path, code, message)]
    plain = _as_json(data) if dates else data
    if schema.valid(plain, "case"):  # the usual answer, found quickly
        return []
    return schema.check(plain, "case", locate)


def bounds_problem(data: Any) -> tuple[tuple[str, str, Path_] | None, bool]:
    """(code, message, path) if plain data nests deeper or holds more values than `limits`
    allows, or has a key that is not text, found without recursion (None if it is sound); and
    whether it holds `datetime.date` values, which JSON would hold as text."""
    from ..reading.bounds import DEPTH, NODES

    most_values, most_depth = NODES.value, DEPTH.value
    count, dates = 0, False
    # (value, its depth, the top-level key it is under): the path is only spelt out for an error
    work: list[tuple[Any, int, Path_]] = [(data, 0, ())]
    while work:
        value, depth, top = work.pop()
        count += 1
        if count > most_values:
            return ("too-large", NODES.exceeded("the case holds"), ()), dates
        if depth > most_depth:
            return ("too-deep", DEPTH.exceeded("the case is nested") + "; flatten it", top), dates
        if isinstance(value, (dict, Mapping)):  # dict first: a Mapping check is slow
            for key, item in value.items():
                if not isinstance(key, str):
                    return (
                        "non-string-key",
                        f"the key `{flow(key)}` is not text; keys must be names like `date`",
                        top,
                    ), dates
                if isinstance(item, (dict, list, tuple, Mapping)):
                    work.append((item, depth + 1, top or (key,)))
                else:
                    count += 1
                    dates = dates or isinstance(item, dt.date)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                if isinstance(item, (dict, list, tuple, Mapping)):
                    work.append((item, depth + 1, top or (index,)))
                else:
                    count += 1
                    dates = dates or isinstance(item, dt.date)
    return None, dates


def _as_json(value: Any) -> Any:
    """Plain data as JSON would hold it: dates as YYYY-MM-DD text (the API accepts both)."""
    if isinstance(value, Mapping):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _build(data: Mapping[str, Any], locate: Any, where: Any) -> Case:
    """The case from data that has the schema's shape; dates out of order are its one error."""
    problems: list[Diagnostic] = []
    events: list[CaseEvent] = []
    for index, raw in enumerate(data["events"]):
        day = _date(raw["date"])
        if day is None:  # the schema's date format admits only real dates; kept for safety
            problems.append(
                locate.diagnostic(
                    ("events", index, "date"),
                    "invalid-value",
                    f"`{raw['date']}` is not a date: write YYYY-MM-DD",
                )
            )
            continue
        if events and day < events[-1].date:
            problems.append(
                locate.diagnostic(
                    ("events", index, "date"),
                    "event-order",
                    f"{day.isoformat()} comes before the previous event's date, {events[-1].date.isoformat()}: write events in date order",
                )
            )
        fields = {k: v for k, v in raw.items() if k not in ("date", "event")}
        events.append(CaseEvent(day, str(raw["event"]), fields, index))
    if problems:
        raise CaseError(problems)
    return Case(
        str(data["case"]),
        str(data["procedure"]),
        flatten(data.get("facts", {})),
        tuple(events),
        where,
    )


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def check_against(case: Case, procedure: CompiledProcedure) -> None:
    """Everything about the case that the procedure decides: its events, their fields, the facts."""
    if _sound_events(case, procedure) and (not case.facts or _sound_facts(case, procedure)):
        return  # every public entry point checks each case: the usual one costs little
    locate = case.where or PlainLocator(case.id)
    problems: list[Diagnostic] = []
    for event in case.events:
        at = ("events", event.index)
        declared = procedure.events.get(event.event)
        if declared is None:
            problems.append(
                locate.diagnostic(
                    at + ("event",),
                    "unknown-event",
                    f"`{procedure.id}` has no event `{event.event}`{did_you_mean(event.event, procedure.events)}",
                )
            )
            continue
        for name, value in event.fields.items():
            kind = declared.fields.get(name)
            if name == "note":
                continue
            if kind is None:
                known = ", ".join(declared.fields) or "none"
                problems.append(
                    locate.diagnostic(
                        at + (name,),
                        "unknown-key",
                        f"event `{event.event}` carries no `{name}`{did_you_mean(name, declared.fields)} (its fields: {known})",
                        key=True,
                    )
                )
            elif (problem := _field_problem(kind, value)) is not None:
                problems.append(
                    locate.diagnostic(
                        at + (name,), "invalid-value", f"`{name}` of `{event.event}` {problem}"
                    )
                )
    problems += _fact_problems(case, procedure, locate)
    if problems:
        raise CaseError(problems)


def _sound_events(case: Case, procedure: CompiledProcedure) -> bool:
    """Whether every event is the procedure's and carries only sound fields: what
    `check_against` finds no problem with, found without building any."""
    declared_events = procedure.events
    for event in case.events:
        declared = declared_events.get(event.event)
        if declared is None:
            return False
        if event.fields:
            kinds = declared.fields
            for name, value in event.fields.items():
                kind = kinds.get(name)
                if kind is None:
                    if name != "note":
                        return False
                elif _field_problem(kind, value) is not None:
                    return False
    return True


def _sound_facts(case: Case, procedure: CompiledProcedure) -> bool:
    from ..procedures.compiler import derived  # (not at the top: reading a case needs none of it)

    return derived(procedure, _SoundFacts).sound(case, procedure)


class _SoundFacts:
    """The facts of cases found sound for one procedure: a caseload's cases share them."""

    def __init__(self, procedure: CompiledProcedure) -> None:
        from ..language.conditions import Remembered

        self.found: Remembered[bool] = Remembered(frozenset())

    def sound(self, case: Case, procedure: CompiledProcedure) -> bool:
        return self.found.get(case.facts, None, _no_fact_problems, case, procedure)


def _no_fact_problems(case: Case, procedure: CompiledProcedure) -> bool:
    return not _fact_problems(case, procedure, PlainLocator(case.id))


def _fact_problems(case: Case, procedure: CompiledProcedure, locate: Any) -> list[Diagnostic]:
    """Each fact the case gives, checked against its declaration; one given for a stage (see
    `language.conditions.for_stage`) against its fact's, and the stage against the procedure's."""
    from ..language.conditions import mismatch

    problems: list[Diagnostic] = []
    stages = [stage.id for stage in procedure.stages]
    for name, value in case.facts.items():
        path = ("facts", *name.split("."))
        declared_fact = procedure.facts.get(name)
        head, _, tail = name.rpartition(".")
        if declared_fact is None and head in procedure.facts:
            declared_fact = procedure.facts[head]  # a fact given for one stage
            if tail not in stages:
                problems.append(
                    locate.diagnostic(
                        path,
                        "unknown-stage",
                        f"fact `{head}` is given for `{tail}`, which is no stage of `{procedure.id}`{did_you_mean(tail, stages)}: give it for one of {', '.join(stages)}, such as `{head}: {{{stages[-1]}: true}}`, or give it for the whole case as `{head}: true`",
                        key=True,
                    )
                )
                continue
        if declared_fact is None:
            problems.append(
                locate.diagnostic(
                    path,
                    "unknown-fact",
                    f"no fact is called `{name}`{did_you_mean(name, procedure.facts)} (facts are declared in rules/vocabulary.yaml, and a council's own in its council.yaml)",
                    key=True,
                )
            )
            continue
        values = (
            value if declared_fact.get("type") == "list" and isinstance(value, list) else [value]
        )
        if declared_fact.get("type") == "list" and not isinstance(value, list):
            problems.append(
                locate.diagnostic(
                    path,
                    "fact-type",
                    f"fact `{name}` is a list, such as [{', '.join(declared_fact.get('values', [])[:2])}]",
                )
            )
            continue
        for item in values:
            if (problem := mismatch(declared_fact, item)) is not None:
                problems.append(locate.diagnostic(path, "fact-type", f"fact `{name}` {problem}"))
    return problems


def _field_problem(kind: str, value: Any) -> str | None:
    if kind == "date":
        return (
            None
            if _date(value) is not None
            else f"should be a date written YYYY-MM-DD, not `{value}`"
        )
    if kind == "outcome":
        return (
            None
            if value in OUTCOMES
            else f"should be one of {', '.join(OUTCOMES)}, not `{value}`{did_you_mean(str(value), OUTCOMES)}"
        )
    if kind == "number":
        return (
            None
            if isinstance(value, int) and not isinstance(value, bool) and value > 0
            else f"should be a whole number of days, not `{value}`"
        )
    if kind == "texts":
        return (
            None
            if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value)
            else f"should be a list of short texts, such as [Apologise in writing], not `{value}`"
        )
    return None if isinstance(value, str) else f"should be text, not `{value}`"
