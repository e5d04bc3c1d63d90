"""One line per case, for `run --summary`: the reference, where the case stands, the next thing
due and anything late. Each function takes a replayed case's result and is of module level, so
that the line is written where the case was replayed (in a worker process for a large batch)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from ..cases.results import MISSED, OVERDUE, DeadlineResult, Result
from .due import OPEN

COLUMNS = [
    "case",
    "procedure",
    "status",
    "stage",
    "next",
    "next_what",
    "next_due",
    "next_status",
    "late",
    "worst",
    "worst_what",
    "worst_working_days_late",
]


def _title(result: Result, deadline: DeadlineResult) -> str:
    """The deadline as its procedure titles it (`Stage 1 response`)."""
    from ..errors import CscRulesError
    from ..procedures.library import library

    try:  # the version the case ran under: the one in force when it was received
        procedure = library().compiled.in_force(result.procedure, result.events[0][0])
    except (CscRulesError, IndexError):
        return deadline.id
    plan = procedure.deadlines.get(deadline.id)
    return plan.title if plan is not None else deadline.id


def row(result: Result) -> dict[str, Any]:
    """The case's line as data: the open deadline due first, and the late ones (overdue, or
    done late) with the latest of them."""
    upcoming = [d for d in result.deadlines if d.status in OPEN and d.due is not None]
    following = min(upcoming, key=lambda d: (d.due, d.id), default=None)
    late = [d for d in result.deadlines if d.status in (OVERDUE, MISSED)]
    worst = max(late, key=lambda d: (d.working_days_late or 0, d.id), default=None)
    return {
        "case": result.case,
        "procedure": result.procedure,
        "status": result.status,
        "stage": result.stage,
        "next": following.id if following else None,
        "next_what": _title(result, following) if following else None,
        "next_due": following.due.isoformat() if following and following.due else None,
        "next_status": following.status if following else None,
        "late": len(late),
        "worst": worst.id if worst else None,
        "worst_what": _title(result, worst) if worst else None,
        "worst_working_days_late": worst.working_days_late if worst else None,
    }


def line_json(result: Result) -> str:
    from ..cases.fast_lines import dumps

    return dumps(row(result))


def line_csv(result: Result) -> str:
    """The case's row of CSV (`COLUMNS`), without its line end."""
    data = row(result)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(
        ["" if data[c] is None else data[c] for c in COLUMNS]
    )
    return buffer.getvalue()


def csv_header() -> str:
    return ",".join(COLUMNS)


def line_text(result: Result) -> str:
    """The reference, status and stage, then `next: <what>, due <weekday> <date> (<status>)`
    and `late: <how many>, the worst <what> by <n> working days`, on one line."""
    data = row(result)
    out = f"{data['case']:<16}  {data['status']:<10}  {data['stage']:<10}"
    if data["next"]:
        day = dt.date.fromisoformat(data["next_due"])
        out += (
            f"  next: {data['next_what']}, due {day:%a} {day.isoformat()} ({data['next_status']})"
        )
    else:
        out += "  next: nothing due"
    if data["late"]:
        days = data["worst_working_days_late"]
        by = f" by {days} working day{'s' * (days != 1)}" if days is not None else ""
        out += f"  late: {data['late']}, the worst {data['worst_what']}{by}"
    return out
