"""uvicorn's HTTP/1.1 protocol (httptools) with the bounds a server on a council's network needs
before a request reaches the API: a request's head is bounded in size (431) and in time (408, or
closed unanswered if nothing came), and uvicorn's own refusals (a malformed request, too many
connections) are problem documents like every other refusal. `csc-rules serve` gives the class
itself to `uvicorn.run(http=...)` (uvicorn 0.29 takes no class path there); the settings come
through the environment, as the app's do, because each worker is a fresh process."""

from __future__ import annotations

import asyncio
import functools
import http
import json
import os
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from .headers import HEADERS
from .problems import MEDIA_TYPE, problem

VARIABLE = "CSC_RULES_SERVER_CONNECTIONS"
# The request line and headers together. Web servers allow 8-16 KB a line; 64 KB in all leaves
# room for the long tokens and cookies a council's gateway may add (and a long id in a path),
# while a connection can hold no more than this and one read from the socket.
HEAD_BYTES = 65_536
HEADER_TIMEOUT = 10.0
# How long a refused connection is read and discarded before it is closed, so that the client,
# still sending, gets the answer rather than a reset.
LINGER_SECONDS = 2.0


# The connections one client address may hold at once: enough for any system calling the API
# (and a proxy's pool), few enough that one machine cannot hold every place of
# `--max-connections` by opening connections again as fast as they are closed.
CLIENT_CONNECTIONS = 50


@functools.cache
def settings() -> dict[str, Any]:
    given: dict[str, Any] = json.loads(os.environ.get(VARIABLE, "{}"))
    return given


def header_timeout() -> float:
    return float(settings().get("header_timeout", HEADER_TIMEOUT))


def client_connections() -> int:
    return int(settings().get("client_connections", CLIENT_CONNECTIONS))


class HeadTooLarge(Exception):
    """Raised in the parser's callback to stop it; answered 431."""


class BoundedProtocol(HttpToolsProtocol):
    """One connection: the head of each request within `HEAD_BYTES` and the header timeout,
    counted from when the server starts waiting for it (the connection opened, or the previous
    answer sent), and refusals as problem documents."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        # Checked here instead of by uvicorn, whose answer past the limit is plain text.
        self.connection_limit = self.limit_concurrency
        self.limit_concurrency = None
        self.header_timeout = header_timeout()
        self.reading_head = True
        self.head_bytes = 0  # read from the socket since the server began waiting for a head
        self.head_size = 0  # of the request line and headers, as parsed
        self.head_timer: asyncio.TimerHandle | None = None
        self.refusal: tuple[int, str, str] | None = None
        self.refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if self.client_held() > client_connections():
            self.refused = True
            # Closed at once, not lingering: a client opening connections as fast as it can
            # must not hold places while its refusals are read.
            self.transport.write(
                answer(
                    503,
                    "too-many-connections",
                    f"this address holds more than {client_connections():,} connections, the "
                    "most one client may; close some and try again",
                    self.server_state.default_headers,
                    ((b"retry-after", b"1"),),
                )
            )
            self.transport.close()
            return
        self.await_head()

    def client_held(self) -> int:
        """The connections this one's client address holds, this one counted, those being
        refused not."""
        if not self.client:
            return 0
        address = self.client[0]
        return sum(
            1
            for other in self.connections
            if isinstance(other, BoundedProtocol)
            and not other.refused
            and other.client
            and other.client[0] == address
        )

    def connection_lost(self, exc: Exception | None) -> None:
        self.cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.refused:
            return  # the answer is sent: what follows is read only to be dropped
        if self.reading_head:
            self.head_bytes += len(data)
        super().data_received(data)
        if self.reading_head and self.head_bytes > HEAD_BYTES and not self.refused:
            self.refuse(*too_large())

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.head_size = 0

    def on_url(self, url: bytes) -> None:
        self.head_size += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self.head_size += len(name) + len(value) + 4  # ": " and the line's end
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self.cancel_head_timer()
        self.reading_head = False
        if self.head_size > HEAD_BYTES:
            # httptools stops at an exception in a callback and uvicorn answers "400"; the
            # refusal set here makes that answer a 431 (see send_400_response).
            self.refusal = too_large()
            raise HeadTooLarge
        app = self.app
        if self.connection_limit is not None and (
            len(self.connections) >= self.connection_limit
            or len(self.tasks) >= self.connection_limit
        ):
            self.logger.warning("Exceeded concurrency limit.")
            self.app = too_many_connections
        try:
            super().on_headers_complete()
        finally:
            self.app = app

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self.reading_head, self.head_bytes = True, 0

    def on_response_complete(self) -> None:
        waiting = not self.pipeline
        super().on_response_complete()
        if waiting and not self.transport.is_closing():
            self.await_head()

    def _unsupported_upgrade_warning(self) -> None:
        # uvicorn's warning here tells the reader to install a WebSocket library; the API has no
        # WebSocket route, so an upgrade asked for is answered as plain HTTP, said at debug.
        self.logger.debug("an upgrade to another protocol was asked for and answered as HTTP")

    def send_400_response(self, msg: str) -> None:
        self.refuse(
            *(
                self.refusal
                or (400, "bad-request", "the request is not well-formed HTTP/1.1 and is not read")
            )
        )

    def await_head(self) -> None:
        self.cancel_head_timer()
        self.head_timer = self.loop.call_later(self.header_timeout, self.head_timed_out)

    def cancel_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def head_timed_out(self) -> None:
        self.head_timer = None
        if self.refused or self.transport.is_closing():
            return
        if not self.head_bytes:
            self.transport.close()  # nothing was asked, so nothing is answered
            return
        seconds = f"{self.header_timeout:g} second{'' if self.header_timeout == 1 else 's'}"
        self.refuse(408, "timed-out", f"the request's line and headers did not come in {seconds}")

    def refuse(self, status: int, code: str, detail: str) -> None:
        """Answer `status` as a problem document and close, unless an answer is already being
        written on this connection (a pipelined request): then only close."""
        self.refused = True
        self.cancel_head_timer()
        if self.cycle is not None and not self.cycle.response_complete:
            self.transport.close()
            return
        self.transport.write(answer(status, code, detail, self.server_state.default_headers))
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_SECONDS, self.transport.close)


def too_large() -> tuple[int, str, str]:
    return (
        431,
        "headers-too-large",
        f"the request's line and headers are more than {HEAD_BYTES:,} bytes, the most the API "
        "reads",
    )


def answer(
    status: int,
    code: str,
    detail: str,
    default_headers: list[tuple[bytes, bytes]],
    extra: tuple[tuple[bytes, bytes], ...] = (),
) -> bytes:
    """A whole HTTP/1.1 answer carrying a problem document, that closes the connection."""
    body = json.dumps(problem(status, code, detail)).encode("ascii")
    headers = [
        *default_headers,
        (b"content-type", MEDIA_TYPE.encode("ascii")),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"connection", b"close"),
        *HEADERS,  # answered before the app, so its middleware does not add them
        *extra,
    ]
    phrase = http.HTTPStatus(status).phrase
    lines = [f"HTTP/1.1 {status} {phrase}".encode("ascii")]
    lines += [name + b": " + value for name, value in headers]
    return b"\r\n".join([*lines, b"", body])


async def too_many_connections(scope: Any, receive: Any, send: Any) -> None:
    """The answer past `--max-connections`, as an ASGI app, as uvicorn gives its own."""
    body = json.dumps(
        problem(
            503,
            "too-many-connections",
            "the server is serving as many connections as it takes; try again shortly",
        )
    ).encode("ascii")
    headers = [
        (b"content-type", MEDIA_TYPE.encode("ascii")),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"connection", b"close"),
        (b"retry-after", b"1"),
        *HEADERS,
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
