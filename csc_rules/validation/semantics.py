"""The checks a schema cannot make: every name a procedure uses must be defined, and limits must add up."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .._shapes import as_list as _list
from .._shapes import as_map as _map
from .._shapes import items as _items
from .._suggest import did_you_mean
from .._words import joined
from ..diagnostics import WARNING, Diagnostic, Locator, Path_
from ..language import conditions
from ..reading.inheritance import Resolved


@dataclass(frozen=True)
class Vocabulary:
    """The roles, facts, citable documents and extension grounds of rules/vocabulary.yaml, and
    the documents and facts each council adds in its council.yaml (`councils`)."""

    roles: frozenset[str]
    facts: Mapping[str, Any]
    documents: frozenset[str]
    grounds: frozenset[str] = frozenset()
    councils: Mapping[str, Owned] = field(default_factory=dict)

    @classmethod
    def from_data(
        cls, data: Mapping[str, Any], councils: Mapping[str, Mapping[str, Any]] | None = None
    ) -> Vocabulary:
        return cls(
            frozenset(data.get("roles", {})),
            dict(data.get("facts", {})),
            frozenset(data.get("documents", {})),
            frozenset(data.get("grounds", {})),
            {name: Owned.from_data(own) for name, own in (councils or {}).items()},
        )

    def of(self, council: str | None) -> Vocabulary:
        """What a file of `council` may name: the shared words and the council's own. A file
        of no council the library holds (a baseline) may cite any council's documents, as the
        baseline's notes weigh what the councils publish, but reads only the shared facts."""
        if not self.councils:  # no council adds anything (a compiled file's own facts, say)
            return self
        own = self.councils.get(council) if council is not None else None
        if own is None:
            every = frozenset().union(*(o.documents for o in self.councils.values()))
            return replace(self, documents=self.documents | every)
        facts = {**own.facts, **self.facts}
        return replace(self, facts=facts, documents=self.documents | own.documents)

    def owners(self, name: str, kind: str) -> list[str]:
        """The councils whose council.yaml lists the document or fact `name`."""
        return sorted(
            c
            for c, own in self.councils.items()
            if name in (own.documents if kind == "document" else own.facts)
        )


@dataclass(frozen=True)
class Owned:
    """A council's own documents and facts, from its council.yaml."""

    name: str
    documents: frozenset[str]
    facts: Mapping[str, Any]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Owned:
        return cls(
            str(data.get("name", data.get("council", ""))),
            frozenset(_map(data.get("documents"))),
            {k: v for k, v in _map(data.get("facts")).items() if isinstance(v, dict)},
        )


def whose(vocabulary: Vocabulary, name: str, kind: str, council: str | None) -> str:
    """For a document or fact that is another council's: whose it is and what to do."""
    owners = vocabulary.owners(name, kind)
    if not owners:
        return ""
    named = joined([f"{vocabulary.councils[o].name} ({o})" for o in owners], "and")
    listed = joined([f"councils/{o}/council.yaml" for o in owners], "and")
    mine = f"councils/{council}/council.yaml" if council else "your council's council.yaml"
    plural = "documents" if kind == "document" else "facts"
    return (
        f"`{name}` is a {kind} of {named}, listed in {listed}; a procedure may use the shared "
        f"{plural} (rules/vocabulary.yaml) and its own council's, not another's: use one of "
        f"those, or list it under `{plural}:` in {mine} if this procedure relies on it"
    )


def council_of(procedure_id: str) -> str:
    """The council a procedure id names: what comes before its `/`."""
    return procedure_id.split("/", 1)[0]


def check_sources(
    data: Any,
    path: Path_,
    vocabulary: Vocabulary,
    where: Locator,
    council_at: Callable[[Path_], str | None] = lambda path: None,
    restated: frozenset[str] = frozenset(),
) -> Iterator[Diagnostic]:
    """Every citation under `data` must name a document the file may cite: a shared one, or
    one of the council's own (`council_at(path)` says whose file the citation is in). A
    citation word for word as a file it extends makes it (`restated`) is that file's claim
    carried over, as when a council restates a baseline item to change one part of it."""
    for at, source in citations(data, path):
        council = council_at(at)
        allowed = vocabulary.of(council).documents
        document = source.split(": ", 1)[0]
        if document in allowed or source in restated:
            continue
        message = whose(vocabulary, document, "document", council) or (
            f"`{document}` is not a known document{did_you_mean(document, allowed)}; cite one "
            "listed under `documents` in rules/vocabulary.yaml or in your council's "
            "council.yaml, or add it there"
        )
        yield where.diagnostic(at, "unknown-document", message)


def citations(data: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """(where, text) of every `sources:` entry under `data`."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "sources" and isinstance(value, list):
                for index, source in enumerate(value):
                    if isinstance(source, str):
                        yield path + (key, index), source
            else:
                yield from citations(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from citations(value, path + (index,))


def check_council(data: Any, vocabulary: Vocabulary, where: Locator) -> Iterator[Diagnostic]:
    """A council file: its citations, and its own facts, none of which may take a shared
    fact's name."""
    council = _map(data).get("council")
    council = council if isinstance(council, str) else None
    yield from check_sources(data, (), vocabulary, where, lambda at: council)
    for fact in _map(_map(data).get("facts")):
        if fact in vocabulary.facts:
            yield where.diagnostic(
                ("facts", fact),
                "duplicate-id",
                f"`{fact}` is a shared fact already (rules/vocabulary.yaml): use it as it is, "
                "or give the council's own fact another name",
                key=True,
            )
    yield from check_report_categories(data, vocabulary.of(council), where)


def check_report_categories(
    data: Any, vocabulary: Vocabulary, where: Locator
) -> Iterator[Diagnostic]:
    """A council's report categories: each code once in a fact's table, and a fact whose
    values the vocabulary fixes (an enum) lists only those values."""
    listed = _map(_map(_map(data).get("report")).get("categories"))
    for fact, table in listed.items():
        declared = _map(vocabulary.facts.get(fact))
        allowed = declared.get("values") if declared.get("type") == "enum" else None
        seen: set[str] = set()
        for path, code in _report_codes(_list(_map(table).get("rows"))):
            at = ("report", "categories", fact, "rows", *path, "code")
            if code in seen:
                yield where.diagnostic(
                    at, "duplicate-id", f"`{code}` is listed twice in `{fact}`: list it once"
                )
            elif allowed is not None and code not in allowed:
                yield where.diagnostic(
                    at,
                    "invalid-value",
                    f"`{code}` is not a value of `{fact}`{did_you_mean(code, allowed)} (its "
                    f"values, in rules/vocabulary.yaml: {', '.join(allowed)})",
                )
            seen.add(code)


def _report_codes(rows: list[Any]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(where under `rows`, code) of each category, under its heading or on its own."""
    for index, row in enumerate(rows):
        row = _map(row)
        if "group" in row:
            for inner, item in enumerate(_list(row.get("rows"))):
                code = _map(item).get("code")
                if isinstance(code, str):
                    yield (index, "rows", inner), code
        elif isinstance(row.get("code"), str):
            yield (index,), row["code"]


_ONE = {"duties": "a duty", "windows": "a window", "targets": "a target"}


def _first_holding(item_id: str, sections: Any) -> str | None:
    """`a duty` or `a window`: the first of `sections` that has `item_id`, if any."""
    return next((_ONE[name] for name, items in sections if item_id in items), None)


def check(procedure: Resolved, vocabulary: Vocabulary) -> list[Diagnostic]:
    """Every semantic problem in a resolved procedure, and a warning for each recorded conflict."""
    return list(_Checker(procedure, vocabulary).run())


class _Checker:
    def __init__(self, procedure: Resolved, vocabulary: Vocabulary) -> None:
        self.where = procedure
        self.council = council_of(procedure.id)
        self.everything = vocabulary
        self.vocabulary = vocabulary.of(self.council)
        data = procedure.data
        self.data = data
        self.events = _map(data.get("events"))
        self.states = _map(data.get("states"))
        self.stages = _map(data.get("stages"))
        self.duties = _map(data.get("duties"))
        self.windows = _map(data.get("windows"))
        self.targets = _map(data.get("targets"))
        self.deadlines = {**self.duties, **self.windows}
        self.anytime = _map(data.get("from_every_open_state"))

    def run(self) -> Iterator[Diagnostic]:
        yield from self._start()
        yield from self._states()
        yield from self._stages()
        yield from self._deadlines()
        yield from self._rules()
        yield from self._notes()
        restated = frozenset(s for d in self.where.chain[:-1] for _, s in citations(d.data, ()))
        yield from check_sources(
            self.data, (), self.everything, self.where, self._council_at, restated
        )

    def _whose_fact(self, name: str) -> str:
        return whose(self.everything, name, "fact", self.council)

    def _council_at(self, path: Path_) -> str | None:
        """Whose file the part at `path` was written in: a council's, or a baseline's."""
        data = getattr(self.where.document_for(path), "data", None)
        procedure_id = data.get("procedure") if isinstance(data, dict) else None
        return council_of(procedure_id) if isinstance(procedure_id, str) else self.council

    def _name(
        self,
        path: Path_,
        code: str,
        what: str,
        name: Any,
        known: Mapping[str, Any] | frozenset[str],
        *,
        key: bool = False,
    ) -> Iterator[Diagnostic]:
        if isinstance(name, str) and name not in known:
            said = did_you_mean(str(name), known) or _choices(what, known)
            yield self.where.diagnostic(path, code, f"no {what} is called `{name}`{said}", key=key)

    def _role(self, path: Path_, item: Mapping[str, Any]) -> Iterator[Diagnostic]:
        if "actor" in item:
            yield from self._name(
                path + ("actor",), "unknown-role", "role", item["actor"], self.vocabulary.roles
            )

    def _start(self) -> Iterator[Diagnostic]:
        start = _map(self.data.get("start"))
        if "event" in start:
            yield from self._name(
                ("start", "event"), "unknown-event", "event", start["event"], self.events
            )
        if "state" in start:
            yield from self._name(
                ("start", "state"), "unknown-state", "state", start["state"], self.states
            )

    def _transitions(self, path: Path_, transitions: Any) -> Iterator[Diagnostic]:
        for event, transition in _items(transitions):
            at = path + (event,)
            yield from self._name(at, "unknown-event", "event", event, self.events, key=True)
            if "to" in transition:
                yield from self._name(
                    at + ("to",), "unknown-state", "state", transition["to"], self.states
                )
            if "when_overdue" in transition:
                yield from self._name(
                    at + ("when_overdue",),
                    "unknown-deadline",
                    "duty",
                    transition["when_overdue"],
                    self.duties,
                )
            elif "overdue_after" in transition:
                yield self.where.diagnostic(
                    at + ("overdue_after",),
                    "invalid-value",
                    f"`overdue_after` counts from the start of the duty that guards `{event}`: give `when_overdue` too, or remove it",
                )

    def _states(self) -> Iterator[Diagnostic]:
        for state_id, state in _items(self.states):
            at = ("states", state_id)
            if "stage" in state and "end" in state:
                yield self.where.diagnostic(
                    at + ("end",),
                    "invalid-value",
                    f"state `{state_id}` gives both `stage` and `end`: an end state has no stage",
                    key=True,
                )
            elif "stage" not in state and "end" not in state:
                yield self.where.diagnostic(
                    at,
                    "missing-key",
                    f"state `{state_id}` needs `stage` (where the case is) or `end` (how it ended)",
                    key=True,
                )
            if "stage" in state:
                yield from self._name(
                    at + ("stage",), "unknown-stage", "stage", state["stage"], self.stages
                )
            yield from self._role(at, state)
            yield from self._transitions(at + ("transitions",), state.get("transitions"))
        yield from self._transitions(("from_every_open_state",), self.anytime)

    def _stages(self) -> Iterator[Diagnostic]:
        seen: dict[str, str] = {}
        numbered: tuple[str, int] | None = None
        for stage_id, stage in _items(self.stages):
            for step_id, step in _items(stage.get("steps")):
                at = ("stages", stage_id, "steps", step_id)
                if step_id in seen:
                    yield self.where.diagnostic(
                        at,
                        "duplicate-id",
                        f"step `{step_id}` is already a step of stage `{seen[step_id]}`; step ids must be unique in a procedure",
                        key=True,
                    )
                seen[step_id] = stage_id
                yield from self._role(at, step)
                for index, deadline in enumerate(_list(step.get("deadlines"))):
                    yield from self._name(
                        at + ("deadlines", index),
                        "unknown-deadline",
                        "duty or window",
                        deadline,
                        self.deadlines,
                    )
                for index, target in enumerate(_list(step.get("targets"))):
                    yield from self._name(
                        at + ("targets", index), "unknown-target", "target", target, self.targets
                    )
                number = step.get("number")
                if isinstance(number, int):
                    if numbered and number <= numbered[1]:
                        yield self.where.diagnostic(
                            at + ("number",),
                            "step-order",
                            f"step `{step_id}` is numbered {number} but is written after step `{numbered[0]}`, numbered {numbered[1]}; steps run in the order they are written, so a number must rise with its place: move the step to where its number belongs, or remove `number:` and let its place decide",
                        )
                    numbered = (step_id, number)
        yield from self._empty_stages()

    def _empty_stages(self) -> Iterator[Diagnostic]:
        """A stage with no state and no step is one no case can be in and the map shows empty:
        most often a stage id of the baseline written under a new name to rename it, which
        `title:` does."""
        used = {_map(state).get("stage") for state in self.states.values()}
        inherited = [
            s for s in self.where.inherited.get(("stages",), []) if s in used and s in self.stages
        ]
        for stage_id, stage in _items(self.stages):
            if stage_id in used or _map(stage.get("steps")):
                continue  # a stage of steps alone (before the complaint, say) is a band of the map
            ids = ", ".join(f"`{s}`" for s in inherited)
            rename = (
                f"; stage ids come from the baseline ({ids}): to rename a stage people see, keep "
                f"its id and change its `title:`{did_you_mean(stage_id, inherited)}"
                if inherited
                else ""
            )
            yield self.where.diagnostic(
                ("stages", stage_id),
                "missing-key",
                f"stage `{stage_id}` has no steps and no state is in it (none says `stage: "
                f"{stage_id}`), so no case can ever be in it{rename}; a new stage needs states "
                "that say it",
                key=True,
            )

    def _deadlines(self) -> Iterator[Diagnostic]:
        produced = {_map(self.data.get("start")).get("event")} | set(self.anytime)
        for _, state in _items(self.states):
            produced.update(_map(state.get("transitions")))
        sections = (("duties", self.duties), ("windows", self.windows), ("targets", self.targets))
        for collection, items in sections:
            for deadline_id, deadline in _items(items):
                at = (collection, deadline_id)
                if collection != "duties" and (
                    other := _first_holding(
                        deadline_id, sections[: 1 if collection == "windows" else 2]
                    )
                ):
                    yield self.where.diagnostic(
                        at,
                        "duplicate-id",
                        f"`{deadline_id}` is both {other} and {_ONE[collection]}; the ids of duties, windows and targets must be unique",
                        key=True,
                    )
                yield from self._role(at, deadline)
                yield from self._anchor(at, deadline, produced)
                for index, event in enumerate(_list(deadline.get("met_by"))):
                    yield from self._name(
                        at + ("met_by", index), "unknown-event", "event", event, self.events
                    )
                for extension_id, extension in _items(deadline.get("extensions")):
                    yield from self._extension(
                        at + ("extensions", extension_id), deadline, extension
                    )
                for role in _map(deadline.get("recipients")):
                    yield from self._name(
                        at + ("recipients", role),
                        "unknown-role",
                        "role",
                        role,
                        self.vocabulary.roles,
                        key=True,
                    )

    def _anchor(
        self, at: Path_, deadline: Mapping[str, Any], produced: set[Any]
    ) -> Iterator[Diagnostic]:
        anchor = deadline.get("anchor")
        if not isinstance(anchor, str):
            return
        if anchor not in self.events:
            yield from self._name(at + ("anchor",), "unknown-event", "event", anchor, self.events)
            return
        if anchor not in produced:
            yield self.where.diagnostic(
                at + ("anchor",),
                "unreachable-anchor",
                f"no transition allows event `{anchor}`, so the clock of `{at[1]}` would never start; add the event to a state's transitions",
            )
        field = deadline.get("anchor_field")
        if isinstance(field, str):
            fields = _map(_map(self.events[anchor]).get("fields"))
            if fields.get(field) != "date":
                dates = [name for name, kind in fields.items() if kind == "date"]
                yield self.where.diagnostic(
                    at + ("anchor_field",),
                    "anchor-field",
                    f"event `{anchor}` has no date field `{field}`{did_you_mean(str(field), dates)} (its date fields: {', '.join(dates) or 'none'})",
                )
        elif field is None and deadline.get("direction") == "before":
            yield self.where.diagnostic(
                at + ("direction",),
                "anchor-field",
                f"a limit that runs before event `{anchor}` needs `anchor_field`: the date field it counts back from",
            )

    def _extension(
        self, at: Path_, deadline: Mapping[str, Any], extension: Mapping[str, Any]
    ) -> Iterator[Diagnostic]:
        if "when" not in extension and "event" not in extension:
            yield self.where.diagnostic(
                at,
                "missing-key",
                f"extension `{at[-1]}` needs `when` (a condition on facts) or `event` (an extension event)",
                key=True,
            )
        if "event" in extension:
            yield from self._name(
                at + ("event",), "unknown-event", "event", extension["event"], self.events
            )
        if "when" in extension:
            yield from conditions.check(
                extension["when"],
                at + ("when",),
                self.vocabulary.facts,
                self.where,
                self._whose_fact,
            )
        yield from self._grounds(at, extension)
        limit, maximum = _map(deadline.get("limit")), _map(extension.get("maximum"))
        if not all(isinstance(maximum.get(k), (int, str)) for k in ("amount", "unit")):
            return
        if "unstated" in limit:
            yield self.where.diagnostic(
                at,
                "invalid-value",
                f"extension `{at[-1]}` extends a limit the documents do not state; give the limit or remove the extension",
                key=True,
            )
        elif isinstance(limit.get("unit"), str) and maximum["unit"] != limit["unit"]:
            yield self.where.diagnostic(
                at + ("maximum", "unit"),
                "extension-unit",
                f"the maximum is in {maximum['unit']} but the limit of `{at[1]}` is in {limit.get('unit')}; use the same unit",
            )
        elif isinstance(limit.get("amount"), int) and maximum["amount"] < limit["amount"]:
            yield self.where.diagnostic(
                at + ("maximum", "amount"),
                "extension-below-base",
                f"extension `{at[-1]}` allows at most {maximum['amount']} {maximum['unit']}, less than the base limit of {limit['amount']}; an extension's maximum must be at least the limit it extends",
            )

    def _grounds(self, at: Path_, extension: Mapping[str, Any]) -> Iterator[Diagnostic]:
        """The grounds of an extension: named in the vocabulary, and only on one an event
        records (one that facts bring has its condition for its ground)."""
        grounds = _map(extension.get("grounds"))
        if grounds and "event" not in extension:
            yield self.where.diagnostic(
                at + ("grounds",),
                "invalid-value",
                f"extension `{at[-1]}` applies by the case's facts, so its condition is its ground; `grounds` belong on an extension recorded by an `event`",
                key=True,
            )
        for ground in grounds:
            if ground not in self.vocabulary.grounds:
                yield self.where.diagnostic(
                    at + ("grounds", ground),
                    "unknown-ground",
                    f"no extension ground is called `{ground}`{did_you_mean(str(ground), self.vocabulary.grounds)} (grounds are listed under `grounds` in rules/vocabulary.yaml: {', '.join(sorted(self.vocabulary.grounds))})",
                    key=True,
                )

    def _rules(self) -> Iterator[Diagnostic]:
        for rule_id, rule in _items(self.data.get("rules")):
            at = ("rules", rule_id)
            if "when" in rule:
                yield from conditions.check(
                    rule["when"],
                    at + ("when",),
                    self.vocabulary.facts,
                    self.where,
                    self._whose_fact,
                )
            decision, route = rule.get("decision"), rule.get("route")
            if decision == "redirect" and route is None:
                yield self.where.diagnostic(
                    at,
                    "missing-key",
                    f"rule `{rule_id}` redirects, so it needs `route`: where the matter goes instead",
                    key=True,
                )
            elif route is not None and decision != "redirect":
                decides = f"decides `{decision}`" if isinstance(decision, str) else "no decision"
                yield self.where.diagnostic(
                    at + ("route",),
                    "invalid-value",
                    f"rule `{rule_id}` gives a `route` but {decides}; a route goes with `decision: redirect` only",
                    key=True,
                )

    def _notes(self) -> Iterator[Diagnostic]:
        known: set[str] = (
            set(self.deadlines) | set(self.states) | set(self.events) | set(self.stages)
        )
        known.update(_map(self.data.get("rules")))
        for _, stage in _items(self.stages):
            known.update(_map(stage.get("steps")))
        for note_id, note in _items(self.data.get("notes")):
            at = ("notes", note_id)
            for index, concern in enumerate(_list(note.get("concerns"))):
                if isinstance(concern, str) and concern not in known:
                    yield self.where.diagnostic(
                        at + ("concerns", index),
                        "unknown-id",
                        f"the note concerns `{concern}`, which is no deadline, step, state, event or stage here{did_you_mean(str(concern), known)}",
                    )
            if note.get("kind") == "conflict":
                concerns = ", ".join(f"`{c}`" for c in _list(note.get("concerns")))
                # A description or binding the schema rejected is reported there, not quoted here.
                said = note.get("description")
                said = said if isinstance(said, str) else ""
                binding = note.get("binding")
                binding = f" Encoded as binding: {binding}" if isinstance(binding, str) else ""
                yield self.where.diagnostic(
                    at,
                    "conflict",
                    f"the documents conflict on {concerns}: {said}{binding}",
                    key=True,
                    severity=WARNING,
                )


# Where each kind of name is defined, for a name that is none of them and like none of them.
_DEFINED = {
    "role": "under `roles` in rules/vocabulary.yaml",
    "event": "under `events`",
    "state": "under `states`",
    "stage": "under `stages`",
    "duty": "under `duties`",
    "duty or window": "under `duties` or `windows`",
}


def _choices(what: str, known: Mapping[str, Any] | frozenset[str]) -> str:
    """The names there are, when few enough to read in a line; else where they are defined."""
    if len(known) <= 12:
        return f"; use one of: {', '.join(f'`{k}`' for k in sorted(known))}" if known else ""
    where = _DEFINED.get(what, "")
    return (
        f"; use one defined {where}, in this file or the one it extends, or define it there"
        if where
        else ""
    )
