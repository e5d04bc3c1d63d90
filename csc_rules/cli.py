"""The `csc-rules` command. Commands import what they need when they run, so `--help` stays fast."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csc-rules")
def cli() -> None:
    """Rules-as-code for English councils' statutory children's social care complaints procedures.

    Exit codes: 0 success, 1 invalid input or a failed check, 2 usage error."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@FORMAT
def validate(paths: tuple[Path, ...], fmt: str) -> None:
    """Check procedure files: YAML, schema and meaning, all problems in one run.

    PATHS are files or folders; the default is every file under rules/ and councils/. Each
    problem prints as `path:line:col: error[code]: message`; warnings as `warning[code]`."""
    from .diagnostics import display_path
    from .library import data_root
    from .validation import validate as run

    report = run(paths or None)
    if fmt == "json":
        click.echo(json.dumps([d.to_json() for d in report.diagnostics], indent=2))
    else:
        for diagnostic in report.diagnostics:
            click.echo(diagnostic.to_text())
        errors, warnings = len(report.errors), len(report.warnings)
        click.echo(
            f"checked {len(report.files)} file{'s' * (len(report.files) != 1)} "
            f"(rules from {display_path(data_root())}): {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}",
            err=True,
        )
    sys.exit(1 if report.errors else 0)


@cli.command("list")
@FORMAT
def list_(fmt: str) -> None:
    """List the councils and their procedures, with versions."""
    from .catalogue import catalogue

    entries, problems = catalogue()
    if fmt == "json":
        click.echo(json.dumps([e.to_json() for e in entries], indent=2))
    else:
        _print_catalogue(entries)
    for problem in problems:
        click.echo(problem.to_text(), err=True)
    sys.exit(1 if problems else 0)


def _print_catalogue(entries: list[Any]) -> None:
    width = max((len(e.id) for e in entries), default=0)
    group = None
    for entry in entries:
        if entry.group != group:
            group = entry.group
            click.echo(
                f"{entry.group_name}"
                + (f" ({entry.group})" if entry.group_name != entry.group else "")
            )
        based = f"  extends {entry.extends}" if entry.extends else ""
        click.echo(
            f"  {entry.id:<{width}}  {entry.kind:<9}  version {entry.version}, in force from {entry.effective}{based}"
        )
        click.echo(f"  {'':<{width}}  {entry.title}")


def main() -> None:
    """Entry point: the CLI, with any error the project raises turned into one line and exit 1."""
    from .errors import CscRulesError

    try:
        cli.main(standalone_mode=True)
    except CscRulesError as exc:
        click.echo(f"csc-rules: error: {exc}", err=True)
        sys.exit(1)
