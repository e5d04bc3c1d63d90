"""Cases to run: from a file, a folder of files, or a .jsonl file with one case per line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .case import Case, CaseError, _Plain, case_from_data, read_case
from .diagnostics import ERROR, Diagnostic, display_path
from .errors import CscRulesError, DefinitionError, NotInForceError
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
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.suffix in (*CASE_SUFFIXES, ".jsonl") and p.is_file()
            )
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
    name = display_path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        yield (
            name,
            CaseError(
                [Diagnostic(name, 1, 1, ERROR, "file-unreadable", f"cannot be read ({exc})")]
            ),
        )
        return
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        label = f"{name}:{number}"
        try:
            data: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            yield (
                label,
                CaseError(
                    [
                        Diagnostic(
                            name, number, exc.colno, ERROR, "invalid-json", f"not JSON: {exc.msg}"
                        )
                    ]
                ),
            )
            continue
        try:
            case = case_from_data(data)
        except CaseError as exc:
            yield (
                str(data.get("case", label)) if isinstance(data, dict) else label,
                CaseError(
                    [
                        Diagnostic(name, number, 1, d.severity, d.code, d.message, d.yaml_path)
                        for d in exc.diagnostics
                    ]
                ),
            )
            continue
        yield case.id, case


def run_cases(paths: list[Path], as_of: dt.date | None, explain: bool) -> Iterator[Outcome]:
    """Evaluate every case, each with the procedure it names, compiled once per run."""
    from .compiler import VersionsInForce
    from .interpreter import evaluate

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
