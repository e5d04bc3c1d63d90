"""Makes cheshire-west-2024-25.jsonl: 123 made-up representations to Cheshire West and
Chester Council in 2024-25, built so that `csc-rules report` reproduces the 2024-25 column of
the council's published Tables 1-9 cell for cell (annual report 2024-25, seed 003), in the
council's own categories (councils/cheshire-west/council.yaml, `report: categories:`).

    python examples/annual-report/make_cheshire_west_2024_25.py

Nobody in it is real. The dates are placed with the council's working-day calendar, so each
stage 1 answer falls in the published response-time band. Each valid complaint has a service
area (but one: the published Table 5 places 29 of its 30) and a primary subject; some raise
further subjects too (`further_subjects`), which the table of every subject raised counts.
The figures the records cannot hold (earlier years as published, compliments, the
Ombudsman's) are in cheshire-west.figures.yaml beside it."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

from csc_rules.procedures.library import load_procedure

PROCEDURE = "cheshire-west/csc-statutory"
HERE = Path(__file__).parent
calendar = load_procedure(PROCEDURE).calendar


def add(day: dt.date, working_days: int) -> dt.date:
    return calendar.add(day, working_days)


def facts(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "complainant": {"role": "parent"},
        "on_behalf_of_child": False,
        "about_council_actions": True,
        "previously_completed_all_stages": False,
        "concurrent_proceedings": [],
        "safeguarding_concern": False,
        "subject": "lack-of-support",
    }
    base.update(changes)
    return base


def received_dates(first: dt.date, count: int, step: int) -> list[dt.date]:
    """`count` working days from `first`, `step` working days apart."""
    days, day = [], add(first - dt.timedelta(days=1), 1)
    for _ in range(count):
        days.append(day)
        day = add(day, step)
    return days


def event(day: dt.date, name: str, **fields: Any) -> dict[str, Any]:
    return {"date": day.isoformat(), "event": name, **fields}


def case(number: int, events: list[dict[str, Any]], **fact_changes: Any) -> dict[str, Any]:
    received = dt.date.fromisoformat(events[0]["date"])
    matter = (received - dt.timedelta(days=30)).isoformat()
    return {
        "case": f"CW-2425-{number:03d}",
        "procedure": PROCEDURE,
        "facts": facts(matter_date=matter, **fact_changes),
        "events": events,
    }


def valid_cases() -> list[dict[str, Any]]:
    """The 30 valid complaints: Tables 2, 3, 4, 7, 8 and 9 of 2024-25."""
    # Stage 1 answers: 3 within 10 working days, 14 within 20 (10 of them extended), 13 later.
    timing = [8] * 3 + [15] * 14 + [25] * 13
    extended = [False] * 3 + [True] * 10 + [False] * 4 + [False] * 13
    outcomes = ["upheld"] * 4 + ["partially-upheld"] * 19 + ["not-upheld"] * 7
    roles = (
        ["parent"] * 26 + ["local-authority-foster-carer", "special-guardian"] + ["advocate"] * 2
    )
    receipts = ["customer-relations-team"] * 21 + ["service-area"] * 3
    receipts += ["director-or-head-of-service"] * 2 + ["other"] * 4
    areas = ["children-in-need-chester"] * 9 + ["children-in-need-winsford"] * 3
    areas += ["children-in-need-ellesmere-port"] * 3 + ["cp-court-team-chester"] * 2
    areas += ["children-in-care-winsford"] * 3 + ["children-in-care-ellesmere-port"] * 5
    areas += ["children-with-disabilities"] * 3 + ["fostering"] + [None]  # the published 29
    # Table 6, on the primary subject: lack of support 15 and contact arrangements 4 (Standard
    # of Service Delivery 19), a social worker's lack of support 7 (Social Worker 7), lack of
    # response 1 (Communication 1), child protection, accommodation, adoption 1 each; and
    # beside it the further subjects nine complaints raise.
    subjects: list[tuple[str, tuple[str, ...]]] = [("lack-of-support", ())] * 11
    subjects += [("lack-of-support", ("social-worker-lack-of-support",))] * 2
    subjects += [("lack-of-support", ("lack-of-response", "late-or-missing-reports"))] * 2
    subjects += [("contact-arrangements", ())] * 3
    subjects += [("contact-arrangements", ("social-worker-preference-for-one-parent",))]
    subjects += [("social-worker-lack-of-support", ())] * 6
    subjects += [("social-worker-lack-of-support", ("cancellation-of-appointments",))]
    subjects += [("lack-of-response", ("lack-of-support",))]
    subjects += [(s, ()) for s in ("child-protection", "accommodation-or-placement", "adoption")]
    # The first four go to stage 3 (three answered, one open at the year's end), the first
    # nine to stage 2, all of which were partially upheld there.
    order = [1, 2, 3, 4, 5, 6, 7, 8, 9] + list(range(10, 31))
    received = received_dates(dt.date(2024, 4, 2), 30, 7)
    received[3] = dt.date(2024, 12, 16)  # its panel meets after 31 March 2025: open
    made = []
    for n, (day, days, longer, outcome, role, receipt, area, subject) in enumerate(
        zip(received, timing, extended, outcomes, roles, receipts, areas, subjects, strict=True)
    ):
        stage = order[n]
        events = [event(day, "complaint-received"), event(add(day, 1), "acknowledged")]
        if longer:
            events.append(event(add(day, 5), "stage-1-extended", limit=20, reason="complex"))
        answered = add(day, days)
        events.append(event(answered, "stage-1-response-sent", outcome=outcome))
        if stage <= 9:
            requested = add(answered, 5)
            report = add(requested, 20)
            response = add(report, 5)
            events += [
                event(requested, "stage-2-requested"),
                event(add(requested, 5), "stage-2-started"),
                event(report, "investigation-report-received"),
                event(response, "stage-2-response-sent", outcome="partially-upheld"),
            ]
            if stage <= 4:
                asked = add(response, 10)
                panel = add(asked, 20)
                events += [
                    event(asked, "stage-3-requested"),
                    event(add(asked, 3), "panel-scheduled", panel_date=panel.isoformat()),
                    event(panel, "panel-held"),
                    event(add(panel, 3), "panel-report-sent"),
                    event(add(panel, 15), "stage-3-response-sent", outcome="not-upheld"),
                ]
        changes: dict[str, Any] = {
            "complainant": {"role": role},
            "point_of_receipt": receipt,
            "subject": subject[0],
        }
        if subject[1]:
            changes["further_subjects"] = list(subject[1])
        if area is not None:
            changes["service_area"] = area
        made.append((events, changes))
    return [case(n + 1, events, **changes) for n, (events, changes) in enumerate(made)]


def other_cases(start: int) -> list[dict[str, Any]]:
    """The 93 representations that were not valid complaints: 18 ineligible, and 75 settled
    early, sent elsewhere, withdrawn or resolved before a stage 1 answer (Table 1)."""
    days = itertools.cycle(received_dates(dt.date(2024, 4, 3), 60, 4))
    made = []
    ineligible = (
        [{"complainant": {"role": "other"}}] * 10
        + [{"about_council_actions": False}] * 4
        + [{"previously_completed_all_stages": True}] * 4
    )
    for changes in ineligible:
        day = next(days)
        made.append(([event(day, "complaint-received")], changes))
    for _ in range(50):  # put right by close of play the next working day
        day = next(days)
        made.append(([event(day, "complaint-received")], {"settled_on": add(day, 1).isoformat()}))
    for _ in range(5):  # a safeguarding concern, sent to the safeguarding procedures
        day = next(days)
        made.append(([event(day, "complaint-received")], {"safeguarding_concern": True}))
    for _ in range(15):  # withdrawn before the stage 1 answer
        day = next(days)
        made.append(([event(day, "complaint-received"), event(add(day, 4), "withdrawn")], {}))
    for _ in range(5):  # settled before the stage 1 answer
        day = next(days)
        made.append(
            (
                [
                    event(day, "complaint-received"),
                    event(add(day, 6), "resolved", outcome="upheld"),
                ],
                {},
            )
        )
    return [case(start + n, events, **changes) for n, (events, changes) in enumerate(made)]


def main() -> None:
    valid = valid_cases()
    cases = valid + other_cases(len(valid) + 1)
    cases.sort(key=lambda c: (c["events"][0]["date"], c["case"]))
    target = HERE / "cheshire-west-2024-25.jsonl"
    with target.open("w", encoding="utf-8") as out:
        for c in cases:
            out.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"wrote {len(cases)} cases to {target}")


if __name__ == "__main__":
    main()
