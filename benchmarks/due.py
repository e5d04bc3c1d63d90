"""`csc-rules due` beside `csc-rules run` on the same generated cases, in the same run: the time
and the peak memory of the largest process of each, so that the daily list's cost (the replay,
the reduction to open deadlines, the bounded sort) can be read against the replay alone.

    pip install '.[bench]' && python benchmarks/due.py [--cases N] [--jobs J]

The cases are benchmarks/batch.py's random walks over the councils' procedures. The default is
100,000 cases; give --cases 1000000 for the figure issue 26 asks for (memory should not grow
with the caseload: `due` sorts in runs of a few megabytes spilled to temporary files).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import generate  # noqa: E402  (the caseload batch.py measures)

SCRIPT = (
    "import resource, subprocess, sys, time\n"
    "began = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "took = time.perf_counter() - began\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(done.returncode, took, peak)\n"
)


def measure(argv: list[str]) -> tuple[float, int]:
    """Seconds for a command to finish, and the peak memory (KiB) of its largest process."""
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, *argv], capture_output=True, text=True, check=True
    )
    code, took, peak = out.stdout.split()
    if code not in ("0", "1"):  # 1: some generated cases are received after the day asked about
        raise SystemExit(f"{argv[1]} exited {code}")
    return float(took), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    as_of = dt.date(2030, 1, 1).isoformat()
    command = str(Path(sys.executable).parent / "csc-rules")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.jsonl"
        generate(path, args.cases, seed=1)
        print(f"{args.cases:,} cases ({path.stat().st_size / 1e6:,.0f} MB), --jobs {args.jobs}")
        common = [str(path), "--as-of", as_of, "--jobs", str(args.jobs)]
        measure([command, "run", *common[:3], "--jobs", "1"])  # warms the compiled-procedure cache
        rows = {
            "csc-rules run --format jsonl": [command, "run", *common, "--format", "jsonl"],
            "csc-rules run --summary": [command, "run", *common, "--summary"],
            "csc-rules due --format json": [command, "due", *common, "--format", "json"],
            "csc-rules due --format csv": [command, "due", *common, "--format", "csv"],
        }
        table(rows, args.cases)


def table(rows: dict[str, list[str]], cases: int) -> None:
    """Each command measured in turn, the first (`run`) the one the others are divided by."""
    print(f"{'':<32} {'seconds':>8} {'cases/s':>9} {'÷ run':>6} {'peak MiB':>9}")
    base = 0.0
    for label, argv in rows.items():
        took, peak = measure(argv)
        base = base or took
        print(
            f"{label:<32} {took:>8,.1f} {cases / took:>9,.0f} {base / took:>6.2f} "
            f"{peak / 1024:>9,.0f}"
        )


if __name__ == "__main__":
    main()
