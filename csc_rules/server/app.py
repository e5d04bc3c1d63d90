"""The HTTP API: Starlette routes over `csc_rules.application`, the layer the CLI calls, so both
answer alike. No route writes the library; every refusal is a problem document."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from .._version import __version__
from ..application import cases, due_export, procedures, workdays
from ..application.output import error_json
from ..application.report import check_year
from ..diagnostics import Diagnostic
from ..errors import CommandError, CscRulesError, NotFoundError, NotInForceError
from .access_log import AccessLog
from .headers import SecurityHeaders
from .hosts import LOOPBACK, AllowedHosts
from .problems import MEDIA_TYPE, MOST_PROBLEMS, capped, problem

log = logging.getLogger("csc_rules.server")

NDJSON = "application/x-ndjson"
# What a batch body may be sent as: JSON lines, under any of their names.
BATCH_TYPES = (NDJSON, "application/jsonl", "application/x-jsonlines")
# The body types a page on any site may post here without the browser asking first (a CORS
# preflight), and no type at all (a Blob): refused on every POST route, so that a cross-site
# request is always asked first, and CORS (--cors-origin) decides whether it is sent.
FORM_TYPES = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "")
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
# A council's or a procedure's name: the two halves of a procedure id, and nothing else.
_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Settings:
    """What `csc-rules serve` is given: the bounds on a request and who may call from a page."""

    max_body_bytes: int = 1_000_000  # one case, or one procedure file's text
    max_batch_bytes: int = 100_000_000  # a batch, read and answered a piece at a time
    max_batch_cases: int = 100_000
    max_batch_errors: int = 1_000  # lines answered with an error before a batch is cut short
    timeout_seconds: float = 30.0  # to send a body, and to answer a request answered whole
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    allowed_hosts: tuple[str, ...] = LOOPBACK  # the Host headers answered; `*` is any


class Refused(Exception):
    """A request refused: its status, code, message and located problems."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        problems: tuple[Diagnostic, ...] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.problems = status, code, detail, problems
        self.headers = headers or {}


def problem_response(request: Request | None, refused: Refused) -> Response:
    instance = _instance(request) if request is not None else None
    body = problem(refused.status, refused.code, refused.detail, refused.problems, instance)
    return Response(
        json.dumps(body),  # ASCII: nothing a request sent can make it fail to encode
        status_code=refused.status,
        media_type=MEDIA_TYPE,
        headers=refused.headers,
    )


def _instance(request: Request) -> str:
    """The path asked for, as the URI reference RFC 9457 wants: percent-encoded, as sent."""
    from urllib.parse import quote

    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes) and raw.isascii():
        return raw.decode("ascii")
    return quote(request.url.path)


def _refusal(exc: BaseException) -> Refused:
    """The project's own errors as the refusals they are, with the codes the CLI gives them;
    anything else is the server's fault, logged and answered without its details."""
    if isinstance(exc, Refused):
        return exc
    if isinstance(exc, NotInForceError):
        return Refused(404, "not-in-force", str(exc))
    if isinstance(exc, NotFoundError):
        return Refused(404, "not-found", str(exc))
    if isinstance(exc, CscRulesError):
        problems = tuple(d for d in getattr(exc, "diagnostics", ()) if isinstance(d, Diagnostic))
        found = error_json(exc)
        return Refused(400, str(found["code"]), str(found["message"]), problems)
    if isinstance(exc, ClientDisconnect):
        # The client went away: the answer goes nowhere, and a line per one would flood the log.
        log.debug("csc-rules server: the client left before its request was whole")
        return Refused(400, "bad-request", "the connection closed before the body was whole")
    log.error("csc-rules server: unexpected error", exc_info=exc)
    return Refused(500, "server-error", "the server failed to answer this request; it is logged")


Handler = Callable[[Request, Settings], Awaitable[Response]]


def route(settings: Settings, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint of a handler, given the settings, whose failures become problem documents."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request, settings)
        except Exception as exc:  # noqa: BLE001 - every failure is answered, none escapes
            refused = _refusal(exc)
            if refused.problems:  # as many as the input made: built off the event loop
                return await run_in_threadpool(problem_response, request, refused)
            return problem_response(request, refused)

    return endpoint


# A JSON case this small holds at most a few hundred events and is answered in a few
# milliseconds: cheaper on the event loop than the hop to a worker thread, which cost a quarter
# of a small request. Anything larger, and any YAML, goes to a thread, so that nothing that
# grows with the input runs on the loop.
INLINE_BYTES = 16_384


async def work_on(settings: Settings, job: Callable[[], Any], size: int, syntax: str) -> Any:
    """`job` on the event loop when it is a JSON case of at most INLINE_BYTES, else as `work`."""
    if syntax == "json" and size <= INLINE_BYTES:
        return job()
    return await work(settings, job)


async def work(settings: Settings, job: Callable[[], Any]) -> Any:
    """`job` in a worker thread, answered within the timeout, else refused (503). The thread
    is not stopped, but the bounds on what a request may hold bound what it can take."""
    try:
        with anyio.fail_after(settings.timeout_seconds):
            return await run_in_threadpool(job)
    except TimeoutError:
        raise Refused(
            503, "timed-out", f"the answer took longer than {settings.timeout_seconds:g} seconds"
        ) from None


# -- reading a request ------------------------------------------------------------------------


def _flag(request: Request, name: str) -> bool:
    value = request.query_params.get(name)
    if value is None:
        return False
    if value in ("true", "false"):  # as the OpenAPI document says, and nothing it does not
        return value == "true"
    raise Refused(400, "bad-parameter", f"`{name}` is `{value[:40]}`: give true or false")


def _date(request: Request, name: str, required: bool = False) -> dt.date | None:
    value = request.query_params.get(name)
    if value is None:
        if required:
            raise Refused(400, "bad-parameter", f"`{name}` is missing: give a date, YYYY-MM-DD")
        return None
    try:
        return cases.as_of_date(value)
    except CscRulesError as exc:
        raise Refused(400, "bad-parameter", f"`{name}`: {exc}") from None


def _text(request: Request, name: str, required: bool = False) -> str | None:
    value = request.query_params.get(name)
    if value is None and required:
        raise Refused(400, "bad-parameter", f"`{name}` is missing")
    if value is not None and len(value) > 200:
        raise Refused(400, "bad-parameter", f"`{name}` is longer than 200 characters")
    return value


def _file_name(request: Request) -> str:
    """`name`, the file name problems are located in: procedure.yaml when not given; an empty
    one is refused where it is checked, as any other name that is not a file's."""
    value = _text(request, "name")
    return "procedure.yaml" if value is None else value


def _count(request: Request, name: str) -> int:
    value = request.query_params.get(name)
    if value is None or not (value.isascii() and value.isdigit() and len(value) <= 6):
        shown = "missing" if value is None else f"`{value[:40]}`"
        raise Refused(
            400, "bad-parameter", f"`{name}` is {shown}: give a whole number, 0 to 999999"
        )
    return int(value)


def _optional_count(request: Request, name: str) -> int | None:
    return None if request.query_params.get(name) is None else _count(request, name)


def _choice(request: Request, name: str, choices: tuple[str, ...], default: str) -> str:
    value = request.query_params.get(name, default)
    if value not in choices:
        raise Refused(
            400, "bad-parameter", f"`{name}` is `{value[:40]}`: give one of {', '.join(choices)}"
        )
    return value


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _refuse_form(request: Request, send_as: str) -> None:
    """A body sent as a type any web page may post across sites unasked (or as no type) is
    refused (415): see FORM_TYPES. A request with no body at all carries nothing to refuse
    (the routes that may be called so answer for an empty body)."""
    kind = _media_type(request)
    if kind in FORM_TYPES and not (kind == "" and _bodiless(request)):
        raise Refused(
            415,
            "unsupported-media-type",
            f"the body is sent as {kind or 'no content type'}, which the API refuses so that "
            f"no web page can post to it unasked; send it as {send_as}",
        )


def _bodiless(request: Request) -> bool:
    """Whether the request says it sends no body: no Content-Length (or 0) and no chunks."""
    length = request.headers.get("content-length", "0").strip()
    return length == "0" and "transfer-encoding" not in request.headers


def _refuse_declared(request: Request, limit: int, what: str) -> None:
    """A body its Content-Length says is past the bound is refused before any of it is read."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Refused(
            413, "too-large", f"{what} is {int(declared):,} bytes; the API reads at most {limit:,}"
        )


def _refuse_unless_lines(request: Request, settings: Settings) -> None:
    """A batch is JSON lines (415 otherwise), and declares no more than a batch may hold (413)."""
    _refuse_form(request, NDJSON)  # no type at all passes it only with no body
    kind = _media_type(request)
    if kind and kind not in BATCH_TYPES:
        raise Refused(
            415,
            "unsupported-media-type",
            f"the body is {kind}; send JSON lines as {NDJSON}",
        )
    _refuse_declared(request, settings.max_batch_bytes, "the batch")


async def _batch_pieces(request: Request, settings: Settings) -> AsyncIterator[bytes]:
    """The body a piece at a time, each within the timeout (408 when one does not come) and
    all within the batch's bound on bytes (413)."""
    total = 0
    pieces = request.stream().__aiter__()
    while True:
        try:
            with anyio.fail_after(settings.timeout_seconds):
                chunk = await pieces.__anext__()
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise Refused(
                408,
                "timed-out",
                f"the batch sent nothing for {settings.timeout_seconds:g} seconds",
            ) from None
        total += len(chunk)
        if total > settings.max_batch_bytes:
            raise Refused(
                413,
                "too-large",
                f"the batch is more than {settings.max_batch_bytes:,} bytes, the most the API reads",
            )
        yield chunk


async def _body(request: Request, settings: Settings) -> bytes:
    """The body, read no further than the bound, and within the timeout: a client that sends
    too much is refused at once (413), one that sends too slowly when the time is up (408)."""
    limit = settings.max_body_bytes
    _refuse_declared(request, limit, "the body")
    body = bytearray()
    try:
        with anyio.fail_after(settings.timeout_seconds):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise Refused(
                        413,
                        "too-large",
                        f"the body is more than {limit:,} bytes, the most the API reads",
                    )
    except TimeoutError:
        raise Refused(
            408,
            "timed-out",
            f"the body took longer than {settings.timeout_seconds:g} seconds to arrive",
        ) from None
    return bytes(body)


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(
            400,
            "binary-file",
            f"the body is not UTF-8 text (byte 0x{body[exc.start]:02x} at offset "
            f"{exc.start}); send it as UTF-8",
        ) from None


def _case_syntax(request: Request) -> str:
    """`json` or `yaml`: how a case file sent in the body is written, from its content type."""
    _refuse_form(request, "application/json or application/yaml")
    kind = _media_type(request)
    if kind in YAML_TYPES:
        return "yaml"
    if kind in ("application/json", "text/json") or kind.endswith("+json"):
        return "json"
    raise Refused(
        415,
        "unsupported-media-type",
        f"the body is {kind}; send a case file as application/json or application/yaml",
    )


def _json(value: Any) -> Response:
    return Response(cases.json_line(value).rstrip("\n"), media_type="application/json")


def _procedure_id(request: Request) -> str:
    """`council/name` from the path: two names, never a file the server could be made to read."""
    council, name = request.path_params["council"], request.path_params["name"]
    if not (_NAME.fullmatch(council) and _NAME.fullmatch(name)):
        raise Refused(
            404,
            "not-found",
            "a procedure id is two names in lower-case letters, digits and hyphens, "
            "council/name (see GET /procedures)",
        )
    return f"{council}/{name}"


def _first(problems: tuple[Diagnostic, ...], fallback: str) -> tuple[str, str]:
    """The code and the message of the first error, as the CLI's `error` gives them."""
    errors = [d for d in problems if d.is_error] or list(problems)
    return (errors[0].code, errors[0].to_text()) if errors else ("invalid-case", fallback)


# -- the handlers: each answers one route, given the request and the server's settings ---------


async def health(request: Request, settings: Settings) -> Response:
    entries, _ = await work(settings, procedures.catalogue)
    return _json({"status": "ok", "version": __version__, "procedures": len(entries)})


async def listing(request: Request, settings: Settings) -> Response:
    entries, _ = await work(settings, procedures.catalogue)
    return _json([e.to_json() for e in entries])


async def summary(request: Request, settings: Settings) -> Response:
    found, on = _procedure_id(request), _date(request, "on")
    return _json(await work(settings, lambda: procedures.summary_json(found, on)))


async def compiled(request: Request, settings: Settings) -> Response:
    found, on = _procedure_id(request), _date(request, "on")
    text = await work(settings, lambda: procedures.compiled(found, on))
    return Response(text, media_type="application/json")


async def diagram(request: Request, settings: Settings) -> Response:
    found = _procedure_id(request)
    fmt = _choice(request, "format", ("mermaid", "dot", "json"), "mermaid")
    on = _date(request, "on")
    text = await work(settings, lambda: procedures.graph(found, fmt, on))
    kind = "application/json" if fmt == "json" else "text/plain; charset=utf-8"
    return Response(text, media_type=kind)


async def conformance(request: Request, settings: Settings) -> Response:
    found = _procedure_id(request)
    report = await work(settings, lambda: procedures.conformance(found))
    return _json(report.to_json())


async def evaluate(request: Request, settings: Settings) -> Response:
    as_of, explain = _date(request, "as_of"), _flag(request, "explain")
    strict, syntax = _flag(request, "strict"), _case_syntax(request)
    text = _utf8(await _body(request, settings))

    def answer() -> Response:  # as large as the case: made where the case is evaluated
        outcome = cases.evaluate_text(text, as_of, explain, strict, syntax=syntax)
        if outcome.result is None:
            code, detail = _first(outcome.problems, outcome.label)
            raise Refused(422, code, detail, outcome.problems)
        return _json(outcome.result.to_json())

    return await work_on(settings, answer, len(text), syntax)  # type: ignore[no-any-return]


async def due(request: Request, settings: Settings) -> Response:
    """The list of what is due across the cases sent as JSON lines, read a piece at a time as
    the batch route reads them; as JSON, or as iCalendar when asked for (`format=ics`, or
    `text/calendar` in Accept). A line that is not a case refuses the list (422), every such
    line located: a list missing a case would look complete and is not."""
    as_of, within = _date(request, "as_of"), _optional_count(request, "within")
    wanted = _due_format(request)
    alarm = _optional_count(request, "alarm_days")
    _refuse_unless_lines(request, settings)
    day = as_of or dt.date.today()
    totals = due_export.due_totals(day, within)
    items, problems = await _due_lines(request, settings, totals)
    if problems:
        code, detail = _first(tuple(problems), "a line is not a case")
        raise Refused(422, code, detail, tuple(problems))
    await work(settings, lambda: items.sort(key=lambda i: i.sort_key()))
    if wanted == "json":
        return await work(  # type: ignore[no-any-return]
            settings, lambda: _json(due_export.due_document(items, totals))
        )
    try:
        body = await work(
            settings,
            lambda: b"".join(
                due_export.calendar_bytes(items, day, alarm_days=2 if alarm is None else alarm)
            ),
        )
    except CommandError as exc:  # a library the server was installed without: its fault
        if exc.code != "missing-extra":
            raise
        raise Refused(501, "not-implemented", str(exc)) from None
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="due-{day.isoformat()}.ics"'},
    )


def _due_format(request: Request) -> str:
    """`json` or `ics`: `format` when given, else what Accept prefers (JSON unless it names
    text/calendar and not JSON)."""
    if "format" in request.query_params:
        return _choice(request, "format", ("json", "ics"), "json")
    accept = request.headers.get("accept", "").lower()
    return "ics" if "text/calendar" in accept and "json" not in accept else "json"


# Lines replayed between two counts of the problems found: a batch of junk stops soon after the
# bound on errors, not at the end of a piece of tens of thousands of lines.
_SLICE = 200


async def _due_lines(
    request: Request, settings: Settings, totals: Any
) -> tuple[list[Any], list[Diagnostic]]:
    """Every piece of the body read within the bounds, its lines replayed as it arrives: the
    items and the problems of every line, each case counted in `totals`."""
    reader = cases.batch_lines()
    items: list[Any] = []
    problems: list[Diagnostic] = []
    taken = 0

    def replay(chunk: bytes, last: bool) -> None:
        """The lines `chunk` completes, split and replayed in one hand-off to a worker thread:
        a piece of blank lines is as much work as a piece of cases."""
        nonlocal taken
        lines = reader.feed(chunk, last=last)
        taken += len(lines)
        if taken > settings.max_batch_cases:
            raise Refused(
                413,
                "too-large",
                f"the batch holds more than {settings.max_batch_cases:,} cases, the most the API reads",
            )
        for start in range(0, len(lines), _SLICE):
            found, failed = due_export.due_lines(lines[start : start + _SLICE], totals.sieve)
            for listed in found:
                totals.add(listed)
                items.extend(listed.items)
            problems.extend(failed)
            if len(problems) > settings.max_batch_errors:
                raise Refused(
                    422,
                    "too-many-errors",
                    f"the batch has more than {settings.max_batch_errors:,} problems by line "
                    f"{failed[-1].line:,}; the rest was not read",
                    tuple(problems),
                )

    pieces = _batch_pieces(request, settings).__aiter__()
    while True:
        try:
            chunk, last = await pieces.__anext__(), False
        except StopAsyncIteration:
            chunk, last = b"", True
        try:
            await work(settings, functools.partial(replay, chunk, last))
        except Refused as refused:
            if refused.code == "too-many-errors" and not last:
                async for _ in pieces:  # read, not split: a client still sending hears why
                    pass
            raise
        if last:
            return items, problems


async def impact(request: Request, settings: Settings) -> Response:
    """What a proposed procedure would do to the cases sent: JSON lines whose first line is
    `{"proposed": TEXT}` (the procedure file's text) and every other line a case. The body is
    written to a private file a piece at a time, within the batch's bounds, then compared as
    `csc-rules impact --format json` compares. A proposal that does not validate, or a line that
    is not a case, refuses the comparison (422), every problem located."""
    import tempfile
    from pathlib import Path

    from ..application.impact import impact_json

    name = _file_name(request)
    as_of, year = _date(request, "as_of"), _text(request, "year")
    only, every = _text(request, "procedure"), _flag(request, "apply_to_all")
    if year is not None:
        _year(year)
    _refuse_unless_lines(request, settings)
    with tempfile.TemporaryDirectory(prefix="csc-rules-impact-request-") as folder:
        lines = Path(folder) / "request.jsonl"
        proposed = await _spool(request, settings, lines)
        job = functools.partial(impact_json, proposed, name, lines, only, as_of, every, year)
        document, problems = await work(settings, job)
    if problems:
        renamed = tuple(
            d if d.path == name else dataclasses.replace(d, path="request") for d in problems
        )
        code, detail = _first(renamed, "the proposal or a line is not as it should be")
        raise Refused(422, code, detail, renamed)
    return Response(document.rstrip("\n"), media_type="application/json")


def _year(text: str) -> None:
    try:
        check_year(text)
    except CscRulesError as exc:
        raise Refused(400, "bad-parameter", f"`year`: {exc}") from None


async def _spool(request: Request, settings: Settings, path: Any) -> bytes:
    """The body's first line, the proposal (`{"proposed": TEXT}`), read within the bound on a
    body; the rest written to `path` as it arrives, within the batch's bounds, behind a blank
    line in place of the first, so that each case keeps the line number it was sent on."""
    head, rest = bytearray(), None
    with path.open("wb") as out:
        async for chunk in _batch_pieces(request, settings):
            if rest is None:
                head += chunk
                end = head.find(b"\n")
                if end < 0:
                    if len(head) > settings.max_body_bytes:
                        raise Refused(413, "too-large", "the proposal's line is too long")
                    continue
                rest, chunk = bytes(head[:end]), bytes(head[end:])
            await run_in_threadpool(out.write, chunk)  # a disk may be slow: not on the loop
    return _proposal(bytes(head) if rest is None else rest)


def _proposal(line: bytes) -> bytes:
    """The procedure's text from the first line, `{"proposed": TEXT}`."""
    try:
        data = json.loads(line.decode("utf-8-sig")) if line.strip() else None
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("proposed"), str):
        raise Refused(
            422,
            "no-proposal",
            'the first line must be {"proposed": TEXT}, the proposed procedure file\'s text as '
            "a JSON string; the cases follow, one a line",
        )
    return str(data["proposed"]).encode("utf-8")


async def eligibility(request: Request, settings: Settings) -> Response:
    strict, syntax = _flag(request, "strict"), _case_syntax(request)
    text = _utf8(await _body(request, settings))

    def answer() -> Response:  # as large as the case: made where the case is evaluated
        decided = cases.decide_text(text, strict, syntax=syntax)
        if decided.case is None or decided.decision is None:
            if decided.error is not None and not decided.problems:
                refused = _refusal(decided.error)
                raise Refused(422, refused.code, refused.detail)
            code, detail = _first(decided.problems, decided.label)
            raise Refused(422, code, detail, decided.problems)
        return _json(decided.to_json())

    return await work_on(settings, answer, len(text), syntax)  # type: ignore[no-any-return]


async def workdays_add(request: Request, settings: Settings) -> Response:
    start, n = _date(request, "date", required=True), _count(request, "n")
    before, closures = _flag(request, "before"), _flag(request, "count_closures")
    council, region = _text(request, "council"), _text(request, "region")
    added = await work(
        settings,
        lambda: workdays.add(
            start or dt.date.min,
            n,
            before=before,
            council=council,
            region=region,
            count_closures=closures,
        ),
    )
    return _json(added.to_json())


async def workdays_between(request: Request, settings: Settings) -> Response:
    start, end = _date(request, "start", True), _date(request, "end", True)
    closures = _flag(request, "count_closures")
    council, region = _text(request, "council"), _text(request, "region")
    counted = await work(
        settings,
        lambda: workdays.between(
            start or dt.date.min,
            end or dt.date.min,
            council=council,
            region=region,
            count_closures=closures,
        ),
    )
    return _json(counted.to_json())


async def validate(request: Request, settings: Settings) -> Response:
    name = _file_name(request)
    _refuse_form(request, "application/yaml")
    body = await _body(request, settings)

    def answer() -> Response:  # the first MOST_PROBLEMS problems, made in the worker thread
        report = procedures.validate_text(body, name)
        found = {"problems": []} if not report.diagnostics else capped(report.diagnostics)
        counts = {"errors": len(report.errors), "warnings": len(report.warnings)}
        return _json({"valid": report.ok, **counts, **found})

    return await work(settings, answer)  # type: ignore[no-any-return]


async def openapi(request: Request, settings: Settings) -> Response:
    text = await work(settings, lambda: procedures.contract("openapi.json"))
    return Response(text, media_type="application/json")


async def schema(request: Request, settings: Settings) -> Response:
    name = f"{request.path_params['schema']}.schema.json"
    text = await work(settings, lambda: procedures.contract(name))
    return Response(text, media_type="application/schema+json")


async def docs(request: Request, settings: Settings) -> Response:
    from .docs import POLICY, page

    text = await work(settings, lambda: procedures.contract("openapi.json"))
    return HTMLResponse(page(json.loads(text)), headers={"content-security-policy": POLICY})


# -- the routes -------------------------------------------------------------------------------

# Every route but the batch's: its path, its method, and the handler that answers it.
ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("/health", "GET", health),
    ("/procedures", "GET", listing),
    ("/procedures/{council}/{name}", "GET", summary),
    ("/procedures/{council}/{name}/compiled", "GET", compiled),
    ("/procedures/{council}/{name}/diagram", "GET", diagram),
    ("/conformance/{council}/{name}", "GET", conformance),
    ("/cases/evaluate", "POST", evaluate),
    ("/cases/due", "POST", due),
    ("/impact", "POST", impact),
    ("/eligibility", "POST", eligibility),
    ("/workdays/add", "GET", workdays_add),
    ("/workdays/between", "GET", workdays_between),
    ("/validate", "POST", validate),
    ("/openapi.json", "GET", openapi),
    ("/docs", "GET", docs),
    # the schemas the OpenAPI document refers to by file name, beside it
    ("/{schema}.schema.json", "GET", schema),
)


def routes(settings: Settings) -> list[Route]:
    """The routes of the table, and the batch's, an ASGI app of its own (see `Batch`)."""
    return [
        Route("/cases/evaluate-batch", Batch(settings), methods=["POST"]),
        *(
            Route(path, route(settings, handler), methods=[method])
            for path, method, handler in ROUTES
        ),
    ]


class Batch:
    """`POST /cases/evaluate-batch`, as a plain ASGI app: it reads the body a piece at a time
    and answers the lines of each piece as soon as they are evaluated, both at once, so a batch
    of any size needs no more memory than a piece. (Starlette's streaming response listens for
    the client going away on the channel the body arrives on, so it cannot read a body while it
    answers.) The lines are read and answered by the application layer, as `run` reads a .jsonl
    file."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope)
        try:
            as_of = _date(request, "as_of")
            explain, strict = _flag(request, "explain"), _flag(request, "strict")
            _refuse_unless_lines(request, self.settings)
            first = await self._receive(receive)
            if first["type"] == "http.disconnect":
                return
            if not first.get("body") and not first.get("more_body", False):
                raise Refused(
                    400,
                    "bad-request",
                    "the batch is empty: send cases in the case-file format, one JSON object a line",
                )
        except Refused as refused:
            await problem_response(request, refused)(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", NDJSON.encode())],
            }
        )
        unread: list[int] = []  # the bytes read when a bound on cases or errors ended the batch
        async for answer in self._answers(first, receive, as_of, explain, strict, unread):
            await send({"type": "http.response.body", "body": answer, "more_body": True})
        if unread:
            await self._drain(receive, unread[0])
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _drain(self, receive: Any, total: int) -> None:
        """The rest of a batch cut short, read and dropped (within the batch's bounds on bytes
        and time), so that a client still sending it hears the answer rather than a reset
        connection."""
        with contextlib.suppress(Refused):
            while total <= self.settings.max_batch_bytes:
                message = await self._receive(receive)
                total += len(message.get("body", b""))
                if message["type"] == "http.disconnect" or not message.get("more_body", False):
                    return

    async def _receive(self, receive: Any) -> Any:
        """The next piece of the body, within the timeout: a client may not hold a batch open
        without sending."""
        try:
            with anyio.fail_after(self.settings.timeout_seconds):
                return await receive()
        except TimeoutError:
            raise Refused(
                408,
                "timed-out",
                f"the batch sent nothing for {self.settings.timeout_seconds:g} seconds; the rest was not read",
            ) from None

    async def _answers(
        self,
        message: Any,
        receive: Any,
        as_of: dt.date | None,
        explain: bool,
        strict: bool,
        unread: list[int],
    ) -> AsyncIterator[bytes]:
        """The lines of each piece split and evaluated together as the piece arrives, in one
        hand-off to a worker thread; a bound passed ends the batch with a problem line."""
        tally = _Tally(self.settings, cases.batch_lines(), (as_of, explain, strict))
        total, most_bytes = 0, self.settings.max_batch_bytes
        while True:
            if message["type"] == "http.disconnect":
                return
            chunk, more = message.get("body", b""), bool(message.get("more_body", False))
            total += len(chunk)
            if total > most_bytes:
                yield _error_line(
                    Refused(
                        413,
                        "too-large",
                        f"the batch is more than {most_bytes:,} bytes; the rest was not read",
                    )
                )
                return
            answer, ended = await run_in_threadpool(tally.answer, chunk, not more)
            if answer:
                yield answer
            if ended and more:
                unread.append(total)
            if ended or not more:
                return
            try:
                message = await self._receive(receive)
            except Refused as refused:
                yield _error_line(refused)
                return


@dataclass
class _Tally:
    """A batch being answered: its line reader, the options its lines are evaluated with, and
    the cases answered and lines failed so far. Used by one request, a piece at a time."""

    settings: Settings
    reader: Any
    options: tuple[dt.date | None, bool, bool]
    taken: int = 0
    failed: int = 0

    def answer(self, chunk: bytes, last: bool) -> tuple[bytes, bool]:
        """The answers to the lines `chunk` completes (run in a worker thread: splitting a piece
        of blank lines is work too), and whether a bound was passed, which ends the batch."""
        most_cases, most_errors = self.settings.max_batch_cases, self.settings.max_batch_errors
        lines = self.reader.feed(chunk, last=last)
        over = self.taken + len(lines) > most_cases
        lines = lines[: max(0, most_cases - self.taken)]
        self.taken += len(lines)
        answer, failed = b"", 0
        if lines:
            answer, failed = cases.answer_lines(
                lines,
                *self.options,
                most_problems=MOST_PROBLEMS,
                errors_left=most_errors - self.failed,
            )
        self.failed += failed
        if self.failed > most_errors:
            refused = Refused(
                422,
                "too-many-errors",
                f"the batch has more than {most_errors:,} lines that are not cases that can be "
                "evaluated; the rest were not read",
            )
        elif over:
            refused = Refused(
                413,
                "too-large",
                f"the batch holds more than {most_cases:,} cases; the rest were not read",
            )
        else:
            return answer, False
        return answer + _error_line(refused), True


def _error_line(refused: Refused) -> bytes:
    body = {"case": None, "error": problem(refused.status, refused.code, refused.detail)}
    return (json.dumps(body) + "\n").encode()


def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such route, a method the route does not take)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
    if status == 405:
        refused = Refused(
            405,
            "method-not-allowed",
            f"{request.method} is not taken at {request.url.path}",
            headers=headers,
        )
    elif status == 404:
        refused = Refused(404, "not-found", f"nothing is at {request.url.path}; see /openapi.json")
    else:
        refused = Refused(status, "bad-request", str(getattr(exc, "detail", "")) or "bad request")
    return problem_response(request, refused)


def _server_error(request: Request, exc: Exception) -> Response:
    """Anything that escaped a route: logged, and answered as a problem document."""
    return problem_response(request, _refusal(exc))


class Api(Starlette):
    """The routes, with the request log, the security headers and the Host check around
    everything, Starlette's own 500 answer included."""

    def __init__(self, settings: Settings, **given: Any) -> None:
        super().__init__(**given)
        self.allowed_hosts = settings.allowed_hosts

    def build_middleware_stack(self) -> Any:
        inner = AllowedHosts(super().build_middleware_stack(), self.allowed_hosts)
        return AccessLog(SecurityHeaders(inner))


def create_app(settings: Settings | None = None) -> Starlette:
    """The API over the library in use; CORS only for the origins given, and only the Host
    headers allowed answered."""
    settings = settings or Settings()
    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["content-type"],
            )
        )
    return Api(
        settings,
        routes=routes(settings),
        middleware=middleware,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
