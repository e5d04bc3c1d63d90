"""The procedure library: each file read once per process, each procedure compiled once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import COUNCILS, LIBRARY_FILES, PROCEDURE_FILES, ROOT

# Runs one command in a fresh process and reports, on its last line of stderr, how often each
# file was read from disk and how many schema checks of each kind ran.
COUNTING = """
import collections, json, sys
import csc_rules.reading.files as files
import csc_rules.reading.schema as schema

reads, checks = collections.Counter(), collections.Counter()
real_read, real_check, real_valid = files.read_bytes, schema.check, schema.valid

def read_bytes(path, *args, **kwargs):
    reads[str(path.resolve())] += 1
    return real_read(path, *args, **kwargs)

def check(data, kind, *args, **kwargs):
    checks[kind] += 1
    return real_check(data, kind, *args, **kwargs)

def valid(data, kind):  # the quick check a valid case passes instead of `check`
    checks[kind] += 1
    return real_valid(data, kind)

files.read_bytes, schema.check, schema.valid = read_bytes, check, valid
from csc_rules.cli import cli
try:
    cli.main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps({"reads": reads, "checks": checks}), file=sys.stderr)
"""


def counted(*args: str) -> tuple[dict[str, int], dict[str, int]]:
    """The files read and schema checks run with nothing in the cache."""
    done = subprocess.run(
        [sys.executable, "-c", COUNTING, *args],
        cwd=ROOT,
        env={**os.environ, "CSC_RULES_CACHE": "off"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = json.loads(done.stderr.strip().splitlines()[-1])
    return found["reads"], found["checks"]


def test_replaying_one_case_reads_each_file_once() -> None:
    reads, checks = counted(
        "run", "examples/sefton-late-acknowledgement.yaml", "--as-of", "2025-01-20"
    )
    assert max(reads.values()) == 1, reads
    library = {str(p.resolve()) for p in LIBRARY_FILES}  # not the councils' scenarios
    assert set(reads) == library | {str(ROOT / "examples/sefton-late-acknowledgement.yaml")}
    # The case, and each file that goes into Sefton's procedure: itself and the baseline it
    # extends as written, then the resolved procedure; the vocabulary; and each council's file,
    # once, as the baseline may cite any council's documents (Sefton's among them).
    assert checks == {"case": 1, "procedure": 3, "vocabulary": 1, "council": len(COUNCILS)}


def test_a_batch_compiles_each_procedure_once() -> None:
    reads, checks = counted("run", "examples/", "--as-of", "2025-06-01", "--format", "jsonl")
    assert max(reads.values()) == 1, reads
    cases = {p for p in reads if "/examples/" in p}  # cases.jsonl is streamed, not read whole
    examples = (ROOT / "examples").rglob("*.yaml")  # a report's figures file is not a case
    assert cases == {str(p.resolve()) for p in examples if not p.name.endswith(".figures.yaml")}
    # The file of each procedure the cases name (the version in force) and of each baseline
    # those extend, checked against the schema once as written; each procedure named once more
    # as resolved; the council file of each council named.
    named = {
        procedure_id
        for path in (ROOT / "examples").rglob("*")
        if path.suffix in (".yaml", ".jsonl")
        for procedure_id in re.findall(
            r'\bprocedure"?:\s*"?([\w-]+/[\w-]+)', path.read_text(encoding="utf-8")
        )
    }
    baselines = {f.extends for f in PROCEDURE_FILES if f.id in named}
    assert checks["procedure"] == len(named) + len(baselines) + len(named)
    assert checks["vocabulary"] == 1
    assert checks["council"] == len({procedure_id.split("/")[0] for procedure_id in named})


def test_one_library_object_per_root(library_copy: Path) -> None:
    from csc_rules.procedures.library import library

    here = library()
    assert here is library() and here.root == library_copy.resolve()
    compiled = here.compiled
    assert compiled.procedure("sefton/csc-statutory") is compiled.procedure("sefton/csc-statutory")
    assert library(ROOT) is not here


def test_cases_spread_over_processes_come_back_in_input_order(tmp_path: Path) -> None:
    import datetime as dt

    from csc_rules.cases.runner import CHUNK, run_cases

    lines = (ROOT / "examples/cases.jsonl").read_text(encoding="utf-8").splitlines()
    batch = tmp_path / "batch.jsonl"
    count = 2 * CHUNK + 7  # three chunks, the last one short
    with batch.open("w", encoding="utf-8") as handle:
        for number in range(count):
            case = json.loads(lines[number % len(lines)])
            case["case"] = f"B-{number}"
            if number == CHUNK + 3:
                case["events"][0]["event"] = "complaint-recieved"  # one broken case in the middle
            handle.write(json.dumps(case) + "\n")
    as_of = dt.date(2025, 6, 1)
    alone = list(run_cases([batch], as_of, False, jobs=1))
    spread = list(run_cases([batch], as_of, False, jobs=2))
    assert [o.label for o in spread] == [f"B-{n}" for n in range(count)]
    assert spread == alone
    assert [o.label for o in spread if o.result is None] == [f"B-{CHUNK + 3}"]


def test_a_file_of_the_users_own_is_read_afresh_each_time(tmp_path: Path) -> None:
    """Only the library's own files are read once per process: a policy officer's copy may be
    edited between two checks in one long-lived process (a server, a notebook)."""
    from csc_rules.procedures.library import load_procedure, validate

    copy = tmp_path / "copy.yaml"
    text = (ROOT / "councils/islington/csc-statutory.yaml").read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    assert validate([copy]).errors == ()
    assert str(load_procedure(copy).deadlines["stage-2-response"].anchor) == "stage-2-started"
    copy.write_text(text.replace("anchor: stage-2-started", "anchor: nowhere"), encoding="utf-8")
    [error] = validate([copy]).errors
    assert error.code == "unknown-event" and "nowhere" in error.message
