"""Changed, damaged and invented case files through `run`, `eligibility` and `test`.

The originals are every case the project holds: examples/*.yaml, examples/eligibility/*.yaml,
the lines of examples/cases.jsonl and the scenarios of councils/<id>/scenarios (without `expect`). A
case is run as written on another date, with its dates moved, with one event fewer or renamed,
with values tweaked within their type, with random values of every type at random places,
nested deep, with invented events (canonical names, names with a Cyrillic letter in them,
junk; dates in and out of range and order; fields of every type) or invented facts; it is
written as YAML, JSON or a line of JSONL, sometimes beside a sound batch. Or its YAML text is
damaged byte by byte.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ._harness import ROOT, Scratch, Worker, check, examples
from ._mutate import (
    apply_bytes,
    apply_structure,
    as_of_dates,
    byte_edits,
    changed_cases,
    dump_yaml,
    structure_edits,
    write_case,
)

CASE_TEXTS = sorted(
    [*ROOT.glob("examples/**/*.yaml"), *ROOT.glob("councils/*/scenarios/**/*.yaml")],
    key=lambda p: p.relative_to(ROOT).as_posix(),
)
SCENARIOS = sorted(ROOT.glob("councils/*/scenarios/**/*.yaml"))
BATCH = ROOT / "examples/cases.jsonl"  # three sound cases, to run beside a damaged one
BATCH_SIZE = 3


def run_arguments(draw: Any, path: Path, as_of: str | None) -> tuple[list[str], str]:
    """A `run` or `eligibility` command line for `path`, and its --format."""
    command = draw(st.sampled_from(["run", "run", "eligibility"]))
    formats = ["text", "json", "jsonl"] if command == "run" else ["text", "json"]
    fmt = draw(st.sampled_from(formats))
    args = [command, str(path)]
    if draw(st.booleans()):
        args.append(str(BATCH))
    if command == "run":
        chosen = draw(st.one_of(st.just(as_of), as_of_dates))
        if chosen is not None:
            args += ["--as-of", chosen]
        if draw(st.booleans()):
            args.append("--explain")
    return [*args, "--format", fmt], fmt


def cases_in(args: list[str]) -> int:
    return 1 + (BATCH_SIZE if str(BATCH) in args else 0)


def _try_case(
    worker: Worker,
    scratch: Scratch,
    family: str,
    data: Any,
    form: str,
    draw: Any,
    as_of: str | None,
    note: str,
    json_contract: bool = False,
) -> None:
    with scratch.folder() as folder:
        path = write_case(folder, data, form)
        args, fmt = run_arguments(draw, path, as_of)
        if json_contract and fmt == "text":
            args[-1] = fmt = "json"
        outcome = worker.run(*args)
        check(
            family,
            outcome,
            json_documents=cases_in(args) if fmt == "jsonl" else None,
            json_contract=json_contract,
            reproducer=f"input kept at {path} ({note})",
        )


@examples(45)
@given(case=changed_cases(), form=st.sampled_from(["yaml", "json", "jsonl"]), data=st.data())
def test_changed_case(
    worker: Worker, scratch: Scratch, case: tuple, form: str, data: st.DataObject
) -> None:
    origin, changed, as_of, how = case
    _try_case(
        worker, scratch, "case: values", changed, form, data.draw, as_of, f"{how} of {origin}"
    )


@examples(30)
@given(source=st.sampled_from(CASE_TEXTS), edits=byte_edits, data=st.data())
def test_case_with_damaged_bytes(
    worker: Worker, scratch: Scratch, source: Path, edits: list, data: st.DataObject
) -> None:
    damaged = apply_bytes(source.read_bytes(), edits)
    with scratch.folder() as folder:
        path = folder / "case.yaml"
        path.write_bytes(damaged)
        args, fmt = run_arguments(data.draw, path, None)
        outcome = worker.run(*args)
        check(
            "case: bytes",
            outcome,
            json_documents=cases_in(args) if fmt == "jsonl" else None,
            reproducer=f"input kept at {path} ({edits} applied to {source.relative_to(ROOT)})",
        )


@examples(20)
@given(
    source=st.sampled_from(SCENARIOS),
    damage=st.one_of(
        st.tuples(st.just("bytes"), byte_edits), st.tuples(st.just("values"), structure_edits())
    ),
)
def test_damaged_scenario_in_csc_rules_test(
    worker: Worker, scratch: Scratch, source: Path, damage: tuple
) -> None:
    kind, edits = damage
    if kind == "bytes":
        damaged = apply_bytes(source.read_bytes(), edits)
    else:
        damaged = dump_yaml(apply_structure(yaml.safe_load(source.read_bytes()), edits)).encode()
    with scratch.folder() as folder:
        path = folder / source.name
        path.write_bytes(damaged)
        outcome = worker.run("test", str(path))
        check(
            "scenario: csc-rules test",
            outcome,
            reproducer=f"input kept at {path} ({kind} {edits} of {source.relative_to(ROOT)})",
        )


@pytest.mark.json_contract
@examples(25)
@given(case=changed_cases(), form=st.sampled_from(["yaml", "json", "jsonl"]), data=st.data())
def test_case_json_output_is_one_document(
    worker: Worker, scratch: Scratch, case: tuple, form: str, data: st.DataObject
) -> None:
    """Issue 10 item 4: `run`/`eligibility --format json` print one JSON document, `jsonl` one
    line per case, whether the cases could be evaluated or not."""
    origin, changed, as_of, how = case
    _try_case(
        worker,
        scratch,
        "case: --format json/jsonl",
        changed,
        form,
        data.draw,
        as_of,
        f"{how} of {origin}",
        json_contract=True,
    )
