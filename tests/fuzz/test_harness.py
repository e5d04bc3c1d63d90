"""The judge itself: a crash, a hang, a traceback, an internal error and output that is not one
JSON document are each seen, so that a green fuzz run means csc-rules did not do them."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import _harness
from ._harness import Outcome, Worker, json_problem, safety_problems, slowdown, too_slow

# A stand-in for _worker.py that speaks its protocol and misbehaves as the request asks.
FAKE_WORKER = """
import ctypes, json, os, sys, time
replies = os.fdopen(int(sys.argv[1]), "w")
for line in sys.stdin:
    what = json.loads(line)["args"][0]
    if what == "crash":
        ctypes.string_at(0)  # a segmentation fault
    if what == "hang":
        time.sleep(300)
    replies.write(json.dumps({"code": 0, "stdout": what, "stderr": ""}) + "\\n")
    replies.flush()
"""


@pytest.fixture
def fake(tmp_path: Path) -> Worker:
    script = tmp_path / "fake_worker.py"
    script.write_text(FAKE_WORKER, encoding="utf-8")
    return Worker(tmp_path, timeout=2.0, script=script)


def test_a_crash_is_seen_and_the_next_command_gets_a_new_process(fake: Worker) -> None:
    crashed = fake.run("crash")
    assert crashed.died and crashed.code == -11, crashed.describe()
    assert safety_problems(crashed, 10) == ["crash"]
    answered = fake.run("hello")
    assert (answered.code, answered.stdout) == (0, "hello")
    fake.close()


def test_a_hang_is_stopped_at_the_time_limit(fake: Worker) -> None:
    hung = fake.run("hang")
    # stopped at its 2 seconds, long before the fake would answer (however busy the machine)
    assert hung.timed_out and 2.0 <= hung.seconds < 120, hung.describe()
    assert safety_problems(hung, 10) == ["timeout"]
    assert fake.run("again").stdout == "again"
    fake.close()


def outcome(code: int | None = 0, stdout: str = "", stderr: str = "", **kw: object) -> Outcome:
    return Outcome(("x",), code, stdout, stderr, 0.1, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seen", "problems"),
    [
        (outcome(1, stderr="Error: no such file"), []),
        (outcome(2), []),
        (outcome(3), ["other-exit"]),
        (outcome(1, stderr='Traceback (most recent call last):\n  File "x"'), ["traceback"]),
        (outcome(1, stderr="csc-rules: internal error (KeyError: 'x')."), ["internal-error"]),
        (outcome(-9, died=True), ["crash"]),
        (outcome(None), ["timeout"]),
    ],
)
def test_what_is_judged_a_problem(seen: Outcome, problems: list[str]) -> None:
    assert safety_problems(seen, 10) == problems


@pytest.fixture
def own_measurements(monkeypatch: pytest.MonkeyPatch) -> None:
    """Measurements of the test's own, so that none counts for the rest of the run."""
    monkeypatch.setattr(_harness, "_SLOWDOWNS", [])


@pytest.mark.usefixtures("own_measurements")
def test_an_answer_after_the_scaled_limit_is_slow() -> None:
    late = Outcome(("x",), 0, "", "", seconds=10 * 1000)
    assert safety_problems(late, 10) == ["slow"]


@pytest.mark.usefixtures("own_measurements")
def test_the_machines_slowdown_is_measured_and_at_least_1() -> None:
    first = slowdown()
    assert first >= 1.0
    assert slowdown() == first  # measured once, then kept
    assert slowdown(again=True) >= first  # the worst measurement counts


def test_a_limit_is_scaled_by_the_slowdown(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[bool] = []

    def three_times_slower(again: bool = False) -> float:
        asked.append(again)
        return 3.0

    monkeypatch.setattr(_harness, "slowdown", three_times_slower)
    assert not too_slow(29.0, 10) and asked == [False]
    assert too_slow(31.0, 10) and asked == [False, False, True]  # measured again first


@pytest.mark.parametrize(
    ("fmt", "stdout", "documents", "bad"),
    [
        ("json", '{"a": 1}\n', None, False),
        ("json", "", None, True),
        ("json", '{"a": 1}\n{"b": 2}\n', None, True),
        ("json", "Error: x\n", None, True),
        ("jsonl", '{"a": 1}\n{"b": 2}\n', 2, False),
        ("jsonl", '{"a": 1}\n', 2, True),
        ("jsonl", '{"a": "x\u2028y"}\n', 1, False),
        ("jsonl", "{\n}\n", None, True),
        ("jsonl", '{"error": {"code": "x"}}\n', 4, False),  # the command failed: one line
        ("jsonl", '{"case": "A", "error": {"code": "x"}}\n', 4, True),
    ],
)
def test_what_is_judged_not_json(fmt: str, stdout: str, documents: int | None, bad: bool) -> None:
    assert (json_problem(outcome(0, stdout), fmt, documents) is not None) == bad
