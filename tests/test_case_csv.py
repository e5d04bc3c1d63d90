"""Case records as a case system exports them: a CSV file, one row per event, with its column
mapping beside it (issue 14). `run` and `report` read it as they read case files."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from conftest import assert_no_crash, run
from csc_rules.cases.csv_rows import case_rows

MAPPING = """csv: case-system-export
procedure: {column: Procedure}
columns: {case: Reference, date: Date, event: Event}
date_format: "%d/%m/%Y"
fields: {outcome: Outcome, limit: Extended to}
facts:
  complainant.role: Complainant
  service_area: Team
  point_of_receipt: Received via
  about_council_actions: About us
values:
  event: {Complaint received: complaint-received, Stage 1 response sent: stage-1-response-sent}
  outcome: {Upheld: upheld, Partly upheld: partially-upheld, Not upheld: not-upheld}
  complainant.role: {Parent: parent}
"""
HEADER = (
    "Reference,Procedure,Date,Event,Outcome,Complainant,Team,Received via,About us,Extended to\n"
)
CW = "cheshire-west/csc-statutory"


def export(folder: Path, rows: list[str], mapping: str = MAPPING) -> Path:
    path = folder / "export.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    (folder / "export.mapping.yaml").write_text(mapping, encoding="utf-8")
    return path


def test_a_csv_export_runs_and_bad_rows_are_reported_by_line_and_column(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        [
            f"CW-1,{CW},03/06/2024,Complaint received,,Parent,children-in-need-chester,customer-relations-team,yes,",
            f"CW-1,{CW},10/06/2024,Stage 1 response sent,Upheld,,,,,",
            f"CW-2,{CW},04/06/2024,Complaint received,,Parent,,other,yes,",
            f"CW-2,{CW},31/06/2024,Stage 1 response sent,Upheld,,,,,",
            f"CW-3,{CW},05/06/2024,Complaint received,,Parent,,other,perhaps,",
        ],
    )
    result = run("run", str(path), "--as-of", "2024-07-01", "--format", "jsonl")
    assert result.exit_code == 1  # two cases could not be evaluated; the third was
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    good = next(r for r in lines if r["case"] == "CW-1")
    # Mon 3 Jun 2024 + 10 working days = Mon 17 Jun; answered Mon 10 Jun: met
    stage_1 = next(d for d in good["deadlines"] if d["id"] == "stage-1-response")
    assert (stage_1["due"], stage_1["status"]) == ("2024-06-17", "met")
    errors = {r["case"]: r["error"] for r in lines if "error" in r}
    assert (errors["CW-2"]["line"], errors["CW-2"]["column"]) == (5, 3)  # the Date column
    assert "`31/06/2024` is not a real date in the form DD/MM/YYYY" in errors["CW-2"]["message"]
    assert (errors["CW-3"]["line"], errors["CW-3"]["column"]) == (6, 9)  # the About us column
    assert "`perhaps` is not yes or no" in errors["CW-3"]["message"]
    assert_no_crash(result)


def test_the_report_reads_the_same_export(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        [
            f"CW-1,{CW},03/06/2024,Complaint received,,Parent,children-in-need-chester,customer-relations-team,yes,",
            f"CW-1,{CW},10/06/2024,Stage 1 response sent,Partly upheld,,,,,",
        ],
    )
    data = json.loads(run("report", str(path), "--year", "2024-25", "--format", "json").stdout)
    assert data["outcomes"]["stage-1"]["partially-upheld"] == 1
    # every category Cheshire West lists is a row (0 where no case is in it)
    assert {k: v for k, v in data["service_areas"].items() if v} == {"children-in-need-chester": 1}
    assert {k: v for k, v in data["points_of_receipt"].items() if v} == {
        "customer-relations-team": 1
    }


def test_an_export_without_its_mapping_says_what_to_write(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(HEADER, encoding="utf-8")
    result = run("run", str(path))
    assert result.exit_code == 1
    assert "a CSV export needs its column mapping beside it: write" in result.output
    assert "export.mapping.yaml" in result.output


def test_a_mapping_naming_a_column_the_export_lacks(tmp_path: Path) -> None:
    path = export(tmp_path, [], MAPPING.replace("Team", "Service team"))
    result = run("run", str(path))
    assert result.exit_code == 1
    assert "the mapping names column(s) the export does not have: Service team" in result.output


def test_an_export_sorted_by_date_is_read_case_by_case(tmp_path: Path) -> None:
    # What a spreadsheet user leaves: the rows of three cases interleaved, newest first, with a
    # bad date on line 3. Each case gets all its rows, in date order.
    path = export(
        tmp_path,
        [
            f"CW-2,{CW},11/06/2024,Stage 1 response sent,Upheld,,,,,",
            f"CW-3,{CW},31/06/2024,Stage 1 response sent,Upheld,,,,,",
            f"CW-1,{CW},10/06/2024,Stage 1 response sent,Not upheld,,,,,",
            f"CW-3,{CW},05/06/2024,Complaint received,,Parent,,other,yes,",
            f"CW-2,{CW},04/06/2024,Complaint received,,Parent,,other,yes,",
            f"CW-1,{CW},03/06/2024,Complaint received,,Parent,,other,yes,",
        ],
    )
    result = run("run", str(path), "--as-of", "2024-07-01", "--format", "jsonl")
    lines = {r["case"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert sorted(lines) == ["CW-1", "CW-2", "CW-3"]
    # CW-1: Mon 3 Jun + 10 working days = Mon 17 Jun, answered 10 Jun; CW-2: Tue 4 Jun -> Tue
    # 18 Jun, answered 11 Jun: both met
    for case, due in (("CW-1", "2024-06-17"), ("CW-2", "2024-06-18")):
        stage_1 = next(d for d in lines[case]["deadlines"] if d["id"] == "stage-1-response")
        assert (stage_1["due"], stage_1["status"]) == (due, "met")
        assert [e["event"] for e in lines[case]["events"]] == [
            "complaint-received",
            "stage-1-response-sent",
        ]
    bad = lines["CW-3"]["error"]
    assert (bad["line"], bad["column"]) == (3, 3)  # where the row is in the file, its Date
    assert "`31/06/2024` is not a real date in the form DD/MM/YYYY" in bad["message"]
    assert_no_crash(result)
    outcomes = {
        case: [row["Outcome"] for _, row in rows]
        for case, rows, _ in case_rows(path, yaml.safe_load(MAPPING))
    }
    # each outcome stays with its case; CW-3's rows stay in file order, a date being unreadable
    assert outcomes == {"CW-1": ["", "Not upheld"], "CW-2": ["", "Upheld"], "CW-3": ["Upheld", ""]}


def test_rows_of_a_day_keep_the_order_of_the_file(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        [
            f"CW-2,{CW},04/06/2024,Complaint received,,Parent,,other,yes,",
            f"CW-1,{CW},03/06/2024,Complaint received,,Parent,,other,yes,",
            f"CW-1,{CW},03/06/2024,withdrawn,,,,,,",
        ],
    )
    result = run("run", str(path), "--as-of", "2024-07-01", "--format", "jsonl")
    lines = {r["case"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert [e["event"] for e in lines["CW-1"]["events"]] == ["complaint-received", "withdrawn"]
    assert lines["CW-1"]["status"] == "withdrawn"


def shuffled_cases(folder: Path, count: int, note: str = "") -> tuple[Path, Path]:
    """The same `count` rows as an export grouped by case (one to six rows a case, in date
    order) and as one whose rows are shuffled; with a `note`, a column of free text holds it."""
    rng = random.Random(23)
    rows: list[str] = []
    for number in itertools.count():
        day = dt.date(2024, 4, 1) + dt.timedelta(days=rng.randrange(300))
        for event in range(rng.randint(1, 6)):
            when = (day + dt.timedelta(days=3 * event)).strftime("%d/%m/%Y")
            rows.append(f"CW-{number},{CW},{when},event-{event},,Parent,,other,yes,,{note}\n")
            if len(rows) == count:
                break
        if len(rows) == count:
            break
    paths = []
    for order in ("grouped", "shuffled"):
        if order == "shuffled":
            rng.shuffle(rows)
        path = folder / f"{order}.csv"
        path.write_text(HEADER.replace("\n", ",Note\n") + "".join(rows), encoding="utf-8")
        (folder / f"{order}.mapping.yaml").write_text(MAPPING, encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def test_a_shuffled_export_larger_than_a_run_gives_the_same_cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Runs of about 20 rows (a row here counts for some 800 bytes), merged three at a time: the
    # export is sorted on disk in many runs and merged in rounds, as a large export would be.
    monkeypatch.setattr("csc_rules.cases._bounded_sort.RUN_WEIGHT", 16_000)
    monkeypatch.setattr("csc_rules.cases._bounded_sort.FAN_IN", 3)
    spill = tmp_path / "spill"
    spill.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill))
    grouped, shuffled = shuffled_cases(tmp_path, 1000)
    mapping = yaml.safe_load(MAPPING)

    def events(path: Path) -> dict[str, list[tuple[str, str]]]:
        return {
            case: [(row["Date"], row["Event"]) for _, row in rows]
            for case, rows, _ in case_rows(path, mapping)
        }

    expected = events(grouped)
    assert sum(map(len, expected.values())) == 1000
    assert events(shuffled) == expected  # every row, with its case, in date order
    lines = shuffled.read_text(encoding="utf-8").splitlines()
    for number, (case, rows, _) in enumerate(case_rows(shuffled, mapping)):
        if number == 0:  # merging: the runs are on disk, and no more than three are open
            assert 1 <= len(list(spill.glob("*/run-*"))) <= 3
        for line, row in rows:  # each row still knows its line in the export
            assert lines[line - 1].startswith(f"{case},{CW},{row['Date']},{row['Event']},")
    assert list(spill.iterdir()) == []  # the runs on disk are gone


def test_an_export_that_cannot_be_grouped_on_disk_says_where_room_is_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("csc_rules.cases._bounded_sort.RUN_WEIGHT", 16_000)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    _, shuffled = shuffled_cases(tmp_path, 200)
    result = run("run", str(shuffled), "--as-of", "2025-04-01", "--format", "jsonl")
    assert result.exit_code == 1
    [line] = [json.loads(text) for text in result.stdout.splitlines()]  # no case, half read
    assert (line["error"]["path"], line["error"]["code"]) == (str(shuffled), "file-unwritable")
    assert (
        f"needs room for temporary files in {tmp_path / 'no-such-folder'}"
        in line["error"]["message"]
    )
    assert "set TMPDIR to a folder with room" in line["error"]["message"]
    assert_no_crash(result)


@pytest.mark.slow
def test_reading_a_shuffled_export_of_200000_rows_holds_no_more_than_the_grouped_read(
    tmp_path: Path,
) -> None:
    grouped, shuffled = shuffled_cases(tmp_path, 200_000, "a note of the sort a case system keeps")
    # The peak resident memory of a process reading the export, from the moment it starts to
    # read (Linux: writing 5 to clear_refs resets the peak, so the imports' is left out).
    script = (
        "import re, sys, yaml\n"
        "from pathlib import Path\n"
        "from csc_rules.cases.csv_rows import case_rows\n"
        "peak = lambda: int(re.findall(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text())[0])\n"
        "mapping = yaml.safe_load(Path(sys.argv[2]).read_text())\n"
        "Path('/proc/self/clear_refs').write_text('5')\n"
        "before = peak()\n"
        "rows = sum(len(r) for _, r, _ in case_rows(Path(sys.argv[1]), mapping))\n"
        "print(rows, peak() - before)\n"
    )

    def growth(path: Path) -> tuple[int, float]:
        mapping = path.with_name(path.stem + ".mapping.yaml")
        done = subprocess.run(
            [sys.executable, "-c", script, str(path), str(mapping)], capture_output=True, text=True
        )
        if done.returncode and "clear_refs" in done.stderr:
            pytest.skip("the peak memory of a process can only be reset on Linux")
        assert done.returncode == 0, done.stderr
        rows, kib = done.stdout.split()
        return int(rows), int(kib) / 1024

    rows, in_order = growth(grouped)
    assert rows == 200_000
    rows, shuffled_growth = growth(shuffled)
    assert rows == 200_000
    # Holding the 200,000 rows as Python lists would take some 150 MiB; the grouped read holds
    # a case at a time and the references it has seen, sorted on disk past 4 MiB of them; the
    # shuffled read, a run of about 4 MiB of rows, whatever the export's length.
    assert shuffled_growth < in_order + 16, (in_order, shuffled_growth)
    assert shuffled_growth < 24, (in_order, shuffled_growth)


def test_broken_exports_are_refused_with_what_to_do(tmp_path: Path) -> None:
    header_only = export(tmp_path, [])
    result = run("run", str(header_only))
    assert result.exit_code == 1
    assert "the export has a header but no rows: export the cases too" in result.output

    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.replace("Received via", "Reçu").encode("latin-1"))
    (tmp_path / "latin.mapping.yaml").write_text(MAPPING, encoding="utf-8")
    result = run("run", str(latin))
    assert result.exit_code == 1 and "not UTF-8 text: save the export as UTF-8" in result.output

    wide = export(tmp_path, [f"CW-1,{CW},03/06/2024,Complaint received,,Parent,,other,yes,,LOST"])
    result = run("run", str(wide), "--as-of", "2024-07-01")
    assert result.exit_code == 1
    assert "this row has 11 cells, more than the header's 10 columns" in result.output

    odd = export(tmp_path, [], MAPPING.replace('"%d/%m/%Y"', '"%Q"'))
    result = run("run", str(odd))
    assert result.exit_code == 1
    assert "`%Q` is not a date format: write it with %d, %m and %Y" in result.output
    assert_no_crash(result)


def test_a_row_past_the_size_bound_is_reported_not_held_or_dropped(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        [
            f"CW-1,{CW},03/06/2024,Complaint received,{'x' * (2 << 20)},Parent,,other,yes,",
            f"CW-2,{CW},04/06/2024,Complaint received,,Parent,,other,yes,",
        ],
    )
    result = run("run", str(path), "--as-of", "2024-07-01", "--format", "jsonl")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["case"] for r in lines if "error" not in r] == ["CW-2"]
    [long] = [r for r in lines if "error" in r]
    assert long["error"]["line"] == 2
    assert "this row is longer than 1 MiB" in long["error"]["message"]


GOOD = [
    f"CW-1,{CW},03/06/2024,Complaint received,,Parent,,other,yes,",
    f"CW-1,{CW},10/06/2024,Stage 1 response sent,Upheld,,,,,",
]
ROLES = "complainant.role: {Parent: parent, Foster carer: local-authority-foster-carer}"


@pytest.mark.parametrize(
    ("changes", "row", "cell", "line", "column", "key", "nearest"),
    [
        # a word of its own: nothing offered, least of all `parent`, which it merely contains
        ({"Parent,": "Grandparent,"}, 0, "Grandparent", 2, 6, "complainant.role", None),
        # the mapping spells it differently: its own word offered
        (
            {"Parent,": "Grandparent,", ROLES[:-1]: ROLES[:-1] + ", Grand parent: other"},
            0,
            "Grandparent",
            2,
            6,
            "complainant.role",
            "Grand parent",
        ),
        (
            {"Stage 1 response sent,": "Stage 1 respnse sent,"},
            1,
            "Stage 1 respnse sent",
            3,
            4,
            "event",
            "Stage 1 response sent",
        ),
        ({"Upheld,": "Uphold,"}, 1, "Uphold", 3, 5, "outcome", "Upheld"),
        # no `values:` for the fact at all: the code it is but for a capital letter
        ({"Parent,": "Parent,", ROLES: ""}, 0, "Parent", 2, 6, "complainant.role", "parent"),
        # one item of a list the mapping does not map; the others are fine
        (
            {
                "other,": "Court; tribunal; Tribunl,",
                "point_of_receipt:": "concurrent_proceedings:",
                ROLES: ROLES + "\n  concurrent_proceedings: {Court: court, Tribunal: tribunal}",
            },
            0,
            "Tribunl",
            2,
            8,
            "concurrent_proceedings",
            "Tribunal",
        ),
    ],
    ids=["unrelated", "spelt-apart", "event", "outcome", "no-values", "list-item"],
)
def test_a_word_the_mapping_does_not_map_is_named_as_missing_from_it(
    tmp_path: Path,
    changes: dict[str, str],
    row: int,
    cell: str,
    line: int,
    column: int,
    key: str,
    nearest: str | None,
) -> None:
    rows, mapping = list(GOOD), MAPPING.replace("complainant.role: {Parent: parent}", ROLES)
    for old, new in changes.items():
        if old in mapping:
            mapping = mapping.replace(old, new)
        else:
            rows[row] = rows[row].replace(old, new, 1)
    path = export(tmp_path, rows, mapping)
    result = run("run", str(path), "--as-of", "2024-07-01", "--format", "jsonl")
    assert result.exit_code == 1
    [error] = [json.loads(text)["error"] for text in result.stdout.splitlines()]
    assert (error["path"], error["line"], error["column"]) == (str(path), line, column)
    assert error["code"] == "unmapped-value"
    message = error["message"]
    assert message.startswith(
        f'"{cell}" in column `{HEADER.split(",")[column - 1]}` is missing from the mapping'
    )
    assert (
        f"add `{cell}: <code>` under `{key}:` in the `values:` of {tmp_path / 'export.mapping.yaml'}"
        in message
    )
    if nearest:
        assert f'(did you mean "{nearest}"?)' in message
    else:
        assert "did you mean" not in message
    assert_no_crash(result)


def test_a_row_without_a_reference_or_an_event_is_reported_not_dropped(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        [
            *GOOD,
            f",{CW},04/06/2024,Complaint received,,Parent,,other,yes,",
            f"CW-2,{CW},05/06/2024,,,Parent,,other,yes,",
        ],
    )
    result = run("run", str(path), "--as-of", "2024-07-01", "--format", "jsonl")
    assert result.exit_code == 1
    lines = [json.loads(text) for text in result.stdout.splitlines()]
    assert [r["case"] for r in lines if "error" not in r] == ["CW-1"]
    no_reference, no_event = (r["error"] for r in lines if "error" in r)
    assert no_reference["line"] == 4
    assert "this row gives no case reference in column `Reference`" in no_reference["message"]
    assert (no_event["line"], no_event["column"]) == (5, 4)
    assert "column `Event` is empty: give the event the row records" in no_event["message"]


def test_a_row_repeated_cell_for_cell_is_refused_with_both_lines(tmp_path: Path) -> None:
    # an export pasted twice into one file: the second copy of each case's rows, apart from the
    # first, would otherwise be taken as more of its events
    path = export(
        tmp_path, [*GOOD, f"CW-2,{CW},04/06/2024,Complaint received,,Parent,,other,yes,", GOOD[1]]
    )
    result = run("run", str(path), "--as-of", "2024-07-01", "--format", "jsonl")
    assert result.exit_code == 1
    lines = {r["case"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert "error" not in lines["CW-2"]
    error = lines["CW-1"]["error"]
    assert (error["line"], error["code"]) == (5, "duplicate-row")
    assert "this row repeats line 3 cell for cell: delete one of them" in error["message"]


def test_a_case_systems_words_for_an_extensions_ground_are_mapped(tmp_path: Path) -> None:
    """The export's reasons for extending are mapped to grounds under `values: ground:`; one the
    mapping does not map is named, with the grounds it can stand for."""
    (tmp_path / "export.csv").write_text(
        "Reference,Date,Event,Why extended,Extended to\n"
        "CW-1,08/04/2024,Complaint received,,\n"
        "CW-1,15/04/2024,Extended,Complex case,20\n"
        "CW-1,09/05/2024,Answered,,\n"
        "CW-2,08/04/2024,Complaint received,,\n"
        "CW-2,15/04/2024,Extended,Awaiting advocate,20\n"
        "CW-3,08/04/2024,Complaint received,,\n"
        "CW-3,15/04/2024,Extended,Staff sickness,20\n",
        encoding="utf-8",
    )
    (tmp_path / "export.mapping.yaml").write_text(
        f"csv: case-system-export\nprocedure: {CW}\n"
        "columns: {case: Reference, date: Date, event: Event}\n"
        'date_format: "%d/%m/%Y"\n'
        "fields: {ground: Why extended, limit: Extended to}\n"
        "values:\n"
        "  event: {Complaint received: complaint-received, Extended: stage-1-extended,"
        " Answered: stage-1-response-sent}\n"
        "  ground: {Complex case: complex, Awaiting advocate: advocate}\n",
        encoding="utf-8",
    )
    result = run("run", str(tmp_path / "export.csv"), "--as-of", "2024-05-10", "--format", "jsonl")
    cases = {r["case"]: r for r in map(json.loads, result.stdout.splitlines())}
    # CW-1: a complex matter, which Cheshire West extends for: 20 working days from Mon 8 Apr
    # (9-12, 15-19, 22-26 Apr, 29 Apr-3 May, (6 May), 7 May), due 7 May
    stage_1 = next(d for d in cases["CW-1"]["deadlines"] if d["id"] == "stage-1-response")
    assert (stage_1["due"], stage_1["extended"]) == ("2024-05-07", True)
    # CW-2: an advocate, which it does not: set aside, the 10 working days (9-12, 15-19, 22 Apr)
    stage_1 = next(d for d in cases["CW-2"]["deadlines"] if d["id"] == "stage-1-response")
    assert (stage_1["due"], stage_1["extended"]) == ("2024-04-22", False)
    assert [w["code"] for w in cases["CW-2"]["warnings"]] == ["extension-ground"]
    # CW-3: a word the mapping does not map, at its line and column
    error = cases["CW-3"]["error"]
    assert (error["code"], error["line"], error["column"]) == ("unmapped-value", 8, 4)
    assert error["message"].startswith(
        '"Staff sickness" in column `Why extended` is missing from the mapping'
    )
    assert error["message"].endswith("the code being one of: complex, advocate")
    assert result.exit_code == 1
    assert_no_crash(result)
