"""`csc-rules impact` beside `csc-rules run` on the same generated cases, in the same run: the
time and the peak memory of the largest process of each. `impact` replays every case of the
changed procedure twice (Sefton's statutory procedure, its stage 1 limit taken from 10 to 15
working days in a copy): a quarter of the generator's cases, replayed twice over.

    pip install '.[bench]' && python benchmarks/impact.py [--cases N] [--jobs J]

The default is 100,000 cases; give --cases 1000000 for the figure issue 27 asks for (memory
should not grow with the caseload: the moved deadlines are spilled to a temporary file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import generate  # noqa: E402  (the caseload batch.py measures)
from due import measure, table  # noqa: E402  (time and peak memory of a command, a table of them)

ROOT = Path(__file__).resolve().parent.parent
STAGE_1 = "  stage-1-response:\n    actor: complaints-officer\n"


def proposal(folder: Path) -> Path:
    """Sefton's statutory procedure with stage 1 at 15 working days."""
    text = (ROOT / "councils" / "sefton" / "csc-statutory.yaml").read_text(encoding="utf-8")
    path = folder / "csc-statutory.yaml"
    path.write_text(
        text.replace(STAGE_1, STAGE_1 + "    limit: {amount: 15, unit: working-days}\n", 1),
        encoding="utf-8",
    )
    return path


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
        proposed = proposal(Path(folder))
        print(f"{args.cases:,} cases ({path.stat().st_size / 1e6:,.0f} MB), --jobs {args.jobs}")
        common = [str(path), "--as-of", as_of, "--jobs", str(args.jobs)]
        measure([command, "run", *common[:3], "--jobs", "1"])  # warms the compiled-procedure cache
        change = ["--proposed", str(proposed)]
        rows = {
            "csc-rules run --format jsonl": [command, "run", *common, "--format", "jsonl"],
            "csc-rules run --summary": [command, "run", *common, "--summary"],
            "csc-rules impact --format json": [
                command,
                "impact",
                *common,
                *change,
                "--format",
                "json",
            ],
            "csc-rules impact --format csv": [
                command,
                "impact",
                *common,
                *change,
                "--format",
                "csv",
            ],
        }
        table(rows, args.cases)


if __name__ == "__main__":
    main()
