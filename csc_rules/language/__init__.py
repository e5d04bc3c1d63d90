"""The procedure language: the frozen parts a procedure is made of, the stage graph joining its
states, and the conditions its rules and extensions test a case's facts with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._faces import lazy

if TYPE_CHECKING:
    from .conditions import Context, compile_condition, describe, holds
    from .model import Deadline, Event, Extension, Limit, Parts, Rule, Stage, Step, build
    from .stage_graph import Edge, edges

__all__ = [
    "Context",
    "Deadline",
    "Edge",
    "Event",
    "Extension",
    "Limit",
    "Parts",
    "Rule",
    "Stage",
    "Step",
    "build",
    "compile_condition",
    "describe",
    "edges",
    "holds",
]

__getattr__, __dir__ = lazy(
    __name__,
    {
        "Context": "conditions",
        "Deadline": "model",
        "Edge": "stage_graph",
        "Event": "model",
        "Extension": "model",
        "Limit": "model",
        "Parts": "model",
        "Rule": "model",
        "Stage": "model",
        "Step": "model",
        "build": "model",
        "compile_condition": "conditions",
        "describe": "conditions",
        "edges": "stage_graph",
        "holds": "conditions",
    },
)
