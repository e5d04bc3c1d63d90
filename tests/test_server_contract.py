"""The OpenAPI document and the running server agree on what a request may be: each request that
Schemathesis (or the security test) found one side taking and the other refusing, sent to a real
`csc-rules serve`, and checked against the document's own schema for the same parameter or body.
A value the document refuses gets a 400 from the server; a value it allows is answered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from conftest import ROOT
from test_server import NDJSON, Api, start, stop

DOCUMENT = json.loads((ROOT / "rules" / "openapi.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    process, base = start()
    yield Api(base)
    stop(process)


def parameter(path: str, method: str, name: str) -> dict[str, Any]:
    found = [p for p in DOCUMENT["paths"][path][method]["parameters"] if p["name"] == name]
    assert len(found) == 1, f"{method} {path} has no parameter {name}"
    schema: dict[str, Any] = found[0]["schema"]
    return schema


def allowed(schema: dict[str, Any], value: object) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(value)


COUNCIL_200 = "0" * 200


@pytest.mark.parametrize("route", ["/workdays/add", "/workdays/between"])
@pytest.mark.parametrize("council", [COUNCIL_200, "a" * 65, "Sefton", "sefton/../x", "", "sefton-"])
def test_a_council_the_server_refuses_is_one_the_document_refuses(
    api: Api, route: str, council: str
) -> None:
    """The security test's 200-character council: the document allowed up to 200 characters of
    anything; a council is a folder's name, at most 64 lower-case letters, digits and hyphens."""
    assert not allowed(parameter(route, "get", "council"), council)
    dates = "date=2024-12-20&n=1" if route.endswith("add") else "start=2024-12-20&end=2025-01-06"
    status, answer = api.json("GET", f"{route}?{dates}&council={council}")
    assert (status, answer["code"]) == (400, "invalid-calendar-input")
    assert "is not a council's name" in answer["detail"]


def test_a_council_of_the_documented_shape_is_counted_in(api: Api) -> None:
    assert allowed(parameter("/workdays/add", "get", "council"), "sefton")
    status, answer = api.json("GET", "/workdays/add?date=2024-12-20&n=3&council=sefton")
    # 20 Dec 2024 is a Friday: Mon 23, Tue 24, then 25 and 26 Dec are bank holidays, Fri 27.
    assert (status, answer["result"]) == (200, "2024-12-27")


@pytest.mark.parametrize("name", ["\u00e9.yaml", "proc\u00e9dure.yaml", ".hidden.yaml", ""])
def test_a_validate_name_the_server_refuses_is_one_the_document_refuses(
    api: Api, name: str
) -> None:
    """Non-ASCII names were allowed by the document and refused by the server; an empty
    `name=` was refused by the document and taken by the server as procedure.yaml."""
    from urllib.parse import quote

    assert not allowed(parameter("/validate", "post", "name"), name)
    status, answer = api.json(
        "POST", f"/validate?name={quote(name)}", b"procedure: {}\n", content_type="application/yaml"
    )
    assert status == 400
    assert "is not a file name to check under" in answer["detail"]


def test_a_validate_name_the_document_allows_names_the_problems(api: Api) -> None:
    assert allowed(parameter("/validate", "post", "name"), "my_proc-2.yml")
    status, answer = api.json(
        "POST", "/validate?name=my_proc-2.yml", b"", content_type="application/yaml"
    )
    assert status == 200
    assert [(p["path"], p["code"]) for p in answer["problems"]] == [("my_proc-2.yml", "empty-file")]


def test_validate_with_no_body_reports_an_empty_file_as_the_document_allows(api: Api) -> None:
    """A POST with no body is what an empty file gives: the document no longer requires one."""
    assert DOCUMENT["paths"]["/validate"]["post"]["requestBody"]["required"] is False
    status, answer = api.json("POST", "/validate")
    assert (status, answer["valid"], answer["errors"]) == (200, False, 1)
    assert answer["problems"][0]["code"] == "empty-file"


EMPTY_DATES = [
    ("POST", "/cases/evaluate", "as_of", b"{}", "application/json"),
    ("POST", "/cases/evaluate-batch", "as_of", b"{}\n", NDJSON),
    ("POST", "/cases/due", "as_of", b"", NDJSON),
    ("POST", "/impact", "as_of", b"", NDJSON),
    ("GET", "/procedures/sefton/csc-statutory", "on", None, ""),
    ("GET", "/workdays/add", "date", None, ""),
]


@pytest.mark.parametrize(("method", "path", "name", "body", "kind"), EMPTY_DATES)
def test_an_empty_date_is_refused_not_taken_for_today(
    api: Api, method: str, path: str, name: str, body: bytes | None, kind: str
) -> None:
    """`as_of=` was answered as of today (a 200 for /cases/due); the document refuses it, as any
    text that is not YYYY-MM-DD."""
    documented = path.replace("sefton/csc-statutory", "{council}/{name}")
    assert not allowed(parameter(documented, method.lower(), name), "")
    extra = "&n=1" if path == "/workdays/add" else ""
    status, answer = api.json(method, f"{path}?{name}={extra}", body, content_type=kind)
    assert (status, answer["code"]) == (400, "bad-parameter")
    assert answer["detail"] == f"`{name}`: `` is not a date: write YYYY-MM-DD, e.g. 2024-12-20"


@pytest.mark.parametrize(
    "value", ["\u0662\u0660\u0662\u0664-\u0661\u0662-\u0662\u0660", "２０２４-１２-２０"]
)
def test_a_date_in_other_digits_is_not_a_date_in_the_document_or_the_server(
    api: Api, value: str
) -> None:
    from urllib.parse import quote

    assert not allowed(parameter("/workdays/add", "get", "date"), value)
    status, answer = api.json("GET", f"/workdays/add?date={quote(value)}&n=1")
    assert status == 400
    assert "is not a date: write YYYY-MM-DD" in answer["detail"]


@pytest.mark.parametrize("value", ["1", "0", "yes", "no", "TRUE", "False"])
def test_a_flag_is_true_or_false_as_the_document_says(api: Api, value: str) -> None:
    """`explain=1` and `strict=yes` were taken though the document's enum is true and false."""
    assert not allowed(parameter("/cases/evaluate-batch", "post", "explain"), value)
    status, answer = api.json(
        "POST", f"/cases/evaluate-batch?explain={value}", b"{}\n", content_type=NDJSON
    )
    assert (status, answer["detail"]) == (400, f"`explain` is `{value}`: give true or false")


def test_an_empty_batch_is_refused_and_the_document_says_so(api: Api) -> None:
    body = DOCUMENT["paths"]["/cases/evaluate-batch"]["post"]["requestBody"]["content"]
    assert not allowed(body[NDJSON]["schema"], "")
    assert allowed(body[NDJSON]["schema"], "\n")
    status, answer = api.json("POST", "/cases/evaluate-batch", b"", content_type=NDJSON)
    assert (status, answer["code"]) == (400, "bad-request")


YEARS = parameter("/impact", "post", "year")


@pytest.mark.parametrize(
    "year", ["4352-26", "2024-26", "1989-90", "\u0662\u0660\u0662\u0664-\u0662\u0665"]
)
def test_a_year_the_server_refuses_is_one_the_document_refuses(api: Api, year: str) -> None:
    """`4352-26` matched the document's pattern and was refused; a year in other digits was
    refused by the document and taken by the server."""
    from urllib.parse import quote

    assert not allowed(YEARS, year)
    status, answer = api.json("POST", f"/impact?year={quote(year)}", b"", content_type=NDJSON)
    assert (status, answer["code"]) == (400, "bad-parameter")
    assert answer["detail"].startswith("`year`: ")


def test_the_document_lists_the_years_a_report_can_cover() -> None:
    assert YEARS["enum"][:2] == ["1990-91", "1991-92"]
    assert "1999-00" in YEARS["enum"] and "2024-25" in YEARS["enum"]
    assert YEARS["enum"][-1] == "2100-01" and len(YEARS["enum"]) == 111


def test_a_year_the_document_allows_is_read(api: Api) -> None:
    """2024-25 gets past the year and is refused only for the missing proposal."""
    status, answer = api.json("POST", "/impact?year=2024-25", b"", content_type=NDJSON)
    assert (status, answer["code"]) == (422, "no-proposal")


def test_a_year_with_a_line_end_is_not_a_year() -> None:
    from csc_rules.application.report import check_year
    from csc_rules.errors import CommandError

    with pytest.raises(CommandError, match="is not a reporting year"):
        check_year("2024-25\n")


def test_due_with_no_body_lists_nothing_as_the_document_allows(api: Api) -> None:
    """No cases sent, nothing due: the document no longer requires a body, as the server never
    did."""
    assert DOCUMENT["paths"]["/cases/due"]["post"]["requestBody"]["required"] is False
    status, answer = api.json("POST", "/cases/due?as_of=2025-01-06", b"", content_type=NDJSON)
    assert (status, answer["items"], answer["summary"]["cases"]) == (200, [], 0)
