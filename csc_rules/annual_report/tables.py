"""The annual report's tables from a `Tally`: the JSON document other systems rely on, and
the same as Markdown and text for people. Each table says how it was counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..cases.case import OUTCOMES
from .tally import INELIGIBLE, NOT_PURSUED, OPEN, VALID, WITHDRAWN, Frame, Tally

OUTCOME_COLUMNS = (*OUTCOMES, OPEN, WITHDRAWN, "total")
# The facts each breakdown counts, and its key in the JSON document.
BREAKDOWNS = (
    ("complainants", "complainant.role", "Who complained"),
    ("subjects", "subject", "Subject (primary area of concern)"),
    ("service_areas", "service_area", "Service area"),
    ("points_of_receipt", "point_of_receipt", "Point of receipt"),
)


def document(tally: Tally, year: str, years: int = 5) -> dict[str, Any]:
    """The report for `year`, with the `years - 1` years before it under `previous_years`."""
    first = int(year.split("-")[0])
    earlier = [f"{y}-{str(y + 1)[-2:]}" for y in range(first - 1, first - years, -1)]
    data = _year(tally, year)
    data["previous_years"] = [_year(tally, label) for label in earlier]
    data["warnings"] = {
        code: {"count": count, "cases": references}
        for code, (count, references) in sorted(tally.warnings.items())
    }
    data["refused"] = {
        "count": tally.refused_count,
        "cases": [{"case": ref, "why": why} for ref, why in tally.refused],
    }
    data["footnotes"] = footnotes(tally.frame, data["from"], data["to"])
    data["sources"] = list(tally.frame.sources)
    return data


def _year(tally: Tally, label: str) -> dict[str, Any]:
    frame = tally.frame
    start, end = frame.year(label)
    counts = tally.years.get(label)
    representations = counts.representations if counts else Counter()
    data: dict[str, Any] = {
        "year": label,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "representations": {
            "total": sum(representations.values()),
            "valid": representations[VALID],
            "ineligible": representations[INELIGIBLE],
            "not_pursued": representations[NOT_PURSUED],
        },
        "outcomes": {},
        "escalations": {},
        "response_times": {},
    }
    for index, stage in enumerate(frame.stages):
        outcomes = counts.outcomes.get(stage.id, Counter()) if counts else Counter()
        data["outcomes"][stage.id] = {column: outcomes[column] for column in OUTCOME_COLUMNS}
        if index:
            data["escalations"][stage.id] = outcomes["total"]
        times = counts.times.get(stage.id, Counter()) if counts else Counter()
        rules = counts.rules.get(stage.id, Counter()) if counts else Counter()
        timed = times["timed"]
        data["response_times"][stage.id] = {
            **{band: times[band] for band in stage.band_names},
            "pending": times["pending"],
            "in_time_percent": (100 * times["in_time"]) // timed if timed else None,
            "in_time_within": stage.in_time_within,
            "measured": f"{stage.opened_by} to {stage.timed_to}",
            "by_the_rules": {status: rules[status] for status in sorted(rules)},
        }
    for key, _, _ in BREAKDOWNS:
        found: Counter[str] = getattr(counts, key) if counts else Counter()
        data[key] = dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))
    ombudsman = counts.ombudsman if counts else Counter()
    data["ombudsman"] = {"referred": ombudsman["referred"], "premature": ombudsman["premature"]}
    return data


def footnotes(frame: Frame, start: str, end: str) -> dict[str, str]:
    """How each table is counted, in words."""
    first = frame.stages[0]
    notes = {
        "representations": (
            f"Every case received from {start} to {end}, by the day of receipt. Ineligible: the "
            "eligibility rules found it ineligible. Not pursued: a rule sent it elsewhere (settled "
            "early, or another route), or it was withdrawn or resolved before the "
            f"`{first.answered_by}`. Valid: the rest, which every other table counts."
        ),
        "outcomes": (
            "Valid complaints received in the year that reached each stage, by the outcome "
            "recorded on the stage's answer. Open: not answered by the as-of date; withdrawn: the "
            "case ended without an answer. A stage is counted in the year the complaint was "
            "received, whenever it happened."
        ),
        "escalations": "Valid complaints received in the year that went on to each later stage.",
        "ombudsman": (
            "Valid complaints received in the year that were referred to the Ombudsman, and those "
            "referred before the council's procedure ended with no council duty overdue."
        ),
    }
    for stage in frame.stages:
        bands = ", ".join(f"{b}" for b in stage.bands)
        notes[f"response_times.{stage.id}"] = (
            f"Working days from `{stage.opened_by}` to `{stage.timed_to}`, in bands of "
            f"{bands} working days or less; an unanswered stage already past "
            f"{stage.in_time_within} working days counts as outside, one not yet past as pending. "
            f"In time: within {stage.in_time_within} working days, extended or not, as the "
            "published report counts it (the percentage rounded down). Beside it, "
            "`by_the_rules` gives the stage's duty as the procedure's own rules judged it "
            "(met, missed, overdue, pending)."
        )
    return notes


@dataclass(frozen=True)
class Table:
    """One table of the report: rows of counts, one column per year, and how it was counted."""

    key: str  # a file name for it: representations, outcomes-<stage>, ...
    title: str
    rows: tuple[tuple[str, tuple[Any, ...]], ...]  # (label, a value per year)
    note: str = ""
    chart: bool = True  # whether its rows are counts a bar chart can show


# The rows of the tables whose rows are fixed: (the key in a year's counts, the row's label).
REPRESENTATION_ROWS = (
    ("valid", "Valid complaints"),
    ("not_pursued", "Withdrawn, not pursued or resolved early"),
    ("ineligible", "Ineligible"),
    ("total", "Total representations considered"),
)
OMBUDSMAN_ROWS = (
    ("referred", "Referred to the Ombudsman"),
    ("premature", "Of which premature"),
)
# The response-time rows after the bands (`within-<days>`).
UNBANDED_ROWS = (
    ("outside", "Outside the statutory timescale"),
    ("pending", "Not yet answered, still in time"),
)

Years = list[Mapping[str, Any]]  # this year's counts first, then the years before it


def tables(data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]]) -> list[Table]:
    """The report as tables, this year first and the years before it beside it."""
    years = [data, *data["previous_years"]]
    notes = data["footnotes"]
    return [
        _fixed("representations", "Representations considered", REPRESENTATION_ROWS, years, notes),
        *(_outcomes(stage, years, notes["outcomes"]) for stage in data["outcomes"]),
        _escalations(data["escalations"], years, notes["escalations"]),
        *(
            table
            for stage in data["response_times"]
            for table in _response_times(stage, years, notes)
        ),
        *(_breakdown(key, fact, title, years, labels) for key, fact, title in BREAKDOWNS),
        _fixed("ombudsman", "Ombudsman", OMBUDSMAN_ROWS, years, notes),
    ]


def _fixed(
    key: str, title: str, rows: tuple[tuple[str, str], ...], years: Years, notes: Mapping[str, str]
) -> Table:
    """A table whose rows are the same every year: the section `key` of each year's counts."""
    return Table(
        key,
        title,
        tuple((label, tuple(y[key][row] for y in years)) for row, label in rows),
        notes[key],
    )


def _outcomes(stage: str, years: Years, note: str) -> Table:
    return Table(
        f"outcomes-{stage}",
        f"Outcomes at {stage}",
        tuple(
            (
                column.replace("-", " ").capitalize(),
                tuple(y["outcomes"][stage][column] for y in years),
            )
            for column in OUTCOME_COLUMNS
        ),
        note,
    )


def _escalations(stages: Iterable[str], years: Years, note: str) -> Table:
    return Table(
        "escalations",
        "Escalations",
        tuple((f"To {stage}", tuple(y["escalations"][stage] for y in years)) for stage in stages),
        note,
    )


def _response_times(stage: str, years: Years, notes: Mapping[str, str]) -> tuple[Table, Table]:
    """A stage's answers by how long they took, in its bands; and the share answered in time."""
    times = years[0]["response_times"][stage]
    bands = [
        (band, f"{band.split('-')[1]} working days or less")
        for band in times
        if band.startswith("within-")
    ]
    rows = tuple(
        (name, tuple(y["response_times"][stage][band] for y in years))
        for band, name in [*bands, *UNBANDED_ROWS]
    )
    in_time = tuple(y["response_times"][stage]["in_time_percent"] for y in years)
    return (
        Table(
            f"response-times-{stage}",
            f"Response times at {stage}",
            rows,
            notes[f"response_times.{stage}"],
        ),
        Table(
            f"in-time-{stage}",
            f"Answered in time at {stage} (%)",
            (("Answered in time (%)", in_time),),
            chart=False,
        ),
    )


def _breakdown(
    key: str, fact: str, title: str, years: Years, labels: Mapping[str, Mapping[str, str]]
) -> Table:
    """The cases by the value of a fact, every value any year has, named as the library names
    it; and their total."""
    names = list(dict.fromkeys(k for y in years for k in y[key]))
    rows = [(labels.get(fact, {}).get(n, n), tuple(y[key].get(n, 0) for y in years)) for n in names]
    rows.append(("Total", tuple(sum(y[key].values()) for y in years)))
    return Table(key.replace("_", "-"), title, tuple(rows))


def needs(data: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    """What the records needed: (warning, how many cases, which), and the unreadable records."""
    found = []
    for code, entry in data["warnings"].items():
        more = entry["count"] - len(entry["cases"])
        found.append(
            (
                code,
                entry["count"],
                ", ".join(entry["cases"]) + (f" and {more} more" if more > 0 else ""),
            )
        )
    if data["refused"]["count"]:
        refs = "; ".join(f"{c['case']}: {c['why']}" for c in data["refused"]["cases"])
        found.append(("not counted (the record cannot be read)", data["refused"]["count"], refs))
    return found


def _heads(data: Mapping[str, Any]) -> list[str]:
    return [data["year"], *(y["year"] for y in data["previous_years"])]


def _shown(value: Any, table: Table) -> str:
    if value is None:
        return ""
    return f"{value}%" if not table.chart else str(value)


def markdown(data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]]) -> str:
    """The report as Markdown: one table per section, this year beside the ones before."""
    heads = _heads(data)
    out = [
        f"# Children's social care complaints, {data['year']}",
        "",
        f"From {data['from']} to {data['to']}.",
    ]
    for table in tables(data, labels):
        out += [
            "",
            f"## {table.title}",
            "",
            "| | " + " | ".join(heads) + " |",
            "|---|" + "---:|" * len(heads),
        ]
        out += [
            f"| {label} | " + " | ".join(_shown(v, table) for v in values) + " |"
            for label, values in table.rows
        ]
        if table.note:
            out += ["", f"_{table.note}_"]
    found = needs(data)
    if found:
        out += [
            "",
            "## What the records needed",
            "",
            "| warning | cases | references |",
            "|---|---:|---|",
        ]
        out += [f"| {code} | {count} | {_cell(refs)} |" for code, count, refs in found]
    return "\n".join(out) + "\n"


def text(data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]]) -> str:
    """The report as plain text, columns aligned."""
    heads = _heads(data)
    out = [f"Children's social care complaints, {data['year']} ({data['from']} to {data['to']})"]
    for table in tables(data, labels):
        width = max([len(label) for label, _ in table.rows] + [len(table.title)])
        out += ["", f"{table.title:<{width}}  " + "  ".join(f"{h:>8}" for h in heads)]
        out += [
            f"{label:<{width}}  " + "  ".join(f"{_shown(v, table):>8}" for v in values)
            for label, values in table.rows
        ]
        if table.note:
            out.append(f"  ({table.note})")
    found = needs(data)
    if found:
        out += ["", "What the records needed:"]
        out += [f"  {code}: {count} ({refs})" for code, count, refs in found]
    return "\n".join(out) + "\n"


def csv_files(data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """One CSV file per table, by file name: a row per line, a column per year."""
    import csv
    import io

    files = {}
    for table in tables(data, labels):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([table.title, *_heads(data)])
        for label, values in table.rows:
            writer.writerow([label, *("" if v is None else v for v in values)])
        files[f"{table.key}.csv"] = buffer.getvalue()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["warning", "cases", "references"])
    for row in needs(data):
        writer.writerow(row)
    files["warnings.csv"] = buffer.getvalue()
    return files


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
