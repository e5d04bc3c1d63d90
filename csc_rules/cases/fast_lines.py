"""Machine-written JSON lines, read and written fast: a case from a line of a .jsonl file (`run`,
a batch sent to the server, `due`, `report` and `impact`), and an answer as one line of JSON.

msgspec decodes a line into typed structures holding the case schema's shape, and the `Case` is
built from them without walking again what the decoder checked. Only a line it can prove sound
is read here: within every bound, no key given twice, every value as rules/case.schema.json
allows, dates real and in order. Any other line, broken or merely unusual, is left to the
careful reader (`runner`), which reads it as it always has and says what is wrong with it, so a
line gets the same case or the same refusal either way (tests/test_fast_lines.py)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable
from typing import Annotated, Any

import msgspec

from ..reading.bounds import DEPTH, EVENTS, KEYS
from .case import OUTCOMES, Case, CaseEvent

# The values an event may carry (the schema's additionalProperties, and `actions`). No float and
# no null: a line holding either is the careful reader's.
_Value = str | int | bool | list[str]


class _Line(msgspec.Struct, forbid_unknown_fields=True):
    """A case as a line holds it. A key the schema allows but a case line does not need (a
    scenario's `expect`, `as_of`) is unknown here: such a line is read carefully."""

    case: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    procedure: str
    events: Annotated[list[dict[str, _Value]], msgspec.Meta(min_length=1)]
    facts: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET


_decode = msgspec.json.Decoder(_Line).decode
_encode = msgspec.json.Encoder().encode
_format = msgspec.json.format

# Ids as the schema writes them, matched whole (stricter than the schema's `$`, which also
# matches before a final newline: a line with one is read carefully).
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PROCEDURE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*")
# A \u escape of half of a character: a pair the careful reader joins, or a lone half it refuses.
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
# A number as long as DIGITS allows (30 digits) is below this.
_BIG = 10**30

_DECISIONS = frozenset(
    [
        "closed-after-initial-enquiries",
        "advice-given",
        "referred-back-for-local-resolution",
        "not-upheld",
        "upheld",
    ]
)
_COMPLIANCE = frozenset(["complied", "complied-late", "not-complied"])


def line_case(raw: bytes, where: Any) -> Case | None:
    """The case on a line, located by `where`; None when the line is not plainly sound, for the
    careful reader to read (and refuse, or accept, as it always has)."""
    colons = raw.count(b":")
    if colons > KEYS.value or raw.count(b"[") + raw.count(b"{") > DEPTH.value:
        return None  # possibly past a bound: the careful reader says where
    if b"\\u" in raw and _SURROGATE.search(raw):
        return None
    try:
        line = _decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    if len(line.events) > EVENTS.value or not _PROCEDURE.fullmatch(line.procedure):
        return None
    keys = 3
    facts: dict[str, Any] = {}
    if line.facts is not msgspec.UNSET:
        given = _flat_facts(line.facts, "", facts)
        if given is None:
            return None
        keys += 1 + given
    # Each key is followed by one colon, and a colon is anywhere else only inside text: as many
    # keys read as colons means no key was given twice (the decoder keeps the last, silently).
    keys += sum(map(len, line.events))
    if keys != colons:
        return None
    events = _events(line.events)
    if events is None:
        return None
    return Case(line.case, line.procedure, facts, events, where)


def _events(raw_events: list[dict[str, _Value]]) -> tuple[CaseEvent, ...] | None:
    """The events, when each has a real date and a sound name and fields, in date order. Each
    dict the decoder made becomes its event's fields (it is nobody else's)."""
    events: list[CaseEvent] = []
    previous = dt.date.min
    for index, fields in enumerate(raw_events):
        text = fields.pop("date", None)
        name = fields.pop("event", None)
        day = _parsed_day(text) if type(text) is str and len(text) == 10 else None
        if day is None or day < previous or type(name) is not str or not _ID.fullmatch(name):
            return None
        for key, value in fields.items():
            if not _field_sound(key, value):
                return None
        events.append(CaseEvent(day, name, fields, index))
        previous = day
    return tuple(events)


def _field_sound(key: str, value: Any) -> bool:
    """Whether an event's field holds what the case schema allows for it: a field the schema
    names as it says, any other text, a whole number (within DIGITS) or true or false."""
    check = _FIELDS.get(key)
    if check is not None:
        return check(value)
    kind = type(value)
    return kind is str or kind is bool or (kind is int and -_BIG < value < _BIG)


def _text(value: Any) -> bool:
    return type(value) is str


def _ground(value: Any) -> bool:
    return type(value) is str and _ID.fullmatch(value) is not None


def _actions(value: Any) -> bool:
    return type(value) is list and bool(value) and all(0 < len(text) <= 300 for text in value)


# The fields rules/case.schema.json says more of than "text, a whole number or a boolean".
_FIELDS: dict[str, Callable[[Any], bool]] = {
    "outcome": lambda value: type(value) is str and value in OUTCOMES,
    "decision": lambda value: type(value) is str and value in _DECISIONS,
    "compliance": lambda value: type(value) is str and value in _COMPLIANCE,
    "remedy": lambda value: type(value) is str and value != "",
    "limit": lambda value: type(value) is int and 1 <= value < _BIG,
    "panel_date": lambda value: _day(value) is not None,
    "ground": _ground,
    "actions": _actions,
    "reason": _text,
    "note": _text,
}


def _day(value: Any) -> dt.date | None:
    """The day a YYYY-MM-DD text names, as the schema's `date` format and the careful reader
    both take it; None for anything else."""
    return _parsed_day(value) if type(value) is str and len(value) == 10 else None


@functools.lru_cache(maxsize=8192)  # a batch's events fall on a few thousand days
def _parsed_day(value: str) -> dt.date | None:
    if value[4] != "-" or value[7] != "-" or not value.isascii():
        return None
    if not (value[:4].isdigit() and value[5:7].isdigit() and value[8:].isdigit()):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _flat_facts(facts: dict[str, Any], prefix: str, flat: dict[str, Any]) -> int | None:
    """The facts flattened into `flat` as `case.flatten` does (`{"complainant.role": ...}`);
    how many keys they hold, or None for a value the careful reader must see (a float, a number
    longer than DIGITS allows)."""
    keys = 0
    for key, value in facts.items():
        keys += 1
        if type(value) is dict:
            inner = _flat_facts(value, f"{prefix}{key}.", flat)
        else:
            inner = _plain_keys(value)
            flat[f"{prefix}{key}"] = value
        if inner is None:
            return None
        keys += inner
    return keys


def _plain_keys(value: Any) -> int | None:
    """How many keys a fact's value holds (objects in a list hold keys too); None for a float
    or a number longer than DIGITS allows."""
    kind = type(value)
    if kind is float or (kind is int and not -_BIG < value < _BIG):
        return None
    if kind is list:
        keys = 0
        for item in value:
            inner = _plain_keys(item)
            if inner is None:
                return None
            keys += inner
        return keys
    if kind is dict:
        keys = 0
        for item in value.values():
            inner = _plain_keys(item)
            if inner is None:
                return None
            keys += 1 + inner
        return keys
    return 0


def dumps(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False)`, byte for byte, written by msgspec, for plain data
    that holds no float: a result, a failed case's error, a summary row (their types hold text,
    whole numbers, booleans and nulls). msgspec spells some floats otherwise (`1e-05` as
    `0.00001`, infinity as null), and finding them in what it wrote would cost more than the
    writing saves. What msgspec cannot write (text UTF-8 cannot hold) the standard library does."""
    try:
        compact = _encode(value)
    except (TypeError, UnicodeEncodeError, OverflowError):
        return json.dumps(value, ensure_ascii=False)
    # The standard library's separators are ", " and ": ": `format` adds the spaces, as a JSON
    # parser, so text holding a comma or a colon is left as it is.
    return _format(compact, indent=0).decode()
