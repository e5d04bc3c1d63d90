"""The project's exceptions: one base class, one subclass per phase."""

from __future__ import annotations

from .diagnostics import Diagnostic


class CscRulesError(Exception):
    """Base class of every error csc-rules raises on purpose."""


class DefinitionError(CscRulesError):
    """A procedure, rule or vocabulary file is broken; carries every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.to_text() for d in diagnostics))


class NotFoundError(CscRulesError):
    """A procedure, council or file the user named does not exist."""


class NotInForceError(NotFoundError):
    """No version of a procedure was in force on the date asked about."""
