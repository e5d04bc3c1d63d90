"""Names joined into an English list: `a`, `a or b`, `a, b and c`."""

from __future__ import annotations

from collections.abc import Sequence


def joined(parts: Sequence[str], last: str = "or") -> str:
    """`a`, `a or b`, `a, b or c`; with `last="and"`, `a, b and c`."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {last} {parts[-1]}"
