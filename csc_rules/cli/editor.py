"""The `schema` command: the JSON Schema editors read, with the library's names."""

from __future__ import annotations

from pathlib import Path

import click

from ._base import Command


@click.command(cls=Command)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the schema to this file (a new one, or one this command wrote) instead of printing it.",
)
def schema(output: Path | None) -> None:
    """The JSON Schema for procedure files, with every name the library defines.

    It is rules/procedure.schema.json with each field that names an event, state, stage, step,
    duty, window, rule, role, fact, ground or document held to the names that exist, each with
    what it is, so that an editor (VS Code's YAML extension) offers them and flags a misspelt
    one. The library keeps it at rules/library.schema.json, where the procedure files' first
    line points, and `csc-rules validate` rewrites it whenever the names change."""
    from ..application import editor

    if output is None:
        click.echo(editor.schema_text(), nl=False)
    else:
        editor.write_schema(output)
        click.echo(f"wrote {output}", err=True)


COMMANDS = [schema]
