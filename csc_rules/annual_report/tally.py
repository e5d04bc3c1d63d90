"""The statutory annual report, counted from replayed case records.

Each case is replayed, then reduced (in the worker that replayed it) to one small `Counted`
record: its identity and a digest of its record, its year, what kind of representation it was,
and what happened at each stage it reached. `Tally` adds the records up into the report's
tables, so a caseload of any size is counted in the same memory. What the report counts with
(the year, each stage's opening and answering events, the response-time bands) is the
`annual_report` section of rules/vocabulary.yaml; how it counts is written here once, each rule
beside the words the report's footnotes give for it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..cases.case import OUTCOMES, Case, CaseEvent
from ..cases.interpreter import RESOLVED
from ..cases.results import INELIGIBLE as DECIDED_INELIGIBLE
from ..cases.results import REDIRECTED, Result
from ..language.stage_graph import REFERRED, WITHDRAWN
from ..procedures.compiler import CompiledProcedure
from .categories import Categories
from .measures import MeasureFrame, Measures, YearMeasures, measure_case

# How a representation is counted in the first table.
VALID, INELIGIBLE, NOT_PURSUED = "valid", "ineligible", "not_pursued"
OPEN = "open"
REFERENCES_KEPT = 20  # case references kept per warning code, so memory stays bounded
REFUSALS_KEPT = 100  # refused records listed in the report; the rest are counted
# The facts the report counts cases by, each with its own table.
REPORTED_FACTS = ("complainant.role", "subject", "service_area", "point_of_receipt")
# The subjects a complaint raises beside its primary `subject`: counted in the table of every
# subject raised, in the subject's categories.
FURTHER_SUBJECTS = "further_subjects"
# Why a case read is not counted (the keys of `left_out`, beside `other_years`).
AFTER_AS_OF, OTHER_COUNCILS = "received_after_as_of", "other_councils"

# Each stage a valid case reached is counted in exactly one outcome column, so that the columns
# add up to the stage's total: (column, its label, the rule in words). `_outcome` is the rule.
OUTCOME_COLUMNS: tuple[tuple[str, str, str], ...] = (
    *(
        (o, o.replace("-", " ").capitalize(), "the outcome the stage's answer records")
        for o in OUTCOMES
    ),
    (
        "not-recorded",
        "Answered, outcome not recorded",
        "answered, with no outcome (or another word) recorded",
    ),
    (
        "escalated",
        "Escalated before an answer",
        "not answered, and a later stage was asked for (escalated on delay)",
    ),
    (
        OPEN,
        "Not yet answered",
        "not answered, no later stage, and the case still open on the as-of date",
    ),
    (
        "withdrawn",
        "Withdrawn before an answer",
        "not answered, no later stage, and the complaint withdrawn",
    ),
    (
        "settled",
        "Settled without a formal answer",
        "not answered, no later stage, and the case resolved",
    ),
    (
        "referred",
        "Referred to the Ombudsman before an answer",
        "not answered, no later stage, and the complaint taken to the Ombudsman",
    ),
)
# The outcome column of a stage left unanswered by a case that ended: by how it ended.
UNANSWERED_ENDS = {WITHDRAWN: "withdrawn", RESOLVED: "settled", REFERRED: "referred"}
# The response-time rows after the bands (`within-<days>`): (row, its label, the rule in
# words). `_stage` is the rule.
OUTSIDE, ENDED, PENDING = "outside", "ended", "pending"
TIME_ROWS: tuple[tuple[str, str, str], ...] = (
    (
        OUTSIDE,
        "Outside the statutory timescale",
        "answered after the limit; or not answered, and stopped (by a later stage or the end "
        "of the case) or still running on the as-of date more than the limit after it opened",
    ),
    (
        ENDED,
        "Ended before an answer",
        "not answered, and stopped within the limit by a later stage or the end of the case: "
        "neither in time nor late",
    ),
    (
        PENDING,
        "Not yet answered, still in time",
        "not answered, still running on the as-of date, within the limit",
    ),
)


@dataclass(frozen=True)
class Stage:
    """How one stage is counted (from rules/vocabulary.yaml)."""

    id: str
    opened_by: str
    answered_by: str
    timed_to: str
    bands: tuple[int, ...]
    in_time_within: int

    @property
    def band_names(self) -> tuple[str, ...]:
        return (*(f"within-{b}" for b in self.bands), OUTSIDE)

    def band(self, days: int) -> str:
        return next((f"within-{b}" for b in self.bands if days <= b), OUTSIDE)


@dataclass(frozen=True)
class Frame:
    """The counting rules of the report."""

    description: str
    year_starts: tuple[int, int]  # (month, day)
    stages: tuple[Stage, ...]
    sources: tuple[str, ...]
    # each council's own categories, by fact (its council.yaml's `report: categories:`)
    categories: Mapping[str, Mapping[str, Categories]] = field(default_factory=dict)
    measures: MeasureFrame = MeasureFrame()  # what the further measures count with

    @classmethod
    def of(
        cls,
        data: Mapping[str, Any],
        categories: Mapping[str, Mapping[str, Categories]] | None = None,
    ) -> Frame:
        month, day = (int(part) for part in str(data["year_starts"]).split("-"))
        stages = tuple(
            Stage(
                stage_id,
                s["opened_by"],
                s["answered_by"],
                s.get("timed_to", s["answered_by"]),
                tuple(sorted(s["bands"])),
                int(s["in_time_within"]),
            )
            for stage_id, s in data["stages"].items()
        )
        return cls(
            str(data["description"]),
            (month, day),
            stages,
            tuple(data["sources"]),
            dict(categories or {}),
            MeasureFrame.of(data),
        )

    def year(self, label: str) -> tuple[dt.date, dt.date]:
        """The first and last day of the reporting year `2024-25`."""
        first = int(label.split("-")[0])
        month, day = self.year_starts
        start = dt.date(first, month, day)
        end = dt.date(first + 1, month, day) - dt.timedelta(days=1)
        return start, end

    def year_of(self, day: dt.date) -> str:
        """The label of the reporting year a day falls in."""
        month, start_day = self.year_starts
        first = day.year if (day.month, day.day) >= (month, start_day) else day.year - 1
        return f"{first}-{str(first + 1)[-2:]}"


@dataclass(frozen=True)
class StageRecord:
    """What happened to one case at one stage it reached."""

    stage: str
    outcome: str  # its outcome column (OUTCOME_COLUMNS)
    time: str  # its response-time row: a band, outside, ended or pending
    days: int | None  # working days to the stage's `timed_to` event, if it came
    in_time: bool  # answered within the stage's limit
    duty: str | None  # the stage's duty as the procedure's own rules judged it, if it has one
    extended: bool = False  # the duty's limit was extended


@dataclass(frozen=True)
class Counted:
    """One case, reduced to what the report counts."""

    key: str  # the council of its procedure and its reference: a case is counted once
    digest: bytes  # of its record (procedure, facts, events): a repeat is the same case or not
    reference: str
    council: str
    year: str
    kind: str = ""  # valid, ineligible, not_pursued; "" when left out
    left_out: str | None = None  # why it is not counted: AFTER_AS_OF or OTHER_COUNCILS
    stages: tuple[StageRecord, ...] = ()
    role: str | None = None
    subject: str | None = None
    further_subjects: tuple[str, ...] = ()
    service_area: str | None = None
    point_of_receipt: str | None = None
    referred: bool = False
    premature: bool = False
    warnings: tuple[str, ...] = ()  # irregularity codes replay found
    problems: tuple[tuple[str, str], ...] = ()  # (code, message) about the record itself
    measures: Measures | None = None  # what it gives the further measures (`measures`)


def record_digest(case: Case) -> bytes:
    """A digest of what a case record says (its procedure, facts and events), the same however
    the record was written (a file, a line, rows of an export)."""
    record = {
        "procedure": case.procedure,
        "facts": dict(case.facts),
        "events": [[e.date.isoformat(), e.event, dict(e.fields)] for e in case.events],
    }
    text = json.dumps(record, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def count_case(
    frame: Frame,
    council: str | None,
    as_of: dt.date,
    procedure: CompiledProcedure,
    case: Case,
    result: Result,
) -> Counted:
    """Reduce one case, replayed as of `as_of`, to what the report counts; left out (and
    saying why) if it was received after `as_of`, or belongs to another council than `council`
    when one is given."""
    own = procedure.id.split("/")[0]
    who = (f"{own}/{case.id}", record_digest(case), case.id, own, frame.year_of(case.received))
    if case.received > as_of:
        return Counted(*who, left_out=AFTER_AS_OF)
    if council is not None and own != council:
        return Counted(*who, left_out=OTHER_COUNCILS)
    problems: list[tuple[str, str]] = []
    warnings = tuple(w.code for w in result.warnings if w.code not in ("redirected",))
    replayed = [e for e in case.events if e.date <= as_of]
    kind = _kind(frame, procedure, result, replayed, problems)
    if kind != VALID:
        return Counted(*who, kind, warnings=warnings, problems=tuple(problems))
    reached = [(s, o) for s in frame.stages if (o := _first(replayed, s.opened_by)) is not None]
    stages = tuple(
        _stage(stage, procedure, replayed, opened, later, result, problems)
        for (stage, opened), later in zip(
            reached, [o.date for _, o in reached[1:]] + [None], strict=True
        )
    )
    measured = measure_case(frame.measures, procedure, case, result, replayed, stages)
    facts = case.facts
    problems += _unknown_categories(frame.categories.get(own, {}), procedure, facts)
    return Counted(
        *who,
        VALID,
        stages=stages,
        role=_text(facts.get("complainant.role")),
        subject=_text(facts.get("subject")),
        further_subjects=tuple(str(s) for s in facts.get(FURTHER_SUBJECTS) or ()),
        service_area=_text(facts.get("service_area")),
        point_of_receipt=_text(facts.get("point_of_receipt")),
        referred=any(e.event == REFERRED for e in replayed),
        premature="premature-referral" in warnings,
        warnings=warnings,
        problems=tuple(problems),
        measures=measured,
    )


def _kind(
    frame: Frame,
    procedure: CompiledProcedure,
    result: Result,
    replayed: Sequence[CaseEvent],
    problems: list[tuple[str, str]],
) -> str:
    """Ineligible when the council recorded that decision, or by the eligibility rules; not
    pursued when the council recorded sending it elsewhere or the rules send it there, or when
    it ended at the first stage (withdrawn or resolved with no answer and no later stage);
    otherwise valid, whatever happens to it later (a referral after the council's decision
    leaves it as that decision counts it)."""
    decided = _decisions(procedure)
    recorded = next((decided[e.event] for e in replayed if e.event in decided), None)
    if recorded == DECIDED_INELIGIBLE:
        return INELIGIBLE
    if recorded == REDIRECTED:
        return NOT_PURSUED
    decision = result.eligibility.decision
    if decision == "ineligible":
        return INELIGIBLE
    if decision == "redirect":
        return NOT_PURSUED
    first, later = frame.stages[0], frame.stages[1:]
    happened = {e.event for e in replayed}
    went_on = first.answered_by in happened or any(s.opened_by in happened for s in later)
    if result.status in (WITHDRAWN, RESOLVED) and not went_on:
        return NOT_PURSUED
    if decision == "undecided":
        needs = ", ".join(sorted({f for _, facts in result.eligibility.needs for f in facts}))
        problems.append(("eligibility-undecided", f"counted as valid; eligibility needs {needs}"))
    return VALID


def _stage(
    stage: Stage,
    procedure: CompiledProcedure,
    events: Sequence[CaseEvent],
    opened: CaseEvent,
    later: dt.date | None,
    result: Result,
    problems: list[tuple[str, str]],
) -> StageRecord:
    """One stage a valid case reached: its outcome column, its response-time row, its duty.
    `later` is the day the next stage it reached was opened, if it went on."""
    answer = _first(events, stage.answered_by, after=opened.date)
    timed = _first(events, stage.timed_to, after=opened.date)
    outcome = _outcome(stage, answer, later is not None, result.status, problems)
    calendar = procedure.calendar
    if timed is not None:
        days = calendar.between(opened.date, timed.date)
        time, in_time = stage.band(days), days <= stage.in_time_within
    else:
        stopped = later
        if stopped is None and result.status != OPEN:
            stopped = _ended_on(procedure, events, opened.date)
        running = calendar.between(opened.date, stopped or result.as_of)
        days, in_time = None, False
        time = OUTSIDE if running > stage.in_time_within else ENDED if stopped else PENDING
    duty = _duty(procedure, stage, result)
    return StageRecord(
        stage.id,
        outcome,
        time,
        days,
        in_time,
        duty.status if duty is not None else None,
        duty is not None and duty.extended,
    )


def _outcome(
    stage: Stage,
    answer: CaseEvent | None,
    went_on: bool,
    status: str,
    problems: list[tuple[str, str]],
) -> str:
    """The stage's outcome column (see OUTCOME_COLUMNS)."""
    if answer is not None:
        outcome = str(answer.fields.get("outcome") or "") if answer.fields else ""
        if outcome in OUTCOMES:
            return outcome
        problems.append(
            (
                "missing-outcome",
                f"`{stage.answered_by}` on {answer.date.isoformat()} gives no outcome: counted as not recorded at {stage.id}",
            )
        )
        return "not-recorded"
    if went_on:
        problems.append(
            (
                "unanswered-stage",
                f"{stage.id} was never answered before the next stage was asked for: counted as escalated at {stage.id}",
            )
        )
        return "escalated"
    return UNANSWERED_ENDS.get(status, OPEN)


def _ended_on(procedure: CompiledProcedure, events: Sequence[CaseEvent], since: dt.date) -> dt.date:
    """The day the case ended (withdrawn, settled, referred): the first event on or after
    `since` of those that end a case under the procedure."""
    ending = _ending_events(procedure)
    found = next((e.date for e in events if e.date >= since and e.event in ending), None)
    return found or since


_ENDINGS: dict[tuple[str, str, str], frozenset[str]] = {}
_DECISIONS: dict[tuple[str, str, str], dict[str, str]] = {}


def _decisions(procedure: CompiledProcedure) -> dict[str, str]:
    """The events by which the council records that a representation is outside the procedure,
    each with how it ends the case (ineligible, redirected)."""
    key = (procedure.id, procedure.version, procedure.source_sha256)
    if key not in _DECISIONS:
        states = procedure.states
        _DECISIONS[key] = {
            t.event: end
            for t in procedure.transitions
            if (end := states[t.target].end) in (DECIDED_INELIGIBLE, REDIRECTED)
            and not states[t.source].end
        }
    return _DECISIONS[key]


def _ending_events(procedure: CompiledProcedure) -> frozenset[str]:
    """The events that move a case from an open state to an end."""
    key = (procedure.id, procedure.version, procedure.source_sha256)
    if key not in _ENDINGS:
        states = procedure.states
        _ENDINGS[key] = frozenset(
            t.event
            for t in procedure.transitions
            if states[t.target].end and not states[t.source].end
        )
    return _ENDINGS[key]


def _duty(procedure: CompiledProcedure, stage: Stage, result: Result) -> Any:
    """The replay's verdict on the stage's duty (the first duty its answer meets), if any."""
    duties = [
        d.id
        for d in procedure.deadlines.values()
        if stage.answered_by in d.met_by and d.kind == "duty"
    ]
    if not duties:
        return None
    return next((d for d in result.deadlines if d.id == duties[0]), None)


def _unknown_categories(
    own: Mapping[str, Categories], procedure: CompiledProcedure, facts: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """A value outside the categories its council lists (else those rules/vocabulary.yaml
    declares) is still counted, under its own name, and said so; so is a further subject
    outside the subject's categories."""
    found = []
    further = [(FURTHER_SUBJECTS, "subject", v) for v in facts.get(FURTHER_SUBJECTS) or ()]
    for name, kind, value in [*((n, n, facts.get(n)) for n in REPORTED_FACTS), *further]:
        if value is None:
            continue
        if kind in own:
            known, where = set(own[kind].codes), own[kind].source
        else:
            declared = procedure.facts.get(kind, {})
            known = {*declared.get("values", ()), *declared.get("codes", ())}
            known |= set(declared.get("labels", {}))
            where = "rules/vocabulary.yaml"
        if known and value not in known:
            found.append(
                (
                    "unknown-category",
                    f"`{name}` is `{value}`, not one of the categories in {where}: counted under its own name",
                )
            )
    return found


def _first(events: Sequence[CaseEvent], name: str, after: dt.date | None = None) -> Any:
    for event in events:
        if event.event == name and (after is None or event.date >= after):
            return event
    return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass
class YearTally:
    """The tables of one year, as counts."""

    representations: Counter[str] = field(default_factory=Counter)
    outcomes: dict[str, Counter[str]] = field(default_factory=dict)
    # per stage: the rows of TIME_ROWS and the bands, `total`, and for the in-time share and the
    # average: `in_time`, `judged` (answered, or unanswered past the limit), `answered`, `days`;
    # and `extended`, the stages whose duty was extended
    times: dict[str, Counter[str]] = field(default_factory=dict)
    rules: dict[str, Counter[str]] = field(default_factory=dict)  # the duty's verdicts, per stage
    complainants: Counter[str] = field(default_factory=Counter)
    subjects: Counter[str] = field(default_factory=Counter)
    subjects_raised: Counter[str] = field(default_factory=Counter)  # every subject, once a case
    service_areas: Counter[str] = field(default_factory=Counter)
    points_of_receipt: Counter[str] = field(default_factory=Counter)
    ombudsman: Counter[str] = field(default_factory=Counter)
    measures: YearMeasures = field(default_factory=YearMeasures)


@dataclass
class Tally:
    """Every case counted, year by year, with the warnings and problems found."""

    frame: Frame
    years: dict[str, YearTally] = field(default_factory=dict)
    warnings: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (case, where, why)
    refused_count: int = 0
    left_out: Counter[str] = field(default_factory=Counter)
    councils: set[str] = field(default_factory=set)  # of the cases counted, up to two

    def add(self, counted: Counted) -> None:
        if counted.left_out is not None:
            self.left_out[counted.left_out] += 1
            return
        if len(self.councils) < 2:
            self.councils.add(counted.council)
        year = self.years.setdefault(counted.year, YearTally())
        year.representations[counted.kind] += 1
        for code in counted.warnings:
            self.note(code, counted.reference)
        for code, _ in counted.problems:
            self.note(code, counted.reference)
        if counted.kind != VALID:
            return
        for record in counted.stages:
            year.outcomes.setdefault(record.stage, Counter()).update((record.outcome, "total"))
            times = year.times.setdefault(record.stage, Counter())
            times.update((record.time, "total"))
            times["in_time"] += record.in_time
            times["judged"] += record.days is not None or record.time == OUTSIDE
            if record.days is not None:
                times["answered"] += 1
                times["days"] += record.days
            times["extended"] += record.extended
            if record.duty is not None:
                year.rules.setdefault(record.stage, Counter())[record.duty] += 1
        year.complainants[counted.role or "not recorded"] += 1
        year.subjects[counted.subject or "not recorded"] += 1
        year.subjects_raised.update(
            dict.fromkeys((counted.subject or "not recorded", *counted.further_subjects), 1)
        )
        year.service_areas[counted.service_area or "not recorded"] += 1
        year.points_of_receipt[counted.point_of_receipt or "not recorded"] += 1
        year.ombudsman["referred"] += counted.referred
        year.ombudsman["premature"] += counted.premature
        if counted.measures is not None:
            year.measures.add(counted.measures, counted.service_area)

    def refuse(self, reference: str, where: str, why: str) -> None:
        """A record that could not be counted: reported, never silently dropped."""
        self.refused_count += 1
        if len(self.refused) < REFUSALS_KEPT:
            self.refused.append((reference, where, why))

    def note(self, code: str, reference: str) -> None:
        """A warning about a case, kept as a count and the first few references."""
        count, references = self.warnings.get(code, (0, []))
        if len(references) < REFERENCES_KEPT:
            references.append(reference)
        self.warnings[code] = (count + 1, references)
