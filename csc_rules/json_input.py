"""Read JSON from outside (a .jsonl case line, a compiled procedure) within the bounds of `limits`.

Python's `json` recurses once per level of nesting and turns any run of digits into an int, so
nesting is measured before it parses, and numbers, constants and keys are checked as it does."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .errors import CscRulesError
from .limits import DEPTH, DIGITS

# A string (skipped: brackets in it do not count) or a bracket.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class JsonInputError(CscRulesError):
    """JSON that is broken or past a bound, with where (1-based line and column) and a code."""

    def __init__(self, code: str, message: str, line: int = 1, column: int = 1) -> None:
        self.code, self.message, self.line, self.column = code, message, line, column
        super().__init__(f"{line}:{column}: {message}")


class _Refused(ValueError):
    """Raised inside `json.loads` by a hook; carries the code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def loads(text: str) -> Any:
    """The JSON value of `text`, or JsonInputError saying what and where."""
    _check_depth(text)
    try:
        return json.loads(
            text,
            parse_int=_integer,
            parse_float=_float,
            parse_constant=_constant,
            object_pairs_hook=_object,
        )
    except _Refused as exc:
        raise JsonInputError(exc.code, str(exc)) from None
    except json.JSONDecodeError as exc:
        raise JsonInputError("invalid-json", f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:  # cannot happen below DEPTH; kept so that it never escapes as a crash
        raise JsonInputError("too-deep", DEPTH.exceeded("the JSON is nested")) from None


def _check_depth(text: str) -> None:
    depth = 0
    for match in _TOKENS.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > DEPTH.value:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
                raise JsonInputError(
                    "too-deep", DEPTH.exceeded("the JSON is nested") + "; flatten it", line, column
                )
        elif char in "]}":
            depth -= 1


def _integer(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > DIGITS.value:
        raise _Refused(
            "invalid-value", DIGITS.exceeded(f"the number `{text[:12]}...` has {digits:,} digits,")
        )
    return int(text)


def _float(text: str) -> float:
    digits = sum(c.isdigit() for c in text)
    if digits > DIGITS.value:
        raise _Refused(
            "invalid-value", DIGITS.exceeded(f"the number `{text[:12]}...` has {digits:,} digits,")
        )
    number = float(text)
    if not math.isfinite(number):
        raise _Refused("invalid-value", f"the number `{text}` is too large to be a number csc-rules accepts")
    return number


def _constant(text: str) -> Any:
    raise _Refused("invalid-json", f"`{text}` is not JSON: write a finite number, or a string")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(
                "duplicate-key",
                f"duplicate key `{key}`: JSON readers would silently keep only the last, so remove one",
            )
        result[key] = value
    return result
