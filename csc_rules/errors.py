"""Every error csc-rules raises on purpose: one base class, one subclass per kind of input.

    CscRulesError                   the base: anything else that escapes is a bug
    ├── DefinitionError             a procedure, council or vocabulary file is broken
    ├── CompiledFileError           a compiled procedure file cannot be loaded
    ├── CaseError                   a case cannot be evaluated
    ├── CsvProblem                  a case export (or its column mapping) cannot be read
    ├── JsonInputError              JSON from outside is broken or past a bound
    ├── LibraryError                a folder or file cannot be read at all
    ├── LimitError                  a bound set in the environment is not a count
    ├── CalendarError               a date or count the calendar cannot answer for
    ├── Missing                     a condition needs facts the case does not give
    ├── ReadabilityError            textstat could not score a page
    ├── NotFoundError               a procedure, council or file named does not exist
    │   └── NotInForceError         no version of a procedure was in force on the day
    ├── Failures                    several things failed, each problem carried
    └── CommandError                a command cannot do what it was asked
        ├── ArgumentError           arguments that do not go together (a usage error)
        ├── WriteError              an output that cannot, or must not, be written
        └── NothingToCompare        a procedure that extends no baseline

Those that carry `diagnostics` say where each problem is (file, line, column, YAML path). Only a
front end turns an error into an exit code or an HTTP status."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .diagnostics import Diagnostic, display_path


class CscRulesError(Exception):
    """Base class of every error csc-rules raises on purpose."""


class _Located(CscRulesError):
    """An error made of located problems, one per line of its message."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.to_text() for d in self.diagnostics))


class DefinitionError(_Located):
    """A procedure, rule or vocabulary file is broken; carries every problem found."""


class CaseError(_Located):
    """A case that cannot be evaluated: every problem found, each located where possible."""


class CsvProblem(CscRulesError):
    """A case export or its mapping that cannot be read at all; carries its problems."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("; ".join(d.message for d in self.diagnostics))


class CompiledFileError(CscRulesError):
    """A compiled procedure file that cannot be loaded: not JSON, another format, or altered.

    Its message is one line: the file, where the (first) problem is, what it is, what to do;
    `diagnostics` holds each problem found, located by JSON path, when there is more to say."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(one_line(message))
        self.diagnostics = list(diagnostics)


class JsonInputError(CscRulesError):
    """JSON that is broken or past a bound, with where (1-based line and column) and a code."""

    def __init__(self, code: str, message: str, line: int = 1, column: int = 1) -> None:
        self.code, self.message, self.line, self.column = code, message, line, column
        super().__init__(f"{line}:{column}: {message}")


class LibraryError(CscRulesError):
    """A folder or file of the library (or one the user named) cannot be read at all."""

    def __init__(self, path: Path, exc: OSError) -> None:
        self.path = display_path(path)
        super().__init__(
            f"cannot read {self.path}: {exc.strerror or exc}; check that it exists and that you "
            "may read it"
        )


class LimitError(CscRulesError):
    """A bound set in the environment to something that is not a count."""


class CalendarError(CscRulesError):
    """A date or count the calendar cannot answer for, such as a year it holds no holidays for."""


class Missing(CscRulesError):
    """A condition cannot be decided: the case does not give these facts."""

    def __init__(self, facts: list[str]) -> None:
        self.facts = facts
        super().__init__(", ".join(facts))


class ReadabilityError(CscRulesError):
    """textstat could not score the text (its pronunciation dictionary is missing, say)."""


class NotFoundError(CscRulesError):
    """A procedure, council or file the user named does not exist."""


class NotInForceError(NotFoundError):
    """No version of a procedure was in force on the date asked about."""


class Failures(CscRulesError):
    """Several things failed (e.g. procedures of `compile --all`); carries every problem found."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic], code: str = "failed"):
        super().__init__(message)
        self.diagnostics = list(diagnostics)
        self.code = code


class CommandError(CscRulesError):
    """A command cannot do what it was asked: says why and what to do instead."""

    def __init__(self, message: str, *, code: str = "error", path: Path | str | None = None):
        super().__init__(message)
        self.code = code
        self.path = None if path is None else display_path(path)


class ArgumentError(CommandError):
    """Arguments that do not go together: a usage error, which the CLI reports with its usage
    line and exit code 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="usage")


class WriteError(CommandError):
    """An output that cannot, or must not, be written."""


class NothingToCompare(CommandError):
    """A procedure that extends nothing: there is no baseline to check it against."""


def one_line(text: str) -> str:
    """Control characters (a newline in a key, say) written as escapes, so a message stays one
    line."""
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in text
    )
