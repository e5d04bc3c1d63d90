"""The HTTP API, started as a user starts it (`csc-rules serve` on a free port of 127.0.0.1) and
called over HTTP: the same answers as the CLI, problem documents for every bad request, bounds."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, SCENARIO_FILES, run, scenario_name

PROBLEM = "application/problem+json"
# How long a call may go unanswered before the test stops waiting: only a hang takes this long,
# however busy the machine.
HANG_TIMEOUT = 60
NDJSON = "application/x-ndjson"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Api:
    """A running `csc-rules serve`, called with the standard library's HTTP client."""

    def __init__(self, base: str) -> None:
        self.base = base

    def call(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str, bytes]:
        request = urllib.request.Request(self.base + path, data=body, method=method)
        if body is not None:
            request.add_header("content-type", content_type)
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=HANG_TIMEOUT) as response:
                return response.status, response.headers.get("content-type", ""), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("content-type", ""), exc.read()

    def json(self, method: str, path: str, body: bytes | None = None, **kw: Any) -> tuple[int, Any]:
        status, kind, data = self.call(method, path, body, **kw)
        return status, json.loads(data)


def start(*args: str) -> tuple[subprocess.Popen[bytes], str]:
    return start_on(free_port(), *args)


def start_on(
    port: int, *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    import tempfile

    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop(), with the server
    process = subprocess.Popen(
        [sys.executable, "-m", "csc_rules", "serve", "--port", str(port), *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log = log  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + HANG_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            output = log.read().decode()
            log.close()
            pytest.fail(f"`csc-rules serve` stopped at once:\n{output}", pytrace=False)
        try:
            with urllib.request.urlopen(base + "/health", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    pytest.fail(
        f"`csc-rules serve` did not answer /health within {HANG_TIMEOUT} seconds", pytrace=False
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    process.log.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    process, base = start()
    yield Api(base)
    stop(process)


def cli_json(*args: str) -> Any:
    result = run(*args)
    return json.loads(result.stdout)


# -- the same answers as the CLI -------------------------------------------------------------


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=scenario_name)
def test_every_scenario_gets_the_cli_s_answer(api: Api, path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    as_of = str(data.get("as_of", "2025-01-01"))
    strict = bool(data.get("strict"))
    args = ["run", str(path), "--as-of", as_of, "--format", "json"] + (
        ["--strict"] if strict else []
    )
    cli = cli_json(*args)
    query = f"?as_of={as_of}" + ("&strict=true" if strict else "")
    status, kind, body = api.call(
        "POST", "/cases/evaluate" + query, path.read_bytes(), "application/yaml"
    )
    answer = json.loads(body)
    if "error" in cli:  # the CLI prints the case's error in its result's place
        assert (status, kind) == (422, PROBLEM), answer
        expected = cli["error"].get("problems") or [cli["error"]]
        found = answer["problems"]
        assert [(p["code"], p["message"]) for p in found if p["severity"] == "error"] == [
            (p["code"], p["message"]) for p in expected
        ]
    else:
        assert status == 200, answer
        assert answer == cli


def test_a_case_sent_as_json_gets_the_same_answer_as_its_yaml(api: Api) -> None:
    path = ROOT / "examples" / "sefton-late-acknowledgement.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    as_json = json.dumps(data, default=str).encode()
    _, from_json = api.json("POST", "/cases/evaluate?as_of=2025-01-20&explain=true", as_json)
    _, from_yaml = api.json(
        "POST",
        "/cases/evaluate?as_of=2025-01-20&explain=true",
        path.read_bytes(),
        content_type="application/yaml",
    )
    assert (
        from_json
        == from_yaml
        == cli_json("run", str(path), "--as-of", "2025-01-20", "--explain", "--format", "json")
    )


def test_eligibility_procedures_workdays_and_conformance_match_the_cli(api: Api) -> None:
    case = ROOT / "examples" / "sefton-late-acknowledgement.yaml"
    status, decided = api.json(
        "POST", "/eligibility", case.read_bytes(), content_type="application/yaml"
    )
    assert status == 200 and decided == cli_json("eligibility", str(case), "--format", "json")
    assert api.json("GET", "/procedures")[1] == cli_json("list", "--format", "json")
    assert api.json("GET", "/procedures/sefton/csc-statutory")[1] == cli_json(
        "show", "sefton/csc-statutory", "--format", "json"
    )
    status, added = api.json("GET", "/workdays/add?date=2024-12-20&n=10&council=sefton")
    assert status == 200 and added["result"] == "2025-01-08"  # 23, 24, 27, 30, 31, 2, 3, 6, 7, 8
    assert added == cli_json(
        "workdays", "add", "2024-12-20", "10", "--council", "sefton", "--format", "json"
    )
    status, counted = api.json("GET", "/workdays/between?start=2025-04-17&end=2025-05-06")
    assert status == 200 and counted["working_days"] == 10  # Good Friday, Easter Monday, 5 May
    assert counted == cli_json(
        "workdays", "between", "2025-04-17", "2025-05-06", "--format", "json"
    )
    assert api.json("GET", "/conformance/cheshire-west/csc-statutory")[1] == cli_json(
        "conformance", "cheshire-west/csc-statutory", "--format", "json"
    )


def test_a_version_is_picked_by_date(api: Api) -> None:
    _, earlier = api.json("GET", "/procedures/sefton/corporate?on=2025-06-01")
    _, later = api.json("GET", "/procedures/sefton/corporate?on=2026-06-01")
    assert (earlier["version"], later["version"]) == ("2023-11-17", "2026-04-01")
    status, problem = api.json("GET", "/procedures/sefton/corporate?on=2001-01-01")
    assert status == 404 and problem["code"] == "not-in-force"


def test_compiled_and_diagram(api: Api, tmp_path: Path) -> None:
    status, kind, body = api.call("GET", "/procedures/islington/csc-statutory/compiled")
    assert status == 200 and kind.startswith("application/json")
    target = tmp_path / "islington.json"
    assert run("compile", "islington/csc-statutory", "-o", str(target)).exit_code == 0
    assert body == target.read_bytes()  # the same bytes
    status, kind, body = api.call("GET", "/procedures/islington/csc-statutory/diagram?format=dot")
    assert (
        status == 200
        and body.decode() == run("graph", "islington/csc-statutory", "--format", "dot").stdout
    )


def test_validate_gives_the_cli_s_located_problems(api: Api, tmp_path: Path) -> None:
    text = (ROOT / "councils" / "sefton" / "csc-statutory.yaml").read_text(encoding="utf-8")
    broken = text.replace(
        "limit: {amount: 3, unit: working-days}", "limit: {amount: three, unit: working-days}", 1
    )
    assert broken != text
    target = tmp_path / "sefton.yaml"
    target.write_text(broken, encoding="utf-8")
    cli = json.loads(run("validate", str(target), "--format", "json").stdout)
    status, found = api.json(
        "POST", "/validate?name=sefton.yaml", broken.encode(), content_type="application/yaml"
    )
    assert status == 200 and found["valid"] is False

    def located(problems: list[dict[str, Any]], name: str) -> list[tuple[Any, ...]]:
        return [
            (p["line"], p["column"], p["severity"], p["code"], p["message"].replace(name, "FILE"))
            for p in problems
            if p["path"] == name
        ]

    mine = located(found["problems"], "sefton.yaml")
    assert mine == located(cli, cli[0]["path"]) != []
    assert any(code == "wrong-type" and severity == "error" for _, _, severity, code, _ in mine)


# -- the batch endpoint ------------------------------------------------------------------------


def test_a_batch_streams_one_line_a_case_as_run_does(api: Api) -> None:
    batch = ROOT / "examples" / "cases.jsonl"
    status, kind, body = api.call(
        "POST", "/cases/evaluate-batch?as_of=2025-06-01", batch.read_bytes(), "application/x-ndjson"
    )
    assert status == 200 and kind.startswith("application/x-ndjson")
    lines = [json.loads(line) for line in body.decode().splitlines()]
    cli = [
        json.loads(line)
        for line in run(
            "run", str(batch), "--as-of", "2025-06-01", "--format", "jsonl"
        ).stdout.splitlines()
    ]
    assert len(lines) == len(cli) >= 3
    assert [line.get("case") for line in lines] == [line.get("case") for line in cli]
    assert [line for line in lines if "error" not in line] == [
        line for line in cli if "error" not in line
    ]


def test_a_bad_line_in_a_batch_is_answered_in_its_place(api: Api) -> None:
    good = (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()[0]
    body = f"{good}\nnot json\n{good}\n".encode()
    status, _, answer = api.call("POST", "/cases/evaluate-batch", body, "application/x-ndjson")
    lines = [json.loads(line) for line in answer.decode().splitlines()]
    assert status == 200 and len(lines) == 3
    assert "error" not in lines[0] and "error" not in lines[2]
    # located at its line of the batch, as `run` locates a bad line of a .jsonl file
    assert lines[1]["case"] == "request:2"
    assert (lines[1]["error"]["code"], lines[1]["error"]["line"]) == ("invalid-json", 2)


# -- what is due ------------------------------------------------------------------------------

# examples/cases.jsonl as of Monday 10 February 2025: three cases received Monday 3 February.
# BATCH-1 (Sefton): stage 1 answer 10 working days on, Monday 17 February, 5 working days left
# (11, 12, 13, 14, 17). BATCH-3 (Sefton corporate, withdrawn only on the 20th): 15 working days,
# Monday 24 February, 10 left. BATCH-2 (Cheshire West, complex): 20 working days, Monday 3 March,
# 15 left. Overdue first, then by due date.
DUE = [
    ("BATCH-1", "sefton", "stage-1-response", "2025-02-17", "Monday", "pending", 5, False),
    ("BATCH-3", "sefton", "stage-1-response", "2025-02-24", "Monday", "pending", 10, False),
    ("BATCH-2", "cheshire-west", "stage-1-response", "2025-03-03", "Monday", "pending", 15, True),
]


def due_rows(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    keys = ("case", "council", "deadline", "due", "weekday", "status", "working_days_left")
    return [(*(i[k] for k in keys), i["extended"]) for i in document["items"]]


def test_what_is_due_across_the_cases_sent(api: Api) -> None:
    batch = (ROOT / "examples" / "cases.jsonl").read_bytes()
    status, found = api.json("POST", "/cases/due?as_of=2025-02-10", batch, content_type=NDJSON)
    assert status == 200, found
    assert due_rows(found) == DUE
    summary = found["summary"]
    assert (found["as_of"], summary["items"], summary["overdue"], summary["pending"]) == (
        "2025-02-10",
        3,
        0,
        3,
    )
    # the same document as `csc-rules due --format json` writes for the same cases and day
    made = run(
        "due", str(ROOT / "examples" / "cases.jsonl"), "--as-of", "2025-02-10", "--format", "json"
    )
    assert json.loads(made.stdout) == found
    first = found["items"][0]
    assert (first["what"], first["council_name"]) == ("Stage 1 response", "Sefton Council")
    # each line is a deadline `run` gives the same case on the same day
    cli = [
        json.loads(line)
        for line in run(
            "run",
            str(ROOT / "examples" / "cases.jsonl"),
            "--as-of",
            "2025-02-10",
            "--format",
            "jsonl",
        ).stdout.splitlines()
    ]
    for item in found["items"]:
        (result,) = [r for r in cli if r.get("case") == item["case"]]
        (deadline,) = [d for d in result["deadlines"] if d["id"] == item["deadline"]]
        assert (deadline["due"], deadline["status"]) == (item["due"], item["status"])
    _, soon = api.json("POST", "/cases/due?as_of=2025-02-10&within=5", batch, content_type=NDJSON)
    assert due_rows(soon) == DUE[:1] and soon["within"] == 5


def test_what_is_due_as_a_calendar_when_asked_for(api: Api) -> None:
    import icalendar

    batch = (ROOT / "examples" / "cases.jsonl").read_bytes()
    answers = [
        api.call("POST", "/cases/due?as_of=2025-02-10&format=ics", batch, NDJSON),
        api.call("POST", "/cases/due?as_of=2025-02-10", batch, NDJSON, {"accept": "text/calendar"}),
    ]
    assert answers[0] == answers[1]
    status, kind, body = answers[0]
    assert status == 200 and kind.startswith("text/calendar")
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert [(str(e["uid"]), e.decoded("dtstart").isoformat()) for e in events] == [
        ("BATCH-1/stage-1-response@sefton.csc-rules", "2025-02-17"),
        ("BATCH-3/stage-1-response@sefton.csc-rules", "2025-02-24"),
        ("BATCH-2/stage-1-response@cheshire-west.csc-rules", "2025-03-03"),
    ]
    # 2 working days before Monday 17 February is Thursday 13 February, 9am; with 0, 9am that day
    assert events[0].walk("VALARM")[0].decoded("trigger") == dt.timedelta(days=-4, hours=9)
    _, _, body = api.call(
        "POST", "/cases/due?as_of=2025-02-10&format=ics&alarm_days=0", batch, NDJSON
    )
    alarm = icalendar.Calendar.from_ical(body).walk("VALARM")[0]
    assert alarm.decoded("trigger") == dt.timedelta(hours=9)


def test_a_bad_line_refuses_the_list_with_every_bad_line_located(api: Api) -> None:
    good = (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()[0]
    body = f"{good}\nnot json\n{good}\n{{}}\n".encode()
    status, kind, answer = api.call("POST", "/cases/due?as_of=2025-02-10", body, NDJSON)
    problem = json.loads(answer)
    assert (status, kind) == (422, PROBLEM), problem
    assert problem["code"] == "invalid-json"
    found = [(p["line"], p["code"]) for p in problem["problems"] if p["severity"] == "error"]
    assert found[0] == (2, "invalid-json")
    assert {line for line, _ in found} == {2, 4}  # the empty object, a case with nothing in it


def test_a_server_without_the_export_extra_says_what_to_install(tmp_path: Path) -> None:
    blocker = tmp_path / "icalendar.py"
    blocker.write_text("raise ImportError('not installed')\n", encoding="utf-8")
    process, base = start_on(free_port(), env={"PYTHONPATH": str(tmp_path)})
    try:
        batch = (ROOT / "examples" / "cases.jsonl").read_bytes()
        status, kind, body = Api(base).call("POST", "/cases/due?format=ics", batch, NDJSON)
    finally:
        stop(process)
    problem = json.loads(body)
    assert (status, kind, problem["code"]) == (501, PROBLEM, "not-implemented")
    assert "pip install 'csc-rules[export]'" in problem["detail"]


# -- bad requests: 4xx problem documents, never a 500 ---------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type", "status", "code"),
    [
        ("GET", "/nowhere", None, "", 404, "not-found"),
        ("DELETE", "/procedures", None, "", 405, "method-not-allowed"),
        ("GET", "/procedures/nobody/csc-statutory", None, "", 404, "not-found"),
        ("GET", "/procedures/sefton/csc-statutory?on=2024-02-30", None, "", 400, "bad-parameter"),
        (
            "GET",
            "/procedures/sefton/csc-statutory/diagram?format=png",
            None,
            "",
            400,
            "bad-parameter",
        ),
        ("GET", "/workdays/add?date=2024-12-20", None, "", 400, "bad-parameter"),
        ("GET", "/workdays/add?date=2024-12-20&n=-3", None, "", 400, None),
        ("GET", "/workdays/add?date=2024-12-20&n=10&council=atlantis", None, "", 400, None),
        ("GET", "/workdays/between?start=1066-10-14&end=2024-01-01", None, "", 400, None),
        ("POST", "/cases/evaluate", b"{", "application/json", 422, None),
        ("POST", "/cases/evaluate", b"[1, 2]", "application/json", 422, None),
        ("POST", "/cases/evaluate", b"\xff\xfe", "application/json", 400, "binary-file"),
        (
            "POST",
            "/cases/evaluate",
            b"a=b",
            "application/x-www-form-urlencoded",
            415,
            "unsupported-media-type",
        ),
        ("POST", "/cases/evaluate?explain=maybe", b"{}", "application/json", 400, "bad-parameter"),
        (
            "POST",
            "/cases/evaluate",
            b"[" * 100_000 + b"]" * 100_000,
            "application/json",
            422,
            "too-deep",
        ),
        ("POST", "/eligibility", b'{"case": "x"}', "application/json", 422, "missing-key"),
        # a lone surrogate, which JSON allows and UTF-8 cannot hold
        (
            "POST",
            "/cases/evaluate",
            b'{"case": "\\ud800"}',
            "application/json",
            422,
            "invalid-json",
        ),
        (
            "POST",
            "/eligibility",
            b'{"case": "X", "events": [{"event": "\\udc00"}]}',
            "application/json",
            422,
            "invalid-json",
        ),
        # the path names a procedure, never a file on the server
        ("GET", "/procedures/examples/islington-stage-2.yaml", None, "", 404, "not-found"),
        ("GET", "/procedures/rules/openapi.json", None, "", 404, "not-found"),
        ("GET", "/conformance/councils/sefton.yaml", None, "", 404, "not-found"),
        (
            "GET",
            "/procedures/sefton/csc-statutory/diagram?format=svg",
            None,
            "",
            400,
            "bad-parameter",
        ),
        ("GET", "/workdays/add?date=2024-12-20&n=%20%2010", None, "", 400, "bad-parameter"),
        ("POST", "/validate?name=%00.yaml", b"a: 1", "application/yaml", 400, None),
        ("POST", "/validate?name=" + "e" * 190 + ".yaml", b"a: 1", "application/yaml", 400, None),
        (
            "POST",
            "/cases/evaluate-batch",
            b"a=b",
            "application/x-www-form-urlencoded",
            415,
            "unsupported-media-type",
        ),
        ("GET", "/nothing.schema.json", None, "", 404, "not-found"),
        ("POST", "/cases/due?format=pdf", b"", NDJSON, 400, "bad-parameter"),
        ("POST", "/cases/due?within=soon", b"", NDJSON, 400, "bad-parameter"),
        ("POST", "/cases/due", b"a=b", "application/x-www-form-urlencoded", 415, None),
        ("POST", "/validate?name=../../etc/passwd.yaml", b"a: 1", "application/yaml", 400, None),
    ],
)
def test_a_bad_request_is_a_4xx_problem_document(
    api: Api,
    method: str,
    path: str,
    body: bytes | None,
    content_type: str,
    status: int,
    code: str | None,
) -> None:
    found, kind, data = api.call(method, path, body, content_type)
    problem = json.loads(data)
    assert (found, kind) == (status, PROBLEM), problem
    assert problem["status"] == status and problem["type"].startswith("urn:csc-rules:problem:")
    assert problem["detail"] and "Traceback" not in data.decode()
    if code:
        assert problem["code"] == code


def test_a_case_with_problems_carries_them_located(api: Api) -> None:
    case = {
        "case": "X",
        "procedure": "sefton/csc-statutory",
        "events": [
            {"date": "2024-12-20", "event": "complaint-received"},
            {"date": "2024-12-19", "event": "acknowledged"},
        ],
    }
    status, problem = api.json("POST", "/cases/evaluate", json.dumps(case, indent=1).encode())
    assert status == 422
    assert problem["code"] == "event-order"  # the CLI's code for the first problem
    codes = {p["code"] for p in problem["problems"]}
    assert "event-order" in codes, problem
    assert all(p["yaml_path"].startswith("$") for p in problem["problems"])


def test_a_deeply_nested_case_and_too_many_events_are_refused(api: Api) -> None:
    nested = b'{"case": "X", "facts": ' + b'{"a": ' * 100 + b"1" + b"}" * 100 + b"}"
    status, problem = api.json("POST", "/cases/evaluate", nested)
    assert status == 422 and problem["problems"][0]["code"] == "too-deep"
    events = [{"date": "2024-12-20", "event": "acknowledged"}] * 10_001
    body = json.dumps({"case": "X", "procedure": "sefton/csc-statutory", "events": events}).encode()
    status, problem = api.json("POST", "/cases/evaluate", body)
    assert status in (413, 422) and problem["status"] == status


def test_a_body_past_the_bound_is_refused_before_it_is_read() -> None:
    process, base = start("--max-body-bytes", "2000")
    try:
        api = Api(base)
        status, problem = api.json("POST", "/cases/evaluate", b" " * 5000 + b"{}")
        assert status == 413 and problem["code"] == "too-large" and "2,000" in problem["detail"]
    finally:
        stop(process)


def test_cors_is_off_unless_an_origin_is_given(api: Api) -> None:
    request = urllib.request.Request(
        api.base + "/health", headers={"Origin": "https://evil.example"}
    )
    with urllib.request.urlopen(request, timeout=HANG_TIMEOUT) as response:
        assert response.headers.get("access-control-allow-origin") is None
    process, base = start("--cors-origin", "https://council.example")
    try:
        request = urllib.request.Request(
            base + "/health", headers={"Origin": "https://council.example"}
        )
        with urllib.request.urlopen(request, timeout=HANG_TIMEOUT) as response:
            assert response.headers.get("access-control-allow-origin") == "https://council.example"
    finally:
        stop(process)


def test_the_api_never_writes_the_library(api: Api) -> None:
    def library() -> dict[Path, int]:
        return {
            p: p.stat().st_mtime_ns for d in ("councils", "rules") for p in (ROOT / d).rglob("*")
        }

    before = library()
    text = (ROOT / "councils" / "sefton" / "csc-statutory.yaml").read_bytes()
    status, found = api.json(
        "POST", "/validate?name=csc-statutory.yaml", text, content_type="application/yaml"
    )
    assert status == 200 and found["valid"] is True
    case = (ROOT / "examples" / "sefton-late-acknowledgement.yaml").read_bytes()
    api.call("POST", "/cases/evaluate", case, "application/yaml")
    api.call("GET", "/procedures/sefton/csc-statutory/compiled")
    assert library() == before


def test_openapi_docs_health_and_schemas_are_served(api: Api) -> None:
    status, document = api.json("GET", "/openapi.json")
    assert status == 200 and document["openapi"].startswith("3.1")
    for needed in (
        "/cases/evaluate",
        "/cases/evaluate-batch",
        "/eligibility",
        "/validate",
        "/workdays/add",
        "/impact",
    ):
        assert needed in document["paths"]
    status, kind, page = api.call("GET", "/docs")
    assert status == 200 and kind.startswith("text/html") and b"/cases/evaluate" in page
    assert b"<script src" not in page  # nothing fetched from elsewhere
    status, schema = api.json("GET", "/case.schema.json")
    assert status == 200 and schema["$id"] == "urn:csc-rules:case.schema.json"
    assert api.json("GET", "/health")[1]["status"] == "ok"


def test_serve_without_the_server_extra_says_what_to_install(tmp_path: Path) -> None:
    """A user who installed csc-rules without [server] is told how to get it."""
    blocker = tmp_path / "uvicorn.py"
    blocker.write_text("raise ImportError('not installed')\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "csc_rules", "serve", "--port", str(free_port())],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "pip install 'csc-rules[server]'" in result.stderr


# -- the conformance suite for other implementations --------------------------------------------


def test_the_exported_suite_is_what_the_api_answers(api: Api, tmp_path: Path) -> None:
    folder = tmp_path / "suite"
    result = run("test", "--export", str(folder))
    assert result.exit_code == 0, result.output
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert sorted(index) == sorted(f"{scenario_name(p)}.json" for p in SCENARIO_FILES)
    assert len(index) >= 100
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "`expect`" in readme and "index.json" in readme
    refused = 0
    for name in index:
        entry = json.loads((folder / name).read_text(encoding="utf-8"))
        query = f"?as_of={entry['as_of']}" + ("&strict=true" if entry["strict"] else "")
        status, answer = api.json(
            "POST", "/cases/evaluate" + query, json.dumps(entry["case"]).encode()
        )
        if "error" in entry:
            refused += 1
            assert status == 422 and answer["problems"][0]["code"] == entry["error"]["code"], name
            assert entry["expect"]["error"]["code"] == entry["error"]["code"], name
        else:
            assert status == 200 and answer == entry["result"], name
            for key in ("state", "status", "stage"):  # what the author worked out by hand
                if key in entry["expect"]:
                    assert answer[key] == entry["expect"][key], name
    assert 0 < refused < len(index)


def test_export_never_writes_over_a_scenario(tmp_path: Path) -> None:
    scenario = tmp_path / "one.yaml"
    source = SCENARIO_FILES[0]
    scenario.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    before = scenario.read_bytes()
    result = run("test", str(scenario), "--export", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert scenario.read_bytes() == before  # written beside it, never over it
    assert json.loads((tmp_path / "index.json").read_text(encoding="utf-8")) == ["one.json"]


# -- the documented examples work as written (docs/developers.md) ---------------------------------


def documented_curls() -> list[str]:
    text = (ROOT / "docs" / "developers.md").read_text(encoding="utf-8")
    section = text.split("## The HTTP API", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("curl ")]


def test_the_documented_curl_examples_work_as_written() -> None:
    import shutil

    if shutil.which("curl") is None:
        pytest.fail("this test runs the documented curl examples: install curl", pytrace=False)
    commands = documented_curls()
    assert len(commands) >= 8
    port = 8000
    with socket.socket() as sock:  # as written: on 8000, when it is free
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            port = free_port()
    process, base = start_on(port)
    try:
        for command in commands:
            line = command.replace("http://127.0.0.1:8000", base)
            done = subprocess.run(
                ["bash", "-c", line], cwd=ROOT, capture_output=True, text=True, timeout=60
            )
            assert done.returncode == 0, (command, done.stderr)
            if "accept: text/calendar" in command:  # an iCalendar file, not JSON
                assert done.stdout.startswith("BEGIN:VCALENDAR"), command
                continue
            for row in done.stdout.splitlines():  # JSON, or JSON lines
                answer = json.loads(row)
                assert not (isinstance(answer, dict) and answer.get("status") == 500), command
            assert done.stdout.strip(), command
        refused = json.loads(done.stdout)  # the last: a problem document
        assert refused["status"] == 422 and refused["code"] == "missing-key"
    finally:
        stop(process)


def test_a_batch_answers_a_line_too_long_in_its_place_and_goes_on(api: Api) -> None:
    good = (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()[0]
    huge = '{"case": "' + "x" * 2_000_000 + '"}'  # past the 1 MB a line may hold
    body = f"{good}\n{huge}\n{good}".encode()  # the last line with no newline
    status, _, answer = api.call("POST", "/cases/evaluate-batch", body, "application/x-ndjson")
    lines = [json.loads(line) for line in answer.decode().splitlines()]
    assert status == 200 and len(lines) == 3
    assert lines[1]["error"]["code"] == "too-large" and lines[1]["case"] == "request:2"
    assert lines[0] == lines[2] and "error" not in lines[2]


def test_a_batch_past_its_bound_ends_with_a_problem_line() -> None:
    process, base = start("--max-batch-cases", "2")
    try:
        good = (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()[0]
        body = "\n".join([good] * 5).encode() + b"\n"
        status, _, answer = Api(base).call(
            "POST", "/cases/evaluate-batch", body, "application/x-ndjson"
        )
        lines = [json.loads(line) for line in answer.decode().splitlines()]
        assert status == 200 and len(lines) == 3
        assert "error" not in lines[0] and "error" not in lines[1]
        assert lines[2]["case"] is None and lines[2]["error"]["status"] == 413
        assert "more than 2 cases" in lines[2]["error"]["detail"]
        status, problem = Api(base).json(
            "POST", "/cases/evaluate-batch", b"", content_type="application/x-ndjson"
        )
        assert status == 400 and "empty" in problem["detail"]
    finally:
        stop(process)


def test_a_method_a_route_does_not_take_says_which_it_does(api: Api) -> None:
    status, kind, body = api.call("PUT", "/cases/evaluate", b"{}")
    assert (status, kind) == (405, PROBLEM)
    request = urllib.request.Request(api.base + "/cases/evaluate", method="DELETE")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=HANG_TIMEOUT)
    allowed = refused.value.headers.get("allow")
    refused.value.close()
    assert allowed == "POST"


def test_a_body_that_is_too_slow_to_arrive_is_refused_408() -> None:
    process, base = start("--timeout", "1")
    try:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=HANG_TIMEOUT) as sock:
            sock.sendall(
                b"POST /cases/evaluate HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                b"content-length: 100\r\n\r\n{"
            )
            answer = b""
            while not answer.rstrip().endswith(b"}"):
                piece = sock.recv(65536)
                if not piece:
                    break
                answer += piece
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408"), head
        assert json.loads(body)["code"] == "timed-out"
        assert Api(base).json("GET", "/health")[0] == 200  # and the server is still up
    finally:
        stop(process)


def test_a_batch_reads_lines_as_run_reads_a_jsonl_file(api: Api, tmp_path: Path) -> None:
    """Blank lines counted but not answered; a last line without a newline; CRLF."""
    good = (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    text = f"{good[0]}\n\n   \n{good[1]}\r\nnot json\n{good[2]}"
    batch = tmp_path / "batch.jsonl"
    batch.write_text(text, encoding="utf-8")
    status, _, answer = api.call(
        "POST", "/cases/evaluate-batch?as_of=2025-06-01", text.encode(), NDJSON
    )
    lines = [json.loads(line) for line in answer.decode().splitlines()]
    cli = [
        json.loads(line)
        for line in run(
            "run", str(batch), "--as-of", "2025-06-01", "--format", "jsonl"
        ).stdout.splitlines()
    ]
    assert status == 200 and len(lines) == len(cli) == 4
    assert [x for x in lines if "error" not in x] == [x for x in cli if "error" not in x]
    assert lines[2]["case"] == "request:5" and cli[2]["case"].endswith("batch.jsonl:5")
    assert lines[2]["error"]["code"] == cli[2]["error"]["code"] == "invalid-json"


def test_a_diagram_as_node_link_json(api: Api) -> None:
    status, graph = api.json("GET", "/procedures/sefton/csc-statutory/diagram?format=json")
    expected = json.loads(run("graph", "sefton/csc-statutory", "--format", "json").stdout)
    assert status == 200 and graph == expected


def test_an_unknown_procedure_is_refused_alike_by_run_and_eligibility(
    api: Api, tmp_path: Path
) -> None:
    case = {
        "case": "X",
        "procedure": "nowhere/csc",
        "events": [{"date": "2024-12-20", "event": "complaint-received"}],
    }
    path = tmp_path / "x.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    run_error = cli_json("run", str(path), "--format", "json")["error"]
    decided_error = cli_json("eligibility", str(path), "--format", "json")["error"]
    assert run_error == decided_error
    assert (run_error["code"], run_error["yaml_path"]) == ("unknown-procedure", "$.procedure")
    for route in ("/cases/evaluate", "/eligibility"):
        status, problem = api.json("POST", route, json.dumps(case).encode())
        assert status == 422 and problem["code"] == "unknown-procedure", route


def test_validate_names_the_library_s_files_from_the_library_wherever_it_runs(
    tmp_path: Path,
) -> None:
    """A server started outside the library never shows where it keeps its files."""
    process, base = start_on(free_port(), cwd=tmp_path, env={"CSC_RULES_HOME": str(ROOT)})
    try:
        text = (ROOT / "councils" / "sefton" / "csc-statutory.yaml").read_bytes()
        status, found = Api(base).json(
            "POST", "/validate?name=sefton.yaml", text, content_type="application/yaml"
        )
        paths = {p["path"] for p in found["problems"]}
        assert status == 200 and "sefton.yaml" in paths
        assert "rules/baseline/csc-statutory.yaml" in paths  # its conflict note, by its place
        assert not any(
            str(ROOT) in json.dumps(p) or p["path"].startswith("/") for p in found["problems"]
        )
    finally:
        stop(process)


def test_impact_answers_as_the_command_does(api: Api, tmp_path: Path) -> None:
    """`POST /impact`: the proposal on the first line, the cases after it; the same document as
    `impact --format json`, and a proposal or a line that is not right refused, located."""
    from test_impact import CHRISTMAS, OTHER_COUNCIL, _proposed

    proposed = _proposed(tmp_path)
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "".join(json.dumps(c) + "\n" for c in (CHRISTMAS, OTHER_COUNCIL)), encoding="utf-8"
    )
    first = json.dumps({"proposed": proposed.read_text(encoding="utf-8")}) + "\n"
    body = (first + cases.read_text(encoding="utf-8")).encode()
    status, found = api.json(
        "POST", "/impact?as_of=2025-03-01&name=csc-statutory.yaml", body, content_type=NDJSON
    )
    assert status == 200, found
    assert found == cli_json(
        "impact",
        str(cases),
        "--proposed",
        str(proposed),
        "--as-of",
        "2025-03-01",
        "--format",
        "json",
    )
    assert found["changes"][0]["after"] == {"due": "2025-01-15", "status": "met"}
    broken = first.replace("unit: working-days}", "unit: weeks}", 1)
    status, refused = api.json(
        "POST", "/impact?name=sefton.yaml", (broken + "{}\n").encode(), content_type=NDJSON
    )
    assert status == 422 and refused["problems"][0]["path"] == "sefton.yaml"
    assert "weeks" in refused["problems"][0]["message"]
    status, refused = api.json(
        "POST", "/impact", (first + json.dumps(CHRISTMAS) + "\n{\n").encode(), content_type=NDJSON
    )
    assert status == 422
    assert [(p["path"], p["line"]) for p in refused["problems"]] == [("request", 3)]
    status, refused = api.json("POST", "/impact", b'{"cases": []}\n', content_type=NDJSON)
    assert status == 422 and refused["code"] == "no-proposal"
