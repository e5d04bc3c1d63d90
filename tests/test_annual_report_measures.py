"""What else councils publish (issue 23, item 6): escalation rates, acknowledgements in time,
the Ombudsman's decisions and annual letter, advocacy, equality monitoring, compliments and
enquiries, and the actions agreed, in every format; every figure worked out by hand below."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_annual_report import line, report

from conftest import COUNCIL_PROCEDURE_IDS, assert_no_crash, run
from csc_rules.application.report import report_texts


def ev(day: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"date": day, "event": name, **fields}


SEFTON, CW = "sefton/csc-statutory", "cheshire-west/csc-statutory"
# Sefton sets 3 working days to acknowledge; Cheshire West sets none. Mon 2024-06-03 + 3
# working days: Tue 4, Wed 5, Thu 6 Jun, so an acknowledgement is due by Thu 6 Jun.
CASES: list[tuple[str, str, list[dict[str, Any]], dict[str, Any]]] = [
    # acknowledged on the 2nd working day: met. Stage 1 answered, stage 2 asked for and
    # answered (the same action agreed twice: counted once for the case); no stage 3.
    (
        "S1-ACK-IN-TIME",
        SEFTON,
        [
            ev("2024-06-03", "complaint-received"),
            ev("2024-06-05", "acknowledged"),
            ev(
                "2024-06-14",
                "stage-1-response-sent",
                outcome="upheld",
                actions=["Apologise in writing", "Review the contact plan"],
            ),
            ev("2024-06-24", "stage-2-requested"),
            ev("2024-06-25", "stage-2-started"),
            ev("2024-08-01", "investigation-report-received"),
            ev(
                "2024-08-05",
                "stage-2-response-sent",
                outcome="partially-upheld",
                actions=["Review the contact plan"],
            ),
        ],
        {
            "service_area": "fostering",
            "advocacy": {"offered": True, "taken_up": True},
            "child": {"age_band": "5-to-9", "gender": "female"},
        },
    ),
    # acknowledged Mon 10 Jun, after Thu 6: late. Settled, taken to the Ombudsman, upheld with a
    # remedy the council complied with late.
    (
        "S2-ACK-LATE",
        SEFTON,
        [
            ev("2024-06-03", "complaint-received"),
            ev("2024-06-10", "acknowledged"),
            ev(
                "2024-06-14",
                "stage-1-response-sent",
                outcome="not-upheld",
                actions=["Train the team on recording contact"],
            ),
            ev("2024-06-20", "resolved"),
            ev("2024-07-01", "referred-to-ombudsman"),
            ev(
                "2024-09-02",
                "ombudsman-decided",
                decision="upheld",
                remedy="An apology and £150",
                compliance="complied-late",
            ),
        ],
        {
            "service_area": "children-in-need-chester",
            "advocacy": {"offered": False},
            "child": {"ethnicity": "white"},
        },
    ),
    # never acknowledged; taken to the Ombudsman on 10 Jul, past the 6 Jun limit: not
    # acknowledged, past the limit. No decision recorded.
    (
        "S3-NEVER-ACK",
        SEFTON,
        [ev("2024-06-03", "complaint-received"), ev("2024-07-10", "referred-to-ombudsman")],
        {},
    ),
    # received Fri 2025-03-28: due Mon 31 Mar, Tue 1, Wed 2 Apr; on 31 Mar, still in time
    ("S4-NOT-YET", SEFTON, [ev("2025-03-28", "complaint-received")], {}),
    # received Mon 2025-03-03, due Thu 6 Mar, answered but never acknowledged: on 31 Mar,
    # not acknowledged, past the limit
    (
        "S5-ANSWERED-NOT-ACK",
        SEFTON,
        [
            ev("2025-03-03", "complaint-received"),
            ev("2025-03-10", "stage-1-response-sent", outcome="upheld"),
        ],
        {},
    ),
    # ineligible (who may complain): in no measure, though acknowledged in time
    (
        "S6-INELIGIBLE",
        SEFTON,
        [ev("2024-06-03", "complaint-received"), ev("2024-06-04", "acknowledged")],
        {"complainant": {"role": "other"}},
    ),
    # acknowledged on time; a decision recorded without saying how, then a second one, which
    # changes nothing: the first counts (decided, how not recorded)
    (
        "S7-DECIDED-UNSTATED",
        SEFTON,
        [
            ev("2024-06-03", "complaint-received"),
            ev("2024-06-04", "acknowledged"),
            ev("2024-06-14", "stage-1-response-sent", outcome="not-upheld"),
            ev("2024-06-20", "resolved"),
            ev("2024-07-01", "referred-to-ombudsman"),
            ev("2024-08-01", "ombudsman-decided"),
            ev("2024-08-15", "ombudsman-decided", decision="not-upheld"),
        ],
        {},
    ),
    # Cheshire West sets no time to acknowledge: acknowledged, no limit set
    (
        "C1-ACK-UNTIMED",
        CW,
        [
            ev("2024-06-03", "complaint-received"),
            ev("2024-06-04", "acknowledged"),
            ev(
                "2024-06-14",
                "stage-1-response-sent",
                outcome="not-upheld",
                actions=["Apologise in writing"],
            ),
        ],
        {"service_area": "fostering"},
    ),
    # ... and none recorded; stage 2 asked for, then withdrawn
    (
        "C2-NO-ACK",
        CW,
        [
            ev("2024-06-03", "complaint-received"),
            ev("2024-06-14", "stage-1-response-sent", outcome="upheld"),
            ev("2024-06-24", "stage-2-requested"),
            ev("2024-07-01", "withdrawn"),
        ],
        {},
    ),
]


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("measures") / "cases.jsonl"
    path.write_text(
        "".join(line(name, proc, events, **facts) + "\n" for name, proc, events, facts in CASES),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def data(cases: Path) -> dict[str, Any]:
    return report(str(cases), "--year", "2024-25", "--years", "2")


def test_the_valid_complaints_are_the_ones_measured(data: dict[str, Any]) -> None:
    assert data["representations"] == {"total": 9, "valid": 8, "ineligible": 1, "not_pursued": 0}


def test_escalation_rates_are_shares_of_the_stage_before(data: dict[str, Any]) -> None:
    # all 8 reached stage 1; S1 and C2 went on to stage 2: 2 of 8, 25%. Both reached stage 2;
    # neither went on to stage 3: 0 of 2
    assert data["escalation_rates"] == {
        "stage-2": {"from": "stage-1", "reached": 8, "went_on": 2, "percent": 25},
        "stage-3": {"from": "stage-2", "reached": 2, "went_on": 0, "percent": 0},
    }
    # a year with no complaints has no rate, not 0%
    assert data["previous_years"][0]["escalation_rates"]["stage-2"]["percent"] is None


def test_acknowledgements_by_the_rules_verdict(data: dict[str, Any]) -> None:
    # met: S1, S7; late: S2; past the limit: S3 (the case ended on 10 Jul, never acknowledged)
    # and S5; still in time: S4; Cheshire West: C1 acknowledged, C2 not. In time: 2 of the 5
    # judged (met, late, past the limit): 40%
    assert data["acknowledgements"] == {
        "met": 2,
        "missed": 1,
        "overdue": 2,
        "pending": 1,
        "unrecorded": 0,
        "cancelled": 0,
        "untimed": 1,
        "not-recorded": 1,
        "total": 8,
        "in_time_percent": 40,
    }


def test_the_ombudsmans_decisions_from_the_records(data: dict[str, Any]) -> None:
    # referred: S2 (upheld, remedy, complied late), S3 (none yet), S7 (first decision says not
    # how); S7's second decision is listed as an event after the end
    assert data["ombudsman"]["referred"] == 3
    decisions = data["ombudsman_decisions"]
    assert decisions == {
        "decided": 2,
        "closed-after-initial-enquiries": 0,
        "advice-given": 0,
        "referred-back-for-local-resolution": 0,
        "not-upheld": 0,
        "upheld": 1,
        "decision-not-recorded": 1,
        "awaiting": 1,
        "remedies": 1,
        "complied": 0,
        "complied-late": 1,
        "not-complied": 0,
        "compliance_percent": 100,
    }
    assert "S7-DECIDED-UNSTATED" in data["warnings"]["events-after-end"]["cases"]


def test_a_decision_counts_only_once_recorded_by_the_as_of_date(cases: Path) -> None:
    # on 1 Aug 2024: S2 referred on 1 Jul, decided on 2 Sep: not yet; S7's first decision is on
    # 1 Aug itself. S4 and S5 were not yet received.
    early = report(str(cases), "--year", "2024-25", "--as-of", "2024-08-01")
    found = early["ombudsman_decisions"]
    assert (found["decided"], found["awaiting"], found["decision-not-recorded"]) == (1, 2, 1)
    assert (found["upheld"], found["remedies"]) == (0, 0)


def test_advocacy_and_equality_count_what_the_records_say(data: dict[str, Any]) -> None:
    assert data["advocacy"] == {
        "offered": {"yes": 1, "no": 1, "not recorded": 6},
        "taken_up": {"yes": 1, "no": 0, "not recorded": 7},
        "total": 8,
    }
    assert data["equality"] == {
        "child.age_band": {"5-to-9": 1, "not recorded": 7},
        "child.gender": {"female": 1, "not recorded": 7},
        "child.ethnicity": {"white": 1, "not recorded": 7},
        "child.disability": {"not recorded": 8},
    }


def test_the_actions_agreed_by_service_area(data: dict[str, Any]) -> None:
    # S1 and C1 (fostering) both agreed an apology; S1's second action, agreed at two stages,
    # counts once
    assert data["actions"] == [
        {
            "service_area": "children-in-need-chester",
            "action": "Train the team on recording contact",
            "complaints": 1,
        },
        {"service_area": "fostering", "action": "Apologise in writing", "complaints": 2},
        {"service_area": "fostering", "action": "Review the contact plan", "complaints": 1},
    ]


def texts(data: dict[str, Any], fmt: str) -> dict[str, str]:
    return report_texts(data, fmt)


def test_markdown_shows_each_measure_with_its_note(data: dict[str, Any]) -> None:
    out = texts(data, "markdown")[""]
    for row in (
        "| From stage-1 to stage-2 | 25% | no data |",
        "| Acknowledged in time | 2 | no data |",
        "| Not acknowledged, past the limit | 2 | no data |",
        "| Acknowledged in time (%) | 40% | no data |",
        "| Investigated: upheld | 1 | no data |",
        "| No decision recorded yet | 1 | no data |",
        "| Advocacy offered | 1 | no data |",
        # every category of a fact some record carries, zeros included
        "| Under 1 | 0 | no data |",
        "| 5 to 9 | 1 | no data |",
        "| Not recorded | 7 | no data |",
        "| fostering | Apologise in writing | 2 |",
    ):
        assert row in out, row
    for title in ("Escalation rates", "Acknowledgements", "Advocacy", "Ethnic group of the child"):
        assert f"## {title}" in out
    # no record says whether the child is disabled: no table for it
    assert "Disability of the child" not in out
    # nothing given beside the records: no table of compliments or of the Ombudsman's letter
    assert "Compliments" not in out and "annual letter (children" not in out
    assert "_Of the valid complaints received in the year that reached a stage" in out


def test_without_the_facts_the_optional_tables_are_not_shown(tmp_path: Path) -> None:
    path = tmp_path / "plain.jsonl"
    path.write_text(line("P1", SEFTON, [ev("2024-06-03", "complaint-received")]) + "\n")
    out = run("report", str(path), "--year", "2024-25").stdout
    assert "## Acknowledgements" in out and "## Escalation rates (%)" in out
    for title in ("Advocacy", "Age of the child", "Learning", "decisions on the complaints"):
        assert title not in out, title


def test_text_csv_and_html_carry_the_same_tables(data: dict[str, Any]) -> None:
    text = texts(data, "text")[""]
    head = next(r for r in text.splitlines() if r.startswith("Learning: "))
    # the caseload mixes two councils, so no council's own list of service areas names them
    row = next(r for r in text.splitlines() if r.startswith("fostering ") and "Apologise" in r)
    assert row.split() == ["fostering", "Apologise", "in", "writing", "2"]
    # the words start under their head, the figures end under theirs
    assert row.index("Apologise") == head.index("Action agreed")
    assert len(row) == len(head)
    files = texts(data, "csv")
    assert list(csv.reader(io.StringIO(files["escalation-rates.csv"]))) == [
        ["Escalation rates (%)", "2024-25", "2023-24"],
        ["From stage-1 to stage-2", "25", "no data"],
        ["From stage-2 to stage-3", "0", "no data"],
    ]
    assert list(csv.reader(io.StringIO(files["actions.csv"])))[:2] == [
        ["Learning: actions agreed in the year", "Action agreed", "Complaints"],
        ["children-in-need-chester", "Train the team on recording contact", "1"],
    ]
    for name in (
        "acknowledgements.csv",
        "acknowledged-in-time.csv",
        "ombudsman-decisions.csv",
        "advocacy.csv",
        "equality-child-age-band.csv",
    ):
        assert name in files, name
    page = texts(data, "html")[""]
    assert '<td class="words">Train the team on recording contact</td>' in page
    assert "Escalation rates (%)" in page and "Acknowledged late" in page


def test_the_public_page_shows_the_actions_words_and_no_case_reference(
    data: dict[str, Any],
) -> None:
    page = texts(data, "html")[""]
    assert "Review the contact plan" in page
    for name, *_ in CASES:
        assert name not in page, name


# The Ombudsman's figures as Cheshire West's report gives them for 2024-25 (section 3: received
# 3, decided 12: 6 closed after initial enquiries, 1 advice, 5 referred for local resolution,
# none upheld; compliments 13 (section 5); the enquiries are made up: the report gives none.
GIVEN = {
    "compliments": 13,
    "enquiries": {"mp": 4, "councillor": 2},
    "ombudsman": {
        "received": 3,
        "decided": 12,
        "decisions": {
            "closed-after-initial-enquiries": 6,
            "advice-given": 1,
            "referred-back-for-local-resolution": 5,
            "not-upheld": 0,
            "upheld": 0,
        },
        "compliance_percent": 100,
        "remedies": 0,
    },
}


@pytest.fixture()
def given(data: dict[str, Any]) -> dict[str, Any]:
    """The document as the figures file's reader leaves it: this year's `given`; last year's
    compliments alone."""
    copy = json.loads(json.dumps(data))
    copy["given"] = GIVEN
    copy["previous_years"][0]["given"] = {"compliments": 9}
    return copy


def test_figures_given_are_shown_as_given(given: dict[str, Any]) -> None:
    out = texts(given, "markdown")[""]
    for row in (
        "| Complaints the Ombudsman received | 3 | no data |",
        "| Decisions the Ombudsman made | 12 | no data |",
        "| Closed after initial enquiries | 6 | no data |",
        "| Referred back for local resolution | 5 | no data |",
        "| Investigated: upheld | 0 | no data |",
        "| Remedies agreed | 0 | no data |",
        "| Complied with (%) | 100% | no data |",
        "| Compliments received | 13 | 9 |",
        "| Enquiries from MPs | 4 | no data |",
        "| Enquiries from councillors | 2 | no data |",
    ):
        assert row in out, row
    assert "_The Ombudsman's own figures for the council's children's services" in out
    files = texts(given, "csv")
    assert list(csv.reader(io.StringIO(files["compliments.csv"]))) == [
        ["Compliments and enquiries", "2024-25", "2023-24"],
        ["Compliments received", "13", "9"],
        ["Enquiries from MPs", "4", "no data"],
        ["Enquiries from councillors", "2", "no data"],
    ]
    # a year that gave no figures says so on the page, never 0
    page = texts(given, "html")[""]
    assert '<th scope="row">Enquiries from MPs</th><td>4</td><td class="none">no data</td>' in page


def test_every_procedure_accepts_the_ombudsmans_decision_after_a_referral(
    tmp_path: Path,
) -> None:
    for procedure in COUNCIL_PROCEDURE_IDS:
        path = tmp_path / "case.json"
        case = json.loads(
            line(
                "OMB-1",
                procedure,
                [
                    ev("2026-06-01", "complaint-received"),
                    ev("2026-06-15", "referred-to-ombudsman"),
                    ev("2026-09-01", "ombudsman-decided", decision="advice-given"),
                ],
            )
        )
        path.write_text(json.dumps(case), encoding="utf-8")
        result = run("run", str(path), "--as-of", "2026-10-01", "--format", "json")
        assert result.exit_code == 0, (procedure, result.output)
        found = json.loads(result.stdout)
        assert (found["status"], found["state"]) == (
            "referred-to-ombudsman",
            "decided-by-ombudsman",
        )
        # the decision itself is no irregularity (the referral may be premature)
        assert not [w for w in found["warnings"] if w["event"] == "ombudsman-decided"], procedure
        assert found["next_events"] == []


def test_a_second_decision_names_the_day_of_the_referral(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(
        line(
            "OMB-2",
            SEFTON,
            [
                ev("2024-06-03", "complaint-received"),
                ev("2024-07-01", "referred-to-ombudsman"),
                ev("2024-08-01", "ombudsman-decided", decision="advice-given"),
                ev("2024-09-02", "ombudsman-decided", decision="upheld"),
            ],
        ),
        encoding="utf-8",
    )
    result = run("run", str(path), "--as-of", "2024-10-01", "--format", "json")
    (warning,) = [w for w in json.loads(result.stdout)["warnings"] if w["date"] == "2024-09-02"]
    assert warning["code"] == "events-after-end"
    assert "(referred-to-ombudsman on 2024-07-01)" in warning["message"]


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"decision": "partly-upheld"}, "decision"),
        ({"compliance": "yes"}, "compliance"),
    ],
    ids=["decision", "compliance"],
)
def test_a_decision_in_other_words_is_refused_where_it_is(
    tmp_path: Path, fields: dict[str, str], named: str
) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        "case: OMB-3\n"
        f"procedure: {SEFTON}\n"
        "events:\n"
        "  - {date: 2024-06-03, event: complaint-received}\n"
        "  - {date: 2024-07-01, event: referred-to-ombudsman}\n"
        "  - {date: 2024-08-01, event: ombudsman-decided, "
        + ", ".join(f"{k}: {v}" for k, v in fields.items())
        + "}\n",
        encoding="utf-8",
    )
    result = run("run", str(path), "--as-of", "2024-10-01")
    assert_no_crash(result)
    assert result.exit_code == 1
    assert f"{path.name}:6" in result.output and named in result.output


@pytest.mark.parametrize(
    "actions",
    ["Apologise in writing", "[]", "[3]"],
    ids=["a text, not a list", "an empty list", "a number"],
)
def test_actions_are_a_list_of_short_texts(tmp_path: Path, actions: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        "case: ACT-1\n"
        f"procedure: {SEFTON}\n"
        "events:\n"
        "  - {date: 2024-06-03, event: complaint-received}\n"
        f"  - {{date: 2024-06-14, event: stage-1-response-sent, outcome: upheld, actions: {actions}}}\n",
        encoding="utf-8",
    )
    result = run("run", str(path), "--as-of", "2024-10-01")
    assert_no_crash(result)
    assert result.exit_code == 1
    assert f"{path.name}:5" in result.output and "actions" in result.output


def test_the_new_facts_are_never_needed_to_replay_a_case(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(line("F1", SEFTON, [ev("2024-06-03", "complaint-received")]), "utf-8")
    found = json.loads(run("run", str(path), "--as-of", "2024-06-04", "--format", "json").stdout)
    needed = json.dumps(found["eligibility"])
    assert found["eligibility"]["decision"] == "eligible"
    assert "advocacy." not in needed and "child.age_band" not in needed


def test_the_public_pages_never_ask_a_family_to_record_the_decision(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run("site", "-o", str(site)).exit_code == 0
    for page in site.rglob("*.html"):
        # the words as a reader sees them: a diagram's box wraps its lines in separate tags
        html = page.read_text(encoding="utf-8").lower()
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        if page.name == "staff.html":
            # staff see it in the diagram, after the referral
            assert "then: ombudsman decided" in text, page
        else:
            assert "ombudsman decided" not in text and "decided by ombudsman" not in text, page


def test_an_export_gives_the_actions_and_the_decision_in_its_own_words(tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text(
        "Reference,Date,Event,Outcome,Actions,Decision\n"
        "X-1,2024-06-03,complaint-received,,,\n"
        "X-1,2024-06-14,stage-1-response-sent,upheld,Apologise in writing; Review the plan,\n"
        "X-1,2024-06-20,resolved,,,\n"
        "X-1,2024-07-01,referred-to-ombudsman,,,\n"
        "X-1,2024-09-02,ombudsman-decided,,,Advice\n",
        encoding="utf-8",
    )
    (tmp_path / "export.mapping.yaml").write_text(
        f"csv: test\nprocedure: {SEFTON}\n"
        "columns: {case: Reference, date: Date, event: Event}\n"
        "fields: {outcome: Outcome, actions: Actions, decision: Decision}\n"
        "values: {decision: {Advice: advice-given}}\n",
        encoding="utf-8",
    )
    found = report(str(tmp_path / "export.csv"), "--year", "2024-25")
    assert [a["action"] for a in found["actions"]] == ["Apologise in writing", "Review the plan"]
    assert found["ombudsman_decisions"]["advice-given"] == 1


def test_where_no_procedure_sets_a_time_to_acknowledge_there_is_no_share_in_time(
    tmp_path: Path,
) -> None:
    # Cheshire West sets none: one acknowledged, one not; nothing to judge in time
    path = tmp_path / "cw.jsonl"
    path.write_text(
        line("CW-A", CW, [ev("2024-06-03", "complaint-received"), ev("2024-06-04", "acknowledged")])
        + "\n"
        + line("CW-B", CW, [ev("2024-06-03", "complaint-received")])
        + "\n",
        encoding="utf-8",
    )
    found = report(str(path), "--year", "2024-25")
    assert (found["acknowledgements"]["untimed"], found["acknowledgements"]["not-recorded"]) == (
        1,
        1,
    )
    assert found["acknowledgements"]["in_time_percent"] is None
    out = run("report", str(path), "--year", "2024-25").stdout
    assert "| Acknowledged, no time limit set | 1 |" in out
    assert "Acknowledged in time (%)" not in out


def test_the_example_caseload_gives_cheshire_wests_escalation_rates() -> None:
    # 1.2 of the published report: of the 30 complaints, 9 went to stage 2 (30%), and of those
    # 9, 4 to stage 3 (44.4%, rounded down)
    from test_annual_report import EXAMPLE

    rates = report(str(EXAMPLE), "--year", "2024-25")["escalation_rates"]
    assert [(r["reached"], r["went_on"], r["percent"]) for r in rates.values()] == [
        (30, 9, 30),
        (9, 4, 44),
    ]
