"""The `csc-rules` command: thin command definitions over `csc_rules.application`, one module
per command group. Commands import what they need when they run, so `--help` stays fast."""

from __future__ import annotations

import sys

import click

from .._version import __version__
from . import cases, due, editor, impact, new, procedures, report, serve, site, sources
from ._base import Cli
from .workdays import workdays

__all__ = ["cli", "main"]


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csc-rules")
def cli() -> None:
    """Rules-as-code for English councils' statutory children's social care complaints procedures.

    Exit codes: 0 success, 1 invalid input or a failed check, 2 usage error."""


for _command in (
    *procedures.COMMANDS,
    *editor.COMMANDS,
    *cases.COMMANDS,
    *due.COMMANDS,
    *impact.COMMANDS,
    *report.COMMANDS,
    *site.COMMANDS,
    *serve.COMMANDS,
    *sources.COMMANDS,
    *new.COMMANDS,
    workdays,
):
    cli.add_command(_command)


def main() -> None:
    """Entry point of the `csc-rules` command. Bad input is reported by the commands themselves;
    anything else that escapes is a bug, reported in one line (CSC_RULES_DEBUG=1 shows the
    trace)."""
    import os

    from ._terminal import escape_output

    escape_output()
    try:
        cli.main(standalone_mode=True)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("CSC_RULES_DEBUG"):
            raise
        click.echo(
            f"csc-rules: internal error ({type(exc).__name__}: {exc}). This is a bug in csc-rules: "
            "please report it with the command and files that caused it (CSC_RULES_DEBUG=1 shows the details).",
            err=True,
        )
        sys.exit(1)
