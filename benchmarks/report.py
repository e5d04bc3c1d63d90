"""Annual report throughput: generated cases across the four council procedures made into a
report (`csc-rules report FILE.jsonl --year 2024-25 --format json`), beside `csc-rules run` on
the same cases (`--format jsonl`, output thrown away), both through the CLI with every core,
in the same run.

    pip install '.[bench]' && python benchmarks/report.py [--cases N] [--runs R]

The cases are those of benchmarks/batch.py (random walks of 2 to 12 events, received from 2024
to mid 2029). The table gives cases per second (median of the runs), the ratio to `run`, and the
peak memory of the largest process: the report streams, so memory stays flat as N grows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import generate  # noqa: E402  (a sibling script, not a package)

WRAPPER = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed(command: list[str]) -> tuple[float, int]:
    """Seconds a command takes, and the peak memory (KiB) of its largest process, measured in a
    wrapper of its own so that each command's peak is its own."""
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], check=True, capture_output=True, text=True
    )
    return time.perf_counter() - began, int(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1989)
    args = parser.parse_args()
    command = [sys.executable, "-m", "csc_rules"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.jsonl"
        generate(path, args.cases, args.seed)
        rows = {
            "csc-rules run (jsonl out)": [
                *command,
                "run",
                str(path),
                "--format",
                "jsonl",
                "--as-of",
                "2029-12-31",
            ],
            "csc-rules report (json out)": [
                *command,
                "report",
                str(path),
                "--year",
                "2024-25",
                "--format",
                "json",
            ],
        }
        samples: dict[str, list[float]] = {label: [] for label in rows}
        peaks: dict[str, int] = {}
        for _ in range(args.runs):
            for label, argv in rows.items():  # interleaved, so a slow spell hits both
                seconds, peak = timed(argv)
                samples[label].append(seconds)
                peaks[label] = peak
    print(f"{args.cases:,} generated cases, {os.cpu_count()} cores, median of {args.runs} runs")
    print(f"{'':<30} {'cases/s':>10} {'÷ run':>7} {'peak MiB':>9}")
    base = statistics.median(samples["csc-rules run (jsonl out)"])
    for label, seconds in samples.items():
        median = statistics.median(seconds)
        print(
            f"{label:<30} {args.cases / median:>10,.0f} {base / median:>7.2f} {peaks[label] / 1024:>9.0f}"
        )


if __name__ == "__main__":
    main()
