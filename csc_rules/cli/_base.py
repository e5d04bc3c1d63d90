"""What every command shares: the command and group classes, the one place where failures become
messages and exit codes, and printing JSON."""

from __future__ import annotations

import errno
import json
from typing import Any

import click

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


class Command(click.Command):
    """Notes the --format a command runs with, so that its failure can be printed in it; the
    application's usage errors become click's, with this command's usage line."""

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import ArgumentError

        ctx.meta[_FORMAT] = ctx.params.get("fmt")
        try:
            return super().invoke(ctx)
        except ArgumentError as exc:
            raise click.UsageError(str(exc), ctx) from None


class Group(click.Group):
    command_class = Command


class Cli(Group):
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
        from ..errors import CscRulesError, DefinitionError

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
            from ..errors import Failures

            if isinstance(exc, Failures):  # its message sums up the problems: print them first
                for diagnostic in exc.diagnostics:
                    click.echo(diagnostic.to_text(), err=True)
            _print_json_error(ctx, exc)
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE or not exc.filename:  # a closed pipe is click's to handle
                raise
            from ..diagnostics import display_path
            from ..errors import CommandError

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
    from ..application.output import error_json

    fmt = _json_wanted(ctx)
    if fmt and not ctx.meta.get(_PRINTED):
        echo_json({"error": error_json(exc, message)}, lines=fmt == "jsonl")


def echo_json(value: Any, *, lines: bool = False) -> None:
    """Print a JSON document (with `lines`, on one line, as jsonl wants), and note that it was."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=None if lines else 2))
    printed()


def printed() -> None:
    """Note that the command has printed its result, so that a failure adds no second document."""
    context = click.get_current_context(silent=True)
    if context is not None:
        context.meta[_PRINTED] = True
