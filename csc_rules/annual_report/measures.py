"""What else the annual report counts beside each stage's tables, as councils publish it: the
share of complaints that went on to the next stage, acknowledgements in time, the Ombudsman's
decisions, advocacy, equality monitoring and the actions agreed.

`measure_case` reduces one valid complaint to a `Measures` (in the worker that replayed it);
`YearMeasures` adds them up; `figures` is their part of a year in the report's JSON, and
`footnotes` says how each is counted. What it counts with (the acknowledging event, the event
of the Ombudsman's decision, the equality facts) is the `annual_report` section of
rules/vocabulary.yaml; the advocacy facts and the fields of the decision are named here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..cases.results import CANCELLED, MET, MISSED, OVERDUE, PENDING, UNRECORDED
from ..language.stage_graph import REFERRED

if TYPE_CHECKING:
    from ..cases.case import Case, CaseEvent
    from ..cases.results import Result
    from ..procedures.compiler import CompiledProcedure
    from .tally import StageRecord

NOT_RECORDED = "not recorded"
# The advocacy facts: (the key in the report, the fact). Both optional, never needed to replay.
ADVOCACY = (("offered", "advocacy.offered"), ("taken_up", "advocacy.taken_up"))
YES, NO = "yes", "no"

# The acknowledging event's duty as replay judged it: (row, label). A case whose procedure sets
# no time to acknowledge is in one of the last two rows.
UNTIMED, UNACKNOWLEDGED = "untimed", "not-recorded"
ACKNOWLEDGEMENT_ROWS = (
    (MET, "Acknowledged in time"),
    (MISSED, "Acknowledged late"),
    (OVERDUE, "Not acknowledged, past the limit"),
    (PENDING, "Not yet acknowledged, still in time"),
    (UNRECORDED, "Acknowledged, on a day not recorded"),
    (CANCELLED, "Not acknowledged before the case moved on or ended"),
    (UNTIMED, "Acknowledged, no time limit set"),
    (UNACKNOWLEDGED, "No acknowledgement recorded, no time limit set"),
)

# How the Ombudsman decided (the `decision` of its event, and the rows of its annual letter).
DECISIONS = (
    ("closed-after-initial-enquiries", "Closed after initial enquiries"),
    ("advice-given", "Advice given"),
    ("referred-back-for-local-resolution", "Referred back for local resolution"),
    ("not-upheld", "Investigated: not upheld"),
    ("upheld", "Investigated: upheld"),
)
# A referral with no decision recorded by the as-of date; a decision recorded with no `decision`.
AWAITING, UNSTATED = "awaiting", "decision-not-recorded"
DECISION_ROWS = (
    *DECISIONS,
    (UNSTATED, "Decided, how not recorded"),
    (AWAITING, "No decision recorded yet"),
)
# Whether the council did what the Ombudsman asked (the `compliance` of its event).
COMPLIED = ("complied", "complied-late")
COMPLIANCE = (
    ("complied", "Recommendations complied with in time"),
    ("complied-late", "Recommendations complied with late"),
    ("not-complied", "Recommendations not complied with"),
)
REMEDIES = "remedies"


@dataclass(frozen=True)
class MeasureFrame:
    """What the measures count with (from the vocabulary's `annual_report` section)."""

    stages: tuple[str, ...] = ()
    answers: tuple[tuple[str, str], ...] = ()  # (the event answering a stage, the stage)
    acknowledged_by: str | None = None
    decided_by: str | None = None
    equality: tuple[tuple[str, str], ...] = ()  # (the fact, the title of its table)

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> MeasureFrame:
        stages = data["stages"]
        return cls(
            tuple(stages),
            tuple((s["answered_by"], stage) for stage, s in stages.items()),
            data.get("acknowledged_by"),
            data.get("ombudsman_decided_by"),
            tuple((str(k), str(v)) for k, v in (data.get("equality") or {}).items()),
        )


@dataclass(frozen=True)
class Measures:
    """One valid complaint, reduced to what the measures count."""

    # for each stage after one it reached: (that stage, whether it reached it too)
    went_on: tuple[tuple[str, bool], ...] = ()
    acknowledgement: str | None = None  # its row of ACKNOWLEDGEMENT_ROWS (None: not counted)
    decision: str | None = None  # its row of DECISION_ROWS, if it was referred
    remedy: bool = False
    compliance: str | None = None
    advocacy: tuple[tuple[str, bool | None], ...] = ()
    equality: tuple[tuple[str, str | None], ...] = ()
    actions: tuple[str, ...] = ()  # the actions its answers agreed, each once


def measure_case(
    frame: MeasureFrame,
    procedure: CompiledProcedure,
    case: Case,
    result: Result,
    replayed: Sequence[CaseEvent],
    stages: Sequence[StageRecord],
) -> Measures:
    """What one valid complaint gives the measures, from the events replayed by the as-of date
    and the `stages` it reached."""
    reached = {s.stage for s in stages}
    referred = any(e.event == REFERRED for e in replayed)
    decided = _decision(frame, replayed) if referred else None
    fields = decided.fields if decided is not None else {}
    facts = case.facts
    answers = dict(frame.answers)
    agreed = (
        str(text).strip()
        for e in replayed
        if e.event in answers and isinstance(e.fields.get("actions"), list)
        for text in e.fields["actions"]
    )
    return Measures(
        tuple(
            (after, after in reached)
            for before, after in zip(frame.stages, frame.stages[1:], strict=False)
            if before in reached
        ),
        _acknowledgement(frame, procedure, result, replayed),
        None if not referred else AWAITING if decided is None else _decided(fields),
        bool(fields.get("remedy")),
        str(fields["compliance"]) if fields.get("compliance") else None,
        tuple((key, _flag(facts.get(fact))) for key, fact in ADVOCACY),
        tuple((fact, _text(facts.get(fact))) for fact, _ in frame.equality),
        tuple(dict.fromkeys(text for text in agreed if text)),
    )


def _decision(frame: MeasureFrame, replayed: Sequence[CaseEvent]) -> CaseEvent | None:
    """The Ombudsman's first decision recorded (a second changes nothing in an ended case)."""
    return next((e for e in replayed if e.event == frame.decided_by), None)


def _decided(fields: Mapping[str, Any]) -> str:
    decision = fields.get("decision")
    return str(decision) if decision in dict(DECISIONS) else UNSTATED


def _acknowledgement(
    frame: MeasureFrame, procedure: CompiledProcedure, result: Result, replayed: Sequence[CaseEvent]
) -> str | None:
    """The replay's verdict on the duty the acknowledging event meets (one never done is past
    the limit, whether the case went on or not); where the procedure sets none (or it never
    started), whether an acknowledgement was recorded."""
    event = frame.acknowledged_by
    if event is None:
        return None
    duties = {d.id for d in procedure.deadlines.values() if event in d.met_by and d.kind == "duty"}
    verdict = next((d for d in result.deadlines if d.id in duties), None)
    if verdict is not None and verdict.status == MISSED and verdict.done_on is None:
        return OVERDUE  # the case moved on or ended past the limit, and it was never done
    if verdict is not None:
        return str(verdict.status)
    return UNTIMED if any(e.event == event for e in replayed) else UNACKNOWLEDGED


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass
class YearMeasures:
    """The measures of one year, as counts."""

    complaints: int = 0
    # by each stage after the first: the complaints that reached the one before it, and of
    # those, the ones that went on to it
    reached: Counter[str] = field(default_factory=Counter)
    went_on: Counter[str] = field(default_factory=Counter)
    acknowledgements: Counter[str] = field(default_factory=Counter)
    ombudsman: Counter[str] = field(default_factory=Counter)  # decisions, remedies, compliance
    advocacy: dict[str, Counter[str]] = field(default_factory=dict)
    equality: dict[str, Counter[str]] = field(default_factory=dict)
    actions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (service area, action)

    def add(self, measures: Measures, service_area: str | None) -> None:
        """Count one valid complaint, about `service_area`."""
        self.complaints += 1
        for stage, went_on in measures.went_on:
            self.reached[stage] += 1
            self.went_on[stage] += went_on
        if measures.acknowledgement is not None:
            self.acknowledgements[measures.acknowledgement] += 1
        if measures.decision is not None:
            self.ombudsman[measures.decision] += 1
            self.ombudsman[REMEDIES] += measures.remedy
            if measures.compliance is not None:
                self.ombudsman[measures.compliance] += 1
        for key, flag in measures.advocacy:
            answer = NOT_RECORDED if flag is None else YES if flag else NO
            self.advocacy.setdefault(key, Counter())[answer] += 1
        for fact, value in measures.equality:
            self.equality.setdefault(fact, Counter())[value or NOT_RECORDED] += 1
        for action in measures.actions:
            self.actions[(service_area or NOT_RECORDED, action)] += 1


def figures(frame: MeasureFrame, year: YearMeasures | None) -> dict[str, Any]:
    """The measures' part of one year in the report's JSON."""
    year = year or YearMeasures()
    return {
        "escalation_rates": {
            after: {
                "from": before,
                "reached": year.reached[after],
                "went_on": year.went_on[after],
                "percent": _percent(year.went_on[after], year.reached[after]),
            }
            for before, after in zip(frame.stages, frame.stages[1:], strict=False)
        },
        "acknowledgements": _acknowledgements(year.acknowledgements)
        if frame.acknowledged_by
        else None,
        "ombudsman_decisions": _decisions(year.ombudsman),
        "advocacy": {
            key: {answer: year.advocacy.get(key, Counter())[answer] for answer in (YES, NO)}
            | {
                NOT_RECORDED: year.complaints
                - sum(year.advocacy.get(key, Counter())[a] for a in (YES, NO))
            }
            for key, _ in ADVOCACY
        }
        | {"total": year.complaints},
        "equality": {
            fact: _rows(year.equality.get(fact, Counter()), year.complaints)
            for fact, _ in frame.equality
        },
        "actions": [
            {"service_area": area, "action": action, "complaints": count}
            for (area, action), count in sorted(year.actions.items())
        ],
    }


def _acknowledgements(counts: Counter[str]) -> dict[str, Any]:
    rows = [
        *(row for row, _ in ACKNOWLEDGEMENT_ROWS),
        *sorted(set(counts) - set(dict(ACKNOWLEDGEMENT_ROWS))),
    ]
    judged = counts[MET] + counts[MISSED] + counts[OVERDUE]
    return {row: counts[row] for row in rows} | {
        "total": sum(counts.values()),
        "in_time_percent": _percent(counts[MET], judged),
    }


def _decisions(counts: Counter[str]) -> dict[str, Any]:
    decided = [row for row, _ in (*DECISIONS, (UNSTATED, ""))]
    recorded = sum(counts[row] for row, _ in COMPLIANCE)
    return (
        {"decided": sum(counts[row] for row in decided)}
        | {row: counts[row] for row, _ in DECISION_ROWS}
        | {REMEDIES: counts[REMEDIES]}
        | {row: counts[row] for row, _ in COMPLIANCE}
        | {"compliance_percent": _percent(sum(counts[row] for row in COMPLIED), recorded)}
    )


def _rows(counts: Counter[str], total: int) -> dict[str, int]:
    """A fact's values as counted, the commonest first, then those with none recorded."""
    found = sorted(
        ((k, v) for k, v in counts.items() if k != NOT_RECORDED), key=lambda kv: (-kv[1], kv[0])
    )
    return dict(found) | {NOT_RECORDED: total - sum(v for _, v in found)}


def _percent(part: int, whole: int) -> int | None:
    """A whole percentage, rounded down, as the report's other shares are; None of nothing."""
    return (100 * part) // whole if whole else None


def footnotes(frame: MeasureFrame) -> dict[str, str]:
    """How each measure is counted, in words."""
    notes = {
        "escalation_rates": (
            "Of the valid complaints received in the year that reached a stage, the share that "
            "went on to the next (the percentage rounded down), whenever they did."
        ),
        "ombudsman_decisions": (
            "Valid complaints received in the year that were referred to the Ombudsman, by the "
            "Ombudsman's decision as recorded by the as-of date (the first, if more than one is "
            "recorded); those with none recorded yet are in their own row. Remedies: the "
            "decisions that record one. Compliance: as recorded on the decision, and the share "
            "complied with (in time or late) of those recorded, rounded down. These count "
            "complaints by the year they were received; the Ombudsman's own annual letter "
            "counts the complaints it received and decided in the year."
        ),
        "advocacy": (
            "Valid complaints received in the year, by whether the complainant was offered "
            "advocacy and whether an advocate was taken up, as the records state it; a record "
            "that does not say is counted as not recorded. Shown when some record in the years "
            "shown says."
        ),
        "equality": (
            "Valid complaints received in the year, by what the record says of the child or "
            "young person, where the family agreed to say; a table is shown only when some "
            "record in the years shown carries its fact."
        ),
        "actions": (
            "The actions the council agreed in its answers (at any stage) to the valid "
            "complaints received in the year, by the service area complained about, each with "
            "the number of complaints that agreed it."
        ),
    }
    notes["ombudsman_letter"] = (
        "The Ombudsman's own figures for the council's children's services, from its annual "
        "letter, as the council gives them beside its records (not counted from them): the "
        "complaints it received and the decisions it made in the year, which may be about "
        "complaints made to the council in earlier years."
    )
    notes["compliments"] = (
        "As the council gives them beside its records (not counted from them): the compliments "
        "received in the year, and the enquiries from MPs and councillors that were not "
        "complaints."
    )
    if frame.acknowledged_by:
        notes["acknowledgements"] = (
            "Valid complaints received in the year, by the time limit the procedure sets to "
            f"acknowledge a complaint (met on `{frame.acknowledged_by}`), as its own rules "
            "judged it on the as-of date: in time, late, not done past the limit, not done and "
            "still in time, done on a day not recorded, or not done before the case moved on or "
            "ended. Where a procedure sets no such limit, whether an acknowledgement was "
            "recorded. In time: the share of those acknowledged in time of those acknowledged "
            "and those past the limit, rounded down."
        )
    return notes
