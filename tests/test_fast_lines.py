"""A .jsonl line read by the fast reader and by the careful one gives the same case, or the same
refusal, and the same answer; and an answer written by the fast writer is the standard library's
JSON byte for byte. What is expected always comes from the careful path, run beside it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from fuzz._mutate import apply_bytes, byte_edits, changed_cases
from fuzz.nasty.make import deep_jsonl, long_jsonl_line, long_number_jsonl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SCENARIO_FILES
from csc_rules.application.cases import json_line, outcome_json
from csc_rules.cases import fast_lines, runner
from csc_rules.cases.case import Case, read_case
from csc_rules.cases.runner import evaluate_item, read_item
from csc_rules.cli._terminal import UNSAFE, escaped

AS_OF = dt.date(2026, 6, 1)
EXAMPLE_LINES = [
    line.encode() + b"\n"
    for line in (ROOT / "examples/cases.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@contextmanager
def careful_only() -> Iterator[None]:
    """The runner as it was before the fast reader: every line read carefully."""
    with mock.patch.object(fast_lines, "line_case", lambda raw, where: None):
        yield


def both_ways(raw: bytes | None, number: int = 7) -> tuple[Any, Any]:
    """(what the careful path makes of the line, what `run` makes of it now): the label and
    the case or the refusal it reads, and the answer it prints."""
    item = ("line", "cases.jsonl", number, raw)
    with careful_only():
        careful = (_read(item), outcome_json(evaluate_item(item, AS_OF, False)))
    return careful, (_read(item), outcome_json(evaluate_item(item, AS_OF, False)))


def _read(item: tuple[Any, ...]) -> Any:
    """The label and the case (with the order of its facts and fields, and where it is) or the
    problems of its refusal."""
    label, case = read_item(item)
    if not isinstance(case, Case):
        return label, [p.to_text() for p in case.diagnostics]
    where = (case.where.name, case.where.number)
    fields = [list(e.fields.items()) for e in case.events]
    return label, case, list(case.facts.items()), fields, where


def _line(data: Any, how: int) -> bytes:
    """Data as a machine might write it on a line: spaced or compact, in escapes or not, ended
    with a newline, a CRLF or nothing."""
    text = json.dumps(
        data,
        ensure_ascii=how % 2 == 0,
        separators=(",", ":") if how % 3 == 0 else None,
        default=str,
    )
    return text.encode("utf-8", "surrogatepass") + [b"\n", b"\r\n", b""][how % 3]


@pytest.mark.slow
def test_the_fast_reader_takes_sound_lines() -> None:
    """Not a vacuous property: the example batch and every scenario that runs are read fast,
    as the same cases the careful reader makes of them."""
    cases = EXAMPLE_LINES + [
        json.dumps(
            {k: v for k, v in _as_text(read_case(path)).items()}, ensure_ascii=False
        ).encode()
        for path in SCENARIO_FILES
        if "error" not in path.read_text(encoding="utf-8")
    ]
    taken = 0
    for raw in cases:
        careful, fast = both_ways(raw)
        assert fast == careful
        taken += fast_lines.line_case(raw, None) is not None
    assert taken == len(cases)


def _as_text(case: Case) -> dict[str, Any]:
    """A case read from a scenario file as a line of JSON holds it."""
    data: dict[str, Any] = {"case": case.id, "procedure": case.procedure}
    facts: dict[str, Any] = {}
    for name, value in case.facts.items():
        *heads, last = name.split(".")
        place = facts
        for head in heads:
            place = place.setdefault(head, {})
        place[last] = value
    if facts:
        data["facts"] = facts
    data["events"] = [
        {"date": e.date.isoformat(), "event": e.event, **e.fields} for e in case.events
    ]
    return data


SOUND = json.loads(EXAMPLE_LINES[0])
# Lines a machine could write that the fast reader must leave to the careful one, each refused
# or accepted as it always was.
UNUSUAL = {
    "a key given twice": json.dumps(SOUND).replace('"case": ', '"case": "X", "case": ', 1),
    "an event's key given twice": json.dumps(SOUND).replace(
        '"event": ', '"event": "x", "event": ', 1
    ),
    "a colon in text": json.dumps({**SOUND, "case": "REF:1"}),
    "a fact that is a float": json.dumps({**SOUND, "facts": {"complex": 1.5}}),
    "a number of 31 digits": json.dumps({**SOUND, "facts": {"complex": 10**30}}),
    "a limit of 31 digits": json.dumps(SOUND).replace(
        '"event": ', f'"limit": {10**30}, "event": ', 1
    ),
    "a limit that is a float": json.dumps(SOUND).replace('"event": ', '"limit": 2.0, "event": ', 1),
    "a limit of true": json.dumps(SOUND).replace('"event": ', '"limit": true, "event": ', 1),
    "an outcome that is a number": json.dumps(SOUND).replace(
        '"event": ', '"outcome": 3, "event": ', 1
    ),
    "a null": json.dumps({**SOUND, "facts": None}),
    "a lone surrogate": json.dumps({**SOUND, "case": "A\ud800"}),
    "a surrogate pair": json.dumps({**SOUND, "case": "A\U0001f600"}),
    "a byte order mark": "\ufeff" + json.dumps(SOUND),
    "not UTF-8": json.dumps(SOUND).encode().replace(b'"case": "', b'"case": "\xff'),
    "a procedure ending in a newline": json.dumps(
        {**SOUND, "procedure": SOUND["procedure"] + "\n"}
    ),
    "an event ending in a newline": json.dumps(SOUND).replace('-received"', '-received\\n"', 1),
    "events out of order": json.dumps({**SOUND, "events": SOUND["events"][::-1]}),
    "no events": json.dumps({**SOUND, "events": []}),
    "a date not real": json.dumps(SOUND)
    .replace('"date": "20', '"date": "19', 1)
    .replace("-0", "-3", 1),
    "a scenario's key": json.dumps({**SOUND, "description": "as written"}),
    "nested too deep": json.dumps(SOUND).replace(
        '"events": ', '"facts": {"a": ' + "[" * 70 + "]" * 70 + '}, "events": ', 1
    ),
    "nested near the bound": json.dumps(SOUND).replace(
        '"events": ', '"facts": {"a": ' + "[" * 50 + "]" * 50 + '}, "events": ', 1
    ),
    "too long": None,
    "an array": b"[1, 2]",
    "NaN": json.dumps({**SOUND, "facts": {"complex": float("nan")}}),
}


@pytest.mark.parametrize("raw", UNUSUAL.values(), ids=UNUSUAL.keys())
def test_unusual_lines_get_the_careful_answer(raw: str | bytes | None) -> None:
    line = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    careful, fast = both_ways(line)
    assert fast == careful


def test_a_key_given_twice_is_still_refused_where_it_is() -> None:
    raw = UNUSUAL["a key given twice"].encode()
    label, case = read_item(("line", "cases.jsonl", 3, raw))
    assert label == "cases.jsonl:3" and not isinstance(case, Case)
    assert [(p.line, p.code) for p in case.diagnostics] == [(3, "duplicate-key")]


@pytest.mark.slow
@settings(
    max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(case=changed_cases(), how=st.integers(0, 5))
def test_generated_cases_read_and_answered_alike(case: Any, how: int) -> None:
    _origin, data, _as_of, _change = case
    careful, fast = both_ways(_line(data, how))
    assert fast == careful


@settings(
    max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(line=st.sampled_from(EXAMPLE_LINES), edits=byte_edits)
def test_damaged_lines_read_and_answered_alike(line: bytes, edits: Any) -> None:
    damaged = apply_bytes(line, edits).split(b"\n")[0] + b"\n"
    careful, fast = both_ways(damaged)
    assert fast == careful


@pytest.mark.parametrize("make", [deep_jsonl, long_number_jsonl, long_jsonl_line])
def test_the_fuzz_suites_nasty_batches_read_alike(make: Any, tmp_path: Any) -> None:
    """Issue 10's .jsonl files: a line nested 10,000 deep, a 5,000-digit number, a 2 MB line
    (the first and the last between two sound lines)."""
    items = list(runner.case_items([make(tmp_path)]))
    assert items
    for item in items:
        careful, fast = both_ways(item[3], item[2])
        assert fast == careful


# -- writing ----------------------------------------------------------------------------------

# Plain data as results and errors hold it: text of every kind, whole numbers, booleans, nulls.
plain = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text()),
    lambda inner: st.one_of(st.lists(inner), st.dictionaries(st.text(), inner)),
    max_leaves=30,
)


@given(plain)
@example({"a": [1, {}, []], "b": 'x, y: "z"\n\x01\x7f\u2028é\U0001d11e', "c": None})
@example({"case": "A\ud800"})
def test_the_fast_writer_writes_the_standard_librarys_json(value: Any) -> None:
    assert fast_lines.dumps(value) == json.dumps(value, ensure_ascii=False)
    assert json_line(value, plain=True) == json_line(value)


@pytest.mark.parametrize("path", SCENARIO_FILES[::3], ids=lambda p: p.stem)
def test_every_answer_is_written_alike(path: Any) -> None:
    """A scenario's answer (or its refusal) as `run --format jsonl` writes it."""
    text = path.read_text(encoding="utf-8")
    entry = outcome_json(evaluate_item(("yaml", path.name, text), AS_OF, True))
    assert fast_lines.dumps(entry) == json.dumps(entry, ensure_ascii=False)


# -- printing ---------------------------------------------------------------------------------


@given(
    st.text(alphabet=st.characters(codec=None))
    | st.text(alphabet=st.characters(max_codepoint=127))
    | st.sampled_from(["a\r\nb", "a\rb", "\t\n", "a\x7fb", "\u2028", "\x85"])
)
def test_printed_text_is_escaped_as_by_the_search_alone(text: str) -> None:
    assert escaped(text) == UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
