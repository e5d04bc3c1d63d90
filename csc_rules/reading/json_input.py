"""Read JSON from outside (a .jsonl case line, a compiled procedure) within the bounds of `limits`.

Python's `json` recurses once per level of nesting and turns any run of digits into an int, so
nesting and the keys of each object are counted before it parses (a refusal then costs one pass
over the text, and is located where the bound is passed), and numbers, constants and keys are
checked as it does."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from ..errors import JsonInputError
from .bounds import DEPTH, DIGITS, KEYS

# A string (skipped: brackets in it do not count), a bracket, or the colon after a key.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:]')


class _Refused(ValueError):
    """Raised inside `json.loads` by a hook; carries the code, the message and the text refused
    (the hooks are not told where they are, so the text is looked for to locate the problem)."""

    def __init__(self, code: str, message: str, token: str = "", occurrence: int = 1) -> None:
        super().__init__(message)
        self.code, self.token, self.occurrence = code, token, occurrence


def _where(text: str, token: str, occurrence: int) -> tuple[int, int]:
    """The line and column of the `occurrence`-th `token` in `text`; (1, 1) if it is not there."""
    index = -1
    for _ in range(occurrence):
        index = text.find(token, index + 1)
        if index < 0:
            return 1, 1
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


# A \\u escape of a surrogate: half of a character outside the Basic Multilingual Plane, which
# JSON allows alone but no UTF-8 text (or file, or reply) can hold.
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def loads(text: str) -> Any:
    """The JSON value of `text`, or JsonInputError saying what and where."""
    _check_depth(text)
    value = _loads(text)
    if "\\u" in text and _SURROGATE.search(text):
        _check_surrogates(text, value)
    return value


def _check_surrogates(text: str, value: Any) -> None:
    """A lone surrogate (`"\\ud800"`, unpaired) anywhere in the value is refused where it is."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                found = _SURROGATE.search(text)
                index = found.start() if found else 0
                line = text.count("\n", 0, index) + 1
                column = index - (text.rfind("\n", 0, index) + 1) + 1
                raise JsonInputError(
                    "invalid-json",
                    "not JSON csc-rules can read: a \\u escape of half a character (a lone "
                    "surrogate, such as \\ud800), which UTF-8 text cannot hold; write the "
                    "character itself, or both halves of its pair",
                    line,
                    column,
                ) from None


def _loads(text: str) -> Any:
    try:
        return json.loads(
            text,
            parse_int=_integer,
            parse_float=_float,
            parse_constant=_constant,
            object_pairs_hook=_object,
        )
    except _Refused as exc:
        line, column = _where(text, exc.token, exc.occurrence) if exc.token else (1, 1)
        raise JsonInputError(exc.code, str(exc), line, column) from None
    except json.JSONDecodeError as exc:
        raise JsonInputError(
            "invalid-json", f"not JSON: {exc.msg}", exc.lineno, exc.colno
        ) from None
    except RecursionError:  # cannot happen below DEPTH; kept so that it never escapes as a crash
        raise JsonInputError("too-deep", DEPTH.exceeded("the JSON is nested")) from None


def _check_depth(text: str) -> None:
    """Nesting past DEPTH, or an object of more keys than KEYS, refused where it is passed.
    Outside strings JSON has a colon only after a key, so colons count an object's keys."""
    deep, wide = DEPTH.value, KEYS.value
    if text.count("[") + text.count("{") <= deep and text.count(":") <= wide:
        return  # too few brackets to nest too deep, or colons to pass the keys' bound
    keys: list[int] = []  # keys met so far in each open bracket (an array's stays 0)
    for match in _TOKENS.finditer(text):
        char = match.group()
        if char in "[{":
            keys.append(0)
            if len(keys) > deep:
                _refuse(
                    "too-deep", DEPTH.exceeded("the JSON is nested") + "; flatten it", text, match
                )
        elif char in "]}":
            if keys:
                keys.pop()
        elif char == ":" and keys:
            keys[-1] += 1
            if keys[-1] > wide:
                _refuse("too-large", KEYS.exceeded("this object has"), text, match)


def _refuse(code: str, message: str, text: str, match: re.Match[str]) -> None:
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    raise JsonInputError(code, message, line, column)


def _integer(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > DIGITS.value:
        raise _Refused(
            "invalid-value",
            DIGITS.exceeded(f"the number `{text[:12]}...` has {digits:,} digits,"),
            text,
        )
    return int(text)


def _float(text: str) -> float:
    digits = sum(c.isdigit() for c in text)
    if digits > DIGITS.value:
        raise _Refused(
            "invalid-value",
            DIGITS.exceeded(f"the number `{text[:12]}...` has {digits:,} digits,"),
            text,
        )
    number = float(text)
    if not math.isfinite(number):
        raise _Refused(
            "invalid-value",
            f"the number `{text}` is too large to be a number csc-rules accepts",
            text,
        )
    return number


def _constant(text: str) -> Any:
    raise _Refused(
        "invalid-json", f"`{text}` is not JSON: write a finite number, or a string", text
    )


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(
                "duplicate-key",
                f"duplicate key `{key}`: JSON readers would silently keep only the last, so remove one",
                json.dumps(key, ensure_ascii=False),
                2,
            )
        result[key] = value
    return result
