"""CSV exports in the order a spreadsheet user leaves them: the same cases' rows grouped by case,
sorted by date, and shuffled, read by csc-rules (which groups the last two on disk, in bounded
runs), and then run through `csc-rules run EXPORT.csv --format jsonl --jobs 1`.

    pip install '.[bench]' && python benchmarks/csv_export.py [--rows N] [--runs R]

The cases are those of benchmarks/batch.py (random walks of 2 to 12 events over the four council
procedures), one row per event. For each order the table gives rows a second (median of the
runs) and the peak memory: of reading the export into cases, above what the process held when
it began to read (Linux: the peak is reset there); and of the whole `csc-rules run` process.
Run it at --rows 200000 and 1000000 to see that memory does not grow with the export.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import generate  # noqa: E402  (a sibling script, not a package)

MAPPING = """csv: benchmark-export
procedure: {column: Procedure}
columns: {case: Reference, date: Date, event: Event}
fields: {outcome: Outcome, panel_date: Panel date}
"""
HEADER = ["Reference", "Procedure", "Date", "Event", "Outcome", "Panel date", "Note"]
NOTE = "a line of free text, as case systems keep beside each event"

# Reads an export into cases in a process of its own: rows, seconds, peak KiB above the start.
READ = """
import re, sys, time, yaml
from pathlib import Path
from csc_rules.cases.csv_rows import case_rows

def peak():
    status = Path("/proc/self/status")
    return int(re.findall(r"VmHWM:\\s+(\\d+)", status.read_text())[0]) if status.exists() else 0

mapping = yaml.safe_load(Path(sys.argv[2]).read_text())
try:
    Path("/proc/self/clear_refs").write_text("5")  # the peak from here on
except OSError:
    pass
before = peak()
began = time.perf_counter()
rows = sum(len(r) for _, r, _ in case_rows(Path(sys.argv[1]), mapping))
print(rows, time.perf_counter() - began, peak() - before)
"""

WRAPPER = (
    "import resource, subprocess, sys, time; began = time.perf_counter(); "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(time.perf_counter() - began, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def exports(folder: Path, rows: int) -> dict[str, Path]:
    """The same rows as three exports: grouped by case, sorted by date, and shuffled."""
    cases = folder / "cases.jsonl"
    generate(cases, rows // 4 + 1, seed=1)  # a walk has some 4 to 7 events: enough cases
    table: list[list[str]] = []
    with cases.open(encoding="utf-8") as lines:
        for line in lines:
            case = json.loads(line)
            for event in case["events"]:
                table.append(
                    [
                        case["case"],
                        case["procedure"],
                        event["date"],
                        event["event"],
                        event.get("outcome", ""),
                        event.get("panel_date", ""),
                        NOTE,
                    ]
                )
                if len(table) == rows:
                    break
            if len(table) == rows:
                break
    orders = {
        "grouped by case": list(table),
        "sorted by date": sorted(table, key=lambda row: row[2]),
        "shuffled": random.Random(2).sample(table, len(table)),
    }
    paths = {}
    for number, (order, ordered) in enumerate(orders.items()):
        path = folder / f"export-{number}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(ordered)
        path.with_name(path.stem + ".mapping.yaml").write_text(MAPPING, encoding="utf-8")
        paths[order] = path
    return paths


def read(path: Path) -> tuple[int, float, int]:
    mapping = path.with_name(path.stem + ".mapping.yaml")
    done = subprocess.run(
        [sys.executable, "-c", READ, str(path), str(mapping)],
        capture_output=True,
        text=True,
        check=True,
    )
    rows, took, peak = done.stdout.split()
    return int(rows), float(took), int(peak)


def run(path: Path) -> tuple[float, int]:
    command = [
        str(Path(sys.executable).parent / "csc-rules"),
        *("run", str(path), "--as-of", "2030-01-01", "--format", "jsonl", "--jobs", "1"),
    ]
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True
    )
    took, peak = done.stdout.split()
    return float(took), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--no-run", action="store_true", help="measure the reading only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = exports(Path(folder), args.rows)
        size = paths["grouped by case"].stat().st_size
        print(f"{args.rows:,} rows ({size / 1e6:,.0f} MB of CSV)")
        head = f"{'':<18} {'read rows/s':>12} {'peak MiB':>9}"
        print(head + ("" if args.no_run else f" {'run rows/s':>11} {'peak MiB':>9}"))
        for order, path in paths.items():
            readings = [read(path) for _ in range(args.runs)]
            if any(rows != args.rows for rows, _, _ in readings):
                raise SystemExit(f"{order}: a read did not give every row")
            rate = args.rows / statistics.median(took for _, took, _ in readings)
            peak = max(p for _, _, p in readings) / 1024
            line = f"{order:<18} {rate:>12,.0f} {peak:>9,.1f}"
            if not args.no_run:
                runs = [run(path) for _ in range(args.runs)]
                run_rate = args.rows / statistics.median(took for took, _ in runs)
                line += f" {run_rate:>11,.0f} {max(p for _, p in runs) / 1024:>9,.0f}"
            print(line, flush=True)


if __name__ == "__main__":
    began = time.perf_counter()
    main()
    print(f"({time.perf_counter() - began:,.0f} s in all)")
