"""Commands on procedures: validate, list, show, compile, graph, conformance, diff."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._base import FORMAT, Command, echo_json, printed

_ONE_OR_ALL = "give one PROCEDURE, or --all with -o DIR"


@click.command(cls=Command)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@FORMAT
def validate(paths: tuple[Path, ...], fmt: str) -> None:
    """Check procedure files: YAML, schema and meaning, all problems in one run.

    PATHS are files or folders; the default is every file under rules/ and councils/. Each
    problem prints as `path:line:col: error[code]: message`; warnings as `warning[code]`."""
    from ..application import editor
    from ..application import procedures as app

    report = app.validate(paths)
    if fmt == "json":
        echo_json([d.to_json() for d in report.diagnostics])
    else:
        for diagnostic in report.diagnostics:
            click.echo(diagnostic.to_text())
    note = editor.refresh(paths)  # editors offer the names as the library now has them
    if note is not None:
        click.echo(note, err=True)
    if fmt != "json":
        click.echo(app.validation_summary(report), err=True)
    sys.exit(1 if report.errors else 0)


@click.command("list", cls=Command)
@FORMAT
def list_(fmt: str) -> None:
    """List the councils and their procedures, with versions."""
    from ..application import procedures as app

    entries, problems = app.catalogue()
    if fmt == "json":
        echo_json([e.to_json() for e in entries])
    else:
        click.echo(app.catalogue_text(entries), nl=False)
    for problem in problems:
        click.echo(problem.to_text(), err=True)
    sys.exit(1 if problems else 0)


@click.command("compile", cls=Command)
@click.argument("procedure", required=False)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Compile every procedure, baselines too, into the folder -o names.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The file to write (a folder with --all); without it, standard output.",
)
def compile_(procedure: str | None, everything: bool, output: Path | None) -> None:
    """Compile a procedure into the self-contained JSON other systems load.

    PROCEDURE is an id as `csc-rules list` shows it, a YAML file, or a compiled .json file (which
    is checked and written out again). The same procedure always gives the same bytes. Files are
    written whole or not at all, never over a file the command reads; with --all, nothing is
    written unless every procedure compiles."""
    from ..application import procedures as app

    if everything == bool(procedure):
        raise click.UsageError(_ONE_OR_ALL)
    if procedure:
        text = app.compiled(procedure)
        if output is None:
            click.echo(text, nl=False)
        else:
            _write({output: text}, app.inputs(procedure))
        return
    if output is None:
        raise click.UsageError("--all needs -o DIR, the folder to write the compiled files into")
    _write(app.compile_all(output), app.inputs(), folder=output)


def _write(files: dict[Path, str], inputs: list[Path], folder: Path | None = None) -> None:
    """Write the files, each whole or not at all, never over an input; say what was written."""
    from ..application.output import write_files
    from ..diagnostics import display_path

    write_files(files, inputs, folder=folder)
    for path in files:
        click.echo(f"wrote {display_path(path)}", err=True)


@click.command("docs", cls=Command)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    required=True,
    metavar="DIR",
    help="The docs folder to write into (`docs` in a checkout).",
)
def docs(output: Path) -> None:
    """Make every page of docs/ that is generated from the library again: a page per council
    procedure (procedures/), every deadline side by side (comparison.md) and the catalogue of
    ids (catalogue.md). Run it after changing any procedure, baseline or the vocabulary; the
    project's tests fail, naming this command, while a page is out of date. Nothing is written
    unless every page can be made."""
    from ..application import procedures as app
    from ..diagnostics import display_path

    for path in app.write_generated_docs(output):
        click.echo(f"wrote {display_path(path)}", err=True)


@click.command(cls=Command)
@click.argument("procedure")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot", "json"]),
    default="mermaid",
    show_default=True,
    help="mermaid (GitHub renders it), dot (Graphviz), or json (networkx node-link data).",
)
def graph(procedure: str, fmt: str) -> None:
    """Draw a procedure's stage graph: states, the events between them, and each time limit."""
    from ..application import procedures as app

    click.echo(app.graph(procedure, fmt), nl=False)
    printed()


@click.command(cls=Command)
@click.argument("procedure", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Every council procedure, one file each in the folder -o names.",
)
@click.option(
    "--catalogue",
    is_flag=True,
    help="Every id the baselines define (stages, steps, states, events, duties, windows, "
    "extensions, rules, notes) and the shared facts, roles, grounds and documents.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The file to write; with --all, the folder to write <council>-<procedure> files into.",
)
def show(
    procedure: str | None, fmt: str, everything: bool, catalogue: bool, output: Path | None
) -> None:
    """A readable summary of a procedure: stages, steps in order, who acts, each time limit with
    its extensions and sources, and where the council's documents disagree.

    With --all, nothing is written unless every procedure can be shown; with --format json,
    standard output then lists the files written. With --catalogue, the ids a council's file
    may use, each with what it is and its source (docs/catalogue.md is made this way)."""
    from ..application import procedures as app
    from ..diagnostics import display_path

    if catalogue:
        if procedure or everything:
            raise click.UsageError("--catalogue lists every baseline: give no PROCEDURE or --all")
        text = app.ids_catalogue(fmt)
        if output is None:
            click.echo(text, nl=False)
            printed()
        else:
            _write({output: text}, app.inputs())
        return
    if everything == bool(procedure):
        raise click.UsageError(_ONE_OR_ALL)
    if procedure and output is None:
        click.echo(app.summary(procedure, fmt), nl=False)
        if fmt == "json":
            printed()
        return
    if procedure and output is not None:
        files = {output: app.summary(procedure, fmt)}
        _write(files, app.inputs(procedure))
    elif output is None:
        raise click.UsageError("--all needs -o DIR")
    else:
        files = app.summaries(output, fmt)
        _write(files, app.inputs(), folder=output)
    if fmt == "json":
        echo_json({"wrote": [display_path(path) for path in files]})


@click.command(cls=Command)
@click.argument("procedure", required=False)
@click.option(
    "--all", "everything", is_flag=True, help="Every council procedure that extends a baseline."
)
@FORMAT
def conformance(procedure: str | None, everything: bool, fmt: str) -> None:
    """Check a council procedure against the statutory baseline it extends (with --all, every
    version of every council procedure).

    A limit or maximum longer than the statute allows, a worst case longer than the statute's
    over its whole chain (from the request that opens a stage to the answer), or a missing
    statutory duty, is an error (exit 1, with one line per procedure saying why); a tighter
    limit is noted; a limit counted from a different event is a warning that gives the worst
    case in working days; so is one past the statute's limits before any extension. Also warned
    about: a move the statute gives that the procedure takes away, gates or opens later; a rule
    that takes a complaint out of the procedure on the council's word alone; a duty inherited
    from a code not yet in force; an extension on grounds the statute does not give; a report
    that does not reach everyone the statute names; a duty counted from an event the records may
    lack; a settlement while the answer to a report is owed. Each finding gives its sources. The
    conflicts the council's files record are listed."""
    from ..application import procedures as app

    if everything == bool(procedure):
        raise click.UsageError("give one PROCEDURE, or --all")
    reports = []
    if procedure:
        reports.append(app.conformance(procedure))
    else:
        for found in app.conformance_of_all():
            if isinstance(found, str):
                click.echo(f"note: {found}", err=True)
            else:
                reports.append(found)
    if fmt == "json":
        data = [r.to_json() for r in reports]
        echo_json(data if everything else data[0])
    else:
        for report in reports:
            click.echo(app.conformance_text(report), nl=False)
    if any(not r.conformant for r in reports):
        for report in reports:
            if report.verdict:
                click.echo(report.verdict, err=True)
        sys.exit(1)


@click.command("diff", cls=Command)
@click.argument("procedures", nargs=-1)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Every procedure and the statute in one table (docs/comparison.md).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
def diff_(procedures: tuple[str, ...], everything: bool, fmt: str) -> None:
    """Compare two procedures side by side (two councils, two versions, or a council and its
    baseline), deadline by deadline: limit, where it starts and where it ends (what meets it,
    in words), extensions, who acts and source; rule by rule: decision, condition and the
    documents cited; the timescales steps are expected to take; and the steps one has and the
    other does not."""
    from ..application import procedures as app

    if everything:
        if procedures:
            raise click.UsageError("give two PROCEDURES, or --all alone")
        if fmt == "json":
            echo_json(app.side_by_side())
        else:
            click.echo(app.side_by_side_page(), nl=False)
        return
    if len(procedures) != 2:
        raise click.UsageError("give two PROCEDURES to compare, or --all")
    result = app.diff(*procedures)
    if fmt == "json":
        echo_json(result)
    else:
        click.echo(app.diff_text(result, fmt), nl=False)


COMMANDS = [validate, list_, show, compile_, graph, conformance, diff_, docs]
