"""How the annual report counts the shapes real caseloads have (the rules are in
docs/complaints-managers.md, "The annual report"): escalated on delay, ended before an
answer, received after the as-of date, and the same records counted as of the year's end and
months later. Every figure below is worked out by hand from
the dates, with England's bank holidays (2024-05-06, 05-27, 08-26, 12-25, 12-26, 2025-01-01,
04-18, 04-21, 05-05, 05-26); "Jun 3 -> Jul 1: 20" means 20 working days after 3 June up to and
including 1 July."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_annual_report import line, report

YEAR_END, LATER = "2025-03-31", "2025-10-31"  # the year's last day, and seven months on


def ev(day: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"date": day, "event": name, **fields}


# Sefton's procedure; each case named for its shape.
STAGE_3 = [
    ev("2024-08-12", "stage-3-requested"),
    ev("2024-08-14", "panel-scheduled", panel_date="2024-09-09"),
    ev("2024-09-09", "panel-held"),
    ev("2024-09-12", "panel-report-sent"),
    ev("2024-09-20", "stage-3-response-sent", outcome="not-upheld"),
]
ENDED = {
    # stage 1 never answered; stage 2 asked for on Jul 1 (Jun 3 -> Jul 1: 20, within the 20:
    # "ended"), then withdrawn on Jul 15 (Jul 1 -> Jul 15: 10: "ended")
    "ESC-WITHDRAWN": [
        ev("2024-06-03", "complaint-received"),
        ev("2024-07-01", "stage-2-requested"),
        ev("2024-07-15", "withdrawn"),
    ],
    # stage 2 asked for on Jul 8 (Jun 3 -> Jul 8: 25, past 20: "outside"), settled on Jul 22
    # (Jul 8 -> Jul 22: 10: "ended")
    "ESC-SETTLED": [
        ev("2024-06-03", "complaint-received"),
        ev("2024-07-08", "stage-2-requested"),
        ev("2024-07-22", "resolved"),
    ],
    # escalated on Jul 8 (25: outside), answered at stage 2 on Aug 5 (Jul 8 -> Aug 5: 20,
    # within 25), panel on Sep 9 (Aug 12 -> Sep 9: 19, within 30), answered: `resolved`, not
    # a settlement
    "ESC-THROUGH": [
        ev("2024-06-03", "complaint-received"),
        ev("2024-07-08", "stage-2-requested"),
        ev("2024-07-09", "stage-2-started"),
        ev("2024-08-01", "investigation-report-received"),
        ev("2024-08-05", "stage-2-response-sent", outcome="not-upheld"),
        *STAGE_3,
    ],
    # answered at stage 1 on Jun 14 (Jun 3 -> Jun 14: 9, within 10); stage 2 from Jun 24,
    # withdrawn on Oct 1 unanswered (Jun 24 -> Oct 1: 4 + 23 + 21 + 21 + 1 = 70, past 65)
    "LATE-WITHDRAWN": [
        ev("2024-06-03", "complaint-received"),
        ev("2024-06-14", "stage-1-response-sent", outcome="upheld"),
        ev("2024-06-24", "stage-2-requested"),
        ev("2024-10-01", "withdrawn"),
    ],
    # the same, withdrawn on Jul 22 (Jun 24 -> Jul 22: 20, within 65: "ended")
    "EARLY-WITHDRAWN": [
        ev("2024-06-03", "complaint-received"),
        ev("2024-06-14", "stage-1-response-sent", outcome="upheld"),
        ev("2024-06-24", "stage-2-requested"),
        ev("2024-07-22", "withdrawn"),
    ],
    # taken to the Ombudsman on Jul 10 with stage 1 unanswered (Jun 3 -> Jul 10: 27, past 20)
    "REFERRED": [ev("2024-06-03", "complaint-received"), ev("2024-07-10", "referred-to-ombudsman")],
}
OPEN_AT_YEAR_END = {
    # open on Mar 31 (Mar 24 -> Mar 31: 5: pending); withdrawn on Apr 2, still at stage 1
    "OPEN-THEN-WITHDRAWN": [ev("2025-03-24", "complaint-received"), ev("2025-04-02", "withdrawn")],
    # open and unanswered on Mar 31 (Feb 3 -> Mar 31: 40: outside); escalated on Apr 7
    # (Feb 3 -> Apr 7: 45, outside), withdrawn on May 1 (Apr 7 -> May 1: 16: "ended")
    "OPEN-THEN-ESCALATED": [
        ev("2025-02-03", "complaint-received"),
        ev("2025-04-07", "stage-2-requested"),
        ev("2025-05-01", "withdrawn"),
    ],
}
# received on Apr 10, after the year's end
AFTER = {"AFTER-YEAR-END": [ev("2025-04-10", "complaint-received")]}


def caseload(folder: Path, *groups: dict[str, list[dict[str, Any]]]) -> Path:
    path = folder / "cases.jsonl"
    cases = {name: events for group in groups for name, events in group.items()}
    path.write_text(
        "".join(
            line(name, "sefton/csc-statutory", events) + "\n" for name, events in cases.items()
        ),
        encoding="utf-8",
    )
    return path


def columns(counts: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: counts[k] for k in keys}


OUTCOMES = ("upheld", "not-upheld", "escalated", "open", "withdrawn", "settled", "referred")
TIMES = ("within-10", "within-20", "outside", "ended", "pending", "total", "in_time_percent")


def test_every_stage_reached_is_counted_at_that_stage_and_ended_stages_are_timed(
    tmp_path: Path,
) -> None:
    data = report(str(caseload(tmp_path, ENDED, OPEN_AT_YEAR_END, AFTER)), "--year", "2024-25")
    # escalated on delay and then ended is valid, whatever the end; so is a referral at stage 1
    assert data["representations"] == {"total": 8, "valid": 8, "ineligible": 0, "not_pursued": 0}
    assert data["left_out"] == {"received_after_as_of": 1, "other_councils": 0, "other_years": 0}
    assert data["escalations"] == {"stage-2": 5, "stage-3": 1}
    stage_1, stage_2, stage_3 = (data["outcomes"][s] for s in ("stage-1", "stage-2", "stage-3"))
    # answered: LATE- and EARLY-WITHDRAWN; escalated: the three ESC-; referred; two open
    assert columns(stage_1, *OUTCOMES, "total") == {
        "upheld": 2,
        "not-upheld": 0,
        "escalated": 3,
        "open": 2,
        "withdrawn": 0,
        "settled": 0,
        "referred": 1,
        "total": 8,
    }
    assert stage_1["not-recorded"] == stage_1["partially-upheld"] == 0
    # ESC-THROUGH answered; ESC-WITHDRAWN, LATE- and EARLY-WITHDRAWN withdrawn; ESC-SETTLED
    assert columns(stage_2, *OUTCOMES, "total") == {
        "upheld": 0,
        "not-upheld": 1,
        "escalated": 0,
        "open": 0,
        "withdrawn": 3,
        "settled": 1,
        "referred": 0,
        "total": 5,
    }
    assert (stage_3["not-upheld"], stage_3["settled"], stage_3["total"]) == (1, 0, 1)
    times = data["response_times"]
    # stage 1: 9 and 9 (within 10); 25, 25, 27, 40 outside; 20 ended; 5 pending. In time: 2 of
    # the 2 answered and 4 unanswered past the limit: 33%; the average of 9 and 9
    assert columns(times["stage-1"], *TIMES) == {
        "within-10": 2,
        "within-20": 0,
        "outside": 4,
        "ended": 1,
        "pending": 1,
        "total": 8,
        "in_time_percent": 33,
    }
    assert times["stage-1"]["average_days"] == 9.0
    # stage 2: 20 (within 25); 70 outside; 10, 10 and 20 ended. In time: 1 of 2: 50%
    assert columns(times["stage-2"], "within-25", "within-65", "outside", "ended", "pending") == {
        "within-25": 1,
        "within-65": 0,
        "outside": 1,
        "ended": 3,
        "pending": 0,
    }
    assert times["stage-2"]["in_time_percent"] == 50
    assert (times["stage-3"]["within-30"], times["stage-3"]["average_days"]) == (1, 19.0)
    assert data["ombudsman"]["referred"] == 1
    assert data["warnings"]["unanswered-stage"]["count"] == 3  # the three escalated on delay


def test_a_case_received_after_the_as_of_date_is_not_counted(tmp_path: Path) -> None:
    path = caseload(tmp_path, ENDED, OPEN_AT_YEAR_END)
    # as of Jan 31: the two received in February and March have not happened yet
    data = report(str(path), "--year", "2024-25", "--as-of", "2025-01-31")
    assert data["representations"]["total"] == 6
    assert data["left_out"]["received_after_as_of"] == 2
    assert data["as_of"] == "2025-01-31"
    assert "OPEN-THEN-ESCALATED" not in json.dumps(data)


def test_the_figures_of_a_year_move_later_only_to_fill_in_what_was_open(tmp_path: Path) -> None:
    path = caseload(tmp_path, ENDED, OPEN_AT_YEAR_END, AFTER)
    then = report(str(path), "--year", "2024-25", "--as-of", YEAR_END)
    later = report(str(path), "--year", "2024-25", "--as-of", LATER)
    # OPEN-THEN-WITHDRAWN, open on Mar 31, ended at stage 1: now not pursued; every escalated
    # case stays valid (the fault was 196 valid at the year's end, 192 seven months later)
    assert then["representations"]["valid"] == 8
    assert later["representations"] == {"total": 8, "valid": 7, "ineligible": 0, "not_pursued": 1}
    # OPEN-THEN-ESCALATED moves from open to escalated at stage 1, and reaches stage 2
    assert columns(later["outcomes"]["stage-1"], *OUTCOMES, "total") == {
        "upheld": 2,
        "not-upheld": 0,
        "escalated": 4,
        "open": 0,
        "withdrawn": 0,
        "settled": 0,
        "referred": 1,
        "total": 7,
    }
    assert later["outcomes"]["stage-2"]["withdrawn"] == 4
    assert later["escalations"] == {"stage-2": 6, "stage-3": 1}
    # its stage 1 was already outside (40) and stays so (45); its stage 2 ended within (16)
    assert columns(later["response_times"]["stage-1"], *TIMES) == {
        "within-10": 2,
        "within-20": 0,
        "outside": 4,
        "ended": 1,
        "pending": 0,
        "total": 7,
        "in_time_percent": 33,
    }
    assert later["response_times"]["stage-2"]["ended"] == 4
    # the case received in April belongs to 2025-26, which this report does not show
    assert later["left_out"] == {"received_after_as_of": 0, "other_councils": 0, "other_years": 1}


@pytest.mark.parametrize("as_of", [LATER, "2026-03-31"])
def test_cases_ended_by_the_year_end_count_the_same_whenever_the_report_is_made(
    tmp_path: Path, as_of: str
) -> None:
    path = caseload(tmp_path, ENDED)
    then, later = (
        report(str(path), "--year", "2024-25", "--as-of", day) for day in (YEAR_END, as_of)
    )
    for key in ("representations", "outcomes", "escalations", "response_times", "ombudsman"):
        assert later[key] == then[key], key


def test_the_councils_own_decision_counts_a_case_ineligible_or_not_pursued(tmp_path: Path) -> None:
    # The eligibility rules find nothing against any of these (the facts of `line` are those
    # of an eligible parent); the council's recorded decision is what counts them.
    decided = {
        # decided ineligible on Jun 10, a week after receipt: ineligible
        "DECIDED": [
            ev("2024-06-03", "complaint-received"),
            ev("2024-06-10", "decided-ineligible", reason="the matter is before the court"),
        ],
        # decided ineligible at stage 2, after a stage 1 answer: still ineligible, not valid
        "DECIDED-LATER": [
            ev("2024-06-03", "complaint-received"),
            ev("2024-06-14", "stage-1-response-sent", outcome="not-upheld"),
            ev("2024-06-24", "stage-2-requested"),
            ev("2024-07-01", "decided-ineligible", reason="the matter is before the court"),
        ],
        # sent to the corporate procedure, then taken to the Ombudsman: not pursued here, and
        # the referral does not make it valid
        "REDIRECTED": [
            ev("2024-06-03", "complaint-received"),
            ev("2024-06-05", "redirected", route="corporate", reason="about school transport"),
            ev("2024-08-01", "referred-to-ombudsman"),
        ],
        # answered at stage 1 and left there: valid
        "VALID": [
            ev("2024-06-03", "complaint-received"),
            ev("2024-06-14", "stage-1-response-sent", outcome="upheld"),
        ],
    }
    data = report(str(caseload(tmp_path, decided)), "--year", "2024-25")
    assert data["representations"] == {"total": 4, "valid": 1, "ineligible": 2, "not_pursued": 1}
    assert data["escalations"] == {"stage-2": 0, "stage-3": 0}
    assert data["outcomes"]["stage-1"]["total"] == 1
