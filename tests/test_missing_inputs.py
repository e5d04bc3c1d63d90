"""A name that is not there is said to be missing, in words that point at it, before anything
else is asked of it: an export with no file (not its mapping), a --documents folder that does
not exist, and `docs -o` naming a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, run


@pytest.mark.parametrize("name", ["export.csv", "book.xlsx"])
def test_an_export_that_is_not_there_is_missing_not_unmapped(tmp_path: Path, name: str) -> None:
    for command in ("run", "due"):
        result = run(command, str(tmp_path / name))
        assert result.exit_code == 1
        assert "error[file-not-found]: there is no such file" in result.output, result.output
        assert "mapping" not in result.output


def test_a_documents_folder_that_is_not_there_is_a_usage_error(tmp_path: Path) -> None:
    result = run("sources", "--documents", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_docs_into_a_file_says_it_is_a_file() -> None:
    readme = ROOT / "README.md"
    before = readme.read_bytes()
    result = run("docs", "-o", str(readme))
    assert result.exit_code == 1
    assert "it is a file, not a folder" in result.output
    assert readme.read_bytes() == before
