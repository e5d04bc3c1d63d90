"""The Python API raises only the project's own errors (CscRulesError and its subclasses).

`load_procedure` on damaged procedure files, `compiler.loads` on damaged compiled JSON (and,
when such a file still loads, `evaluate_data` of the project's cases against it),
`case_from_data` and `evaluate_data` on changed and invented cases. These run in the test
process: the inputs are generated ones, nested at most a few hundred deep, so they cannot take
the process down the way the hand-written nasty inputs (run in a subprocess) might.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import PROCEDURE_IDS
from csc_rules import case_from_data, evaluate_data, load_procedure
from csc_rules.errors import CscRulesError
from csc_rules.procedures.compiler import loads

from ._harness import (
    GENERATED_LIMIT,
    HANG_TIMEOUT,
    Scratch,
    examples,
    failure,
    record_call,
    slowdown,
    too_slow,
)
from ._mutate import (
    CASE_BASES,
    LIBRARY_FILES,
    apply_structure,
    changed_cases,
    compiled_damage,
    damaged_compiled_text,
    procedure_damage,
    structure_edits,
)

Compiled = dict[str, tuple[Path, dict[str, Any]]]
as_of_days = st.one_of(
    st.none(), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
)


@pytest.fixture(scope="module")
def procedures() -> dict[str, Any]:
    return {procedure_id: load_procedure(procedure_id) for procedure_id in PROCEDURE_IDS}


class Hang(BaseException):
    """Raised by the alarm in a call still running at HANG_TIMEOUT; a BaseException, so that
    no `except Exception` in the engine can swallow it."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hang(f"no answer within {HANG_TIMEOUT:.0f} s")


def call(family: str, function: Callable[[], Any], reproducer: str) -> Any:
    """`function()`; None if it raised the project's own error. Fails on any other exception,
    on a call still running after HANG_TIMEOUT (an alarm interrupts it), and on one that
    answered after the time limit scaled by the machine's speed."""
    returned, value, other, hang = False, None, None, None
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_TIMEOUT)
    started = time.perf_counter()
    try:
        value, returned = function(), True
    except CscRulesError:
        pass
    except Hang as exc:
        hang = exc
    except Exception as exc:  # noqa: BLE001 - the point of the test
        other = exc
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    seconds = time.perf_counter() - started
    slow = hang is None and too_slow(seconds, GENERATED_LIMIT)
    record_call(family, returned, other, seconds, timed_out=hang is not None, slow=slow)
    if hang is not None:
        raise failure("timeout", family)(f"[{family}] {hang}\n{reproducer}") from None
    if other is not None:
        raise failure("internal-error", type(other).__name__)(
            f"[{family}] {type(other).__name__}: {other}\n{reproducer}"
        ) from other
    if slow:
        raise failure("slow", family)(
            f"[{family}] answered after {seconds:.1f} s, over {GENERATED_LIMIT:.0f} s scaled by "
            f"this machine's slowdown ({slowdown():.2f})\n{reproducer}"
        )
    return value


@examples(40)
@given(source=st.sampled_from(LIBRARY_FILES), damage=procedure_damage)
def test_load_procedure_raises_only_its_own_errors(
    scratch: Scratch, source: Path, damage: tuple
) -> None:
    make, edits = damage
    _, after = make(source, edits)
    with scratch.folder() as folder:
        path = folder / source.name
        path.write_bytes(after)
        call(
            "api: load_procedure",
            lambda: load_procedure(path),
            f"load_procedure({str(path)!r}), {make.__name__} {edits!r:.500} of {source.name}",
        )


@examples(40)
@given(procedure_id=st.sampled_from(PROCEDURE_IDS), damage=compiled_damage(), as_of=as_of_days)
def test_compiler_loads_raises_only_its_own_errors(
    scratch: Scratch,
    compiled: Compiled,
    procedure_id: str,
    damage: tuple[str, Any],
    as_of: dt.date | None,
) -> None:
    how, recipe = damage
    original, document = compiled[procedure_id]
    text = damaged_compiled_text(original.read_text(encoding="utf-8"), document, how, recipe)
    with scratch.folder() as folder:
        path = folder / original.name
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        where = f"compiler.loads(open({str(path)!r}).read()), {how} {recipe!r:.500}"
        procedure = call("api: compiler.loads", lambda: loads(text, str(path)), where)
        if procedure is None:
            return
        # It loaded: the project's cases of that kind of procedure (csc-statutory, corporate)
        # run against it, and still only the project's own errors escape.
        kind = procedure_id.split("/")[1]
        for origin, data, _ in CASE_BASES:
            if str(data.get("procedure")).endswith(f"/{kind}"):
                call(
                    "api: evaluate_data, loaded compiled file",
                    lambda data=data: evaluate_data(procedure, data, as_of),
                    f"evaluate_data(loads(...), {origin}, as_of={as_of}) after {where}",
                )


@examples(60)
@given(case=changed_cases())
def test_case_from_data_raises_only_its_own_errors(case: tuple) -> None:
    origin, changed, _, how = case
    call(
        "api: case_from_data",
        lambda: case_from_data(changed),
        f"case_from_data({_short(changed)}) ({how} of {origin})",
    )


@examples(60)
@given(case=changed_cases(), as_of=as_of_days)
def test_evaluate_data_raises_only_its_own_errors(
    procedures: dict[str, Any], case: tuple, as_of: dt.date | None
) -> None:
    origin, changed, _, how = case
    named = changed.get("procedure") if isinstance(changed, dict) else None
    procedure = procedures.get(
        named if isinstance(named, str) else "", procedures["sefton/csc-statutory"]
    )
    call(
        "api: evaluate_data",
        lambda: evaluate_data(procedure, changed, as_of),
        f"evaluate_data(load_procedure({procedure.id!r}), {_short(changed)}, as_of={as_of!r}) "
        f"({how} of {origin})",
    )


@examples(30)
@given(
    base=st.sampled_from([b for b in CASE_BASES if b[1].get("procedure") in PROCEDURE_IDS]),
    edits=structure_edits(json_safe=True),
    as_of=as_of_days,
)
def test_evaluate_data_with_json_values_raises_only_its_own_errors(
    procedures: dict[str, Any], base: tuple, edits: list, as_of: dt.date | None
) -> None:
    """The same, with the values other systems send: what json.loads can give."""
    origin, data, _ = base
    changed = apply_structure(json.loads(json.dumps(data)), edits)
    procedure = procedures[data["procedure"]]
    call(
        "api: evaluate_data",
        lambda: evaluate_data(procedure, changed, as_of),
        f"evaluate_data(load_procedure({procedure.id!r}), {_short(changed)}, as_of={as_of!r}) "
        f"({edits!r:.300} of {origin})",
    )


def _short(value: Any, keep: int = 1500) -> str:
    text = repr(value)
    return text if len(text) <= keep else text[:keep] + f"... ({len(text)} characters)"
