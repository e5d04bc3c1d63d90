"""Where rules/ and councils/ are, and which YAML files a path names."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from ..errors import LibraryError, NotFoundError

# A file's kind is told by the key that names it.
KINDS = ("procedure", "council", "vocabulary")
YAML_SUFFIXES = (".yaml", ".yml")


MARKERS = ("rules/vocabulary.yaml", "councils")


def _is_library(folder: Path) -> bool:
    try:
        return all((folder / marker).exists() for marker in MARKERS)
    except OSError:  # e.g. a name too long for the file system: not a library
        return False


@cache
def data_root() -> Path:
    """The folder holding rules/ and councils/.

    Like git with its repository: the working folder or the nearest parent that holds both, so
    that a policy officer's edits are what gets checked; then $CSC_RULES_HOME; and only outside
    any such folder, the copy installed with the package (or the checkout the package runs from)."""
    try:
        here = Path.cwd().resolve()
    except OSError:  # the working folder was deleted: look only at the other places
        here = None
    for folder in (here, *here.parents) if here is not None else ():
        if _is_library(folder):
            return folder
    home = os.environ.get("CSC_RULES_HOME")
    if home:
        if not _is_library(Path(home)):
            raise NotFoundError(
                f"CSC_RULES_HOME is {home}, which holds no rules/ and councils/ folders"
            )
        return Path(home).resolve()
    package = Path(__file__).resolve().parent.parent  # csc_rules/, from csc_rules/reading/
    for root in (package / "_data", package.parent):
        if _is_library(root):
            return root
    raise NotFoundError(f"cannot find rules/ and councils/ beside {package}; reinstall csc-rules")


def rules_dir(root: Path | None = None) -> Path:
    return (root or data_root()) / "rules"


def councils_dir(root: Path | None = None) -> Path:
    return (root or data_root()) / "councils"


def is_folder(path: Path) -> bool:
    """Whether `path` is a folder; False for a path the system cannot even look up (a name too
    long, say), which whatever reads it next reports as unreadable."""
    try:
        return path.is_dir()
    except OSError:
        return False


def is_file(path: Path) -> bool:
    """Whether `path` is a file, with the same care as `is_folder`."""
    try:
        return path.is_file()
    except OSError:
        return False


def library_files(root: Path | None = None) -> list[Path]:
    """Every YAML file of the rules and the councils, in a stable order."""
    return [*yaml_files_under(rules_dir(root)), *definition_files_under(councils_dir(root))]


# A council's scenarios (councils/<id>/scenarios/) are cases to run, not files to validate.
SCENARIOS = "scenarios"


def definition_files_under(folder: Path) -> list[Path]:
    """The YAML files under `folder`, leaving out those in a scenarios folder within it."""
    return [
        p for p in yaml_files_under(folder) if SCENARIOS not in p.relative_to(folder).parts[:-1]
    ]


def yaml_files_under(folder: Path) -> list[Path]:
    return [p for p in files_under(folder) if p.suffix in YAML_SUFFIXES]


def files_under(folder: Path) -> list[Path]:
    """Every file in `folder` and the folders inside it, in a stable order."""
    try:
        return sorted(p for p in folder.rglob("*") if p.is_file())
    except OSError as exc:
        raise LibraryError(Path(exc.filename) if exc.filename else folder, exc) from None


# A council is named by its folder under councils/, as its procedure ids begin.
COUNCIL_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COUNCIL_NAME_LENGTH = 64


def is_council_name(name: str) -> bool:
    return len(name) <= COUNCIL_NAME_LENGTH and COUNCIL_NAME.fullmatch(name) is not None


def council_names(root: Path | None = None) -> list[str]:
    """The councils the library holds: each folder of councils/ with a council.yaml."""
    folder = councils_dir(root)
    try:
        return sorted(p.parent.name for p in folder.glob("*/council.yaml") if p.is_file())
    except OSError as exc:
        raise LibraryError(folder, exc) from None


def council_file(name: str, root: Path | None = None) -> Path | None:
    """councils/<name>/council.yaml, if `name` is a council's name and the file is there."""
    if not is_council_name(name):
        return None
    path = councils_dir(root) / name / "council.yaml"
    try:
        return path if path.is_file() else None
    except OSError as exc:
        raise LibraryError(path, exc) from None


def kind_of(data: object) -> str | None:
    """`procedure`, `council` or `vocabulary`, by the first of those keys the file has."""
    if isinstance(data, dict):
        for kind in KINDS:
            if kind in data:
                return kind
    return None
