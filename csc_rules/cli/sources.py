"""`csc-rules sources`: every quotation checked against the saved text of the document it cites."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._base import FORMAT, Command, echo_json


@click.command(cls=Command)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--documents",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    metavar="DIR",
    help="Look for every document's saved text (the file its `text:` names) in DIR, instead of "
    "the documents/ folder beside the council.yaml or vocabulary that lists it.",
)
@click.option(
    "--strict", is_flag=True, help="Fail (exit 1) when a quoted document has no saved text too."
)
@FORMAT
def sources(paths: tuple[Path, ...], documents: Path | None, strict: bool, fmt: str) -> None:
    """Check that every quotation in a `sources:` entry is in the document it cites.

    A quotation is the text in double quotes after a source's document, as in
    `<document>: "..."` or `<document>: section, "..."`. Each is looked up in the saved text of
    the document (the file its `text:` names), with whitespace, quotation marks, dashes and case
    set aside. PATHS are files or folders (default: every file under rules/ and councils/). Each
    quotation not found prints at its line as an error; each document quoted with no saved text
    as a warning, which fails the check only with --strict. Exit 0 when every quotation is found."""
    from ..application.sources import check_quotations

    checked = check_quotations(paths, documents)
    if fmt == "json":
        echo_json(
            {
                "quotations": checked.quotations,
                "found": checked.found,
                "unchecked": checked.unchecked,
                "problems": [d.to_json() for d in checked.diagnostics],
            }
        )
    else:
        for diagnostic in checked.diagnostics:
            click.echo(diagnostic.to_text())
        click.echo(checked.summary(), err=True)
    sys.exit(1 if checked.failed(strict) else 0)


COMMANDS = [sources]
