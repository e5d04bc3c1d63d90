"""Running `csc-rules` on hostile input and judging what came back.

Two ways to run the CLI, both in a separate process so that a crash or a hang is seen, not
suffered: `Worker`, one long-lived process for the thousands of generated inputs, and `fresh`,
a new process per command for the hand-written nasty inputs, as a user's shell runs it.

What is judged (issue 10): the exit code is 0, 1 or 2; no Python traceback and no "internal
error" line on stdout or stderr; no death by a signal; an answer within the time limit, scaled by
how fast the machine is at the time (`slowdown`), so that a busy machine fails nothing. Apart
from these, and marked as issue 10 item 4 wherever it is checked: with `--format json` stdout
is exactly one JSON document (with `jsonl`, one a line).

Every judged input is counted per family in `TALLY`; tests/fuzz/conftest.py prints the table.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import selectors
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).resolve().parent / "_worker.py"

# The time limits, on the machine they were set on (two cores) doing nothing else; a verdict
# scales them by `slowdown()`. Generated inputs are small: one taking longer is too slow.
GENERATED_LIMIT = 10.0
# The bar for each hand-written nasty input.
NASTY_LIMIT = 5.0
# A command still running after this long is stopped, as a hang, however busy the machine.
HANG_TIMEOUT = 60.0
# Enough for any honest input; an alias bomb that expands in memory hits it and fails
# (MemoryError is an internal error) instead of taking the machine down with it.
MEMORY_LIMIT = 4 * 1024**3

# csc-rules caches compiled procedures on disk ($CSC_RULES_CACHE_DIR, else the user's cache
# folder). tests/fuzz/conftest.py points it at a folder of the test session, so that thousands
# of damaged procedures neither fill the user's cache nor meet what an earlier run left there.
CACHE_DIR: Path | None = None

TRACEBACK = "Traceback (most recent call last)"
INTERNAL = re.compile(r"internal error", re.IGNORECASE)


@dataclass(frozen=True)
class Outcome:
    """What one command line did."""

    args: tuple[str, ...]
    code: int | None  # the exit code; negative: killed by that signal; None: timed out
    stdout: str
    stderr: str
    seconds: float
    died: bool = False  # the process ended (a crash) instead of answering
    log: str = ""  # what the dead worker left on its stderr (faulthandler's stack)

    @property
    def timed_out(self) -> bool:
        return self.code is None

    def describe(self) -> str:
        code = "timed out" if self.timed_out else f"exit {self.code}"
        return (
            f"$ csc-rules {' '.join(_quote(a) for a in self.args)}\n"
            f"{code} after {self.seconds:.2f} s\n"
            f"--- stdout ---\n{_clip(self.stdout)}\n--- stderr ---\n{_clip(self.stderr)}"
            + (f"\n--- worker log ---\n{_clip(self.log)}" if self.log else "")
        )


def _quote(arg: str) -> str:
    return arg if re.fullmatch(r"[\w./:@=-]+", arg) else repr(arg)


def _clip(text: str, keep: int = 1500) -> str:
    if len(text) <= keep:
        return text
    return f"{text[: keep // 2]}\n... ({len(text) - keep} characters left out) ...\n{text[-keep // 2 :]}"


def _environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without anything that changes what csc-rules prints or reads."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSC_RULES_")}
    env.update({"PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "100"})
    if CACHE_DIR is not None:
        env["CSC_RULES_CACHE_DIR"] = str(CACHE_DIR)
    env.pop("PYTHONFAULTHANDLER", None)
    env.update(extra or {})
    return env


def _limit_memory() -> None:  # runs in the child, before it starts Python
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


class Worker:
    """One `csc-rules` process answering command after command (see _worker.py).

    If it dies or hangs, the outcome says so and the next command starts a new one."""

    def __init__(self, log_dir: Path, timeout: float = HANG_TIMEOUT, script: Path = WORKER) -> None:
        self.timeout = timeout
        self.log_dir = log_dir
        self.script = script
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def _start(self) -> subprocess.Popen[bytes]:
        self.starts += 1
        self.log_path = self.log_dir / f"worker-{self.starts}.log"
        self.log = self.log_path.open("wb")
        read, write = os.pipe()
        process = subprocess.Popen(
            [sys.executable, str(self.script), str(write)],
            stdin=subprocess.PIPE,
            stdout=self.log,
            stderr=self.log,
            pass_fds=(write,),
            cwd=ROOT,
            env=_environment(),
            preexec_fn=_limit_memory,
        )
        os.close(write)
        self.replies = read
        self.process = process
        return process

    def run(self, *args: str) -> Outcome:
        if self.process is not None and self.process.poll() is not None:
            self._forget()  # it ended between commands
        process = self.process or self._start()
        assert process.stdin is not None
        started = time.perf_counter()
        try:
            process.stdin.write((json.dumps({"args": list(args)}) + "\n").encode())
            process.stdin.flush()
        except BrokenPipeError:
            pass  # it died already; reading the reply says so
        line = self._read_line(started + self.timeout)
        seconds = time.perf_counter() - started
        if line is None:  # no answer in time: a hang
            self.close()
            return Outcome(tuple(args), None, "", "", seconds)
        if line == b"":  # the process ended: a crash
            code = process.wait()
            self._forget()
            log = self.log_path.read_text(encoding="utf-8", errors="replace")
            return Outcome(tuple(args), code if code else -1, "", "", seconds, True, log)
        reply = json.loads(line)
        return Outcome(tuple(args), reply["code"], reply["stdout"], reply["stderr"], seconds)

    def _read_line(self, deadline: float) -> bytes | None:
        """One reply line; b"" if the worker died; None if none came by `deadline`."""
        buffer = bytearray()
        with selectors.DefaultSelector() as selector:
            selector.register(self.replies, selectors.EVENT_READ)
            while True:
                remaining = deadline - time.perf_counter()
                if remaining <= 0 or not selector.select(remaining):
                    return None
                chunk = os.read(self.replies, 1 << 20)
                if not chunk:
                    return b""
                buffer += chunk
                if buffer.endswith(b"\n"):
                    return bytes(buffer)

    def _forget(self) -> None:
        """Let go of a process that has ended: its pipes and its log."""
        if self.process is not None and self.process.stdin is not None:
            with contextlib.suppress(OSError):  # a broken pipe, if it died mid-request
                self.process.stdin.close()
        with contextlib.suppress(OSError):
            os.close(self.replies)
        self.log.close()
        self.process = None

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self._forget()


def command() -> list[str]:
    """The console script installed beside this Python, as a user runs it."""
    script = Path(sys.executable).with_name("csc-rules")
    return [str(script)] if script.exists() else [sys.executable, "-m", "csc_rules"]


def fresh(
    *args: str,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    timeout: float = HANG_TIMEOUT,
) -> Outcome:
    """`csc-rules ARGS` in a new process, killed if it runs past `timeout` seconds."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [*command(), *args],
            cwd=cwd,
            env=_environment(env),
            capture_output=True,
            timeout=timeout,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired as exc:
        return Outcome(
            tuple(args),
            None,
            (exc.stdout or b"").decode("utf-8", "replace"),
            (exc.stderr or b"").decode("utf-8", "replace"),
            time.perf_counter() - started,
        )
    return Outcome(
        tuple(args),
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        time.perf_counter() - started,
        died=done.returncode < 0,
    )


# -- how fast the machine is now -----------------------------------------------------------------

# What `_reference_work` takes, at its fastest, on the machine the limits were set on.
REFERENCE_SECONDS = 0.08
_SLOWDOWNS: list[float] = []


def _reference_work() -> int:
    """A fixed piece of pure-Python work, of the kind csc-rules does reading a file: building
    dictionaries, splitting and sorting strings, writing and reading JSON."""
    found = {}
    for i in range(20_000):
        key = f"stage-{i % 97}-response-{i}"
        found[key] = {"amount": i % 31, "unit": "working-days", "parts": key.split("-")}
    text = json.dumps(found, sort_keys=True)
    total = sum(len(value["parts"]) for value in json.loads(text).values())
    return total + len(sorted(found, key=lambda key: key[::-1]))


def slowdown(again: bool = False) -> float:
    """How many times slower than the reference machine this one is (at least 1): the median of
    five timings of `_reference_work` in this process, measured the first time it is asked for
    and, with `again`, once more (the worst measurement counts). A limit is scaled by it."""
    if again or not _SLOWDOWNS:
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            _reference_work()
            timings.append(time.perf_counter() - started)
        _SLOWDOWNS.append(max(1.0, sorted(timings)[2] / REFERENCE_SECONDS))
    return max(_SLOWDOWNS)


def too_slow(seconds: float, limit: float) -> bool:
    """Over `limit` scaled by the machine's slowdown, measured again before saying so: the load
    may have grown since the first measurement (then, if csc-rules processes of the test's own
    are still running beside it, the new measurement errs on the generous side)."""
    return seconds > limit * slowdown() and seconds > limit * slowdown(again=True)


def speed_line() -> str:
    """The calibration, for the summary at the end of a run."""
    if not _SLOWDOWNS:
        return "time limits: never needed"
    slowest = "; ".join(
        f"the slowest {kind} answer {seconds:.1f} s ({what})"
        for kind, (seconds, what) in sorted(SLOWEST.items())
    )
    return (
        f"time limits scaled by {max(_SLOWDOWNS):.2f} (the reference work measured "
        f"{', '.join(f'{s:.2f}' for s in _SLOWDOWNS)} times as slow as on the reference machine, "
        f"at least 1): nasty inputs {NASTY_LIMIT * max(_SLOWDOWNS):.1f} s, generated ones "
        f"{GENERATED_LIMIT * max(_SLOWDOWNS):.1f} s; a hang is stopped at {HANG_TIMEOUT:.0f} s; "
        f"{slowest}"
    )


# -- judging -----------------------------------------------------------------------------------


def safety_problems(outcome: Outcome, limit: float) -> list[str]:
    """Everything issue 10 forbids for any input whatever, as short labels."""
    found = []
    if outcome.timed_out:
        found.append("timeout")
    elif outcome.died or outcome.code is None or outcome.code < 0:
        found.append("crash")
    elif outcome.code not in (0, 1, 2):
        found.append("other-exit")
    text = outcome.stdout + outcome.stderr
    if TRACEBACK in text:
        found.append("traceback")
    if INTERNAL.search(text):
        found.append("internal-error")
    if not outcome.timed_out and too_slow(outcome.seconds, limit):
        found.append("slow")
    return found


def json_problem(outcome: Outcome, fmt: str, documents: int | None = None) -> str | None:
    """Issue 10 item 4 (the engine's owners are implementing it now): with `--format json`
    stdout is exactly one JSON document, on success and on failure; with `jsonl`, every line is
    one, `documents` of them when the number of cases is known. None if it holds."""
    if outcome.timed_out or outcome.died:
        return None  # judged as a timeout or a crash already
    if fmt == "json":
        try:
            json.loads(outcome.stdout)
        except ValueError as exc:  # JSONDecodeError, or a number too long to read
            return f"--format json: stdout is not one JSON document ({exc})"
        return None
    # Split at "\n" only: JSON text may hold U+2028 and the like, which splitlines() splits at.
    lines = [line for line in outcome.stdout.split("\n") if line.strip()]
    for number, line in enumerate(lines, 1):
        try:
            json.loads(line)
        except ValueError as exc:
            return f"--format jsonl: stdout line {number} is not a JSON document ({exc})"
    if documents is not None and len(lines) != documents and not _command_error(lines):
        return f"--format jsonl: {len(lines)} lines on stdout for {documents} case(s)"
    return None


def _command_error(lines: list[str]) -> bool:
    """One error object that is about no case: the command failed before reading any (a bad
    --as-of, say), which docs/developers.md allows in place of one line per case."""
    if len(lines) != 1:
        return False
    only = json.loads(lines[0])
    return isinstance(only, dict) and "error" in only and "case" not in only


# -- counting ----------------------------------------------------------------------------------

COLUMNS = (
    "inputs",
    "exit-0",
    "exit-1",
    "exit-2",
    "other-exit",
    "traceback",
    "internal-error",
    "crash",
    "timeout",
    "slow",
    "json-checked",
    "json-bad",
)
# Columns that must be zero: a count there is a bug found.
BAD = ("other-exit", "traceback", "internal-error", "crash", "timeout", "slow", "json-bad")
TALLY: dict[str, Counter[str]] = {}
# The slowest answer of each kind (nasty, other), and what it was: the margin under the limits.
SLOWEST: dict[str, tuple[float, str]] = {}


def _timed(family: str, seconds: float, what: str) -> None:
    kind = "nasty" if family.startswith("nasty") else "generated"
    if seconds > SLOWEST.get(kind, (0.0, ""))[0]:
        SLOWEST[kind] = (seconds, what)


def record(family: str, outcome: Outcome, problems: list[str], json_bad: str | None) -> None:
    counts = TALLY.setdefault(family, Counter())
    counts["inputs"] += 1
    _timed(family, outcome.seconds, " ".join(_quote(a) for a in outcome.args)[:80])
    if outcome.code in (0, 1, 2) and not outcome.died:
        counts[f"exit-{outcome.code}"] += 1
    for problem in problems:
        counts[problem] += 1
    if _format_of(outcome.args) in ("json", "jsonl") and not problems:
        counts["json-checked"] += 1
        counts["json-bad"] += json_bad is not None


def record_call(
    family: str,
    returned: bool,
    other: BaseException | None,
    seconds: float,
    timed_out: bool = False,
    slow: bool = False,
) -> None:
    """A Python API call: returned (counted as exit 0), refused with the project's own error
    (exit 1), any other exception (an internal error), or stopped as a hang; and whether it
    answered only after the time limit."""
    counts = TALLY.setdefault(family, Counter())
    counts["inputs"] += 1
    _timed(family, seconds, family)
    if timed_out:
        counts["timeout"] += 1
    elif other is not None:
        counts["internal-error"] += 1
    else:
        counts["exit-0" if returned else "exit-1"] += 1
    counts["slow"] += slow


def table() -> str:
    """The counts per family as a fixed-width table."""
    head = ["family", *COLUMNS]
    rows = [[family, *(str(TALLY[family][c]) for c in COLUMNS)] for family in sorted(TALLY)]
    total = Counter[str]()
    for counts in TALLY.values():
        total.update(counts)
    rows.append(["total", *(str(total[c]) for c in COLUMNS)])
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def line(row: list[str]) -> str:
        return "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )

    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, rows)])


# -- the check every generated CLI input goes through --------------------------------------------


def check(
    family: str,
    outcome: Outcome,
    *,
    limit: float = GENERATED_LIMIT,
    json_documents: int | None = None,
    json_contract: bool = False,
    reproducer: str = "",
) -> None:
    """Count `outcome` under `family`, then fail on anything issue 10 forbids. With
    `json_contract`, also fail when `--format json`/`jsonl` output is not JSON (item 4); without
    it, that is only counted, so that the safety tests are not held up by item 4."""
    fmt = _format_of(outcome.args)
    json_bad = json_problem(outcome, fmt, json_documents) if fmt in ("json", "jsonl") else None
    problems = safety_problems(outcome, limit)
    record(family, outcome, problems, json_bad)
    if problems:
        raise failure(problems[0], _culprit(outcome))(
            f"[{family}] {', '.join(problems)}\n{outcome.describe()}\n{reproducer}".rstrip()
        )
    if json_contract and json_bad:
        raise failure("not-json", outcome.args[0])(
            f"[{family}] issue 10 item 4: {json_bad}\n{outcome.describe()}\n{reproducer}".rstrip()
        )


_FAILURES: dict[str, type[AssertionError]] = {}


def failure(problem: str, detail: str = "") -> type[AssertionError]:
    """An AssertionError subclass per kind of problem (and the engine's exception, for an
    internal error), so that hypothesis reports each distinct bug it finds instead of shrinking
    every failure of a test onto the first one."""
    name = re.sub(r"\W+", "_", f"{problem} {detail}".title()).strip("_") or "Failure"
    if name not in _FAILURES:
        _FAILURES[name] = type(name, (AssertionError,), {"__module__": __name__})
    return _FAILURES[name]


def _culprit(outcome: Outcome) -> str:
    """The exception named by an internal-error line or the last line of a traceback."""
    text = outcome.stdout + outcome.stderr
    found = re.search(r"internal error \((\w+)", text) or re.search(
        r"^(\w+(?:Error|Exception))\b", text, re.MULTILINE
    )
    return found.group(1) if found else ""


def _format_of(args: tuple[str, ...]) -> str:
    for index, arg in enumerate(args):
        if arg == "--format" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--format="):
            return arg.split("=", 1)[1]
    return ""


# -- scratch files that outlive a failing example -------------------------------------------------


class Scratch:
    """Files for one generated input, deleted when the example passes and kept, for the
    reproducer, when it fails."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0

    @contextlib.contextmanager
    def folder(self) -> Iterator[Path]:
        self.count += 1
        folder = Path(tempfile.mkdtemp(prefix=f"{self.count:05d}-", dir=self.root))
        yield folder  # an exception leaves the folder in place
        shutil.rmtree(folder, ignore_errors=True)


# -- how many examples --------------------------------------------------------------------------

# The hypothesis profile that runs the fuzz suite long; registered in tests/conftest.py.
LONG_PROFILE = "fuzz"


def examples(quick: int) -> Any:
    """Settings for a fuzz test: `quick` examples in an ordinary (or CI) run, so that the
    folder stays fast; under `--hypothesis-profile=fuzz`, that profile's max_examples. No
    deadline: one example is a whole command, judged instead against a limit scaled by the
    machine's speed (`too_slow`)."""
    from hypothesis import HealthCheck, settings

    long = settings.get_current_profile_name() == LONG_PROFILE
    return settings(
        max_examples=settings.default.max_examples if long else quick,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
