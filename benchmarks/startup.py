"""Start-up: `csc-rules --help`, a cold `csc-rules validate` of every procedure and a cold
`csc-rules run` of a few cases (compiling their procedures, from the cache, and the first run
after a procedure file is edited), beside `check-jsonschema` checking one council file against
the same schema, in the same run.

    pip install '.[bench]' && python benchmarks/startup.py [--runs N]

Each command runs as a fresh process, round-robin so that the machine's noise falls on all of
them alike. The first run after an edit runs in a copy of the library with a cache of its own,
and before each such run one council file gains a comment line (new bytes, so its cached
compilation no longer serves, as after a policy officer's edit); the cached row then runs in the
same copy, as the run after it would; the table gives the median and the fastest run, and each median as a ratio to
check-jsonschema's. The target: validate at most 1.2 times check-jsonschema.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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

    with tempfile.TemporaryDirectory() as folder:
        measure(runs, Path(folder))


EDITED = "csc-rules run (cases.jsonl, first after an edit)"
CACHED_COPY = "csc-rules run (cases.jsonl, cached, same copy)"


def measure(runs: int, folder: Path) -> None:
    council = ROOT / "councils/sefton/csc-statutory.yaml"
    case = ["run", str(ROOT / "examples/cases.jsonl"), "--as-of", "2025-06-01"]
    # The first run of a case compiles its procedure (the cache off); later runs load it.
    uncached = {**os.environ, "CSC_RULES_CACHE": "off"}
    copy = folder / "library"  # csc-rules uses the library of the folder it runs in
    for part in ("rules", "councils"):
        shutil.copytree(ROOT / part, copy / part)
    own_cache = {**os.environ, "CSC_RULES_CACHE_DIR": str(folder / "cache")}
    environments = {
        "csc-rules run (cases.jsonl, no cache)": uncached,
        EDITED: own_cache,
        CACHED_COPY: own_cache,
    }
    folders = {EDITED: copy, CACHED_COPY: copy}
    edited = copy / "councils/sefton/csc-statutory.yaml"
    edits = iter(range(1, 1_000_000))

    def edit() -> None:
        with edited.open("a", encoding="utf-8") as handle:
            handle.write(f"# edit {next(edits)}\n")

    before: dict[str, Callable[[], None]] = {EDITED: edit}
    commands = {
        "python -c pass (interpreter floor)": [sys.executable, "-c", "pass"],
        "csc-rules --help": command("csc-rules", "--help"),
        "csc-rules validate (all 10 files)": command("csc-rules", "validate"),
        "csc-rules run (cases.jsonl, no cache)": command("csc-rules", *case),
        "csc-rules run (cases.jsonl, cached)": command("csc-rules", *case),
        EDITED: command("csc-rules", *case),
        CACHED_COPY: command("csc-rules", *case),
        "check-jsonschema (1 council file)": command(
            "check-jsonschema",
            "--schemafile",
            str(ROOT / "rules/procedure.schema.json"),
            str(council),
        ),
    }
    for label, argv in commands.items():  # once each, to check they work and to warm the caches
        before.get(label, lambda: None)()
        cwd = folders.get(label, ROOT)
        done = subprocess.run(argv, capture_output=True, cwd=cwd, env=environments.get(label))
        if done.returncode != 0:
            sys.exit(f"{label} failed:\n{done.stdout.decode()}{done.stderr.decode()}")

    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, argv in commands.items():
            before.get(label, lambda: None)()
            cwd = folders.get(label, ROOT)
            start = time.perf_counter()
            subprocess.run(
                argv, capture_output=True, cwd=cwd, check=True, env=environments.get(label)
            )
            times[label].append((time.perf_counter() - start) * 1000)

    reference = statistics.median(times["check-jsonschema (1 council file)"])
    print(f"{runs} runs each, {sys.platform}, Python {sys.version.split()[0]}\n")
    print(f"{'command':<50} {'median ms':>10} {'fastest ms':>11} {'÷ check-jsonschema':>19}")
    for label, samples in times.items():
        median = statistics.median(samples)
        print(f"{label:<50} {median:>10.1f} {min(samples):>11.1f} {median / reference:>19.2f}")
    ratio = statistics.median(times["csc-rules validate (all 10 files)"]) / reference
    verdict = "within" if ratio <= 1.2 else "OVER"
    print(f"\nvalidate / check-jsonschema = {ratio:.2f} ({verdict} the 1.2 target)")
    ratio = statistics.median(times["csc-rules run (cases.jsonl, cached)"]) / reference
    verdict = "within" if ratio <= 1.0 else "OVER"
    print(f"cached run / check-jsonschema = {ratio:.2f} ({verdict} the 1.0 target)")
    ratio = statistics.median(times[EDITED]) / reference
    print(f"first run after an edit / check-jsonschema = {ratio:.2f}")


if __name__ == "__main__":
    main()
