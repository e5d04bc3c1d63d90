"""The parts of a compiled procedure, as frozen values built from a resolved definition."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from .stage_graph import edges


def freeze(value: Any) -> Any:
    """Mappings become read-only and lists tuples, all the way down."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


# How every report words a unit: (one, several). Reports word limits through `Limit` and
# `Deadline` only, so that `show`, `run`, `diff` and `conformance` never disagree.
_UNITS = {
    "working-days": ("working day", "working days"),
    "days": ("day", "days"),
    "months": ("month", "months"),
}


@dataclass(frozen=True)
class Limit:
    """`amount` `unit`, or no stated limit (`unstated` says why)."""

    amount: int | None
    unit: str | None
    unstated: str | None = None

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Limit:
        return cls(data.get("amount"), data.get("unit"), data.get("unstated"))

    @property
    def stated(self) -> bool:
        return self.amount is not None and self.unit is not None

    def unit_words(self) -> str:
        """The unit in words, agreeing with the amount: `working day`, `months`."""
        singular, plural = _UNITS.get(self.unit or "", (self.unit or "", self.unit or ""))
        return singular if self.amount == 1 else plural

    def with_amount(self, amount: int) -> Limit:
        """The same unit, another amount: a limit as an extension has made it."""
        return Limit(amount, self.unit)

    def __str__(self) -> str:
        """`10 working days`, `1 month`, or `no time limit stated`."""
        if not self.stated:
            return "no time limit stated"
        return f"{self.amount} {self.unit_words()}"


@dataclass(frozen=True)
class Plain:
    """Plain words for the public pages: `text` (for a time limit, with `{limit}` where the limit
    goes), an optional `heading`, and where they come from."""

    text: str
    heading: str | None
    sources: tuple[str, ...]

    @classmethod
    def of(cls, data: Mapping[str, Any] | None) -> Plain | None:
        if data is None:
            return None
        return cls(data["text"], data.get("heading"), tuple(data["sources"]))


@dataclass(frozen=True)
class Cited:
    """A ground of an extension, or a recipient of what a duty sends: an id from
    rules/vocabulary.yaml, how the council words it (if it does), and where it comes from."""

    id: str
    description: str | None
    sources: tuple[str, ...]

    @classmethod
    def each(cls, data: Mapping[str, Any] | None) -> tuple[Cited, ...] | None:
        """The items of a `grounds:` or `recipients:` mapping; None where there is none."""
        if data is None:
            return None
        return tuple(cls(k, v.get("description"), tuple(v["sources"])) for k, v in data.items())


@dataclass(frozen=True)
class Extension:
    id: str
    description: str | None
    when: Mapping[str, Any] | None  # a condition over the case's facts
    event: str | None
    maximum: Limit
    sources: tuple[str, ...]
    plain: Plain | None = None
    # The grounds a recorded extension may be on; None: any ground (the documents name none).
    grounds: tuple[Cited, ...] | None = None

    def allows(self, ground: Any) -> bool:
        """Whether a recorded extension on `ground` is one this extension gives."""
        return self.grounds is None or (isinstance(ground, str) and ground in self.ground_ids)

    @functools.cached_property
    def ground_ids(self) -> frozenset[str]:
        """The ids of its grounds, looked up by every recorded extension of a caseload."""
        return frozenset(g.id for g in self.grounds or ())


@dataclass(frozen=True)
class Deadline:
    """A duty (the council must act) or a window (the complainant may act), counted from an
    event."""

    id: str
    kind: str  # "duty", "window" or "target" (an aim, never a duty)
    title: str
    description: str | None
    actor: str
    anchor: str
    anchor_field: str | None
    before: bool
    limit: Limit
    met_by: tuple[str, ...]
    extensions: tuple[Extension, ...]
    council_setting: str | None
    sources: tuple[str, ...]
    plain: Plain | None = None
    # Who must receive what meeting it sends (a report); None where the procedure does not say.
    recipients: tuple[Cited, ...] | None = None
    # The stage it belongs to, so that a fact a case gives for one stage reaches only its
    # deadlines: the stage of the step that lists it, else of the states its anchor leads into.
    stage: str | None = None

    @property
    def longest_extension(self) -> Extension | None:
        """The extension that can lengthen it most (the first of equals), if it can at all."""
        best = max(self.extensions, key=lambda e: e.maximum.amount or 0, default=None)
        if best is None or not self.limit.stated:
            return None
        return best if (best.maximum.amount or 0) > (self.limit.amount or 0) else None

    @property
    def longest(self) -> Limit:
        """The limit with every extension at its maximum (validation keeps them in one unit)."""
        extension = self.longest_extension
        return self.limit if extension is None else extension.maximum

    @property
    def span(self) -> str:
        """`10 (up to 20) working days`: the limit and the longest its extensions make it."""
        longest = self.longest
        if longest == self.limit:
            return str(self.limit)
        return f"{self.limit.amount} (up to {longest.amount}) {longest.unit_words()}"


@dataclass(frozen=True)
class Step:
    id: str
    stage: str
    number: int | None
    title: str | None
    actor: str
    description: str
    optional: bool
    deadlines: tuple[str, ...]
    expected_within: Limit | None
    sources: tuple[str, ...]
    plain: Plain | None = None
    targets: tuple[str, ...] = ()  # what the council aims for at this step


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    description: str | None
    steps: tuple[Step, ...]
    sources: tuple[str, ...]
    plain: Plain | None = None


@dataclass(frozen=True)
class State:
    id: str
    stage: str | None  # None for an end state
    end: str | None  # how an end state ends a case
    actor: str | None
    description: str
    starts: tuple[str, ...]  # the deadlines counted from the events that lead into this state


@dataclass(frozen=True)
class Transition:
    source: str
    event: str
    target: str
    when_overdue: str | None
    anytime: bool
    description: str | None
    sources: tuple[str, ...]
    # For a guarded move: how long after the guarding duty starts the move opens, if the
    # procedure says so, in place of the duty's own due date (its extensions included).
    overdue_after: Limit | None = None
    plain: Plain | None = None

    def guard_words(self) -> str:
        """When the move opens, in words: `<duty> is overdue`."""
        if self.overdue_after is None:
            return f"{self.when_overdue} is overdue"
        return f"{self.when_overdue} is unanswered after {self.overdue_after}"


# The event field in which a case records the ground of an extension (rules/vocabulary.yaml's
# `grounds`); an event that can carry it records an extension.
GROUND = "ground"


@dataclass(frozen=True)
class Event:
    id: str
    description: str
    fields: Mapping[str, str]
    noun: str | None = None  # how explanations name it
    implied: Implied | None = None  # set when the records may lack it
    plain: Plain | None = None
    once: bool = False  # it happens at most once in a case

    @property
    def records_extension(self) -> bool:
        return GROUND in self.fields


@dataclass(frozen=True)
class Implied:
    """Why an event may go unrecorded (an internal step), and why it must have happened."""

    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """An eligibility, exemption, discretion or routing rule: when `when` holds, it gives
    `decision`."""

    id: str
    title: str | None
    when: Mapping[str, Any]
    decision: str
    route: str | None
    message: str
    explain_in_writing: bool
    stop: bool
    sources: tuple[str, ...]
    plain: Plain | None = None  # what the rule means for the complainant, for the public pages


@dataclass(frozen=True)
class Note:
    id: str
    kind: str
    concerns: tuple[str, ...]
    description: str
    binding: str | None
    sources: tuple[str, ...]
    # For a conflict: what disagrees (`council`, `statute`, `national-guide`, `code`) and which
    # of them the procedure follows, so that a public page can say so in its own words.
    between: tuple[str, ...] = ()
    follows: str | None = None
    plain: Plain | None = None  # what a reader of the public pages should know, if anything


# When a route to another body is open: during the complaint too, or once the procedure is done.
ANY_TIME = "any-time"


@dataclass(frozen=True)
class Route:
    """Another body the complainant may go to (a regulator, the Ombudsman), outside the stages."""

    id: str
    body: str
    description: str | None
    contact: str | None
    open: str  # ANY_TIME or "after-the-procedure"
    sources: tuple[str, ...]
    plain: Plain | None = None


@dataclass(frozen=True)
class Parts:
    """Everything a resolved definition says, as values."""

    id: str
    title: str
    kind: str
    version: str
    effective: dt.date
    extends: str | None
    description: str | None
    sources: tuple[str, ...]
    start_event: str
    start_state: str
    stages: tuple[Stage, ...]
    states: Mapping[str, State]
    events: Mapping[str, Event]
    deadlines: Mapping[str, Deadline]  # the duties and windows: what replay holds a case to
    transitions: tuple[Transition, ...]
    rules: tuple[Rule, ...]
    notes: tuple[Note, ...]
    plain: Plain | None  # what the procedure is, in plain words
    # What the council aims for (kind "target"): counted like duties, kept apart from them so
    # that no aim missed is ever an irregularity or a missed duty.
    targets: Mapping[str, Deadline]
    routes: tuple[Route, ...]  # other bodies the complainant may go to


def build(definition: Mapping[str, Any]) -> Parts:
    """The parts of a valid, resolved procedure definition."""
    d = definition
    deadlines = {
        **{k: _deadline(k, "duty", v) for k, v in d.get("duties", {}).items()},
        **{k: _deadline(k, "window", v) for k, v in d.get("windows", {}).items()},
    }
    transitions = tuple(_transition(e, d) for e in edges(d))
    start = d["start"]
    starts = _starts(deadlines.values(), transitions, start)
    deadlines = _staged(deadlines, d, starts)
    targets = {k: _deadline(k, "target", v) for k, v in d.get("targets", {}).items()}
    return Parts(
        id=d["procedure"],
        title=d["title"],
        kind=d["kind"],
        version=str(d["version"]),
        effective=dt.date.fromisoformat(d["effective"]),
        extends=d.get("extends"),
        description=d.get("description"),
        sources=tuple(d["sources"]),
        start_event=start["event"],
        start_state=start["state"],
        stages=tuple(_stage(k, v) for k, v in d["stages"].items()),
        states=MappingProxyType(
            {k: _state(k, v, tuple(starts.get(k, ()))) for k, v in d["states"].items()}
        ),
        events=MappingProxyType({k: _event(k, v) for k, v in d["events"].items()}),
        deadlines=MappingProxyType(deadlines),
        transitions=transitions,
        rules=tuple(_rule(k, v) for k, v in d.get("rules", {}).items()),
        notes=tuple(_note(k, v) for k, v in d.get("notes", {}).items()),
        plain=Plain.of(d.get("plain")),
        targets=MappingProxyType(
            _staged(targets, d, _starts(targets.values(), transitions, start))
        ),
        routes=tuple(_route(k, v) for k, v in d.get("routes", {}).items()),
    )


def _starts(
    deadlines: Collection[Deadline], transitions: Iterable[Transition], start: Mapping[str, Any]
) -> dict[str, list[str]]:
    """The deadlines each state starts: those counted from an event that moves a case into it
    (the start event into the start state)."""
    moves = [(t.event, t.target) for t in transitions] + [(start["event"], start["state"])]
    starts: dict[str, list[str]] = {}
    for event, target in moves:
        for deadline in deadlines:
            if deadline.anchor == event and deadline.id not in starts.setdefault(target, []):
                starts[target].append(deadline.id)
    return starts


def _staged(
    deadlines: dict[str, Deadline], d: Mapping[str, Any], starts: Mapping[str, list[str]]
) -> dict[str, Deadline]:
    """Each deadline with the stage it belongs to, where one stage can be named."""
    listed: dict[str, set[str]] = {}  # by the steps that list the deadline
    for stage_id, stage in d["stages"].items():
        for step in stage.get("steps", {}).values():
            for deadline_id in (*step.get("deadlines", ()), *step.get("targets", ())):
                listed.setdefault(deadline_id, set()).add(stage_id)
    entered: dict[str, set[str]] = {}  # by the states its anchor leads into
    for state_id, started in starts.items():
        stage_id = d["states"].get(state_id, {}).get("stage")
        for deadline_id in started:
            if stage_id:
                entered.setdefault(deadline_id, set()).add(stage_id)
    named = {}
    for deadline_id, deadline in deadlines.items():
        found = listed.get(deadline_id) or entered.get(deadline_id) or set()
        one = next(iter(found)) if len(found) == 1 else None
        named[deadline_id] = replace(deadline, stage=one)
    return named


def _state(state_id: str, d: Mapping[str, Any], starts: tuple[str, ...]) -> State:
    return State(state_id, d.get("stage"), d.get("end"), d.get("actor"), d["description"], starts)


def _event(event_id: str, d: Mapping[str, Any]) -> Event:
    return Event(
        event_id,
        d["description"],
        freeze(d.get("fields", {})),
        d.get("noun"),
        Implied(d["implied"]["reason"], tuple(d["implied"]["sources"])) if "implied" in d else None,
        Plain.of(d.get("plain")),
        d.get("once") is True,
    )


def _rule(rule_id: str, d: Mapping[str, Any]) -> Rule:
    return Rule(
        rule_id,
        d.get("title"),
        freeze(d["when"]),
        d["decision"],
        d.get("route"),
        d["message"],
        bool(d.get("explain_in_writing", False)),
        bool(d.get("stop", False)),
        tuple(d["sources"]),
        Plain.of(d.get("plain")),
    )


def _route(route_id: str, d: Mapping[str, Any]) -> Route:
    return Route(
        route_id,
        d["body"],
        d.get("description"),
        d.get("contact"),
        d["open"],
        tuple(d["sources"]),
        Plain.of(d.get("plain")),
    )


def _note(note_id: str, d: Mapping[str, Any]) -> Note:
    return Note(
        note_id,
        d["kind"],
        tuple(d["concerns"]),
        d["description"],
        d.get("binding"),
        tuple(d["sources"]),
        tuple(d.get("between", ())),
        d.get("follows"),
        Plain.of(d.get("plain")),
    )


def _deadline(deadline_id: str, kind: str, d: Mapping[str, Any]) -> Deadline:
    return Deadline(
        id=deadline_id,
        kind=kind,
        title=d["title"],
        description=d.get("description"),
        actor=d["actor"],
        anchor=d["anchor"],
        anchor_field=d.get("anchor_field"),
        before=d.get("direction") == "before",
        limit=Limit.of(d["limit"]),
        met_by=tuple(d["met_by"]),
        extensions=tuple(
            Extension(
                k,
                v.get("description"),
                freeze(v["when"]) if "when" in v else None,
                v.get("event"),
                Limit.of(v["maximum"]),
                tuple(v["sources"]),
                Plain.of(v.get("plain")),
                Cited.each(v.get("grounds")),
            )
            for k, v in d.get("extensions", {}).items()
        ),
        council_setting=d.get("council_setting"),
        sources=tuple(d["sources"]),
        plain=Plain.of(d.get("plain")),
        recipients=Cited.each(d.get("recipients")),
    )


def _stage(stage_id: str, d: Mapping[str, Any]) -> Stage:
    steps = tuple(
        Step(
            id=k,
            stage=stage_id,
            number=v.get("number"),
            title=v.get("title"),
            actor=v["actor"],
            description=v["description"],
            optional=bool(v.get("optional", False)),
            deadlines=tuple(v.get("deadlines", ())),
            expected_within=Limit.of(v["expected_within"]) if "expected_within" in v else None,
            sources=tuple(v["sources"]),
            plain=Plain.of(v.get("plain")),
            targets=tuple(v.get("targets", ())),
        )
        for k, v in d.get("steps", {}).items()
    )
    return Stage(
        stage_id,
        d["title"],
        d.get("description"),
        steps,
        tuple(d["sources"]),
        Plain.of(d.get("plain")),
    )


def _transition(edge: Any, d: Mapping[str, Any]) -> Transition:
    written = d
    for part in edge.path:
        written = written[part]
    return Transition(
        edge.source,
        edge.event,
        edge.target,
        edge.when_overdue,
        edge.anytime,
        written.get("description"),
        tuple(written.get("sources", ())),
        Limit.of(edge.overdue_after) if edge.overdue_after else None,
        Plain.of(written.get("plain")),
    )
