"""The `csc-rules` command. Commands import what they need when they run, so `--help` stays fast."""

from __future__ import annotations

import errno
import json
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)


# Kept in the click context's `meta`, which every command of one run shares.
_ARGS = "csc_rules.args"  # the arguments as given, for when they could not be parsed
_FORMAT = "csc_rules.format"  # the --format a command was given, once parsed
_PRINTED = "csc_rules.printed"  # the command has printed its JSON document
_JSON_FORMATS = ("json", "jsonl")


class _Command(click.Command):
    """Notes the --format a command runs with, so that its failure can be printed in it."""

    def invoke(self, ctx: click.Context) -> Any:
        ctx.meta[_FORMAT] = ctx.params.get("fmt")
        return super().invoke(ctx)


class _Group(click.Group):
    command_class = _Command


class _Cli(_Group):
    """The one place where failures are reported: the project's own errors become click's
    one-line `Error: ...` and exit code 1 (usage errors keep 2), and with --format json or jsonl
    stdout gets one JSON document `{"error": {...}}` too, unless the command printed its own."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_ARGS] = list(args)
        try:
            return super().parse_args(ctx, args)
        except click.ClickException as exc:
            _print_json_error(ctx, exc)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import CscRulesError, DefinitionError

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort):
            raise
        except click.ClickException as exc:
            _print_json_error(ctx, exc, exc.format_message())
            raise
        except DefinitionError as exc:
            for diagnostic in exc.diagnostics:
                click.echo(diagnostic.to_text(), err=True)
            count = len(exc.diagnostics)
            message = f"the procedure has {count} error{'s' * (count != 1)}; fix {'it' if count == 1 else 'them'} first (see `csc-rules validate`)"
            _print_json_error(ctx, exc, message)
            raise click.ClickException(message) from None
        except CscRulesError as exc:
            from .output import Failures

            if isinstance(exc, Failures):  # its message sums up the problems: print them first
                for diagnostic in exc.diagnostics:
                    click.echo(diagnostic.to_text(), err=True)
            _print_json_error(ctx, exc)
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE or not exc.filename:  # a closed pipe is click's to handle
                raise
            from .diagnostics import display_path
            from .output import CommandError

            failure = CommandError(
                f"cannot read {display_path(str(exc.filename))}: {exc.strerror or exc}; check the path",
                code="file-unreadable",
                path=str(exc.filename),
            )
            _print_json_error(ctx, failure)
            raise click.ClickException(str(failure)) from None
        except Exception as exc:  # a bug: main() reports it; programs still get their JSON
            _print_json_error(ctx, exc, f"internal error ({type(exc).__name__}: {exc})")
            raise


def _requested_format(args: list[str]) -> str | None:
    """The last `--format X` or `--format=X` of arguments click could not parse."""
    found = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--format" and index + 1 < len(args):
            found = args[index + 1]
        elif arg.startswith("--format="):
            found = arg.split("=", 1)[1]
    return found


def _json_wanted(ctx: click.Context) -> str | None:
    fmt = ctx.meta.get(_FORMAT) or _requested_format(ctx.meta.get(_ARGS, []))
    return fmt if fmt in _JSON_FORMATS else None


def _print_json_error(ctx: click.Context, exc: BaseException, message: str | None = None) -> None:
    from .output import error_json

    fmt = _json_wanted(ctx)
    if fmt and not ctx.meta.get(_PRINTED):
        _echo_json({"error": error_json(exc, message)}, lines=fmt == "jsonl")


def _echo_json(value: Any, *, lines: bool = False) -> None:
    """Print a JSON document (with `lines`, on one line, as jsonl wants), and note that it was."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=None if lines else 2))
    _printed()


def _printed() -> None:
    """Note that the command has printed its result, so that a failure adds no second document."""
    context = click.get_current_context(silent=True)
    if context is not None:
        context.meta[_PRINTED] = True


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csc-rules")
def cli() -> None:
    """Rules-as-code for English councils' statutory children's social care complaints procedures.

    Exit codes: 0 success, 1 invalid input or a failed check, 2 usage error."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@FORMAT
def validate(paths: tuple[Path, ...], fmt: str) -> None:
    """Check procedure files: YAML, schema and meaning, all problems in one run.

    PATHS are files or folders; the default is every file under rules/ and councils/. Each
    problem prints as `path:line:col: error[code]: message`; warnings as `warning[code]`."""
    from .diagnostics import display_path
    from .library import data_root
    from .procedures import validate as run

    report = run(paths or None)
    if fmt == "json":
        _echo_json([d.to_json() for d in report.diagnostics])
    else:
        for diagnostic in report.diagnostics:
            click.echo(diagnostic.to_text())
        errors, warnings = len(report.errors), len(report.warnings)
        click.echo(
            f"checked {len(report.files)} file{'s' * (len(report.files) != 1)} "
            f"(rules from {display_path(data_root())}): {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}",
            err=True,
        )
    sys.exit(1 if report.errors else 0)


@cli.command("list")
@FORMAT
def list_(fmt: str) -> None:
    """List the councils and their procedures, with versions."""
    from .procedures import library

    entries, problems = library().catalogue()
    if fmt == "json":
        _echo_json([e.to_json() for e in entries])
    else:
        _print_catalogue(entries)
    for problem in problems:
        click.echo(problem.to_text(), err=True)
    sys.exit(1 if problems else 0)


def _print_catalogue(entries: list[Any]) -> None:
    width = max((len(e.id) for e in entries), default=0)
    group = None
    for entry in entries:
        if entry.group != group:
            group = entry.group
            click.echo(
                f"{entry.group_name}"
                + (f" ({entry.group})" if entry.group_name != entry.group else "")
            )
        based = f"  extends {entry.extends}" if entry.extends else ""
        click.echo(
            f"  {entry.id:<{width}}  {entry.kind:<9}  version {entry.version}, in force from {entry.effective}{based}"
        )
        click.echo(f"  {'':<{width}}  {entry.title}")


def _council_procedures() -> list[str]:
    from .procedures import library

    return library().council_procedures()


@cli.command("compile")
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
    from .compiler import dumps
    from .procedures import library, load_procedure

    if everything == bool(procedure):
        raise click.UsageError("give one PROCEDURE, or --all with -o DIR")
    if not everything:
        text = dumps(load_procedure(str(procedure)))
        if output is None:
            click.echo(text, nl=False)
        else:
            _write({output: text}, _inputs(str(procedure)))
        return
    if output is None:
        raise click.UsageError("--all needs -o DIR, the folder to write the compiled files into")
    entries = library().catalogue()[0]
    ids = [entry.id for entry in entries]
    jobs = {}
    for entry in entries:
        name = entry.id.replace("/", "-") + (f"-{entry.version}" if ids.count(entry.id) > 1 else "")
        jobs[output / f"{name}.json"] = (
            entry.id,
            entry.path,
            lambda path=entry.path: dumps(load_procedure(Path(path))),
        )
    _write(_every_one(jobs, output, "compiled"), _inputs(), folder=output)


def _inputs(*named: str) -> list[Path]:
    """What a command that compiles procedures may read: the files named, and the library."""
    from .library import is_file, library_files, rules_dir

    files = [Path(reference) for reference in named if is_file(Path(reference))]
    return [*files, *library_files(), *sorted(rules_dir().glob("*.json"))]


def _every_one(jobs: dict[Path, tuple[str, str, Any]], folder: Path, done: str) -> dict[Path, str]:
    """Each file's text, made by its job; if any job fails, every failure and nothing to write."""
    from .diagnostics import ERROR, Diagnostic, sort_unique
    from .errors import CscRulesError
    from .output import Failures

    texts: dict[Path, str] = {}
    failed: list[str] = []
    problems: list[Diagnostic] = []
    for target, (procedure_id, source, make) in jobs.items():
        try:
            texts[target] = make()
        except CscRulesError as exc:
            failed.append(procedure_id)
            found = getattr(exc, "diagnostics", None)
            if found:
                problems.extend(d for d in found if isinstance(d, Diagnostic))
            else:
                message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                problems.append(Diagnostic(source, 1, 1, ERROR, "not-" + done, message))
    if failed:
        raise Failures(
            f"{len(failed)} of {len(jobs)} procedures could not be {done} ({', '.join(failed)}), "
            f"so nothing was written to {display(folder)}: fix them first (see `csc-rules validate`)",
            sort_unique(problems),
            code="not-" + done,
        )
    return texts


def _write(files: dict[Path, str], inputs: list[Path], folder: Path | None = None) -> None:
    """Write the files, each whole or not at all, never over an input; say what was written."""
    from .output import prepare_folder, refuse_inputs, write_files

    refuse_inputs(files, inputs)
    if folder is not None:
        prepare_folder(folder)
    write_files(files, inputs)
    for path in files:
        click.echo(f"wrote {display(path)}", err=True)


@cli.command()
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
    from .diagrams import render
    from .procedures import load_procedure

    click.echo(render(load_procedure(procedure), fmt), nl=False)
    _printed()


@cli.command()
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
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The file to write; with --all, the folder to write <council>-<procedure> files into.",
)
def show(procedure: str | None, fmt: str, everything: bool, output: Path | None) -> None:
    """A readable summary of a procedure: stages, steps in order, who acts, each time limit with
    its extensions and sources, and where the council's documents disagree.

    With --all, nothing is written unless every procedure can be shown; with --format json,
    standard output then lists the files written."""
    from .procedures import load_procedure
    from .summary import as_json, markdown, text

    def render(compiled: Any) -> str:
        if fmt == "json":
            return json.dumps(as_json(compiled), indent=2, ensure_ascii=False) + "\n"
        return markdown(compiled) if fmt == "markdown" else text(compiled)

    if everything == bool(procedure):
        raise click.UsageError("give one PROCEDURE, or --all with -o DIR")
    if procedure and output is None:
        compiled = load_procedure(procedure)
        if fmt == "json":
            _echo_json(as_json(compiled))
        else:
            click.echo(render(compiled), nl=False)
        return
    if procedure and output is not None:
        files = {output: render(load_procedure(procedure))}
        _write(files, _inputs(procedure))
    elif output is None:
        raise click.UsageError("--all needs -o DIR")
    else:
        suffix = {"text": "txt", "markdown": "md", "json": "json"}[fmt]
        jobs = {
            output / f"{procedure_id.replace('/', '-')}.{suffix}": (
                procedure_id,
                procedure_id,
                lambda procedure_id=procedure_id: render(load_procedure(procedure_id)),
            )
            for procedure_id in _council_procedures()
        }
        files = _every_one(jobs, output, "shown")
        _write(files, _inputs(), folder=output)
    if fmt == "json":
        _echo_json({"wrote": [display(path) for path in files]})


@cli.command()
@click.argument("cases", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", help="The date to evaluate on (YYYY-MM-DD); default today.")
@click.option("--explain", is_flag=True, help="Say why each due date falls where it does.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text for people; json (one object, or a list for several cases); jsonl, one object a line.",
)
def run(cases: tuple[Path, ...], as_of: str | None, explain: bool, fmt: str) -> None:
    """Replay cases and say where each stands: state, every deadline, what may happen next.

    CASES are case files (YAML or JSON), folders of them, or .jsonl files with one case per line.
    A broken case is reported with its id and the rest carry on; the exit code is 1 if any was."""
    from .runner import run_cases
    from .working_days import parse_date

    day = parse_date(as_of) if as_of else None
    output = _Cases(fmt, cases, "evaluated")
    show_bar = output.many and fmt != "text" and sys.stderr.isatty()
    outcomes = run_cases(list(cases), day, explain)
    with click.progressbar(outcomes, label="cases", file=sys.stderr, hidden=not show_bar) as bar:
        for outcome in bar:
            if outcome.result is None:
                output.failed(outcome.label, outcome.problems)
            elif fmt == "text":
                from .timeline import timeline

                click.echo(timeline(outcome.result, explain=explain))
            else:
                output.add(outcome.result.to_json())
    output.finish()


class _Cases:
    """What `run` and `eligibility` print: each case's result, or its error in the result's place.

    With json, one document: an object for one case file, a list for several cases (several
    files, a folder, a .jsonl file). With jsonl, one line a case. A failed case is
    `{"case": label, "error": {...}}` there, and its problems also go to stderr, as with text."""

    def __init__(self, fmt: str, paths: tuple[Path, ...], done: str) -> None:
        from .library import is_folder

        self.fmt, self.done = fmt, done
        self.many = len(paths) > 1 or any(p.suffix == ".jsonl" or is_folder(p) for p in paths)
        self.entries: list[dict[str, Any]] = []
        self.failures = 0

    def add(self, entry: dict[str, Any]) -> None:
        if self.fmt == "jsonl":
            _echo_json(entry, lines=True)
        elif self.fmt == "json":
            self.entries.append(entry)

    def failed(self, label: str, problems: Any, exc: BaseException | None = None) -> None:
        from .output import error_json, problems_json

        self.failures += 1
        for problem in problems:
            click.echo(f"{label}: {problem.to_text()}", err=True)
        if exc is not None and not problems:
            click.echo(f"{label}: {str(exc).splitlines()[0] if str(exc) else exc!r}", err=True)
        error = problems_json(list(problems)) if problems else error_json(exc or Exception(label))
        self.add({"case": label, "error": error})

    def finish(self) -> None:
        if self.fmt == "json":
            single = not self.many and len(self.entries) == 1
            _echo_json(self.entries[0] if single else self.entries)
        if self.failures:
            raise click.ClickException(
                f"{self.failures} case{'s' * (self.failures != 1)} could not be {self.done}; see above"
            )


@cli.command()
@click.argument("cases", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text for people; json (one object, or a list for several cases); jsonl, one object a line.",
)
def eligibility(cases: tuple[Path, ...], fmt: str) -> None:
    """Decide whether each case is a complaint for its procedure: eligible, ineligible, at the
    council's discretion, or redirected elsewhere, with every rule that fired and its source.
    A rule that needs a fact the case does not give says so instead of guessing."""
    from .case import CaseError, check_against
    from .eligibility import decide_case, explain
    from .errors import CscRulesError
    from .procedures import VersionsInForce
    from .runner import case_sources

    output = _Cases(fmt, cases, "decided")
    procedure_for = VersionsInForce()
    for label, case in case_sources(list(cases)):
        try:
            if isinstance(case, Exception):
                raise case
            procedure = procedure_for(case.procedure, case.received)
            check_against(case, procedure)
            decision = decide_case(procedure, case)
        except CaseError as exc:
            output.failed(label, exc.diagnostics)
            continue
        except CscRulesError as exc:
            output.failed(label, getattr(exc, "diagnostics", ()), exc)
            continue
        if fmt == "text":
            click.echo(f"{case.id}  {case.procedure}")
            click.echo(explain(decision))
        else:
            output.add({"case": case.id, "procedure": case.procedure, **decision.to_json()})
    output.finish()


@cli.command()
@click.argument("procedure", required=False)
@click.option(
    "--all", "everything", is_flag=True, help="Every council procedure that extends a baseline."
)
@FORMAT
def conformance(procedure: str | None, everything: bool, fmt: str) -> None:
    """Check a council procedure against the statutory baseline it extends, deadline by deadline.

    A limit or maximum longer than the statute allows, or a missing statutory duty, is an error
    (exit 1); a tighter limit is noted; a limit counted from a different event is a warning that
    gives the worst case in working days. The conflicts the council's files record are listed."""
    from .conformance import check, locations
    from .model import build
    from .output import CommandError
    from .procedures import library, validate

    if everything == bool(procedure):
        raise click.UsageError("give one PROCEDURE, or --all")
    ids = _council_procedures() if everything else [str(procedure)]
    reports = []
    for procedure_id in ids:
        path = (
            Path(procedure_id)
            if procedure_id.endswith((".yaml", ".yml"))
            else library().choose(procedure_id)
        )
        checked = validate([path])
        if checked.errors:
            from .errors import DefinitionError

            raise DefinitionError(list(checked.errors))
        found = [p for p in checked.procedures if p.chain[-1].path.resolve() == path.resolve()]
        if not found:
            raise CommandError(
                f"{display(path)} is not a procedure file (it has no `procedure:` key); give a "
                "council procedure, by id or file (see `csc-rules list`)",
                code="not-a-procedure",
                path=path,
            )
        resolved = found[0]
        if len(resolved.chain) < 2:
            message = (
                f"{resolved.id} extends nothing, so there is nothing to check it against; give a "
                "council procedure that extends a baseline (see `csc-rules list`)"
            )
            if not everything:
                raise CommandError(message, code="nothing-to-compare", path=path)
            click.echo(f"note: {message}", err=True)
            continue
        baseline = validate([resolved.chain[-2].path]).procedures[0]
        # values from the model, locations from the YAML they were read from
        reports.append(check(build(resolved.data), build(baseline.data), locations(resolved)))
    if fmt == "json":
        data = [r.to_json() for r in reports]
        _echo_json(data if everything else data[0])
    else:
        for report in reports:
            _print_conformance(report)
    if any(not r.conformant for r in reports):
        sys.exit(1)


def _print_conformance(report: Any) -> None:
    verdict = "conformant" if report.conformant else "NOT CONFORMANT"
    click.echo(f"{report.procedure} against {report.baseline}: {verdict}")
    for finding in report.findings:
        where = (
            f"  [{finding.where.path}:{finding.where.line}]"
            if finding.where is not None and finding.kind in ("error", "warning")
            else ""
        )
        click.echo(
            f"  {finding.kind.upper() if finding.kind in ('error', 'warning') else finding.kind:<14} {finding.deadline:<24} {finding.message}{where}"
        )
        if finding.kind in ("error", "warning", "stricter", "more generous"):
            click.echo(f"  {'':<14} {'':<24}   council: {finding.council}")
            click.echo(f"  {'':<14} {'':<24}   baseline: {finding.statute}")
    for concerns, description, binding in report.conflicts:
        click.echo(f"  {'conflict':<14} {concerns:<24} {description} Binding: {binding}")
    click.echo("")


@cli.command("diff")
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
    baseline), deadline by deadline: limit, anchor, extensions, who acts and source, and the
    steps one has and the other does not."""
    from .comparison import as_markdown, as_text, diff, page, side_by_side
    from .procedures import load_procedure

    if everything:
        if procedures:
            raise click.UsageError("give two PROCEDURES, or --all alone")
        from .procedures import library

        ids = list(
            dict.fromkeys(e.id for e in library().catalogue()[0])
        )  # baselines first, then councils
        compiled = [load_procedure(i) for i in ids]
        if fmt == "json":
            _echo_json(side_by_side(compiled))
        else:
            click.echo(page(compiled), nl=False)
        return
    if len(procedures) != 2:
        raise click.UsageError("give two PROCEDURES to compare, or --all")
    result = diff(load_procedure(procedures[0]), load_procedure(procedures[1]))
    if fmt == "json":
        _echo_json(result)
    else:
        click.echo(as_markdown(result) if fmt == "markdown" else as_text(result), nl=False)


@cli.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def test_(paths: tuple[Path, ...]) -> None:
    """Run scenario tests: case files with `as_of:` and an `expect:` block.

    PATHS are scenario files or folders of them (default: tests/scenarios beside rules/). Each
    scenario runs from the YAML procedure; a failure says what was expected and what came out."""
    from .library import data_root
    from .procedures import VersionsInForce
    from .scenarios import check, scenario_files

    folders = list(paths) or [data_root() / "tests" / "scenarios"]
    files = scenario_files(folders)
    if not files:
        raise click.ClickException("no scenario files found: give the files or folders to run")
    procedure_for = VersionsInForce()

    failed = 0
    for path in files:
        outcome = check(path, procedure_for)
        if outcome.passed:
            click.echo(f"PASS {display(path)}")
            continue
        failed += 1
        click.echo(f"FAIL {display(path)}")
        for failure in outcome.failures:
            click.echo(f"     {failure}")
    click.echo(f"{len(files) - failed} passed, {failed} failed")
    if failed:
        sys.exit(1)


def display(path: Path) -> str:
    from .diagnostics import display_path

    return display_path(path)


@cli.group(cls=_Group)
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


def _calendar(
    council: str | None,
    region: str | None,
    count_closures: bool,
    *dates: Any,
    years: tuple[int, int],
) -> Any:
    """The calendar asked for, holding `years` (as far as csc-rules holds any) and the `dates`."""
    from .bank_holidays import FIRST_YEAR, LAST_YEAR, check_years, region_calendar

    if council is not None and region is not None:
        raise click.UsageError("give --council or --region, not both")
    for day in dates:
        check_years(day.year, day.year)
    first_year, last_year = max(years[0], FIRST_YEAR), min(years[1], LAST_YEAR)
    if council is not None:
        from .procedures import library

        return library().calendar(council, first_year, last_year, count_closures=count_closures)
    region = "ENG" if region is None else region
    return region_calendar(region, first_year, last_year, count_closures=count_closures)


def _count(text: str) -> int:
    from .working_days import CalendarError

    try:
        n = int(text)
    except ValueError:
        raise CalendarError(f"`{text}` is not a whole number of working days") from None
    if n < 0:
        raise CalendarError(
            f"cannot add {n} working days: give 0 or more, and --before to count back"
        )
    return n


# Every year has well over this many working days, so N of them never span more years than N / this + 1.
_WORKING_DAYS_A_YEAR_AT_LEAST = 240


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
    from .working_days import parse_date

    start, count = parse_date(date), _count(n)
    years = count // _WORKING_DAYS_A_YEAR_AT_LEAST + 1
    span = (start.year - years, start.year) if before else (start.year, start.year + years)
    calendar = _calendar(council, region, count_closures, start, years=span)
    result = calendar.subtract(start, count) if before else calendar.add(start, count)
    low, high = sorted((start, result))
    skipped = [d for d in calendar.non_working_days(low, high) if d.date not in (start,)]
    closures = [] if count_closures else calendar.closures_between(low, high)
    if fmt == "json":
        _echo_json(
            {
                "date": start.isoformat(),
                "working_days": count,
                "direction": "before" if before else "after",
                "result": result.isoformat(),
                "region": calendar.region,
                "council": council,
                "skipped": [d.to_json() for d in skipped],
                "closures_not_counted": [d.to_json() for d in closures],
            }
        )
    else:
        click.echo(result.isoformat())
        _note_closures(closures)


@workdays.command("between")
@click.argument("start")
@click.argument("end")
@_calendar_options
def workdays_between(
    start: str, end: str, council: str | None, region: str | None, count_closures: bool, fmt: str
) -> None:
    """How many working days there are after START up to and including END."""
    from .working_days import parse_date

    first, last = parse_date(start), parse_date(end)
    low, high = sorted((first, last))
    calendar = _calendar(council, region, count_closures, low, high, years=(low.year, high.year))
    count = calendar.between(first, last)
    closures = [] if count_closures else calendar.closures_between(low, high)
    if fmt == "json":
        _echo_json(
            {
                "start": first.isoformat(),
                "end": last.isoformat(),
                "working_days": count,
                "calendar_days": (last - first).days,
                "region": calendar.region,
                "council": council,
                "skipped": [
                    d.to_json() for d in calendar.non_working_days(low, high) if d.date != low
                ],
                "closures_not_counted": [d.to_json() for d in closures],
            }
        )
    else:
        click.echo(str(count))
        _note_closures(closures)


@workdays.command("list")
@click.argument("year", type=click.IntRange(1, 9999))
@_calendar_options
def workdays_list(
    year: int, council: str | None, region: str | None, count_closures: bool, fmt: str
) -> None:
    """The bank holidays (and council closure days) of YEAR, with their names; weekends aside."""
    import datetime as dt

    calendar = _calendar(council, region, count_closures, dt.date(year, 1, 1), years=(year, year))
    days = list(
        calendar.non_working_days(dt.date(year, 1, 1), dt.date(year, 12, 31), weekends=False)
    )
    if not count_closures:
        days = sorted(
            [*days, *calendar.closures_between(dt.date(year, 1, 1), dt.date(year, 12, 31))],
            key=lambda d: d.date,
        )
    if fmt == "json":
        _echo_json([{**d.to_json(), "counts": d.kind != "closure" or count_closures} for d in days])
        return
    for day in days:
        note = (
            "  (council closure: the statutory clock does not stop)"
            if day.kind == "closure" and not count_closures
            else ""
        )
        click.echo(f"{day.date.isoformat()}  {day.date.strftime('%a')}  {day.name}{note}")


def _note_closures(closures: list[Any]) -> None:
    for day in closures:
        click.echo(
            f"note: the council is closed on {day.date.isoformat()} ({day.name}); it was counted as a "
            "working day, as the statutory clock does not stop for it (--count-closures to skip it)",
            err=True,
        )


def main() -> None:
    """Entry point of the `csc-rules` command. Bad input is reported by the commands themselves;
    anything else that escapes is a bug, reported in one line (CSC_RULES_DEBUG=1 shows the trace)."""
    import os

    try:
        cli.main(standalone_mode=True)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("CSC_RULES_DEBUG"):
            raise
        click.echo(
            f"csc-rules: internal error ({type(exc).__name__}: {exc}). This is a bug in csc-rules: "
            "please report it with the command and files that caused it (CSC_RULES_DEBUG=1 shows the details).",
            err=True,
        )
        sys.exit(1)
