"""The statutory annual report: `csc-rules report`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._base import Command, echo_json


@click.command(cls=Command)
@click.argument("cases", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--year", required=True, help="The reporting year, 1 April to 31 March: 2024-25.")
@click.option(
    "--council", help="Count only this council's cases (its folder name under councils/)."
)
@click.option(
    "--years",
    type=click.IntRange(min=1, max=20),
    default=5,
    show_default=True,
    help="How many years the tables show, this one and those before it.",
)
@click.option(
    "--as-of",
    "as_of",
    help="Replay the cases as of this date (YYYY-MM-DD); default the last day of the year.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="markdown for people; json for other systems.",
)
def report(
    cases: tuple[Path, ...],
    year: str,
    council: str | None,
    years: int,
    as_of: str | None,
    fmt: str,
) -> None:
    """The statutory annual report's tables, counted from case records.

    CASES are case files, folders of them, or .jsonl files. Every case is replayed (with the
    irregularity warnings of real records; a case is never refused for one) and counted by the
    day it was received. Each table says how it was counted. A record that cannot be read is
    listed with its reference and why, and the exit code is then 1."""
    from ..application import report as app
    from ..application.cases import as_of_date

    data = app.annual_report(cases, app.check_year(year), years, council, as_of_date(as_of))
    if fmt == "json":
        echo_json(data)
    else:
        click.echo(app.report_markdown(data), nl=False)
    if data["refused"]["count"]:
        click.echo(
            f"{data['refused']['count']} record(s) could not be counted: see `refused`"
            if fmt == "json"
            else f"{data['refused']['count']} record(s) could not be counted: see the last table",
            err=True,
        )
        sys.exit(1)


COMMANDS = [report]
