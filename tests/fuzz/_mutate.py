"""Hypothesis strategies that damage real files: bytes, YAML structure, cases, compiled JSON.

Each strategy draws a small recipe (positions, operations, values) rather than a whole file, so
hypothesis can shrink a failure to the one edit that matters; `apply_*` turns the recipe into
the damaged text. The originals are the library's own files, so every mutation starts from
something the engine accepts and moves a little or a lot away from it.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from ._harness import ROOT

# The files a policy officer edits: every council's procedures and its council.yaml, and the
# baselines.
LIBRARY_FILES = sorted(
    [*ROOT.glob("councils/*/*.yaml"), *ROOT.glob("rules/baseline/*.yaml")],
    key=lambda p: p.relative_to(ROOT).as_posix(),
)
CANONICAL_EVENTS = [
    "complaint-received",
    "acknowledged",
    "stage-1-extended",
    "stage-1-response-sent",
    "stage-2-requested",
    "stage-2-started",
    "stage-2-extended",
    "investigation-report-received",
    "stage-2-response-sent",
    "stage-3-requested",
    "panel-scheduled",
    "panel-papers-sent",
    "panel-held",
    "panel-report-sent",
    "stage-3-response-sent",
    "meeting-held",
    "resolved",
    "withdrawn",
    "withdrawal-confirmed",
    "referred-to-ombudsman",
]
FACT_NAMES = [
    "complainant.role",
    "complainant.consent_from_child",
    "child.status",
    "matter_date",
    "subject",
    "concurrent_proceedings",
    "previously_completed_all_stages",
    "about_council_actions",
    "safeguarding_concern",
    "complex",
    "advocate_required",
    "on_behalf_of_child",
]

# Latin letters and the Cyrillic letters that look the same (and a hyphen that is not `-`).
LOOK_ALIKES = {
    "a": "\u0430",
    "c": "\u0441",
    "e": "\u0435",
    "i": "\u0456",
    "o": "\u043e",
    "p": "\u0440",
    "s": "\u0455",
    "x": "\u0445",
    "y": "\u0443",
    "-": "\u2010",  # hyphen, not hyphen-minus
}


# -- byte-level ----------------------------------------------------------------------------------

# What YAML reads as structure, or what breaks a reader: indicators, document markers, anchors
# and aliases, tags (some unsafe), merge keys, a BOM, NUL, bytes that are not UTF-8, line ends.
SIGNIFICANT = [
    b":",
    b": ",
    b"-",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b"&a ",
    b"*a",
    b"*b",
    b"!",
    b"!!str ",
    b"!!binary ",
    b"!!python/object/apply:os.system ['true'] ",
    b"!!set ",
    b"<<: *a\n",
    b"|",
    b">",
    b"'",
    b'"',
    b"#",
    b"%YAML 1.1\n",
    b"\n---\n",
    b"\n...\n",
    b"?",
    b"~",
    b"@",
    b"`",
    b"\t",
    b"\n",
    b"\r",
    b"\r\n",
    b"  ",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xe2\x80\xa8",
    b"on: ",
    b"yes",
    b"no",
    b"null",
    b".nan",
    b"-.inf",
    b"9" * 40,
    b"2024-02-30",
    b"[[[[[[[[[[",
    b"- - - - - - - - - - ",
]

byte_edit = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 1 << 20), st.integers(1, 64)),
    st.tuples(st.just("duplicate"), st.integers(0, 1 << 20), st.integers(1, 400)),
    st.tuples(st.just("insert"), st.integers(0, 1 << 20), st.sampled_from(SIGNIFICANT)),
    st.tuples(st.just("insert"), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("replace-byte"), st.integers(0, 1 << 20), st.sampled_from(SIGNIFICANT)),
    st.tuples(st.just("swap-lines"), st.integers(0, 1 << 16), st.integers(0, 1 << 16)),
    st.tuples(st.just("indent"), st.integers(0, 1 << 16), st.integers(1, 6)),
    st.tuples(st.just("dedent"), st.integers(0, 1 << 16), st.integers(1, 6)),
    st.tuples(st.just("truncate"), st.integers(0, 1 << 20), st.just(0)),
)
byte_edits = st.lists(byte_edit, min_size=1, max_size=6)


def apply_bytes(data: bytes, edits: list[tuple[str, int, Any]]) -> bytes:
    """`data` with each edit applied in turn; positions wrap around the current length."""
    for kind, at, arg in edits:
        size = max(len(data), 1)
        if kind in ("swap-lines", "indent", "dedent"):
            lines = data.split(b"\n")
            line = at % len(lines)
            if kind == "swap-lines":
                other = arg % len(lines)
                lines[line], lines[other] = lines[other], lines[line]
            elif kind == "indent":
                lines[line] = b" " * arg + lines[line]
            else:
                stripped = lines[line].lstrip(b" ")
                lines[line] = b" " * max(len(lines[line]) - len(stripped) - arg, 0) + stripped
            data = b"\n".join(lines)
            continue
        at %= size + 1
        if kind == "delete":
            data = data[:at] + data[at + arg :]
        elif kind == "duplicate":
            data = data[:at] + data[at : at + arg] + data[at:]
        elif kind == "insert":
            data = data[:at] + arg + data[at:]
        elif kind == "replace-byte":
            data = data[:at] + arg + data[at + 1 :]
        elif kind == "truncate":
            data = data[:at]
    return data


# -- values of every type --------------------------------------------------------------------------

NASTY_STRINGS = [
    "",
    " ",
    "on",
    "yes",
    "No",
    "null",
    "~",
    "true",
    "1e3",
    "0x1F",
    "0o17",
    "2024-02-30",
    "2024-12-20",
    "2023-13-01",
    "1999-12-31",
    "2041-01-01",
    "0001-01-01",
    "9999-12-31",
    "20241220",
    "2024-12-20T10:00:00",
    "complaint-received",
    "compl\u0430int-received",
    "\u0430cknowledged",
    "withdrawn",
    "stage-1",
    "stage-1-response",
    "working-days",
    "months",
    "days",
    "baseline/csc-statutory",
    "sefton/csc-statutory",
    "sefton/../../etc/passwd",
    "../rules/vocabulary.yaml",
    "/dev/zero",
    "*a",
    "&a",
    "!!python/object:os.system",
    "{{ x }}",
    "%s%n",
    "\u202eevil",
    "\u200b",
    "\ud7ff\ue000\U0010ffff",
    "a\nb",
    "a\u2028b",  # a line separator to str.splitlines(), not to JSON Lines
    "a\x85b",
    "a\x1cb",
    "a" * 1000,
    "x" * 70,
]
HUGE_INTS = [0, -1, 1, 2**31, -(2**63), 2**64, 10**30, 10**300, 10**4000]


def _text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY_STRINGS),
        st.text(max_size=24),
        st.sampled_from(CANONICAL_EVENTS).flatmap(lambda e: st.just(e).map(look_alike_all)),
    )


def look_alike_all(word: str) -> str:
    return "".join(LOOK_ALIKES.get(c, c) for c in word)


def scalars(*, json_safe: bool = False) -> st.SearchStrategy[Any]:
    """Every scalar type a YAML or JSON reader can give, with the awkward values weighted in."""
    options: list[st.SearchStrategy[Any]] = [
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from(HUGE_INTS),
        st.floats(allow_nan=True, allow_infinity=True),
        _text(),
    ]
    if not json_safe:
        options.append(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    return st.one_of(*options)


def keys(*, json_safe: bool = False) -> st.SearchStrategy[Any]:
    text = st.one_of(
        st.sampled_from(
            [
                "id",
                "limit",
                "amount",
                "unit",
                "anchor",
                "met_by",
                "extensions",
                "maximum",
                "when",
                "fact",
                "equals",
                "transitions",
                "to",
                "events",
                "event",
                "date",
                "facts",
                "extends",
                "remove",
                "sources",
                "steps",
                "after",
                "before",
                "junk",
                "on",
                "<<",
            ]
        ),
        _text(),
    )
    if json_safe:
        return text
    # YAML allows keys of any type; the loader must refuse them with `non-string-key`.
    return st.one_of(text, st.integers(-5, 5), st.booleans(), st.none())


def values(*, json_safe: bool = False) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars(json_safe=json_safe),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(keys(json_safe=json_safe), children, max_size=4),
        ),
        max_leaves=12,
    )


def nested(value: Any, depth: int, as_list: bool) -> Any:
    for _ in range(depth):
        value = [value] if as_list else {"k": value}
    return value


# -- structure-level ---------------------------------------------------------------------------------


def paths(document: Any) -> list[tuple[Any, ...]]:
    """Every path to a value in `document`, the root first, in a stable order."""
    found: list[tuple[Any, ...]] = [()]
    stack: list[tuple[tuple[Any, ...], Any]] = [((), document)]
    while stack:
        path, value = stack.pop()
        children = (
            list(value.items())
            if isinstance(value, dict)
            else list(enumerate(value))
            if isinstance(value, list)
            else []
        )
        for key, child in children:
            found.append((*path, key))
            stack.append(((*path, key), child))
    return found


OPERATIONS = ["replace", "delete", "insert", "duplicate", "nest", "wrap", "swap", "rename", "tweak"]


def gentle_edits() -> st.SearchStrategy[list[Any]]:
    """Recipes that only tweak values within their type (a limit of 0 or a million days, a
    name in look-alike letters, a list reversed), so that the file often stays valid and the
    commands get past reading it to what they do with odd but valid content."""
    return st.lists(
        st.tuples(
            st.just("tweak"),
            st.integers(0, 1 << 16),
            st.none(),
            st.just(1),
            st.integers(0, 1 << 16),
            st.just("k"),
        ),
        min_size=1,
        max_size=3,
    )


def tweaked(value: Any, choice: int) -> Any:
    """`value` changed within its type, the change picked by `choice`."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return [0, 1, -1, 2, 29, 366, 10**6, 2**31, value + 1, value * 10][choice % 10]
    if isinstance(value, float):
        return [0.0, -0.5, 1e300, value * 2][choice % 4]
    if isinstance(value, str):
        variants = [
            look_alike_all(value),
            value + "\u0301",  # a combining accent on the last letter
            value.upper(),
            "",
            value * 2,
            value + " ",
            "\u202e" + value,
            NASTY_STRINGS[choice % len(NASTY_STRINGS)],
        ]
        return variants[choice % len(variants)]
    if isinstance(value, list):
        return [value[::-1], value[:-1], value + value[-1:]][choice % 3]
    return value


def structure_edits(*, json_safe: bool = False) -> st.SearchStrategy[list[Any]]:
    """Recipes (operation, path index, value, depth, other index, key) for `apply_structure`."""
    return st.lists(
        st.tuples(
            st.sampled_from(OPERATIONS),
            st.integers(0, 1 << 16),
            values(json_safe=json_safe),
            st.integers(1, 120),
            st.integers(0, 1 << 16),
            keys(json_safe=json_safe),
        ),
        min_size=1,
        max_size=5,
    )


def apply_structure(document: Any, edits: list[Any]) -> Any:
    """A deep copy of `document` with each recipe applied at the path its index picks:
    a value replaced, deleted, inserted, duplicated, nested `depth` deep in lists or mappings,
    swapped with another, or a key renamed (to a sibling's name, or to look-alike letters)."""
    document = copy.deepcopy(document)
    for operation, index, value, depth, other, new_key in copy.deepcopy(edits):
        all_paths = paths(document)
        path = all_paths[index % len(all_paths)]
        if not path:  # the root itself
            if operation == "replace":
                document = value
            elif operation in ("nest", "wrap"):
                document = nested(document, depth, operation == "nest")
            continue
        parent = _get(document, path[:-1])
        key = path[-1]
        if operation == "replace":
            parent[key] = value
        elif operation == "delete":
            del parent[key]
        elif operation == "insert":
            if isinstance(parent, list):
                parent.insert(key, value)
            else:
                parent[new_key] = value
        elif operation == "duplicate":
            if isinstance(parent, list):
                parent.insert(key, copy.deepcopy(parent[key]))
            else:
                parent[f"{key}-2"] = copy.deepcopy(parent[key])
        elif operation in ("nest", "wrap"):
            parent[key] = nested(parent[key], depth, operation == "nest")
        elif operation == "swap":
            target = all_paths[other % len(all_paths)]
            if target and target[: len(path)] != path and path[: len(target)] != target:
                target_parent = _get(document, target[:-1])
                parent[key], target_parent[target[-1]] = target_parent[target[-1]], parent[key]
        elif operation == "tweak":
            parent[key] = tweaked(parent[key], other)
        elif operation == "rename" and isinstance(parent, dict):
            names = [k for k in parent if k != key]
            renamed = names[other % len(names)] if names and other % 3 else look_alike_all(str(key))
            parent[renamed] = parent.pop(key)
    return document


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


def dump_yaml(document: Any) -> str:
    """YAML text the way a person or another tool might write it back."""
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


ORIGINALS = {path: path.read_bytes() for path in LIBRARY_FILES}
PARSED = {path: yaml.safe_load(text) for path, text in ORIGINALS.items()}


def damaged_bytes(source: Path, edits: list) -> tuple[bytes, bytes]:
    return ORIGINALS[source], apply_bytes(ORIGINALS[source], edits)


def damaged_structure(source: Path, edits: list) -> tuple[bytes, bytes]:
    before = dump_yaml(PARSED[source]).encode()
    return before, dump_yaml(apply_structure(PARSED[source], edits)).encode()


procedure_damage = st.one_of(
    st.tuples(st.just(damaged_bytes), byte_edits),
    st.tuples(st.just(damaged_structure), structure_edits()),
    st.tuples(st.just(damaged_structure), gentle_edits()),
)


# -- compiled files ---------------------------------------------------------------------------------


def canonical_sha256(value: Any) -> str:
    """The digest csc_rules/procedures/compiler.py computes, written out again here on purpose: a damaged
    file that carries a fresh digest must be refused for what it means, not for its digest."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def redigest(document: Any, *, regraph: bool = True) -> Any:
    """`document` with its `source_sha256` and `sha256` made to match what it now holds, and
    (with `regraph`, as far as the engine can still build one) the stage graph redrawn from its
    definition, so that only a check of what the file means can refuse it."""
    if not isinstance(document, dict):
        return document
    document = dict(document)
    document.pop("sha256", None)
    if regraph:
        document["graph"] = _graph_of(document.get("definition"), document.get("graph"))
    if "definition" in document:
        document["source_sha256"] = canonical_sha256(document["definition"])
    document["sha256"] = canonical_sha256(document)
    return document


def _graph_of(definition: Any, old: Any) -> Any:
    import networkx as nx

    from csc_rules.language.model import build
    from csc_rules.procedures.compiler import stage_graph

    try:
        return nx.node_link_data(stage_graph(build(definition)), edges="edges")
    except Exception:  # noqa: BLE001 - a definition too damaged to draw keeps the old graph
        return old


# The edits issue 10 names: each leaves a file whose digest is right and whose meaning is not.
def remove_event(document: dict[str, Any]) -> None:
    events = document["definition"]["events"]
    del events["acknowledged" if "acknowledged" in events else next(iter(events))]


def ghost_met_by(document: dict[str, Any]) -> None:
    duty = next(iter(document["definition"]["duties"].values()))
    duty["met_by"] = ["no-such-event"]


def extension_below_base(document: dict[str, Any]) -> None:
    for duty in document["definition"]["duties"].values():
        for extension in duty.get("extensions", {}).values():
            if "maximum" in extension:
                extension["maximum"] = {"amount": 1, "unit": duty["limit"]["unit"]}
                return
    raise LookupError("no duty of this procedure has an extension with a maximum")


def junk_in_rules(document: dict[str, Any]) -> None:
    rule = next(iter(document["definition"]["rules"].values()))
    rule["when"] = {"fact": "no-such-fact", "junk": [1, 2, 3]}


def junk_rule(document: dict[str, Any]) -> None:
    document["definition"]["rules"]["junk"] = {"junk": True}


def junk_in_facts(document: dict[str, Any]) -> None:
    document["facts"]["junk"] = "junk"


def unknown_fact_type(document: dict[str, Any]) -> None:
    next(iter(document["facts"].values()))["type"] = "junk"


def transition_to_nowhere(document: dict[str, Any]) -> None:
    state = next(iter(document["definition"]["states"].values()))
    next(iter(state["transitions"].values()))["to"] = "no-such-state"


def anchor_nowhere(document: dict[str, Any]) -> None:
    next(iter(document["definition"]["duties"].values()))["anchor"] = "no-such-event"


SEMANTIC_EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "event-removed": remove_event,
    "met-by-unknown-event": ghost_met_by,
    "extension-below-base": extension_below_base,
    "junk-condition-in-rule": junk_in_rules,
    "junk-rule": junk_rule,
    "junk-fact": junk_in_facts,
    "fact-of-unknown-type": unknown_fact_type,
    "transition-to-unknown-state": transition_to_nowhere,
    "anchor-unknown-event": anchor_nowhere,
}


@st.composite
def compiled_damage(draw: Any) -> tuple[str, Any]:
    """(how, recipe): values changed or tweaked, a semantic edit, or bytes; redigested or not."""
    how = draw(st.sampled_from(["values", "tweaks", "semantic", "semantic+values", "bytes"]))
    if how == "bytes":
        return how, draw(byte_edits)
    edits: list[Any] = []
    if how == "tweaks":
        edits = draw(gentle_edits())
    elif "values" in how:
        edits = draw(structure_edits(json_safe=True))
    recipe = {
        "semantic": draw(st.sampled_from(sorted(SEMANTIC_EDITS))) if "semantic" in how else None,
        "values": edits,
        "redigest": draw(st.sampled_from([True, True, True, False])),
        "regraph": draw(st.booleans()),
    }
    return how, recipe


def damaged_compiled_text(
    original_text: str, document: dict[str, Any], how: str, recipe: Any
) -> str:
    if how == "bytes":
        return apply_bytes(original_text.encode(), recipe).decode("utf-8", "surrogateescape")
    changed: Any = json.loads(json.dumps(document))
    if recipe["semantic"]:
        # A procedure without that part (no rules, no extensions) is left as it is.
        with contextlib.suppress(LookupError, StopIteration):
            SEMANTIC_EDITS[recipe["semantic"]](changed)
    changed = apply_structure(changed, recipe["values"])
    if recipe["redigest"]:
        changed = redigest(changed, regraph=recipe["regraph"])
    return json.dumps(changed, indent=2, ensure_ascii=False) + "\n"


# -- cases ------------------------------------------------------------------------------------------


def case_bases() -> list[tuple[str, dict[str, Any], str | None]]:
    """(where it came from, case data, the as-of date it was written for) for every case the
    project holds: examples, the lines of examples/cases.jsonl, and the scenarios (without
    their `expect`)."""
    bases: list[tuple[str, dict[str, Any], str | None]] = []
    files = sorted(
        [*ROOT.glob("examples/**/*.yaml"), *ROOT.glob("councils/*/scenarios/**/*.yaml")],
        key=lambda p: p.relative_to(ROOT).as_posix(),
    )
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_DatesAsText)
        as_of = data.pop("as_of", None)
        for key in ("expect", "description"):
            data.pop(key, None)
        bases.append((path.relative_to(ROOT).as_posix(), data, as_of))
    lines = (ROOT / "examples/cases.jsonl").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if line.strip():
            bases.append((f"examples/cases.jsonl:{number}", json.loads(line), None))
    return bases


class _DatesAsText(yaml.SafeLoader):
    """SafeLoader without timestamps, so that dates stay the text the files hold."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

dates_text = st.one_of(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2045, 12, 31)).map(dt.date.isoformat),
    st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2026, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(NASTY_STRINGS),
)
event_names = st.one_of(
    st.sampled_from(CANONICAL_EVENTS),
    st.sampled_from(CANONICAL_EVENTS).flatmap(
        lambda name: st.integers(0, len(name) - 1).map(
            lambda i: name[:i] + LOOK_ALIKES.get(name[i], name[i]) + name[i + 1 :]
        )
    ),
    _text(),
)
events = st.fixed_dictionaries(
    {"date": dates_text, "event": event_names},
    optional={
        "outcome": st.one_of(
            st.sampled_from(["upheld", "partially-upheld", "not-upheld"]), scalars()
        ),
        "reason": scalars(),
        "limit": st.one_of(st.integers(-5, 100), st.sampled_from(HUGE_INTS), scalars()),
        "panel_date": dates_text,
        "note": scalars(),
        "junk": values(),
    },
)


@st.composite
def event_lists(draw: Callable[..., Any]) -> list[dict[str, Any]]:
    """Events as a case-management export might hold them: mostly in order and canonical."""
    drawn = draw(st.lists(events, min_size=0, max_size=12))
    if drawn and draw(st.booleans()):
        ordered = sorted(drawn, key=lambda e: str(e["date"]))
        ordered[0] = {**ordered[0], "event": "complaint-received"}
        return ordered
    return drawn


def _nest_facts(flat: dict[str, Any]) -> dict[str, Any]:
    """`{"complainant.role": "parent"}` as the case files write it: `{complainant: {role: parent}}`."""
    nested_facts: dict[str, Any] = {}
    for name, value in flat.items():
        head, _, tail = name.partition(".")
        if tail and isinstance(nested_facts.get(head, {}), dict):
            nested_facts.setdefault(head, {})[tail] = value
        else:
            nested_facts[head] = value
    return nested_facts


facts = st.dictionaries(st.one_of(st.sampled_from(FACT_NAMES), _text()), values(), max_size=6).map(
    _nest_facts
)


as_of_dates = st.one_of(
    st.none(),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["2024-02-30", "1999-12-31", "2041-01-01", "yesterday", "", "2025-1-5"]),
)


CASE_BASES = case_bases()


@st.composite
def changed_cases(draw: Any) -> tuple[str, Any, str | None, str]:
    """(where it came from, the changed case data, the as-of it was written for, what changed)."""
    origin, data, as_of = draw(st.sampled_from(CASE_BASES))
    how = draw(
        st.sampled_from(
            [
                "as written",
                "retimed",
                "one event",
                "tweaks",
                "values",
                "events",
                "facts",
                "deep",
                "mixed",
            ]
        )
    )
    if how == "retimed":  # every date moved, most of them the same way, so most cases still run
        data = {**data, "events": retimed(data.get("events"), draw)}
    if how == "one event" and isinstance(data.get("events"), list) and data["events"]:
        events_now = [dict(e) if isinstance(e, dict) else e for e in data["events"]]
        index = draw(st.integers(0, len(events_now) - 1))
        if draw(st.booleans()):
            del events_now[index]
        elif isinstance(events_now[index], dict):
            events_now[index]["event"] = draw(event_names)
        data = {**data, "events": events_now}
    if how in ("events", "mixed"):
        data = {**data, "events": draw(event_lists())}
    if how in ("facts", "mixed"):
        data = {**data, "facts": draw(facts)}
    if how == "deep":
        where = draw(st.sampled_from(["events", "facts"]))
        depth = draw(st.integers(1, 150))
        data = {**data, where: nested(data.get(where, []), depth, draw(st.booleans()))}
    if how in ("values", "mixed"):
        data = apply_structure(data, draw(structure_edits()))
    if how == "tweaks":
        data = apply_structure(data, draw(gentle_edits()))
    return origin, data, as_of, how


def retimed(raw_events: Any, draw: Callable[..., Any]) -> Any:
    """The events with their dates moved by a shift drawn once, plus a little jitter each."""
    if not isinstance(raw_events, list):
        return raw_events
    shift = draw(st.integers(-4000, 4000))
    moved = []
    for event in raw_events:
        if isinstance(event, dict) and isinstance(event.get("date"), str):
            try:
                day = dt.date.fromisoformat(event["date"])
                day += dt.timedelta(days=shift + draw(st.integers(-3, 3)))
                event = {**event, "date": day.isoformat()}
            except (ValueError, OverflowError):
                pass
        moved.append(event)
    return moved


def write_case(folder: Path, data: Any, form: str) -> Path:
    """`data` as a case file of the form asked for: yaml, json or a one-line jsonl."""
    if form == "yaml":
        path = folder / "case.yaml"
        path.write_text(dump_yaml(data), encoding="utf-8")
    elif form == "json":
        path = folder / "case.json"
        path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    else:
        path = folder / "cases.jsonl"
        path.write_text(json.dumps(data, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path
