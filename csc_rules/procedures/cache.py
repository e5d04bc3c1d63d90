"""A cache of compiled procedures on disk, so that a cold command does not rebuild what has not
changed.

An entry is keyed by the SHA-256 of everything that went into it (the bytes of each source
file, the versions of the engine, of the compiled format and of the `holidays` package, and
the size and time of each engine module, so an edited checkout misses too), so a
changed file simply misses. Entries are written to a temporary file and renamed, so two
processes writing at once each leave a whole entry; an entry that does not read back (damaged,
cut short) is ignored and rebuilt. It lives in the user cache folder of the platform
(`platformdirs`), or in `$CSC_RULES_CACHE_DIR`; `CSC_RULES_CACHE=off` turns it off."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from .._version import __version__
from ..reading.files import replace_whole

# Bump when the layout of what is cached changes, so that old entries simply miss.
LAYOUT = "1"
OFF = ("0", "off", "no", "false")


def folder() -> Path | None:
    """Where entries live; None when the cache is off."""
    if os.environ.get("CSC_RULES_CACHE", "").strip().lower() in OFF:
        return None
    chosen = os.environ.get("CSC_RULES_CACHE_DIR")
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("csc-rules", appauthor=False))


def key(kind: str, parts: Iterable[tuple[str, bytes]]) -> str:
    """The key of an entry of `kind` built from `parts`: (name, content) pairs, in order."""
    digest = hashlib.sha256()
    for name, content in [
        ("layout", LAYOUT.encode()),
        ("engine", __version__.encode()),
        ("code", code_fingerprint().encode()),
        ("holidays", _holidays_version().encode()),
        ("kind", kind.encode()),
        *parts,
    ]:
        for chunk in (name.encode(), content):
            digest.update(len(chunk).to_bytes(8, "big"))
            digest.update(chunk)
    return f"{kind}-{digest.hexdigest()}"


@functools.cache
def code_fingerprint() -> str:
    """The size and modification time of each of the engine's own modules: a checkout edited or
    switched to another commit (the version unchanged) misses rather than reads what the code
    before it compiled. About a hundred `stat` calls, once per process."""
    package = Path(__file__).resolve().parent.parent
    found = []
    for path in sorted(package.rglob("*.py")):
        try:
            status = path.stat()
        except OSError:
            continue
        found.append(
            f"{path.relative_to(package).as_posix()}:{status.st_size}:{status.st_mtime_ns}"
        )
    return "\n".join(found)


def get(entry: str) -> str | None:
    """The text stored under `entry`, or None (absent, unreadable, or the cache is off)."""
    where = folder()
    if where is None:
        return None
    try:
        return (where / f"{entry}.json").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def put(entry: str, text: str) -> None:
    """Store `text` under `entry`, whole or not at all; a cache that cannot be written (a
    read-only home folder, a full disk) is no reason for a command to fail."""
    where = folder()
    if where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
        replace_whole(where / f"{entry}.json", text)
    except OSError:
        return


def _holidays_version() -> str:
    """The bank holidays come from the `holidays` package: a new release may add one."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:
        return "none"
