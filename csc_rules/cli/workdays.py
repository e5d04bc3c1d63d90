"""The `workdays` commands: working-day arithmetic around bank holidays."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click

from ._base import FORMAT, Group, echo_json


@click.group(cls=Group)
def workdays() -> None:
    """Working-day arithmetic around bank holidays.

    A working day is any day but a Saturday, a Sunday or a bank holiday of the region (England
    unless told otherwise). A council's closure days are listed but do not stop the clock unless
    you pass --count-closures."""


def _calendar_options(command: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--council",
                help="A council's calendar: its region's holidays and its closure days.",
            ),
            click.option("--region", help="ENG (default), WLS, SCT or NIR, or the nation's name."),
            click.option(
                "--count-closures",
                is_flag=True,
                help="Treat the council's closure days as non-working.",
            ),
            FORMAT,
        ]
    ):
        command = option(command)
    return command


def _note_closures(closures: Iterable[Any]) -> None:
    from ..application.workdays import closure_note

    for day in closures:
        click.echo(closure_note(day), err=True)


@workdays.command("add", context_settings={"ignore_unknown_options": True})
@click.argument("date")
@click.argument("n")
@click.option("--before", is_flag=True, help="Count N working days back from DATE.")
@_calendar_options
def workdays_add(
    date: str,
    n: str,
    before: bool,
    council: str | None,
    region: str | None,
    count_closures: bool,
    fmt: str,
) -> None:
    """The N-th working day after DATE (or before it, with --before).

    DATE itself is never counted; if it is not a working day, the next working day is day 1."""
    from ..application import workdays as app

    found = app.add(
        date, n, before=before, council=council, region=region, count_closures=count_closures
    )
    if fmt == "json":
        echo_json(found.to_json())
    else:
        click.echo(found.result.isoformat())
        _note_closures(found.closures)


@workdays.command("between")
@click.argument("start")
@click.argument("end")
@_calendar_options
def workdays_between(
    start: str, end: str, council: str | None, region: str | None, count_closures: bool, fmt: str
) -> None:
    """How many working days there are after START up to and including END."""
    from ..application import workdays as app

    found = app.between(start, end, council=council, region=region, count_closures=count_closures)
    if fmt == "json":
        echo_json(found.to_json())
    else:
        click.echo(str(found.count))
        _note_closures(found.closures)


@workdays.command("list")
@click.argument("year", type=click.IntRange(1, 9999))
@_calendar_options
def workdays_list(
    year: int, council: str | None, region: str | None, count_closures: bool, fmt: str
) -> None:
    """The bank holidays (and council closure days) of YEAR, with their names; weekends aside."""
    from ..application import workdays as app

    found = app.year(year, council=council, region=region, count_closures=count_closures)
    if fmt == "json":
        echo_json(found.to_json())
    else:
        click.echo(found.text(), nl=False)
