"""`csc-rules validate`: procedure, council and vocabulary files checked for YAML, schema and
meaning (names defined, limits that add up, the statute's minimums, plain words that follow the
rules), and compiled files checked for what they must mean."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._faces import lazy

if TYPE_CHECKING:
    from .run import Report, Session, validate

__all__ = [
    "Report",
    "Session",
    "validate",
]

__getattr__, __dir__ = lazy(__name__, {"Report": "run", "Session": "run", "validate": "run"})
