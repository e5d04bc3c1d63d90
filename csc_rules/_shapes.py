"""Reading data whose shape the schema may have rejected, and copying plain data."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def as_map(value: Any) -> dict[str, Any]:
    """`value` if it is a mapping; anything else (a value the schema rejected) counts as empty."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def items(value: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """The (id, item) pairs of an id-keyed mapping whose items are mappings."""
    for key, item in as_map(value).items():
        if isinstance(item, dict):
            yield key, item


def plain(value: Any) -> Any:
    """A deep copy as plain dicts and lists (from read-only mappings and tuples too)."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value
