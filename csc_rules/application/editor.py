"""The schema editors read (`csc-rules schema`): made from the library, written only over a file
it wrote itself, and brought up to date by `validate` whenever the library's names change."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..diagnostics import display_path
from ..errors import WriteError

# Where the library keeps it, beside the schema it narrows; the procedure files' `$schema` lines
# point at it.
FILE = "library.schema.json"


def schema_text() -> str:
    """The schema for procedure files with the library's names, as JSON text."""
    from ..procedures.editor_schema import editor_schema
    from ..procedures.library import library

    return _text(editor_schema(library()))


def library_schema() -> Path:
    """Where the library in use keeps its editor schema."""
    from ..reading.locations import rules_dir

    return rules_dir() / FILE


def write_schema(target: Path, text: str | None = None) -> None:
    """Write the schema (or `text`, made already) to `target`: a new file, or one
    `csc-rules schema` wrote before."""
    from ..procedures.library import library
    from .output import replaceable, write_files

    # Asked before the file is read to see who wrote it: reading a pipe or /dev/zero never ends.
    if _written_by_someone_else(replaceable(target)):
        raise WriteError(
            f"refusing to write {display_path(target)}: it is not a schema `csc-rules schema` "
            "wrote (its `$comment` does not say so), so it may be someone's own work; give -o a "
            "new file, or move that one away first",
            code="not-generated",
            path=target,
        )
    write_files({target: text or schema_text()}, library().files.paths())


def refresh(paths: Sequence[Path] = ()) -> str | None:
    """After `validate`: the library's editor schema rewritten if the library's names changed,
    and a line saying what was done (None when it was already up to date, or `paths` name no
    file of the library, so checking a file of one's own never writes into the library)."""
    from ..reading.locations import councils_dir, rules_dir

    folders = (rules_dir().resolve(), councils_dir().resolve())
    if paths and not any(_under(path, folders) for path in paths):
        return None
    target = library_schema()
    shown = display_path(target)
    if not target.exists():
        return (
            f"note: there is no {shown} for editors to read; `csc-rules schema -o {shown}` "
            "writes one, and validate keeps it up to date from then on"
        )
    if _written_by_someone_else(target):
        return (
            f"note: {shown} was not written by `csc-rules schema`, so validate leaves it as it "
            f"is; move it away and run `csc-rules schema -o {shown}` to have one kept up to date"
        )
    text = schema_text()
    try:
        if target.read_text(encoding="utf-8") == text:
            return None
        write_schema(target, text)
    except (OSError, WriteError) as exc:
        return f"note: {shown} is out of date and could not be rewritten ({exc}); run `csc-rules schema -o {shown}`"
    return f"note: the library's names changed, so {shown} (what editors offer) was rewritten"


def _text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _written_by_someone_else(path: Path) -> bool:
    """Whether `path` is there and is not a schema `csc-rules schema` wrote."""
    from ..procedures.editor_schema import GENERATED

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError):
        return True
    try:
        comment = json.loads(text).get("$comment", "")
    except (ValueError, AttributeError):
        return True
    return not (isinstance(comment, str) and comment.startswith(GENERATED))


def _under(path: Path, folders: tuple[Path, ...]) -> bool:
    try:
        resolved = path.resolve()
    except OSError:
        return False
    return any(resolved == f or f in resolved.parents for f in folders)
