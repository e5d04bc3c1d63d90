"""The work a request can make a running server do, and the size of its answer: a case of
100,000 keys, a batch of blank lines, a long reference, a batch of junk lines. Every answer is
bounded whatever was sent, and the server keeps answering /health while the work is done."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from conftest import ROOT
from test_server import HANG_TIMEOUT, NDJSON, PROBLEM, Api, start, stop

GOOD = json.loads((ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()[0])


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    process, base = start()
    yield Api(base)
    stop(process)


def wide(keys: int) -> bytes:
    """A JSON object of `keys` keys `"k000000": 0`, 14 characters apart: the colon of key i
    (from 0) is at column 11 + 14 * i."""
    return ("{" + ", ".join(f'"k{i:06d}": 0' for i in range(keys)) + "}").encode()


def test_a_case_of_a_hundred_thousand_keys_is_refused_at_the_bound(api: Api) -> None:
    body = wide(70_000)  # 980 KB, under the 1 MB a body may be
    status, kind, answer = api.call("POST", "/cases/evaluate", body)
    assert (status, kind) == (422, PROBLEM)
    problem = json.loads(answer)
    assert problem["code"] == "too-large" and "more than 5,000 keys" in problem["detail"]
    assert "CSC_RULES_MAX_KEYS" in problem["detail"]
    # the 5,001st key (i = 5,000): its colon at column 11 + 70,000
    assert [(p["line"], p["column"]) for p in problem["problems"]] == [(1, 70_011)]
    assert len(answer) < 2_000  # before: 18 MB, one problem a key

    status, _, answer = api.call("POST", "/cases/evaluate-batch", body + b"\n", NDJSON)
    line = json.loads(answer)
    assert status == 200 and line["error"]["code"] == "too-large" and len(answer) < 2_000
    status, problem = api.json("POST", "/cases/due", body + b"\n", content_type=NDJSON)
    assert status == 422 and problem["code"] == "too-large"


def test_located_problems_are_capped_with_how_many_more_there_were(api: Api) -> None:
    # 250 unknown keys beside a good case: 250 problems, one a key
    case = {**GOOD, **{f"extra-{i}": 1 for i in range(250)}}
    status, problem = api.json("POST", "/cases/evaluate", json.dumps(case).encode())
    assert status == 422 and problem["code"] == "unknown-key"
    assert len(problem["problems"]) == 100 and problem["more_problems"] == 150

    status, _, answer = api.call(
        "POST", "/cases/evaluate-batch", json.dumps(case).encode() + b"\n", NDJSON
    )
    error = json.loads(answer)["error"]
    assert len(error["problems"]) == 100 and error["more_problems"] == 150

    status, problem = api.json("POST", "/cases/due", b"1\n" * 130, content_type=NDJSON)
    assert status == 422 and len(problem["problems"]) == 100 and problem["more_problems"] == 30

    procedure = yaml.safe_load(
        (ROOT / "councils" / "sefton" / "csc-statutory.yaml").read_text(encoding="utf-8")
    )
    procedure.update({f"extra-{i}": 1 for i in range(250)})
    text = yaml.safe_dump(procedure).encode()
    status, report = api.json("POST", "/validate", text, content_type="application/yaml")
    assert status == 200 and report["valid"] is False
    assert len(report["problems"]) == 100
    assert report["more_problems"] == report["errors"] + report["warnings"] - 100 >= 150


def stream_blank_lines(base: str, path: str, total: int) -> bytes:
    """`total` bytes of newlines posted in pieces, as a client streams a batch; the answer."""
    port = int(base.rsplit(":", 1)[1])
    piece = b"\n" * 65_536
    with socket.create_connection(("127.0.0.1", port), timeout=HANG_TIMEOUT) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: {NDJSON}\r\n"
            "transfer-encoding: chunked\r\nconnection: close\r\n\r\n".encode()
        )
        for _ in range(total // len(piece)):
            sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
        sock.sendall(b"0\r\n\r\n")
        answer = b""
        while piece := sock.recv(65_536):
            answer += piece
    return answer


@pytest.mark.parametrize("path", ["/cases/evaluate-batch", "/cases/due"])
def test_health_is_answered_while_a_batch_of_blank_lines_is_read(api: Api, path: str) -> None:
    """The lines are split in a worker thread, not on the event loop. (Measured on a 2-core
    machine: /health's median was 0.40 s while 20 MB was split on the loop, 0.013 s after.)"""
    waits: list[float] = []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set() and len(waits) < 500:
            began = time.monotonic()
            with urllib.request.urlopen(api.base + "/health", timeout=HANG_TIMEOUT) as answer:
                answer.read()
            waits.append(time.monotonic() - began)
            time.sleep(0.05)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        answer = stream_blank_lines(api.base, path, 20 * 1024 * 1024)
    finally:
        done.set()
        poller.join(timeout=HANG_TIMEOUT)
    assert answer.startswith(b"HTTP/1.1 200")
    assert waits and max(waits) < 10


def test_a_long_reference_is_refused_and_never_echoed_whole(api: Api) -> None:
    body = json.dumps({**GOOD, "case": "x" * 60_000}).encode()
    status, problem = api.json("POST", "/cases/evaluate", body)
    assert status == 422 and problem["code"] == "invalid-value"
    assert problem["problems"][0]["yaml_path"] == "$.case"
    assert "60,000 characters long: shorten it to at most 200" in problem["detail"]
    status, _, answer = api.call("POST", "/cases/evaluate-batch", body + b"\n", NDJSON)
    line = json.loads(answer)
    assert line["case"] == "x" * 100 + "... (60,000 characters)"
    assert len(answer) < 1_000  # before: 60 KB, the reference echoed whole


def lines_of(answer: bytes) -> list[Any]:
    return [json.loads(line) for line in answer.decode().splitlines()]


def test_a_batch_of_junk_lines_is_cut_short_and_its_answer_stays_small(api: Api) -> None:
    """The batch ends at the bound on error lines, and the rest of the body is read and dropped:
    a client still sending (urllib sends the whole body before it reads) gets the answer, not a
    reset connection."""
    body = b"1\n" * 1_000_000  # 2 MB, far more than is sent before the bound is reached
    status, _, answer = api.call("POST", "/cases/evaluate-batch", body, NDJSON)
    lines = lines_of(answer)
    assert status == 200 and len(lines) == 1_001  # 1,000 answered, then why the rest was not
    assert all(line["error"]["code"] == "wrong-type" for line in lines[:-1])
    last = lines[-1]
    assert last["case"] is None and last["error"]["code"] == "too-many-errors"
    assert "more than 1,000 lines" in last["error"]["detail"]
    assert len(answer) / len(body) < 0.2  # before: 105 times what was sent

    status, problem = api.json("POST", "/cases/due", body, content_type=NDJSON)
    assert status == 422 and problem["code"] == "too-many-errors"
    assert len(json.dumps(problem)) < 50_000


def test_the_bound_on_error_lines_is_a_serve_option() -> None:
    process, base = start("--max-batch-errors", "3")
    try:
        good = json.dumps(GOOD).encode()
        body = b"\n".join([good, b"1", b"2", good, b"3", b"4", good, b"5"]) + b"\n"
        status, _, answer = Api(base).call("POST", "/cases/evaluate-batch", body, NDJSON)
        lines = lines_of(answer)
        # good, 1, 2, good, 3: three errors answered; 4 is the fourth: the batch ends there
        assert status == 200 and len(lines) == 6
        assert [("error" in line) for line in lines[:5]] == [False, True, True, False, True]
        assert lines[5]["error"]["code"] == "too-many-errors"
        assert "more than 3 lines" in lines[5]["error"]["detail"]
    finally:
        stop(process)
