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
    """Every YAML file of the rules and the councils, in a stable order; a council's scenarios
    are cases, not part of the library, so they are left out. A link to a folder is listed
    itself, not what it holds, so that reading it says why it is refused (see `link_problem`)."""
    return [*_library_under(rules_dir(root)), *_library_under(councils_dir(root))]


def _library_under(folder: Path) -> list[Path]:
    if folder.is_symlink():
        return [folder]
    try:
        # A link named like a council's scenarios folder holds cases, not the library's files.
        linked = [
            p
            for p in folder.rglob("*")
            if p.is_symlink() and p.is_dir() and not is_scenario(p / "case.yaml")
        ]
    except OSError as exc:
        raise LibraryError(Path(exc.filename) if exc.filename else folder, exc) from None
    return sorted([*yaml_files_under(folder), *linked])


def link_problem(path: Path, root: Path) -> tuple[str, str] | None:
    """Why a file the library (under `root`) names is not read, as (code, message): it is, or
    lies in, a link to a folder, or it is a link to a file outside the library; None if it may
    be read, or is not the library's. The library is what its own folders hold, so that no link
    can make the CLI or the server read, or show, a file from elsewhere on the machine."""
    try:
        parts = Path(os.path.abspath(path)).relative_to(root).parts
    except ValueError:
        return None
    try:
        outside = not Path(path).resolve().is_relative_to(root)
        for depth in range(1, len(parts) + 1):
            here = root.joinpath(*parts[:depth])
            if here.is_symlink() and (depth < len(parts) or here.is_dir()):
                where = "is" if depth == len(parts) else f"lies in {here.relative_to(root)},"
                return (
                    "outside-library" if outside else "linked-folder",
                    f"{where} a link to a folder{' outside the library' * outside}, which the "
                    "library does not follow: copy the folder into the library in its place",
                )
    except (OSError, RuntimeError):  # a link loop, a name too long: reading it says why
        return None
    if outside:
        return (
            "outside-library",
            "is a link to a file outside the library, which it does not read: copy the file "
            "into the library in its place",
        )
    return None


def yaml_files_under(folder: Path) -> list[Path]:
    """The library's YAML files in `folder` and the folders inside it (never a council's
    scenarios: see `scenario_folders`)."""
    return [p for p in files_under(folder) if p.suffix in YAML_SUFFIXES and not is_scenario(p)]


def all_yaml_files_under(folder: Path) -> list[Path]:
    """Every YAML file in `folder` and the folders inside it, scenarios too."""
    return [p for p in files_under(folder) if p.suffix in YAML_SUFFIXES]


# A council keeps its scenarios (cases with what to expect) in councils/<id>/scenarios/.
SCENARIOS = "scenarios"


def is_scenario(path: Path) -> bool:
    """Whether `path` lies in a council's scenarios folder (councils/<id>/scenarios/...)."""
    parts = Path(os.path.abspath(path)).parts
    return any(parts[i] == "councils" and parts[i + 2] == SCENARIOS for i in range(len(parts) - 3))


def scenario_folders(root: Path | None = None) -> list[Path]:
    """Each council's scenarios folder that is there, by council."""
    folder = councils_dir(root)
    try:
        return sorted(p for p in folder.glob(f"*/{SCENARIOS}") if p.is_dir())
    except OSError as exc:
        raise LibraryError(folder, exc) from None


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
