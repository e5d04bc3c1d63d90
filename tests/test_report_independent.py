"""`csc-rules report` against an independent count (issue 23, "What must be shown", first point).

A generated caseload of the shapes real councils' records have (tests/report_check/caseload.py,
over Sefton's, Islington's and Cheshire West's statutory procedures) is reported for 2024-25 as
of the year's end and as of 31 October 2025, and every figure is compared with what
tests/report_check/count.py counts from the same file, following the counting specification
(docs/complaints-managers.md, "The annual report") with its own calendar and without csc_rules."""

from __future__ import annotations

import ast
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from report_check import count
from report_check.caseload import COUNCILS, KINDS, caseload, write_jsonl
from report_check.compare import differences

CHECK = Path(__file__).resolve().parent / "report_check"
COUNT = CHECK / "count.py"
YEAR = "2024-25"
AS_OF = ("2025-03-31", "2025-10-31")  # the year's end, and seven months on
# The reports compared: as of each day, and one council's alone.
REPORTS = [(AS_OF[0], None), (AS_OF[1], None), (AS_OF[1], "cheshire-west")]


def engine_report(cases: Path, as_of: str, council: str | None) -> dict[str, Any]:
    """`csc-rules report --format json` as a user runs it."""
    options = ["--council", council] if council else []
    done = subprocess.run(
        [sys.executable, "-m", "csc_rules", "report", str(cases), "--year", YEAR,
         "--as-of", as_of, "--format", "json", "--jobs", "1", *options],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def checker_report(cases: Path, as_of: str, council: str | None) -> dict[str, Any]:
    """count.py's figures, run as a script; it fails if csc_rules was imported."""
    options = ["--year", YEAR, "--as-of", as_of, *(["--council", council] if council else [])]
    program = (
        "import runpy, sys\n"
        f"sys.argv = ['count.py', {str(cases)!r}, *{options!r}]\n"
        f"runpy.run_path({str(COUNT)!r}, run_name='__main__')\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'csc_rules'], 'csc_rules imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False, cwd=CHECK
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("caseload") / "cases.jsonl")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("as_of", "council"), REPORTS, ids=["year-end", "october", "october-cheshire-west"]
)
def test_the_report_gives_the_independent_count_figure_by_figure(
    cases: Path, as_of: str, council: str | None
) -> None:
    engine = engine_report(cases, as_of, council)
    found = differences(engine, checker_report(cases, as_of, council))
    assert not found, f"{len(found)} figures differ (engine, then count.py):\n" + "\n".join(found)


def test_the_checker_imports_nothing_but_the_standard_library() -> None:
    tree = ast.parse(COUNT.read_text(encoding="utf-8"))
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
        )
    }
    assert imported <= sys.stdlib_module_names | {"__future__"}, imported


def test_the_caseload_is_large_and_the_same_for_the_same_seed() -> None:
    made = caseload()
    assert len(made) >= 300
    assert made == caseload() and made != caseload(seed=24)
    assert {case["procedure"] for case in made} == {f"{c}/csc-statutory" for c in COUNCILS}
    assert len({case["case"] for case in made}) == len(made)
    assert len(made) == sum(kind.count for kind in KINDS)


@pytest.fixture(scope="module")
def counted(cases: Path) -> dict[str, dict[str, Any]]:
    """count.py's figures as of each day, counted in this process (no engine involved)."""
    return {
        as_of: count.report(count.read_cases(cases), YEAR, dt.date.fromisoformat(as_of))
        for as_of in AS_OF
    }


def test_the_caseload_has_every_shape_the_report_counts(counted: dict[str, dict[str, Any]]) -> None:
    """Each column and row of the spec is non-zero somewhere, so the comparison tests it."""
    for as_of, data in counted.items():
        outcomes, times = data["outcomes"], data["response_times"]
        assert all(data["representations"][k] for k in ("valid", "ineligible", "not_pursued"))
        for column in ("upheld", "partially-upheld", "not-upheld", "not-recorded", "escalated"):
            assert outcomes["stage-1"][column], (as_of, column)
        for column in ("withdrawn", "settled", "referred"):
            assert outcomes["stage-2"][column], (as_of, column)
        assert outcomes["stage-3"]["settled"] and outcomes["stage-3"]["withdrawn"], as_of
        assert outcomes["stage-1"]["referred"], as_of
        for stage in ("stage-1", "stage-2", "stage-3"):
            assert times[stage]["outside"] and times[stage]["ended"], (as_of, stage)
        assert data["ombudsman"]["referred"] > data["ombudsman"]["premature"] > 0, as_of
        assert data["previous_years"][0]["representations"]["total"], as_of
    at_end, later = counted[AS_OF[0]], counted[AS_OF[1]]
    assert at_end["outcomes"]["stage-1"]["open"] > later["outcomes"]["stage-1"]["open"]
    assert at_end["response_times"]["stage-1"]["pending"]
    assert (
        at_end["left_out"]["received_after_as_of"] > later["left_out"]["received_after_as_of"] > 0
    )
    assert later["left_out"]["other_years"] > 0


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        # worked out on a calendar: Good Friday 2025-04-18 and Easter Monday 2025-04-21
        ("2025-04-17", "2025-04-22", 1),
        # Christmas: the 24th, 27th, 30th, 31st and 2 January count; not 25, 26 Dec or 1 Jan
        ("2024-12-23", "2025-01-02", 5),
        ("2024-06-01", "2024-06-01", 0),  # the first day itself never counts
        ("2024-06-01", "2024-06-03", 1),  # Saturday to Monday
        # the Coronation bank holiday, a one-off (Monday 2023-05-08), and the early May one
        ("2023-04-28", "2023-05-09", 5),
    ],
)
def test_the_checker_counts_working_days_as_the_spec_defines_them(
    start: str, end: str, days: int
) -> None:
    day = dt.date.fromisoformat
    assert count.working_days(day(start), day(end)) == days


def test_the_checkers_bank_holidays_are_the_engines() -> None:
    """The two calendars are typed and read apart (gov.uk's list; the `holidays` package); a
    holiday one lacks would show here before it shows as a figure that differs."""
    from csc_rules.calendars.bank_holidays import bank_holidays

    engine = {day for day in bank_holidays("ENG", 2022, 2027) if day.weekday() < 5}
    assert set(count.BANK_HOLIDAYS) == engine
