"""The statutory annual report: cases counted as they are replayed (`tally`), each once
(`ledger`), in the rows a council lists its categories in (`categories`), with the figures it
gives beside its records (`figures`) and the further measures councils publish (`measures`);
the report's tables and their JSON (`tables`, and `measure_tables` for the measures and the
figures a council gives), and the page a council publishes (`page`)."""

from __future__ import annotations

from .._faces import lazy

__all__ = [
    "tally",
    "ledger",
    "categories",
    "figures",
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
        "categories",
        "figures",
        "measures",
        "tables",
        "measure_tables",
        "page",
    ),
)
