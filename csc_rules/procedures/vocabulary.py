"""What rules/vocabulary.yaml declares for the whole library: the roles that act, the facts a case
may state, the grounds of an extension, the documents a source may cite, and how the annual
report counts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DefinitionError
from ..reading.files import file_problem

if TYPE_CHECKING:
    from .checker import Checker
    from .files import Files


class Vocabulary:
    """The library's vocabulary, read through its files (so parsed once a process)."""

    def __init__(self, files: Files, checker: Checker) -> None:
        self.files = files
        self.checker = checker

    @property
    def path(self) -> Path:
        return self.files.root / "rules" / "vocabulary.yaml"

    def facts(self) -> dict[str, Any]:
        """The facts declared, with their types and values."""
        facts = self._data().get("facts", {})
        return dict(facts) if isinstance(facts, dict) else {}

    def roles(self) -> dict[str, str]:
        """Who may act in a procedure, each with who they are."""
        roles = self._data().get("roles", {})
        return {str(k): str(v) for k, v in roles.items()} if isinstance(roles, dict) else {}

    def grounds(self) -> dict[str, str]:
        """The grounds on which a limit may be extended, each with what it is."""
        grounds = self._data().get("grounds", {})
        return {str(k): str(v) for k, v in grounds.items()} if isinstance(grounds, dict) else {}

    def document_names(self) -> dict[str, str]:
        """The documents a source may cite, each with its name (the `documents`)."""
        documents = self._data().get("documents", {})
        if not isinstance(documents, dict):
            return {}
        return {str(k): str(v) for k, v in documents.items()}

    def report_frame(self) -> dict[str, Any]:
        """How the annual report counts (the `annual_report` section), checked first:
        DefinitionError, located, if the vocabulary is broken or lacks it."""
        self.checker.sound(self.path)
        document, _ = self.files.load(self.path)
        frame = document.data.get("annual_report") if document is not None else None
        if not isinstance(frame, dict):
            raise DefinitionError(
                [
                    file_problem(
                        self.path,
                        "missing-key",
                        "the vocabulary has no `annual_report` section saying how the report counts",
                    )
                ]
            )
        return frame

    def _data(self) -> dict[str, Any]:
        document, problems = self.files.load(self.path)
        if document is None or not isinstance(document.data, dict):
            raise DefinitionError(problems)
        return document.data
