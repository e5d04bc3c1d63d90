"""The compiled-procedure cache: a cold command reuses what has not changed, and never gives a
different answer for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

# Every test here starts csc-rules processes, to see what a cold start reads.
pytestmark = pytest.mark.slow

CASE = {
    "case": "CACHE-1",
    "procedure": "sefton/csc-statutory",
    "events": [
        {"date": "2024-12-20", "event": "complaint-received"},
        {"date": "2024-12-30", "event": "acknowledged"},
    ],
}
# Runs `csc-rules run` on a .jsonl file in a fresh process and reports which heavy modules it
# imported, on the last line of stderr.
RUN = """
import sys
from csc_rules.cli import cli
try:
    cli.main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(sorted(m for m in ("yaml", "holidays", "networkx") if m in sys.modules), file=sys.stderr)
"""


def run_case(cases: Path, cwd: Path, **env: str) -> tuple[dict[str, object], str]:
    """The result of the case, and the heavy modules the process imported."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, "run", str(cases), "--as-of", "2025-01-20", "--format", "json"],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [result] = json.loads(done.stdout)
    return result, done.stderr.strip().splitlines()[-1]


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(CASE) + "\n", encoding="utf-8")
    return path


def test_a_second_cold_run_loads_from_the_cache_without_yaml_holidays_or_networkx(
    tmp_path: Path, cases: Path
) -> None:
    folder = tmp_path / "cache"
    first, imported = run_case(cases, ROOT, CSC_RULES_CACHE_DIR=str(folder))
    assert "yaml" in imported and "holidays" in imported  # built from the YAML
    assert sorted(p.name.split("-")[0] for p in folder.iterdir()) == ["catalogue", "procedure"]
    second, imported = run_case(cases, ROOT, CSC_RULES_CACHE_DIR=str(folder))
    assert imported == "[]"
    uncached, _ = run_case(cases, ROOT, CSC_RULES_CACHE="off")
    assert first == second == uncached
    # Sefton acknowledges within 3 working days of Fri 20 Dec 2024: 23, 24, (25, 26 Christmas
    # and Boxing Day), 27 Dec. Done on the 30th: one working day late.
    [ack] = [d for d in second["deadlines"] if d["id"] == "acknowledgement"]  # type: ignore[union-attr, index]
    assert (ack["due"], ack["status"], ack["working_days_late"]) == ("2024-12-27", "missed", 1)


def test_the_cache_can_be_switched_off(tmp_path: Path, cases: Path) -> None:
    folder = tmp_path / "cache"
    _, imported = run_case(cases, ROOT, CSC_RULES_CACHE_DIR=str(folder), CSC_RULES_CACHE="off")
    assert not folder.exists()
    assert "yaml" in imported


def test_a_damaged_entry_is_ignored_and_rebuilt(tmp_path: Path, cases: Path) -> None:
    folder = tmp_path / "cache"
    good, _ = run_case(cases, ROOT, CSC_RULES_CACHE_DIR=str(folder))
    for entry in folder.iterdir():
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text[: len(text) // 2], encoding="utf-8")  # cut short, as by a crash
    again, imported = run_case(cases, ROOT, CSC_RULES_CACHE_DIR=str(folder))
    assert again == good and "yaml" in imported
    _, imported = run_case(cases, ROOT, CSC_RULES_CACHE_DIR=str(folder))
    assert imported == "[]"  # written again, whole


def test_a_changed_source_file_is_not_answered_from_the_cache(
    tmp_path: Path, cases: Path, library_copy: Path
) -> None:
    folder = tmp_path / "cache"
    before, _ = run_case(cases, library_copy, CSC_RULES_CACHE_DIR=str(folder))
    council = library_copy / "councils/sefton/csc-statutory.yaml"
    text = council.read_text(encoding="utf-8")
    old = "anchor: complaint-received\n    limit: {amount: 3, unit: working-days}"
    assert text.count(old) == 1  # the acknowledgement
    council.write_text(text.replace(old, old.replace("3", "5")), encoding="utf-8")
    after, _ = run_case(cases, library_copy, CSC_RULES_CACHE_DIR=str(folder))
    due = {r["id"]: r["due"] for r in after["deadlines"]}  # type: ignore[union-attr]
    # 5 working days after Fri 20 Dec 2024: 23, 24, 27, 30, 31 Dec.
    assert due["acknowledgement"] == "2024-12-31"
    assert before != after


def test_processes_writing_the_cache_at_once_each_leave_a_whole_entry(
    tmp_path: Path, cases: Path
) -> None:
    folder = tmp_path / "cache"
    command = [sys.executable, "-m", "csc_rules", "run", str(cases), "--as-of", "2025-01-20"]
    env = {**os.environ, "CSC_RULES_CACHE_DIR": str(folder)}
    running = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in running]
    assert [p.returncode for p in running] == [0, 0, 0, 0]
    assert len(set(outputs)) == 1
    assert sorted(p.suffix for p in folder.iterdir()) == [".json", ".json"]  # no leftovers
    _, imported = run_case(cases, ROOT, CSC_RULES_CACHE_DIR=str(folder))
    assert imported == "[]"


def test_a_compiler_that_makes_another_calendar_does_not_use_the_old_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A compiled procedure carries bank holidays for a range of years; an engine that compiles
    # a longer range must not be given an entry made for a shorter one (as happened when the
    # range grew back to 2006, for records from before 2015).
    from csc_rules.procedures import compiler
    from csc_rules.procedures.library import Library

    path = ROOT / "councils" / "sefton" / "csc-statutory.yaml"
    before = Library(ROOT).compiled.cache_entry(path)
    monkeypatch.setattr(compiler, "CALENDAR_YEARS", (2015, 2040))
    assert before is not None and Library(ROOT).compiled.cache_entry(path) != before


def test_an_edited_engine_module_is_not_answered_from_the_cache() -> None:
    # A checkout edited or switched to another commit keeps its version number: the key must
    # still change, or a command would answer with what the code before it compiled.
    from csc_rules.procedures import cache

    module = Path(cache.__file__)
    parts = [("file", b"the same procedure")]
    before = cache.key("procedure", parts)
    status = module.stat()
    try:
        os.utime(module, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
        cache.code_fingerprint.cache_clear()
        assert cache.key("procedure", parts) != before
    finally:
        os.utime(module, ns=(status.st_atime_ns, status.st_mtime_ns))
        cache.code_fingerprint.cache_clear()
    assert cache.key("procedure", parts) == before
