"""csc-rules: councils' children's social care complaints procedures as validated, runnable rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "CscRulesError",
    "DefinitionError",
    "Diagnostic",
    "NotFoundError",
    "Report",
    "__version__",
    "validate",
]

if TYPE_CHECKING:
    from .diagnostics import Diagnostic
    from .errors import CscRulesError, DefinitionError, NotFoundError
    from .validation import Report, validate

# Imported on first use, so that `import csc_rules` (and `csc-rules --help`) stays cheap.
_LAZY = {
    "CscRulesError": "errors",
    "DefinitionError": "errors",
    "NotFoundError": "errors",
    "Diagnostic": "diagnostics",
    "Report": "validation",
    "validate": "validation",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'csc_rules' has no attribute {name!r}")
