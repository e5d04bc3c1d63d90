"""A cache of compiled procedures on disk, so that a cold command does not rebuild what has not
changed.

An entry is keyed by the SHA-256 of everything that went into it (the bytes of each source
file, the versions of the engine, of the compiled format and of the `holidays` package, and
the size and time of each engine module, so an edited checkout misses too), so a
changed file simply misses. Entries are written to a temporary file and renamed, so two
processes writing at once each leave a whole entry; an entry that does not read back (damaged,
cut short) is ignored and rebuilt. It lives in the user cache folder of the platform
(`platformdirs`), or in `$CSC_RULES_CACHE_DIR`; `CSC_RULES_CACHE=off` turns it off.

Anyone who can write the folder can change the answers of every command, so a folder others
could write is not used at all (`cache_trust`, with a warning), the folder is made readable by
its user alone and each entry likewise. An entry this user wrote is taken on its digests; one
whose writer cannot be told gets the full checks of a compiled file (`Stored.own`)."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from .._version import __version__
from ..reading.files import replace_whole
from . import cache_trust

# Bump when the layout of what is cached changes, so that old entries simply miss.
LAYOUT = "2"
OFF = ("0", "off", "no", "false")


class Stored(NamedTuple):
    """The text of an entry, and whether this user wrote it (False: its writer cannot be told)."""

    text: str
    own: bool


def folder() -> Path | None:
    """Where entries live; None when the cache is off, or when others could write the folder
    (said once, on stderr)."""
    if os.environ.get("CSC_RULES_CACHE", "").strip().lower() in OFF:
        return None
    chosen = os.environ.get("CSC_RULES_CACHE_DIR")
    if chosen:
        where = Path(chosen)
    else:
        from platformdirs import user_cache_dir

        where = Path(user_cache_dir("csc-rules", appauthor=False))
    why = cache_trust.folder_problem(where)
    if why is not None:
        cache_trust.warn_once(str(where), why)
        return None
    return where


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


def get(entry: str) -> Stored | None:
    """What is stored under `entry`, or None: absent, unreadable, the cache is off, or someone
    else could have written it (said once, on stderr; the entry is then rebuilt and replaced)."""
    where = folder()
    if where is None:
        return None
    path = where / f"{entry}.json"
    try:
        # Not followed if a link: an entry is a file of the folder's own.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(descriptor, "rb") as handle:
            why = cache_trust.entry_problem(os.fstat(handle.fileno()))
            if why is not None:
                cache_trust.untrusted_entry(path, why)
                return None
            text = handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return Stored(text, own=cache_trust.permissions_known())


def put(entry: str, text: str) -> None:
    """Store `text` under `entry`, whole or not at all, readable by this user alone; a cache that
    cannot be written (a read-only home folder, a full disk) is no reason for a command to fail."""
    where = folder()
    if where is None:
        return
    try:
        cache_trust.make_private(where)
        replace_whole(where / f"{entry}.json", text, mode=cache_trust.PRIVATE_FILE)
    except OSError:
        return


def seal(entry: str, content: Any) -> str:
    """`content` as the text of `entry`, with a digest over both: what `unseal` takes back."""
    body = {"entry": entry, "content": content}
    return json.dumps({**body, "sha256": _digest(body)}, ensure_ascii=False)


def unseal(entry: str, text: str) -> Any | None:
    """The content `seal` stored under `entry`; None if the text is damaged, edited without its
    digest, or was sealed for another entry (copied from one key to another)."""
    from ..errors import JsonInputError
    from ..reading.json_input import loads

    try:
        document = loads(text)
    except JsonInputError:
        return None
    if not isinstance(document, dict) or set(document) != {"entry", "content", "sha256"}:
        return None
    body = {"entry": document["entry"], "content": document["content"]}
    if document["entry"] != entry or document["sha256"] != _digest(body):
        return None
    return document["content"]


def _digest(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _holidays_version() -> str:
    """The bank holidays come from the `holidays` package: a new release may add one."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:
        return "none"
