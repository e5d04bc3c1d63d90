"""The batch path a step at a time: microseconds per case for each step `csc-rules run FILE.jsonl
--format jsonl` takes, over the cases benchmarks/batch.py generates, beside the floor the issue
names for it (the standard library, msgspec), in the same run.

    pip install '.[bench]' && python benchmarks/steps.py [--cases N] [--runs R]

Each step is timed over every case (median of the runs): reading the line (the careful reader,
`json.loads`, `msgspec`), building the `Case` from what was read, the whole read of a line as
`run` does it (the fast path, and the careful one it falls back to), checking the case against
its procedure, the replay, the result as plain data, writing it (`json.dumps` as the careful
path does, the fast encoder), and escaping what the CLI prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import generate  # noqa: E402


def timed(label: str, work: Callable[[], Any], count: int, runs: int) -> tuple[str, float]:
    """Median microseconds of CPU per case of `work` over `runs` runs (CPU time, not the clock's:
    on a shared machine the clock also counts the time other processes had the core). The
    collector is off while it runs, as in `timeit`: the steps' inputs and outputs, all held at
    once here, would make each of its passes walk them all, which a streamed batch never holds."""
    times = []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        began = time.process_time()
        work()
        times.append(time.process_time() - began)
        gc.enable()
    return label, statistics.median(times) / count * 1e6


def main() -> None:
    import msgspec

    from csc_rules.application.cases import json_line, result_json
    from csc_rules.cases import fast_lines
    from csc_rules.cases.case import case_from_data, check_against
    from csc_rules.cases.interpreter import evaluate
    from csc_rules.cases.runner import read_item
    from csc_rules.cli._terminal import UNSAFE, escaped
    from csc_rules.procedures.library import library
    from csc_rules.reading import json_input

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each (default 5)")
    args = parser.parse_args()
    as_of = dt.date(2030, 1, 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.jsonl"
        generate(path, args.cases, seed=1)
        raw = path.read_bytes().splitlines(keepends=True)
    texts = [line.decode("utf-8").rstrip("\r\n") for line in raw]
    data = [json_input.loads(text) for text in texts]
    cases = [case_from_data(d, from_json=True) for d in data]
    compiled = library().compiled
    procedures = [compiled.in_force(c.procedure, c.received) for c in cases]
    results = [evaluate(p, c, as_of, checked=True) for p, c in zip(procedures, cases, strict=True)]
    plain = [r.to_json() for r in results]
    written = [result_json(r) for r in results]
    items = [("line", "cases.jsonl", n, line) for n, line in enumerate(raw, 1)]
    decode = msgspec.json.Decoder().decode

    def hexed(found: Any) -> str:
        return f"\\u{ord(found.group()):04x}"

    def careful(line: bytes) -> Any:  # as the runner reads a line the fast reader leaves to it
        return case_from_data(
            json_input.loads(line.decode("utf-8-sig").rstrip("\r\n")), from_json=True
        )

    n, runs = len(raw), args.runs
    steps = [
        timed(
            "read: json_input.loads (careful)",
            lambda: [json_input.loads(t) for t in texts],
            n,
            runs,
        ),
        timed("read: json.loads (stdlib floor)", lambda: [json.loads(t) for t in texts], n, runs),
        timed("read: msgspec.json.decode (floor)", lambda: [decode(b) for b in raw], n, runs),
        timed(
            "build: case_from_data(from_json)",
            lambda: [case_from_data(d, from_json=True) for d in data],
            n,
            runs,
        ),
        timed("line to Case: careful reader", lambda: [careful(b) for b in raw], n, runs),
        timed(
            "line to Case: fast reader",
            lambda: [fast_lines.line_case(b, None) for b in raw],
            n,
            runs,
        ),
        timed("line to Case: as run reads it", lambda: [read_item(i) for i in items], n, runs),
        timed(
            "check against the procedure",
            lambda: [check_against(c, p) for c, p in zip(cases, procedures, strict=True)],
            n,
            runs,
        ),
        timed(
            "replay, every deadline (checked)",
            lambda: [
                evaluate(p, c, as_of, checked=True) for p, c in zip(procedures, cases, strict=True)
            ],
            n,
            runs,
        ),
        timed("result as plain data (to_json)", lambda: [r.to_json() for r in results], n, runs),
        timed(
            "write: json.dumps (careful)",
            lambda: [json.dumps(v, ensure_ascii=False) for v in plain],
            n,
            runs,
        ),
        timed(
            "write: fast_lines.dumps (msgspec)",
            lambda: [fast_lines.dumps(v) for v in plain],
            n,
            runs,
        ),
        timed(
            "write: json_line, server batch (careful)",
            lambda: [json_line(v) for v in plain],
            n,
            runs,
        ),
        timed(
            "write: json_line, server batch (fast)",
            lambda: [json_line(v, plain=True) for v in plain],
            n,
            runs,
        ),
        timed(
            "print: escaping by the search alone",
            lambda: [UNSAFE.sub(hexed, t) for t in written],
            n,
            runs,
        ),
        timed("print: escaping as the CLI does", lambda: [escaped(t) for t in written], n, runs),
    ]
    size = sum(len(t) for t in written) / n
    print(f"{n:,} cases, answers {size / 1000:,.1f} KB a case, CPU median of {runs} runs")
    print(f"{'step':<44} {'us/case':>8}")
    for label, micro in steps:
        print(f"{label:<44} {micro:>8.1f}")


if __name__ == "__main__":
    main()
