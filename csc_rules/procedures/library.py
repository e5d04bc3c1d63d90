"""The procedure library under one root folder: its parts made once per root and process, and
the two questions the package answers from the library in use, `validate` and `load_procedure`.

Each part does one job: `files` reads and parses the library's files once; `catalogue` lists its
procedures; `versions` tells which version is in force on a date; `checker` validates;
`vocabulary` holds the facts, documents and report frame; `calendars` the councils' calendars;
`compiled` compiles each procedure once, with the disk cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..reading.locations import data_root
from .catalogue import Catalogue
from .checker import Checker
from .compiled import Compiled
from .council_calendars import CouncilCalendars
from .files import Files
from .versions import Versions
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from ..validation.run import Report
    from .compiler import CompiledProcedure


class Library:
    """The parts of the library under `root`, wired together; it holds them and does nothing
    itself, so that what each part has read, checked and compiled is shared by the others."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = Files(root)
        self.catalogue = Catalogue(self.files)
        self.versions = Versions(self.catalogue)
        self.checker = Checker(self.files, self.versions)
        self.vocabulary = Vocabulary(self.files, self.checker)
        self.calendars = CouncilCalendars(self.files, self.checker)
        self.compiled = Compiled(
            self.files, self.catalogue, self.versions, self.checker, self.calendars, self.vocabulary
        )


_LIBRARIES: dict[Path, Library] = {}


def library(root: Path | None = None) -> Library:
    """The library under `root` (default: the one `csc-rules` finds, see
    `reading.locations.data_root`), one object per root and process."""
    if root is None:
        root = data_root()  # found once per process, and already resolved
    if root not in _LIBRARIES:
        root = root.resolve()
    if root not in _LIBRARIES:
        _LIBRARIES[root] = Library(root)
    return _LIBRARIES[root]


def forget(root: Path) -> None:
    """Drop what was read of the library under `root`, once a command has added files to it,
    so that the next command in this process lists them."""
    _LIBRARIES.pop(root.resolve(), None)


def validate(paths: Sequence[Path] | None = None) -> Report:
    """`csc-rules validate`: every file `paths` names (default: the whole library), checked for
    YAML, schema and meaning, with every problem located."""
    return library().checker.validate(paths)


def load_procedure(reference: str | Path, on: dt.date | None = None) -> CompiledProcedure:
    """A procedure by id (the version in force on `on`, else the latest), by YAML file, or from
    a compiled JSON file, from the library `csc-rules` finds."""
    return library().compiled.procedure(reference, on)
