"""Damaged compiled files through every command that reads one.

Every procedure is compiled with `csc-rules compile ID -o FILE`; its JSON is then damaged value
by value, tweaked within its types, or edited in one of the ways issue 10 names (an event removed, a duty met by an event that
does not exist, an extension below its base, junk in `rules` or `facts`, ...), and, mostly,
given a fresh `source_sha256` and `sha256` (and a stage graph redrawn from the damaged
definition), so that the digest check passes and only a check of what the file means can refuse
it. Some damage is left with the old digest, and some is done to the bytes of the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import PROCEDURE_IDS

from ._harness import Scratch, Worker, check, examples
from ._mutate import (
    SEMANTIC_EDITS,
    compiled_damage,
    damaged_compiled_text,
    redigest,
)

COMMANDS = [
    ("show", "text"),
    ("show", "markdown"),
    ("show", "json"),
    ("graph", "mermaid"),
    ("graph", "dot"),
    ("graph", "json"),
    ("compile", "stdout"),
    ("compile", "file"),
    ("diff", "text"),
    ("diff", "json"),
    ("validate", "text"),
    ("validate", "json"),
]
JSON_COMMANDS = [c for c in COMMANDS if c[1] == "json"]
Compiled = dict[str, tuple[Path, dict[str, Any]]]


def arguments(command: tuple[str, str], path: Path, folder: Path) -> list[str]:
    name, fmt = command
    if name == "compile":
        return ["compile", str(path)] + (
            ["-o", str(folder / "again.json")] if fmt == "file" else []
        )
    if name == "diff":
        return ["diff", str(path), "sefton/csc-statutory", "--format", fmt]
    return [name, str(path), "--format", fmt]


def _try(
    worker: Worker,
    scratch: Scratch,
    compiled: Compiled,
    family: str,
    procedure_id: str,
    damage: tuple[str, Any],
    command: tuple[str, str],
    json_contract: bool = False,
) -> None:
    how, recipe = damage
    original, document = compiled[procedure_id]
    text = damaged_compiled_text(original.read_text(encoding="utf-8"), document, how, recipe)
    with scratch.folder() as folder:
        path = folder / original.name
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        outcome = worker.run(*arguments(command, path, folder))
        check(
            family,
            outcome,
            json_contract=json_contract,
            reproducer=f"input kept at {path} ({how} {recipe!r:.600} of `csc-rules compile "
            f"{procedure_id}`)",
        )


@examples(45)
@given(
    procedure_id=st.sampled_from(PROCEDURE_IDS),
    damage=compiled_damage(),
    command=st.sampled_from(COMMANDS),
)
def test_damaged_compiled_file(
    worker: Worker,
    scratch: Scratch,
    compiled: Compiled,
    procedure_id: str,
    damage: tuple[str, Any],
    command: tuple[str, str],
) -> None:
    _try(worker, scratch, compiled, "compiled: damaged", procedure_id, damage, command)


@pytest.mark.json_contract
@examples(20)
@given(
    procedure_id=st.sampled_from(PROCEDURE_IDS),
    damage=compiled_damage(),
    command=st.sampled_from(JSON_COMMANDS),
)
def test_compiled_json_output_is_one_document(
    worker: Worker,
    scratch: Scratch,
    compiled: Compiled,
    procedure_id: str,
    damage: tuple[str, Any],
    command: tuple[str, str],
) -> None:
    """Issue 10 item 4: one JSON document on stdout whether the compiled file loads or not."""
    _try(
        worker,
        scratch,
        compiled,
        "compiled: --format json",
        procedure_id,
        damage,
        command,
        json_contract=True,
    )


# -- the edits issue 10 saw accepted: each must be refused, digest or no digest ------------------


@pytest.mark.parametrize("command", ["show", "graph", "compile"])
@pytest.mark.parametrize("edit", sorted(SEMANTIC_EDITS))
def test_redigested_file_that_means_nothing_is_refused(
    worker: Worker, tmp_path: Path, compiled: Compiled, edit: str, command: str
) -> None:
    """A compiled file edited by hand and given a fresh digest and stage graph is refused in one
    line naming the file (exit 1), never shown, drawn or compiled as if it were sound."""
    original, document = compiled["sefton/csc-statutory"]
    changed = json.loads(json.dumps(document))
    SEMANTIC_EDITS[edit](changed)
    path = tmp_path / f"{edit}.json"
    path.write_text(json.dumps(redigest(changed), indent=2, ensure_ascii=False), encoding="utf-8")
    outcome = worker.run(command, str(path))
    check("compiled: re-digested edits", outcome)
    lines = [line for line in outcome.stderr.splitlines() if path.name in line]
    assert outcome.code == 1 and len(lines) == 1, (
        f"a re-digested compiled file with `{edit}` should be refused in one line naming it "
        f"(exit 1)\n{outcome.describe()}"
    )


def test_redigesting_helper_matches_the_engine(worker: Worker, compiled: Compiled) -> None:
    """The digests written by `redigest` are the ones the engine checks: an undamaged file,
    re-digested, still loads. Without this, every re-digested test would pass for the wrong
    reason (a digest mismatch) once the engine refuses it."""
    for path, document in compiled.values():
        again = redigest(json.loads(json.dumps(document)))
        assert again == document, f"redigest changes the undamaged {path.name}"
        copy = path.with_name(f"redigested-{path.name}")
        copy.write_text(json.dumps(again, indent=2, ensure_ascii=False), encoding="utf-8")
        outcome = worker.run("show", str(copy))
        assert outcome.code == 0, outcome.describe()
