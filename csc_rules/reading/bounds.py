"""How much of anything a reader accepts, so that every input is read in bounded time and memory.

Each bound is far above what a real procedure or case needs (a procedure nests about 10 deep and
holds a few thousand values; a case holds tens of events) and low enough that no input can crash
libyaml or Python, or keep a command busy for long. The ones a council could meet with real data
can be raised through an environment variable, which the error message names."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import LimitError

# No bound is raised past this (a terabyte, a trillion events).
_MOST = 10**12


@dataclass(frozen=True)
class Bound:
    """One limit: its value, what it counts, and the variable that raises it (if any)."""

    name: str
    default: int
    counts: str
    variable: str | None = None

    @property
    def value(self) -> int:
        if self.variable:
            given = os.environ.get(self.variable, "")
            text = given.strip().replace("_", "")
            if not text:
                return self.default
            if text.isascii() and text.isdigit() and 0 < int(text) <= _MOST:
                return int(text)
            raise LimitError(
                f"{self.variable} is `{given[:40]}`: give a whole number from 1 to {_MOST:,} "
                f"(the default is {self.default:,}), or unset it"
            )
        return self.default

    def exceeded(self, found: str) -> str:
        """`found` ("the file holds") and the rest of the message: the limit, what to do."""
        advice = (
            f"; if the input is genuine, raise the limit with the environment variable {self.variable}"
            if self.variable
            else ""
        )
        return f"{found} more than {self.value:,} {self.counts}{advice}"


FILE_BYTES = Bound(
    "file size",
    10_000_000,
    "bytes, the most csc-rules reads in one file",
    "CSC_RULES_MAX_FILE_BYTES",
)
LINE_BYTES = Bound(
    "line size",
    1_000_000,
    "bytes, the most csc-rules reads in one line of a .jsonl file",
    "CSC_RULES_MAX_LINE_BYTES",
)
# Deep enough for any document the languages describe; shallow enough that no reader (libyaml,
# json, jsonschema, our own recursive walks) runs out of stack on it. Not adjustable for that reason.
DEPTH = Bound("nesting", 64, "levels deep, the most csc-rules reads")
# Values in one document once aliases are expanded: bounds alias bombs ("billion laughs") too.
NODES = Bound(
    "values",
    200_000,
    "values (aliases expanded), the most csc-rules reads in one document",
    "CSC_RULES_MAX_VALUES",
)
KEYS = Bound("keys", 5_000, "keys, the most csc-rules reads in one mapping", "CSC_RULES_MAX_KEYS")
EVENTS = Bound(
    "events", 10_000, "events, the most csc-rules reads in one case", "CSC_RULES_MAX_EVENTS"
)
DIGITS = Bound("number length", 30, "digits, the most csc-rules reads in one number")
