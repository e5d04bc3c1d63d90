"""Errors as RFC 9457 problem details (`application/problem+json`): every refusal the API makes,
with the located problems inside, and never a stack trace."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..diagnostics import Diagnostic

MEDIA_TYPE = "application/problem+json"
# The most located problems one answer carries; `more_problems` says how many were left out. A
# person reads the first few; a body of 100,000 unknown keys must not be answered with millions
# of bytes.
MOST_PROBLEMS = 100

# The title each code is given, the same on every occurrence (RFC 9457 section 3.1.3).
TITLES = {
    "bad-request": "The request is not one the API can read",
    "bad-json": "The body is not JSON the API can read",
    "binary-file": "The body is not UTF-8 text",
    "bad-parameter": "A parameter is missing or not valid",
    "bad-host": "The request names a host this server does not answer for",
    "invalid-case": "The case cannot be evaluated as sent",
    "not-found": "There is nothing at this address",
    "method-not-allowed": "The address does not take this method",
    "not-in-force": "No version of the procedure was in force on that day",
    "too-large": "The body is larger than the API reads",
    "too-many-errors": "Too many lines of the batch are not cases that can be evaluated",
    "unsupported-media-type": "The body is not of a type this address takes",
    "timed-out": "The request took longer than the server allows",
    "headers-too-large": "The request's line and headers are larger than the API reads",
    "too-many-connections": "The server is serving as many connections as it takes",
    "server-error": "The server failed to answer",
    "not-implemented": "The server was installed without what this answer needs",
}


def problem(
    status: int,
    code: str,
    detail: str,
    problems: Sequence[Diagnostic] = (),
    instance: str | None = None,
) -> dict[str, Any]:
    """A problem details document: `type` names the code as a URN, `title` says what kind of
    problem it is, `detail` this occurrence, `problems` the first MOST_PROBLEMS located
    problems and `more_problems` how many more there were."""
    body: dict[str, Any] = {
        "type": f"urn:csc-rules:problem:{code}",
        "title": TITLES.get(
            code, TITLES["bad-request"] if status < 500 else TITLES["server-error"]
        ),
        "status": status,
        "detail": " ".join(detail.split()) or TITLES.get(code, code),
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if problems:
        body.update(capped(problems))
    return body


def capped(problems: Sequence[Diagnostic]) -> dict[str, Any]:
    """`problems`: the first MOST_PROBLEMS located, and `more_problems` when there were more."""
    body: dict[str, Any] = {"problems": [located(d) for d in problems[:MOST_PROBLEMS]]}
    if len(problems) > MOST_PROBLEMS:
        body["more_problems"] = len(problems) - MOST_PROBLEMS
    return body


def located(diagnostic: Diagnostic) -> dict[str, Any]:
    """A located problem (rules/located-problem.schema.json): as the CLI's JSON locates it (a
    line or column of 0, for a problem in plain data rather than a file, is null), with its
    severity, as `validate --format json` gives it."""
    from ..application.output import located as cli_located

    return {"severity": diagnostic.severity, **cli_located(diagnostic)}
