"""A generated caseload for the three councils' statutory procedures, with the shapes real
councils' records have, for checking `csc-rules report` against count.py.

`caseload(seed)` gives the same cases for the same seed: each shape below, several times, the
councils in turn, received across 2023-24, 2024-25 and 2025-26 (up to January 2026), so that
reporting 2024-25 as of 31 March 2025 and as of 31 October 2025 differ. Each shape is a small
function that writes a case's events the way that council's procedure accepts them (Islington
records the statement of complaint agreed, `stage-2-started`; Cheshire West the investigation
report, `investigation-report-received`; Sefton's stage 2 records neither, which the engine
reads as unrecorded steps). Nobody in it is real.

Eligibility is decided by facts chosen so that exactly the rules named in each shape fire; every
other case has facts no rule fires on (a social care subject, the council's own actions, a
complainant who may complain, a matter a few months old). No two events of a case fall on one
day, so the order of a day's events never matters.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .count import add_working_days

COUNCILS = ("sefton", "islington", "cheshire-west")
ROLES = (
    "parent", "parent", "parent", "parent", "child", "person-with-parental-responsibility",
    "local-authority-foster-carer", "special-guardian", "care-leaver", "advocate",
    "prospective-adopter", "adoption-service-user",
)  # fmt: skip
SUBJECTS = (
    "standard-of-service", "standard-of-service", "lack-of-support", "contact-arrangements",
    "social-worker", "communication", "child-protection", "accommodation-or-placement",
    "adoption", "other",
)  # fmt: skip
SERVICE_AREAS = (
    "children-in-need-winsford", "children-in-need-chester", "cp-court-team-chester",
    "children-in-care-winsford", "children-with-disabilities", "fostering", "adoption",
    "integrated-access-and-referral", "transition-team",
)  # fmt: skip
POINTS_OF_RECEIPT = (
    "customer-relations-team", "customer-relations-team", "service-area",
    "director-or-head-of-service", "chief-executive", "other",
)  # fmt: skip
# The reporting years cases are received in, and how often: most in the year reported.
PERIODS = (
    (dt.date(2023, 4, 1), dt.date(2024, 3, 31), 2),
    (dt.date(2024, 4, 1), dt.date(2025, 3, 31), 6),
    (dt.date(2025, 4, 1), dt.date(2026, 1, 31), 2),
)
YEAR_END = dt.date(2025, 3, 31)


@dataclass
class Record:
    """One case being written: its facts and its events, each after the last."""

    reference: str
    council: str
    facts: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def received(self) -> dt.date:
        return dt.date.fromisoformat(self.events[0]["date"])

    @property
    def last(self) -> dt.date:
        return dt.date.fromisoformat(self.events[-1]["date"])

    def on(self, day: dt.date, event: str, **fields: Any) -> dt.date:
        if self.events and day <= self.last:
            raise ValueError(f"{self.reference}: {event} on {day} is not after {self.last}")
        self.events.append({"date": day.isoformat(), "event": event, **fields})
        return day

    def after(self, working_days: int, event: str, **fields: Any) -> dt.date:
        """`event` the given working days after the last event."""
        return self.on(add_working_days(self.last, working_days), event, **fields)

    def from_(self, day: dt.date, working_days: int, event: str, **fields: Any) -> dt.date:
        """`event` the given working days after `day`, or the working day after the last event
        if that is later."""
        later = max(add_working_days(day, working_days), add_working_days(self.last, 1))
        return self.on(later, event, **fields)


Shape = Callable[[Record, random.Random], None]


def outcome(rng: random.Random) -> dict[str, str]:
    """An answer's outcome; now and then none recorded, as real exports have."""
    found = rng.choices(
        ("upheld", "partially-upheld", "not-upheld", None), weights=(25, 35, 35, 5)
    )[0]
    return {} if found is None else {"outcome": found}


# -- the steps a shape is made of -----------------------------------------------------------------


def acknowledge(r: Record, rng: random.Random) -> None:
    r.after(1, "acknowledged")


def answer_stage_1(r: Record, rng: random.Random, days: int, recorded: bool = True) -> None:
    """The stage 1 answer `days` working days after receipt (its outcome `recorded` or not);
    past 10, often extended first."""
    if days > 10 and rng.random() < 0.4:
        r.from_(r.received, rng.randint(5, 9), "stage-1-extended", limit=20, reason="complex")
    r.from_(r.received, days, "stage-1-response-sent", **(outcome(rng) if recorded else {}))
    if r.council == "islington" and rng.random() < 0.2:
        r.after(rng.randint(2, 6), "meeting-held")


def request_stage_2(r: Record, rng: random.Random, day: dt.date | None = None) -> dt.date:
    """Stage 2 asked for (on `day`, else days after the last event), and the council's own
    first step recorded where it records one."""
    requested = r.on(day or add_working_days(r.last, rng.randint(3, 15)), "stage-2-requested")
    if r.council == "islington" or (r.council == "cheshire-west" and rng.random() < 0.5):
        r.after(rng.randint(2, 5), "stage-2-started")
    return requested


def answer_stage_2(r: Record, rng: random.Random, requested: dt.date, took: int) -> None:
    """The stage 2 answer `took` working days after the request (at least 12); past 25, often
    extended first; Cheshire West records the investigation report a few days before."""
    if took > 25 and rng.random() < 0.6:
        r.from_(requested, rng.randint(8, 15), "stage-2-extended", limit=65, reason="complex")
    if r.council == "cheshire-west":
        r.from_(requested, took - rng.randint(2, 4), "investigation-report-received")
    r.from_(requested, took, "stage-2-response-sent", **outcome(rng))
    if r.council != "islington" and rng.random() < 0.2:
        r.after(rng.randint(2, 8), "meeting-held")


def stage_2(r: Record, rng: random.Random, took: int | None = None) -> None:
    requested = request_stage_2(r, rng)
    answer_stage_2(r, rng, requested, took or rng.randint(12, 80))


def request_stage_3(r: Record, rng: random.Random, panel_in: int) -> dt.date:
    """A panel asked for and given a date `panel_in` working days after the request (Sefton
    sends the papers ten working days before it)."""
    requested = r.after(rng.randint(3, 15), "stage-3-requested")
    panel = add_working_days(requested, panel_in)
    r.after(2, "panel-scheduled", panel_date=panel.isoformat())
    if r.council == "sefton" and panel_in >= 15:
        r.from_(requested, panel_in - 11, "panel-papers-sent")
    return panel


def stage_3(r: Record, rng: random.Random, panel_in: int | None = None) -> None:
    """Stage 3 to the council's response, which ends the procedure (resolved)."""
    panel = request_stage_3(r, rng, panel_in or rng.randint(12, 45))
    r.on(panel, "panel-held")
    r.after(rng.randint(3, 6), "panel-report-sent")
    r.after(rng.randint(8, 14), "stage-3-response-sent", **outcome(rng))


def withdraw(r: Record, rng: random.Random, gap: int) -> None:
    r.after(gap, "withdrawn", reason="the complainant no longer wishes to pursue it")
    if r.council == "sefton" and rng.random() < 0.7:
        r.after(2, "withdrawal-confirmed")


def settle(r: Record, rng: random.Random, gap: int) -> None:
    """Settled without a formal answer (`resolved`), sometimes with an outcome noted on it."""
    r.after(gap, "resolved", **(outcome(rng) if rng.random() < 0.4 else {}))


def escalate_on_delay(r: Record, rng: random.Random) -> dt.date:
    """Stage 1 never answered; stage 2 asked for once it is late (Cheshire West's own 20 working
    days, else the statutory 10), some while still within 20, most past it."""
    within = r.council != "cheshire-west" and rng.random() < 0.4
    at = rng.randint(11, 20) if within else rng.randint(21, 40)
    return request_stage_2(r, rng, add_working_days(r.received, at))


# -- the shapes -----------------------------------------------------------------------------------


def answered_in_time(r: Record, rng: random.Random) -> None:
    answer_stage_1(r, rng, rng.randint(2, 10))
    if rng.random() < 0.4:
        settle(r, rng, rng.randint(5, 25))


def answered_extended(r: Record, rng: random.Random) -> None:
    answer_stage_1(r, rng, rng.randint(11, 20))


def answered_late(r: Record, rng: random.Random) -> None:
    answer_stage_1(r, rng, rng.randint(21, 45))
    if rng.random() < 0.3:
        settle(r, rng, rng.randint(5, 25))


def answered_without_outcome(r: Record, rng: random.Random) -> None:
    answer_stage_1(r, rng, rng.randint(4, 30), recorded=False)


def stage_1_open(r: Record, rng: random.Random) -> None:
    """Never answered and still open: pending or outside, by how long it has run."""


def through_stage_2(r: Record, rng: random.Random) -> None:
    answer_stage_1(r, rng, rng.randint(3, 30))
    stage_2(r, rng)
    if rng.random() < 0.4:
        settle(r, rng, rng.randint(10, 30))


def through_stage_3(r: Record, rng: random.Random) -> None:
    answer_stage_1(r, rng, rng.randint(3, 30))
    stage_2(r, rng)
    stage_3(r, rng)


def through_stage_3_then_ombudsman(r: Record, rng: random.Random) -> None:
    """The whole procedure, then the Ombudsman: not premature."""
    through_stage_3(r, rng)
    r.after(rng.randint(10, 40), "referred-to-ombudsman")


def delay_then_withdrawn_at_stage_2(r: Record, rng: random.Random) -> None:
    escalate_on_delay(r, rng)
    withdraw(r, rng, rng.choice((rng.randint(3, 50), rng.randint(70, 90))))


def delay_then_settled_at_stage_2(r: Record, rng: random.Random) -> None:
    escalate_on_delay(r, rng)
    settle(r, rng, rng.choice((rng.randint(3, 50), rng.randint(70, 90))))


def delay_then_answered_at_stage_2(r: Record, rng: random.Random) -> None:
    requested = escalate_on_delay(r, rng)
    answer_stage_2(r, rng, requested, rng.randint(15, 70))


def delay_then_through_stage_3(r: Record, rng: random.Random) -> None:
    requested = escalate_on_delay(r, rng)
    answer_stage_2(r, rng, requested, rng.randint(15, 70))
    stage_3(r, rng)


def answered_after_escalation(r: Record, rng: random.Random) -> None:
    """Stage 2 asked for on delay, then the stage 1 answer arrives after all."""
    requested = escalate_on_delay(r, rng)
    r.after(rng.randint(2, 4), "stage-1-response-sent", **outcome(rng))
    answer_stage_2(r, rng, requested, rng.randint(20, 60))


def withdrawn_at_stage_1(r: Record, rng: random.Random) -> None:
    withdraw(r, rng, rng.randint(1, 30))


def settled_at_stage_1(r: Record, rng: random.Random) -> None:
    settle(r, rng, rng.randint(1, 25))


def withdrawn_at_stage_2_after_answer(r: Record, rng: random.Random) -> None:
    """A stage 2 left unanswered when the case ended: within 65 working days, or past it."""
    answer_stage_1(r, rng, rng.randint(3, 25))
    request_stage_2(r, rng)
    withdraw(r, rng, rng.choice((rng.randint(5, 40), rng.randint(70, 90))))


def stage_2_open(r: Record, rng: random.Random) -> None:
    answer_stage_1(r, rng, rng.randint(3, 25))
    request_stage_2(r, rng)


def settled_before_panel(r: Record, rng: random.Random) -> None:
    answer_stage_1(r, rng, rng.randint(3, 25))
    stage_2(r, rng)
    r.after(rng.randint(3, 15), "stage-3-requested")
    settle(r, rng, rng.choice((rng.randint(3, 25), rng.randint(35, 50))))


def settled_after_panel(r: Record, rng: random.Random) -> None:
    answer_stage_1(r, rng, rng.randint(3, 25))
    stage_2(r, rng)
    r.on(request_stage_3(r, rng, rng.randint(12, 40)), "panel-held")
    settle(r, rng, rng.randint(2, 5))


def withdrawn_at_stage_3(r: Record, rng: random.Random) -> None:
    answer_stage_1(r, rng, rng.randint(3, 25))
    stage_2(r, rng)
    r.after(rng.randint(3, 15), "stage-3-requested")
    withdraw(r, rng, rng.randint(3, 45))


def stage_3_open(r: Record, rng: random.Random) -> None:
    answer_stage_1(r, rng, rng.randint(3, 25))
    stage_2(r, rng)
    request_stage_3(r, rng, rng.randint(20, 45))


def ombudsman_premature_at_stage_1(r: Record, rng: random.Random) -> None:
    """To the Ombudsman days after complaining, with no council duty due yet: premature."""
    r.from_(r.received, rng.randint(2, 5), "referred-to-ombudsman")


def ombudsman_when_stage_1_overdue(r: Record, rng: random.Random) -> None:
    """To the Ombudsman with the stage 1 answer past even its longest limit: not premature."""
    r.from_(r.received, rng.randint(25, 40), "referred-to-ombudsman")


def ombudsman_after_stage_2(r: Record, rng: random.Random) -> None:
    """To the Ombudsman after the stage 2 answer instead of asking for a panel: premature."""
    answer_stage_1(r, rng, rng.randint(3, 25))
    stage_2(r, rng)
    r.after(rng.randint(3, 15), "referred-to-ombudsman")


def ombudsman_when_stage_2_overdue(r: Record, rng: random.Random) -> None:
    """Stage 2 unanswered past even its longest limit: not premature."""
    answer_stage_1(r, rng, rng.randint(3, 25))
    requested = request_stage_2(r, rng)
    r.from_(requested, rng.randint(75, 95), "referred-to-ombudsman")


def ombudsman_after_settlement(r: Record, rng: random.Random) -> None:
    """Answered, settled, then the Ombudsman: after the council's procedure ended."""
    answer_stage_1(r, rng, rng.randint(3, 25))
    settle(r, rng, rng.randint(5, 20))
    r.after(rng.randint(10, 40), "referred-to-ombudsman")


def answered_after_the_year_end(r: Record, rng: random.Random) -> None:
    """Received late in 2024-25 and answered in the next year, some through stage 2: open as of
    the year's end, decided by October."""
    answer_stage_1(r, rng, rng.randint(8, 35))
    if rng.random() < 0.4:
        stage_2(r, rng, rng.randint(12, 60))


def no_further_events(r: Record, rng: random.Random) -> None:
    """For ineligible and redirected representations: the council writes and closes them, or
    the records simply stop."""
    if rng.random() < 0.5:
        settle(r, rng, rng.randint(2, 10))


def redirected_but_answered(r: Record, rng: random.Random) -> None:
    """Sent elsewhere by a rule, though the records carry a stage 1 answer: still not a
    complaint for this procedure."""
    answer_stage_1(r, rng, rng.randint(3, 15))


# -- facts ----------------------------------------------------------------------------------------


def base_facts(rng: random.Random, received: dt.date) -> dict[str, Any]:
    """Facts on which no eligibility rule fires."""
    facts: dict[str, Any] = {
        "complainant": {"role": rng.choice(ROLES)},
        "on_behalf_of_child": False,
        "matter_date": (received - dt.timedelta(days=rng.randint(10, 150))).isoformat(),
        "about_council_actions": True,
        "previously_completed_all_stages": False,
        "concurrent_proceedings": [],
        "safeguarding_concern": False,
        "subject": rng.choice(SUBJECTS),
    }
    if rng.random() < 0.15:  # for a child able to say, who agrees
        facts["on_behalf_of_child"] = True
        facts["child"] = {"able_to_consent": True}
        facts["complainant"]["consent_from_child"] = True
    if rng.random() < 0.1:
        facts["complex"] = True
    if rng.random() < 0.05:
        facts["advocate_required"] = True
    if rng.random() < 0.85:
        facts["service_area"] = rng.choice(SERVICE_AREAS)
    if rng.random() < 0.85:
        facts["point_of_receipt"] = rng.choice(POINTS_OF_RECEIPT)
    return facts


def _role(role: str) -> Callable[[dict[str, Any], dt.date], None]:
    def change(facts: dict[str, Any], received: dt.date) -> None:
        facts["complainant"]["role"] = role

    return change


def _set(**values: Any) -> Callable[[dict[str, Any], dt.date], None]:
    def change(facts: dict[str, Any], received: dt.date) -> None:
        facts.update(values)

    return change


def _child_refuses(facts: dict[str, Any], received: dt.date) -> None:
    facts.update(on_behalf_of_child=True, child={"able_to_consent": True})
    facts["complainant"]["consent_from_child"] = False


def _old_matter(facts: dict[str, Any], received: dt.date) -> None:
    facts["matter_date"] = (received - dt.timedelta(days=550)).isoformat()


def _settled_next_day(facts: dict[str, Any], received: dt.date) -> None:
    facts["settled_on"] = add_working_days(received, 1).isoformat()


def _undecided_interest(facts: dict[str, Any], received: dt.date) -> None:
    facts["complainant"].update(role="person-with-sufficient-interest", sufficient_interest_decided=False)  # fmt: skip


def _decided_interest(facts: dict[str, Any], received: dt.date) -> None:
    facts["complainant"].update(role="person-with-sufficient-interest", sufficient_interest_decided=True)  # fmt: skip


def _other_and_school(facts: dict[str, Any], received: dt.date) -> None:
    facts["complainant"]["role"] = "other"
    facts["subject"] = "school-admissions"


# -- the caseload ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A shape of case: its events, how many (the councils in turn), the facts it changes (the
    eligibility rule they make fire, in words), the councils it applies to, and when received."""

    shape: Shape
    count: int
    facts: Callable[[dict[str, Any], dt.date], None] | None = None
    fires: str = ""
    councils: tuple[str, ...] = COUNCILS
    received: tuple[dt.date, dt.date] | None = None


LATE_IN_THE_YEAR = (dt.date(2025, 2, 10), dt.date(2025, 3, 28))
KINDS = (
    Kind(answered_in_time, 24),
    Kind(answered_extended, 15),
    Kind(answered_late, 15),
    Kind(answered_without_outcome, 6),
    Kind(stage_1_open, 12),
    Kind(through_stage_2, 18),
    Kind(through_stage_3, 12),
    Kind(through_stage_3_then_ombudsman, 6),
    Kind(delay_then_withdrawn_at_stage_2, 12),
    Kind(delay_then_settled_at_stage_2, 12),
    Kind(delay_then_answered_at_stage_2, 9),
    Kind(delay_then_through_stage_3, 9),
    Kind(answered_after_escalation, 6),
    Kind(withdrawn_at_stage_1, 15),
    Kind(settled_at_stage_1, 15),
    Kind(withdrawn_at_stage_2_after_answer, 12),
    Kind(stage_2_open, 9),
    Kind(settled_before_panel, 9),
    Kind(settled_after_panel, 6),
    Kind(withdrawn_at_stage_3, 6),
    Kind(stage_3_open, 6),
    Kind(ombudsman_premature_at_stage_1, 6),
    Kind(ombudsman_when_stage_1_overdue, 6),
    Kind(ombudsman_after_stage_2, 6),
    Kind(ombudsman_when_stage_2_overdue, 6),
    Kind(ombudsman_after_settlement, 6),
    Kind(answered_after_the_year_end, 18, received=LATE_IN_THE_YEAR),
    Kind(stage_1_open, 6, received=LATE_IN_THE_YEAR),
    # eligibility: the decision each gives, and the rule that fires
    Kind(answered_in_time, 6, _old_matter, "time-limit (discretion): counted valid"),
    Kind(answered_in_time, 3, _undecided_interest, "sufficient-interest (discretion): valid"),
    Kind(answered_in_time, 3, _decided_interest, "none (sufficient interest decided): valid"),
    Kind(answered_in_time, 3, _set(concurrent_proceedings=["court"]), "concurrent-proceedings (discretion): valid"),
    Kind(no_further_events, 6, _role("other"), "who-may-complain: ineligible"),
    Kind(no_further_events, 6, _set(about_council_actions=False), "not-about-the-council: ineligible"),
    Kind(no_further_events, 6, _child_refuses, "child-consent: ineligible"),
    Kind(no_further_events, 4, _set(previously_completed_all_stages=True), "already-considered: ineligible", ("cheshire-west",)),
    Kind(no_further_events, 6, _set(subject="school-admissions"), "not-social-care: redirect"),
    Kind(no_further_events, 3, _set(subject="special-educational-needs"), "not-social-care: redirect"),
    Kind(redirected_but_answered, 3, _set(subject="special-educational-needs"), "not-social-care: redirect"),
    Kind(no_further_events, 3, _other_and_school, "who-may-complain and not-social-care: redirect outranks"),
    Kind(no_further_events, 3, _set(safeguarding_concern=True), "safeguarding: redirect", ("cheshire-west",)),
    Kind(no_further_events, 3, _settled_next_day, "settled-next-day: redirect", ("cheshire-west",)),
    Kind(no_further_events, 3, _set(subject="data-protection"), "data-protection: ineligible", ("cheshire-west",)),
    Kind(no_further_events, 2, _set(subject="child-protection-conference"), "child-protection-conference: redirect", ("cheshire-west",)),
)  # fmt: skip


def received_day(rng: random.Random, between: tuple[dt.date, dt.date] | None) -> dt.date:
    """A day in `between` (else in one of PERIODS); nearly always a working day, now and then a
    weekend or bank holiday, as an online form receives them."""
    first, last = between or rng.choices([p[:2] for p in PERIODS], [p[2] for p in PERIODS])[0]
    day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
    if rng.random() < 0.93:
        day = add_working_days(day - dt.timedelta(days=1), 1)
    return min(day, last) if between else day


def caseload(seed: int = 23) -> list[dict[str, Any]]:
    """Every case, in the order made, as the plain data a .jsonl line holds."""
    rng = random.Random(seed)
    cases = []
    for kind_number, kind in enumerate(KINDS, 1):
        for n in range(kind.count):
            council = kind.councils[n % len(kind.councils)]
            received = received_day(rng, kind.received)
            facts = base_facts(rng, received)
            if kind.facts is not None:
                kind.facts(facts, received)
            record = Record(f"{council[:3].upper()}-{kind_number:02d}-{n + 1:02d}", council, facts)
            record.on(received, "complaint-received")
            acknowledge(record, rng)
            kind.shape(record, rng)
            cases.append(
                {
                    "case": record.reference,
                    "procedure": f"{council}/csc-statutory",
                    "facts": record.facts,
                    "events": record.events,
                }
            )
    rng.shuffle(cases)
    return cases


def write_jsonl(path: Path, seed: int = 23) -> Path:
    """The caseload as a .jsonl file, one case a line."""
    path.write_text(
        "".join(json.dumps(case, sort_keys=True) + "\n" for case in caseload(seed)),
        encoding="utf-8",
    )
    return path
