"""What commands raise and write: their own errors, any error as JSON, and files replaced whole
or not at all, never over an input."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, display_path
from ..errors import WriteError
from ..reading.files import stage

# -- errors as JSON: `{"code", "message", "path", "line", "column"}`, and `problems` when several --

# The code of an error that carries no diagnostics, by the name of its class or a base class.
_CODES = {
    "NotInForceError": "not-in-force",
    "NotFoundError": "not-found",
    "CalendarError": "invalid-calendar-input",
    "CompiledFileError": "invalid-compiled-file",
    "LibraryError": "library-unreadable",
    "UsageError": "usage",
    "ClickException": "error",
    "CscRulesError": "error",
}


def located(diagnostic: Diagnostic) -> dict[str, Any]:
    """One problem as JSON; a line or column of 0 (a problem in plain data) is null."""
    return {
        "code": diagnostic.code,
        "message": diagnostic.message,
        "path": diagnostic.path,
        "line": diagnostic.line or None,
        "column": diagnostic.column or None,
        "yaml_path": diagnostic.yaml_path,
    }


def problems_json(diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    """The first error as the error itself, and every one under `problems` when there are several."""
    errors = [d for d in diagnostics if d.is_error] or list(diagnostics)
    if not errors:
        return {"code": "error", "message": "failed", "path": None, "line": None, "column": None}
    error = located(errors[0])
    if len(errors) > 1:
        error["problems"] = [located(d) for d in errors]
    return error


def capped(error: dict[str, Any], most: int) -> dict[str, Any]:
    """`error` with no more than `most` of its located problems, and `more_problems` saying how
    many more there were: for an answer whose size a stranger's input must not decide."""
    found = error.get("problems")
    if isinstance(found, list) and len(found) > most:
        return {**error, "problems": found[:most], "more_problems": len(found) - most}
    return error


def error_json(exc: BaseException, message: str | None = None) -> dict[str, Any]:
    """The `error` object for any exception a command raises on purpose (or, failing that, not)."""
    diagnostics = [d for d in getattr(exc, "diagnostics", ()) if isinstance(d, Diagnostic)]
    if diagnostics:
        error = problems_json(diagnostics)
        if message and len(diagnostics) > 1:
            error["summary"] = message
        return error
    code = getattr(exc, "code", None)
    if not isinstance(code, str):
        names = [cls.__name__ for cls in type(exc).__mro__]
        code = next((_CODES[n] for n in names if n in _CODES), "internal-error")
    text = message if message is not None else str(exc)
    path = getattr(exc, "path", None)
    return {
        "code": code,
        "message": text,
        "path": path if isinstance(path, str) else None,
        "line": None,
        "column": None,
    }


# -- writing ----------------------------------------------------------------------------------


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare where they would be
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def refuse_inputs(targets: Iterable[Path], inputs: Iterable[Path]) -> None:
    """Raise WriteError if any target is one of the files the command reads."""
    sources = list(inputs)
    for target in targets:
        for source in sources:
            if _same_file(target, source):
                raise WriteError(
                    f"refusing to write {display_path(target)}: it is {display_path(source)}, "
                    "which this command reads; give -o a different file or folder",
                    code="output-is-input",
                    path=target,
                )


# What a path is when it is not a regular file, for a message that says why it is not written.
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(path: Path) -> str | None:
    """What `path` is if it is not a regular file ("a folder", "a character device", ...), or
    None for a regular file, nothing at all, or a path that cannot be looked at (writing it then
    says why)."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def replaceable(path: Path) -> Path:
    """Where a file written to `path` goes: through a symbolic link, so that the link stays, and
    only ever over a regular file or nothing. Renaming a new file over a pipe, a device (`-o
    /dev/null` as root would replace the system's) or a socket destroys it, so every writer asks
    here first and is refused with a WriteError before it stages anything."""
    target = path.resolve() if path.is_symlink() else path
    kind = kind_of(target)
    if kind is not None:
        raise WriteError(
            f"cannot write {display_path(path)}: it is {kind}, not a regular file, and will not "
            "be replaced; give the name of a file",
            code="cannot-write",
            path=path,
        )
    return target


def write_files(
    files: Mapping[Path, str], inputs: Iterable[Path] = (), *, folder: Path | None = None
) -> None:
    """Write every file or none: each goes to a temporary file beside it first, and only when all
    are written is each renamed over its target, so a file is always whole, old or new. With
    `folder`, the folder the files go into is made first (once none of them is an input)."""
    refuse_inputs(files, inputs)
    if folder is not None:
        prepare_folder(folder)
    staged: dict[Path, Path] = {}
    current = Path(".")
    try:
        targets = {current: replaceable(current) for current in files}
        for current, text in files.items():
            staged[targets[current]] = stage(targets[current], text)
        for current, temporary in staged.items():
            os.replace(temporary, current)
    except OSError as exc:
        raise WriteError(
            f"cannot write {display_path(current)}: {exc.strerror or exc}; check that the folder "
            "exists and that you may write to it",
            code="cannot-write",
            path=current,
        ) from None
    finally:
        for temporary in staged.values():
            with contextlib.suppress(OSError):  # gone already if it was renamed
                temporary.unlink()


def prepare_folder(folder: Path) -> None:
    """Make the folder -o names (and its parents), or say why it cannot be made."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        kind = kind_of(folder) or "a file"
        raise WriteError(
            f"cannot write into {display_path(folder)}: it is {kind}, not a folder; give -o a folder",
            code="cannot-write",
            path=folder,
        ) from None
    except OSError as exc:
        raise WriteError(
            f"cannot make the folder {display_path(folder)}: {exc.strerror or exc}",
            code="cannot-write",
            path=folder,
        ) from None
