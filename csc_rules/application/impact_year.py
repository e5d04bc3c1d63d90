"""`impact --year`: the statutory annual report's response times for one year, counted from the
cases as they are replayed now and as the proposal would replay them.

The report measures each stage against the statute's timescale (rules/vocabulary.yaml), so a
council's own limit moves its duties' verdicts (`met`, `missed`) but not the statutory in-time
share; both are given, that a policy officer sees which one the change touches."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..errors import CscRulesError

if TYPE_CHECKING:
    from ..annual_report.tally import Counted, Frame, Tally
    from ..cases.case import Case
    from ..cases.results import Result
    from ..procedures.compiler import CompiledProcedure
    from ..reports.impact import Compared, Proposal

# What a worker sends back for one case: the comparison, and the case as the report counts it
# before and after (None for a case of a procedure the change leaves alone).
Both = tuple["Compared | None", "Counted | None", "Counted | None"]


def frame() -> Frame:
    """The report's counting rules, from the library in use."""
    from ..annual_report.tally import Frame
    from ..procedures.library import library

    return Frame.of(library().vocabulary.report_frame())


def count_both(
    proposal: Proposal,
    counting: Frame,
    day: dt.date,
    procedure: CompiledProcedure,
    case: Case,
    result: Result,
) -> Both:
    """In a worker: the case compared, and counted for the report both ways as of `day`."""
    from ..annual_report.tally import count_case
    from ..reports.impact import compare_results, refused, replay_proposed

    if case.procedure not in proposal.changed:
        return None, None, None
    try:
        proposed, after = replay_proposed(proposal, case, result.as_of)
    except CscRulesError as exc:
        return refused(case, result, exc), None, None
    return (
        compare_results(case, result, after),
        count_case(counting, None, day, procedure, case, result),
        count_case(counting, None, day, proposed, case, after),
    )


def figures(counting: Frame, year: str, before: Tally, after: Tally) -> dict[str, Any]:
    """Each stage's answers in time (by the statute's timescale) out of those judged, and its
    duty's verdicts (by the procedure's own limit), before and after."""
    from collections import Counter

    stages = {}
    for stage in counting.stages:
        sides = {}
        for name, tally in (("before", before), ("after", after)):
            year_tally = tally.years.get(year)
            times = year_tally.times.get(stage.id, Counter()) if year_tally else Counter()
            verdicts = year_tally.rules.get(stage.id, Counter()) if year_tally else Counter()
            sides[name] = {
                "in_time": times["in_time"],
                "judged": times["judged"],
                "duty": dict(sorted(verdicts.items())),
            }
        stages[stage.id] = sides
    return {
        "year": year,
        "within": {s.id: s.in_time_within for s in counting.stages},
        "stages": stages,
    }
