"""The HTTP API: Starlette routes over `csc_rules.application`, the layer the CLI calls, so both
answer alike. Every route only reads the library; every refusal is a problem document."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .. import __version__
from ..diagnostics import Diagnostic
from ..errors import CscRulesError, NotFoundError, NotInForceError
from .problems import MEDIA_TYPE, located, problem

log = logging.getLogger("csc_rules.server")

NDJSON = "application/x-ndjson"


@dataclass(frozen=True)
class Settings:
    """What `csc-rules serve` is given: the bounds on a request and who may call from a page."""

    max_body_bytes: int = 1_000_000  # one case, or one procedure file's text
    max_batch_bytes: int = 100_000_000  # a batch, read and answered a line at a time
    max_batch_cases: int = 100_000
    timeout_seconds: float = 30.0  # for a request answered whole
    cors_origins: tuple[str, ...] = field(default_factory=tuple)


class Refused(Exception):
    """A request refused before any work: its status, code, message and located problems."""

    def __init__(
        self, status: int, code: str, detail: str, problems: tuple[Diagnostic, ...] = ()
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.problems = status, code, detail, problems


def problem_response(request: Request | None, refused: Refused) -> JSONResponse:
    instance = _instance(request) if request is not None else None
    body = problem(refused.status, refused.code, refused.detail, refused.problems, instance)
    return JSONResponse(body, status_code=refused.status, media_type=MEDIA_TYPE)


def _instance(request: Request) -> str:
    """The path asked for, as the URI reference RFC 9457 wants: percent-encoded, as sent."""
    from urllib.parse import quote

    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes) and raw.isascii():
        return raw.decode("ascii")
    return quote(request.url.path)


def _refusal(exc: BaseException) -> Refused:
    """The project's own errors as the refusals they are; anything else is the server's fault."""
    if isinstance(exc, Refused):
        return exc
    if isinstance(exc, NotInForceError):
        return Refused(404, "not-in-force", str(exc))
    if isinstance(exc, NotFoundError):
        return Refused(404, "not-found", str(exc))
    if isinstance(exc, CscRulesError):
        problems = tuple(d for d in getattr(exc, "diagnostics", ()) if isinstance(d, Diagnostic))
        code = getattr(exc, "code", None)
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Refused(400, code if isinstance(code, str) else "bad-request", message, problems)
    log.exception("csc-rules server: unexpected error")
    return Refused(500, "server-error", "the server failed to answer this request; it is logged")


Handler = Callable[[Request], Awaitable[Response]]


def route(settings: Settings, handler: Handler) -> Handler:
    """A handler whose failures become problem documents, answered within the timeout."""

    async def endpoint(request: Request) -> Response:
        try:
            with anyio.fail_after(settings.timeout_seconds):
                return await handler(request)
        except TimeoutError:
            return problem_response(
                request,
                Refused(
                    503,
                    "timed-out",
                    f"the request took longer than {settings.timeout_seconds:g} seconds",
                ),
            )
        except Exception as exc:  # noqa: BLE001 - every failure is answered, none escapes
            return problem_response(request, _refusal(exc))

    return endpoint


# -- reading a request ------------------------------------------------------------------------


def _flag(request: Request, name: str) -> bool:
    value = request.query_params.get(name)
    if value is None:
        return False
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise Refused(400, "bad-parameter", f"`{name}` is `{value[:40]}`: give true or false")


def _date(request: Request, name: str, required: bool = False) -> dt.date | None:
    from ..working_days import CalendarError, parse_date

    value = request.query_params.get(name)
    if value is None:
        if required:
            raise Refused(400, "bad-parameter", f"`{name}` is missing: give a date, YYYY-MM-DD")
        return None
    try:
        return parse_date(value)
    except CalendarError as exc:
        raise Refused(400, "bad-parameter", f"`{name}`: {exc}") from None


def _text(request: Request, name: str, required: bool = False) -> str | None:
    value = request.query_params.get(name)
    if value is None and required:
        raise Refused(400, "bad-parameter", f"`{name}` is missing")
    if value is not None and len(value) > 200:
        raise Refused(400, "bad-parameter", f"`{name}` is longer than 200 characters")
    return value


def _choice(request: Request, name: str, choices: tuple[str, ...], default: str) -> str:
    value = request.query_params.get(name, default)
    if value not in choices:
        raise Refused(
            400, "bad-parameter", f"`{name}` is `{value[:40]}`: give one of {', '.join(choices)}"
        )
    return value


async def _body(request: Request, limit: int) -> bytes:
    """The body, read no further than `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Refused(
            413,
            "too-large",
            f"the body is {int(declared):,} bytes; the API reads at most {limit:,}",
        )
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise Refused(
                413, "too-large", f"the body is more than {limit:,} bytes, the most the API reads"
            )
    return bytes(body)


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(
            400,
            "bad-json",
            f"the body is not UTF-8 text (byte 0x{body[exc.start]:02x} at offset {exc.start})",
        ) from None


YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


def _case_syntax(request: Request) -> str:
    """`json` or `yaml`: how a case file sent in the body is written, from its content type."""
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if kind in YAML_TYPES:
        return "yaml"
    if kind in ("application/json", "text/json", "") or kind.endswith("+json"):
        return "json"
    raise Refused(
        415,
        "unsupported-media-type",
        f"the body is {kind}; send a case file as application/json or application/yaml",
    )


def _json(value: Any, status: int = 200) -> Response:
    text = json.dumps(value, ensure_ascii=False)
    return Response(text, status_code=status, media_type="application/json")


# -- the routes -------------------------------------------------------------------------------


def _procedure_id(request: Request) -> str:
    return f"{request.path_params['council']}/{request.path_params['name']}"


def routes(settings: Settings) -> list[Route]:
    from ..application import cases, procedures, workdays

    async def health(request: Request) -> Response:
        entries, _ = await run_in_threadpool(procedures.catalogue)
        return _json({"status": "ok", "version": __version__, "procedures": len(entries)})

    async def listing(request: Request) -> Response:
        entries, _ = await run_in_threadpool(procedures.catalogue)
        return _json([e.to_json() for e in entries])

    async def summary(request: Request) -> Response:
        on = _date(request, "on")
        return _json(await run_in_threadpool(procedures.summary_json, _procedure_id(request), on))

    async def compiled(request: Request) -> Response:
        on = _date(request, "on")
        text = await run_in_threadpool(procedures.compiled, _procedure_id(request), on)
        return Response(text, media_type="application/json")

    async def diagram(request: Request) -> Response:
        fmt = _choice(request, "format", ("mermaid", "dot"), "mermaid")
        on = _date(request, "on")
        text = await run_in_threadpool(procedures.graph, _procedure_id(request), fmt, on)
        return Response(text, media_type="text/plain; charset=utf-8")

    async def conformance(request: Request) -> Response:
        report = await run_in_threadpool(procedures.conformance, _procedure_id(request))
        return _json(report.to_json())

    async def evaluate(request: Request) -> Response:
        as_of, explain, strict = (
            _date(request, "as_of"),
            _flag(request, "explain"),
            _flag(request, "strict"),
        )
        syntax = _case_syntax(request)
        text = _utf8(await _body(request, settings.max_body_bytes))
        outcome = await run_in_threadpool(
            lambda: cases.evaluate_text(text, as_of, explain, strict, syntax=syntax)
        )
        if outcome.result is None:
            raise Refused(
                422, "invalid-case", _first(outcome.problems, outcome.label), outcome.problems
            )
        return _json(outcome.result.to_json())

    async def eligibility(request: Request) -> Response:
        strict = _flag(request, "strict")
        syntax = _case_syntax(request)
        text = _utf8(await _body(request, settings.max_body_bytes))
        decided = await run_in_threadpool(lambda: cases.decide_text(text, strict, syntax=syntax))
        if decided.case is None or decided.decision is None:
            detail = _first(decided.problems, str(decided.error or decided.label))
            raise Refused(422, "invalid-case", detail, decided.problems)
        return _json(decided.to_json())

    async def workdays_add(request: Request) -> Response:
        start = _date(request, "date", required=True)
        n = _text(request, "n", required=True)
        added = await run_in_threadpool(
            lambda: workdays.add(
                start or dt.date.min,
                n or "",
                before=_flag(request, "before"),
                council=_text(request, "council"),
                region=_text(request, "region"),
                count_closures=_flag(request, "count_closures"),
            )
        )
        return _json(added.to_json())

    async def workdays_between(request: Request) -> Response:
        start, end = _date(request, "start", True), _date(request, "end", True)
        counted = await run_in_threadpool(
            lambda: workdays.between(
                start or dt.date.min,
                end or dt.date.min,
                council=_text(request, "council"),
                region=_text(request, "region"),
                count_closures=_flag(request, "count_closures"),
            )
        )
        return _json(counted.to_json())

    async def validate(request: Request) -> Response:
        name = _text(request, "name") or "procedure.yaml"
        text = _utf8(await _body(request, settings.max_body_bytes))
        report = await run_in_threadpool(procedures.validate_text, text, name)
        return _json(
            {
                "valid": report.ok,
                "errors": len(report.errors),
                "warnings": len(report.warnings),
                "problems": [located(d) for d in report.diagnostics],
            }
        )

    async def openapi(request: Request) -> Response:
        return Response(_openapi_text(), media_type="application/json")

    async def schema(request: Request) -> Response:
        from ..library import rules_dir

        name = f"{request.path_params['schema']}.schema.json"
        found = {p.name: p for p in rules_dir().glob("*.schema.json")}
        if name not in found:
            raise Refused(404, "not-found", f"no schema is called {name}; see /openapi.json")
        return Response(
            found[name].read_text(encoding="utf-8"), media_type="application/schema+json"
        )

    async def docs(request: Request) -> Response:
        from .docs import page

        return HTMLResponse(page(json.loads(_openapi_text())))

    def wrap(handler: Handler) -> Handler:
        return route(settings, handler)

    return [
        Route("/health", wrap(health), methods=["GET"]),
        Route("/procedures", wrap(listing), methods=["GET"]),
        Route("/procedures/{council}/{name}", wrap(summary), methods=["GET"]),
        Route("/procedures/{council}/{name}/compiled", wrap(compiled), methods=["GET"]),
        Route("/procedures/{council}/{name}/diagram", wrap(diagram), methods=["GET"]),
        Route("/conformance/{council}/{name}", wrap(conformance), methods=["GET"]),
        Route("/cases/evaluate", wrap(evaluate), methods=["POST"]),
        Route("/cases/evaluate-batch", Batch(settings), methods=["POST"]),
        Route("/eligibility", wrap(eligibility), methods=["POST"]),
        Route("/workdays/add", wrap(workdays_add), methods=["GET"]),
        Route("/workdays/between", wrap(workdays_between), methods=["GET"]),
        Route("/validate", wrap(validate), methods=["POST"]),
        Route("/openapi.json", wrap(openapi), methods=["GET"]),
        Route("/docs", wrap(docs), methods=["GET"]),
        # the schemas the OpenAPI document refers to by file name, beside it
        Route("/{schema}.schema.json", wrap(schema), methods=["GET"]),
    ]


class Batch:
    """`POST /cases/evaluate-batch`, as a plain ASGI app: it reads the body a piece at a time
    and answers each line as soon as it is evaluated, both at once, so a batch of any size needs
    no more memory than one line. (Starlette's streaming response listens for the client going
    away on the same channel the body arrives on, so it cannot read a body while it answers.)"""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope)
        try:
            as_of = _date(request, "as_of")
            explain, strict = _flag(request, "explain"), _flag(request, "strict")
            declared = request.headers.get("content-length")
            if (
                declared is not None
                and declared.isdigit()
                and int(declared) > self.settings.max_batch_bytes
            ):
                raise Refused(
                    413,
                    "too-large",
                    f"the batch is {int(declared):,} bytes; the API reads at most {self.settings.max_batch_bytes:,}",
                )
        except Refused as refused:
            await problem_response(request, refused)(scope, receive, send)
            return
        first = await receive()
        if first["type"] == "http.disconnect":
            return
        if not first.get("body") and not first.get("more_body", False):
            empty = Refused(
                400,
                "bad-request",
                "the batch is empty: send cases in the case-file format, one JSON object a line",
            )
            await problem_response(request, empty)(scope, receive, send)
            return
        pushed_back = [first]

        async def received() -> Any:
            return pushed_back.pop() if pushed_back else await receive()

        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", NDJSON.encode())],
            }
        )
        async for line in self._answers(received, as_of, explain, strict):
            await send({"type": "http.response.body", "body": line, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _answers(
        self, receive: Any, as_of: dt.date | None, explain: bool, strict: bool
    ) -> AsyncIterator[bytes]:
        """Each line evaluated as it arrives; a line longer than LINE_BYTES is skipped to its
        end without being kept, and answered as too large, as `run` does."""
        from ..limits import LINE_BYTES

        limit, total, count = LINE_BYTES.value, 0, 0
        most_bytes, most_cases = self.settings.max_batch_bytes, self.settings.max_batch_cases
        pending, skipping = bytearray(), False

        async def one(line: bytes | None) -> bytes:
            nonlocal count
            count += 1
            return await run_in_threadpool(_evaluate_line, line, count, as_of, explain, strict)

        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
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
            pending += chunk
            while True:
                end = pending.find(b"\n")
                if skipping:
                    if end < 0:
                        pending.clear()
                        break
                    del pending[: end + 1]
                    skipping = False
                    continue
                if end < 0:
                    if len(pending) > limit:
                        pending.clear()
                        skipping = True
                        yield await one(None)
                    break
                line = bytes(pending[: end + 1])
                del pending[: end + 1]
                if count >= most_cases:
                    yield _error_line(
                        Refused(
                            413,
                            "too-large",
                            f"the batch holds more than {most_cases:,} cases; the rest were not read",
                        )
                    )
                    return
                yield await one(line if len(line) <= limit else None)
            if not message.get("more_body", False):
                break
        if pending.strip() and not skipping:
            yield await one(bytes(pending))


def _evaluate_line(
    line: bytes | None, number: int, as_of: dt.date | None, explain: bool, strict: bool
) -> bytes:
    """One line of a batch, answered as `run --format jsonl` answers it."""
    from ..application import cases

    try:
        [outcome] = list(cases.evaluate_lines([line], as_of, explain, strict, first=number))
        found = cases.outcome_json(outcome)
    except Exception:  # noqa: BLE001 - one case's failure never ends the batch
        log.exception("csc-rules server: unexpected error in a batch")
        found = {
            "case": None,
            "error": problem(
                500, "server-error", "the server failed to answer this case; it is logged"
            ),
        }
    return (json.dumps(found, ensure_ascii=False) + "\n").encode()


def _first(problems: tuple[Diagnostic, ...], fallback: str) -> str:
    errors = [d for d in problems if d.is_error] or list(problems)
    return errors[0].to_text() if errors else fallback


def _error_line(refused: Refused) -> bytes:
    body = {"case": None, "error": problem(refused.status, refused.code, refused.detail)}
    return (json.dumps(body, ensure_ascii=False) + "\n").encode()


def _openapi_text() -> str:
    from ..library import rules_dir

    return (rules_dir() / "openapi.json").read_text(encoding="utf-8")


def _not_found(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException) and exc.status_code == 405:
        return problem_response(
            request,
            Refused(
                405, "method-not-allowed", f"{request.method} is not taken at {request.url.path}"
            ),
        )
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 404:
        return problem_response(
            request,
            Refused(404, "not-found", f"nothing is at {request.url.path}; see /openapi.json"),
        )
    return problem_response(
        request, Refused(status, "bad-request", str(getattr(exc, "detail", exc)))
    )


def create_app(settings: Settings | None = None) -> Starlette:
    """The API, read-only over the library in use; CORS only for the origins given."""
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
    return Starlette(
        routes=routes(settings),
        middleware=middleware,
        exception_handlers={HTTPException: _not_found},
    )
