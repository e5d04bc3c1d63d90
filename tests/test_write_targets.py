"""Every command that writes a file writes only over a regular file (or none): a pipe, a device, a
socket or a folder named by -o is refused with one line, exit 1, and left exactly as it was."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run
from csc_rules.application.output import write_files
from csc_rules.errors import WriteError

# These attack the writers with what a POSIX system has (Linux, as CI runs): where it lacks
# one, the tests fail saying so, rather than pass by not running.
POSIX = "these tests need a POSIX system (Linux, as .ci/run uses)"


@pytest.fixture(autouse=True)
def _posix() -> None:
    assert hasattr(os, "mkfifo"), f"{POSIX}: this one has no named pipes (os.mkfifo)"


# One case of Sefton's, for the commands that read a caseload.
CASE = (
    '{"case": "XMAS-1", "procedure": "sefton/csc-statutory", "events": '
    '[{"date": "2024-12-20", "event": "complaint-received"}]}\n'
)

# The commands that write one file with -o, each with what it needs besides.
FILE_WRITERS = {
    "compile": ["compile", "islington/csc-statutory"],
    "show": ["show", "islington/csc-statutory"],
    "show --catalogue": ["show", "--catalogue"],
    "schema": ["schema"],
    "due": ["due", "{cases}", "--as-of", "2025-01-10"],
    "impact": ["impact", "{cases}", "--proposed", "{proposed}", "--as-of", "2025-01-10"],
    "report": ["report", "{cases}", "--year", "2024-25"],
}
# The commands whose -o is a folder to write into.
FOLDER_WRITERS = {
    "compile --all": ["compile", "--all"],
    "show --all": ["show", "--all"],
    "docs": ["docs"],
}


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, str]:
    """A caseload and a proposed procedure, in a folder of their own."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "cases.jsonl").write_text(CASE, encoding="utf-8")
    shutil.copy(ROOT / "councils/sefton/csc-statutory.yaml", folder / "csc-statutory.yaml")
    return {"cases": str(folder / "cases.jsonl"), "proposed": str(folder / "csc-statutory.yaml")}


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A named pipe. Opening one blocks until the other end is opened too, so a writer that got
    as far as opening it would hang the suite: the alarm turns that into a failure instead."""
    path = tmp_path / "out.pipe"
    os.mkfifo(path)

    def hung(*_: object) -> None:
        raise TimeoutError(f"a command opened {path} and waited on it")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield path
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def command(args: list[str], inputs: dict[str, str], output: Path) -> list[str]:
    return [arg.format(**inputs) for arg in args] + ["-o", str(output)]


def is_fifo(path: Path) -> bool:
    return stat.S_ISFIFO(path.lstat().st_mode)


@pytest.mark.parametrize("args", FILE_WRITERS.values(), ids=FILE_WRITERS.keys())
def test_a_file_writer_refuses_a_named_pipe(
    args: list[str], inputs: dict[str, str], fifo: Path
) -> None:
    result = run(*command(args, inputs, fifo))
    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"Error: cannot write {fifo}: it is a named pipe (FIFO), not a regular file, and will "
        "not be replaced; give the name of a file\n"
    )
    assert is_fifo(fifo)
    assert sorted(p.name for p in fifo.parent.iterdir()) == ["inputs", "out.pipe"]


@pytest.mark.parametrize("args", FOLDER_WRITERS.values(), ids=FOLDER_WRITERS.keys())
def test_a_folder_writer_refuses_a_named_pipe(
    args: list[str], inputs: dict[str, str], fifo: Path
) -> None:
    result = run(*command(args, inputs, fifo))
    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"Error: cannot write into {fifo}: it is a named pipe (FIFO), not a folder; "
        "give -o a folder\n"
    )
    assert is_fifo(fifo)
    assert sorted(p.name for p in fifo.parent.iterdir()) == ["inputs", "out.pipe"]


def test_the_site_refuses_a_named_pipe(fifo: Path) -> None:
    result = run("site", "-o", str(fifo))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {fifo}: is a named pipe (FIFO), not a folder; give a folder for the site\n"
    )
    assert is_fifo(fifo)


def test_a_link_to_a_pipe_is_refused_and_a_link_to_a_file_written_through(
    tmp_path: Path, fifo: Path
) -> None:
    to_pipe = tmp_path / "pipe-link.json"
    to_pipe.symlink_to(fifo)
    refused = run("compile", "islington/csc-statutory", "-o", str(to_pipe))
    assert refused.exit_code == 1 and "it is a named pipe (FIFO)" in refused.stderr
    assert to_pipe.is_symlink() and is_fifo(fifo)
    real = tmp_path / "real.json"
    real.write_text("old\n", encoding="utf-8")
    to_file = tmp_path / "file-link.json"
    to_file.symlink_to(real)
    assert run("compile", "islington/csc-statutory", "-o", str(to_file)).exit_code == 0
    assert to_file.is_symlink() and real.read_text(encoding="utf-8").startswith("{")


def test_nothing_is_staged_when_one_target_is_not_a_regular_file(tmp_path: Path) -> None:
    assert hasattr(socket, "AF_UNIX"), f"{POSIX}: this one has no Unix sockets"
    first = tmp_path / "first.json"
    first.write_text("old\n", encoding="utf-8")
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(tmp_path / "s.sock"))
        with pytest.raises(WriteError, match=r"s\.sock: it is a socket, not a regular file"):
            write_files({first: "new\n", tmp_path / "s.sock": "new\n"})
    assert first.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.json", "s.sock"]


def guarded(rename: Callable[..., None], device: Path) -> Callable[..., None]:
    """`rename` (os.replace or os.rename), except that it fails over `device`."""

    def checked(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        if os.path.realpath(target) == str(device):
            raise AssertionError(f"a writer tried to rename a file over {device}")
        rename(source, target, *args, **kwargs)

    return checked


@pytest.mark.parametrize("args", FILE_WRITERS.values(), ids=FILE_WRITERS.keys())
def test_dev_null_is_refused_untouched(
    args: list[str], inputs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Run as root, renaming a file over /dev/null replaces the machine's. The writers refuse
    # before they rename anything; should that ever break, these make the rename fail instead.
    null = Path("/dev/null")
    assert null.is_char_device(), f"{POSIX}: this one has no /dev/null device"
    for name in ("replace", "rename"):
        monkeypatch.setattr(os, name, guarded(getattr(os, name), null))
    before = null.lstat()
    result = run(*command(args, inputs, null))
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "Error: cannot write /dev/null: it is a character device, not a regular file, and will "
        "not be replaced; give the name of a file\n"
    )
    after = null.lstat()
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
