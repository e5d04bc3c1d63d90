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


# Every council's scenarios: cases with what to expect, in councils/<id>/scenarios/ (and the
# folders inside it), which are not part of the library.
SCENARIO_FILES = sorted((ROOT / "councils").glob("*/scenarios/**/*.yaml"))


def scenario_name(path: Path) -> str:
    """`<council>/<scenario>` (with any folder between), the name of a council's scenario."""
    council, _, *below = path.relative_to(ROOT / "councils").with_suffix("").parts
    return "/".join([council, *below])


# Every YAML file of the library: the baselines and vocabulary in rules/, then each council's.
LIBRARY_FILES = sorted((ROOT / "rules").rglob("*.yaml")) + sorted(
    set((ROOT / "councils").rglob("*.yaml")) - set(SCENARIO_FILES)
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
# so that `-m "not slow"` leaves them out. Each is a prefix of the name: every test_server*.py
# starts the server. Any other slow test is marked where it is written.
MARKED = {
    "fuzz": ("fuzz",),
    "server": ("test_server",),
    "browser": ("test_site_browser.py", "test_report_page.py"),
}
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.path))
        first = path.relative_to(TESTS).parts[0] if path.is_relative_to(TESTS) else ""
        for marker, places in MARKED.items():
            if first.startswith(places):
                item.add_marker(marker)
        if any(item.get_closest_marker(marker) for marker in MARKED):
            item.add_marker(pytest.mark.slow)


def require_posix(what: str) -> None:
    """Fail, never skip, where this is not a POSIX system: `what` cannot be tested there."""
    if os.name != "posix":
        pytest.fail(f"{what} needs a POSIX system (Linux, as .ci/run uses)", pytrace=False)


def require_root(what: str) -> None:
    """Fail, never skip, unless run as root: giving a file another owner or group needs it."""
    require_posix(what)
    if os.geteuid() != 0:
        pytest.fail(
            f"{what} needs root, to give a file another owner or group: run the suite as root, "
            "as .ci/run does in its container",
            pytrace=False,
        )


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
