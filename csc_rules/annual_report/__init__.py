"""The statutory annual report: cases counted as they are replayed (`tally`), each once
(`ledger`), the report's tables and their JSON (`tables`), and the page a council publishes
(`page`)."""

from __future__ import annotations

from .._faces import lazy

__all__ = [
    "tally",
    "ledger",
    "tables",
    "page",
]

__getattr__, __dir__ = lazy(
    __name__,
    modules=(
        "tally",
        "ledger",
        "tables",
        "page",
    ),
)
