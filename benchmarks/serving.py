"""`csc-rules serve` as the benchmarks start it: a child process on a free loopback port, in a
session of its own, its output in a temporary file, stopped on leaving; with what the
benchmarks read of it (the processes under it, their memory and CPU, what it logged).

Used by api.py and attacks.py, run as scripts from this folder (`python benchmarks/api.py`)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """`csc-rules serve --host 127.0.0.1 --port P OPTIONS`, started on entering (once it
    answers GET /health) and stopped on leaving."""

    def __init__(self, options: list[str]) -> None:
        self.options = options
        self.port = free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __exit__
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        script = Path(sys.executable).parent / "csc-rules"
        command = [str(script)] if script.exists() else [sys.executable, "-m", "csc_rules"]
        command += ["serve", "--host", "127.0.0.1", "--port", str(self.port), *self.options]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches the benchmark, which stops the server
        )
        try:
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
        self.log.close()

    def wait_healthy(self, seconds: float = 60.0) -> None:
        assert self.process is not None
        deadline = time.monotonic() + seconds
        url = f"http://127.0.0.1:{self.port}/health"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"csc-rules serve exited ({self.process.returncode}):\n{self.tail()}")
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
            time.sleep(0.1)
        sys.exit(f"csc-rules serve did not answer GET /health in {seconds:g} s:\n{self.tail()}")

    def logged(self) -> bytes:
        """Everything the server has written so far."""
        self.log.seek(0)
        return self.log.read()

    def tail(self) -> str:
        return self.logged().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()  # uvicorn's supervisor, with several workers, stops them in turn
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the session started above, only
            process.wait()

    def pids(self) -> list[int]:
        """The server and every process under it (uvicorn's workers, with --workers > 1)."""
        assert self.process is not None
        parents: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    stat = (entry / "stat").read_text()
                    parent = int(stat.rsplit(")", 1)[1].split()[1])
                    parents.setdefault(parent, []).append(int(entry.name))
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(parents.get(pid, ()))
        return found

    def memory_each(self, key: str = "VmRSS") -> dict[int, int]:
        """Bytes of `key` (VmRSS now, VmHWM the peak) of each of the server's processes."""
        found = {}
        for pid in self.pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith(f"{key}:"):
                        found[pid] = int(line.split()[1]) * 1024
        return found

    def memory(self, key: str = "VmRSS") -> int:
        """Bytes of `key`, summed over the server's processes."""
        return sum(self.memory_each(key).values())

    def cpu(self) -> float:
        """CPU seconds (user and system) the server's processes have used so far."""
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICK


def interrupted(*_: object) -> None:
    raise KeyboardInterrupt  # so that a `kill` stops the server on the way out, as Ctrl-C does


def run_stopping_servers(main: Callable[[], None]) -> None:
    """`main`, stopped by Ctrl-C or a `kill` with its servers stopped on the way out."""
    signal.signal(signal.SIGTERM, interrupted)
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted; the server is stopped")
