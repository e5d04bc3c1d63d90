"""The statutory annual report: cases counted as they are replayed (`tally`), each once
(`ledger`), the rows a council lists its categories in (`categories`), the figures it gives
beside its records (`figures`), the report's tables and their JSON (`tables`), and the page a
council publishes (`page`)."""

from __future__ import annotations

from .._faces import lazy

__all__ = [
    "tally",
    "ledger",
    "categories",
    "figures",
    "tables",
    "page",
]

__getattr__, __dir__ = lazy(
    __name__,
    modules=(
        "tally",
        "ledger",
        "categories",
        "figures",
        "tables",
        "page",
    ),
)
