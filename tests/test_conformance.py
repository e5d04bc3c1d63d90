"""`csc-rules conformance` and `csc-rules diff`: each kind of finding on small procedures made for
the test, then the real councils' findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, line_of, run
from csc_rules.comparison import page
from csc_rules.conformance import bound, check
from csc_rules.inheritance import resolve
from csc_rules.loader import parse

BASE = """
procedure: test/base
kind: statutory
duties:
  reply:
    anchor: received
    limit: {amount: 10, unit: working-days}
    met_by: [replied]
    extensions:
      longer: {event: extended, maximum: {amount: 20, unit: working-days}}
  report:
    anchor: met
    limit: {amount: 5, unit: working-days}
    met_by: [reported]
  answer:
    anchor: reported
    limit: {amount: 15, unit: working-days}
    met_by: [answered]
windows:
  appeal:
    anchor: replied
    limit: {amount: 20, unit: working-days}
    met_by: [appealed]
"""


def findings(council: str) -> dict[str, tuple[str, str, int | None]]:
    base, _ = parse(Path("base.yaml"), BASE)
    document, _ = parse(
        Path("council.yaml"), "procedure: test/council\nextends: test/base\n" + council
    )
    baseline, _ = resolve(base, {}.get)
    procedure, problems = resolve(document, {"test/base": base}.get)
    assert problems == [] and procedure is not None and baseline is not None
    report = check(procedure, baseline)
    return {f.deadline: (f.kind, f.code, f.difference) for f in report.findings}


def test_the_same_as_the_statute() -> None:
    assert set(findings("").values()) == {("conforms", "conforms", 0)}


def test_a_longer_limit_is_an_error() -> None:
    assert findings("duties:\n  reply: {limit: {amount: 12, unit: working-days}}\n")["reply"] == (
        "error",
        "limit-breach",
        2,
    )


def test_a_higher_maximum_is_an_error_whatever_the_anchor() -> None:
    council = "duties:\n  reply:\n    anchor: acknowledged\n    extensions:\n      longer: {maximum: {amount: 25, unit: working-days}}\n"
    assert findings(council)["reply"] == ("error", "maximum-breach", 5)


def test_a_missing_duty_is_an_error() -> None:
    council = "remove:\n  - {what: duty, id: report, reason: test, sources: [x]}\n"
    assert findings(council)["report"] == ("error", "missing-duty", None)


def test_a_tighter_limit_is_noted() -> None:
    assert (
        findings("duties:\n  reply: {limit: {amount: 8, unit: working-days}}\n")["reply"][0]
        == "stricter"
    )


def test_windows_breach_when_shorter_and_are_generous_when_longer() -> None:
    assert findings("windows:\n  appeal: {limit: {amount: 15, unit: working-days}}\n")["appeal"][
        :2
    ] == ("error", "limit-breach")
    assert (
        findings("windows:\n  appeal: {limit: {amount: 28, unit: working-days}}\n")["appeal"][0]
        == "more generous"
    )


def test_a_different_anchor_gives_the_worst_case_in_working_days() -> None:
    # answered counted 20 from `met` instead of 15 from `reported` (itself within 5 of `met`):
    # `answered` may then come 20 working days after `reported`, 5 more than allowed.
    council = "duties:\n  answer: {anchor: met, limit: {amount: 20, unit: working-days}}\n"
    assert findings(council)["answer"] == ("warning", "different-anchor", 5)
    # counted from an event nothing bounds: no limit at all in the worst case
    council = "duties:\n  answer: {anchor: agreed}\n"
    assert findings(council)["answer"] == ("warning", "different-anchor", None)


def test_an_added_deadline_is_listed() -> None:
    council = "duties:\n  ack:\n    anchor: received\n    limit: {amount: 2, unit: working-days}\n    met_by: [acknowledged]\n"
    assert findings(council)["ack"] == ("added", "added", None)


def test_bound_follows_chains_of_duties() -> None:
    duties = {
        "a": {"anchor": "x", "met_by": ["y"], "limit": {"amount": 5, "unit": "working-days"}},
        "b": {"anchor": "y", "met_by": ["z"], "limit": {"amount": 10, "unit": "working-days"}},
    }
    assert bound(duties, "x", "z") == 15
    assert bound(duties, "y", "z") == 10
    assert bound(duties, "z", "x") is None


def test_the_real_councils() -> None:
    result = run("conformance", "--all", "--format", "json")
    assert result.exit_code == 0, result.output
    reports = {r["procedure"]: r for r in json.loads(result.stdout)}
    kinds = {
        pid: {f["deadline"]: (f["kind"], f["difference_working_days"]) for f in r["findings"]}
        for pid, r in reports.items()
    }
    assert all(r["conformant"] for r in reports.values())
    assert kinds["islington/csc-statutory"]["stage-2-response"] == (
        "warning",
        None,
    )  # from the agreed statement: unbounded
    assert kinds["cheshire-west/csc-statutory"]["stage-3-response"] == (
        "warning",
        5,
    )  # 20 from the panel, not 15 from the report
    assert kinds["cheshire-west/csc-statutory"]["stage-2-response"] == (
        "warning",
        10,
    )  # 65 to the report, then 10 to answer
    assert kinds["cheshire-west/csc-statutory"]["stage-2-report-response"] == ("added", None)
    assert all(
        kind == "conforms"
        for deadline, (kind, _) in kinds["sefton/csc-statutory"].items()
        if deadline
        in ("stage-1-response", "stage-2-response", "panel", "panel-report", "stage-3-response")
    )
    assert [c["concerns"] for c in reports["sefton/csc-statutory"]["conflicts"]] == [
        "panel",
        "stage-2-request",
    ]


def test_a_stage_2_maximum_of_70_fails_and_names_the_line(council_copy) -> None:
    copy = council_copy(
        "councils/cheshire-west/csc-statutory.yaml",
        "maximum: {amount: 65, unit: working-days}",
        "maximum: {amount: 70, unit: working-days}",
    )
    result = run("conformance", str(copy))
    assert result.exit_code == 1
    assert "NOT CONFORMANT" in result.stdout
    assert (
        f"extensions can take it to 70 working days, beyond the maximum of 65 that the statute allows  [{copy}:{line_of(copy, 'amount: 70')}]"
        in result.stdout
    )


def test_diff_two_councils() -> None:
    result = run("diff", "sefton/csc-statutory", "islington/csc-statutory", "--format", "json")
    data = json.loads(result.stdout)
    rows = {r["id"]: r for r in data["deadlines"]}
    assert (
        rows["acknowledgement"]["a"]["limit"] == "3 working days"
        and rows["acknowledgement"]["b"]["limit"] == "2 working days"
    )
    assert rows["stage-2-response"]["differs"] == ["anchor", "source"]
    assert rows["panel-papers"]["b"] is None
    assert {s["id"] for s in data["steps"]["only_in_b"]} == {"resolution-meeting"}
    text = run("diff", "cheshire-west/csc-statutory", "baseline/csc-statutory").stdout
    assert (
        "stage-3-response           limit       20 working days                15 working days"
        in text
    )
    assert (
        "                           anchor      panel-held                     panel-report-sent"
        in text
    )
    markdown = run("diff", "sefton/corporate", "baseline/corporate", "--format", "markdown").stdout
    assert markdown.startswith("| deadline | field | `sefton/corporate` | `baseline/corporate` |")


@pytest.mark.parametrize("args", [["diff", "sefton/csc-statutory"], ["diff"], ["conformance"]])
def test_usage(args: list[str]) -> None:
    assert run(*args).exit_code == 2


def test_the_comparison_page_is_up_to_date() -> None:
    assert (ROOT / "docs" / "comparison.md").read_text(encoding="utf-8") == run(
        "diff", "--all", "--format", "markdown"
    ).stdout, "run `csc-rules diff --all --format markdown > docs/comparison.md`"
    assert callable(page)
