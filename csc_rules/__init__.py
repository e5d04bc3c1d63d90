"""csc-rules: councils' children's social care complaints procedures as validated, runnable rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
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
    "load_compiled",
    "load_procedure",
    "region_calendar",
    "validate",
]

if TYPE_CHECKING:
    from .bank_holidays import region_calendar
    from .compiler import CompiledFileError, CompiledProcedure, load_compiled, load_procedure
    from .diagnostics import Diagnostic
    from .errors import CscRulesError, DefinitionError, NotFoundError
    from .validation import Report, validate
    from .working_days import CalendarError, WorkingCalendar

# Imported on first use, so that `import csc_rules` (and `csc-rules --help`) stays cheap.
_LAZY = {
    "CscRulesError": "errors",
    "DefinitionError": "errors",
    "NotFoundError": "errors",
    "Diagnostic": "diagnostics",
    "Report": "validation",
    "validate": "validation",
    "CalendarError": "working_days",
    "WorkingCalendar": "working_days",
    "region_calendar": "bank_holidays",
    "CompiledFileError": "compiler",
    "CompiledProcedure": "compiler",
    "load_compiled": "compiler",
    "load_procedure": "compiler",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'csc_rules' has no attribute {name!r}")
