"""DueItems for the tests of `due`'s formats, with their dates worked out by hand."""

from __future__ import annotations

import datetime as dt

from csc_rules.reports.due import DueItem


def item(case: str, due: dt.date, status: str, **changes: object) -> DueItem:
    fields: dict[str, object] = {
        "case": case,
        "council": "sefton",
        "council_name": "Sefton Council",
        "procedure": "sefton/csc-statutory",
        "deadline": "stage-1-response",
        "kind": "duty",
        "what": "Stage 1 response",
        "actor": "team-manager",
        "actor_words": "Team manager",
        "stage": "stage-1",
        "start": dt.date(2024, 12, 20),
        "due": due,
        "status": status,
        "working_days_left": None,
        "working_days_late": None,
        "extended": False,
    }
    fields.update(changes)
    return DueItem(**fields)  # type: ignore[arg-type]


# Received Friday 20 December 2024; 10 working days skip Christmas Day, Boxing Day and New
# Year's Day: due Wednesday 8 January 2025, 10 working days late on Wednesday 22 January.
LATE = item("SEF-0001", dt.date(2025, 1, 8), "overdue", working_days_late=10)
# Received Monday 20 January; 3 working days: due Thursday 23 January, 1 working day left.
SOON = item(
    "SEF-0002",
    dt.date(2025, 1, 23),
    "pending",
    deadline="acknowledgement",
    what="Acknowledgement",
    actor="complaints-officer",
    actor_words="Complaints officer",
    start=dt.date(2025, 1, 20),
    working_days_left=1,
    extended=True,
)
