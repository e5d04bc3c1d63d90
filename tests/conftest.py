"""Shared helpers: the library's files, the seed documents, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from csc_rules.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"
COUNCIL_PROCEDURES = [
    "councils/sefton/csc-statutory.yaml",
    "councils/sefton/corporate.yaml",
    "councils/cheshire-west/csc-statutory.yaml",
    "councils/islington/csc-statutory.yaml",
]


def run(*args: str) -> Result:
    """The CLI as a user runs it, in-process; exceptions are left in the result, not raised."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=True)


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
