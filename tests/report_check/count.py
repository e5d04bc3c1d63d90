"""Count a caseload as the annual report's specification says, without csc_rules.

    python tests/report_check/count.py CASES.jsonl --year 2024-25 [--as-of 2025-03-31]
        [--years 5] [--council cheshire-west]

prints, as JSON, the figures `csc-rules report --format json` prints: representations, outcomes
and response times at each stage, escalations, who complained, about what, in which service,
where it came in, the Ombudsman, and the cases left out; for the year and the years before it.

It is a second, independent reading of the counting rules (the lead's specification for issue
23): it imports nothing from csc_rules and reads none of the library's files. What it knows is
typed here: England's bank holidays, the report's stages, the few eligibility rules and time
limits the generated caseload (caseload.py) touches. It implements only what that caseload
holds, and refuses anything else (an event it does not know, two events on one day, a referral
while a review panel is under way), so that a change to the generator is never counted wrongly
in silence. Where the specification left something to the engine's replay, the comment says
"read from the engine" and names where.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# -- England's working days ----------------------------------------------------------------------

# England's bank holidays, typed from the gov.uk list (https://www.gov.uk/bank-holidays, England
# and Wales), with the one-off days (the Platinum Jubilee 2022-06-03, the State Funeral
# 2022-09-19, the Coronation 2023-05-08) and the substitute days for holidays at a weekend.
BANK_HOLIDAYS = frozenset(
    dt.date.fromisoformat(day)
    for day in (
        # 2022
        "2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03",
        "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27",
        # 2023
        "2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29",
        "2023-08-28", "2023-12-25", "2023-12-26",
        # 2024
        "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26",
        "2024-12-25", "2024-12-26",
        # 2025
        "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
        "2025-12-25", "2025-12-26",
        # 2026
        "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
        "2026-12-25", "2026-12-28",
        # 2027
        "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
        "2027-12-27", "2027-12-28",
    )
)  # fmt: skip
FIRST_DAY, LAST_DAY = dt.date(2022, 1, 1), dt.date(2027, 12, 31)


def is_working_day(day: dt.date) -> bool:
    """Neither a Saturday, a Sunday nor a bank holiday of England."""
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def _running_count() -> list[int]:
    """For each day of the calendar, the working days from FIRST_DAY up to it."""
    counts, total = [], 0
    for offset in range((LAST_DAY - FIRST_DAY).days + 1):
        total += is_working_day(FIRST_DAY + dt.timedelta(days=offset))
        counts.append(total)
    return counts


_COUNTS = _running_count()


def _index(day: dt.date) -> int:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{day} is outside {FIRST_DAY}..{LAST_DAY}, the years typed here")
    return (day - FIRST_DAY).days


def working_days(start: dt.date, end: dt.date) -> int:
    """The working days D with start < D <= end (start itself never counts); 0 if end is not
    after start."""
    if end <= start:
        return 0
    return _COUNTS[_index(end)] - _COUNTS[_index(start)]


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `start`."""
    day = start
    while count > 0:
        day += dt.timedelta(days=1)
        _index(day)
        count -= is_working_day(day)
    return day


# -- the report's stages (from rules/vocabulary.yaml) --------------


@dataclass(frozen=True)
class Stage:
    id: str
    opened_by: str
    answered_by: str
    timed_to: str
    bands: tuple[int, ...]
    in_time_within: int


STAGES = (
    Stage("stage-1", "complaint-received", "stage-1-response-sent", "stage-1-response-sent", (10, 20), 20),
    Stage("stage-2", "stage-2-requested", "stage-2-response-sent", "stage-2-response-sent", (25, 65), 65),
    Stage("stage-3", "stage-3-requested", "stage-3-response-sent", "panel-held", (30,), 30),
)  # fmt: skip
OUTCOMES = ("upheld", "partially-upheld", "not-upheld")
OUTCOME_COLUMNS = (*OUTCOMES, "not-recorded", "escalated", "open", "withdrawn", "settled", "referred", "total")  # fmt: skip
# The column of an unanswered stage with no later stage, by how the case stands on the as-of day.
UNANSWERED = {
    "open": "open",
    "withdrawn": "withdrawn",
    "resolved": "settled",
    "referred-to-ombudsman": "referred",
}
BREAKDOWNS = (
    ("complainants", "complainant.role"),
    ("subjects", "subject"),
    ("service_areas", "service_area"),
    ("points_of_receipt", "point_of_receipt"),
)
NOT_RECORDED = "not recorded"
COUNCILS = ("sefton", "islington", "cheshire-west")

# -- the case records ----------------------------------------------------------------------------

# The events the generated caseload uses; anything else is refused (see the module's docstring).
KNOWN_EVENTS = frozenset(
    {
        "complaint-received", "acknowledged", "stage-1-extended", "stage-1-response-sent",
        "stage-2-requested", "stage-2-started", "stage-2-extended",
        "investigation-report-received", "stage-2-response-sent", "meeting-held",
        "stage-3-requested", "panel-scheduled", "panel-papers-sent", "panel-held",
        "panel-report-sent", "stage-3-response-sent", "resolved", "withdrawn",
        "withdrawal-confirmed", "referred-to-ombudsman",
    }
)  # fmt: skip
# The events that end a case, and the end they give (baseline `states:`: a stage 3 response
# leads to `resolved`).
ENDINGS = {
    "withdrawn": "withdrawn",
    "resolved": "resolved",
    "stage-3-response-sent": "resolved",
    "referred-to-ombudsman": "referred-to-ombudsman",
}
REFERRAL = "referred-to-ombudsman"


@dataclass(frozen=True)
class Event:
    date: dt.date
    name: str
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class Case:
    reference: str
    council: str
    facts: Mapping[str, Any]  # flattened: {"complainant.role": "parent"}
    events: tuple[Event, ...]

    @property
    def received(self) -> dt.date:
        return self.events[0].date


def _flatten(facts: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in facts.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def read_cases(path: Path) -> Iterator[Case]:
    """The cases of a .jsonl file, one a line, each checked for what this script implements."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            data = json.loads(line)
            council, _, procedure = data["procedure"].partition("/")
            if council not in COUNCILS or procedure != "csc-statutory":
                raise ValueError(
                    f"{path}:{number}: procedure {data['procedure']} is not counted here"
                )
            events = tuple(
                Event(
                    dt.date.fromisoformat(e["date"]),
                    e["event"],
                    {k: v for k, v in e.items() if k not in ("date", "event")},
                )
                for e in data["events"]
            )
            _check_events(f"{path}:{number}", events)
            yield Case(data["case"], council, _flatten(data.get("facts", {})), events)


def _check_events(where: str, events: tuple[Event, ...]) -> None:
    unknown = sorted({e.name for e in events} - KNOWN_EVENTS)
    if unknown:
        raise ValueError(f"{where}: events not implemented here: {', '.join(unknown)}")
    days = [e.date for e in events]
    if days != sorted(days) or len(set(days)) != len(days):
        # The engine orders a day's events by the procedure; the generator never needs it to.
        raise ValueError(f"{where}: the events must be on different days, in order")
    if events[0].name != "complaint-received":
        raise ValueError(f"{where}: the first event must be complaint-received")


# -- eligibility: the rules the caseload's facts can fire, typed from the procedures' `rules:` ---


def _months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def _fires(rule: str, facts: Mapping[str, Any], received: dt.date) -> bool:
    role = facts["complainant.role"]
    if rule == "who-may-complain":
        return bool(role == "other")
    if rule == "sufficient-interest":
        decided = facts.get("complainant.sufficient_interest_decided") is True
        return bool(role == "person-with-sufficient-interest" and not decided)
    if rule == "child-consent":
        return bool(
            facts["on_behalf_of_child"] is True
            and facts["child.able_to_consent"] is True
            and facts["complainant.consent_from_child"] is False
        )
    if rule == "time-limit":  # the matter is more than 12 months older than the receipt
        return dt.date.fromisoformat(facts["matter_date"]) < _months_before(received, 12)
    if rule == "not-about-the-council":
        return facts["about_council_actions"] is False
    if rule == "concurrent-proceedings":
        kinds = {"court", "tribunal", "disciplinary", "criminal"}
        return bool(kinds & set(facts["concurrent_proceedings"]))
    if rule == "not-social-care":
        return facts["subject"] in ("school-admissions", "special-educational-needs")
    if rule == "safeguarding":
        return facts["safeguarding_concern"] is True
    if rule == "settled-next-day":  # put right by the end of the next working day
        settled = facts.get("settled_on")
        return settled is not None and dt.date.fromisoformat(settled) <= add_working_days(
            received, 1
        )
    if rule == "data-protection":
        return bool(facts["subject"] == "data-protection")
    if rule == "child-protection-conference":
        return bool(facts["subject"] == "child-protection-conference")
    if rule == "already-considered":
        return facts["previously_completed_all_stages"] is True
    raise ValueError(f"rule {rule} is not implemented here")


# (rule, decision), in the order the procedure considers them; baseline/csc-statutory's for every
# council, and Cheshire West's own (its `safeguarding` stops the rest).
BASELINE_RULES = (
    ("who-may-complain", "ineligible"),
    ("sufficient-interest", "discretion"),
    ("child-consent", "ineligible"),
    ("time-limit", "discretion"),
    ("not-about-the-council", "ineligible"),
    ("concurrent-proceedings", "discretion"),
    ("not-social-care", "redirect"),
)
RULES = {
    "sefton": BASELINE_RULES,
    "islington": BASELINE_RULES,
    "cheshire-west": (
        ("safeguarding", "redirect"),
        ("settled-next-day", "redirect"),
        *BASELINE_RULES,
        ("data-protection", "ineligible"),  # an exemption in its annual report, with no route named
        ("child-protection-conference", "redirect"),
        ("already-considered", "ineligible"),
    ),
}
STOPPING_RULES = frozenset({"safeguarding"})
STRENGTH = ("redirect", "ineligible", "discretion")  # the strongest rule that fires decides


def eligibility(case: Case) -> str:
    """redirect, ineligible, discretion or eligible."""
    fired = set()
    for rule, decision in RULES[case.council]:
        if _fires(rule, case.facts, case.received):
            fired.add(decision)
            if rule in STOPPING_RULES:
                break
    return next((decision for decision in STRENGTH if decision in fired), "eligible")


# -- the council duties a referral is judged against (premature or not) ---------------------------


@dataclass(frozen=True)
class Duty:
    """A council duty, typed from the procedures' `duties:` (only those running before stage 3)."""

    id: str
    anchor: str
    limit: int  # working days
    met_by: str
    longest: int = 0  # the most an extension may make it
    lengthened_by: tuple[str, ...] = ()  # facts that, when true, give it the longest limit
    extended_by: str | None = None  # an event that extends it to its `limit` field
    stopped_by: str | None = None  # an event that moves the case past it while it is unmet


STAGE_1_RESPONSE = Duty(
    "stage-1-response", "complaint-received", 10, "stage-1-response-sent", 20,
    ("complex", "advocate_required"), "stage-1-extended", "stage-2-requested",
)  # fmt: skip
DUTIES = {
    "sefton": (
        STAGE_1_RESPONSE,
        Duty("acknowledgement", "complaint-received", 3, "acknowledged"),
        Duty("stage-2-response", "stage-2-requested", 25, "stage-2-response-sent", 65, (), "stage-2-extended"),
    ),
    "islington": (
        STAGE_1_RESPONSE,
        Duty("acknowledgement", "complaint-received", 2, "acknowledged"),
        # Islington's clock starts when the statement of complaint is agreed.
        Duty("stage-2-response", "stage-2-started", 25, "stage-2-response-sent", 65, (), "stage-2-extended"),
    ),
    "cheshire-west": (
        STAGE_1_RESPONSE,
        # Cheshire West times the investigation (to the report), then its response to the report.
        Duty("stage-2-response", "stage-2-requested", 25, "investigation-report-received", 65, ("complex",), "stage-2-extended"),
        Duty("stage-2-report-response", "investigation-report-received", 10, "stage-2-response-sent"),
    ),
}  # fmt: skip
STAGE_3_UNDER_WAY = frozenset({"stage-3-requested"})


def _overdue(duty: Duty, case: Case, before: list[Event], day: dt.date) -> bool:
    """Whether `duty` is overdue on `day`, given the events before it: started, neither met nor
    moved past, and its due day (as extended) before `day`. Read from the engine
    (csc_rules/cases/interpreter.py `_end`, clocks.py `Clock.overdue_on` and `extend`): the spec
    says only "no council duty overdue"."""
    start = next((e.date for e in before if e.name == duty.anchor), None)
    if start is None:
        return False
    amount = duty.limit
    if any(case.facts.get(fact) is True for fact in duty.lengthened_by):
        amount = duty.longest
    for event in before:
        if event.date <= start:
            continue
        if event.name in (duty.met_by, duty.stopped_by):
            return False
        if event.name == duty.extended_by:
            if event.date > add_working_days(start, amount):
                continue  # an extension after the limit had passed is set aside
            amount = max(amount, min(int(event.fields.get("limit", duty.longest)), duty.longest))
    return add_working_days(start, amount) < day


def premature(case: Case, before: list[Event], day: dt.date) -> bool:
    """A referral on `day`, with the case not yet ended: premature when no council duty is
    overdue that day."""
    if any(e.name in STAGE_3_UNDER_WAY for e in before):
        raise ValueError(f"{case.reference}: a referral during stage 3 is not implemented here")
    return not any(_overdue(duty, case, before, day) for duty in DUTIES[case.council])


# -- where a case stands on the as-of day ----------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    status: str  # open, withdrawn, resolved, referred-to-ombudsman
    ended_on: dt.date | None  # the day it ended (the first ending)
    referred: bool
    premature: bool


def standing(case: Case, events: list[Event]) -> Standing:
    """The case replayed through the events that had happened by the as-of day."""
    status, ended_on, referred, early = "open", None, False, False
    for index, event in enumerate(events):
        if event.name == REFERRAL:
            referred = True
            if status == "open":
                early = premature(case, events[:index], event.date)
        if event.name in ENDINGS and status == "open":
            status, ended_on = ENDINGS[event.name], event.date
        elif event.name == REFERRAL:
            status = REFERRAL  # to the Ombudsman after the council's procedure ended
        elif status != "open" and event.name != "withdrawal-confirmed":
            raise ValueError(
                f"{case.reference}: {event.name} after the case ended is not implemented here"
            )
    return Standing(status, ended_on, referred, early)


# -- counting ---------------------------------------------------------------------------------


@dataclass
class YearCounts:
    representations: Counter[str] = field(default_factory=Counter)
    outcomes: dict[str, Counter[str]] = field(default_factory=dict)
    times: dict[str, Counter[str]] = field(default_factory=dict)
    breakdowns: dict[str, Counter[str]] = field(default_factory=dict)
    ombudsman: Counter[str] = field(default_factory=Counter)


def _first(events: Iterable[Event], name: str, since: dt.date) -> Event | None:
    return next((e for e in events if e.name == name and e.date >= since), None)


@dataclass(frozen=True)
class Reached:
    """A stage a case reached: the day it opened, its answer and the event it is timed to (each
    the first on or after the opening), and the day a later stage opened."""

    stage: Stage
    opened: dt.date
    answer: Event | None
    timed: Event | None
    later: dt.date | None


class Counting:
    """The counting rules of docs/complaints-managers.md ("The annual report"), one method a rule, so that each can be read
    beside the section it follows."""

    # The columns and rows each year's document gives.
    outcome_columns: tuple[str, ...] = OUTCOME_COLUMNS
    time_rows: tuple[str, ...] = ("outside", "ended", "pending", "total")  # after the bands
    left_out_keys: tuple[str, ...] = ("received_after_as_of", "other_years", "other_councils")

    def left_out(self, case: Case, as_of: dt.date, council: str | None, shown: list[str]) -> str:
        """Section 0: why a case is not counted ("" when it is)."""
        if case.received > as_of:
            return "received_after_as_of"
        if council is not None and case.council != council:
            return "other_councils"
        return "" if year_of(case.received) in shown else "other_years"

    def kind(self, case: Case, events: list[Event], where: Standing) -> str:
        """Section 1: valid, ineligible or not_pursued."""
        decision = eligibility(case)
        if decision == "ineligible":
            return "ineligible"
        names = {e.name for e in events}
        later = names & {"stage-1-response-sent", "stage-2-requested", "stage-3-requested"}
        ended_at_stage_1 = where.status in ("withdrawn", "resolved") and not later
        if decision == "redirect" or ended_at_stage_1:
            return "not_pursued"
        return "valid"

    def outcome(self, reached: Reached, where: Standing) -> str:
        """Section 2: the stage's one outcome column."""
        if reached.answer is not None:
            recorded = reached.answer.fields.get("outcome")
            return str(recorded) if recorded in OUTCOMES else "not-recorded"
        if reached.later is not None:
            return "escalated"
        return UNANSWERED[where.status]

    def time(self, reached: Reached, where: Standing, as_of: dt.date) -> tuple[str, bool | None]:
        """Section 3: the stage's response-time row, and whether it counts in the in-time rate
        (True in time, False not, None left out of it)."""
        stage = reached.stage
        if reached.timed is not None:
            took = working_days(reached.opened, reached.timed.date)
            row = next((f"within-{b}" for b in stage.bands if took <= b), "outside")
            return row, took <= stage.in_time_within
        stopped = reached.later or where.ended_on
        if working_days(reached.opened, stopped or as_of) > stage.in_time_within:
            return "outside", False
        return ("ended" if stopped else "pending"), None


SPEC = Counting()


def count_case(counts: YearCounts, case: Case, as_of: dt.date, counting: Counting) -> None:
    events = [e for e in case.events if e.date <= as_of]
    where = standing(case, events)
    representation = counting.kind(case, events, where)
    counts.representations[representation] += 1
    if representation != "valid":
        return
    opened = [(s, e.date) for s in STAGES if (e := _first(events, s.opened_by, dt.date.min))]
    for index, (stage, day) in enumerate(opened):
        later = opened[index + 1][1] if index + 1 < len(opened) else None
        answer, timed = _first(events, stage.answered_by, day), _first(events, stage.timed_to, day)
        reached = Reached(stage, day, answer, timed, later)
        outcomes = counts.outcomes.setdefault(stage.id, Counter())
        outcomes[counting.outcome(reached, where)] += 1
        outcomes["total"] += 1
        row, in_time = counting.time(reached, where, as_of)
        times = counts.times.setdefault(stage.id, Counter())
        times[row] += 1
        times["total"] += 1
        times["measured"] += in_time is not None
        times["in_time"] += in_time is True
    for key, fact in BREAKDOWNS:
        value = case.facts.get(fact)
        counts.breakdowns.setdefault(key, Counter())[
            NOT_RECORDED if value is None else str(value)
        ] += 1
    counts.ombudsman["referred"] += where.referred
    counts.ombudsman["premature"] += where.referred and where.premature


# -- the report ----------------------------------------------------------------------------------


def year_of(day: dt.date) -> str:
    first = day.year if (day.month, day.day) >= (4, 1) else day.year - 1
    return f"{first}-{str(first + 1)[-2:]}"


def year_document(label: str, counts: YearCounts | None, counting: Counting) -> dict[str, Any]:
    """The figures of a year; a year with no records has none (null), never 0."""
    if counts is None:
        return no_figures(year_document(label, YearCounts(), counting))
    first = int(label[:4])
    representations = counts.representations
    data: dict[str, Any] = {
        "year": label,
        "from": dt.date(first, 4, 1).isoformat(),
        "to": dt.date(first + 1, 3, 31).isoformat(),
        "representations": {
            "total": sum(representations.values()),
            "valid": representations["valid"],
            "ineligible": representations["ineligible"],
            "not_pursued": representations["not_pursued"],
        },
        "outcomes": {},
        "escalations": {},
        "response_times": {},
    }
    for index, stage in enumerate(STAGES):
        outcomes = counts.outcomes.get(stage.id, Counter())
        columns = counting.outcome_columns
        data["outcomes"][stage.id] = {column: outcomes[column] for column in columns}
        if index:
            data["escalations"][stage.id] = outcomes["total"]
        times = counts.times.get(stage.id, Counter())
        rows = [f"within-{b}" for b in stage.bands] + list(counting.time_rows)
        measured = times["measured"]
        data["response_times"][stage.id] = {
            **{row: times[row] for row in rows},
            "in_time_percent": 100 * times["in_time"] // measured if measured else None,
        }
    for key, _ in BREAKDOWNS:
        found = counts.breakdowns.get(key, Counter())
        data[key] = dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))
    data["ombudsman"] = {key: counts.ombudsman[key] for key in ("referred", "premature")}
    return data


def no_figures(value: Any, key: str = "") -> Any:
    """`value` with every figure null (the year and its dates kept)."""
    if isinstance(value, dict):
        return {k: no_figures(v, k) for k, v in value.items()}
    return value if key in ("year", "from", "to") else None


def report(
    cases: Iterable[Case], year: str, as_of: dt.date | None = None, years: int = 5,
    council: str | None = None, counting: Counting = SPEC,
) -> dict[str, Any]:  # fmt: skip
    """The figures of `year` and the `years - 1` years before it, as of `as_of` (default the last
    day of `year`)."""
    first = int(year[:4])
    as_of = as_of or dt.date(first + 1, 3, 31)
    shown = [f"{y}-{str(y + 1)[-2:]}" for y in range(first, first - years, -1)]
    counts: dict[str, YearCounts] = {}
    left_out = Counter({key: 0 for key in counting.left_out_keys})
    for case in cases:
        reason = counting.left_out(case, as_of, council, shown)
        if reason:
            left_out[reason] += 1
        else:
            label = year_of(case.received)
            count_case(counts.setdefault(label, YearCounts()), case, as_of, counting)
    data = year_document(year, counts.get(year), counting)
    data["previous_years"] = [
        year_document(label, counts.get(label), counting) for label in shown[1:]
    ]
    data["as_of"] = as_of.isoformat()
    data["left_out"] = dict(left_out)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", type=Path, help="a .jsonl file of cases, one a line")
    parser.add_argument("--year", required=True, help="the reporting year, e.g. 2024-25")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--council", default=None)
    args = parser.parse_args(argv)
    data = report(read_cases(args.cases), args.year, args.as_of, args.years, args.council)
    json.dump(data, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
