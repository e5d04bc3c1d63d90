"""Shared helpers: the library's files, the seed documents, and a CLI runner."""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings

from csc_rules.cli import cli

# Hypothesis profiles, chosen with `--hypothesis-profile=NAME`:
# - tests: every run's, unless another is chosen: no verdict on the machine's speed, so no
#   deadline for an example and no too_slow health check (both measure wall-clock time, which a
#   busy machine stretches; a test with its own @settings keeps these unless it names them).
# - ci: the same examples on every run (derandomized, no example database), so that a red CI
#   build is reproducible; loaded by itself when the CI environment variable is set.
# - fuzz: the long run of tests/fuzz, 1,000 examples a test instead of the few dozen of an
#   ordinary run (tests/fuzz/_harness.py `examples`); about ten minutes on two cores.
settings.register_profile(
    "tests", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("ci", settings.get_profile("tests"), derandomize=True, database=None)
settings.register_profile("fuzz", settings.get_profile("tests"), max_examples=1000)
settings.load_profile("ci" if os.environ.get("CI") else "tests")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


# -- what the library holds, read from its files (never listed here by hand) ---------------------
#
# Read as plain YAML, not by csc-rules, so that a test comparing what csc-rules finds with these
# can fail; a council folder added to councils/ is in every list below with no test edited.


@dataclass(frozen=True)
class ProcedureFile:
    """One file of a procedure in the library (a procedure with several versions has several)."""

    path: Path
    id: str
    version: str
    extends: str | None
    kind: str  # statutory or corporate: the file's own, else its baseline's

    @property
    def relative(self) -> str:
        return self.path.relative_to(ROOT).as_posix()

    @property
    def council(self) -> str | None:
        """The council folder it lies in; None for a baseline."""
        return self.path.parent.name if self.path.parent.parent.name == "councils" else None


# Every value a string, as written; libyaml's loader where PyYAML was built with it.
PLAIN_YAML = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def _plain_yaml(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=PLAIN_YAML)
    return data if isinstance(data, dict) else {}


# Every YAML file of the library: the baselines and vocabulary in rules/, then each council's.
LIBRARY_FILES = sorted((ROOT / "rules").rglob("*.yaml")) + sorted(
    (ROOT / "councils").rglob("*.yaml")
)
_DATA = {path: _plain_yaml(path) for path in LIBRARY_FILES}
_KINDS = {d["procedure"]: d["kind"] for d in _DATA.values() if "procedure" in d and "kind" in d}
PROCEDURE_FILES = [
    ProcedureFile(
        path,
        d["procedure"],
        d["version"],
        d.get("extends"),
        d.get("kind") or _KINDS.get(d.get("extends", ""), ""),
    )
    for path, d in _DATA.items()
    if "procedure" in d
]
# Every procedure id, the baselines first.
PROCEDURE_IDS = list(dict.fromkeys(f.id for f in PROCEDURE_FILES))
# Every council procedure file, every version of each (relative to ROOT).
COUNCIL_PROCEDURES = [f.relative for f in PROCEDURE_FILES if f.council]
# The council procedures by id, and those with a children's page (the statutory ones).
COUNCIL_PROCEDURE_IDS = list(dict.fromkeys(f.id for f in PROCEDURE_FILES if f.council))
STATUTORY_COUNCIL_PROCEDURE_IDS = list(
    dict.fromkeys(f.id for f in PROCEDURE_FILES if f.council and f.kind == "statutory")
)
# The councils: each folder of councils/ with a council.yaml, and the council's name.
COUNCILS = {
    path.parent.name: d["name"]
    for path, d in sorted(_DATA.items())
    if path.name == "council.yaml" and path.parent.parent.name == "councils"
}
# Every `kind: conflict` note, as (file, its concerns as the warning names them), file by file.
RECORDED_CONFLICTS = sorted(
    (path.relative_to(ROOT).as_posix(), ", ".join(f"`{c}`" for c in note.get("concerns", [])))
    for path, d in _DATA.items()
    for note in (d.get("notes") or {}).values()
    if note.get("kind") == "conflict"
)


# -- markers (declared, with how to use them, in pyproject.toml) ----------------------------------

# Files and folders of tests/ by what their tests need; each of these markers makes a test slow,
# so that `-m "not slow"` leaves them out. Any other slow test is marked where it is written.
MARKED = {
    "fuzz": ("fuzz",),
    "server": ("test_server.py", "test_server_properties.py"),
    "browser": ("test_site_browser.py", "test_report_page.py"),
}
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.path))
        first = path.relative_to(TESTS).parts[0] if path.is_relative_to(TESTS) else ""
        for marker, places in MARKED.items():
            if first in places:
                item.add_marker(marker)
        if any(item.get_closest_marker(marker) for marker in MARKED):
            item.add_marker(pytest.mark.slow)


def run(*args: str) -> Result:
    """The CLI as a user runs it, in-process; exceptions are left in the result, not raised."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=True)


def assert_no_crash(result: Result) -> None:
    """The command ended as it meant to: exit 0, or its own exit with a code (click's SystemExit),
    not an exception it did not expect. Looking for "Traceback" in `result.output` cannot tell:
    `run` keeps the exception in the result and prints no traceback (and a crash exits 1 too)."""
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, "the command crashed:\n" + "".join(
        traceback.format_exception(*result.exc_info)  # type: ignore[misc]
    )


@pytest.fixture(scope="session", autouse=True)
def _cache_of_the_test_run(tmp_path_factory: pytest.TempPathFactory):
    """The tests' compiled-procedure cache, apart from the user's own."""
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("CSC_RULES_CACHE_DIR")
    os.environ["CSC_RULES_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        del os.environ["CSC_RULES_CACHE_DIR"]
    else:
        os.environ["CSC_RULES_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site `csc-rules site` makes of the library, once per test run (built as of a fixed
    day, so that the versions in force are the same whenever the tests run)."""
    folder = tmp_path_factory.mktemp("site") / "site"
    result = run("site", "-o", str(folder), "--on", "2026-12-01")
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def library_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of rules/ and councils/ to change, made the library in use by working in it, as a
    policy officer works in their checkout."""
    import shutil

    from csc_rules.reading.locations import data_root

    root = tmp_path / "library"
    for folder in ("rules", "councils"):
        shutil.copytree(ROOT / folder, root / folder)
    monkeypatch.chdir(root)
    data_root.cache_clear()
    yield root
    data_root.cache_clear()


@pytest.fixture
def council_copy(tmp_path: Path):
    """Copy a council file into a temporary folder, with a text replacement applied."""

    def make(source: str, old: str = "", new: str = "", name: str = "copy.yaml") -> Path:
        text = (ROOT / source).read_text(encoding="utf-8")
        if old:
            assert text.count(old) == 1, f"{old!r} should occur once in {source}"
            text = text.replace(old, new)
        target = tmp_path / name
        target.write_text(text, encoding="utf-8")
        return target

    return make


def line_of(path: Path, needle: str) -> int:
    """The 1-based number of the only line of `path` containing `needle`."""
    hits = [
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line
    ]
    assert len(hits) == 1, f"{needle!r} is on lines {hits} of {path}"
    return hits[0]


# -- scenario tests: tests/scenarios/<council>/*.yaml, each run from YAML and from compiled JSON ---

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
_COMPILED: dict[str, object] = {}


def _compiled(procedure_id: str, received: object, tmp_dir: Path) -> object:
    """The version in force, written to compiled JSON and loaded back, once per test session."""
    from csc_rules.procedures.compiler import dumps, load_compiled
    from csc_rules.procedures.library import library, load_procedure

    source = library().versions.choose(procedure_id, received, earliest=True)  # type: ignore[arg-type]
    if str(source) not in _COMPILED:
        path = tmp_dir / f"{source.stem}-{len(_COMPILED)}.json"
        path.write_text(dumps(load_procedure(source)), encoding="utf-8")
        _COMPILED[str(source)] = load_compiled(path)
    return _COMPILED[str(source)]


def _from_yaml(procedure_id: str, received: object) -> object:
    """The version in force, compiled from YAML once per test session (by the library)."""
    from csc_rules.procedures.library import library

    return library().compiled.in_force(procedure_id, received)  # type: ignore[arg-type]


class ScenarioItem(pytest.Item):
    def __init__(self, *, source: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.source = source

    def runtest(self) -> None:
        from csc_rules.cases.scenarios import check

        if self.source == "yaml":
            procedure_for = _from_yaml
        else:
            tmp_dir = (
                self.config._tmp_path_factory.mktemp("compiled", numbered=False)
                if not hasattr(self.config, "_scenario_dir")
                else self.config._scenario_dir
            )  # type: ignore[attr-defined]
            self.config._scenario_dir = tmp_dir  # type: ignore[attr-defined]
            procedure_for = lambda pid, received: _compiled(pid, received, tmp_dir)  # noqa: E731
        outcome = check(self.path, procedure_for)
        if not outcome.passed:
            raise AssertionError("\n".join(outcome.failures))

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: object = None
    ) -> str:
        return f"{self.path.relative_to(ROOT)} [{self.source}]\n{excinfo.value}"

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario {self.path.name} [{self.source}]"


class ScenarioFile(pytest.File):
    def collect(self):  # type: ignore[no-untyped-def]
        for source in ("yaml", "compiled"):
            yield ScenarioItem.from_parent(self, name=f"{self.path.stem}[{source}]", source=source)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> ScenarioFile | None:
    if file_path.suffix == ".yaml" and SCENARIOS in file_path.parents:
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium, started once for every browser test."""
    from playwright.sync_api import sync_playwright

    from browsers import CHROMIUM_ARGS, chromium

    executable = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
