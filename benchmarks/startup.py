"""Start-up: `csc-rules --help`, a cold `csc-rules validate` of every procedure and a cold
`csc-rules run` of a few cases (compiling their procedures, and from the cache), beside
`check-jsonschema` checking one council file against the same schema, in the same run.

    pip install '.[bench]' && python benchmarks/startup.py [--runs N]

Each command runs as a fresh process, round-robin so that the machine's noise falls on all of
them alike; the table gives the median and the fastest run, and each median as a ratio to
check-jsonschema's. The target: validate at most 1.2 times check-jsonschema.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def command(name: str, *args: str) -> list[str]:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        sys.exit(f"{name} is not installed: run `pip install '.[bench]'` first")
    return [found, *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each command (default 21)")
    runs = parser.parse_args().runs

    council = ROOT / "councils/sefton/csc-statutory.yaml"
    case = ["run", str(ROOT / "examples/cases.jsonl"), "--as-of", "2025-06-01"]
    # The first run of a case compiles its procedure (the cache off); later runs load it.
    uncached = {**os.environ, "CSC_RULES_CACHE": "off"}
    environments = {"csc-rules run (cases.jsonl, no cache)": uncached}
    commands = {
        "python -c pass (interpreter floor)": [sys.executable, "-c", "pass"],
        "csc-rules --help": command("csc-rules", "--help"),
        "csc-rules validate (all 10 files)": command("csc-rules", "validate"),
        "csc-rules run (cases.jsonl, no cache)": command("csc-rules", *case),
        "csc-rules run (cases.jsonl, cached)": command("csc-rules", *case),
        "check-jsonschema (1 council file)": command(
            "check-jsonschema",
            "--schemafile",
            str(ROOT / "rules/procedure.schema.json"),
            str(council),
        ),
    }
    for label, argv in commands.items():  # once each, to check they work and to warm the caches
        done = subprocess.run(argv, capture_output=True, cwd=ROOT, env=environments.get(label))
        if done.returncode != 0:
            sys.exit(f"{label} failed:\n{done.stdout.decode()}{done.stderr.decode()}")

    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(
                argv, capture_output=True, cwd=ROOT, check=True, env=environments.get(label)
            )
            times[label].append((time.perf_counter() - start) * 1000)

    reference = statistics.median(times["check-jsonschema (1 council file)"])
    print(f"{runs} runs each, {sys.platform}, Python {sys.version.split()[0]}\n")
    print(f"{'command':<38} {'median ms':>10} {'fastest ms':>11} {'÷ check-jsonschema':>19}")
    for label, samples in times.items():
        median = statistics.median(samples)
        print(f"{label:<38} {median:>10.1f} {min(samples):>11.1f} {median / reference:>19.2f}")
    ratio = statistics.median(times["csc-rules validate (all 10 files)"]) / reference
    verdict = "within" if ratio <= 1.2 else "OVER"
    print(f"\nvalidate / check-jsonschema = {ratio:.2f} ({verdict} the 1.2 target)")
    ratio = statistics.median(times["csc-rules run (cases.jsonl, cached)"]) / reference
    verdict = "within" if ratio <= 1.0 else "OVER"
    print(f"cached run / check-jsonschema = {ratio:.2f} ({verdict} the 1.0 target)")


if __name__ == "__main__":
    main()
