"""The list of files `csc-rules site` wrote into its folder, each with its size and SHA-256, and
the check that a folder holds nothing else before `site` replaces it."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import CommandError

MANIFEST = ".csc-rules-site.json"

# What a site made before the manifest carried: it says the folder was made here, but not what
# else was put in it since, so such a folder is never replaced.
OLD_MARKER = ".csc-rules-site"

_KIND = "csc-rules site"


def _digest(path: Path) -> str:
    found = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            found.update(block)
    return found.hexdigest()


def _entries(root: Path, prefix: str = "") -> Iterator[tuple[str, os.stat_result]]:
    """Every file and folder under `root`, by name, a folder before what it holds; links are
    not followed, and a folder is read only when the walk reaches it."""
    with os.scandir(root) as listing:
        found = sorted(listing, key=lambda e: e.name)
    for entry in found:
        name = f"{prefix}{entry.name}"
        info = entry.stat(follow_symlinks=False)
        yield name, info
        if stat.S_ISDIR(info.st_mode):
            yield from _entries(Path(entry.path), f"{name}/")


def write(root: Path) -> None:
    """Write the manifest of every file now in `root` (the site just written)."""
    files = {
        name: {"size": info.st_size, "sha256": _digest(root / name)}
        for name, info in _entries(root)
        if stat.S_ISREG(info.st_mode)
    }
    text = json.dumps({"made_by": _KIND, "files": files}, indent=1, sort_keys=True)
    (root / MANIFEST).write_text(text + "\n", encoding="utf-8")


def _listed(output: Path) -> dict[str, Any]:
    """The manifest's files, or why the folder cannot be replaced without it."""
    manifest = output / MANIFEST
    if not manifest.is_file() or manifest.is_symlink():
        if (output / OLD_MARKER).is_file():
            raise CommandError(
                f"{output}: made by an older csc-rules, which kept no list of the files it "
                "wrote, so `csc-rules site` will not replace it; move the folder away or "
                "delete it, then run `site` again",
                code="cannot-replace",
                path=output,
            )
        return {}
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        files = data["files"] if data.get("made_by") == _KIND else None
        if not isinstance(files, dict):
            raise ValueError("no list of files")
    except (OSError, ValueError, TypeError, AttributeError, KeyError) as exc:
        raise CommandError(
            f"{manifest}: cannot be read as the list of files `csc-rules site` wrote ({exc}), "
            "so it will not replace the folder; move the folder away or delete it",
            code="cannot-replace",
            path=manifest,
        ) from None
    return files


def _changed(folder: Path, name: str, info: os.stat_result, listed: Any) -> bool:
    if not isinstance(listed, dict) or listed.get("size") != info.st_size:
        return True
    return bool(listed.get("sha256") != _digest(folder / name))


def check_replaceable(output: Path, shown: Path | None = None) -> None:
    """Raise CommandError naming the first file or folder in `output` that `site` did not write
    (or that has changed since), unless `output` is empty; `shown` is the name to say."""
    shown = shown or output
    try:
        files = _listed(output)
        first = _foreign(output, files)
    except OSError as exc:
        raise CommandError(
            f"{shown}: cannot read the folder ({exc.strerror or exc}), so `csc-rules site` will "
            "not replace it; give -o a new or empty folder",
            code="cannot-replace",
            path=shown,
        ) from None
    if first is None:
        return
    name, changed = first
    if not files:
        why = f"holds {name} but no {MANIFEST} listing what `csc-rules site` wrote"
    elif changed:
        why = f"{name} has changed since `csc-rules site` wrote it"
    else:
        why = f"holds {name}, which `csc-rules site` did not write"
    raise CommandError(
        f"{shown}: {why}, so it will not replace the folder; move {name} out of it (or the "
        "folder away), or give -o a new or empty folder",
        code="cannot-replace",
        path=shown,
    )


def _foreign(output: Path, files: dict[str, Any]) -> tuple[str, bool] | None:
    """The first file or folder in `output` the manifest does not list as it is, and whether it
    is listed but changed."""
    folders = {str(p) for name in files for p in Path(name).parents} - {"."}
    for name, info in _entries(output):
        kind = info.st_mode
        if (name == MANIFEST and files) or (stat.S_ISDIR(kind) and name in folders):
            continue
        if stat.S_ISREG(kind) and name in files:
            if _changed(output, name, info, files[name]):
                return name, True
            continue
        return (f"{name}/" if stat.S_ISDIR(kind) else name), False
    return None
