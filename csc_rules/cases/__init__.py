"""Cases: read from files, exports and plain data, replayed through a compiled procedure to say
where they stand on a day, their eligibility decided; many at once, and scenario tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._faces import lazy

if TYPE_CHECKING:
    from .case import Case, CaseEvent, case_from_data, read_case
    from .eligibility import Eligibility, decide_case
    from .interpreter import evaluate, evaluate_data
    from .results import CaseWarning, DeadlineResult, Result
    from .runner import run_cases

__all__ = [
    "Case",
    "CaseEvent",
    "CaseWarning",
    "DeadlineResult",
    "Eligibility",
    "Result",
    "case_from_data",
    "decide_case",
    "evaluate",
    "evaluate_data",
    "read_case",
    "run_cases",
]

__getattr__, __dir__ = lazy(
    __name__,
    {
        "Case": "case",
        "CaseEvent": "case",
        "CaseWarning": "results",
        "DeadlineResult": "results",
        "Eligibility": "eligibility",
        "Result": "results",
        "case_from_data": "case",
        "decide_case": "eligibility",
        "evaluate": "interpreter",
        "evaluate_data": "interpreter",
        "read_case": "case",
        "run_cases": "runner",
    },
)
