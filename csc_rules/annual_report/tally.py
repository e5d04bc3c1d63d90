"""The statutory annual report, counted from replayed case records.

Each case is replayed, then reduced to one `Counted` record (its year, what kind of
representation it was, and what happened at each stage) so that a caseload of any size is
counted in constant memory. `Tally` adds the records up into the report's tables. How the
report counts (the year, each stage's opening and answering events, the response-time bands)
comes from the `annual_report` section of rules/vocabulary.yaml; each table carries its
counting rule as a footnote."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..cases.case import OUTCOMES, Case
from ..cases.results import Result
from ..procedures.compiler import CompiledProcedure

# How a representation is counted in the first table.
VALID, INELIGIBLE, NOT_PURSUED = "valid", "ineligible", "not_pursued"
OPEN, WITHDRAWN = "open", "withdrawn"
ENDED_EARLY = frozenset({"withdrawn", "resolved"})  # ends that mean the complaint went no further
REFERENCES_KEPT = 20  # case references kept per warning code, so memory stays bounded
# The facts the report counts cases by, each with its own table.
REPORTED_FACTS = ("complainant.role", "subject", "service_area", "point_of_receipt")


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
        return (*(f"within-{b}" for b in self.bands), "outside")


@dataclass(frozen=True)
class Frame:
    """The counting rules of the report."""

    description: str
    year_starts: tuple[int, int]  # (month, day)
    stages: tuple[Stage, ...]
    sources: tuple[str, ...]

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Frame:
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
        return cls(str(data["description"]), (month, day), stages, tuple(data["sources"]))

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
    outcome: str  # upheld, partially-upheld, not-upheld, open, withdrawn, or "" if unrecorded
    days: int | None  # working days to the answer (or to `timed_to`), if it came
    overdue: bool  # unanswered and already past the in-time limit
    duty: str | None  # met or missed by the procedure's own rules, if it has a duty here


@dataclass(frozen=True)
class Counted:
    """One case, reduced to what the report counts."""

    reference: str
    year: str
    kind: str  # valid, ineligible, not_pursued
    stages: tuple[StageRecord, ...] = ()
    role: str | None = None
    subject: str | None = None
    service_area: str | None = None
    point_of_receipt: str | None = None
    referred: bool = False
    premature: bool = False
    warnings: tuple[str, ...] = ()  # irregularity codes replay found
    problems: tuple[tuple[str, str], ...] = ()  # (code, message) about the record itself


def count_case(
    frame: Frame, council: str | None, procedure: CompiledProcedure, case: Case, result: Result
) -> Counted | None:
    """Reduce one replayed case to what the report counts; None for a case of another council
    than `council`, when one is given."""
    if council is not None and procedure.id.split("/")[0] != council:
        return None
    year = frame.year_of(case.received)
    problems: list[tuple[str, str]] = []
    warnings = tuple(w.code for w in result.warnings if w.code not in ("redirected",))
    decision = result.eligibility.decision
    happened = {name for _, name in result.events}
    first = frame.stages[0]
    answered_first = first.answered_by in happened
    if decision == "ineligible":
        kind = INELIGIBLE
    elif decision == "redirect" or (result.status in ENDED_EARLY and not answered_first):
        kind = NOT_PURSUED
    else:
        kind = VALID
        if decision == "undecided":
            needs = ", ".join(sorted({f for _, facts in result.eligibility.needs for f in facts}))
            problems.append(
                ("eligibility-undecided", f"counted as valid; eligibility needs {needs}")
            )
    if kind != VALID:
        return Counted(case.id, year, kind, warnings=warnings, problems=tuple(problems))
    stages = []
    replayed = [e for e in case.events if e.date <= result.as_of]
    reached = [(s, o) for s in frame.stages if (o := _first(replayed, s.opened_by)) is not None]
    for index, (stage, opened) in enumerate(reached):
        moved_on = index + 1 < len(reached)
        stages.append(_stage(stage, procedure, replayed, opened, result, problems, moved_on))
    facts = case.facts
    for name in REPORTED_FACTS:
        value, declared = facts.get(name), procedure.facts.get(name, {})
        known = {
            *declared.get("values", ()),
            *declared.get("codes", ()),
            *declared.get("labels", {}),
        }
        if value is not None and known and value not in known:
            problems.append(
                (
                    "unknown-category",
                    f"`{name}` is `{value}`, not one of the categories in rules/vocabulary.yaml: counted under its own name",
                )
            )
    return Counted(
        case.id,
        year,
        VALID,
        tuple(stages),
        _text(facts.get("complainant.role")),
        _text(facts.get("subject")),
        _text(facts.get("service_area")),
        _text(facts.get("point_of_receipt")),
        referred="referred-to-ombudsman" in happened,
        premature="premature-referral" in warnings,
        warnings=warnings,
        problems=tuple(problems),
    )


def _stage(
    stage: Stage,
    procedure: CompiledProcedure,
    events: Iterable[Any],
    opened: Any,
    result: Result,
    problems: list[tuple[str, str]],
    moved_on: bool = False,
) -> StageRecord:
    answer = _first(events, stage.answered_by, after=opened.date)
    timed = _first(events, stage.timed_to, after=opened.date)
    days = procedure.calendar.between(opened.date, timed.date) if timed is not None else None
    duties = [
        d
        for d in procedure.deadlines.values()
        if stage.answered_by in d.met_by and d.kind == "duty"
    ]
    duty = None
    for deadline in result.deadlines:
        if duties and deadline.id == duties[0].id:
            duty = deadline.status
    if answer is not None:
        outcome = str(answer.fields.get("outcome") or "") if answer.fields else ""
        if outcome not in OUTCOMES:
            problems.append(
                (
                    "missing-outcome",
                    f"`{stage.answered_by}` on {answer.date.isoformat()} gives no outcome: counted in the {stage.id} total only",
                )
            )
            outcome = ""
    elif moved_on:  # asked for the next stage with this one unanswered (escalated on delay)
        problems.append(
            (
                "unanswered-stage",
                f"{stage.id} was never answered before the next stage was asked for: counted in the {stage.id} total only",
            )
        )
        outcome = ""
    elif result.status == "open":
        outcome = OPEN
    else:
        outcome = WITHDRAWN
    overdue = (
        days is None
        and result.status == "open"
        and procedure.calendar.between(opened.date, result.as_of) > stage.in_time_within
    )
    return StageRecord(stage.id, outcome, days, overdue, duty)


def _first(events: Iterable[Any], name: str, after: dt.date | None = None) -> Any:
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
    times: dict[str, Counter[str]] = field(default_factory=dict)
    rules: dict[str, Counter[str]] = field(default_factory=dict)  # met and missed, per stage
    complainants: Counter[str] = field(default_factory=Counter)
    subjects: Counter[str] = field(default_factory=Counter)
    service_areas: Counter[str] = field(default_factory=Counter)
    points_of_receipt: Counter[str] = field(default_factory=Counter)
    ombudsman: Counter[str] = field(default_factory=Counter)


@dataclass
class Tally:
    """Every case counted, year by year, with the warnings and problems found."""

    frame: Frame
    years: dict[str, YearTally] = field(default_factory=dict)
    warnings: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (reference, why) kept bounded
    refused_count: int = 0

    def add(self, counted: Counted) -> None:
        year = self.years.setdefault(counted.year, YearTally())
        year.representations[counted.kind] += 1
        for code in counted.warnings:
            self._note(code, counted.reference)
        for code, _ in counted.problems:
            self._note(code, counted.reference)
        if counted.kind != VALID:
            return
        for record in counted.stages:
            outcomes = year.outcomes.setdefault(record.stage, Counter())
            outcomes["total"] += 1
            if record.outcome:
                outcomes[record.outcome] += 1
            stage = next(s for s in self.frame.stages if s.id == record.stage)
            times = year.times.setdefault(record.stage, Counter())
            if record.days is not None:
                band = next((f"within-{b}" for b in stage.bands if record.days <= b), "outside")
                times[band] += 1
                times["in_time"] += record.days <= stage.in_time_within
                times["timed"] += 1
            elif record.overdue:
                times["outside"] += 1
                times["timed"] += 1
            else:
                times["pending"] += 1
            if record.duty is not None:
                year.rules.setdefault(record.stage, Counter())[record.duty] += 1
        year.complainants[counted.role or "not recorded"] += 1
        year.subjects[counted.subject or "not recorded"] += 1
        year.service_areas[counted.service_area or "not recorded"] += 1
        year.points_of_receipt[counted.point_of_receipt or "not recorded"] += 1
        year.ombudsman["referred"] += counted.referred
        year.ombudsman["premature"] += counted.premature

    def refuse(self, reference: str, why: str) -> None:
        """A record that could not be replayed at all: reported, never silently dropped."""
        self.refused_count += 1
        if len(self.refused) < REFERENCES_KEPT * 5:
            self.refused.append((reference, why))

    def _note(self, code: str, reference: str) -> None:
        count, references = self.warnings.get(code, (0, []))
        if len(references) < REFERENCES_KEPT:
            references.append(reference)
        self.warnings[code] = (count + 1, references)
