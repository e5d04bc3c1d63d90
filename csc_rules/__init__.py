"""csc-rules: councils' children's social care complaints procedures as validated, runnable rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

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
    from .bank_holidays import region_calendar
    from .case import Case, CaseError, case_from_data, read_case
    from .compiler import CompiledFileError, CompiledProcedure, load_compiled
    from .diagnostics import Diagnostic
    from .eligibility import Eligibility, decide_case
    from .errors import CscRulesError, DefinitionError, NotFoundError
    from .interpreter import evaluate, evaluate_data
    from .procedures import load_procedure, validate
    from .results import CaseWarning, DeadlineResult, Result
    from .validation import Report
    from .working_days import CalendarError, WorkingCalendar

# Imported on first use, so that `import csc_rules` (and `csc-rules --help`) stays cheap.
_LAZY = {
    "CscRulesError": "errors",
    "DefinitionError": "errors",
    "NotFoundError": "errors",
    "Diagnostic": "diagnostics",
    "Report": "validation",
    "validate": "procedures",
    "CalendarError": "working_days",
    "WorkingCalendar": "working_days",
    "region_calendar": "bank_holidays",
    "CompiledFileError": "compiler",
    "CompiledProcedure": "compiler",
    "load_compiled": "compiler",
    "load_procedure": "procedures",
    "Case": "case",
    "CaseError": "case",
    "case_from_data": "case",
    "read_case": "case",
    "evaluate": "interpreter",
    "evaluate_data": "interpreter",
    "CaseWarning": "results",
    "DeadlineResult": "results",
    "Result": "results",
    "Eligibility": "eligibility",
    "decide_case": "eligibility",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'csc_rules' has no attribute {name!r}")
