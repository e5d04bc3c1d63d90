"""The fuzz suite's shared pieces: one csc-rules worker process, scratch folders, the compiled
files to damage, and the table of what every family of inputs did, printed at the end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PROCEDURE_IDS

from . import _harness
from ._harness import BAD, TALLY, Scratch, Worker, speed_line, table


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A compiled-procedure cache of this session's own for every csc-rules process it starts."""
    _harness.CACHE_DIR = tmp_path_factory.mktemp("cache")
    yield _harness.CACHE_DIR
    _harness.CACHE_DIR = None


@pytest.fixture(scope="session")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    """The long-lived csc-rules process every generated input goes through."""
    running = Worker(tmp_path_factory.mktemp("worker-logs"))
    yield running
    running.close()


@pytest.fixture(scope="session")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Scratch:
    """Folders for generated inputs; a failing example's folder is kept for its reproducer."""
    return Scratch(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="session")
def compiled(
    worker: Worker, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Every procedure of the library compiled by `csc-rules compile ID -o FILE`: its file and
    its parsed document."""
    folder = tmp_path_factory.mktemp("compiled")
    found = {}
    for procedure_id in PROCEDURE_IDS:
        path = folder / f"{procedure_id.replace('/', '-')}.json"
        outcome = worker.run("compile", procedure_id, "-o", str(path))
        assert outcome.code == 0, outcome.describe()
        found[procedure_id] = (path, json.loads(path.read_text(encoding="utf-8")))
    return found


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TALLY:
        return
    terminalreporter.section("fuzz: inputs tried per family, and what csc-rules did")
    terminalreporter.line(table())
    terminalreporter.line(
        "exit-N: exit codes. API families (api: ...) count a return as exit-0, the project's "
        "own error as exit-1, any other exception as internal-error. slow: answered, but after "
        "the time limit (scaled by the machine's speed). json-checked: outputs asked for with "
        "--format json/jsonl, judged by issue 10 item 4 (json-bad). Must be zero: "
        + ", ".join(BAD)
        + "."
    )
    terminalreporter.line(speed_line())
