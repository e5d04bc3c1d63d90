"""Compile a procedure into a frozen CompiledProcedure, write it as JSON, and load it back."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .._version import __version__
from ..diagnostics import ERROR, Diagnostic
from ..errors import CompiledFileError
from ..reading.bounds import DEPTH, FILE_BYTES

if TYPE_CHECKING:
    import networkx as nx

    from ..reading.inheritance import Resolved
from .._shapes import plain as thaw
from ..calendars.working_days import WorkingCalendar
from ..errors import CalendarError
from ..language.chains import Statute, links
from ..language.model import Parts, build, freeze

FORMAT = "csc-rules/compiled-procedure"
FORMAT_VERSION = 3
# The years a compiled procedure carries bank holidays for: from the year the Regulations took
# effect (2006), so that records going back that far can be replayed, to 2040.
CALENDAR_YEARS = (2006, 2040)


@dataclass(frozen=True, eq=False)
class CompiledProcedure(Parts):
    """A procedure ready to run: its parts, its stage graph, its calendar, and what it came from.

    Two compiled procedures are equal when their JSON is the same."""

    calendar: WorkingCalendar
    definition: Mapping[str, Any]  # the resolved procedure it was built from, read-only
    facts: Mapping[str, Any]  # the facts a case may state, with their types (rules/vocabulary.yaml)
    source_sha256: str
    engine_version: str
    # The chains of limits of the statutory baseline it extends (None for the statute itself
    # and a corporate procedure): what bounds the council where its own procedure sets no limit.
    statute: Statute | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CompiledProcedure):
            return NotImplemented
        return dumps(self) == dumps(other)

    def __hash__(self) -> int:
        return hash(self.source_sha256)

    @functools.cached_property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The stage graph, frozen: states as nodes, events as edges. Built when first asked
        for, so that running cases never waits for networkx to import."""
        return stage_graph(self)

    def allowed_events(self, state: str) -> tuple[str, ...]:
        """The events a case in `state` may record next, in the order they are written."""
        return tuple(t.event for t in self.transitions if t.source == state)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest_of(value: Any) -> str:
    return hashlib.sha256(_canonical(value)).hexdigest()


def stage_graph(parts: Parts) -> nx.MultiDiGraph[str]:
    """States as nodes (stage, actor, the deadlines they start), events as keyed edges."""
    import networkx as nx

    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(
        procedure=parts.id,
        version=parts.version,
        start=parts.start_state,
        start_event=parts.start_event,
    )
    attributes: dict[str, Any]
    for state in parts.states.values():
        attributes = {
            "stage": state.stage,
            "end": state.end,
            "actor": state.actor,
            "starts": list(state.starts),
        }
        graph.add_node(state.id, **{k: v for k, v in attributes.items() if v is not None})
    for t in parts.transitions:
        attributes = {
            "event": t.event,
            "when_overdue": t.when_overdue,
            "overdue_after": str(t.overdue_after) if t.overdue_after else None,
            "anytime": t.anytime or None,
        }
        graph.add_edge(
            t.source,
            t.target,
            key=t.event,
            **{k: v for k, v in attributes.items() if v is not None},
        )
    frozen: nx.MultiDiGraph[str] = nx.freeze(graph)
    return frozen


T = TypeVar("T")


def derived(procedure: CompiledProcedure, build: Callable[[CompiledProcedure], T]) -> T:
    """`build(procedure)`, made once per compiled procedure and kept with it: the look-up
    tables a replay needs, the compiled conditions of the rules. A compiled procedure is
    immutable, so what is built from it never goes stale, and it goes when the procedure does."""
    made = procedure.__dict__.get("_derived")
    if made is None:
        made = procedure.__dict__["_derived"] = {}  # as functools.cached_property keeps its value
    found = made.get(build)
    if found is None:
        found = made[build] = build(procedure)
    return cast(T, found)


def compile_resolved(
    procedure: Resolved, calendar: WorkingCalendar, facts: Mapping[str, Any]
) -> CompiledProcedure:
    """The compiled form of a procedure that has passed validation."""
    definition = thaw(freeze(procedure.data))  # a private, plain copy
    return _assembled(
        build(definition),
        calendar,
        definition,
        facts,
        digest_of(definition),
        __version__,
        statute_of(procedure),
    )


def statute_of(procedure: Resolved) -> Statute | None:
    """The chains of limits of the statutory baseline `procedure` extends, if it extends one
    (a baseline that itself extends another is not read here: none does)."""
    document = procedure.statute()
    if document is None or not isinstance(document.data, dict) or "extends" in document.data:
        return None
    law = build(thaw(freeze(document.data)))
    return Statute(law.id, law.version, links(law.deadlines.values()))


def identity(procedure: CompiledProcedure) -> dict[str, Any]:
    """Which procedure, which version, from when: the first keys of every JSON about it."""
    return {
        "procedure": procedure.id,
        "title": procedure.title,
        "kind": procedure.kind,
        "version": procedure.version,
        "effective": procedure.effective.isoformat(),
        "extends": procedure.extends,
    }


def to_json(procedure: CompiledProcedure) -> dict[str, Any]:
    """The compiled procedure as the self-contained document other systems load."""
    calendar = procedure.calendar.to_json()
    body: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        **identity(procedure),
        "engine_version": procedure.engine_version,
        "source_sha256": procedure.source_sha256,
        "calendar": {
            "region": calendar["region"],
            "first_year": calendar["first_year"],
            "last_year": calendar["last_year"],
            "weekend": ["Saturday", "Sunday"],
            "non_working_days": calendar["holidays"],
            "closures": calendar["closures"],
            "closures_stop_the_clock": calendar["count_closures"],
        },
        "graph": node_link(procedure.graph),
        "facts": thaw(procedure.facts),
        "definition": thaw(procedure.definition),
        "statute": procedure.statute.to_json() if procedure.statute is not None else None,
    }
    body["sha256"] = digest_of(body)
    return body


def dumps(procedure: CompiledProcedure) -> str:
    """The compiled JSON text: the same procedure always gives the same bytes."""
    return json.dumps(to_json(procedure), indent=2, ensure_ascii=False) + "\n"


def load_compiled(path: Path | str) -> CompiledProcedure:
    """Rebuild a compiled procedure from its JSON, without YAML or the holidays package."""
    from ..diagnostics import display_path
    from ..reading.files import read_text

    path = Path(path)
    name = display_path(path)
    text, problems = read_text(path)
    if text is None:
        problem = problems[0]
        where = f":{problem.line}:{problem.column}" if problem.code == "binary-file" else ""
        raise CompiledFileError(f"{name}{where}: {problem.message}", problems)
    return loads(text, name)


def node_link(graph: nx.MultiDiGraph[str]) -> dict[str, Any]:
    """The graph as networkx node-link data, the form the compiled file carries."""
    import networkx as nx

    data: dict[str, Any] = nx.node_link_data(graph, edges="edges")
    return data


def loads(
    text: str, name: str = "<compiled procedure>", *, trusted: bool = False
) -> CompiledProcedure:
    """Rebuild a compiled procedure from its JSON text, checking it first: read within the bounds
    of `limits`, then its format, schema, digests and meaning, and its stage graph against its
    definition. Anything wrong raises CompiledFileError, one line that names the file and where.

    `trusted` is for what csc-rules wrote itself (its cache): only the digests are checked, which
    find any damage, and the schema, meaning and graph are taken as compiled."""
    document = _compiled_document(text, name)
    if not trusted:
        _check_schema(document, name)
    _check_digests(document, name)
    if not trusted:
        _check_meaning(document, name)
    try:
        calendar = _calendar(document["calendar"])
    except CalendarError as exc:
        raise _refused(name, [_problem(name, ("calendar",), "damaged", str(exc))]) from None
    parts = _parts(document, name)
    if not trusted:
        _check_graph(document, parts, name)
    return _assembled(
        parts,
        calendar,
        document["definition"],
        document["facts"],
        document["source_sha256"],
        document["engine_version"],
        _statute(document, name),
    )


def _assembled(
    parts: Parts,
    calendar: WorkingCalendar,
    definition: Any,
    facts: Any,
    source_sha256: str,
    engine_version: str,
    statute: Statute | None,
) -> CompiledProcedure:
    fields = {f.name: getattr(parts, f.name) for f in dataclasses.fields(Parts)}
    return CompiledProcedure(
        **fields,
        calendar=calendar,
        definition=freeze(definition),
        facts=freeze(facts),
        source_sha256=source_sha256,
        engine_version=engine_version,
        statute=statute,
    )


def _statute(document: dict[str, Any], name: str) -> Statute | None:
    """The statute's chains a compiled file carries; None in a file compiled before they were
    added (the schema lets it leave them out), which then bounds nothing by the statute."""
    data = document.get("statute")
    if data is None:
        return None
    try:
        return Statute.from_json(data)
    except (KeyError, TypeError, ValueError) as exc:  # the schema leaves nothing for this
        raise _refused(
            name, [_problem(name, ("statute",), "damaged", f"{type(exc).__name__}: {exc}")]
        ) from None


def _compiled_document(text: str, name: str) -> dict[str, Any]:
    """The JSON object of a compiled file, read within the bounds, of the format and version
    this csc-rules reads."""
    from ..errors import JsonInputError
    from ..reading.json_input import loads as read_json

    if len(text) > FILE_BYTES.value:
        raise CompiledFileError(f"{name}: {FILE_BYTES.exceeded('the text holds')}")
    try:
        document = read_json(text)
    except JsonInputError as exc:
        # a compiled file is written by `compile`, so the way out of any of these is the same
        found = DEPTH.exceeded("the JSON is nested") if exc.code == "too-deep" else exc.message
        raise CompiledFileError(f"{name}:{exc.line}:{exc.column}: {found}; {AGAIN}") from None
    if not isinstance(document, dict):
        raise CompiledFileError(
            f"{name}: not a compiled csc-rules procedure: it holds {_kind(document)}, not a JSON "
            f"object whose `format` is `{FORMAT}`"
        )
    if document.get("format") != FORMAT:
        raise CompiledFileError(
            f"{name}: not a compiled csc-rules procedure (its `format` should be `{FORMAT}`)"
        )
    version = document.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise CompiledFileError(
            f"{name}: format_version {_short(json.dumps(version))} is not one this csc-rules "
            f"({__version__}) reads, which is {FORMAT_VERSION}; compile the procedure again "
            "with this version"
        )
    return document


def _check_digests(document: dict[str, Any], name: str) -> None:
    """The digest of the whole (taken out of `document`) and of the definition, which find any
    change made after the file was compiled."""
    claimed = document.pop("sha256")
    try:
        digest = digest_of(document)
    except UnicodeEncodeError:  # a lone surrogate (`"\ud800"`): JSON allows it, UTF-8 does not
        raise CompiledFileError(
            f"{name}: holds a string that is not Unicode text (a lone surrogate, written "
            f"`\\ud800` or the like), which `compile` never writes; {AGAIN}"
        ) from None
    if digest != claimed:
        raise CompiledFileError(
            f"{name}: the sha256 digest does not match the content: the file was changed after it was compiled; {AGAIN}"
        )
    if digest_of(document["definition"]) != document["source_sha256"]:
        raise CompiledFileError(
            f"{name}: source_sha256 does not match the definition it carries; {AGAIN}"
        )


def _parts(document: dict[str, Any], name: str) -> Parts:
    try:
        return build(document["definition"])
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        # the schema and the checks of meaning leave nothing for this to find; kept so that a gap
        # in them shows as a refusal, never as a crash
        raise _refused(
            name, [_problem(name, ("definition",), "damaged", f"{type(exc).__name__}: {exc}")]
        ) from None


def _check_graph(document: dict[str, Any], parts: Parts, name: str) -> None:
    # Compared as canonical JSON, not parsed: junk never reaches networkx, and `1` is not `true`.
    expected = node_link(stage_graph(parts))
    if _canonical(document["graph"]) != _canonical(expected):
        where = _first_difference(document["graph"], expected, ("graph",))
        raise _refused(
            name,
            [
                _problem(
                    name,
                    where,
                    "graph-mismatch",
                    "the stage graph does not match the definition it carries",
                )
            ],
        )


AGAIN = "compile the procedure again"
# How many problems one message spells out; the error's `diagnostics` carry all of them.
_SHOWN = 3


def _calendar(data: Mapping[str, Any]) -> WorkingCalendar:
    return WorkingCalendar.from_json(
        {
            "region": data["region"],
            "first_year": data["first_year"],
            "last_year": data["last_year"],
            "holidays": data["non_working_days"],
            "closures": data["closures"],
            "count_closures": data["closures_stop_the_clock"],
        }
    )


def _check_schema(document: dict[str, Any], name: str) -> None:
    from ..reading.schema import compiled_validator

    errors = sorted(
        compiled_validator().iter_errors(document),
        key=lambda e: [(1, 0, str(p)) if isinstance(p, str) else (0, p, "") for p in e.path],
    )
    if errors:
        raise _refused(
            name,
            [_problem(name, tuple(e.absolute_path), "damaged", e.message) for e in errors],
            "damaged at",
        )


def _check_meaning(document: dict[str, Any], name: str) -> None:
    from ..validation.compiled_check import problems

    found = problems(document, name)
    if found:
        raise _refused(name, found)


def _problem(name: str, path: tuple[Any, ...], code: str, message: str) -> Diagnostic:
    from ..validation.compiled_check import json_path

    return Diagnostic(name, 0, 0, ERROR, code, message, json_path(path))


def _refused(name: str, problems: list[Diagnostic], at: str = "at") -> CompiledFileError:
    """One line: the file, where the first problem is and what it is, the next few, what to do."""
    shown = [f"{p.yaml_path}: {_short(p.message)}" for p in problems[1:_SHOWN]]
    more = len(problems) - 1
    others = (
        f" (and {more} more: {'; '.join(shown)}{'; ...' if more >= _SHOWN else ''})" if more else ""
    )
    first = problems[0]
    message = f"{name}: {at} {first.yaml_path}: {_short(first.message)}{others}; {AGAIN}"
    return CompiledFileError(message, problems)


def _first_difference(found: Any, expected: Any, path: tuple[Any, ...]) -> tuple[Any, ...]:
    """The path of the first value in `found` that differs from `expected`."""
    if isinstance(found, dict) and isinstance(expected, dict):
        for key in sorted(found.keys() | expected.keys()):
            if key not in found or key not in expected:
                return path
            if _canonical(found[key]) != _canonical(expected[key]):
                return _first_difference(found[key], expected[key], path + (key,))
    elif isinstance(found, list) and isinstance(expected, list):
        for index, (a, b) in enumerate(zip(found, expected, strict=False)):
            if _canonical(a) != _canonical(b):
                return _first_difference(a, b, path + (index,))
        if len(found) != len(expected):
            return path + (min(len(found), len(expected)),) if len(found) > len(expected) else path
    return path


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return "nothing (null)" if value is None else f"the value {_short(json.dumps(value))}"


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _one_line(text: str) -> str:
    """Control characters (a newline in a key, say) written as escapes, so the message stays one line."""
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in text
    )
