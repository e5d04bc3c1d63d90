"""The security headers on every answer the API gives, set as a plain ASGI middleware (Starlette's
BaseHTTPMiddleware would hold back the batch's streamed answer)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A JSON answer loads nothing and may be framed by no page; a route that serves a page (/docs)
# sets its own policy, which is kept.
JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Answers hold case data: no cache, shared or private, may keep them, and no page this API's
# answers are opened from tells another site where it was.
HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", JSON_POLICY.encode()),
)


class SecurityHeaders:
    """Adds each of `HEADERS` to an answer that does not already set it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(name).lower() for name, _ in headers}
                headers += [(name, value) for name, value in HEADERS if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
