"""'Did you mean ...?' for misspelt names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ` did you mean `x`?` suffix naming the closest choice, or '' when none is close."""
    matches = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f"; did you mean `{matches[0]}`?" if matches else ""
