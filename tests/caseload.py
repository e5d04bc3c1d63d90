"""A generated caseload written as each kind of record csc-rules reads: .jsonl case lines, a CSV
export, a workbook, and the rows of a SQL table, all with one mapping (tests of issue 26 item 4).

Each case is a random walk over its procedure's own transitions, with the fields its events must
carry and the complainant's role as a fact; the rows of each kind are laid out differently (a
CSV export sorted by date, a workbook grouped by case with dates as date cells, serial numbers
and text, a table in shuffled order), as case systems leave them."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

PROCEDURES = ["sefton/csc-statutory", "cheshire-west/csc-statutory", "islington/csc-statutory"]
MAPPING = """csv: generated-caseload
sheet: Events
procedure: {column: Procedure}
columns: {case: Reference, date: Date, event: Event}
date_format: "%d/%m/%Y"
fields: {outcome: Outcome, panel_date: Panel date}
facts: {complainant.role: Complainant}
values:
  outcome: {Upheld: upheld, Not upheld: not-upheld}
  complainant.role: {Parent: parent, Young person: child}
"""
HEADER = ["Reference", "Procedure", "Date", "Event", "Outcome", "Panel date", "Complainant"]
OUTCOMES = {"upheld": "Upheld", "not-upheld": "Not upheld"}
ROLES = {"parent": "Parent", "child": "Young person"}
# A row: the reference, procedure, day, event, outcome word, panel day, complainant word.
Row = tuple[str, str, dt.date, str, str, dt.date | None, str]


def caseload(count: int, seed: int = 26) -> tuple[list[dict[str, Any]], list[Row]]:
    """`count` cases as case files hold them, and the same as rows, one per event."""
    from csc_rules.procedures.library import load_procedure

    rng = random.Random(seed)
    walks = {}
    for procedure_id in PROCEDURES:
        procedure = load_procedure(procedure_id)
        ends = {s for s, state in procedure.states.items() if state.end}
        moves: dict[str, list[tuple[str, str]]] = {}
        for t in procedure.transitions:
            if not t.when_overdue and not t.anytime and t.target not in ends:
                moves.setdefault(t.source, []).append((t.event, t.target))
        walks[procedure_id] = (procedure, moves)
    cases, rows = [], []
    for number in range(count):
        procedure_id = PROCEDURES[number % len(PROCEDURES)]
        procedure, moves = walks[procedure_id]
        day = dt.date(2024, 4, 1) + dt.timedelta(days=rng.randrange(500))
        state, walk = procedure.start_state, [(day, procedure.start_event)]
        while len(walk) < rng.randint(2, 9) and moves.get(state):
            event, state = rng.choice(moves[state])
            day += dt.timedelta(days=rng.randint(1, 15))
            walk.append((day, event))
        role = rng.choice(list(ROLES))
        reference = f"GEN-{number:05d}"
        events = []
        for index, (when, event) in enumerate(walk):
            fields = procedure.events[event].fields
            outcome = rng.choice(list(OUTCOMES)) if "outcome" in fields else ""
            panel = when + dt.timedelta(days=21) if "panel_date" in fields else None
            entry: dict[str, Any] = {"date": when.isoformat(), "event": event}
            if outcome:
                entry["outcome"] = outcome
            if panel:
                entry["panel_date"] = panel.isoformat()
            events.append(entry)
            word = ROLES[role] if index == 0 else ""
            rows.append(
                (reference, procedure_id, when, event, OUTCOMES.get(outcome, ""), panel, word)
            )
        cases.append(
            {
                "case": reference,
                "procedure": procedure_id,
                "facts": {"complainant": {"role": role}},
                "events": events,
            }
        )
    return cases, rows


def write_all(folder: Path, count: int) -> dict[str, Path]:
    """The caseload as a .jsonl file, a CSV export (sorted by date), a workbook (grouped by
    case) and a SQLite table (in shuffled order), with the mapping beside each; and the query
    that reads the table. The paths by kind."""
    cases, rows = caseload(count)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "jsonl": folder / "cases.jsonl",
        "csv": folder / "export.csv",
        "xlsx": folder / "book.xlsx",
    }
    paths["jsonl"].write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    with paths["csv"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(_text(row) for row in sorted(rows, key=lambda row: row[2]))
    write_workbook(paths["xlsx"], rows)
    paths["sqlite"] = folder / "cases.db"
    write_sqlite(paths["sqlite"], shuffled(rows))
    paths["query"] = folder / "events.sql"
    paths["query"].write_text("SELECT * FROM events\n", encoding="utf-8")
    for name in ("export", "book", "events"):
        (folder / f"{name}.mapping.yaml").write_text(MAPPING, encoding="utf-8")
    return paths


def shuffled(rows: list[Row]) -> list[Row]:
    return random.Random(4).sample(rows, len(rows))


def _text(row: Row) -> list[str]:
    """A row as a CSV export holds it: dates as the mapping's DD/MM/YYYY."""
    reference, procedure, day, event, outcome, panel, role = row
    shown = panel.strftime("%d/%m/%Y") if panel else ""
    return [reference, procedure, day.strftime("%d/%m/%Y"), event, outcome, shown, role]


def write_workbook(path: Path, rows: list[Row]) -> None:
    """The rows in a sheet `Events` (after a sheet of notes), grouped by case, dates written as
    people leave them: most as date cells, every seventh as a bare serial number (the cell's
    date format lost), every fifth as text in the mapping's format."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    book.create_sheet("Notes").append(["Exported from the case system"])
    sheet = book.create_sheet("Events")
    sheet.append(HEADER)
    for number, (reference, procedure, day, event, outcome, panel, role) in enumerate(rows):
        cell: Any = day
        if number % 7 == 3:
            cell = (day - dt.date(1899, 12, 30)).days  # Excel's serial number of the day
        elif number % 5 == 1:
            cell = day.strftime("%d/%m/%Y")
        sheet.append([reference, procedure, cell, event, outcome or None, panel, role or None])
    book.save(path)


def write_sqlite(path: Path, rows: list[Row]) -> None:
    """The rows in a table `events` of a SQLite file, the dates as DD/MM/YYYY text."""
    import sqlite3

    with sqlite3.connect(path) as connection:
        columns = ", ".join(f'"{column}" TEXT' for column in HEADER)
        connection.execute(f"CREATE TABLE events ({columns})")
        connection.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", map(_text, rows))
    connection.close()
