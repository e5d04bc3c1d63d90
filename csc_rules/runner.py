"""Cases to run: from a file, a folder of files, or a .jsonl file with one case per line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from . import json_input
from .case import Case, CaseError, _Plain, case_from_data, read_case
from .diagnostics import ERROR, Diagnostic, display_path, yaml_path
from .errors import CscRulesError, DefinitionError, NotInForceError
from .json_input import JsonInputError
from .library import files_under, is_folder
from .limits import LINE_BYTES
from .results import Result

CASE_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Outcome:
    """One case's result, or why there is none."""

    label: str  # the case id, or where it was when it has none
    result: Result | None
    problems: tuple[Diagnostic, ...] = ()


def case_sources(paths: list[Path]) -> Iterator[tuple[str, Case | CaseError]]:
    """(label, case or the error reading it) for every case the paths name, in order."""
    for path in paths:
        if is_folder(path):
            files = [p for p in files_under(path) if p.suffix in (*CASE_SUFFIXES, ".jsonl")]
            if not files:
                yield (
                    display_path(path),
                    CaseError(
                        [
                            Diagnostic(
                                display_path(path),
                                1,
                                1,
                                ERROR,
                                "file-not-found",
                                "this folder holds no case files",
                            )
                        ]
                    ),
                )
            for file in files:
                yield from _json_lines(file) if file.suffix == ".jsonl" else _one_file(file)
        elif path.suffix == ".jsonl":
            yield from _json_lines(path)
        else:
            yield from _one_file(path)


def _one_file(path: Path) -> Iterator[tuple[str, Case | CaseError]]:
    try:
        case = read_case(path)
    except CaseError as exc:
        yield display_path(path), exc
        return
    yield case.id, case


def _json_lines(path: Path) -> Iterator[tuple[str, Case | CaseError]]:
    """One case a line, read a line at a time (a batch may be larger than memory), each line
    within LINE_BYTES; a broken line is reported with its number and the rest carry on."""
    name = display_path(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        problem = f"cannot be read ({exc.strerror or type(exc).__name__}); check the path and its permissions"
        yield name, CaseError([Diagnostic(name, 1, 1, ERROR, "file-unreadable", problem)])
        return
    with handle:
        for number, raw in enumerate(_bounded_lines(handle), 1):
            if raw is not None and not raw.strip():
                continue
            label = f"{name}:{number}"
            try:
                data = _line_data(raw)
            except JsonInputError as exc:
                column = exc.column if exc.line == 1 else 1
                yield (
                    label,
                    CaseError([Diagnostic(name, number, column, ERROR, exc.code, exc.message)]),
                )
                continue
            try:
                case = case_from_data(data, where=_JsonLine(name, number))
            except CaseError as exc:
                label = str(data.get("case", label))[:100] if isinstance(data, dict) else label
                yield label, exc
                continue
            yield case.id, case


class _JsonLine:
    """Locates problems in a case read from one line of a .jsonl file: the file and the line,
    and the path within the line's JSON."""

    def __init__(self, name: str, number: int) -> None:
        self.name, self.number = name, number

    def diagnostic(
        self,
        path: tuple[Any, ...],
        code: str,
        message: str,
        *,
        key: bool = False,
        severity: str = ERROR,
    ) -> Diagnostic:
        return Diagnostic(self.name, self.number, 1, severity, code, message, yaml_path(path))


def _bounded_lines(handle: BinaryIO) -> Iterator[bytes | None]:
    """The file's lines as bytes; None for a line longer than LINE_BYTES, which is skipped
    without being held in memory."""
    limit = LINE_BYTES.value
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _line_data(raw: bytes | None) -> Any:
    if raw is None:
        raise JsonInputError("too-large", LINE_BYTES.exceeded("the line holds"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JsonInputError(
            "binary-file",
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            1,
            exc.start + 1,
        ) from None
    return json_input.loads(text.rstrip("\r\n"))


def run_cases(paths: list[Path], as_of: dt.date | None, explain: bool) -> Iterator[Outcome]:
    """Evaluate every case, each with the procedure it names, compiled once per run."""
    from .interpreter import evaluate
    from .procedures import VersionsInForce

    procedure_for = VersionsInForce()
    for label, case in case_sources(paths):
        if isinstance(case, CaseError):
            yield Outcome(label, None, tuple(case.diagnostics))
            continue
        try:
            procedure = procedure_for(case.procedure, case.received)
            yield Outcome(label, evaluate(procedure, case, as_of, explain=explain))
        except CaseError as exc:
            yield Outcome(label, None, tuple(exc.diagnostics))
        except DefinitionError as exc:  # the procedure itself is broken
            yield Outcome(label, None, tuple(exc.diagnostics))
        except NotInForceError as exc:
            where = case.where or _Plain(label)
            yield Outcome(
                label, None, (where.diagnostic(("events", 0, "date"), "not-in-force", str(exc)),)
            )
        except CscRulesError as exc:
            message = str(exc).splitlines()[0]
            if case.where is not None:
                found = case.where.diagnostic(("procedure",), "unknown-procedure", message)
            else:
                found = Diagnostic(label, 0, 0, ERROR, "unknown-procedure", message, "$.procedure")
            yield Outcome(label, None, (found,))
