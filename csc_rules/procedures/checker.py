"""Checking files against the library: one session a process for the library's own files, so
each is checked against its schema once; a user's own file checked afresh each time."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DefinitionError

if TYPE_CHECKING:
    from ..reading.inheritance import Resolved
    from ..validation.run import Report, Session
    from .files import Files
    from .versions import Versions


class Checker:
    """`csc-rules validate` against one library: what each file extends is found among its
    versions, and what has been read and checked once is not checked again."""

    def __init__(self, files: Files, versions: Versions) -> None:
        self.files = files
        self.versions = versions
        self._session: Session | None = None

    def validate(self, paths: Sequence[Path] | None = None) -> Report:
        """The check of these files (default: the whole library), every problem located."""
        from ..validation.run import validate

        if paths and not all(self.files.owns(p) for p in paths):
            # A file of the user's own: checked afresh, with the library's files as read.
            return validate(paths, self._new_session())
        if self._session is None:
            self._session = self._new_session()
        return validate(paths, self._session)

    def sound(self, path: Path) -> Report:
        """The check of one file, which must pass: DefinitionError, every problem located, if
        it does not."""
        report = self.validate([path])
        if report.errors:
            raise DefinitionError(list(report.errors))
        return report

    def procedure_in(self, path: Path) -> Resolved | None:
        """The procedure a sound file holds, resolved with what it extends; None for a file that
        holds none (a council's file, the vocabulary)."""
        report = self.sound(path)
        found = [p for p in report.procedures if p.chain[-1].path.resolve() == path.resolve()]
        return found[0] if found else None

    def _new_session(self) -> Session:
        from ..validation.run import Session

        return Session(
            self.files.load,
            self.versions.latest,
            self.files.paths,
            self.files.root,
            known=self._procedure_ids,
        )

    def _procedure_ids(self) -> list[str]:
        """Every procedure id the library holds, for a "did you mean" after a wrong `extends`."""
        return sorted({entry.id for entry in self.versions.catalogue.entries()[0]})
