"""Reading a file a user named: within the size bound, as UTF-8, or the reason it cannot be read.

No YAML here: compiled procedures are read through this too, without importing a YAML reader."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from ..diagnostics import ERROR, Diagnostic, display_path
from .bounds import FILE_BYTES, Bound


def file_problem(path: Path, code: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    return Diagnostic(display_path(path), line, column, ERROR, code, message)


def unreadable(path: Path, exc: OSError) -> Diagnostic:
    """The problem of a file the system would not let us read, in words a user can act on."""
    reason = exc.strerror or type(exc).__name__
    return file_problem(
        path, "file-unreadable", f"cannot be read ({reason}); check the path and its permissions"
    )


def read_bytes(path: Path, bound: Bound = FILE_BYTES) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes, at most `bound` of them, or the reason there are none that a user can
    act on. Reads no more than the bound, so a huge file or a device costs nothing."""
    try:
        if not path.exists():
            return None, [file_problem(path, "file-not-found", "no such file; check the path")]
        if path.is_dir():
            return None, [file_problem(path, "file-unreadable", "is a folder, not a file")]
        with path.open("rb") as handle:
            raw = handle.read(bound.value + 1)
    except OSError as exc:
        return None, [unreadable(path, exc)]
    if len(raw) > bound.value:
        return None, [file_problem(path, "too-large", bound.exceeded("the file holds"))]
    return raw, []


def decode(path: Path, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text (a byte-order mark allowed), or where the first byte that is not."""
    if b"\0" in raw:
        return None, [file_problem(path, "binary-file", "is a binary file, not text")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            file_problem(
                path,
                "binary-file",
                f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                line,
                column,
            )
        ]


def read_text(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or the reason it has none that a user can act on."""
    raw, problems = read_bytes(path)
    if raw is None:
        return None, problems
    return decode(path, raw)


def stage(target: Path, text: str, mode: int | None = None) -> Path:
    """`text` in a new file beside `target`, with the permissions `target` has (or would get),
    or with `mode` whatever the umask."""
    temporary = target.parent / f".csc-rules-{secrets.token_hex(6)}.tmp"
    descriptor = os.open(
        temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        elif target.exists():
            os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary


def replace_whole(target: Path, text: str, mode: int | None = None) -> None:
    """Write `text` to `target` whole or not at all: a reader sees the old file or the new one,
    never part of either, even when another process writes the same file at the same time."""
    temporary = stage(target, text, mode)
    try:
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
