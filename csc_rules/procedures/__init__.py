"""The procedures of the library: found by id and the date in force, validated, compiled into
frozen values with their stage graph and calendar, written as JSON and read back, and cached.

`library.library(root)` gives the parts of one library (files, catalogue, versions, checker,
vocabulary, calendars, compiled procedures), made once per root and process."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._faces import lazy

if TYPE_CHECKING:
    from .catalogue import Catalogue, Entry
    from .checker import Checker
    from .compiled import Compiled
    from .compiler import CompiledProcedure, compile_resolved, dumps, load_compiled
    from .council_calendars import CouncilCalendars
    from .files import Files
    from .library import Library, load_procedure, validate
    from .versions import Versions
    from .vocabulary import Vocabulary

__all__ = [
    "Catalogue",
    "Checker",
    "Compiled",
    "CompiledProcedure",
    "CouncilCalendars",
    "Entry",
    "Files",
    "Library",
    "Versions",
    "Vocabulary",
    "compile_resolved",
    "dumps",
    "load_compiled",
    "load_procedure",
    "validate",
]

__getattr__, __dir__ = lazy(
    __name__,
    {
        "Catalogue": "catalogue",
        "Checker": "checker",
        "Compiled": "compiled",
        "CompiledProcedure": "compiler",
        "CouncilCalendars": "council_calendars",
        "Entry": "catalogue",
        "Files": "files",
        "Library": "library",
        "Versions": "versions",
        "Vocabulary": "vocabulary",
        "compile_resolved": "compiler",
        "dumps": "compiler",
        "load_compiled": "compiler",
        "load_procedure": "library",
        "validate": "library",
    },
)
