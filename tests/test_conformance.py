"""`csc-rules conformance` and `csc-rules diff`: each kind of finding on small procedures made for
the test, then the real councils' findings, and a limit worded alike in every report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import ROOT, assert_no_crash, line_of, run
from csc_rules.cases.interpreter import evaluate_data
from csc_rules.language.model import Deadline, Extension, Limit, build
from csc_rules.procedures.library import load_procedure
from csc_rules.reading.inheritance import resolve
from csc_rules.reading.loader import parse
from csc_rules.reports.comparison import page
from csc_rules.reports.conformance import Report, bound, check, locations

# The least a procedure needs to be built into the model; the tests' council files override
# deadlines by id, as a council's file does.
BASE = """
procedure: test/base
title: A procedure made for the test
kind: statutory
version: "1"
effective: "2024-01-01"
sources: [test]
start: {event: received, state: open}
stages: {}
states: {open: {description: open}}
events: {}
duties:
  reply:
    title: Reply
    actor: council
    anchor: received
    limit: {amount: 10, unit: working-days}
    met_by: [replied]
    extensions:
      longer: {event: extended, maximum: {amount: 20, unit: working-days}, sources: [test]}
    sources: [test]
  report:
    title: Report
    actor: council
    anchor: met
    limit: {amount: 5, unit: working-days}
    met_by: [reported]
    sources: [test]
  answer:
    title: Answer
    actor: council
    anchor: reported
    limit: {amount: 15, unit: working-days}
    met_by: [answered]
    sources: [test]
windows:
  appeal:
    title: Appeal
    actor: complainant
    anchor: replied
    limit: {amount: 20, unit: working-days}
    met_by: [appealed]
    sources: [test]
"""
COUNCIL = "procedure: test/council\nextends: test/base\n"


def report_for(council: str, kind: str = "statutory") -> Report:
    """The council file (after its first two lines) checked against BASE, located in YAML."""
    base, _ = parse(Path("base.yaml"), BASE.replace("kind: statutory", f"kind: {kind}"))
    document, _ = parse(Path("council.yaml"), COUNCIL + council)
    baseline, _ = resolve(base, {}.get)
    procedure, problems = resolve(document, {"test/base": base}.get)
    assert problems == [] and procedure is not None and baseline is not None
    return check(build(procedure.data), build(baseline.data), locations(procedure))


def findings(council: str, kind: str = "statutory") -> dict[str, tuple[str, str, int | None]]:
    return {f.deadline: (f.kind, f.code, f.difference) for f in report_for(council, kind).findings}


def lines(council: str, kind: str = "statutory") -> dict[str, tuple[str, int] | None]:
    """Where each finding is located: (file, line), the line counted in the whole council file."""
    return {
        f.deadline: (f.where.path, f.where.line) if f.where else None
        for f in report_for(council, kind).findings
    }


def test_the_same_as_the_statute() -> None:
    assert set(findings("").values()) == {
        ("conforms", "conforms", 0),
        ("conforms", "extension-grounds", None),  # the recorded extension, on any ground
    }


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
    # A statutory duty cannot be removed at all (below); a baseline's duty of another kind can,
    # and conformance then reports it missing.
    council = "remove:\n  - {what: duty, id: report, reason: test, sources: [x]}\n"
    assert findings(council, "corporate")["report"] == ("error", "missing-duty", None)


def test_a_statutory_duty_cannot_be_removed() -> None:
    base, _ = parse(Path("base.yaml"), BASE)
    council = "remove:\n  - {what: duty, id: report, reason: test, sources: [x]}\n"
    document, _ = parse(Path("council.yaml"), COUNCIL + council)
    procedure, problems = resolve(document, {"test/base": base}.get)
    assert [(p.path, p.line, p.code, p.message) for p in problems] == [
        (
            "council.yaml",
            4,
            "statutory-duty",
            "`report` is a statutory duty (test) and cannot be removed: change its limit or "
            "anchor instead, with the council's source",
        )
    ]
    assert procedure is not None and "report" in procedure.data["duties"]  # left in place


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
    council = (
        "duties:\n  ack: {title: Ack, actor: council, anchor: received, met_by: [acknowledged],"
        " limit: {amount: 2, unit: working-days}, sources: [test]}\n"
    )
    assert findings(council)["ack"] == ("added", "added", None)


def test_errors_and_warnings_name_the_line_responsible() -> None:
    # the line numbers count the two lines COUNCIL puts first
    council = (
        "duties:\n"
        "  reply:\n"
        "    limit: {amount: 12, unit: working-days}\n"  # line 5
        "  answer: {anchor: met, limit: {amount: 20, unit: working-days}}\n"  # line 6
        "remove:\n"
        "  - {what: duty, id: report, reason: test, sources: [x]}\n"  # line 8
    )
    where = lines(council, "corporate")
    assert where["reply"] == ("council.yaml", 5)
    assert where["answer"] == ("council.yaml", 6)
    assert where["report"] == ("council.yaml", 8)
    assert where["appeal"] is None  # conforms: nothing to point at
    # counted from another event: located at the council's `anchor`
    assert lines("duties:\n  reply:\n    anchor: acknowledged\n")["reply"] == ("council.yaml", 5)


def test_a_compiled_procedure_is_checked_the_same_without_lines(tmp_path: Path) -> None:
    """Conformance reads the compiled model, so it needs no YAML; only the lines are missing."""
    path = tmp_path / "cheshire-west.json"
    assert run("compile", "cheshire-west/csc-statutory", "-o", str(path)).exit_code == 0
    report = check(load_procedure(path), load_procedure("baseline/csc-statutory"))
    from_yaml = json.loads(
        run("conformance", "cheshire-west/csc-statutory", "--format", "json").stdout
    )
    fields = ("deadline", "kind", "code", "message", "council", "statute")
    assert [{k: f[k] for k in fields} for f in from_yaml["findings"]] == [
        {k: f.to_json()[k] for k in fields} for f in report.findings
    ]
    assert all(f.where is None for f in report.findings)


def _duty(anchor: str, met_by: str, amount: int, *maxima: int) -> Deadline:
    extensions = tuple(
        Extension(f"e{m}", None, None, "extended", Limit(m, "working-days"), ()) for m in maxima
    )
    return Deadline(
        f"{anchor}-{met_by}", "duty", "", None, "council", anchor, None, False,
        Limit(amount, "working-days"), (met_by,), extensions, None, (),
    )  # fmt: skip


def test_bound_follows_chains_of_duties_at_their_longest() -> None:
    duties = [_duty("x", "y", 5), _duty("y", "z", 10, 15)]
    assert bound(duties, "x", "z") == 20
    assert bound(duties, "y", "z") == 15
    assert bound(duties, "z", "x") is None


def test_the_real_councils() -> None:
    result = run("conformance", "--all", "--format", "json")
    # Cheshire West's stage 2 runs 65 working days to the report, then 10 more for the answer:
    # 75 against the statute's 65; before any extension, 25 then 10, 35 against 25. So the
    # checkout is not conformant, and says why in one line.
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "cheshire-west/csc-statutory is not conformant: `stage-2-response`: in the worst case "
        "`stage-2-response-sent` may come 75 working days after `stage-2-requested`, 10 more "
        "than the 65 that the statute allows; `stage-2-response unextended`: before any "
        "extension, in the worst case `stage-2-response-sent` may come 35 working days after "
        "`stage-2-requested`, 10 more than the 25 that the statute allows"
    ]
    every = json.loads(result.stdout)
    reports = {(r["procedure"], r["version"]): r for r in every}
    assert ("sefton/corporate", "2023-11-17") in reports  # every version is checked
    reports = {r["procedure"]: r for r in every}  # the latest of each
    kinds = {
        pid: {f["deadline"]: (f["kind"], f["difference_working_days"]) for f in r["findings"]}
        for pid, r in reports.items()
    }
    assert [p for p, r in reports.items() if not r["conformant"]] == ["cheshire-west/csc-statutory"]
    assert kinds["islington/csc-statutory"]["stage-2-response"] == (
        "warning",
        None,
    )  # from the agreed statement: unbounded
    assert kinds["cheshire-west/csc-statutory"]["stage-3-response"] == (
        "warning",
        5,
    )  # 20 from the panel, not 15 from the report; from the request, 50 either way
    assert kinds["cheshire-west/csc-statutory"]["stage-2-response"] == (
        "error",
        10,
    )  # 65 to the report, then 10 to answer
    # the escalation on delay opens after 20 working days, the statute's after 10 (20 if extended)
    assert kinds["cheshire-west/csc-statutory"]["stage-2-requested in stage-1"] == ("warning", 10)
    flagged = {
        d for d, (kind, _) in kinds["cheshire-west/csc-statutory"].items() if kind == "warning"
    }
    assert {"safeguarding", "settled-next-day", "data-protection", "already-considered"} <= flagged
    # Sefton's own warnings: its panel's report goes to the council alone, and its papers count
    # back from a panel date the records may lack (a settlement after the panel no longer
    # warns: the baseline keeps the report and the answer to it owed)
    assert {d for d, (kind, _) in kinds["sefton/csc-statutory"].items() if kind == "warning"} == {
        "panel-report recipients",
        "panel-papers from panel-scheduled",
    }
    assert kinds["cheshire-west/csc-statutory"]["stage-2-report-response"] == ("added", None)
    assert all(
        kind == "conforms"
        for deadline, (kind, _) in kinds["sefton/csc-statutory"].items()
        if deadline
        in ("stage-1-response", "stage-2-response", "panel", "panel-report", "stage-3-response")
    )
    assert [c["concerns"] for c in reports["sefton/csc-statutory"]["conflicts"]] == [
        "stage-2-request",
        "panel",
        "stage-1-response",
        "stage-1-response",
        "panel-report-sent",
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


def test_diff_shows_where_each_duty_ends_and_compares_rules() -> None:
    text = run("diff", "sefton/csc-statutory", "cheshire-west/csc-statutory").stdout.splitlines()
    # Cheshire West's stage 2 limit runs to the investigation report, Sefton's to the answer
    assert (
        "stage-2-response           ends at     stage-2-response-sent          "
        "investigation-report-received"
    ) in text
    assert (
        "stage-2-report-response    only in     cheshire-west/csc-statutory: 10 working days "
        "from investigation-report-received to stage-2-response-sent"
    ) in text
    # Cheshire West's next working day is a rule; Sefton's 2 days only what the step expects
    assert any(
        line.startswith(
            "settled-next-day           only in     cheshire-west/csc-statutory: "
            "redirect to early-resolution when"
        )
        for line in text
    )
    assert (
        "settle-concern             expected    2 days                         1 working day"
    ) in text
    data = json.loads(
        run(
            "diff", "sefton/csc-statutory", "cheshire-west/csc-statutory", "--format", "json"
        ).stdout
    )
    rules = {r["id"]: r for r in data["rules"]}
    assert rules["safeguarding"]["a"] is None
    assert rules["safeguarding"]["b"]["decision"] == "redirect to safeguarding"
    assert rules["not-social-care"]["differs"] == ["cites"]
    assert rules["time-limit"]["differs"] == []
    assert data["expected"] == [{"step": "settle-concern", "a": "2 days", "b": "1 working day"}]
    markdown = run(
        "diff", "sefton/csc-statutory", "cheshire-west/csc-statutory", "--format", "markdown"
    ).stdout
    assert (
        "| stage-2-response | ends at | stage-2-response-sent | investigation-report-received |"
        in markdown
    )
    assert "| settle-concern | expected | 2 days | 1 working day |" in markdown


@pytest.mark.parametrize("args", [["diff", "sefton/csc-statutory"], ["diff"], ["conformance"]])
def test_usage(args: list[str]) -> None:
    assert run(*args).exit_code == 2


def test_the_comparison_page_is_up_to_date() -> None:
    assert (ROOT / "docs" / "comparison.md").read_text(encoding="utf-8") == run(
        "diff", "--all", "--format", "markdown"
    ).stdout, "run `csc-rules docs -o docs`"
    assert callable(page)


@pytest.mark.parametrize(
    ("limit", "maxima", "span"),
    [
        (Limit(1, "months"), (), "1 month"),
        (Limit(1, "working-days"), (), "1 working day"),
        (Limit(2, "days"), (), "2 days"),
        (Limit(10, "working-days"), (20, 15), "10 (up to 20) working days"),
        (Limit(1, "months"), (2,), "1 (up to 2) months"),
        (Limit(10, "working-days"), (10,), "10 working days"),  # an extension that adds nothing
        (Limit(None, None, "not given"), (), "no time limit stated"),
    ],
    ids=["month", "working-day", "days", "extended", "extended-months", "same", "unstated"],
)
def test_a_limit_is_worded_in_one_place(limit: Limit, maxima: tuple[int, ...], span: str) -> None:
    extensions = tuple(
        Extension(f"e{m}", None, None, "x", Limit(m, limit.unit), ()) for m in maxima
    )
    deadline = Deadline(
        "d", "duty", "", None, "council", "a", None, False, limit, ("b",), extensions, None, (),
    )  # fmt: skip
    assert deadline.span == span


def test_a_one_month_limit_reads_the_same_in_show_diff_conformance_and_run(council_copy) -> None:
    """Each report used to word limits its own way: `diff` and `conformance` said "1 months"."""
    copy = council_copy(
        "councils/sefton/csc-statutory.yaml",
        "  stage-2-request:\n    sources:",
        "  stage-2-request:\n    limit: {amount: 1, unit: months}\n    sources:",
    )
    show = run("show", str(copy)).stdout
    assert "        1 month from `stage-1-response-sent`, met by `stage-2-requested`" in show
    rows = {
        r["id"]: r
        for r in json.loads(
            run("diff", str(copy), "baseline/csc-statutory", "--format", "json").stdout
        )["deadlines"]
    }
    assert (rows["stage-2-request"]["a"]["limit"], rows["stage-2-request"]["b"]["limit"]) == (
        "1 month",
        "20 working days",
    )
    assert (
        "stage-2-request            limit       1 month "
        in run("diff", str(copy), "baseline/csc-statutory").stdout
    )
    conformance = run("conformance", str(copy)).stdout
    assert "council: 1 month from stage-1-response-sent to stage-2-requested" in conformance
    assert "1 months" not in show + conformance
    case = {
        "case": "T-1",
        "procedure": "sefton/csc-statutory",
        "facts": {},
        "events": [
            {"date": "2025-01-06", "event": "complaint-received"},
            {"date": "2025-01-07", "event": "acknowledged"},
            {"date": "2025-01-15", "event": "stage-1-response-sent"},
        ],
    }
    result = evaluate_data(load_procedure(copy), case, dt.date(2025, 1, 20), explain=True)
    window = next(d for d in result.deadlines if d.id == "stage-2-request")
    assert window.limit == "1 month"
    assert window.due == dt.date(2025, 2, 15)
    assert window.explanation is not None and window.explanation.startswith(
        "due 2025-02-15: 1 month "
    )


# -- beyond deadlines: moves, cut-offs, a code not yet in force --------------------------------


def findings_of(path: Path) -> dict[str, dict]:
    result = run("conformance", str(path), "--format", "json")
    assert_no_crash(result)
    return {f["deadline"]: f for f in json.loads(result.stdout)["findings"]}


def test_a_gate_before_a_stage_the_complainant_may_ask_for_is_a_warning(council_copy) -> None:
    gate = "        when_overdue: stage-1-response  # gated\n"
    copy = council_copy(
        "councils/sefton/csc-statutory.yaml",
        "states:\n  awaiting-stage-3-decision:\n",
        "states:\n  awaiting-stage-2-decision:\n    transitions:\n      stage-2-requested:\n"
        + gate
        + "  awaiting-stage-3-decision:\n",
    )
    found = findings_of(copy)["stage-2-requested in awaiting-stage-2-decision"]
    assert (found["kind"], found["code"]) == ("warning", "move-gated")
    assert found["message"] == (
        "`stage-2-requested` is allowed only once stage-1-response is overdue; the statute allows it at once"
    )
    assert found["line"] == line_of(copy, "# gated")


def test_a_later_escalation_trigger_is_a_warning_at_its_line(council_copy) -> None:
    copy = council_copy("councils/cheshire-west/csc-statutory.yaml")
    found = findings_of(copy)["stage-2-requested in stage-1"]
    assert (found["kind"], found["code"], found["difference_working_days"]) == (
        "warning",
        "move-delayed",
        10,
    )
    assert found["line"] == line_of(copy, "overdue_after: {amount: 20")
    # the statute's own trigger, 10 working days (20 if extended), is no finding for Sefton
    assert "stage-2-requested in stage-1" not in findings_of(
        council_copy("councils/sefton/csc-statutory.yaml", name="sefton.yaml")
    )


def test_a_cut_off_on_the_councils_word_alone_is_flagged(council_copy) -> None:
    rule = (
        "rules:\n  quick-fix:\n    title: Sorted quickly\n"
        "    when: {fact: settled_on, present: true}\n    decision: redirect  # cut-off\n"
        "    route: early-resolution\n    message: Sorted out before it became a complaint.\n"
        '    sources: ["001_fa29f2577f0a0813.txt: \\"Most will be sorted out within 2 days\\""]\n'
        "  court-first:\n    title: Court first\n"
        "    when: {fact: concurrent_proceedings, in: [court]}\n    decision: ineligible\n"
        "    message: Proceedings first.\n"
        '    sources: ["SI 2006/1738: reg 8"]\n'
    )
    copy = council_copy("councils/sefton/csc-statutory.yaml")
    copy.write_text(copy.read_text(encoding="utf-8") + rule, encoding="utf-8")
    found = findings_of(copy)
    assert (found["quick-fix"]["kind"], found["quick-fix"]["code"]) == (
        "warning",
        "no-statutory-basis",
    )
    assert found["quick-fix"]["message"] == (
        "rule `quick-fix` sends the complaint to early-resolution, stopping every clock, on the "
        "council's own documents alone (001_fa29f2577f0a0813.txt): it cites no statutory basis"
    )
    assert found["quick-fix"]["line"] == line_of(copy, "# cut-off")
    assert "court-first" not in found  # it cites the Regulations


def test_a_duty_inherited_from_a_code_not_yet_in_force_is_flagged(council_copy) -> None:
    # Sefton's 2023 corporate procedure without its removal of the Code's acknowledgement,
    # which applies only from 1 April 2026.
    text = (ROOT / "councils/sefton/corporate.yaml").read_text(encoding="utf-8")
    start = text.index("  - what: duty\n    id: acknowledgement\n")
    end = text.index("  - what: step\n    id: acknowledge\n")
    copy = council_copy("councils/sefton/corporate.yaml", text[start:end], "")
    found = findings_of(copy)
    assert (found["acknowledgement"]["kind"], found["acknowledgement"]["code"]) == (
        "warning",
        "inherited-before-in-force",
    )
    assert (
        "baseline/corporate applies from 2026-04-01, after this version took effect on 2023-11-17"
        in (found["acknowledgement"]["message"])
    )
    # what the Code adds and Sefton removed is not required before the Code applies
    assert found["stage-2-acknowledgement"]["kind"] == "not in force"
    assert (
        findings_of(ROOT / "councils/sefton/corporate-2026-04-01.yaml")["acknowledgement"]["kind"]
        == "conforms"
    )
