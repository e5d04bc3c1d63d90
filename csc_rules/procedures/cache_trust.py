"""Whether the cache folder and its entries can only have been written by this user, and making
them so: a folder someone else can write is a way to change the answers of every command.

On POSIX a folder is trusted when it is owned by this user and writable by nobody else (its
group may write it when that group is the user's own, as Debian gives each user), and
every folder above it is owned by this user or by root and writable by nobody else (a shared
folder with the sticky bit, such as /tmp, is allowed: others cannot rename or delete what is in
it). An entry is written by this user when it is a regular file this user owns that nobody else
can write. Without POSIX permissions (Windows) none of this can be told: the cache is used, and
every entry read gets the full checks of a compiled file a user gives."""

from __future__ import annotations

import functools
import os
import shlex
import stat
import sys
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
# What the cache's users are told they can do, whatever was wrong.
ELSEWHERE = "set CSC_RULES_CACHE_DIR to a folder of your own, or CSC_RULES_CACHE=off"
_warned: set[str] = set()


def permissions_known() -> bool:
    """Whether files carry an owner and POSIX permission bits that can be trusted."""
    return os.name == "posix"


def folder_problem(folder: Path) -> str | None:
    """Why the cache `folder` (which may not exist yet) cannot be trusted and what to do, or
    None."""
    if not permissions_known():
        return None
    real = folder.resolve()
    existing = real
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    for place in (existing, *existing.parents):
        try:
            status = place.stat()
        except OSError as exc:
            return f"the folder {place} cannot be checked ({exc.strerror}); {ELSEWHERE}"
        shared = place != real and bool(status.st_mode & stat.S_ISVTX)
        why = _not_private(status, allow_root=place != real, allow_shared=shared)
        if why is None:
            continue
        what = (
            f"the cache folder {real}"
            if place == real
            else f"the folder {place}, which holds the cache folder {real},"
        )
        fix = f"run `chmod go-w {shlex.quote(str(place))}`, or " if "writable" in why else ""
        return (
            f"{what} {why}, so the compiled-procedure cache is not used and nothing is "
            f"written to it (everything is compiled from the library); {fix}{ELSEWHERE}"
        )
    return None


def entry_problem(status: os.stat_result) -> str | None:
    """Why an entry (by the status of its open file) may not have been written by this user."""
    if not permissions_known():
        return None
    if not stat.S_ISREG(status.st_mode):
        return "is not a regular file"
    return _not_private(status, allow_root=False, allow_shared=False)


def _not_private(status: os.stat_result, *, allow_root: bool, allow_shared: bool) -> str | None:
    mode = stat.S_IMODE(status.st_mode)
    owners = {os.geteuid(), 0} if allow_root else {os.geteuid()}
    if status.st_uid not in owners:
        return f"is owned by another user (uid {status.st_uid})"
    writers = 0o002 if _own_group(status.st_gid) else 0o022
    if mode & writers and not allow_shared:
        return f"is writable by others (mode {mode:04o})"
    return None


@functools.cache
def _own_group(gid: int) -> bool:
    """Whether `gid` is this user's private group (named after the user, with no other member),
    as Debian and Ubuntu give each user: with their umask of 002 a user's folders are
    group-writable, yet nobody else can write them."""
    import grp
    import pwd

    try:
        user = pwd.getpwuid(os.geteuid()).pw_name
        group = grp.getgrgid(gid)
    except KeyError:
        return False
    return group.gr_name == user and set(group.gr_mem) <= {user}


def warn_once(about: str, message: str) -> None:
    """Say `message` on stderr, once a process for each thing it is `about`: a server would
    otherwise say it on every request."""
    if about not in _warned:
        _warned.add(about)
        print(f"csc-rules: warning: {message}", file=sys.stderr)


def untrusted_entry(entry: Path, why: str) -> None:
    warn_once(
        f"entries of {entry.parent}",
        f"the cache entry {entry} {why}, so it is not used but compiled again and replaced, as "
        f"is any other entry of {entry.parent} that someone else could have written",
    )


def make_private(folder: Path) -> None:
    """Create `folder` and whatever is missing above it, each readable by this user alone,
    whatever the umask; a folder that is there already is left as it is."""
    missing = []
    place = folder
    while not place.exists() and place != place.parent:
        missing.append(place)
        place = place.parent
    for place in reversed(missing):
        try:
            place.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:  # another process made it at the same moment
            continue
        os.chmod(place, PRIVATE_FOLDER)
