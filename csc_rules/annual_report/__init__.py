"""The statutory annual report: cases counted as they are replayed (`tally`), each once
(`ledger`), with the further measures councils publish (`measures`); the report's tables and
their JSON (`tables`, and `measure_tables` for the measures and the figures a council gives),
and the page a council publishes (`page`)."""

from __future__ import annotations

from .._faces import lazy

__all__ = [
    "tally",
    "ledger",
    "measures",
    "tables",
    "measure_tables",
    "page",
]

__getattr__, __dir__ = lazy(
    __name__,
    modules=(
        "tally",
        "ledger",
        "measures",
        "tables",
        "measure_tables",
        "page",
    ),
)
