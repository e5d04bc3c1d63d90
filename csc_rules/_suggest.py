"""'Did you mean ...?' for misspelt names."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# Numbers written as words compare as the digits ids use: `part-one` is nearest `part-1`.
_NUMBERS = {
    "one": "1",
    "first": "1",
    "two": "2",
    "second": "2",
    "three": "3",
    "third": "3",
    "four": "4",
    "fourth": "4",
}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBERS) + r")\b")


def _as_digits(name: str) -> str:
    return _NUMBER_WORD.sub(lambda m: _NUMBERS[m.group(1)], name.lower())


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to `word`, or None when none is close."""
    by_form: dict[str, str] = {}
    for choice in sorted(set(choices)):
        by_form.setdefault(_as_digits(choice), choice)
    matches = difflib.get_close_matches(_as_digits(word), list(by_form), n=1, cutoff=0.6)
    return by_form[matches[0]] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ` did you mean `x`?` suffix naming the closest choice, or '' when none is close."""
    match = closest(word, choices)
    return f"; did you mean `{match}`?" if match else ""
