"""The plain words of a procedure must follow its rules: a time limit in plain words takes its
number from the limit, never from the text, so that the public pages cannot drift from what the
engine enforces. Checked where the words are written, for policy staff who run `validate`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .._shapes import as_map as _map
from ..diagnostics import WARNING, Diagnostic, Path_
from ..reading.inheritance import Resolved

LIMIT = "{limit}"
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


def check(procedure: Resolved) -> list[Diagnostic]:
    """Every problem with the plain words of a resolved procedure."""
    return list(_check(procedure))


def _check(procedure: Resolved) -> Iterator[Diagnostic]:
    data = procedure.data
    for section in ("duties", "windows"):
        for deadline_id, deadline in _map(data.get(section)).items():
            path: Path_ = (section, deadline_id)
            plain = _map(_map(deadline).get("plain"))
            if plain:
                stated = "unstated" not in _map(_map(deadline).get("limit"))
                yield from _limit_text(
                    procedure, path + ("plain", "text"), plain.get("text"), stated
                )
            for ext_id, extension in _map(_map(deadline).get("extensions")).items():
                text = _map(_map(extension).get("plain")).get("text")
                where = path + ("extensions", ext_id, "plain", "text")
                yield from _no_number(
                    procedure, where, text, "a condition such as `your complaint is complicated`"
                )
    for event_id, event in _map(data.get("events")).items():
        text = _map(_map(event).get("plain")).get("text")
        where = ("events", event_id, "plain", "text")
        yield from _no_number(
            procedure, where, text, "what happened, such as `you made your complaint`"
        )
    for path, text in _other_texts(data):
        yield from _other(procedure, path, text)
    for path, text in _headings(data, ()):
        yield from _other(procedure, path, text)


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
    yield from _placeholders(procedure, path, text.replace(LIMIT, ""))
    found = _TIME.search(text.replace(LIMIT, ""))
    if found:
        yield procedure.diagnostic(
            path,
            "plain-number",
            f"the plain words say `{found.group(0)}` themselves; a time limit comes from its "
            f"`limit`, so that the public pages follow the rule: write `{LIMIT}` instead",
        )


def _no_number(procedure: Resolved, path: Path_, text: Any, what: str) -> Iterator[Diagnostic]:
    if not isinstance(text, str):
        return
    yield from _placeholders(procedure, path, text)
    found = _TIME.search(text)
    if found:
        yield procedure.diagnostic(
            path,
            "plain-number",
            f"these plain words are {what}, and say `{found.group(0)}`; the page puts the time "
            "from the limit beside them, so leave it out",
        )


def _other(procedure: Resolved, path: Path_, text: str) -> Iterator[Diagnostic]:
    yield from _placeholders(procedure, path, text)
    found = _TIME.search(text)
    if found:
        yield procedure.diagnostic(
            path,
            "plain-time",
            f"the plain words say `{found.group(0)}` themselves, which will not change when the "
            "limit does; give the time in the plain words of the duty or window, with `{limit}`",
            severity=WARNING,
        )


def _placeholders(procedure: Resolved, path: Path_, text: str) -> Iterator[Diagnostic]:
    for found in _PLACEHOLDER.findall(text):
        yield procedure.diagnostic(
            path,
            "plain-placeholder",
            f"`{found}` is not something the page can fill in; only the plain words of a duty "
            f"or window take `{LIMIT}`, once",
        )


def _other_texts(data: dict[str, Any]) -> Iterator[tuple[Path_, str]]:
    """The plain texts that are not a time limit's: the procedure's, stages', steps' and moves'."""

    def text(item: Any) -> str | None:
        found = _map(_map(item).get("plain")).get("text")
        return found if isinstance(found, str) else None

    if (found := text(data)) is not None:
        yield ("plain", "text"), found
    for stage_id, stage in _map(data.get("stages")).items():
        if (found := text(stage)) is not None:
            yield ("stages", stage_id, "plain", "text"), found
        for step_id, step in _map(_map(stage).get("steps")).items():
            if (found := text(step)) is not None:
                yield ("stages", stage_id, "steps", step_id, "plain", "text"), found
    for move_id, move in _map(data.get("from_every_open_state")).items():
        if (found := text(move)) is not None:
            yield ("from_every_open_state", move_id, "plain", "text"), found
    for state_id, state in _map(data.get("states")).items():
        for event, move in _map(_map(state).get("transitions")).items():
            if (found := text(move)) is not None:
                yield ("states", state_id, "transitions", event, "plain", "text"), found


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
