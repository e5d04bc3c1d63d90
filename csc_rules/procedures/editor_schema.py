"""The JSON Schema editors read for procedure files: rules/procedure.schema.json with every field
that names something narrowed to the names the library defines, each offered with what it is.

VS Code's YAML extension (the YAML language server) completes a value from `enum`, showing
`markdownEnumDescriptions` (or `enumDescriptions`) beside each, and completes a key from a
mapping's `properties`; a value outside the `enum` is flagged with the schema's `errorMessage`.
Names a file defines (the keys of `events:`, `states:` ...) stay free, so that a new one is
never flagged; the names that refer to them are held to those that exist."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .library import Library

# The first words of the schema's `$comment`: a file that starts so was written by
# `csc-rules schema` and may be written again; any other is left alone.
GENERATED = "Generated from the library by `csc-rules schema`"
COMMENT = (
    f"{GENERATED}; `csc-rules validate` writes it again whenever the library's names change. "
    "Do not edit it: change the procedures, the vocabulary or rules/procedure.schema.json."
)
ID = "urn:csc-rules:library.schema.json"


@dataclass(frozen=True)
class Sense:
    """What a name is, as one procedure (or the vocabulary) says it."""

    title: str
    description: str
    found_in: tuple[str, ...]

    @property
    def where(self) -> str:
        return "from " + ", ".join(self.found_in)

    @property
    def text(self) -> str:
        said = ": ".join(part for part in (self.title, self.description) if part)
        return f"{said} ({self.where})" if said else self.where

    @property
    def markdown(self) -> str:
        title = f"**{self.title}**" if self.title else ""
        said = " ".join(part for part in (title, self.description) if part)
        return f"{said} _({self.where})_"


@dataclass(frozen=True)
class Name:
    """One name the library defines, with each different thing said of it, the first first:
    the baselines describe an event each in their own words, and a council may word it anew."""

    id: str
    senses: tuple[Sense, ...]

    @property
    def text(self) -> str:
        return "; ".join(sense.text for sense in self.senses)

    @property
    def markdown(self) -> str:
        return "\n\n".join(sense.markdown for sense in self.senses)


Names = dict[str, Name]


@dataclass(frozen=True)
class Catalogue:
    """Every name of each kind a procedure may refer to, by kind."""

    events: Names
    states: Names
    stages: Names
    steps: Names
    duties: Names
    windows: Names
    rules: Names
    roles: Names
    facts: Names
    grounds: Names
    documents: Names

    @property
    def deadlines(self) -> Names:
        return {**self.duties, **self.windows}

    @property
    def concerns(self) -> Names:
        """What a note may concern: any deadline, step, state, event, stage or rule."""
        return {
            **self.stages,
            **self.steps,
            **self.states,
            **self.events,
            **self.deadlines,
            **self.rules,
        }


def names(library: Library) -> Catalogue:
    """Every name the library's procedures and vocabulary define, read through the library: the
    procedures `validate` finds, baselines first, each name with what every file that writes it
    says of it."""
    found: dict[str, Names] = {kind: {} for kind in _COLLECTIONS + ("steps",)}
    for procedure in library.checker.validate().procedures:
        where = procedure.id
        data = procedure.chain[-1].data  # what the file itself says, not what it inherits
        for kind in _COLLECTIONS:
            _add(found[kind], _items(data.get(kind)), where)
        for _, stage in _items(data.get("stages")):
            _add(found["steps"], _items(stage.get("steps")), where)
    vocabulary = library.vocabulary
    facts = {
        k: v.get("description", "") if isinstance(v, dict) else ""
        for k, v in vocabulary.facts().items()
    }
    return Catalogue(
        **{kind: _sorted(found[kind]) for kind in found},
        roles=_plain(vocabulary.roles(), "the vocabulary"),
        facts=_plain(facts, "the vocabulary"),
        grounds=_plain(vocabulary.grounds(), "the vocabulary"),
        documents=_plain(vocabulary.document_names(), "the vocabulary"),
    )


def editor_schema(library: Library) -> dict[str, Any]:
    """The schema for procedure files with the library's names, as `csc-rules schema` writes it."""
    from ..reading.schema import document

    return narrowed(document("procedure"), names(library))


def narrowed(schema: dict[str, Any], known: Catalogue) -> dict[str, Any]:
    """`schema` (the procedure schema, whose parts are changed in place) with each field that
    names something held to `known`."""
    # Said first, so that whoever opens the file reads that it is made, not written.
    head = {"$schema": schema.pop("$schema"), "$comment": COMMENT, "$id": ID}
    schema.pop("$id", None)
    schema = {**head, **schema, "title": "csc-rules procedure, with the library's names"}
    defs, top = schema["$defs"], schema["properties"]
    held = _Held(defs)
    for kind, what in _KINDS.items():
        held.define(kind, getattr(known, kind), what)

    start = defs["start"]["properties"]
    held(start, "event", "events")
    held(start, "state", "states")
    for item, kind in (("stage", "stages"), ("step", "steps"), ("rule", "rules")):
        held(defs[item]["properties"], "after", kind)
        held(defs[item]["properties"], "before", kind)
    _offer_keys(defs["stage"]["properties"]["steps"], known.steps, "#/$defs/step")
    step, state = defs["step"]["properties"], defs["state"]["properties"]
    held(step, "actor", "roles")
    held(step["deadlines"], "items", "deadlines")
    held(state, "stage", "stages")
    held(state, "actor", "roles")
    held(defs["transition"]["properties"], "to", "states")
    held(defs["transition"]["properties"], "when_overdue", "duties")
    for deadline in ("duty", "window"):
        props = defs[deadline]["properties"]
        held(props, "actor", "roles")
        held(props, "anchor", "events")
        held(props["met_by"], "items", "events")
    held.keys(defs["duty"]["properties"]["recipients"], "roles")
    held(defs["extension"]["properties"], "event", "events")
    held.keys(defs["extension"]["properties"]["grounds"], "grounds")
    held(defs["condition"]["properties"], "fact", "facts")
    held(defs["note"]["properties"]["concerns"], "items", "concerns")

    # The events allowed in a state, and in every open state: keys held to the events, and
    # each offered with what it is.
    defs["transitions"] = state["transitions"]
    held.keys(defs["transitions"], "events")
    _offer_keys(defs["transitions"], known.events, "#/$defs/transition")
    state["transitions"] = top["from_every_open_state"] = {"$ref": "#/$defs/transitions"}
    for collection, ref in _DEFINED.items():
        _offer_keys(top[collection], getattr(known, collection), f"#/$defs/{ref}")
    _cite(defs["sources"], known.documents)
    _cite(defs["note"]["properties"]["sources"], known.documents)
    return schema


# Each kind of name, as a message about one that is not known calls it.
_KINDS = {
    "events": "event",
    "states": "state",
    "stages": "stage",
    "steps": "step",
    "duties": "duty",
    "deadlines": "duty or window",
    "rules": "rule",
    "roles": "role",
    "facts": "fact",
    "grounds": "ground",
    "concerns": "deadline, step, state, event, stage or rule",
}
# The collections whose keys define names, with the definition of one item.
_DEFINED = {
    "stages": "stage",
    "states": "state",
    "events": "event",
    "duties": "duty",
    "windows": "window",
    "rules": "rule",
}


class _Held:
    """The list of each kind of name, defined once under `$defs` (`known-events` ...) and
    referred to from every field that names one."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.defined: set[str] = set()

    def define(self, kind: str, known: Names, what: str) -> None:
        if known:  # with nothing to offer, a field stays as the schema has it, never empty
            self.defs[f"known-{kind}"] = _enum(known, what)
            self.defined.add(kind)

    def __call__(self, props: dict[str, Any], key: str, kind: str) -> None:
        """Hold `props[key]` (a string field, or an array's `items`) to the names of `kind`."""
        if kind in self.defined:
            field = {"$ref": f"#/$defs/known-{kind}"}
            description = props[key].get("description")
            props[key] = {**field, "description": description} if description else field

    def keys(self, mapping: dict[str, Any], kind: str) -> None:
        """The keys of `mapping` must be names of `kind`."""
        if kind in self.defined:
            mapping["propertyNames"] = {"$ref": f"#/$defs/known-{kind}"}


# The collections of a procedure whose keys are names other fields refer to.
_COLLECTIONS = ("events", "states", "stages", "duties", "windows", "rules")


def _items(value: Any) -> Iterable[tuple[str, dict[str, Any]]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key), item if isinstance(item, dict) else {}


def _add(found: Names, items: Iterable[tuple[str, dict[str, Any]]], where: str) -> None:
    """Each item a file writes, with what it says of it: a wording said before gains the file's
    procedure; a new wording is added; an item that only changes a limit, say, adds nothing."""
    for key, item in items:
        title = item.get("title")
        description = item.get("description") or item.get("message") or ""
        if not description and isinstance(item.get("end"), str):
            description = f"an end state: the case is {item['end']}"
        said = (title if isinstance(title, str) else "", str(description).strip())
        senses = list(found[key].senses) if key in found else []
        same = [n for n, k in enumerate(senses) if (k.title, k.description) == said]
        if same and where not in senses[same[0]].found_in:
            sense = senses[same[0]]
            senses[same[0]] = Sense(*said, (*sense.found_in, where))
        elif not same and (any(said) or not senses):
            senses.append(Sense(*said, (where,)))
        found[key] = Name(key, tuple(senses))


def _plain(described: Mapping[str, str], what: str) -> Names:
    return _sorted(
        {k: Name(k, (Sense("", str(v).strip(), (what,)),)) for k, v in described.items()}
    )


def _sorted(found: Names) -> Names:
    return dict(sorted(found.items()))


def _enum(known: Names, what: str) -> dict[str, Any]:
    """A string that must be one of `known`, each offered with what it is."""
    held: dict[str, Any] = {
        "type": "string",
        "enum": list(known),
        "enumDescriptions": [n.text for n in known.values()],
        "markdownEnumDescriptions": [n.markdown for n in known.values()],
        "errorMessage": (
            f"not {_a(what)} the library defines: pick one from the list the editor offers, or if "
            f"it is new, define it first and run `csc-rules validate` so the editor learns it"
        ),
    }
    return held


def _a(what: str) -> str:
    return f"an {what}" if what[0] in "aeiou" else f"a {what}"


def _offer_keys(mapping: dict[str, Any], known: Names, ref: str) -> None:
    """Offer each of `known` as a key of `mapping`, with what it is; other keys stay allowed."""
    mapping["properties"] = {
        n.id: {"$ref": ref, "description": n.text, "markdownDescription": n.markdown}
        for n in known.values()
    }


def _cite(sources: dict[str, Any], documents: Names) -> None:
    """Each citation must begin with a document the library lists; each is offered as the
    start of one."""
    if not documents:
        return
    items = sources["items"]
    names = "|".join(_regex(d) for d in documents)
    items["pattern"] = f"^(?:{names}): \\S.*$"
    items["patternErrorMessage"] = (
        'a citation is `<document>: <section, or a "quote" of a few words>`, the document one '
        "the library lists (the editor offers them)"
    )
    items["defaultSnippets"] = [
        {"label": d.id, "description": d.senses[0].description, "body": f'"{d.id}: ${{1:section}}"'}
        for d in documents.values()
    ]


# The characters a regular expression gives a meaning to: escaped, and only they, so that the
# pattern reads the same to Python and to JavaScript with the `u` flag, which rejects other escapes.
_SYNTAX = re.compile(r"([\^$\\.*+?()[\]{}|/])")


def _regex(text: str) -> str:
    return _SYNTAX.sub(r"\\\1", text)
