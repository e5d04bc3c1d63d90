"""What a proposed procedure would do to a caseload: `csc-rules impact`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from ._base import Command, printed
from ._records import JOBS, OUTPUT, records

IMPACT_FORMATS = ("text", "markdown", "json", "csv", "html")

if TYPE_CHECKING:
    from ..cases.exports import Source


@click.command(cls=Command)
@records
@click.option(
    "--proposed",
    type=click.Path(path_type=Path, exists=True),
    required=True,
    metavar="PATH",
    help="The proposed procedure: an edited copy of a procedure file, or a whole library "
    "folder (with rules/ and councils/).",
)
@click.option(
    "--procedure",
    "only",
    metavar="ID",
    help="Only the cases of this procedure (where the proposal changes several).",
)
@click.option(
    "--year",
    metavar="YYYY-YY",
    help="Also the annual report's response times for this year (2024-25), before and after.",
)
@click.option(
    "--as-of", "as_of", help="The day to replay the cases to (YYYY-MM-DD); default today."
)
@click.option(
    "--apply-to-all",
    is_flag=True,
    help="Replay every case of a changed procedure under the latest proposed version, even a "
    "case received when another version was in force.",
)
@JOBS
@click.option(
    "--format",
    "fmt",
    # the names of reports.impact_formats.FORMATS, written here so that start-up imports none
    # of it (tests/test_impact.py holds the two equal)
    type=click.Choice(IMPACT_FORMATS),
    default="text",
    show_default=True,
    help="text or markdown for people; html, a page with a chart of the statuses before and "
    "after for each deadline; json (one document) or csv (the deadlines that moved) for other "
    "systems.",
)
@OUTPUT
def impact(
    cases: tuple[Source, ...],
    proposed: Path,
    only: str | None,
    year: str | None,
    as_of: str | None,
    apply_to_all: bool,
    jobs: int | None,
    fmt: str,
    output: Path | None,
) -> None:
    """What a proposed procedure would do to real cases, before it is published.

    Every case of a procedure the proposal changes is replayed twice, under the library as it
    is and under the proposal, and compared: the change itself (as `diff` words it); for each
    deadline, how many cases are met, missed, overdue, pending and so on before and after, and
    how many moved from one status to another; each deadline whose due date or status moved;
    the warnings that appear or go. The proposal is validated first, and refused with its
    problems before any case is read. CASES are what `run` reads. A case that cannot be read
    is reported on the error output as `run` reports it, and the exit code is then 1."""
    from ..application import impact as app
    from ..application.cases import as_of_date, failure_lines
    from ..application.due import write_to_file
    from ..reports.impact_formats import closing_note, write

    def failed(outcome: Any) -> None:
        for line in failure_lines(outcome.label, outcome.problems):
            click.echo(line, err=True)

    from ..application.report import check_year

    day = as_of_date(as_of)
    if year is not None:
        check_year(year)
    with app.impact(cases, proposed, only, day, apply_to_all, jobs, failed, year) as found:

        def fill(out: IO[Any]) -> None:
            write(fmt, found, out)

        if output is not None:
            write_to_file(output, False, fill, [*cases, proposed])
            click.echo(f"wrote {output}", err=True)
        else:
            fill(sys.stdout)
            sys.stdout.flush()
            printed()
        for line in closing_note(found):
            click.echo(f"note: {line}", err=True)
        failures = found.tally.failed
    if failures:
        raise click.ClickException(
            f"{failures} case{'s' * (failures != 1)} could not be compared; see above"
        )


COMMANDS = [impact]
