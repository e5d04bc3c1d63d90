"""Property-based tests of the HTTP API generated from its OpenAPI document by Schemathesis,
against a running `csc-rules serve`: no request, valid or not, gets a server error, and every
response meets the schema the document gives for it (status code, content type, body).

Schemathesis makes the requests from the document; Hypothesis runs them. (Schemathesis's own
pytest plugin does not load under pytest 9, so each operation's strategy is run here.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from test_server import start, stop

# Requests generated per operation: enough to reach every parameter and body shape the
# document allows, few enough for the whole suite to stay within its time.
EXAMPLES = 100
OPERATIONS = [
    "GET /health",
    "GET /procedures",
    "GET /procedures/{council}/{name}",
    "GET /procedures/{council}/{name}/compiled",
    "GET /procedures/{council}/{name}/diagram",
    "GET /conformance/{council}/{name}",
    "POST /cases/evaluate",
    "POST /cases/evaluate-batch",
    "POST /cases/due",
    "POST /impact",
    "POST /eligibility",
    "GET /workdays/add",
    "GET /workdays/between",
    "POST /validate",
    "GET /docs",
    "GET /{schema}.schema.json",
]


# A case or procedure can meet its JSON Schema and still not be one the engine can evaluate (an
# event its procedure does not allow, an unknown procedure, dates out of order), a batch's line
# can be text that is not a case, and a proposal can be a procedure that does not validate: the
# API answers those 422 with the located problems, as the document says. A council of the right
# shape may be one the library does not hold, and a count of working days may run past the years
# the calendars hold (a 400 naming them). So the check that valid data is always accepted does not
# apply to these operations; everywhere else it runs, as every other check does.
SEMANTIC = [schemathesis.checks.positive_data_acceptance]
JUDGES_MEANING = (
    "POST /cases/evaluate",
    "POST /cases/due",
    "POST /impact",
    "POST /eligibility",
    "GET /workdays/add",
    "GET /workdays/between",
)
# /validate reads any text and reports what is wrong with it as a procedure (`valid: false` with
# the located problems), as `csc-rules validate` does with any file; /cases/evaluate-batch answers
# a line that is not a case with an error line in its place and goes on, as `run` does with a
# .jsonl file. Neither refuses a body for what is in it, so the check that a body breaking the
# document is refused does not apply to them (their parameters are still checked: a bad `as_of`
# is a 400 before any line is read).
ANY_TEXT = [schemathesis.checks.negative_data_rejection]
READS_ANY_TEXT = ("POST /validate", "POST /cases/evaluate-batch")


@schemathesis.serializer("application/x-ndjson")
def _json_lines(context: Any, value: Any) -> bytes:
    """A batch body as generated: text as it is; anything else (negative generation makes
    numbers, lists, objects) as its JSON, as a client that got it wrong would send it."""
    import json

    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return json.dumps(value).encode()


@pytest.fixture(scope="module")
def api_schema() -> Iterator[Any]:
    process, base = start()
    try:
        yield schemathesis.openapi.from_url(f"{base}/openapi.json")
    finally:
        stop(process)


def test_the_document_lists_every_operation(api_schema: Any) -> None:
    """Every route but /openapi.json itself, which Schemathesis leaves out as the document."""
    found = sorted(
        f"{op.ok().method.upper()} {op.ok().path}" for op in api_schema.get_all_operations()
    )
    assert found == sorted(OPERATIONS)


# The operations that take parameters or a body, which can be sent wrong.
WITH_INPUTS = [op for op in OPERATIONS if op not in ("GET /health", "GET /procedures", "GET /docs")]
CASES = [(op, "positive") for op in OPERATIONS] + [(op, "negative") for op in WITH_INPUTS]


@pytest.mark.parametrize(("operation", "mode"), CASES)
def test_no_request_gets_a_server_error_or_a_response_outside_the_contract(
    api_schema: Any, operation: str, mode: str
) -> None:
    """Requests the document allows (positive) and requests it does not (negative: wrong types,
    missing parameters, bodies that break the case schema), which must get a 4xx."""
    method, path = operation.split(" ")
    found = api_schema[path][method]
    calls: list[int] = []
    generation = schemathesis.GenerationMode(mode)
    excluded = (SEMANTIC if operation in JUDGES_MEANING else []) + (
        ANY_TEXT if operation in READS_ANY_TEXT else []
    )

    @given(case=found.as_strategy(generation_mode=generation))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case: Any) -> None:
        response = case.call_and_validate(excluded_checks=excluded)
        calls.append(response.status_code)

    check()
    assert calls, f"{operation}: no request was made"
