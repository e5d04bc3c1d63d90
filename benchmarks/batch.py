"""Batch throughput: generated cases across the four council procedures through the CLI
(`csc-rules run FILE.jsonl --format jsonl`), with one process and with every core, beside the
in-process loop (read the line, check the case, evaluate it, write its JSON) on the same cases,
in the same run.

    pip install '.[bench]' && python benchmarks/batch.py [--cases N] [--runs R]

Each case is a random walk of 2 to 12 events over its procedure's own transitions, received from
2024 (or the day its procedure took effect) to mid 2029, with the facts a case system records
(who complains, about what, the list-valued `concurrent_proceedings`, for some the day of the
matter) and a ground on each extension. The table gives cases per second (median of the runs),
the ratio to the in-process loop, and the peak memory of the largest process and of all the
CLI's processes together. Beside them, the floor (issue 29): the standard library merely reading
each case and writing csc-rules' answer to it again, in one process, and the fastest run's time
as a share of the floor's. Run it at --cases 100000 and 1000000 to see
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
                "facts": _facts(rng, events[0][0]),
                "events": [
                    {"date": d.isoformat(), "event": e, **_fields(procedure, e, d)}
                    for d, e in events
                ],
            }
            handle.write(json.dumps(case) + "\n")


# What a council's records say of most complaints, as the scenarios give it; `_facts` varies it.
SUBJECTS = ["standard-of-service"] * 4 + [
    "communication",
    "social-worker",
    "lack-of-support",
    "contact-arrangements",
    "school-admissions",  # not social care: redirected, every deadline cancelled
]
ROLES = ["parent"] * 6 + ["child", "person-with-parental-responsibility", "special-guardian"]


def _facts(rng: random.Random, received: dt.date) -> dict[str, Any]:
    """Facts as a case system records them: who complains and about what, with the list-valued
    `concurrent_proceedings` (empty, now and then a court case), a complex matter now and then,
    and for one case in four the day the matter happened (a fact compared with the day of
    receipt, so such a case's eligibility is worked out afresh)."""
    facts: dict[str, Any] = {
        "complainant": {"role": rng.choice(ROLES)},
        "on_behalf_of_child": rng.random() < 0.3,
        "about_council_actions": True,
        "previously_completed_all_stages": False,
        "subject": rng.choice(SUBJECTS),
        "concurrent_proceedings": ["court"] if rng.random() < 0.05 else [],
        "safeguarding_concern": rng.random() < 0.1,
    }
    if rng.random() < 0.2:
        facts["complex"] = True
    if rng.random() < 0.25:
        facts["matter_date"] = (received - dt.timedelta(days=rng.randint(0, 500))).isoformat()
    return facts


def _fields(procedure: Any, event: str, day: dt.date) -> dict[str, Any]:
    """What an event must carry: an outcome for a response, a date for a panel, and for an
    extension the first ground the procedure allows for it (as a council's records give one)."""
    fields = procedure.events[event].fields
    found: dict[str, Any] = {}
    if "outcome" in fields:
        found["outcome"] = "upheld"
    if "panel_date" in fields:
        found["panel_date"] = (day + dt.timedelta(days=21)).isoformat()
    if "ground" in fields:
        allowed = [
            e.grounds[0].id
            for d in procedure.deadlines.values()
            for e in d.extensions
            if e.event == event and e.grounds
        ]
        if allowed:
            found["ground"] = allowed[0]
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


def answers(path: Path, as_of: dt.date, out: Path) -> None:
    """csc-rules' answers to the batch, one line a case, written to `out` (not timed)."""
    argv = [str(Path(sys.executable).parent / "csc-rules"), "run", str(path)]
    argv += ["--as-of", as_of.isoformat(), "--format", "jsonl"]
    with out.open("wb") as handle:
        subprocess.run(argv, stdout=handle, check=True)


def floor(path: Path, given: Path, piece: int = 1_000) -> float:
    """Seconds the standard library takes, in one process, merely to read each case (its line,
    json.loads) and to write csc-rules' answer to it again (json.dumps). The answers are
    decoded a piece at a time outside the clock: the floor is the reading and the writing."""
    import itertools

    took = 0.0
    with path.open("rb") as cases, given.open("rb") as written:
        while True:
            decoded = [json.loads(line) for line in itertools.islice(written, piece)]
            began = time.perf_counter()
            lines = list(itertools.islice(cases, piece))
            for line in lines:
                json.loads(line)
            for answer in decoded:
                json.dumps(answer, ensure_ascii=False)
            took += time.perf_counter() - began
            if not lines:
                return took


# Run in a process of its own, so that its children are the CLI's processes alone: the CLI's
# time, the peak of its largest process (ru_maxrss of the children), and the sum of every
# process's peak (VmHWM), read from /proc every 20 ms while they run, each process's last reading
# kept (a process's peak only grows, so the last reading is its peak to within 20 ms).
TREE = """
import os, resource, subprocess, sys, time

def tree(root):
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except OSError:
            pass
    return found

def peak(pid):
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None

began = time.perf_counter()
running = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peaks = {}
while running.poll() is None:
    for pid in tree(running.pid):
        kib = peak(pid)
        if kib is not None:
            peaks[pid] = kib
    time.sleep(0.02)
took = time.perf_counter() - began
largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(running.returncode, took, largest, sum(peaks.values()), len(peaks))
"""


def cli(path: Path, as_of: dt.date, jobs: int) -> tuple[float, int, int, int]:
    """Seconds for the CLI to run the batch; the peak memory (KiB) of its largest process, the
    sum of every one of its processes' peaks, and how many processes it ran."""
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
        [sys.executable, "-c", TREE, *argv], capture_output=True, text=True, check=True
    )
    code, took, largest, total, processes = out.stdout.split()
    if code != "0":
        raise SystemExit(f"csc-rules run exited {code}")
    return float(took), int(largest), int(total), int(processes)


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
        given = Path(folder) / "answers.jsonl"
        answers(path, as_of, given)
        rows: dict[str, list[float]] = {"in-process loop": [], "csc-rules run --jobs 1": []}
        if cores > 1:
            rows[f"csc-rules run --jobs {cores}"] = []
        peaks: dict[str, tuple[int, int, int]] = {}
        floors: list[float] = []
        for _ in range(args.runs):
            began = time.perf_counter()
            in_process(path, as_of)
            rows["in-process loop"].append(time.perf_counter() - began)
            mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            # the first round's: the floor, run in this process after it, holds answers too
            peaks.setdefault("in-process loop", (mine, mine, 1))
            for jobs in sorted({1, cores}):
                took, largest, total, processes = cli(path, as_of, jobs)
                rows[f"csc-rules run --jobs {jobs}"].append(took)
                peaks[f"csc-rules run --jobs {jobs}"] = (largest, total, processes)
            floors.append(floor(path, given))
        base = args.cases / statistics.median(rows["in-process loop"])
        print(
            f"{'':<28} {'cases/s':>10} {'ratio':>7} {'largest MiB':>12} {'all MiB':>8} {'processes':>10}"
        )
        for label, times in rows.items():
            rate = args.cases / statistics.median(times)
            largest, total, processes = peaks[label]
            print(
                f"{label:<28} {rate:>10,.0f} {rate / base:>7.2f} {largest / 1024:>12,.0f}"
                f" {total / 1024:>8,.0f} {processes:>10}"
            )
        print(
            "(largest: the peak of the largest process; all: the sum of every process's peak, "
            "the whole tree's memory at worst)"
        )
        best = min(statistics.median(t) for t in rows.values())
        print(
            f"floor: the standard library reading each case and writing csc-rules' answer again, "
            f"one process: {args.cases / statistics.median(floors):,.0f} cases/s; the fastest "
            f"run above takes {best / statistics.median(floors):.2f} of the floor's time "
            "(issue 29's aim: 0.6 or less with two workers)"
        )
        one_million = 1_000_000 / (args.cases / min(statistics.median(t) for t in rows.values()))
        print(f"at the best rate, 1,000,000 cases would take {one_million / 60:,.1f} minutes")


if __name__ == "__main__":
    main()
