"""What csc-rules says about procedures and cases, in words and drawings: a procedure's summary,
its stage diagram, a case's timeline, procedures side by side, and a council's procedure
checked against the statute it extends, the catalogue of the ids a baseline defines, the
files `csc-rules new` writes from a baseline, and what is due (a complaints team's daily list)."""

from __future__ import annotations

from .._faces import lazy

__all__ = [
    "summary",
    "diagrams",
    "timeline",
    "comparison",
    "conformance",
    "id_catalogue",
    "scaffold",
    "due",
]

__getattr__, __dir__ = lazy(
    __name__,
    modules=(
        "summary",
        "diagrams",
        "timeline",
        "comparison",
        "conformance",
        "id_catalogue",
        "scaffold",
        "due",
    ),
)
