"""Damaged procedure files, byte by byte and value by value, through every command that reads one.

The originals are the library's own: councils/*/*.yaml and rules/baseline/*.yaml. Each damaged
copy is written to a scratch folder and given to validate, show, compile, graph, conformance or
diff. Whatever the damage, csc-rules answers with exit 0, 1 or 2, in bounded time, with no
traceback and no internal error; with `--format json`, with one JSON document (item 4).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ._harness import ROOT, Scratch, Worker, check, examples
from ._mutate import (
    LIBRARY_FILES,
    byte_edits,
    damaged_bytes,
    damaged_structure,
    procedure_damage,
    structure_edits,
)

# (command, format): every way a procedure file is read on the command line.
COMMANDS = [
    ("validate", "text"),
    ("validate", "json"),
    ("show", "text"),
    ("show", "markdown"),
    ("show", "json"),
    ("compile", "stdout"),
    ("compile", "file"),
    ("graph", "mermaid"),
    ("graph", "dot"),
    ("graph", "json"),
    ("conformance", "text"),
    ("conformance", "json"),
    ("diff", "text"),
    ("diff", "json"),
    ("diff", "markdown"),
]
JSON_COMMANDS = [c for c in COMMANDS if c[1] == "json"]


def arguments(command: tuple[str, str], path: Path, folder: Path) -> list[str]:
    name, fmt = command
    if name == "compile":
        return ["compile", str(path)] + (["-o", str(folder / "out.json")] if fmt == "file" else [])
    if name == "diff":
        return ["diff", str(path), "baseline/csc-statutory", "--format", fmt]
    return [name, str(path), "--format", fmt]


def reproducer(source: Path, before: bytes, after: bytes, path: Path) -> str:
    """Where the damaged file is kept, and how it differs from `source`."""
    diff = difflib.unified_diff(
        before.decode("utf-8", "backslashreplace").splitlines(),
        after.decode("utf-8", "backslashreplace").splitlines(),
        f"{source.relative_to(ROOT)} (as compared)",
        str(path),
        lineterm="",
        n=1,
    )
    lines = list(diff)
    more = f"\n... ({len(lines) - 60} more diff lines)" if len(lines) > 60 else ""
    return f"input kept at {path}\n" + "\n".join(lines[:60]) + more


def _try(
    worker: Worker,
    scratch: Scratch,
    family: str,
    source: Path,
    damage: tuple,
    command: tuple[str, str],
    json_contract: bool = False,
) -> None:
    make, edits = damage
    before, after = make(source, edits)
    with scratch.folder() as folder:
        path = folder / source.name
        path.write_bytes(after)
        outcome = worker.run(*arguments(command, path, folder))
        check(
            family,
            outcome,
            json_contract=json_contract,
            reproducer=reproducer(source, before, after, path),
        )


@examples(40)
@given(
    source=st.sampled_from(LIBRARY_FILES),
    edits=byte_edits,
    command=st.sampled_from(COMMANDS),
)
def test_procedure_with_damaged_bytes(
    worker: Worker, scratch: Scratch, source: Path, edits: list, command: tuple[str, str]
) -> None:
    _try(worker, scratch, "procedure: bytes", source, (damaged_bytes, edits), command)


@examples(40)
@given(
    source=st.sampled_from(LIBRARY_FILES),
    edits=structure_edits(),
    command=st.sampled_from(COMMANDS),
)
def test_procedure_with_damaged_values(
    worker: Worker, scratch: Scratch, source: Path, edits: list, command: tuple[str, str]
) -> None:
    _try(worker, scratch, "procedure: values", source, (damaged_structure, edits), command)


@pytest.mark.json_contract
@examples(20)
@given(
    source=st.sampled_from(LIBRARY_FILES),
    damage=procedure_damage,
    command=st.sampled_from(JSON_COMMANDS),
)
def test_procedure_json_output_is_one_document(
    worker: Worker, scratch: Scratch, source: Path, damage: tuple, command: tuple[str, str]
) -> None:
    """Issue 10 item 4: with `--format json`, one JSON document on stdout, valid input or not."""
    _try(worker, scratch, "procedure: --format json", source, damage, command, json_contract=True)
