"""The edges of `csc-rules serve` a council's network sees: the security headers on every answer,
the Host header (DNS rebinding), bodies any web page could post unasked (CSRF), and the start
message and request log. Each against a real server on 127.0.0.1."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import ROOT
from test_server import HANG_TIMEOUT, start, stop

JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"
EVERY_ANSWER = {
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
CASE_LINE = (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()[0]


class Answer:
    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = {k.lower(): v for k, v in response.getheaders()}
        self.body = response.read()

    def json(self) -> Any:
        return json.loads(self.body)


def ask(
    base: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request, sent with exactly the headers given (and a Host of 127.0.0.1:PORT unless
    one is given): no content type is added that the test did not set."""
    port = int(base.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG_TIMEOUT)
    try:
        given = {k.lower(): v for k, v in (headers or {}).items()}
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("host", given.pop("host", f"127.0.0.1:{port}"))
        for key, value in given.items():
            connection.putheader(key, value)
        if body is not None:
            connection.putheader("content-length", str(len(body)))
        connection.endheaders(body)
        return Answer(connection.getresponse())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    process, base = start()
    yield process, base
    stop(process)


# -- security headers ------------------------------------------------------------------------

ANSWERS = [
    ("GET", "/health", None, {}, 200),
    ("GET", "/nowhere", None, {}, 404),
    ("PUT", "/health", b"", {}, 405),
    ("GET", "/openapi.json", None, {}, 200),
    ("POST", "/cases/evaluate", b"{", {"content-type": "application/json"}, 422),
    ("POST", "/validate", b"x", {"content-type": "text/plain"}, 415),
    (
        "POST",
        "/cases/evaluate-batch",
        CASE_LINE.encode(),
        {"content-type": "application/x-ndjson"},
        200,
    ),
    ("GET", "/health", None, {"host": "rebound.example"}, 400),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status"),
    ANSWERS,
    ids=[f"{m} {p} {s}" for m, p, _, _, s in ANSWERS],
)
def test_every_answer_carries_the_security_headers(
    server: Any, method: str, path: str, body: bytes | None, headers: dict[str, str], status: int
) -> None:
    answer = ask(server[1], method, path, body, headers)
    assert answer.status == status
    for name, value in EVERY_ANSWER.items():
        assert answer.headers.get(name) == value, name
    assert answer.headers.get("content-security-policy") == JSON_POLICY


def test_the_docs_page_may_apply_its_own_style_and_nothing_else(server: Any) -> None:
    """The page runs no script and loads nothing; its one inline style sheet is allowed by its
    hash, worked out here from the page as served."""
    answer = ask(server[1], "GET", "/docs")
    page = answer.body.decode()
    assert answer.status == 200 and answer.headers["x-content-type-options"] == "nosniff"
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    policy = [p.strip() for p in answer.headers["content-security-policy"].split(";")]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert f"style-src 'sha256-{digest}'" in policy
    assert "<script" not in page and " src=" not in page and " style=" not in page


# -- the Host header ---------------------------------------------------------------------------


def test_on_loopback_only_loopback_names_are_answered(server: Any) -> None:
    port = server[1].rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST"):
        assert ask(server[1], "GET", "/health", headers={"host": host}).status == 200, host
    for host in ("rebound.example", f"rebound.example:{port}", "127.0.0.1.rebound.example"):
        answer = ask(server[1], "GET", "/health", headers={"host": host})
        assert answer.status == 400, host
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "bad-host" and "--allowed-hosts" in answer.json()["detail"]


def test_allowed_hosts_names_the_hosts_answered_and_star_any() -> None:
    # 127.0.0.1 too, as start() waits for it to answer /health
    names = ("api.example.org", "*.council.gov.uk", "127.0.0.1")
    process, base = start(*(arg for name in names for arg in ("--allowed-hosts", name)))
    try:
        for host, status in (
            ("api.example.org", 200),
            ("api.example.org:8443", 200),
            ("csc.council.gov.uk", 200),
            ("localhost", 400),
            ("example.org", 400),
        ):
            assert ask(base, "GET", "/health", headers={"host": host}).status == status, host
    finally:
        stop(process)
    process, base = start("--allowed-hosts", "*")
    try:
        assert ask(base, "GET", "/health", headers={"host": "anything.example"}).status == 200
    finally:
        stop(process)


def test_the_default_is_loopback_names_on_loopback_and_any_elsewhere() -> None:
    from csc_rules.server.hosts import default_hosts

    assert default_hosts("127.0.0.1") == default_hosts("::1") == ("127.0.0.1", "localhost", "::1")
    assert default_hosts("0.0.0.0") == default_hosts("10.1.2.3") == ("*",)


# -- bodies a web page may post across sites without asking ------------------------------------

POSTS = [
    "/cases/evaluate",
    "/cases/evaluate-batch",
    "/cases/due",
    "/eligibility",
    "/validate",
    "/impact",
]
SIMPLE = [
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    None,  # a Blob with no type
]


def test_every_post_route_is_in_the_list() -> None:
    document = json.loads((ROOT / "rules" / "openapi.json").read_text(encoding="utf-8"))
    posts = [path for path, methods in document["paths"].items() if "post" in methods]
    assert sorted(posts) == sorted(POSTS)
    for path in posts:
        operation = document["paths"][path]["post"]
        assert "415" in operation["responses"], path
        taken = operation["requestBody"]["content"]
        assert not {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"} & set(
            taken
        ), path


@pytest.mark.parametrize("path", POSTS)
def test_a_body_a_page_could_post_unasked_is_refused_415(server: Any, path: str) -> None:
    for kind in SIMPLE:
        headers = {} if kind is None else {"content-type": kind}
        answer = ask(server[1], "POST", path, CASE_LINE.encode() + b"\n", headers)
        assert answer.status == 415, (path, kind)
        problem = answer.json()
        assert problem["code"] == "unsupported-media-type"
        assert re.search(r"send it as application/(json|yaml|x-ndjson)", problem["detail"]), problem


# -- the start message and the request log -----------------------------------------------------


def logged(process: subprocess.Popen[bytes]) -> str:
    """What the server has written so far, read without moving the offset it writes at."""
    return os.pread(process.log.fileno(), 10_000_000, 0).decode("utf-8", "replace")  # type: ignore[attr-defined]


def wait_for(process: subprocess.Popen[bytes], pattern: str) -> re.Match[str]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = re.search(pattern, logged(process))
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"nothing in the log matches {pattern!r}:\n{logged(process)}", pytrace=False)


def test_serve_says_where_it_listens_and_logs_each_request(server: Any) -> None:
    process, base = server
    port = base.rsplit(":", 1)[1]
    start_line = wait_for(process, rf"csc-rules serve on http://127\.0\.0\.1:{port}\b[^\n]*")
    assert "1,000,000 bytes" in start_line[0] and "100,000 cases" in start_line[0]
    assert "Host 127.0.0.1, localhost, ::1" in start_line[0]
    answer = ask(base, "GET", "/health?probe=1")
    wait_for(
        process,
        rf'127\.0\.0\.1:\d+ - "GET /health\?probe=1 HTTP/1\.1" 200 {len(answer.body)}B \d+\.\d+s',
    )
    lines = (CASE_LINE + "\n") * 3
    batch = ask(
        base,
        "POST",
        "/cases/evaluate-batch?as_of=2025-06-01",
        lines.encode(),
        {"content-type": "application/x-ndjson"},
    )
    assert batch.status == 200 and len(batch.body.splitlines()) == 3
    wait_for(
        process,
        rf'"POST /cases/evaluate-batch\?as_of=2025-06-01 HTTP/1\.1" 200 {len(batch.body)}B ',
    )


def test_a_logged_path_cannot_turn_the_text_around_or_forge_a_line(server: Any) -> None:
    process, base = server
    # a right-to-left override and an escape sequence, percent-encoded as a client sends them
    assert ask(base, "GET", "/x%E2%80%AEgnp.exe%1B%5B2J%0AINFO").status == 404
    found = wait_for(process, r'"GET /x[^"\n]*" 404')
    assert found[0] == '"GET /x%E2%80%AEgnp.exe%1B%5B2J%0AINFO HTTP/1.1" 404'
    assert "\u202e" not in logged(process) and "\x1b" not in logged(process)


def test_log_level_warning_logs_no_requests() -> None:
    process, base = start("--log-level", "warning")
    try:
        assert ask(base, "GET", "/health?quiet=1").status == 200
        time.sleep(1)  # the line, were it written, is written as the answer is sent
        assert "quiet=1" not in logged(process) and "csc-rules serve on" not in logged(process)
    finally:
        stop(process)
