"""The HTTP API: `csc-rules serve`."""

from __future__ import annotations

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
    "--timeout",
    type=click.FloatRange(0.1, 3600),
    default=30.0,
    show_default=True,
    help="Seconds a client may take to send a body (then 408), and a request answered whole may "
    "take (then 503); a batch may not pause for longer between pieces.",
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
    timeout: float,
) -> None:
    """The HTTP API: the same answers as the CLI, for other systems.

    OpenAPI at /openapi.json, documentation at /docs. It never writes the library (like the
    CLI, it keeps compiled procedures in its cache). Needs the server extra:
    pip install 'csc-rules[server]'."""
    import json
    import os

    try:
        import uvicorn
    except ImportError:
        raise click.ClickException(
            "the HTTP API needs the server extra: pip install 'csc-rules[server]'"
        ) from None
    from ..server.asgi import VARIABLE

    os.environ[VARIABLE] = json.dumps(
        {
            "max_body_bytes": max_body_bytes,
            "max_batch_bytes": max_batch_bytes,
            "max_batch_cases": max_batch_cases,
            "max_batch_errors": max_batch_errors,
            "timeout_seconds": timeout,
            "cors_origins": list(cors_origins),
        }
    )
    uvicorn.run(
        "csc_rules.server.asgi:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        server_header=False,
        date_header=True,
        limit_concurrency=max_connections,
        timeout_keep_alive=5,
    )


COMMANDS = [serve]
