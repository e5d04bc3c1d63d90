"""The statutory annual report: `csc-rules report`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._base import Command
from ._records import JOBS, records

if TYPE_CHECKING:
    from ..cases.exports import Source


@click.command(cls=Command)
@records
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
    type=click.Choice(["markdown", "text", "json", "csv", "html"]),
    default="markdown",
    show_default=True,
    help="markdown or text for people; json for other systems; csv, one file per table (needs "
    "-o FOLDER); html, one page with a chart beside each table.",
)
@JOBS
@click.option(
    "--strict",
    is_flag=True,
    help="Make no report if any record cannot be counted (by default such records are listed "
    "and the rest counted).",
)
@click.option(
    "--figures",
    type=click.Path(path_type=Path),
    metavar="FILE.yaml",
    help="Figures given beside the records: earlier years' tables as published (shown so "
    "marked), and compliments, enquiries and the Ombudsman's letter (see 'Figures given beside "
    "the records' in docs/complaints-managers.md).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file (a folder for csv) instead of the screen.",
)
def report(
    cases: tuple[Source, ...],
    year: str,
    council: str | None,
    years: int,
    as_of: str | None,
    fmt: str,
    jobs: int | None,
    strict: bool,
    figures: Path | None,
    output: Path | None,
) -> None:
    """The statutory annual report's tables, counted from case records.

    CASES are case files, folders of them, .jsonl files, CSV exports or workbooks (.xlsx);
    --sql and --query read the rows a query returns from a database. Every case is replayed
    (with the irregularity warnings of real records; a case is never refused for one) and
    counted once, by the day it was received. Each table says how it was counted.

    Input that cannot be read (a path that does not exist, a folder with no cases, an export
    without its mapping, no case at all) makes no report: exit code 1. A record that cannot be
    counted (a broken line, an impossible date, a different record under a reference already
    counted) is listed on the error output and in the report, which says so at its top; the
    exit code is then 1, and with --strict no report is made.

    A year with no records shows "no data", never 0, unless --figures gives its tables as the
    council published them."""
    from ..application import report as app
    from ..application.cases import as_of_date, source_paths

    if fmt == "csv" and output is None:
        raise click.UsageError("--format csv writes one file per table: give -o FOLDER")
    data = app.annual_report(
        cases,
        app.check_year(year),
        years,
        council,
        as_of_date(as_of),
        jobs,
        strict=strict,
        refused=lambda line: click.echo(f"not counted: {line}", err=True),
        figures=figures,
    )
    for notice in data["notices"]:
        click.echo(f"note: {notice}", err=True)
    texts = app.report_texts(data, fmt)
    if output is not None:
        read = [*source_paths(cases), *([figures] if figures is not None else [])]
        for path in app.write_report(texts, output, fmt, read):
            click.echo(f"wrote {path}", err=True)
    else:
        click.echo(texts[""], nl=False)
    notice = app.problems_notice(data, fmt, output)  # html: the problems are kept off the page
    if notice:
        click.echo(notice, err=True)
    if data["refused"]["count"]:
        if not notice:
            where = {"json": "`refused`", "csv": "refused.csv"}
            click.echo(
                f"{data['refused']['count']} record(s) could not be counted: see "
                + where.get(fmt, "the end of the report"),
                err=True,
            )
        sys.exit(1)


COMMANDS = [report]
