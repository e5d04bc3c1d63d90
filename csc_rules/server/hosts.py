"""Which Host headers the API answers: a page on another site that points its own name at this
server's address (DNS rebinding) sends that name, and is refused."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from .problems import MEDIA_TYPE, problem

ANY = "*"
# The names a browser uses for this machine. Only these reach a server that listens on a loopback
# address, unless others are given: it is then meant for this machine alone.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def default_hosts(listening_on: str) -> tuple[str, ...]:
    """The Host names answered when none are given: the loopback names on a loopback address,
    else any (the start message says so), as a server on a network address is reached by
    names only its operator knows."""
    name = listening_on.strip("[]").lower()
    loopback = name in LOOPBACK or name.startswith("127.")
    return LOOPBACK if loopback else (ANY,)


def host_name(header: str) -> str:
    """The name in a Host header, without its port: `[::1]:8000` is `::1`."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def allowed(header: str | None, hosts: tuple[str, ...]) -> bool:
    """Whether a Host header names one of `hosts`: `*` is any, `*.example.org` any name under
    it. A request with no Host (HTTP/1.0) is refused unless any is allowed."""
    if ANY in hosts:
        return True
    if header is None:
        return False
    name = host_name(header).rstrip(".")
    for host in hosts:
        wanted = host.lower()
        if name == wanted or (wanted.startswith("*.") and name.endswith(wanted[1:])):
            return True
    return False


class AllowedHosts:
    """Refuses (400, a problem document) a request whose Host header is not allowed."""

    def __init__(self, app: ASGIApp, hosts: tuple[str, ...]) -> None:
        self.app, self.hosts = app, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = [value for name, value in scope["headers"] if name == b"host"]
        header = given[0].decode("latin-1") if len(given) == 1 else None
        if (header is not None or not given) and allowed(header, self.hosts):
            await self.app(scope, receive, send)
            return
        detail = (
            "the Host header names an address this server is not set to answer for; call it by "
            "one of the names its operator gave (csc-rules serve --allowed-hosts)"
        )
        body = json.dumps(problem(400, "bad-host", detail)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [
                    (b"content-type", MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
