"""What commands raise and write: their own errors, any error as JSON, and files replaced whole
or not at all, never over an input."""

from __future__ import annotations

import contextlib
import os
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


def _target(path: Path) -> Path:
    # Write through a symbolic link, not over it, so that the link stays.
    return path.resolve() if path.is_symlink() else path


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
        for current, text in files.items():
            target = _target(current)
            if target.is_dir():
                raise WriteError(
                    f"cannot write {display_path(current)}: it is a folder; give the name of a file",
                    code="cannot-write",
                    path=current,
                )
            staged[target] = stage(target, text)
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
        raise WriteError(
            f"cannot write into {display_path(folder)}: it is a file, not a folder; give -o a folder",
            code="cannot-write",
            path=folder,
        ) from None
    except OSError as exc:
        raise WriteError(
            f"cannot make the folder {display_path(folder)}: {exc.strerror or exc}",
            code="cannot-write",
            path=folder,
        ) from None
