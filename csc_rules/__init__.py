"""csc-rules: councils' children's social care complaints procedures as validated, runnable rules.

The public API: read and check procedures, compile them, read cases and replay them, decide
eligibility, count working days. Everything else is reached through the folders, one per layer
(see docs/architecture.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._faces import lazy
from ._version import __version__

__all__ = [
    "Case",
    "CaseError",
    "CaseWarning",
    "DeadlineResult",
    "Eligibility",
    "Result",
    "CalendarError",
    "CompiledFileError",
    "CompiledProcedure",
    "CscRulesError",
    "DefinitionError",
    "Diagnostic",
    "NotFoundError",
    "Report",
    "WorkingCalendar",
    "__version__",
    "case_from_data",
    "decide_case",
    "evaluate",
    "evaluate_data",
    "load_compiled",
    "load_procedure",
    "read_case",
    "region_calendar",
    "validate",
]

if TYPE_CHECKING:
    from .calendars.bank_holidays import region_calendar
    from .calendars.working_days import WorkingCalendar
    from .cases.case import Case, case_from_data, read_case
    from .cases.eligibility import Eligibility, decide_case
    from .cases.interpreter import evaluate, evaluate_data
    from .cases.results import CaseWarning, DeadlineResult, Result
    from .diagnostics import Diagnostic
    from .errors import (
        CalendarError,
        CaseError,
        CompiledFileError,
        CscRulesError,
        DefinitionError,
        NotFoundError,
    )
    from .procedures.compiler import CompiledProcedure, load_compiled
    from .procedures.library import load_procedure, validate
    from .validation.run import Report

# Imported on first use, so that `import csc_rules` (and `csc-rules --help`) stays cheap.
__getattr__, __dir__ = lazy(
    __name__,
    {
        "CscRulesError": "errors",
        "DefinitionError": "errors",
        "NotFoundError": "errors",
        "CalendarError": "errors",
        "CompiledFileError": "errors",
        "CaseError": "errors",
        "Diagnostic": "diagnostics",
        "Report": "validation.run",
        "validate": "procedures.library",
        "load_procedure": "procedures.library",
        "WorkingCalendar": "calendars.working_days",
        "region_calendar": "calendars.bank_holidays",
        "CompiledProcedure": "procedures.compiler",
        "load_compiled": "procedures.compiler",
        "Case": "cases.case",
        "case_from_data": "cases.case",
        "read_case": "cases.case",
        "evaluate": "cases.interpreter",
        "evaluate_data": "cases.interpreter",
        "CaseWarning": "cases.results",
        "DeadlineResult": "cases.results",
        "Result": "cases.results",
        "Eligibility": "cases.eligibility",
        "decide_case": "cases.eligibility",
    },
)
