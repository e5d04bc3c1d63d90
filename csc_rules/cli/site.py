"""The generated site: `csc-rules site`."""

from __future__ import annotations

from pathlib import Path

import click

from ._base import FORMAT, Command, echo_json


@click.command(cls=Command)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help=(
        "The folder to write the site into: new, empty, or a site this command made before "
        "that holds only the files it wrote, unchanged."
    ),
)
@click.option(
    "--on",
    "on",
    help="Show the version of each procedure in force on this date (YYYY-MM-DD); default today.",
)
@FORMAT
def site(output: Path, on: str | None, fmt: str) -> None:
    """The public process maps, the children's pages and the staff pages, as a static site.

    For each council procedure in force: a process map with a panel for every step and a "when
    should I hear back?" calculator, a page for children and young people in the plain words of
    the rules (with its readability score), and a page for staff with the summary, the notes and
    a stage diagram; and a comparison of every procedure. Open index.html in a browser: the site
    needs no server and fetches nothing."""
    from ..application.cases import as_of_date
    from ..application.site import build
    from ..site.readability import TARGET_GRADE

    built = build(output, as_of_date(on))
    if fmt == "json":
        echo_json(built.to_json())
    else:
        click.echo(f"wrote {len(built.pages)} pages to {output}; open {output / 'index.html'}")
        for procedure_id, score in built.readability.items():
            click.echo(f"{procedure_id}: children's page: {score.summary()}")
    for procedure_id, score in built.readability.items():
        if not score.meets_target:
            hardest = "; ".join(f"{s!r} (grade {g:.1f})" for g, s in score.hardest)
            click.echo(
                f"warning: {procedure_id}: the children's page reads at grade {score.grade:.1f}, "
                f"above the target of {TARGET_GRADE:g}; shorten these first: {hardest}",
                err=True,
            )
    for procedure_id, missing in built.unplain.items():
        click.echo(
            f"note: {procedure_id}: no plain words for {', '.join(missing)}; the public pages "
            "show the rules' own words there (add `plain` to them)",
            err=True,
        )


COMMANDS = [site]
