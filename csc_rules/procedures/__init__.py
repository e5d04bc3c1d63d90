"""The procedures of the library: found by id and the date in force, validated, compiled into
frozen values with their stage graph and calendar, written as JSON and read back, and cached."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._faces import lazy

if TYPE_CHECKING:
    from .catalogue import Entry
    from .compiler import CompiledProcedure, compile_resolved, dumps, load_compiled
    from .library import Library, load_procedure, validate

__all__ = [
    "CompiledProcedure",
    "Entry",
    "Library",
    "compile_resolved",
    "dumps",
    "load_compiled",
    "load_procedure",
    "validate",
]

__getattr__ = lazy(
    __name__,
    {
        "CompiledProcedure": "compiler",
        "Entry": "catalogue",
        "Library": "library",
        "compile_resolved": "compiler",
        "dumps": "compiler",
        "load_compiled": "compiler",
        "load_procedure": "library",
        "validate": "library",
    },
)
