"""`csc-rules new`: a council started from the baseline, filled in with a few edits as a policy
officer would, validates, passes its own scenario, conforms, and every command of the library
finds it; what `new` writes follows the baseline, and it never writes over a file."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PLAIN_YAML, run

NEW, NAME = "newtown", "Newtown Borough Council"
PAGE = "newtown-page"  # the council's web page, the document its edits cite
# The procedure's own sources as `new` writes them (the `remove` example has the same placeholder).
SOURCES = '\nsources: ["<document>: <where it says so, or a few words it says in quotes>"]'


def start(library: Path) -> Path:
    """`new council` run in the library copy; the council's folder."""
    result = run("new", "council", NEW, "--name", NAME)
    assert result.exit_code == 0, result.output
    return library / "councils" / NEW


def cite_page(library: Path) -> None:
    """The council's web page made citable: listed under `documents:` in its council.yaml, as
    docs/adding-a-council.md says (after `new council` has written it)."""
    council = library / "councils" / NEW / "council.yaml"
    with council.open("a", encoding="utf-8") as file:
        file.write(
            "documents:\n"
            f"  {PAGE}:\n"
            f"    title: {NAME} web page, Children's social care complaints\n"
            f"    publisher: {NAME}\n"
            "    undated: true\n"
            "    reason: The page carries no date of its own.\n"
        )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def fill_in(folder: Path) -> None:
    """What a policy officer does first: the contact details and the sources, and one limit
    the council's page sets shorter than the statute, uncommented and changed."""
    council = folder / "council.yaml"
    for old, new in [
        ("<the complaints team's name, as the council's page gives it>", "Complaints Team"),
        ("<the team's phone number>", "01234 567890"),
        ("<the team's email address>", "complaints@newtown.example"),
        ("<the team's postal address>", "Town Hall, Newtown NT1 1AA"),
        ("<document>: <where the council gives these contact details>", f"{PAGE}: Contact us"),
    ]:
        edit(council, old, new)
    procedure = folder / "csc-statutory.yaml"
    edit(procedure, SOURCES, f"\nsources: ['{PAGE}: \"our complaints process\"']")
    edit(
        procedure,
        "# duties:\n",
        "duties:\n",
    )
    text = procedure.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = lines.index("#   stage-2-response:")
    lines[at] = "  stage-2-response:"
    limit = next(i for i in range(at, len(lines)) if lines[i].startswith("#     limit:"))
    lines[limit] = "    limit: {amount: 20, unit: working-days}"
    lines.insert(limit + 1, f'    sources: ["{PAGE}: \\"within 20 working days\\""]')
    procedure.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_new_council_filled_in_validates_passes_its_scenario_and_conforms(
    library_copy: Path,
) -> None:
    folder = start(library_copy)
    cite_page(library_copy)
    fill_in(folder)
    result = run("validate", "--format", "json")
    assert result.exit_code == 0, result.output
    mine = [p for p in json.loads(result.stdout) if p["path"].startswith(f"councils/{NEW}/")]
    assert [p for p in mine if p["severity"] == "error"] == []
    tested = run("test", f"councils/{NEW}/scenarios")
    assert tested.exit_code == 0, tested.output
    assert "1 passed, 0 failed" in tested.output
    conformance = run("conformance", f"{NEW}/csc-statutory", "--format", "json")
    assert conformance.exit_code == 0, conformance.output
    shown = run("show", f"{NEW}/csc-statutory")
    assert shown.exit_code == 0, shown.output
    assert "stage-2-response: 20 working days (up to 65 working days)" in shown.output


def test_the_librarys_own_checks_include_the_new_council(library_copy: Path) -> None:
    folder = start(library_copy)
    cite_page(library_copy)
    fill_in(folder)
    listed = run("list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert f"{NEW}/csc-statutory" in {e["id"] for e in json.loads(listed.stdout)}
    everything = run("conformance", "--all", "--format", "json")
    assert everything.exit_code in (0, 1), everything.output  # 1: another council does not conform
    reports = {r["procedure"]: r for r in json.loads(everything.stdout)}
    assert reports[f"{NEW}/csc-statutory"]["conformant"] is True
    site = library_copy.parent / "site"
    built = run("site", "-o", str(site), "--on", "2026-12-01")
    assert built.exit_code == 0, built.output
    page = (site / NEW / "csc-statutory" / "index.html").read_text(encoding="utf-8")
    assert NAME in page and "01234 567890" in page
    assert NAME in (site / "index.html").read_text(encoding="utf-8")


def test_what_is_left_to_fill_in_is_reported_where_it_stands(library_copy: Path) -> None:
    folder = start(library_copy)
    result = run("validate", f"councils/{NEW}")
    assert result.exit_code == 1
    council = folder / "council.yaml"
    for key in ("team", "phone", "email", "address"):
        lines = council.read_text(encoding="utf-8").splitlines()
        line = next(n for n, text in enumerate(lines, 1) if text.startswith(f"  {key}: <"))
        assert re.search(
            rf"^councils/{NEW}/council.yaml:{line}:\d+: error\[placeholder\]: `contact.{key}` "
            r"still holds the placeholder `<[^>]+>`",
            result.output,
            re.M,
        ), result.output
    for path in (council, folder / "csc-statutory.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        line = lines.index(next(t for t in lines if t.startswith('sources: ["<document>: <'))) + 1
        assert f"councils/{NEW}/{path.name}:{line}:" in result.output
        assert "`<document>` is not a known document" in result.output
    assert "scenarios" not in result.output  # the example case is not a procedure file


def test_new_says_what_to_run_next(library_copy: Path) -> None:
    result = run("new", "council", NEW, "--name", NAME)
    assert result.exit_code == 0, result.output
    for command in (
        f"csc-rules validate councils/{NEW}",
        f"csc-rules test councils/{NEW}/scenarios",
        f"csc-rules conformance {NEW}/csc-statutory",
    ):
        assert command in result.stdout


def test_new_never_writes_over_a_file(library_copy: Path) -> None:
    folder = start(library_copy)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    (folder / "council.yaml").write_text("council: newtown\n# edited\n", encoding="utf-8")
    again = run("new", "council", NEW, "--name", "Another")
    assert again.exit_code == 1
    assert f"councils/{NEW}/council.yaml" in again.output and "there already" in again.output
    assert (folder / "council.yaml").read_text(encoding="utf-8") == "council: newtown\n# edited\n"
    assert {p: p.read_bytes() for p in before if p.name != "council.yaml"} == {
        p: b for p, b in before.items() if p.name != "council.yaml"
    }
    other = run("new", "procedure", f"{NEW}/csc-statutory", "--extends", "baseline/corporate")
    assert other.exit_code == 1
    assert f"councils/{NEW}/csc-statutory.yaml" in other.output
    assert (folder / "csc-statutory.yaml").read_bytes() == before[folder / "csc-statutory.yaml"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["council", "Newtown Council", "--name", NAME], "is not a council id: use lower-case"),
        (["council", "newtown_", "--name", NAME], "is not a council id"),
        (["council", NEW, "--name", "  "], "--name is empty"),
        (["council", NEW, "--name", NAME, "--region", "FRA"], "unknown region `FRA`"),
        (["council", NEW, "--name", NAME, "--extends", "baseline/csc"], "did you mean"),
        (["procedure", "newtown", "--extends", "baseline/corporate"], "write <council>/<name>"),
        (["procedure", "nowhere/corporate", "--extends", "baseline/corporate"], "new council"),
    ],
    ids=["spaces", "underscore", "no-name", "region", "extends", "no-slash", "no-council"],
)
def test_new_refuses_what_it_cannot_write_saying_why(
    library_copy: Path, args: list[str], says: str
) -> None:
    result = run("new", *args)
    assert result.exit_code == 1, result.output
    assert says in result.output
    assert not (library_copy / "councils" / NEW).exists()
    assert "Traceback" not in result.output


def test_a_new_corporate_procedure_filled_in_validates(library_copy: Path) -> None:
    folder = start(library_copy)
    cite_page(library_copy)
    fill_in(folder)
    result = run("new", "procedure", f"{NEW}/corporate", "--extends", "baseline/corporate")
    assert result.exit_code == 0, result.output
    path = folder / "corporate.yaml"
    assert "extends: baseline/corporate" in path.read_text(encoding="utf-8")
    edit(path, SOURCES, f'\nsources: ["{PAGE}: x"]')
    checked = run("validate", f"councils/{NEW}")
    assert checked.exit_code == 0, checked.output
    assert f"{NEW}/corporate" in run("list").stdout


def uncommented(text: str) -> str:
    """Every commented line of YAML before the `remove` example taken out of its comment."""
    text = text.split("\n# -- remove")[0]
    return "\n".join(
        line[2:] if re.match(r"# (?=[a-z_]+:|\s)", line) else line for line in text.splitlines()
    )


def test_every_item_of_the_baseline_is_a_choice_with_the_baselines_value(
    library_copy: Path,
) -> None:
    folder = start(library_copy)
    cite_page(library_copy)
    path = folder / "csc-statutory.yaml"
    text = uncommented(path.read_text(encoding="utf-8")).replace(
        SOURCES, f'\nsources: ["{PAGE}: x"]'
    )
    written = yaml.load(text, Loader=PLAIN_YAML)
    baseline = yaml.load(
        (library_copy / "rules" / "baseline" / "csc-statutory.yaml").read_text(encoding="utf-8"),
        Loader=PLAIN_YAML,
    )
    inherited = {k: v for k, v in baseline.items() if k not in written}
    assert set(inherited) <= {"kind", "start"}, sorted(inherited)
    for key in ("stages", "states", "events", "duties", "windows", "rules", "notes", "plain"):
        assert written[key] == baseline[key], key
    path.write_text(text, encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output


def test_a_change_to_the_baseline_changes_what_new_writes(library_copy: Path) -> None:
    baseline = library_copy / "rules" / "baseline" / "csc-statutory.yaml"
    edit(baseline, "    title: Review panel\n", "    title: Independent review panel\n")
    folder = start(library_copy)
    text = (folder / "csc-statutory.yaml").read_text(encoding="utf-8")
    assert "#     title: Independent review panel\n" in text
    assert "Review panel\n" not in text.replace("Independent review panel\n", "")


@pytest.mark.parametrize(
    ("region", "due", "counted"),
    [
        # Received Thu 19 Dec 2024, four working days before Boxing Day (the last holiday of
        # 2024): 20, 23, 24, (25, 26), 27, 30, 31, (1 Jan), 2, 3, 6, 7 Jan; 8 left on Mon 23 Dec.
        ("ENG", "2025-01-07", "2, 3, 6, 7 Jan"),
        # Scotland also keeps 2 January: 20, 23, 24, 27, 30, 31, 3, 6, 7, 8 Jan.
        ("SCT", "2025-01-08", "(New Year Holiday 2 Jan), 3, 6, 7, 8 Jan"),
    ],
)
def test_the_example_scenario_is_counted_on_the_regions_holidays(
    library_copy: Path, region: str, due: str, counted: str
) -> None:
    from csc_rules.application.scaffold import new_council

    new_council(NEW, NAME, region, today=dt.date(2025, 6, 1))
    path = library_copy / "councils" / NEW / "scenarios" / "01-example.yaml"
    scenario = yaml.load(path.read_text(encoding="utf-8"), Loader=PLAIN_YAML)
    assert scenario["events"] == [{"date": "2024-12-19", "event": "complaint-received"}]
    assert scenario["as_of"] == "2024-12-23"
    assert scenario["expect"]["deadlines"] == {
        "stage-1-response": {"due": due, "status": "pending", "working_days_remaining": "8"}
    }
    assert counted in " ".join(scenario["description"].split())
    assert "Christmas Day 25 Dec" in scenario["description"]


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("Answered within <the council's own limit> of receipt.", True),
        ("Shown as written: <b>bold</b>, <a href='x'>a link</a>, 3 < 5 > 2.", False),
    ],
    ids=["placeholder", "markup"],
)
def test_a_placeholder_is_reported_but_markup_is_not(
    council_copy: Any, text: str, reported: bool
) -> None:
    old = "  The page is undated, so this version takes effect from the date the Regulations it follows\n"
    path = council_copy("councils/islington/csc-statutory.yaml", old, f"  {text}\n")
    result = run("validate", str(path))
    assert ("error[placeholder]" in result.output) is reported, result.output
    assert (result.exit_code == 1) is reported
