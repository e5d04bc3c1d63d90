"""`csc-rules site`: the public process maps, the children's pages and the staff pages, made
from the rules and their plain words, with the readability of what children read."""

from __future__ import annotations

from .._faces import lazy

__all__ = [
    "page",
    "index",
    "process_map",
    "children",
    "staff",
    "diagram",
    "diagram_plan",
    "diagram_layout",
    "plain_words",
    "readability",
]

__getattr__, __dir__ = lazy(
    __name__,
    modules=(
        "page",
        "index",
        "process_map",
        "children",
        "staff",
        "diagram",
        "diagram_plan",
        "diagram_layout",
        "plain_words",
        "readability",
    ),
)
