"""Where rules/ and councils/ are, and which YAML files a path names."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .errors import NotFoundError

# A file's kind is told by the key that names it.
KINDS = ("procedure", "council", "vocabulary")
YAML_SUFFIXES = (".yaml", ".yml")


@cache
def data_root() -> Path:
    """The folder holding rules/ and councils/: inside the package once installed, else the checkout."""
    package = Path(__file__).resolve().parent
    for root in (package / "_data", package.parent):
        if (root / "rules").is_dir() and (root / "councils").is_dir():
            return root
    raise NotFoundError(f"cannot find rules/ and councils/ beside {package}; reinstall csc-rules")


def rules_dir() -> Path:
    return data_root() / "rules"


def councils_dir() -> Path:
    return data_root() / "councils"


def library_files() -> list[Path]:
    """Every YAML file of the rules and the councils, in a stable order."""
    return [*yaml_files_under(rules_dir()), *yaml_files_under(councils_dir())]


def yaml_files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


def kind_of(data: object) -> str | None:
    """`procedure`, `council` or `vocabulary`, by the first of those keys the file has."""
    if isinstance(data, dict):
        for kind in KINDS:
            if kind in data:
                return kind
    return None
