"""What `conformance` checks beyond the deadlines (issue 24): the grounds of an extension, who
receives a panel's report, a duty counted from an event the records may lack, a settlement while
the answer to a report is owed, and a code's limits before any extension; each on a small
procedure made for the test, then on the real councils, located and cited."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import ROOT, line_of, run
from csc_rules.cases.interpreter import evaluate_data
from csc_rules.language.model import build
from csc_rules.procedures.library import load_procedure
from csc_rules.reading.inheritance import resolve
from csc_rules.reading.loader import parse
from csc_rules.reports.conformance import Finding, check, locations

# A baseline with an acknowledgement, an answer counted from it (extendable on two grounds, or
# when the complainant needs more time), and a panel whose report the council then answers.
BASE = """
procedure: test/base
title: A procedure made for the test
kind: statutory
version: "1"
effective: "2024-01-01"
sources: [test]
start: {event: received, state: open}
stages: {}
states:
  open:
    description: open
    transitions:
      acknowledged: {to: open}
      extended: {to: open}
      replied: {to: waiting}
      settled: {to: closed}
  waiting:
    description: the complainant may ask for a panel
    transitions:
      appealed: {to: panel}
      settled: {to: closed}
  panel:
    description: the panel is arranged
    transitions:
      held: {to: reporting}
      settled: {to: closed}
  reporting:
    description: the panel reports
    transitions:
      reported: {to: answering}
      settled: {to: closed}
  answering:
    description: the council answers the report
    transitions:
      answered: {to: closed}
      settled: {to: closed}
  closed: {end: resolved, description: closed}
events:
  received: {description: received}
  acknowledged: {description: acknowledged}
  extended: {description: extended, fields: {ground: text, limit: number}}
  replied: {description: replied}
  appealed: {description: the complainant asked for a panel}
  held: {description: the panel met}
  reported: {description: the panel reported}
  answered: {description: the council answered}
  settled: {description: settled}
duties:
  ack:
    title: Acknowledge
    actor: council
    anchor: received
    limit: {amount: 5, unit: working-days}
    met_by: [acknowledged]
    sources: [test]
  reply:
    title: Reply
    actor: council
    anchor: acknowledged
    limit: {amount: 10, unit: working-days}
    met_by: [replied]
    extensions:
      recorded:
        event: extended
        maximum: {amount: 20, unit: working-days}
        grounds:
          complex: {sources: ["test: complex"]}
          advocate: {sources: ["test: advocate"]}
        sources: [test]
      slow:
        when: {fact: complex, equals: true}
        maximum: {amount: 20, unit: working-days}
        sources: [test]
    sources: [test]
  meet:
    title: Meet
    actor: panel
    anchor: appealed
    limit: {amount: 30, unit: working-days}
    met_by: [held]
    sources: [test]
  report:
    title: Report
    actor: panel
    anchor: held
    limit: {amount: 5, unit: working-days}
    met_by: [reported]
    recipients:
      complainant: {sources: ["test: to the complainant"]}
      senior-manager: {sources: ["test: to the council"]}
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


def report_for(council: str, base: str = BASE) -> list[Finding]:
    """The council file (after its first two lines) checked against `base`, located in YAML."""
    baseline_file, _ = parse(Path("base.yaml"), base)
    document, _ = parse(Path("council.yaml"), COUNCIL + council)
    baseline, _ = resolve(baseline_file, {}.get)
    procedure, problems = resolve(document, {"test/base": baseline_file}.get)
    assert problems == [] and procedure is not None and baseline is not None
    return list(check(build(procedure.data), build(baseline.data), locations(procedure)).findings)


def found(council: str, base: str = BASE) -> dict[str, Finding]:
    return {f.deadline: f for f in report_for(council, base)}


# -- the grounds of an extension -------------------------------------------------------------------


def test_the_same_grounds_conform() -> None:
    same = found("")
    assert (same["reply/recorded"].kind, same["reply/recorded"].code) == (
        "conforms",
        "extension-grounds",
    )
    assert "reply/slow" not in same  # the council has it too


def test_fewer_grounds_are_stricter_and_an_extension_dropped_is_named() -> None:
    council = (
        "duties:\n"
        "  reply:\n"
        "    extensions:\n"
        "      recorded:\n"
        "        grounds: {complex: {sources: ['test: only complex']}}\n"
        "        sources: [test]\n"
        "    sources: [test]\n"
        "remove:\n"
        "  - {what: extension, id: reply/slow, reason: test, sources: [test]}\n"
    )
    narrower = found(council)
    recorded = narrower["reply/recorded"]
    assert (recorded.kind, recorded.message) == (
        "stricter",
        "recorded extensions count only for complex; the statute also allows advocate",
    )
    assert recorded.sources == ("test: only complex", "test: complex", "test: advocate")
    assert narrower["reply/slow"].kind == "stricter"


def test_a_ground_the_statute_does_not_give_is_a_warning_at_its_line() -> None:
    base = BASE.replace('          advocate: {sources: ["test: advocate"]}\n', "")
    council = (
        "duties:\n"
        "  reply:\n"
        "    extensions:\n"
        "      recorded:\n"
        "        grounds:\n"
        "          complex: {sources: ['test: complex']}\n"
        "          advocate: {sources: ['test: advocate']}\n"  # line 9 of the council's file
        "        sources: [test]\n"
        "    sources: [test]\n"
    )
    wider = found(council, base)["reply/recorded"]
    assert (wider.kind, wider.code) == ("warning", "extension-grounds")
    assert (
        "counts for advocate, which the statute does not give (it gives complex)" in wider.message
    )
    assert wider.where is not None and (wider.where.path, wider.where.line) == ("council.yaml", 9)


def test_an_extension_on_any_ground_where_the_statute_names_them_is_a_warning() -> None:
    council = (
        "duties:\n"
        "  reply:\n"
        "    extensions:\n"
        "      mine: {event: extended, maximum: {amount: 20, unit: working-days}, sources: [test]}\n"
        "    sources: [test]\n"
        "remove:\n"
        "  - {what: extension, id: reply/recorded, reason: test, sources: [test]}\n"
    )
    anyhow = found(council)["reply/recorded"]
    assert (anyhow.kind, anyhow.council) == (
        "warning",
        "when `extended` is recorded, on any ground",
    )
    assert anyhow.message == (
        "a recorded extension counts on any ground; the statute gives one only for complex, advocate"
    )


def test_the_real_councils_grounds() -> None:
    every = {
        r["procedure"]: {f["deadline"]: f for f in r["findings"]}
        for r in json.loads(run("conformance", "--all", "--format", "json").stdout)
    }  # the latest version of each last
    cheshire_west = every["cheshire-west/csc-statutory"]
    # its annual report extends stage 1 when a matter is more complex, and no more
    assert cheshire_west["stage-1-response/recorded"]["kind"] == "stricter"
    assert cheshire_west["stage-1-response/advocate"]["kind"] == "stricter"
    assert cheshire_west["stage-2-response/extended"]["message"].startswith(
        "recorded extensions count only for complex; the statute allows them on any ground"
    )
    assert (
        '003_8020045b0d788e4d.txt: "can be extended to 20 working days when a matter is more complex"'
        in (cheshire_west["stage-1-response/recorded"]["sources"])
    )
    # Islington's detailed complaints and advocacy are the statute's two grounds
    assert every["islington/csc-statutory"]["stage-1-response/recorded"]["kind"] == "conforms"
    # Sefton's corporate procedure has no extension at all
    assert every["sefton/corporate"]["stage-1-response/extended"]["message"] == (
        "the council records no extension of `stage-1-response`; the baseline allows one on any "
        "ground"
    )


# -- who receives the panel's report ---------------------------------------------------------------


def test_a_report_that_skips_a_recipient_is_a_warning_at_the_councils_recipients() -> None:
    council = (
        "duties:\n"
        "  report:\n"
        "    recipients:\n"
        "      senior-manager: {sources: ['test: only the council']}\n"  # line 6
        "    sources: [test]\n"
    )
    skipped = found(council)["report recipients"]
    assert (skipped.kind, skipped.code) == ("warning", "report-recipient")
    assert skipped.message == (
        "`reported` goes to senior-manager only; the statute has it sent to complainant as well, "
        "within the same limit"
    )
    assert skipped.where is not None and skipped.where.line == 6
    assert found("")["report recipients"].kind == "conforms"


def test_seftons_panel_report_goes_to_the_council_alone() -> None:
    result = json.loads(run("conformance", "sefton/csc-statutory", "--format", "json").stdout)
    finding = next(f for f in result["findings"] if f["deadline"] == "panel-report recipients")
    path = ROOT / "councils" / "sefton" / "csc-statutory.yaml"
    assert (finding["kind"], finding["line"]) == ("warning", line_of(path, "recipients:") + 1)
    assert finding["sources"][0] == (
        '000_0386b032216d3c7d.txt: "a final report which will be sent to the council"'
    )
    assert "SI 2006/1738: reg 20" in finding["sources"]
    text = run("conformance", "sefton/csc-statutory").stdout
    assert (
        'sources: 000_0386b032216d3c7d.txt: "a final report which will be sent to the council"'
        in text
    )


# -- a duty counted from an event the records may lack ---------------------------------------------


def test_a_duty_counted_from_an_implied_event_gives_the_least_lateness_the_records_prove() -> None:
    result = json.loads(run("conformance", "--all", "--format", "json").stdout)
    every = {r["procedure"]: {f["deadline"]: f for f in r["findings"]} for r in result}
    # Cheshire West answers stage 2 within 10 working days of the reports, which may go
    # unrecorded: the investigation's 65 and the answer's 10 bound the answer at 75 working
    # days after the request, 10 more than the statute's 65.
    report = every["cheshire-west/csc-statutory"][
        "stage-2-report-response from investigation-report-received"
    ]
    assert (report["kind"], report["code"], report["difference_working_days"]) == (
        "warning",
        "implied-anchor",
        10,
    )
    assert "more than 75 working days after `stage-2-requested`" in report["message"]
    path = ROOT / "councils" / "cheshire-west" / "csc-statutory.yaml"
    assert report["line"] == line_of(path, "anchor: investigation-report-received")
    # Islington counts stage 2 from the agreed statement, which nothing recorded bounds
    statement = every["islington/csc-statutory"]["stage-2-response from stage-2-started"]
    assert statement["difference_working_days"] is None
    assert (
        "nothing recorded in the procedure bounds when `stage-2-response-sent` may come"
        in statement["message"]
    )
    assert (
        "replay holds `stage-2-response-sent` to the 65 working days from `stage-2-requested` "
        "that the statute allows" in statement["message"]
    )


# -- a settlement while the answer to a report is owed ---------------------------------------------


def test_a_settlement_while_an_answer_to_a_report_is_owed_is_a_warning() -> None:
    settled = found("")
    assert set(settled) >= {"settled in reporting", "settled in answering"}
    # the reply answers the complaint, and the panel meets at the complainant's request: a
    # complainant content with either may settle
    assert not {"settled in open", "settled in waiting", "settled in panel"} & set(settled)
    answering = settled["settled in answering"]
    assert (answering.kind, answering.code) == ("warning", "settlement-cancels-duty")
    assert answering.message.startswith(
        "`settled` may end the case in `answering` while `answer` (counted from `reported`, once "
        "`report` is done) is still owed"
    )


def test_a_settlement_that_leaves_the_answer_meetable_is_no_warning() -> None:
    # the case ends, but the end state still allows the answer: replay keeps its clock running
    base = BASE.replace(
        "  closed: {end: resolved, description: closed}",
        "  closed:\n    end: resolved\n    description: closed\n"
        "    transitions:\n      answered: {to: closed}",
    )
    settled = found("", base)
    assert "settled in answering" not in settled
    assert "settled in reporting" in settled  # the report itself still cannot be made


def test_no_council_settlement_after_the_panel_cancels_the_councils_response() -> None:
    # the baseline keeps the panel's report and the council's response owed after a settlement
    # (its note `settled-after-the-panel`), so no procedure in the library inherits the warning
    result = run("conformance", "--all", "--format", "json")
    cancelling = [
        (verdict["procedure"], f["deadline"])
        for verdict in json.loads(result.stdout)
        for f in verdict["findings"]
        if f["code"] == "settlement-cancels-duty"
    ]
    assert cancelling == []
    baseline = ROOT / "rules" / "baseline" / "csc-statutory.yaml"
    note = line_of(baseline, "settled-after-the-panel:")
    assert note > 0


# -- a code's limits before any extension ----------------------------------------------------------


def test_an_answer_counted_from_receipt_is_measured_against_the_limit_before_extension() -> None:
    # 15 from receipt against the statute's 10 from the acknowledgement (5 from receipt): the
    # whole chain allows 15 either way, but acknowledged the day it comes, the answer may be 5
    # working days past the 10, with no extension to cover them.
    council = (
        "duties:\n"
        "  reply:\n"
        "    anchor: received\n"  # line 5
        "    limit: {amount: 15, unit: working-days}\n"
        "    sources: [test]\n"
        "remove:\n"
        "  - {what: extension, id: reply/recorded, reason: test, sources: [test]}\n"
        "  - {what: extension, id: reply/slow, reason: test, sources: [test]}\n"
    )
    before = found(council)["reply unextended"]
    assert (before.kind, before.code, before.difference) == ("warning", "unextended-limit", 5)
    assert "(if `acknowledged` comes the day of `received`)" in before.message
    assert before.message.endswith("and the procedure has no extension to cover them")
    assert before.where is not None and before.where.line == 5
    # 16 from receipt is past the statute's whole chain of 15 before any extension: an error
    longer = council.replace("amount: 15", "amount: 16")
    assert found(longer)["reply unextended"].kind == "error"


def test_seftons_15_days_against_the_codes_10_from_the_acknowledgement() -> None:
    result = run("conformance", "sefton/corporate", "--format", "json")
    finding = next(
        f for f in json.loads(result.stdout)["findings"] if f["code"] == "unextended-limit"
    )
    path = ROOT / "councils" / "sefton" / "corporate-2026-04-01.yaml"
    assert (finding["deadline"], finding["kind"], finding["difference_working_days"]) == (
        "stage-1-response unextended",
        "warning",
        5,
    )
    assert finding["line"] == line_of(path, "anchor: complaint-received")
    assert finding["sources"] == [
        '001_fa29f2577f0a0813.txt: "we will respond within 15 working days"',
        "LGSCO Complaint Handling Code: stage 1 response, 10 working days from acknowledgement",
    ]


def test_the_same_answer_in_time_for_sefton_and_late_under_the_code() -> None:
    # Received and acknowledged Mon 2026-04-13. Sefton's 15 working days: 14-17 Apr (4),
    # 20-24 Apr (9), 27 Apr-1 May (14), (Mon 4 May, the early May bank holiday), 5 May (15).
    # The Code's 10 from the acknowledgement: 14-17, 20-24 (9), 27 Apr (10). Answered Tue 5 May:
    # in time for Sefton, and 5 working days late under the Code (28-30 Apr, 1 May, 5 May).
    case = {
        "case": "CODE-1",
        "procedure": "sefton/corporate",
        "events": [
            {"date": "2026-04-13", "event": "complaint-received"},
            {"date": "2026-04-13", "event": "acknowledged"},
            {"date": "2026-05-05", "event": "stage-1-response-sent", "outcome": "upheld"},
        ],
    }
    as_of = dt.date(2026, 5, 6)
    sefton = evaluate_data(load_procedure("sefton/corporate"), case, as_of)
    code = evaluate_data(load_procedure("baseline/corporate"), case, as_of)
    by_id = {d.id: d for d in sefton.deadlines}, {d.id: d for d in code.deadlines}
    assert (by_id[0]["stage-1-response"].due, by_id[0]["stage-1-response"].status) == (
        dt.date(2026, 5, 5),
        "met",
    )
    stage_1 = by_id[1]["stage-1-response"]
    assert (stage_1.due, stage_1.status, stage_1.working_days_late) == (
        dt.date(2026, 4, 27),
        "missed",
        5,
    )
