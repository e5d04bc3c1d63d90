"""The plain words of a procedure must follow its rules: what the public pages say about time and
rights is filled in from the rules through placeholders, never written by hand, so that the pages
cannot drift from what the engine enforces. A time limit takes its number from `{limit}`; when
it starts, what stops it and how far and why it may be extended come from the events and the
extensions; when the next stage may be asked for without an answer from the move's own trigger
(`{opens}`); what may be done at any time from a move open from every open state (`{when}`).
Checked where the words are written, for policy staff who run `validate`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .._shapes import as_map as _map
from ..diagnostics import WARNING, Diagnostic, Path_
from ..reading.inheritance import Resolved

LIMIT = "{limit}"  # a duty's or window's limit: `10 working days`
OPENS = "{opens}"  # when a move allowed once a duty is overdue opens: `straight away`
WHEN = "{when}"  # when a move open from every open state may be made: `at any time`
WITHIN = "{within}"  # how long a step usually takes: `1 working day`
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# A length of time written out in words other than a limit's own: `10 working days`, `28 days`.
_NUMBER = (
    r"\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy)(?:[- ](?:one|two|three|four|five|six|seven|"
    r"eight|nine))?"
)
# A length of time written out in words other than a limit's own: `10 working days`, `28 days`,
# `twenty-eight calendar days`, `six weeks`, `a fortnight`.
_TIME = re.compile(
    rf"\b(?:(?:{_NUMBER})\s+(?:(?:calendar|working)[\s-]+)?(?:days?|weeks?|months?|years?)"
    r"|(?:a\s+)?fortnight)\b",
    re.I,
)

# Claims about time and rights that the rules fill in, by what to do instead.
_EARLY = re.compile(
    r"\b(?:straight away|right away|at once|immediately|without waiting|early(?! resolution))\b",
    re.I,
)
_ANYTIME = re.compile(r"\b(?:at any (?:time|point|stage)|any ?time|whenever)\b", re.I)
_EXTENDED = re.compile(r"\b(?:longer|more time|extend\w*|extension|agree\w*)\b", re.I)
_START_STOP = re.compile(
    r"\b(?:from the (?:day|date)|starts? (?:from|on|when)|count(?:ing|ed)? from|"
    r"stops? (?:on|when)|ends? (?:on|when)|until)\b",
    re.I,
)
_EARLY_HELP = (
    f"when the next stage may be asked for comes from the move's own trigger: write `{OPENS}` "
    "in the plain words of the move allowed once the duty is overdue (`you can ask for stage 2 "
    f"{OPENS}`), and the page says `straight away` or the council's own time, and what asking "
    "sooner means"
)
_ANYTIME_HELP = (
    f"what may be done at any time comes from a move open from every open state: write `{WHEN}` "
    f"in its plain words (`You can stop your complaint {WHEN}.`)"
)


def check(procedure: Resolved) -> list[Diagnostic]:
    """Every problem with the plain words of a resolved procedure."""
    return list(_check(procedure))


def _check(procedure: Resolved) -> Iterator[Diagnostic]:
    data = procedure.data
    for section in ("duties", "windows", "targets"):
        for deadline_id, deadline in _map(data.get(section)).items():
            yield from _deadline(procedure, (section, deadline_id), _map(deadline))
    for event_id, event in _map(data.get("events")).items():
        text = _map(_map(event).get("plain")).get("text")
        where = ("events", event_id, "plain", "text")
        yield from _no_number(procedure, where, text, "the day it happened")
        if isinstance(text, str) and not text.strip().startswith("the day "):
            yield procedure.diagnostic(
                where,
                "plain-event",
                "an event's plain words name the day it happened, starting `the day` (`the day "
                "you ask for stage 2`): the page says `The time starts from ...` and `The time "
                "stops on ...` with them",
            )
    yield from _moves(procedure, data)
    for path, text, allowed in _other_texts(data):
        yield from _other(procedure, path, text, allowed)
    for path, text in _headings(data, ()):
        yield from _other(procedure, path, text, ())
    yield from _notes(procedure, data)
    yield from _routes(procedure, data)


def _routes(procedure: Resolved, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """A route's plain words say when it is open with `{when}`, filled from its `open`."""
    for route_id, route in _map(data.get("routes")).items():
        text = _map(_map(route).get("plain")).get("text")
        if isinstance(text, str) and text.count(WHEN) != 1:
            yield procedure.diagnostic(
                ("routes", route_id, "plain", "text"),
                "plain-when",
                f"a route's plain words say when it is open with `{WHEN}` once, filled in from "
                f"its `open` (`You can tell Ofsted {WHEN}.`)",
            )


def _deadline(procedure: Resolved, path: Path_, deadline: dict[str, Any]) -> Iterator[Diagnostic]:
    plain = _map(deadline.get("plain"))
    if plain:
        stated = "unstated" not in _map(deadline.get("limit"))
        where = path + ("plain", "text")
        text = plain.get("text")
        yield from _limit_text(procedure, where, text, stated)
        if isinstance(text, str):
            yield from _claims(procedure, where, text, extended=True)
    for ext_id, extension in _map(deadline.get("extensions")).items():
        text = _map(_map(extension).get("plain")).get("text")
        where = path + ("extensions", ext_id, "plain", "text")
        yield from _no_number(
            procedure, where, text, "the ground, such as `your complaint is complicated`"
        )
        if isinstance(text, str):
            yield from _claims(procedure, where, text)


def _limit_text(procedure: Resolved, path: Path_, text: Any, stated: bool) -> Iterator[Diagnostic]:
    if not isinstance(text, str):
        return
    if not stated and LIMIT in text:
        yield procedure.diagnostic(
            path,
            "plain-limit",
            f"this time limit is unstated, so there is nothing to put in `{LIMIT}`: say what "
            "happens without a time",
        )
    elif stated and text.count(LIMIT) != 1:
        yield procedure.diagnostic(
            path,
            "plain-limit",
            f"the plain words of a time limit must say `{LIMIT}` once, where the page puts the "
            "limit (`The council has {limit} to answer you.`); found "
            f"{text.count(LIMIT)} times",
        )
    yield from _placeholders(procedure, path, text.replace(LIMIT, ""), ())
    found = _TIME.search(text.replace(LIMIT, ""))
    if found:
        yield procedure.diagnostic(
            path,
            "plain-number",
            f"the plain words say `{found.group(0)}` themselves; a time limit comes from its "
            f"`limit`, so that the public pages follow the rule: write `{LIMIT}` instead",
        )


def _claims(
    procedure: Resolved, path: Path_, text: str, *, extended: bool = False
) -> Iterator[Diagnostic]:
    """Claims about time and rights written by hand where the rules fill them in."""
    if found := _EARLY.search(text):
        yield _claim(procedure, path, "plain-early", found, _EARLY_HELP)
    if found := _ANYTIME.search(text):
        yield _claim(procedure, path, "plain-anytime", found, _ANYTIME_HELP)
    if not extended:
        return
    if found := _EXTENDED.search(text):
        yield _claim(
            procedure,
            path,
            "plain-extension",
            found,
            "how far a limit may be extended, on what grounds and whether it needs agreement "
            "come from its extensions: give each extension plain words naming its ground "
            "(`your complaint is complicated`), and the page says `It can take up to ... if ...`",
        )
    if found := _START_STOP.search(text):
        yield _claim(
            procedure,
            path,
            "plain-start",
            found,
            "when the time starts and what stops it come from the plain words of the anchor "
            "event and of the events that meet it (`the day you ask for stage 2`), which the page "
            "adds: leave them out here",
        )


def _claim(
    procedure: Resolved, path: Path_, code: str, found: re.Match[str], help_: str
) -> Diagnostic:
    return procedure.diagnostic(
        path, code, f"the plain words say `{found.group(0)}` themselves; {help_}"
    )


def _no_number(procedure: Resolved, path: Path_, text: Any, what: str) -> Iterator[Diagnostic]:
    if not isinstance(text, str):
        return
    yield from _placeholders(procedure, path, text, ())
    found = _TIME.search(text)
    if found:
        yield procedure.diagnostic(
            path,
            "plain-number",
            f"these plain words are {what}, and say `{found.group(0)}`; the page puts the time "
            "from the limit beside them, so leave it out",
        )


def _moves(procedure: Resolved, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """A move allowed once a duty is overdue says when it opens with `{opens}`; a move open from
    every open state says when with `{when}`, if at all."""
    moves: list[tuple[Path_, dict[str, Any], bool]] = [
        (("from_every_open_state", event), _map(move), True)
        for event, move in _map(data.get("from_every_open_state")).items()
    ]
    for state_id, state in _map(data.get("states")).items():
        for event, move in _map(_map(state).get("transitions")).items():
            moves.append((("states", state_id, "transitions", event), _map(move), False))
    for path, move, anytime in moves:
        text = _map(move.get("plain")).get("text")
        if not isinstance(text, str):
            continue
        where = path + ("plain", "text")
        guarded = "when_overdue" in move
        allowed = (OPENS,) if guarded else (WHEN,) if anytime else ()
        yield from _placeholders(procedure, where, text, allowed)
        if guarded and text.count(OPENS) != 1:
            yield procedure.diagnostic(
                where,
                "plain-opens",
                f"this move is allowed once `{move['when_overdue']}` is overdue: its plain words "
                f"must say `{OPENS}` once, where the page puts when it opens (`you can ask for "
                f"stage 2 {OPENS}`); found {text.count(OPENS)} times",
            )
        yield from _claims(procedure, where, text.replace(OPENS, "").replace(WHEN, ""))
        yield from _time_warning(procedure, where, text)


def _other(
    procedure: Resolved, path: Path_, text: str, allowed: tuple[str, ...]
) -> Iterator[Diagnostic]:
    yield from _placeholders(procedure, path, text, allowed)
    yield from _claims(procedure, path, text)
    yield from _time_warning(procedure, path, text)


def _time_warning(procedure: Resolved, path: Path_, text: str) -> Iterator[Diagnostic]:
    found = _TIME.search(text)
    if found:
        yield procedure.diagnostic(
            path,
            "plain-time",
            f"the plain words say `{found.group(0)}` themselves, which will not change when the "
            "limit does; give the time in the plain words of the duty or window, with `{limit}`",
            severity=WARNING,
        )


def _placeholders(
    procedure: Resolved, path: Path_, text: str, allowed: tuple[str, ...]
) -> Iterator[Diagnostic]:
    for found in _PLACEHOLDER.findall(text):
        if found in allowed:
            continue
        yield procedure.diagnostic(
            path,
            "plain-placeholder",
            f"`{found}` is not something the page can fill in here; `{LIMIT}` goes once in the "
            f"plain words of a duty or window, `{OPENS}` in those of a move allowed once a duty "
            f"is overdue, `{WHEN}` in those of a move open from every open state, and "
            f"`{WITHIN}` in those of a step with `expected_within`",
        )


def _notes(procedure: Resolved, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """A conflict note follows one of the sides it names; a note's plain words are the reader's,
    with no time or placeholder of their own."""
    for note_id, note in _map(data.get("notes")).items():
        note = _map(note)
        between, follows = note.get("between"), note.get("follows")
        if isinstance(between, list) and isinstance(follows, str) and follows not in between:
            yield procedure.diagnostic(
                ("notes", note_id, "follows"),
                "plain-note",
                f"the note follows `{follows}`, which is not one of the sides it names in "
                f"`between` ({', '.join(map(str, between))}); add it there, or follow one of them",
            )
        text = _map(note.get("plain")).get("text")
        if isinstance(text, str):
            where = ("notes", note_id, "plain", "text")
            yield from _no_number(procedure, where, text, "what a reader should know")
            yield from _claims(procedure, where, text)


def _other_texts(data: dict[str, Any]) -> Iterator[tuple[Path_, str, tuple[str, ...]]]:
    """The plain texts that are neither a time limit's, an event's, a move's nor a note's: the
    procedure's, the stages', the steps', the rules' and the routes', with the placeholders each
    may take."""

    def text(item: Any) -> str | None:
        found = _map(_map(item).get("plain")).get("text")
        return found if isinstance(found, str) else None

    if (found := text(data)) is not None:
        yield ("plain", "text"), found, ()
    for stage_id, stage in _map(data.get("stages")).items():
        if (found := text(stage)) is not None:
            yield ("stages", stage_id, "plain", "text"), found, ()
        for step_id, step in _map(_map(stage).get("steps")).items():
            if (found := text(step)) is not None:
                allowed = (WITHIN,) if "expected_within" in _map(step) else ()
                yield ("stages", stage_id, "steps", step_id, "plain", "text"), found, allowed
    for section, allowed in (("rules", ()), ("routes", (WHEN,))):
        for item_id, item in _map(data.get(section)).items():
            if (found := text(item)) is not None:
                yield (section, item_id, "plain", "text"), found, allowed


def _headings(data: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every `plain.heading`, wherever its plain words are."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "plain" and isinstance(value, dict) and isinstance(value.get("heading"), str):
                yield path + (key, "heading"), value["heading"]
            else:
                yield from _headings(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _headings(value, path + (index,))
