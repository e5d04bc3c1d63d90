"""What is due: one line of a complaints team's daily list, a duty or window still open in an
open case on the day asked about. `due` builds these from replayed cases (overdue first, then
by due date); each output format (text, markdown, JSON, CSV, a workbook, a calendar) writes
them as they are, so every format says the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

# The statuses of a deadline that is still open on the day: due later, or past due.
OPEN = ("pending", "overdue")


@dataclass(frozen=True)
class DueItem:
    """One open duty or window of one open case."""

    case: str  # the case's reference
    council: str  # the council's id, its folder under councils/
    council_name: str  # as people know it, from its council.yaml
    procedure: str  # the procedure's id (`<council>/<name>`)
    deadline: str  # the duty's or window's id, as the procedure names it
    kind: str  # duty (the council acts) or window (the complainant may act)
    what: str  # in plain words, as the procedure titles it (`Stage 1 response`)
    actor: str  # the role that acts (`complaints-officer`)
    actor_words: str  # the role as people read it (`Complaints officer`)
    stage: str | None  # the stage the case is in
    start: dt.date  # the day it counts from
    due: dt.date
    status: str  # pending or overdue
    working_days_left: int | None  # pending: working days from the day asked about to `due`
    working_days_late: int | None  # overdue: working days past `due`
    extended: bool  # an extension lengthened it

    def sort_key(self) -> tuple[int, str, str, str]:
        """Overdue first, then by due date, then by case and deadline, so a list is the same
        however the cases were read."""
        return (
            0 if self.status == "overdue" else 1,
            self.due.isoformat(),
            self.case,
            self.deadline,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "council": self.council,
            "council_name": self.council_name,
            "procedure": self.procedure,
            "deadline": self.deadline,
            "kind": self.kind,
            "what": self.what,
            "actor": self.actor,
            "actor_words": self.actor_words,
            "stage": self.stage,
            "from": self.start.isoformat(),
            "due": self.due.isoformat(),
            "weekday": self.due.strftime("%A"),
            "status": self.status,
            "working_days_left": self.working_days_left,
            "working_days_late": self.working_days_late,
            "extended": self.extended,
        }


__all__ = ["OPEN", "DueItem"]
