"""What is due across a caseload: `csc-rules due`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from ._base import Command, printed
from ._records import JOBS, OUTPUT, records

DUE_FORMATS = ("text", "markdown", "json", "csv", "xlsx", "ics")

if TYPE_CHECKING:
    from ..cases.exports import Source


@click.command(cls=Command)
@records
@click.option("--as-of", "as_of", help="The day the list is for (YYYY-MM-DD); default today.")
@click.option(
    "--within",
    type=click.IntRange(min=0),
    metavar="N",
    help="Only what falls due within N working days of that day (and everything overdue).",
)
@click.option("--council", help="Only this council's cases (its folder name under councils/).")
@click.option("--stage", help="Only cases at this stage (a stage id, as `run` shows it).")
@JOBS
@click.option(
    "--format",
    "fmt",
    # the names of reports.due_formats.FORMATS, written here so that start-up imports none
    # of it (tests/test_due.py holds the two equal)
    type=click.Choice(DUE_FORMATS),
    default="text",
    show_default=True,
    help="text or markdown for people; json (one document: the items and a summary) or csv "
    "for other systems; xlsx, an Excel workbook; ics, a calendar to import (with -o).",
)
@click.option(
    "--alarm",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    metavar="N",
    help="With --format ics: a reminder N working days before each due date (0: none).",
)
@OUTPUT
def due(
    cases: tuple[Source, ...],
    as_of: str | None,
    within: int | None,
    council: str | None,
    stage: str | None,
    jobs: int | None,
    fmt: str,
    alarm: int,
    output: Path | None,
) -> None:
    """Every open duty and open window of every open case, overdue first, then by due date:
    the case, its council, what is due in plain words, who acts, the due date with its weekday,
    working days left or late, and whether it was extended.

    CASES are what `run` reads: case files, folders of them, .jsonl files, CSV exports and
    workbooks (.xlsx) with their mapping beside them, or with --sql and --query the rows a query
    returns from a database. A deadline the documents give no limit for is not listed; the closing note
    counts it, with everything else left out. A case that cannot be read is reported on the
    error output as `run` reports it, and the exit code is then 1, after the list."""
    from ..application import due as app
    from ..application.cases import as_of_date, failure_lines

    kept = app.sieve(as_of_date(as_of), within, council, stage)

    def failed(outcome: Any) -> None:
        for line in failure_lines(outcome.label, outcome.problems):
            click.echo(line, err=True)

    chosen = app.formats()[fmt]
    if chosen.binary and output is None and sys.stdout.isatty():
        raise click.UsageError(f"--format {fmt} makes a file: give -o FILE")
    items, totals = app.due_list(cases, kept, jobs, failed)
    options = {"alarm_days": alarm or None, "source": ", ".join(app.source_names(cases))}

    def write_list(out: IO[Any]) -> None:
        app.write(fmt, items, totals, out, options)

    if output is not None:
        app.write_to_file(output, chosen.binary, write_list, cases)
        click.echo(f"wrote {output}", err=True)
    else:
        write_list(sys.stdout.buffer if chosen.binary else sys.stdout)
        sys.stdout.flush()
        printed()
    if chosen.note_on_stderr or output is not None:
        for line in app.closing_note(totals):
            click.echo(f"note: {line}", err=True)
    if totals.failed:
        raise click.ClickException(
            f"{totals.failed} case{'s' * (totals.failed != 1)} could not be listed; see above"
        )


COMMANDS = [due]
