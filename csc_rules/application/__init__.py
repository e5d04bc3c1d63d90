"""What the front ends do, as plain functions that the CLI and the HTTP API both call.

Each function takes what a user gave (procedure ids, paths, dates as text), returns values
(results, reports, dicts ready for JSON, texts to write) and raises the project's own errors. It
never prints, never exits and knows nothing of click or HTTP: only a front end turns an error
into an exit code or a status. One module per area: `procedures` (validate, list, show, compile,
graph, conformance, diff, the catalogue of ids), `editor` (the schema editors read), `scaffold`
(`new`: a council's files written from a baseline), `cases` (run, eligibility, scenario tests),
`due_export` (what is due as a workbook or a calendar, and the list from JSON lines),
`report` (the annual report), `site` (the public site), `sources` (quotations checked against
the documents' saved texts), `workdays` (calendar arithmetic), and `output` (errors as JSON,
files written whole and never over an input). Importing them is cheap; each function imports
the engine it needs when called."""

from __future__ import annotations

from .._faces import lazy

__all__ = [
    "cases",
    "due_export",
    "editor",
    "output",
    "procedures",
    "report",
    "scaffold",
    "site",
    "sources",
    "workdays",
]

__getattr__, __dir__ = lazy(__name__, modules=__all__)
