"""Batch throughput: generated cases across the four council procedures through the CLI
(`csc-rules run FILE.jsonl --format jsonl`), with one process and with every core, beside the
in-process loop (read the line, check the case, evaluate it, write its JSON) on the same cases,
in the same run.

    pip install '.[bench]' && python benchmarks/batch.py [--cases N] [--runs R]

Each case is a random walk of 2 to 12 events over its procedure's own transitions, received from
2024 (or the day its procedure took effect) to mid 2029. The table gives cases per second (median of the runs), the ratio to the in-process
loop, and the peak memory of the largest process. Run it at --cases 100000 and 1000000 to see
that memory does not grow with the batch. Targets (issue 11): one process at least half the
in-process rate, two close to twice that, 1,000,000 cases in under two minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROCEDURES = [
    "sefton/csc-statutory",
    "sefton/corporate",
    "cheshire-west/csc-statutory",
    "islington/csc-statutory",
]


def generate(path: Path, count: int, seed: int) -> None:
    """`count` valid cases as JSON lines: random walks over each procedure's transitions."""
    from csc_rules.procedures.library import load_procedure

    rng = random.Random(seed)
    walks = {}
    for procedure_id in PROCEDURES:
        procedure = load_procedure(procedure_id)
        ends = {s for s, st in procedure.states.items() if st.end}
        moves: dict[str, list[tuple[str, str]]] = {}
        for t in procedure.transitions:
            if not t.when_overdue and not t.anytime and t.target not in ends:
                moves.setdefault(t.source, []).append((t.event, t.target))
        walks[procedure_id] = (procedure, moves)
    last = dt.date(2029, 6, 30).toordinal()
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            procedure_id = PROCEDURES[number % len(PROCEDURES)]
            procedure, moves = walks[procedure_id]
            length = rng.randint(2, 12)
            first = max(dt.date(2024, 1, 1), procedure.effective).toordinal()
            day = dt.date.fromordinal(rng.randint(first, last))
            state, events = procedure.start_state, [(day, procedure.start_event)]
            while len(events) < length and moves.get(state):
                event, state = rng.choice(moves[state])
                day += dt.timedelta(days=rng.randint(1, 15))
                events.append((day, event))
            case = {
                "case": f"BENCH-{number}",
                "procedure": procedure_id,
                "events": [
                    {"date": d.isoformat(), "event": e, **_fields(procedure, e, d)}
                    for d, e in events
                ],
            }
            handle.write(json.dumps(case) + "\n")


def _fields(procedure: Any, event: str, day: dt.date) -> dict[str, Any]:
    """What an event must carry: an outcome for a response, a date for a panel."""
    fields = procedure.events[event].fields
    found: dict[str, Any] = {}
    if "outcome" in fields:
        found["outcome"] = "upheld"
    if "panel_date" in fields:
        found["panel_date"] = (day + dt.timedelta(days=21)).isoformat()
    return found


def in_process(path: Path, as_of: dt.date) -> int:
    """The loop a program embedding csc-rules would write, on the same lines."""
    from csc_rules.cases.runner import evaluate_item, read_item  # noqa: F401  (read_item: warm import)

    count = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            outcome = evaluate_item(("line", str(path), number, raw), as_of, False)
            if outcome.result is None:
                raise SystemExit(f"case on line {number} failed: {outcome.problems}")
            json.dumps(outcome.result.to_json(), ensure_ascii=False)
            count += 1
    return count


def cli(path: Path, as_of: dt.date, jobs: int) -> tuple[float, int]:
    """Seconds for the CLI to run the batch, and the peak memory (KiB) of its largest process."""
    script = (
        "import resource, subprocess, sys, time\n"
        "began = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "took = time.perf_counter() - began\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(done.returncode, took, peak)\n"
    )
    argv = [
        str(Path(sys.executable).parent / "csc-rules"),
        "run",
        str(path),
        "--as-of",
        as_of.isoformat(),
        "--format",
        "jsonl",
        "--jobs",
        str(jobs),
    ]
    out = subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, check=True
    )
    code, took, peak = out.stdout.split()
    if code != "0":
        raise SystemExit(f"csc-rules run exited {code}")
    return float(took), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    as_of = dt.date(2030, 1, 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.jsonl"
        generate(path, args.cases, seed=1)
        size = path.stat().st_size
        print(f"{args.cases:,} cases ({size / 1e6:,.0f} MB of JSON lines), {cores} cores")
        warm = Path(folder) / "warm.jsonl"  # fills the compiled-procedure cache, as any run would
        with path.open(encoding="utf-8") as cases:
            warm.write_text("".join(next(cases) for _ in range(min(100, args.cases))))
        cli(warm, as_of, 1)
        rows: dict[str, list[float]] = {"in-process loop": [], "csc-rules run --jobs 1": []}
        if cores > 1:
            rows[f"csc-rules run --jobs {cores}"] = []
        peaks: dict[str, int] = {}
        for _ in range(args.runs):
            began = time.perf_counter()
            in_process(path, as_of)
            rows["in-process loop"].append(time.perf_counter() - began)
            peaks["in-process loop"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            for jobs in sorted({1, cores}):
                took, peak = cli(path, as_of, jobs)
                rows[f"csc-rules run --jobs {jobs}"].append(took)
                peaks[f"csc-rules run --jobs {jobs}"] = peak
        base = args.cases / statistics.median(rows["in-process loop"])
        print(f"{'':<28} {'cases/s':>10} {'ratio':>7} {'peak MiB':>9}")
        for label, times in rows.items():
            rate = args.cases / statistics.median(times)
            print(f"{label:<28} {rate:>10,.0f} {rate / base:>7.2f} {peaks[label] / 1024:>9,.0f}")
        one_million = 1_000_000 / (args.cases / min(statistics.median(t) for t in rows.values()))
        print(f"at the best rate, 1,000,000 cases would take {one_million / 60:,.1f} minutes")


if __name__ == "__main__":
    main()
