"""`csc-rules new`: start a council's folder, or one more procedure for a council, from the
baseline it extends."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ._base import Group

if TYPE_CHECKING:
    from ..application.scaffold import Written


@click.group(cls=Group)
def new() -> None:
    """Start a council, or one more procedure of a council, from a baseline.

    The files written list every item the baseline defines, commented out with its value and
    source, ready to uncomment and change. Nothing is ever written over a file that is there."""


@new.command("council")
@click.argument("council")
@click.option("--name", required=True, help="The council's name, as it writes it.")
@click.option(
    "--region",
    default="ENG",
    show_default=True,
    help="Whose bank holidays count: ENG, WLS, SCT or NIR.",
)
@click.option(
    "--extends",
    help="The procedure to extend (default: the library's statutory baseline).",
)
def council(council: str, name: str, region: str, extends: str | None) -> None:
    """Write councils/COUNCIL/: council.yaml, a procedure extending the statutory baseline, and
    scenarios/01-example.yaml, an example case counted on the region's bank holidays.

    COUNCIL is the council's id: lower-case letters, digits and hyphens, like `bexley`."""
    from ..application.scaffold import new_council

    _report(new_council(council, name, region, extends))


@new.command("procedure")
@click.argument("procedure")
@click.option(
    "--extends",
    required=True,
    help="The procedure to extend, as `csc-rules list` shows it, e.g. baseline/corporate.",
)
def procedure(procedure: str, extends: str) -> None:
    """Write councils/COUNCIL/NAME.yaml for PROCEDURE, given as COUNCIL/NAME, extending the
    procedure --extends names. The council must have its council.yaml already."""
    from ..application.scaffold import new_procedure

    _report(new_procedure(procedure, extends))


def _report(written: Written) -> None:
    from ..diagnostics import display_path

    for path in written.files:
        click.echo(f"wrote {display_path(path)}", err=True)
    click.echo("Next:")
    for step in written.next_steps():
        click.echo(f"  {step}")


COMMANDS = [new]
