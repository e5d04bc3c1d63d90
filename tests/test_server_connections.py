"""The connection layer of `csc-rules serve` under attack, over raw sockets on 127.0.0.1: a head
that never ends, connections that send nothing or a byte at a time, malformed requests, more
connections than allowed and a client that leaves mid-body. Every loop is bounded in count and
time; verdicts rest on statuses and sizes, never on how fast the machine is."""

from __future__ import annotations

import json
import select
import socket
import time
import urllib.error
import urllib.request

from jsonschema import Draft202012Validator

from conftest import ROOT
from test_server import free_port, start_on, stop

PROBLEM = "application/problem+json"
# A bound no healthy answer comes near, however busy the machine, and that only a hang reaches.
GENEROUS = 10.0


def _log(process: object) -> str:
    log = process.log  # type: ignore[attr-defined]
    log.seek(0)
    return str(log.read().decode("utf-8", "replace"))


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=GENEROUS)
    return sock


def read_answer(sock: socket.socket, limit: int = 1_000_000) -> bytes:
    """Everything the server sends until it closes, within the bounds on size and time."""
    sock.settimeout(GENEROUS)
    data = b""
    deadline = time.monotonic() + GENEROUS
    while len(data) < limit and time.monotonic() < deadline:
        try:
            piece = sock.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            break
        if not piece:
            break
        data += piece
    return data


def parse(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def health(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=GENEROUS) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def assert_problem(answer: bytes, status: int, code: str) -> dict[str, object]:
    got, headers, body = parse(answer)
    assert got == status, answer[:300]
    assert headers.get("content-type") == PROBLEM
    assert headers.get("connection") == "close"
    # answered before the app, and still with the security headers every answer carries
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("cache-control") == "no-store"
    document = json.loads(body)
    assert document["status"] == status and document["code"] == code
    schema = json.loads((ROOT / "rules" / "problem-details.schema.json").read_text())
    Draft202012Validator(schema).validate(document)
    assert int(headers["content-length"]) == len(body)
    return dict(document)


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_headers_that_never_end_are_cut_off_with_431() -> None:
    """20 MB of headers offered on one connection: the server stops reading at its bound on a
    request's head, answers 431 and closes, and its memory does not follow the attacker."""
    port = free_port()
    process, _ = start_on(port)
    try:
        before = rss_kb(process.pid)
        sock = connect(port)
        sock.sendall(b"GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n")
        line = b"x-filler: " + b"a" * 1000 + b"\r\n"
        sent, deadline = 0, time.monotonic() + GENEROUS
        while sent < 20_000_000 and time.monotonic() < deadline:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered: stop sending and read it
            try:
                sock.sendall(line * 64)
            except OSError:
                break
            sent += len(line) * 64
        answer = read_answer(sock)
        sock.close()
        assert_problem(answer, 431, "headers-too-large")
        assert sent < 10_000_000, f"the server read {sent:,} bytes of headers"
        assert rss_kb(process.pid) - before < 20_000
        assert health(port) == 200
    finally:
        stop(process)


def test_a_head_just_under_the_bound_is_answered() -> None:
    port = free_port()
    process, _ = start_on(port)
    try:
        sock = connect(port)
        filler = b"".join(b"x-filler-%d: %s\r\n" % (n, b"a" * 900) for n in range(60))
        sock.sendall(b"GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n" + filler)
        sock.sendall(b"\r\n")
        status, _, _ = parse(read_answer(sock))
        sock.close()
        assert status == 200
    finally:
        stop(process)


def test_idle_connections_are_closed_so_others_are_served() -> None:
    """As many idle connections as the server takes: each is closed, with no answer, once the
    header timeout passes, and /health is answered again."""
    port = free_port()
    process, _ = start_on(port, "--max-connections", "20", "--header-timeout", "1")
    idle: list[socket.socket] = []
    try:
        idle = [connect(port) for _ in range(20)]
        answered, deadline = 0, time.monotonic() + GENEROUS
        while answered != 200 and time.monotonic() < deadline:
            answered = health(port)
            if answered != 200:
                time.sleep(0.2)
        assert answered == 200
        for sock in idle:
            assert read_answer(sock) == b""  # closed, nothing said: nothing was asked
    finally:
        for sock in idle:
            sock.close()
        stop(process)


def test_one_client_cannot_hold_every_place() -> None:
    """A client that opens connections again as fast as they are closed would hold every place
    of --max-connections however short the header timeout: one address holds at most
    --max-client-connections, and the rest are answered 503 at once, so another client is
    served. (The attacker connects from 127.0.0.2, another loopback address.)"""
    port = free_port()
    process, _ = start_on(
        port,
        "--max-connections",
        "10",
        "--max-client-connections",
        "3",
        "--header-timeout",
        "30",
    )
    held: list[socket.socket] = []
    try:
        for _ in range(10):  # as many as the server takes in all
            sock = socket.create_connection(
                ("127.0.0.1", port), timeout=GENEROUS, source_address=("127.0.0.2", 0)
            )
            held.append(sock)
        answers = [read_answer(sock, limit=4096) if i >= 3 else b"" for i, sock in enumerate(held)]
        for answer in answers[3:]:
            document = assert_problem(answer, 503, "too-many-connections")
            assert "more than 3 connections" in str(document["detail"])
        assert health(port) == 200  # from 127.0.0.1, while 127.0.0.2 holds its three
    finally:
        for sock in held:
            sock.close()
        stop(process)


def test_a_slowloris_is_cut_off_with_408() -> None:
    """One byte of header every 0.2 s: the head never comes whole within the header timeout,
    so the connection is answered 408 and closed."""
    port = free_port()
    process, _ = start_on(port, "--header-timeout", "1")
    try:
        sock = connect(port)
        sock.sendall(b"GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n")
        dribble = b"x-slow: " + b"b" * 200
        for byte in dribble[: int(GENEROUS / 0.2)]:
            if select.select([sock], [], [], 0)[0]:
                break
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            time.sleep(0.2)
        document = assert_problem(read_answer(sock), 408, "timed-out")
        assert "1 second" in str(document["detail"])
        sock.close()
        assert health(port) == 200
    finally:
        stop(process)


def test_keep_alive_still_serves_a_second_request() -> None:
    port = free_port()
    process, _ = start_on(port, "--header-timeout", "2")
    try:
        sock = connect(port)
        for _ in range(2):
            sock.sendall(b"GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")
            data = b""
            for _ in range(100):  # one answer, read to its last byte
                status, headers, body = parse(data)
                if "content-length" in headers and len(body) >= int(headers["content-length"]):
                    break
                piece = sock.recv(65536)
                assert piece, "the connection was closed between requests"
                data += piece
            assert status == 200 and json.loads(body)["status"] == "ok"
        sock.close()
    finally:
        stop(process)


def test_a_malformed_request_is_a_problem_document() -> None:
    port = free_port()
    process, _ = start_on(port)
    try:
        sock = connect(port)
        sock.sendall(b"GET /health HTTP/1.1\r\nbad header with no colon\r\n\r\n")
        assert_problem(read_answer(sock), 400, "bad-request")
        sock.close()
    finally:
        stop(process)


def test_more_connections_than_allowed_is_a_problem_document() -> None:
    port = free_port()
    process, _ = start_on(port, "--max-connections", "2", "--header-timeout", "30")
    idle: list[socket.socket] = []
    try:
        idle = [connect(port) for _ in range(2)]
        time.sleep(0.5)  # the server has taken them (an outcome, not a timing: 3 > 2 either way)
        sock = connect(port)
        sock.sendall(b"GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")
        answer = read_answer(sock)
        sock.close()
        assert_problem(answer, 503, "too-many-connections")
        assert parse(answer)[1].get("retry-after")
    finally:
        for sock in idle:
            sock.close()
        stop(process)


def test_a_client_leaving_mid_body_is_not_logged_as_a_server_error() -> None:
    port = free_port()
    process, _ = start_on(port)
    try:
        for _ in range(5):
            sock = connect(port)
            sock.sendall(
                b"POST /cases/evaluate HTTP/1.1\r\nhost: 127.0.0.1\r\n"
                b"content-type: application/json\r\ncontent-length: 1000\r\n\r\n" + b'{"case": "'
            )
            time.sleep(0.1)
            sock.close()
        assert health(port) == 200
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and "Traceback" not in _log(process):
            time.sleep(0.2)
        log = _log(process)
        assert "Traceback" not in log and "unexpected error" not in log, log[-2000:]
    finally:
        stop(process)


def test_an_upgrade_to_websocket_is_answered_as_plain_http() -> None:
    """The API has no WebSocket route: an upgrade asked for is not taken, the request is
    answered as HTTP, and the log does not tell the operator to install a WebSocket library."""
    port = free_port()
    process, _ = start_on(port)
    try:
        sock = connect(port)
        sock.sendall(
            b"GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: Upgrade, close\r\n"
            b"upgrade: websocket\r\nsec-websocket-version: 13\r\n"
            b"sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        )
        status, _, body = parse(read_answer(sock))
        sock.close()
        assert status == 200 and json.loads(body)["status"] == "ok"
        assert "WebSocket" not in _log(process)
    finally:
        stop(process)
