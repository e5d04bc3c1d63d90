"""Writing is safe: never over an input, each file whole or not at all, and `--all` all or nothing."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import COUNCIL_PROCEDURE_IDS, ROOT, run
from csc_rules.application.output import refuse_inputs, write_files
from csc_rules.errors import WriteError

ISLINGTON = "councils/islington/csc-statutory.yaml"


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("command", ["compile", "show"])
def test_refuses_to_write_over_the_procedure_it_reads(tmp_path: Path, command: str) -> None:
    source = tmp_path / "isl.yaml"
    shutil.copy(ROOT / ISLINGTON, source)
    before = source.read_bytes()
    result = run(command, str(source), "-o", str(source))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: refusing to write {source}: it is {source}, which this command reads; "
        "give -o a different file or folder\n"
    )
    assert source.read_bytes() == before
    assert files_in(tmp_path) == {"isl.yaml": before}  # no temporary file left behind


def test_refuses_to_write_over_the_compiled_file_it_reads(tmp_path: Path) -> None:
    compiled = tmp_path / "isl.json"
    assert run("compile", "islington/csc-statutory", "-o", str(compiled)).exit_code == 0
    before = compiled.read_bytes()
    result = run("compile", str(compiled), "-o", str(tmp_path / "." / "isl.json"))
    assert result.exit_code == 1 and "refusing to write" in result.stderr
    assert compiled.read_bytes() == before


@pytest.mark.skipif(os.name == "nt", reason="links need privileges on Windows")
def test_an_input_reached_by_another_name_is_still_an_input(tmp_path: Path) -> None:
    source = tmp_path / "isl.yaml"
    source.write_text("procedure: x\n", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(source)
    os.link(source, tmp_path / "hard.yaml")
    for other in ("link.yaml", "hard.yaml"):
        with pytest.raises(WriteError, match="refusing to write"):
            refuse_inputs([tmp_path / other], [source])
    refuse_inputs([tmp_path / "new.json"], [source])  # a new file is fine


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "isl.json"
    target.write_text("the old contents\n", encoding="utf-8")

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(os, "replace", full_disk)
    result = run("compile", "islington/csc-statutory", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {target}: No space left on device;")
    assert files_in(tmp_path) == {"isl.json": b"the old contents\n"}


def test_several_files_are_all_staged_before_any_is_replaced(tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    first.write_text("old\n", encoding="utf-8")
    (tmp_path / "second.json").mkdir()  # cannot be written: it is a folder
    with pytest.raises(WriteError, match="second.json: it is a folder"):
        write_files({first: "new\n", tmp_path / "second.json": "new\n"})
    assert first.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.json", "second.json"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_rewritten_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o640)
    write_files({target: "[]\n"})
    assert (target.read_text(encoding="utf-8"), target.stat().st_mode & 0o777) == ("[]\n", 0o640)


@pytest.fixture
def a_broken_procedure_in_the_library(library_copy: Path) -> Path:
    """The library as it is, plus one council procedure that does not validate."""
    broken = Path("councils/islington/zzz-test.yaml")  # as the commands show it, run from the copy
    text = (library_copy / ISLINGTON).read_text(encoding="utf-8")
    broken.write_text(
        text.replace("procedure: islington/csc-statutory", "procedure: islington/zzz-test").replace(
            "anchor: stage-2-started", "anchor: nowhere"
        ),
        encoding="utf-8",
    )
    return broken


@pytest.mark.parametrize("command", ["compile", "show"])
def test_a_failed_all_writes_nothing(
    tmp_path: Path, a_broken_procedure_in_the_library: Path, command: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "islington-csc-statutory.json").write_text("old\n", encoding="utf-8")
    args = [command, "--all", "-o", str(out), "--format", "json"]
    result = run(*(args if command == "show" else args[:-2]))
    assert result.exit_code == 1
    assert "could not be" in result.stderr and f"nothing was written to {out}" in result.stderr
    assert "error[unknown-event]" in result.stderr  # the reason, located
    assert files_in(out) == {"islington-csc-statutory.json": b"old\n"}
    if command == "show":
        error = json.loads(result.stdout)["error"]
        assert error["code"] == "unknown-event"
        assert error["path"] == str(a_broken_procedure_in_the_library)
    fresh = tmp_path / "fresh"
    assert run(command, "--all", "-o", str(fresh)).exit_code == 1
    assert not fresh.exists()


def test_all_into_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")
    result = run("compile", "--all", "-o", str(target))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: cannot write into {target}: it is a file, not a folder; give -o a folder\n"
    )
    assert target.read_text(encoding="utf-8") == "old\n"


def test_show_all_json_lists_what_it_wrote(tmp_path: Path) -> None:
    result = run("show", "--all", "-o", str(tmp_path / "out"), "--format", "json")
    assert result.exit_code == 0
    written = json.loads(result.stdout)["wrote"]
    assert sorted(Path(p).name for p in written) == sorted(files_in(tmp_path / "out"))
    # the version in force of each council procedure
    assert sorted(files_in(tmp_path / "out")) == sorted(
        f"{i.replace('/', '-')}.json" for i in COUNCIL_PROCEDURE_IDS
    )
