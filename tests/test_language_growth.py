"""What the language says beyond duties and windows: targets (what a council aims for), routes to
other bodies, and plain words for eligibility rules. Shown on Islington's file in a copy of the
library, with a target and a route made for the test (no council's documents give one)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from conftest import line_of, run

# An aim of one working day to acknowledge, beside Islington's duty of two, and a route to Ofsted
# open at any time: made for the test, so their sources are the page's headings, not quotations.
TARGET = """targets:
  quick-acknowledgement:
    title: Acknowledgement aimed for
    actor: complaints-officer
    anchor: complaint-received
    limit: {amount: 1, unit: working-days}
    met_by: [acknowledged]
    plain:
      text: The council aims to write to you within {limit} to say it has your complaint.
      sources: ["004_b2659dac51ae51b8.txt: Stage 1 Complaints - Informal Resolution"]
    sources: ["004_b2659dac51ae51b8.txt: Stage 1 Complaints - Informal Resolution"]

routes:
  ofsted:
    body: Ofsted
    contact: 0300 123 1231
    open: any-time
    plain:
      text: You can tell Ofsted about a worry with the council's children's services {when}.
      sources: ["004_b2659dac51ae51b8.txt: Children's social care complaints process"]
    sources: ["004_b2659dac51ae51b8.txt: Children's social care complaints process"]

windows:"""
STEP = """        deadlines: [acknowledgement]
        sources: ["004_b2659dac51ae51b8.txt: \\"You will be sent a letter within two working days\\"\"]"""


@pytest.fixture
def islington(library_copy: Path) -> Path:
    """Islington's file in the library copy, with the target and the route added."""
    path = library_copy / "councils" / "islington" / "csc-statutory.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("\nwindows:") == 1 and text.count(STEP) == 1
    text = text.replace("\nwindows:", "\n" + TARGET, 1)
    text = text.replace(
        STEP, STEP.replace("sources:", "targets: [quick-acknowledgement]\n        sources:")
    )
    path.write_text(text, encoding="utf-8")
    return path


def case(tmp_path: Path, acknowledged: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(
        "case: T-1\nprocedure: islington/csc-statutory\nevents:\n"
        "  - {date: 2024-09-02, event: complaint-received}\n"
        f"  - {{date: {acknowledged}, event: acknowledged}}\n",
        encoding="utf-8",
    )
    return path


def test_a_target_and_a_route_validate(islington: Path) -> None:
    result = run("validate", str(islington))
    assert result.exit_code == 0, result.output
    assert " 0 errors" in result.output


def test_a_missed_aim_is_reported_as_an_aim_not_as_a_late_duty(
    islington: Path, tmp_path: Path
) -> None:
    # Received Mon 2 Sep 2024, acknowledged Wed 4 Sep: the aim of 1 working day (due Tue 3 Sep)
    # is missed by 1; the duty of 2 (due Wed 4 Sep) is met; nothing is warned about.
    result = run(
        "run", str(case(tmp_path, "2024-09-04")), "--as-of", "2024-09-05", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    (aim,) = found["targets"]
    assert (aim["id"], aim["kind"], aim["due"], aim["status"], aim["working_days_late"]) == (
        "quick-acknowledgement",
        "target",
        "2024-09-03",
        "missed",
        1,
    )
    duty = next(d for d in found["deadlines"] if d["id"] == "acknowledgement")
    assert (duty["due"], duty["status"]) == ("2024-09-04", "met")
    assert "quick-acknowledgement" not in [d["id"] for d in found["deadlines"]]
    assert found["warnings"] == []
    text = run("run", str(case(tmp_path, "2024-09-04")), "--as-of", "2024-09-05").output
    assert "what the council aims for (not a duty):" in text
    assert "quick-acknowledgement" in text.split("what the council aims for")[1]


def test_an_aim_kept_is_met(islington: Path, tmp_path: Path) -> None:
    result = run(
        "run", str(case(tmp_path, "2024-09-03")), "--as-of", "2024-09-05", "--format", "json"
    )
    (aim,) = json.loads(result.output)["targets"]
    assert (aim["due"], aim["status"], aim["done_on"]) == ("2024-09-03", "met", "2024-09-03")


def test_the_pages_say_what_the_council_aims_for_where_to_go_and_who_a_rule_excludes(
    islington: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    result = run("site", "-o", str(out))
    assert result.exit_code == 0, result.output
    for page in ("index.html", "children.html"):
        raw = (out / "islington" / "csc-statutory" / page).read_text(encoding="utf-8")
        text = " ".join(html.unescape(raw).split())
        # the aim, its time from the limit, and that it is an aim
        assert (
            "The council aims to write to you within 1 working day to say it has your complaint."
            in text
        ), page
        assert (
            "This is what the council aims for. It is not a time limit the council must keep."
            in text
        ), page
        # the route, when from its `open`, and how to reach it
        assert "Other places you can go" in text, page
        said = (
            "You can tell Ofsted about a worry with the council's children's services at any time."
        )
        assert said in text, page
        assert "How to contact Ofsted: 0300 123 1231" in text, page
        # Islington's own rule, in a child's words
        assert "Is your complaint one for this process?" in text, page
        assert "such as a school place or help with special educational needs" in text, page


@pytest.mark.parametrize(
    ("old", "new", "code", "needle"),
    [
        (
            "text: The council aims to write to you within {limit} to say it has your complaint.",
            "text: The council aims to write to you within 1 working day to say it has your complaint.",
            "plain-limit",
            "The council aims to write to you within 1 working day",
        ),
        (
            "about a worry with the council's children's services {when}.",
            "about a worry with the council's children's services at any time.",
            "plain-when",
            "about a worry with the council's children's services at any time.",
        ),
        (
            "targets: [quick-acknowledgement]",
            "targets: [quick-acknowledgment]",
            "unknown-target",
            "targets: [quick-acknowledgment]",
        ),
        (
            "  quick-acknowledgement:\n    title",
            "  acknowledgement:\n    title",
            "duplicate-id",
            "  acknowledgement:\n    title",
        ),
    ],
    ids=["target-limit-by-hand", "route-when-by-hand", "unknown-target", "target-named-as-a-duty"],
)
def test_a_target_or_route_written_wrong_is_refused_at_its_line(
    islington: Path, old: str, new: str, code: str, needle: str
) -> None:
    text = islington.read_text(encoding="utf-8")
    assert text.count(old) == 1
    islington.write_text(text.replace(old, new), encoding="utf-8")
    result = run("validate", str(islington))
    assert result.exit_code == 1, result.output
    first = needle.split("\n")[0]
    line = line_of(islington, first) if first.strip() != "acknowledgement:" else None
    hits = [ln for ln in result.output.splitlines() if f"error[{code}]" in ln]
    assert hits, result.output
    if line is not None:
        assert any(f"csc-statutory.yaml:{line}:" in ln for ln in hits), hits


# -- steps run in the order they are written --------------------------------------------------------

NEW_STEP = """      appoint-investigators:
        number: 5"""


def _sefton_with(library_copy: Path, step: str) -> Path:
    """Sefton's file with a step written before `appoint-investigators` (its map's step 5)."""
    path = library_copy / "councils" / "sefton" / "csc-statutory.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(NEW_STEP) == 1
    path.write_text(text.replace(NEW_STEP, step + NEW_STEP), encoding="utf-8")
    return path


def test_a_step_added_in_the_middle_renumbers_nothing(library_copy: Path) -> None:
    step = """      check-with-the-complainant:
        title: Check the complaint with the complainant
        actor: complaints-officer
        description: The complaints officer checks what the complainant wants looked at.
        sources: ["000_0386b032216d3c7d.txt: \\"Stage 2 – Investigation\\""]
"""
    path = _sefton_with(library_copy, step)
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    shown = run("show", "sefton/csc-statutory", "--format", "json")
    assert shown.exit_code == 0, shown.output
    stage_2 = next(s for s in json.loads(shown.output)["stages"] if s["id"] == "stage-2")
    steps = [(s["id"], s["number"]) for s in stage_2["steps"]]
    # written before the map's step 5, so it runs first; the map's numbers stand as they were,
    # and the baseline's unnumbered step keeps its place
    assert steps[:4] == [
        ("check-with-the-complainant", None),
        ("appoint-investigators", 5),
        ("agree-statement", None),
        ("investigate", 6),
    ]


def test_a_number_that_disagrees_with_the_place_is_refused_with_what_to_do(
    library_copy: Path,
) -> None:
    step = """      check-with-the-complainant:
        number: 9
        title: Check the complaint with the complainant
        actor: complaints-officer
        description: The complaints officer checks what the complainant wants looked at.
        sources: ["000_0386b032216d3c7d.txt: \\"Stage 2 – Investigation\\""]
"""
    path = _sefton_with(library_copy, step)
    result = run("validate", str(path))
    assert result.exit_code == 1
    line = line_of(path, "number: 5")
    assert (
        "step `appoint-investigators` is numbered 5 but is written after step "
        "`check-with-the-complainant`, numbered 9" in result.output
    )
    assert "move the step to where its number belongs, or remove `number:`" in result.output
    assert f"csc-statutory.yaml:{line}:" in result.output
