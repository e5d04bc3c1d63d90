"""Commands on cases: run, eligibility, and the scenario tests."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._base import Command, echo_json, printed
from ._records import records

if TYPE_CHECKING:
    from ..cases.exports import Source

STRICT = click.option(
    "--strict",
    is_flag=True,
    help="Make every irregularity in the records (an implied event, an extension past the "
    "maximum, an early request, ...) an error instead of a warning, for checking records as "
    "they are entered.",
)

CASE_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text for people; json (one object, or a list for several cases); jsonl, one object a line.",
)


class _Cases:
    """What `run` and `eligibility` print: each case's result, or its error in the result's place.

    With json, one document: an object for one case file, a list for several cases (several
    files, a folder, a .jsonl file). With jsonl, one line a case. A failed case is
    `{"case": label, "error": {...}}` there, and its problems also go to stderr, as with text."""

    def __init__(self, fmt: str, paths: tuple[Source, ...], done: str, one: bool = False) -> None:
        from ..application.cases import is_batch

        self.fmt, self.done = fmt, done
        self.many = not one and is_batch(paths)  # `one`: a case looked up by its reference
        self.entries: list[dict[str, Any]] = []  # one case file's, with json
        self.listed = 0  # entries of a batch printed so far, with json
        self.failures = 0

    def add(self, entry: dict[str, Any]) -> None:
        if self.fmt == "jsonl":
            echo_json(entry, lines=True)
        elif self.fmt == "json" and self.many:
            self.add_text(json.dumps(entry, ensure_ascii=False, indent=2))
        elif self.fmt == "json":
            self.entries.append(entry)

    def add_text(self, text: str) -> None:
        """An entry already written out as JSON (indented for json, one line for jsonl)."""
        if self.fmt == "json" and self.many:
            # The list is printed as it grows, so a batch of any size needs no more memory than
            # one case; the bytes are those of json.dumps(the whole list, indent=2).
            item = text.replace("\n", "\n  ")
            click.echo(("[\n  " if not self.listed else ",\n  ") + item, nl=False)
            self.listed += 1
        elif self.fmt == "json":
            self.entries.append(json.loads(text))
            return
        else:
            # color=True: JSON holds no raw escape sequence to strip, and looking for one (is the
            # stream a terminal? a notebook?) was a tenth of the parent's work in a spread batch
            click.echo(text, color=True)
        printed()

    def failed(self, label: str, problems: Sequence[Any], exc: BaseException | None = None) -> None:
        from ..application.cases import failure_json, failure_lines

        self.failures += 1
        for line in failure_lines(label, problems, exc):
            click.echo(line, err=True)
        self.add(failure_json(label, problems, exc))

    def finish(self) -> None:
        if self.fmt == "json" and self.many:
            click.echo("\n]" if self.listed else "[]")
            printed()
        elif self.fmt == "json":
            echo_json(self.entries[0] if len(self.entries) == 1 else self.entries)
        if self.failures:
            raise click.ClickException(
                f"{self.failures} case{'s' * (self.failures != 1)} could not be {self.done}; see above"
            )


def _progress(items: Any, total: int | None, shown: bool) -> Any:
    """A progress bar on standard error: the count, the rate and the time left."""
    import time

    start = time.monotonic()

    def rate(item: Any) -> str:
        elapsed = time.monotonic() - start
        return f"{bar.pos / elapsed:,.0f} cases/s" if elapsed > 0.5 else ""

    bar = click.progressbar(
        items,
        length=total,
        label="cases",
        file=sys.stderr,
        hidden=not shown,
        show_pos=True,
        show_eta=True,
        item_show_func=rate,
    )
    return bar


@click.command(cls=Command)
@records
@click.option("--as-of", "as_of", help="The date to evaluate on (YYYY-MM-DD); default today.")
@click.option("--explain", is_flag=True, help="Say why each due date falls where it does.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Spread the cases over N processes (default: the number of cores); the output keeps "
    "the input order. A small batch runs in one process.",
)
@STRICT
@click.option(
    "--case",
    "reference",
    metavar="REF",
    help="Only the case with this reference: found without replaying the rest (a .jsonl line "
    "is parsed only if the reference is written in it).",
)
@click.option(
    "--summary",
    is_flag=True,
    help="One line per case: its reference, status, stage, the next thing due and anything "
    "late (with --format text, csv, json or jsonl).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl", "csv"]),
    default="text",
    show_default=True,
    help="text for people; json (one object, or a list for several cases); jsonl, one object a "
    "line; csv, with --summary only.",
)
def run(
    cases: tuple[Source, ...],
    as_of: str | None,
    explain: bool,
    jobs: int | None,
    strict: bool,
    reference: str | None,
    summary: bool,
    fmt: str,
) -> None:
    """Replay cases and say where each stands: state, every deadline, what may happen next.

    CASES are case files (YAML or JSON), folders of them, .jsonl files with one case per line,
    CSV exports or workbooks (.xlsx) with their mapping beside them; --sql and --query read the
    rows a query returns from a database.
    A broken case is reported with its id and the rest carry on; the exit code is 1 if any was.
    What real records do that the procedure does not foresee is a warning, or with --strict an
    error. --case REF replays only the case with that reference; --summary prints one line per
    case instead of its timeline."""
    from ..application import cases as app

    if fmt == "csv" and not summary:
        raise click.UsageError("--format csv is for --summary, one row per case")
    if summary and explain:
        raise click.UsageError(
            "--explain says why each due date falls where it does: not with --summary"
        )
    day = app.as_of_date(as_of)
    output = _Cases("text" if fmt == "csv" else fmt, cases, "evaluated", one=reference is not None)
    show_bar = output.many and fmt != "text" and sys.stderr.isatty()
    # Each result is written out where it is worked out, in the worker processes too.
    render = app.summary_renderer(fmt) if summary else app.renderer(fmt, explain)
    if reference is not None:
        outcomes = app.find_cases(cases, reference, day, explain, render, strict)
    else:
        outcomes = app.evaluate_cases(cases, day, explain, jobs=jobs, render=render, strict=strict)
    header = app.summary_header(fmt) if summary else None
    if header:
        click.echo(header)
    total = (app.count_cases(cases) or None) if show_bar else None
    with _progress(outcomes, total, show_bar) as bar:
        for outcome in bar:
            if not outcome.ok:
                output.failed(outcome.label, outcome.problems)
            elif fmt in ("text", "csv"):
                click.echo(outcome.text)
            else:
                output.add_text(outcome.text or "")
    output.finish()


@click.command(cls=Command)
@records
@STRICT
@CASE_FORMAT
def eligibility(cases: tuple[Source, ...], strict: bool, fmt: str) -> None:
    """Decide whether each case is a complaint for its procedure: eligible, ineligible, at the
    council's discretion, or redirected elsewhere, with every rule that fired and its source.
    A rule that needs a fact the case does not give says so instead of guessing. With --strict,
    a case whose records have an irregularity is an error."""
    from ..application import cases as app

    output = _Cases(fmt, cases, "decided")
    for decided in app.decide_cases(cases, strict):
        if decided.decision is None:
            output.failed(decided.label, decided.problems, decided.error)
        elif fmt == "text":
            click.echo(decided.text())
        else:
            output.add(decided.to_json())
    output.finish()


@click.command("test", cls=Command)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@STRICT
@click.option(
    "--export",
    "export",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Write every scenario as JSON (case, as_of, what is expected, what csc-rules answers) "
    "into DIR, with a README saying how another implementation checks itself, instead of "
    "running them.",
)
def test_(paths: tuple[Path, ...], strict: bool, export: Path | None) -> None:
    """Run scenario tests: case files with `as_of:` and an `expect:` block.

    PATHS are scenario files or folders of them (default: every council's, in
    councils/<id>/scenarios/). Each scenario runs from the YAML procedure; a failure says what
    was expected and what came out.
    With --strict every scenario runs strictly, as one with `strict: true` always does. With
    --export DIR, the scenarios are written out as a conformance suite for other
    implementations instead."""
    from ..application import cases as app
    from ..diagnostics import display_path

    if export is not None:
        written = app.export_scenarios(paths, export, strict)
        click.echo(
            f"wrote {len(written)} scenarios to {display_path(export)}, with the compiled "
            "procedures and the schemas (see its README.md)"
        )
        return
    files = app.scenario_files(paths)
    failed = 0
    for path in files:
        outcome = app.check_scenario(path, strict)
        if outcome.passed:
            click.echo(f"PASS {display_path(path)}")
            continue
        failed += 1
        click.echo(f"FAIL {display_path(path)}")
        for failure in outcome.failures:
            click.echo(f"     {failure}")
    click.echo(f"{len(files) - failed} passed, {failed} failed")
    if failed:
        sys.exit(1)


COMMANDS = [run, eligibility, test_]
