"""Where rules/ and councils/ are, and which YAML files a path names."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from .errors import NotFoundError

# A file's kind is told by the key that names it.
KINDS = ("procedure", "council", "vocabulary")
YAML_SUFFIXES = (".yaml", ".yml")


MARKERS = ("rules/vocabulary.yaml", "councils")


def _is_library(folder: Path) -> bool:
    return all((folder / marker).exists() for marker in MARKERS)


@cache
def data_root() -> Path:
    """The folder holding rules/ and councils/.

    Like git with its repository: the working folder or the nearest parent that holds both, so
    that a policy officer's edits are what gets checked; then $CSC_RULES_HOME; and only outside
    any such folder, the copy installed with the package (or the checkout the package runs from)."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _is_library(folder):
            return folder
    home = os.environ.get("CSC_RULES_HOME")
    if home:
        if not _is_library(Path(home)):
            raise NotFoundError(
                f"CSC_RULES_HOME is {home}, which holds no rules/ and councils/ folders"
            )
        return Path(home).resolve()
    package = Path(__file__).resolve().parent
    for root in (package / "_data", package.parent):
        if _is_library(root):
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
