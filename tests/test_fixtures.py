"""One broken file per error code: each must give that code, in that file, on the marked line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, ROOT, assert_no_crash, run
from csc_rules import validate

MARKER = "# <- here"
WARNINGS = {"conflict", "longer-than-statute"}  # the codes that do not fail validate
BASELINE_NOTES = {("conflict", (ROOT / "rules/baseline/csc-statutory.yaml").resolve())}
FIXTURE_FILES = sorted(FIXTURES.glob("*.yaml"))


def expectation(path: Path) -> tuple[str, int]:
    """The code named on the fixture's first line, and the line carrying the marker (else 1)."""
    raw = path.read_bytes()
    match = re.match(rb"# expect: ([a-z-]+)", raw)
    code = match.group(1).decode() if match else path.stem  # a binary fixture cannot say it
    lines = raw.split(b"\n")
    marked = [n for n, line in enumerate(lines, 1) if MARKER.encode() in line]
    return code, marked[0] if marked else 1


def also_expected(path: Path) -> set[str]:
    """Codes a fixture says come with its own by nature (`# also: ...` on its second line)."""
    match = re.search(rb"^# also: ([a-z -]+)$", path.read_bytes(), re.M)
    return set(match.group(1).decode().split()) if match else set()


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_fixture_reports_its_code_file_and_line(path: Path) -> None:
    code, line = expectation(path)
    found = [(d.code, Path(d.path).resolve(), d.line) for d in validate([path]).diagnostics]
    assert (code, path, line) in found
    # The baseline's own recorded conflicts come with every procedure that extends it.
    others = [f for f in found if f != (code, path, line) and (f[0], f[1]) not in BASELINE_NOTES]
    assert {c for c, _, _ in others} <= also_expected(path), others


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_cli_exit_code_and_line_format(path: Path) -> None:
    code, line = expectation(path)
    result = run("validate", str(path))
    severity = "warning" if code in WARNINGS else "error"
    assert result.exit_code == (0 if severity == "warning" else 1), result.output
    assert re.search(
        rf"^\S*{re.escape(path.name)}:{line}:\d+: {severity}\[{code}\]: \S", result.stdout, re.M
    ), result.stdout
    assert_no_crash(result)


def test_missing_file() -> None:
    result = run("validate", "no-such-procedure.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "no-such-procedure.yaml:1:1: error[file-not-found]: no such file"
    )


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "locked.yaml"
    target.write_text("procedure: test/locked\n")
    real = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.yaml":
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)  # as root, chmod cannot make a file unreadable
    report = validate([target])
    assert [(d.code, d.line) for d in report.diagnostics] == [("file-unreadable", 1)]
    assert "Permission denied" in report.diagnostics[0].message


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    target = tmp_path / "latin1.yaml"
    target.write_bytes("procedure: test/x\ntitle: Caf\xe9\n".encode("latin-1"))
    [problem] = validate([target]).diagnostics
    assert (problem.code, problem.line, problem.column) == ("binary-file", 2, 11)
    assert "UTF-8" in problem.message


def test_every_documented_code_has_a_fixture_and_back() -> None:
    """The policy officers' table of codes, the fixtures and the engine must agree."""
    page = (ROOT / "docs" / "policy-officers.md").read_text(encoding="utf-8")
    table = page.split("| code | what is wrong |", 1)[1].split("\n\n", 1)[0]
    documented = set(re.findall(r"`([a-z]+(?:-[a-z]+)*)`", table))
    fixtures = {expectation(p)[0] for p in FIXTURE_FILES}
    tested_without_fixture = {"file-not-found", "file-unreadable"}
    assert documented == fixtures | tested_without_fixture
