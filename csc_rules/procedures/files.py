"""The library's own files (rules/ and councils/ under one root), each read and parsed once."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..reading.files import file_problem, read_text
from ..reading.locations import library_files, link_problem

if TYPE_CHECKING:
    from ..reading.loader import Document


class Files:
    """The YAML files under `root`, each read from disk and parsed at most once per process; any
    other file a user names is read afresh each time, as it may have been edited since."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._texts: dict[Path, tuple[str | None, list[Diagnostic]]] = {}
        self._documents: dict[Path, tuple[Document | None, list[Diagnostic]]] = {}

    def paths(self) -> list[Path]:
        """Every YAML file of rules/ and councils/, in a stable order."""
        return library_files(self.root)

    def owns(self, path: Path) -> bool:
        """Whether `path` is one of the library's files (by its name: a link is the library's
        too, and refused when read), which are read once per process."""
        return Path(os.path.abspath(path)).is_relative_to(self.root)

    def read(self, path: Path) -> tuple[str | None, list[Diagnostic]]:
        """The text of a file (or why there is none), read from disk once if the library's."""
        if not self.owns(path):
            return read_text(path)
        key = Path(os.path.abspath(path))
        if key not in self._texts:
            refused = link_problem(path, self.root)
            self._texts[key] = (
                (None, [file_problem(path, *refused)]) if refused else read_text(path)
            )
        return self._texts[key]

    def load(self, path: Path) -> tuple[Document | None, list[Diagnostic]]:
        """A YAML file parsed once: its document (None if unreadable) and its problems."""
        from ..reading.loader import parse  # YAML: not needed when everything comes from the cache

        if not self.owns(path):
            text, problems = self.read(path)
            return (None, problems) if text is None else parse(path, text)
        key = Path(os.path.abspath(path))
        if key not in self._documents:
            text, problems = self.read(path)
            self._documents[key] = (None, problems) if text is None else parse(path, text)
        document, problems = self._documents[key]
        return document, list(problems)

    def name_of(self, path: Path) -> str:
        """The name of one of the library's files within it, e.g. `councils/x/y.yaml`."""
        return Path(os.path.abspath(path)).relative_to(self.root).as_posix()

    def contents(self, paths: Sequence[Path]) -> list[tuple[str, bytes]]:
        """(name within the library, content) of each file, for a cache key."""
        found = []
        for path in paths:
            text, _ = self.read(path)
            found.append((self.name_of(path), (text or "").encode()))
        return found
