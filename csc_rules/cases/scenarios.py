"""Scenario tests that policy staff write in YAML: a case, the date to look at it, and what to expect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._shapes import as_map
from ..errors import CaseError, CscRulesError, NotInForceError
from ..reading.forms import flow
from .case import read_case
from .results import DeadlineResult, Result

# Fields of a deadline an `expect:` block may check, and how to read them off a result.
_DEADLINE_FIELDS = (
    "due",
    "status",
    "working_days_late",
    "working_days_remaining",
    "done_on",
    "latest_done_on",
    "extended",
    "from",
)


@dataclass(frozen=True)
class Outcome:
    path: Path
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def check(
    path: Path, procedure_for: Callable[[str, dt.date], Any], strict: bool = False
) -> Outcome:
    """Run one scenario with the procedure `procedure_for(id, received)` gives (the version in
    force when the complaint was received), strictly if asked or if the scenario says
    `strict: true`; the failures, if any."""
    from .interpreter import evaluate

    try:
        case = read_case(path)
    except CaseError as exc:
        expected = _expect_block(path)
        if expected is not None and "error" in expected:
            return Outcome(path, tuple(_expected_error(expected, exc)))
        return Outcome(path, tuple(d.to_text() for d in exc.diagnostics))
    data = case.where.data
    expect = data.get("expect")
    if not isinstance(expect, Mapping) or "as_of" not in data:
        return Outcome(path, (f"{path}: a scenario needs `as_of:` and an `expect:` block",))
    as_of = dt.date.fromisoformat(str(data["as_of"]))
    try:
        result = evaluate(
            procedure_for(case.procedure, case.received),
            case,
            as_of,
            strict=strict or data.get("strict") is True,
        )
    except CaseError as exc:
        return Outcome(path, tuple(_expected_error(expect, exc)))
    except NotInForceError as exc:
        found = case.where.diagnostic(("events", 0, "date"), "not-in-force", str(exc))
        return Outcome(path, tuple(_expected_error(expect, CaseError([found]))))
    except CscRulesError as exc:
        return Outcome(path, (f"{path}: {exc}",))
    if "error" in expect:
        return Outcome(
            path,
            (
                f"expected {_an_error(expect['error'])}, but the case evaluated to state {result.state}",
            ),
        )
    return Outcome(path, tuple(compare(expect, result)))


def _expect_block(path: Path) -> Mapping[str, Any] | None:
    """The `expect:` block of a scenario whose case is broken on purpose."""
    from ..reading.loader import load

    document, _ = load(path)
    data = document.data if document is not None else None
    expect = data.get("expect") if isinstance(data, dict) else None
    return expect if isinstance(expect, Mapping) else None


def _expected_error(expect: Mapping[str, Any], exc: CaseError) -> list[str]:
    wanted = expect.get("error")
    found = exc.diagnostics[0]
    if not isinstance(wanted, Mapping):
        return [f"unexpected error: {d.to_text()}" for d in exc.diagnostics]
    failures = []
    if "code" in wanted and wanted["code"] != found.code:
        failures.append(
            f"error: expected code {wanted['code']}, got {found.code} ({found.message})"
        )
    if "message" in wanted and str(wanted["message"]) not in found.message:
        failures.append(
            f'error: expected the message to contain "{wanted["message"]}", got "{found.message}"'
        )
    if "line" in wanted and wanted["line"] != found.line:
        failures.append(f"error: expected line {wanted['line']}, got {found.line}")
    return failures


def compare(expect: Mapping[str, Any], result: Result) -> list[str]:
    """How `result` differs from what `expect` says, one line each."""
    failures = []
    for key in ("state", "status", "stage"):
        if key in expect and expect[key] != getattr(result, key):
            failures.append(
                f"{key}: expected {_said(expect[key])}, got {_said(getattr(result, key))}"
            )
    if "next_events" in expect and list(expect["next_events"]) != list(result.next_events):
        failures.append(
            f"next_events: expected {_said(list(expect['next_events']))}, got {_said(list(result.next_events))}"
        )
    if "warnings" in expect:
        codes = [w.code for w in result.warnings]
        if list(expect["warnings"]) != codes:
            said = "".join(f"\n       {w.code}: {w.message}" for w in result.warnings)
            failures.append(
                f"warnings: expected {_said(list(expect['warnings']))}, got {_said(codes)}{said}"
            )
    if "eligibility" in expect:
        failures += _compare_eligibility(expect["eligibility"], result.eligibility)
    if "deadlines" in expect:
        failures += _compare_deadlines("deadline", expect["deadlines"], result.deadlines)
    if "targets" in expect:
        failures += _compare_deadlines("target", expect["targets"], result.targets)
    return failures


def _compare_deadlines(
    what: str, wanted: Mapping[str, Any], results: Iterable[DeadlineResult]
) -> list[str]:
    """How the deadlines (or targets) started differ from those `wanted`, field by field."""
    failures = []
    got = {d.id: d.to_json() for d in results}
    for missing in [d for d in wanted if d not in got]:
        failures.append(f"{what} {missing}: expected, but it never started")
    for extra in [d for d in got if d not in wanted]:
        failures.append(
            f"{what} {extra}: started ({got[extra]['status']}, due {got[extra]['due']}) but the scenario does not expect it"
        )
    for deadline_id, fields in wanted.items():
        if deadline_id not in got:
            continue
        for name, value in (fields or {}).items():
            if name not in _DEADLINE_FIELDS:
                failures.append(
                    f"{what} {deadline_id}: `{name}` is not something a scenario can check ({', '.join(_DEADLINE_FIELDS)})"
                )
            elif got[deadline_id][name] != value:
                failures.append(
                    f"{what} {deadline_id}: {name} expected {_said(value)}, got {_said(got[deadline_id][name])}"
                )
    return failures


def _compare_eligibility(wanted: Mapping[str, Any], found: Any) -> list[str]:
    """`decision`, `route`, `rules` (those that fired, in order) and `needs` (those undecided)."""
    got = {
        "decision": found.decision,
        "route": found.route,
        "rules": [r.rule for r in found.reasons],
        "needs": [rule for rule, _ in found.needs],
    }
    failures = []
    for key, value in wanted.items():
        if key not in got:
            failures.append(
                f"eligibility: `{key}` is not something a scenario can check (decision, route, rules, needs)"
            )
        elif got[key] != value:
            failures.append(f"eligibility {key}: expected {_said(value)}, got {_said(got[key])}")
    return failures


def _an_error(wanted: Any) -> str:
    code = as_map(wanted).get("code")
    return f"error {code}" if isinstance(code, str) else "an error"


def _said(value: Any) -> str:
    """A value as a scenario writes it: `[a, b]`, `true`, and `nothing` for none."""
    if value is None or value == "":
        return "nothing"
    return value if isinstance(value, str) else flow(value)


def scenario_files(paths: list[Path]) -> list[Path]:
    """The YAML files the paths name: files as given, folders searched."""
    from ..reading.locations import all_yaml_files_under, is_folder

    files: list[Path] = []
    for path in paths:
        files.extend(all_yaml_files_under(path) if is_folder(path) else [path])
    return files
