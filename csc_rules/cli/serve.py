"""The HTTP API: `csc-rules serve`."""

from __future__ import annotations

from typing import Any

import click

from ._base import Command


@click.command(cls=Command)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes; each holds the compiled procedures in memory.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Let pages from this origin (https://example.org) call the API; repeat for more. Off "
    "unless given.",
)
@click.option(
    "--max-body-bytes",
    type=click.IntRange(1_000, 100_000_000),
    default=1_000_000,
    show_default=True,
    help="The largest body of one case, or one procedure file's text.",
)
@click.option(
    "--max-batch-bytes",
    type=click.IntRange(1_000, 10_000_000_000),
    default=100_000_000,
    show_default=True,
    help="The largest batch posted to /cases/evaluate-batch.",
)
@click.option(
    "--max-batch-cases",
    type=click.IntRange(1, 100_000_000),
    default=100_000,
    show_default=True,
    help="The most cases one batch may hold; the rest are answered by one error line.",
)
@click.option(
    "--max-batch-errors",
    type=click.IntRange(0, 100_000_000),
    default=1_000,
    show_default=True,
    help="The most lines of a batch answered with an error; past them one error line ends it.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(1, 100_000),
    default=1_000,
    show_default=True,
    help="Connections served at once, per worker; more are answered 503 at once.",
)
@click.option(
    "--max-client-connections",
    type=click.IntRange(1, 100_000),
    default=50,
    show_default=True,
    help="Connections one client address may hold at once, per worker; more are answered 503 "
    "and closed at once. Behind a proxy every call comes from its address: raise it to "
    "--max-connections there.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 3600),
    default=30.0,
    show_default=True,
    help="Seconds a client may take to send a body (then 408), and a request answered whole may "
    "take (then 503); a batch may not pause for longer between pieces.",
)
@click.option(
    "--header-timeout",
    type=click.FloatRange(0.1, 3600),
    default=10.0,
    show_default=True,
    help="Seconds a connection may take to send a request's line and headers, from when it "
    "opens or was last answered; then it is closed (408 if it had sent part of them).",
)
@click.option(
    "--allowed-hosts",
    "allowed_hosts",
    multiple=True,
    metavar="HOST",
    help="A name the server answers to in the Host header (example.org, *.example.org, or * for "
    "any); repeat for more. Default: on a loopback address, 127.0.0.1, localhost and ::1 only; "
    "otherwise any.",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
    help="The least serious message logged; each request is logged at info.",
)
def serve(
    host: str,
    port: int,
    workers: int,
    cors_origins: tuple[str, ...],
    max_body_bytes: int,
    max_batch_bytes: int,
    max_batch_cases: int,
    max_batch_errors: int,
    max_connections: int,
    max_client_connections: int,
    timeout: float,
    header_timeout: float,
    allowed_hosts: tuple[str, ...],
    log_level: str,
) -> None:
    """The HTTP API: the same answers as the CLI, for other systems.

    OpenAPI at /openapi.json, documentation at /docs. It never writes the library (like the
    CLI, it keeps compiled procedures in its cache). Needs the server extra:
    pip install 'csc-rules[server]'."""
    import json
    import logging.config
    import os

    try:
        import uvicorn

        from ..server import protocol  # needs httptools, of uvicorn's standard extra
    except ImportError:
        raise click.ClickException(
            "the HTTP API needs the server extra: pip install 'csc-rules[server]'"
        ) from None
    from ..server.asgi import VARIABLE
    from ..server.hosts import default_hosts

    hosts = allowed_hosts or default_hosts(host)

    os.environ[VARIABLE] = json.dumps(
        {
            "max_body_bytes": max_body_bytes,
            "max_batch_bytes": max_batch_bytes,
            "max_batch_cases": max_batch_cases,
            "max_batch_errors": max_batch_errors,
            "timeout_seconds": timeout,
            "cors_origins": list(cors_origins),
            "allowed_hosts": list(hosts),
        }
    )
    os.environ[protocol.VARIABLE] = json.dumps(
        {"header_timeout": header_timeout, "client_connections": max_client_connections}
    )
    config = _logging_config(log_level)
    logging.config.dictConfig(config)  # now, so that the start line is written as uvicorn's are
    _start_message(
        host,
        port,
        hosts,
        max_body_bytes,
        max_batch_bytes,
        max_batch_cases,
        max_connections,
        timeout,
    )
    uvicorn.run(
        "csc_rules.server.asgi:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=config,
        log_level=log_level,
        access_log=False,  # each request is logged by the app, with its time and size
        server_header=False,
        date_header=True,
        limit_concurrency=max_connections,
        timeout_keep_alive=5,
        http=protocol.BoundedProtocol,
        ws="none",  # the API has no WebSocket route: an upgrade is answered as plain HTTP
    )


def _start_message(host: str, port: int, hosts: tuple[str, ...], *bounds: float) -> None:
    """One line at info: where the server listens, the library it serves, its bounds and the
    Host headers it answers."""
    import logging

    from ..diagnostics import display_path
    from ..reading.locations import data_root

    body, batch, cases, connections, timeout = bounds
    shown = f"[{host}]" if ":" in host else host
    answers = (
        "any Host header (give --allowed-hosts to answer only the names it is called by)"
        if "*" in hosts
        else "Host " + ", ".join(hosts)
    )
    logging.getLogger("csc_rules.server").info(
        "csc-rules serve on http://%s:%d: rules from %s; bodies of at most %s bytes, batches "
        "of %s bytes and %s cases, %s connections, %g s; %s",
        shown,
        port,
        display_path(data_root()),
        f"{body:,}",
        f"{batch:,}",
        f"{cases:,}",
        f"{connections:,}",
        timeout,
        answers,
    )


def _logging_config(level: str) -> dict[str, Any]:
    """uvicorn's logging set-up, with the server's own loggers written as uvicorn's are, at
    `level`: the request lines on standard output, the rest on standard error."""
    from uvicorn.config import LOGGING_CONFIG

    from ..server.access_log import log

    config: dict[str, Any] = {**LOGGING_CONFIG, "loggers": {**LOGGING_CONFIG["loggers"]}}
    config["handlers"] = {
        **LOGGING_CONFIG["handlers"],
        "csc_rules_access": {
            "formatter": "default",
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
        },
    }
    config["loggers"]["csc_rules"] = {
        "handlers": ["default"],
        "level": level.upper(),
        "propagate": False,
    }
    config["loggers"][log.name] = {"handlers": ["csc_rules_access"], "propagate": False}
    return config


COMMANDS = [serve]
