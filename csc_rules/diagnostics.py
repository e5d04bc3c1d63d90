"""Located problems, how they are printed, and the locators that say where a part of a document
stands: a Document read from a file (line and column), a Resolved procedure (the file each
part came from), or plain data (its YAML path alone)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

ERROR = "error"
WARNING = "warning"

# Where a value stands in a document: the keys and indexes leading to it from the top.
Path_ = tuple[Any, ...]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, at a place in one file: `path:line:col: severity[code]: message`."""

    path: str
    line: int
    column: int
    severity: str
    code: str
    message: str
    yaml_path: str = "$"

    def to_text(self) -> str:
        return (
            f"{self.path}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"
        )

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def display_path(path: Path | str) -> str:
    """The path as a user would type it: relative to the working directory where it can be."""
    text = os.fspath(path)
    try:
        relative = os.path.relpath(text)
    except ValueError:  # another drive, on Windows
        return text
    return text if relative.startswith("..") else relative


def yaml_path(path: tuple[object, ...]) -> str:
    """`$.duties.acknowledgement.limit` for ('duties', 'acknowledgement', 'limit')."""
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def sort_unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """In file and line order, each problem once (a baseline's error is found through each council)."""
    return sorted(set(diagnostics))


class Locator(Protocol):
    """Anything that can say where a path stands: a Document, a Resolved procedure, plain data."""

    def diagnostic(
        self, path: Path_, code: str, message: str, *, key: bool = False, severity: str = ...
    ) -> Diagnostic: ...


class PlainLocator:
    """Locates problems in plain data (a case given as a dict, a line of a batch): no line or
    column, but the name it was given under and the YAML path."""

    def __init__(self, name: str) -> None:
        self.name = name

    def diagnostic(
        self, path: Path_, code: str, message: str, *, key: bool = False, severity: str = ERROR
    ) -> Diagnostic:
        return Diagnostic(self.name, 0, 0, severity, code, message, yaml_path(path))
