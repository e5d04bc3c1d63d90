"""Case files that cannot be run: each gives located, one-line errors and exit 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run

GOOD = "case: C-1\nprocedure: islington/csc-statutory\nevents:\n  - {date: 2024-06-03, event: complaint-received}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "case: C-1\nevents:\n  - {date: 2024-06-03, event: complaint-received}\n",
            ":1:1: error[missing-key]: the top level is missing `procedure`",
        ),
        (
            GOOD.replace("2024-06-03", "2024-06-31"),
            ":4:12: error[invalid-value]: events.0.date is `2024-06-31`, which is not a real date: write YYYY-MM-DD",
        ),
        (
            GOOD.replace("islington/csc-statutory", "islington/csc-statutry"),
            ":2:12: error[unknown-procedure]: no procedure is called `islington/csc-statutry`; did you mean `islington/csc-statutory`?",
        ),
        (
            GOOD + "  - {date: 2024-06-01, event: acknowledged}\n",
            ":5:12: error[event-order]: 2024-06-01 comes before the previous event's date, 2024-06-03: write events in date order",
        ),
        (
            GOOD + "  - {on: 2024-06-04, event: acknowledged}\n",
            ":5:6: error[non-string-key]: the key `on` is read as a boolean or null by YAML 1.1 tools",
        ),
        (
            GOOD + "  - {date: 2024-06-04, event: acknowledged, outcome: partly}\n",
            ":5:54: error[invalid-value]: events.1.outcome is the text `partly`",
        ),
        (
            GOOD + "facts:\n  complex: maybe\n",
            ":6:12: error[fact-type]: fact `complex` is true or false, so it cannot be compared with `maybe`",
        ),
        (
            GOOD + "  - {date: 2024-06-04, event: panel-scheduled}\n",
            ":5:31: error[event-not-allowed]",
        ),
        ("case: [\n", ":2:1: error[yaml-syntax]"),
        ("", ":1:1: error[empty-file]"),
    ],
    ids=[
        "missing procedure",
        "bad date",
        "unknown procedure",
        "out of order",
        "on as a key",
        "bad outcome",
        "fact of the wrong type",
        "not allowed",
        "broken YAML",
        "empty",
    ],
)
def test_broken_case(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("run", str(path), "--as-of", "2024-06-30")
    assert result.exit_code == 1
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    lines = result.stderr.splitlines()
    assert any(f"{path}{expected}" in line for line in lines), result.stderr
    assert lines[-1] == "Error: 1 case could not be evaluated; see above"


def test_a_missing_case_file(tmp_path: Path) -> None:
    result = run("run", str(tmp_path / "nothing.yaml"))
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'nothing.yaml'}:1:1: error[file-not-found]: no such file; check the path"
        in result.stderr
    )
