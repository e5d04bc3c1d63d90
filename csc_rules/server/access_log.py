"""One line for each request, in uvicorn's access-log form with the time taken and the size of
the answer added, written once the answer is sent (a streamed answer counted whole), and the
logging set-up `csc-rules serve` gives uvicorn."""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("csc_rules.server.access")
# Characters a path keeps unescaped in the log: those RFC 3986 allows in one.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def printable(text: str) -> str:
    """`text` with every character that is not printable ASCII, and `"` and `\\`, written as
    `\\xNN` (or `\\uNNNN`), so that no request can forge a line, or turn a terminal's text
    around with a bidirectional override, in the log."""
    return "".join(
        c
        if " " < c < "\x7f" and c not in '"\\'
        else (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        for c in text
    )


def target(scope: Scope) -> str:
    """The path and query asked for, as uvicorn logs them: the path percent-encoded, the query
    as sent. Bodies are never logged; no route takes case data in its query (the queries are
    dates, flags, counts, council names and file names), so the query is logged whole, as a
    reader of the log needs it to repeat a request."""
    path = quote(scope.get("root_path", "") + scope.get("path", ""), safe=_PATH_SAFE)
    query = bytes(scope.get("query_string", b"")).decode("latin-1")
    return printable(path + (f"?{query}" if query else ""))


def client(scope: Scope) -> str:
    found = scope.get("client")
    return f"{found[0]}:{found[1]}" if found else "-"


class AccessLog:
    """Logs each HTTP request at info: client, request line, status, bytes and seconds."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        answer: dict[str, Any] = {"status": 0, "size": 0, "logged": False}

        def write() -> None:
            answer["logged"] = True
            log.info(
                '%s - "%s %s HTTP/%s" %s %dB %.3fs',
                client(scope),
                printable(str(scope.get("method", ""))),
                target(scope),
                printable(str(scope.get("http_version", "1.1"))),
                answer["status"] or "-",
                answer["size"],
                time.perf_counter() - began,
            )

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = int(message["status"])
            elif message["type"] == "http.response.body":
                answer["size"] += len(message.get("body", b""))
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                write()

        try:
            await self.app(scope, receive, counted)
        finally:
            if not answer["logged"]:  # the client went away, or the answer was never finished
                write()
