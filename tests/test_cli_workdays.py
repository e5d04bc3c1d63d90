"""`csc-rules workdays add | between | list`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import COUNCILS, run

# How an unknown council's error ends: every council folder of the library, by name.
KNOWN = f"(known councils: {', '.join(COUNCILS)})"


def test_add_prints_the_due_date() -> None:
    result = run("workdays", "add", "2024-12-20", "10")
    assert (result.exit_code, result.stdout) == (0, "2025-01-08\n")


def test_add_before_and_between() -> None:
    assert run("workdays", "add", "2025-01-14", "10", "--before").stdout == "2024-12-30\n"
    assert run("workdays", "between", "2024-12-20", "2025-01-08").stdout == "10\n"


def test_add_json_names_what_it_skipped() -> None:
    result = run("workdays", "add", "2024-12-20", "10", "--format", "json")
    data = json.loads(result.stdout)
    assert data["result"] == "2025-01-08" and data["region"] == "ENG"
    holidays = [d["name"] for d in data["skipped"] if d["kind"] == "holiday"]
    assert holidays == ["Christmas Day", "Boxing Day", "New Year's Day"]


def test_list_gives_names_and_the_one_off_holidays() -> None:
    out = run("workdays", "list", "2023").stdout.splitlines()
    assert "2023-05-08  Mon  Coronation of Charles III" in out
    # 9 bank holidays (Mon 2 Jan substitute, 7 and 10 Apr, 1, 8 and 29 May, 28 Aug, 25 and 26 Dec)
    # and Sun 1 Jan itself, named though it is a weekend day
    assert len(out) == 10
    data = json.loads(run("workdays", "list", "2022", "--format", "json").stdout)
    assert {
        "date": "2022-06-02",
        "kind": "holiday",
        "name": "Spring Bank Holiday",
        "counts": True,
    } in data
    assert not any(d["date"] == "2022-05-30" for d in data)


def test_regions_and_councils() -> None:
    scotland = run("workdays", "list", "2024", "--region", "Scotland").stdout
    assert "2024-11-30  Sat  Saint Andrew's Day" in scotland and "Easter Monday" not in scotland
    assert (
        run("workdays", "add", "2024-12-20", "10", "--council", "sefton").stdout == "2025-01-08\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "2024-13-01", "3"], "Error: `2024-13-01` is not a real date"),
        (
            ["add", "20/12/2024", "3"],
            "Error: `20/12/2024` is not a date: write YYYY-MM-DD, e.g. 2024-12-20",
        ),
        (
            ["add", "2024-12-20", "-3"],
            "Error: cannot add -3 working days: give 0 or more, and --before to count back",
        ),
        (["add", "2024-12-20", "ten"], "Error: `ten` is not a whole number of working days"),
        (
            ["add", "2024-12-20", "99999999"],
            "Error: 99999999 working days after 2024-12-20 runs past 2040, the last year this calendar holds",
        ),
        (
            ["add", "2045-01-02", "1"],
            "Error: 2045 is outside 2000-2040, the years csc-rules holds bank holidays for",
        ),
        (
            ["list", "2024", "--region", "Narnia"],
            "Error: unknown region `Narnia`; use one of ENG, WLS, SCT, NIR",
        ),
        (
            ["add", "2024-12-20", "1", "--council", "seftn"],
            f"Error: unknown council `seftn`; did you mean `sefton`? {KNOWN}",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_1(args: list[str], message: str) -> None:
    result = run("workdays", *args)
    assert result.exit_code == 1
    assert result.stderr == message + "\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    "council",
    ["x" * 60 + "-council", "x" * 300, "../rules", "sefton/../islington", "Sefton", "", "sefton "],
    ids=[
        "70 characters",
        "300 characters",
        "a path",
        "a path inside",
        "capitals",
        "empty",
        "space",
    ],
)
def test_a_council_name_is_checked_before_any_file_is_read(council: str) -> None:
    result = run("workdays", "list", "2023", "--council", council)
    assert result.exit_code == 1
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: `")
    assert "is not a council's name: councils are named by their folders under councils/" in (
        result.stderr
    )
    assert result.stderr.rstrip().endswith(KNOWN)


def test_a_council_name_in_capitals_gets_a_suggestion() -> None:
    result = run("workdays", "add", "2024-12-20", "1", "--council", "Sefton")
    assert "did you mean `sefton`?" in result.stderr


def test_an_unreadable_library_folder_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from csc_rules.errors import LibraryError
    from csc_rules.reading.locations import yaml_files_under

    def refused(self: Path, pattern: str) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "rglob", refused)
    with pytest.raises(LibraryError) as exc_info:
        yaml_files_under(tmp_path)
    assert str(exc_info.value) == (
        f"cannot read {tmp_path}: Permission denied; check that it exists and that you may read it"
    )
