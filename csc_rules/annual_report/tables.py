"""The annual report's tables from a `Tally`: the JSON document other systems rely on, and
the same as Markdown, text and CSV for people. Each table says how it was counted."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..cases.results import CANCELLED, MET, MISSED, OVERDUE, PENDING, UNRECORDED
from .categories import GROUP, SUB, Categories, breakdown_rows, in_order
from .figures import Figures
from .measures import figures as measure_figures
from .measures import footnotes as measure_footnotes
from .tally import (
    AFTER_AS_OF,
    INELIGIBLE,
    NOT_PURSUED,
    OTHER_COUNCILS,
    OUTCOME_COLUMNS,
    TIME_ROWS,
    VALID,
    Frame,
    Tally,
)

# The facts each breakdown counts, and its key in the JSON document.
BREAKDOWNS = (
    ("complainants", "complainant.role", "Who complained"),
    ("subjects", "subject", "Subject (primary area of concern)"),
    ("subjects_raised", "subject", "Every subject raised"),
    ("service_areas", "service_area", "Service area"),
    ("points_of_receipt", "point_of_receipt", "Point of receipt"),
)
# Keys of a year that describe it rather than count: kept in a year with no figures.
DESCRIBING = ("year", "from", "to", "in_time_within", "measured")


def document(
    tally: Tally,
    year: str,
    years: int = 5,
    as_of: dt.date | None = None,
    council: Mapping[str, str] | None = None,
    figures: Figures | None = None,
) -> dict[str, Any]:
    """The report for `year` as of `as_of` (default the year's last day), with the `years - 1`
    years before it under `previous_years`; `council` ({"id", "name"}) when it is one
    council's, whose own categories (if it lists any) give the rows of the tables by a fact;
    and the `figures` given beside the records. What could not be counted comes first."""
    first = int(year.split("-")[0])
    labels = [f"{y}-{str(y + 1)[-2:]}" for y in range(first, first - years, -1)]
    own = tally.frame.categories.get(council["id"], {}) if council is not None else {}
    notices: list[str] = []
    this, *earlier = (_column(tally, label, own, figures, notices) for label in labels)
    data: dict[str, Any] = {key: this[key] for key in ("year", "from", "to")}
    data["as_of"] = (as_of or tally.frame.year(year)[1]).isoformat()
    data["council"] = dict(council) if council is not None else None
    data["refused"] = {
        "count": tally.refused_count,
        "listed": len(tally.refused),
        "cases": [{"case": ref, "where": where, "why": why} for ref, where, why in tally.refused],
    }
    data["notices"] = notices + _not_shown(figures, labels)
    data.update(this)
    data["previous_years"] = earlier
    # Counted, not dropped unseen: why each case read and not in the tables was left out.
    data["left_out"] = {
        AFTER_AS_OF: tally.left_out[AFTER_AS_OF],
        OTHER_COUNCILS: tally.left_out[OTHER_COUNCILS],
        "other_years": sum(
            sum(counts.representations.values())
            for label, counts in tally.years.items()
            if label not in labels
        ),
    }
    data["warnings"] = {
        code: {"count": count, "cases": references}
        for code, (count, references) in sorted(tally.warnings.items())
    }
    data["categories"] = {fact: listed.as_json() for fact, listed in own.items()}
    data["footnotes"] = footnotes(tally.frame, data["from"], data["to"])
    data["equality_facts"] = dict(tally.frame.measures.equality)  # each with its table's title
    data["sources"] = list(tally.frame.sources)
    return data


def _column(
    tally: Tally,
    label: str,
    own: Mapping[str, Categories],
    figures: Figures | None,
    notices: list[str],
) -> dict[str, Any]:
    """One year's column: counted from its records; or as the council published it (`figures`),
    the counted figures kept under `counted`; or, with neither, no figures at all (null), never
    0. With what the figures file gives for the year, under `given`."""
    counted = _year(tally, label, own) if label in tally.years else None
    published = figures.published.get(label) if figures is not None else None
    if published is None and counted is not None:
        column = counted
    else:
        column = _overlaid(_no_figures(_year(tally, label, own)), published or {})
    head = {key: column.pop(key) for key in ("year", "from", "to")}
    flags = {"published": published is not None, "no_data": counted is None and not published}
    column = head | flags | column
    if figures is not None and published is not None and counted is not None:
        records = sum(tally.years[label].representations.values())
        notices.append(
            f"{label}: the figures {figures.path} gives as published are shown, not those "
            f"counted from the {records} records of that year (kept under `counted` in the JSON)"
        )
        column["counted"] = {k: v for k, v in counted.items() if k not in head}
    if figures is not None and label in figures.given:
        column["given"] = dict(figures.given[label])
    return column


def _no_figures(value: Any, key: str = "") -> Any:
    """A year's counts with every figure null: the shape of a year, for a year with no
    records."""
    if isinstance(value, Mapping):
        return {k: _no_figures(v, k) for k, v in value.items()}
    return value if key in DESCRIBING else None


def _overlaid(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with the values of `over` laid on it, mapping by mapping."""
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            base[key] = _overlaid(base[key], value)
        else:
            base[key] = value
    return base


def _not_shown(figures: Figures | None, labels: list[str]) -> list[str]:
    """A notice for each year the figures file gives that the tables do not show."""
    if figures is None:
        return []
    return [
        f"{label}: the figures {figures.path} gives for this year are not shown: the tables show "
        f"{labels[-1]} to {labels[0]} (--years)"
        for label in figures.years
        if label not in labels
    ]


def _year(tally: Tally, label: str, own: Mapping[str, Categories]) -> dict[str, Any]:
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
        data["outcomes"][stage.id] = {c: outcomes[c] for c, _, _ in OUTCOME_COLUMNS} | {
            "total": outcomes["total"]
        }
        if index:
            data["escalations"][stage.id] = outcomes["total"]
        times = counts.times.get(stage.id, Counter()) if counts else Counter()
        rules = counts.rules.get(stage.id, Counter()) if counts else Counter()
        judged, answered = times["judged"], times["answered"]
        data["response_times"][stage.id] = {
            **{row: times[row] for row in (*stage.band_names, *(r for r, _, _ in TIME_ROWS[1:]))},
            "total": times["total"],
            "in_time_percent": (100 * times["in_time"]) // judged if judged else None,
            "in_time_within": stage.in_time_within,
            "measured": f"{stage.opened_by} to {stage.timed_to}",
            "answered": answered,
            # one decimal, a half rounded up, worked in whole numbers
            "average_days": (20 * times["days"] + answered) // (2 * answered) / 10
            if answered
            else None,
            "extended": times["extended"],
            "by_the_rules": {status: rules[status] for status in sorted(rules)},
        }
    for key, fact, _ in BREAKDOWNS:
        found: Counter[str] = getattr(counts, key) if counts else Counter()
        data[key] = in_order(found, own.get(fact))
    ombudsman = counts.ombudsman if counts else Counter()
    data["ombudsman"] = {"referred": ombudsman["referred"], "premature": ombudsman["premature"]}
    data.update(measure_figures(frame.measures, counts.measures if counts else None))
    return data


def footnotes(frame: Frame, start: str, end: str) -> dict[str, str]:
    """How each table is counted, in words: the words of the rules `tally` counts by."""
    first, later = frame.stages[0], frame.stages[1:]
    opened_later = " or ".join(f"`{s.opened_by}`" for s in later) or "a later stage"
    columns = _rules((label, rule) for _, label, rule in OUTCOME_COLUMNS)
    notes = {
        "representations": (
            f"Every case received from {start} to {end}, by the day of receipt; a case received "
            "after the as-of date is not counted. Ineligible: the eligibility rules found it "
            "ineligible. Not pursued: a rule sent it elsewhere (settled early, or another "
            "route), or it ended (withdrawn or resolved) at the first stage, with no "
            f"`{first.answered_by}` and no {opened_later}. Valid: the rest, whatever happened "
            "to them later; every other table counts them."
        ),
        "outcomes": (
            "Valid complaints received in the year that reached each stage, each in one row. "
            f"{columns}. A stage is counted in the year the complaint was received, whenever it "
            "happened."
        ),
        "escalations": "Valid complaints received in the year that went on to each later stage.",
        "subjects_raised": (
            "Every subject each valid complaint received in the year raised: its primary subject "
            "and each further one its record gives, once a complaint; a complaint raising "
            "several is counted under each, so the total can exceed the number of complaints."
        ),
        "ombudsman": (
            "Valid complaints received in the year that were referred to the Ombudsman, and those "
            "referred before the council's procedure ended with no council duty overdue."
        ),
    }
    rows = _rules((label, rule) for _, label, rule in TIME_ROWS)
    for stage in frame.stages:
        bands = ", ".join(f"{b}" for b in stage.bands)
        notes[f"response_times.{stage.id}"] = (
            f"Working days from `{stage.opened_by}` to `{stage.timed_to}`, in bands of "
            f"{bands} working days or less; the limit is {stage.in_time_within} working days. "
            f"{rows}. In time: answered within {stage.in_time_within} working days, extended "
            "or not, as the published report counts it, out of those answered and those "
            "unanswered past the limit (the percentage rounded down)."
        )
        notes[f"by_the_rules.{stage.id}"] = (
            f"The duty `{stage.answered_by}` meets, as the procedure's own rules judged it on "
            "the as-of date, its limit extended where the records extend it: met in time, "
            "missed (done late), overdue (not done, past its limit), pending (not done, still "
            "in time), done on a day not recorded, or cancelled (the case moved on or ended "
            "first). The average counts the stages answered, in working days to "
            f"`{stage.timed_to}`, to one decimal."
        )
    notes.update(measure_footnotes(frame.measures))
    return notes


def _rules(rules: Iterable[tuple[str, str]]) -> str:
    """Rows and the rule for each as sentences, rows with the same rule together."""
    grouped: dict[str, list[str]] = {}
    for label, rule in rules:
        grouped.setdefault(rule, []).append(label)
    return ". ".join(f"{', '.join(labels)}: {rule}" for rule, labels in grouped.items())


@dataclass(frozen=True)
class Table:
    """One table of the report: rows of counts, one column per year, and how it was counted."""

    key: str  # a file name for it: representations, outcomes-<stage>, ...
    title: str
    rows: tuple[tuple[str, tuple[Any, ...]], ...]  # (label, a value per year)
    note: str = ""
    chart: bool = True  # whether its rows are counts a bar chart can show
    unit: str = ""  # what follows each value shown: "%" for a percentage
    # per row, when some are headings: "" a row, GROUP a heading (with no figures, or the sums
    # of the rows under it), SUB a row under the heading before it
    kinds: tuple[str, ...] = ()
    heads: tuple[str, ...] = ()  # the columns' heads, where they are not the years


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
OUTCOME_LABELS = {column: label for column, label, _ in OUTCOME_COLUMNS} | {"total": "Total"}
# The response-time rows after the bands (`within-<days>`).
TIME_LABELS = {row: label for row, label, _ in TIME_ROWS} | {"total": "Total"}
# The verdicts on a stage's duty, always shown (others the records give are added after).
RULE_ROWS = (
    (MET, "Duty met in time"),
    (MISSED, "Duty missed (done late)"),
    (OVERDUE, "Overdue (not done, past its limit)"),
    (PENDING, "Pending (not done, still in time)"),
    (UNRECORDED, "Done, on a day not recorded"),
    (CANCELLED, "Cancelled (the case moved on or ended)"),
)

Years = list[Mapping[str, Any]]  # this year's counts first, then the years before it


def tables(data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]]) -> list[Table]:
    """The report as tables, this year first and the years before it beside it."""
    from .measure_tables import measure_tables  # it builds on `Table`, defined here

    years = [data, *data["previous_years"]]
    notes = data["footnotes"]
    listed = {
        fact: Categories.of(fact, rows, str(rows["from"]))
        for fact, rows in (data.get("categories") or {}).items()
    }
    return [
        _fixed("representations", "Representations considered", REPRESENTATION_ROWS, years, notes),
        *(_outcomes(stage, years, notes["outcomes"]) for stage in data["outcomes"]),
        _escalations(data["escalations"], years, notes["escalations"]),
        *(
            table
            for stage in data["response_times"]
            for table in _response_times(stage, years, notes)
        ),
        *(
            _breakdown(key, fact, title, years, labels, listed.get(fact), notes.get(key, ""))
            for key, fact, title in BREAKDOWNS
        ),
        _fixed("ombudsman", "Ombudsman", OMBUDSMAN_ROWS, years, notes),
        # the measures name a category as the council's own list does, where it has one
        *measure_tables(
            data, {**labels, **{f: {**labels.get(f, {}), **c.labels} for f, c in listed.items()}}
        ),
    ]


def _fixed(
    key: str, title: str, rows: tuple[tuple[str, str], ...], years: Years, notes: Mapping[str, str]
) -> Table:
    """A table whose rows are the same every year: the section `key` of each year's counts."""
    return Table(
        key,
        title,
        tuple((label, tuple(figure(y, key, row) for y in years)) for row, label in rows),
        notes[key],
    )


def _outcomes(stage: str, years: Years, note: str) -> Table:
    return Table(
        f"outcomes-{stage}",
        f"Outcomes at {stage}",
        tuple(
            (
                OUTCOME_LABELS[column],
                tuple(figure(y, "outcomes", stage, column) for y in years),
            )
            for column in years[0]["outcomes"][stage]
        ),
        note,
    )


def _escalations(stages: Iterable[str], years: Years, note: str) -> Table:
    return Table(
        "escalations",
        "Escalations",
        tuple(
            (f"To {stage}", tuple(figure(y, "escalations", stage) for y in years))
            for stage in stages
        ),
        note,
    )


def _response_times(stage: str, years: Years, notes: Mapping[str, str]) -> tuple[Table, ...]:
    """A stage's answers by how long they took, in its bands; the share answered in time; and
    beside them, the statutory view: the duty as the rules judged it, and the average."""
    times = [figure(y, "response_times", stage) or {} for y in years]
    bands = [
        (band, f"{band.split('-')[1]} working days or less")
        for band in times[0]
        if band.startswith("within-")
    ]
    rows = tuple(
        (name, tuple(t.get(row) for t in times)) for row, name in [*bands, *TIME_LABELS.items()]
    )
    # the rules' verdicts are counted, never published: a year not counted has none
    judged = [
        t.get("by_the_rules") or {} if counted(y) else None
        for t, y in zip(times, years, strict=True)
    ]
    found = [s for j in judged for s in j or () if s not in dict(RULE_ROWS)]
    verdicts = [*RULE_ROWS, *((s, s.capitalize()) for s in dict.fromkeys(found))]
    rules = tuple(
        (name, tuple(None if j is None else j.get(s, 0) for j in judged)) for s, name in verdicts
    )
    extended = ("Of which the limit was extended", tuple(t.get("extended") for t in times))
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
            (("Answered in time (%)", tuple(t.get("in_time_percent") for t in times)),),
            chart=False,
            unit="%",
        ),
        Table(
            f"by-the-rules-{stage}",
            f"By the rules at {stage}",
            (*rules, extended),
            notes[f"by_the_rules.{stage}"],
        ),
        Table(
            f"average-days-{stage}",
            f"Average response time at {stage} (working days)",
            (("Average working days", tuple(t.get("average_days") for t in times)),),
            chart=False,
        ),
    )


def _breakdown(
    key: str,
    fact: str,
    title: str,
    years: Years,
    labels: Mapping[str, Mapping[str, str]],
    listed: Categories | None,
    note: str,
) -> Table:
    """The cases by the value of a fact: the council's categories under its headings, if it
    lists them; every other value any year has, named as the library names it; their total."""
    found = [y.get(key) for y in years]
    rows, kinds = breakdown_rows(found, [counted(y) for y in years], listed, labels.get(fact, {}))
    return Table(key.replace("_", "-"), title, rows, note, kinds=kinds)


def counted(year: Mapping[str, Any]) -> bool:
    """Whether a year's figures were counted from its records (not published, not missing)."""
    return not year.get("published") and not year.get("no_data")


def figure(year: Mapping[str, Any], *keys: str) -> Any:
    """The figure at `keys` in a year's counts; None where the year has none."""
    value: Any = year
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def needs(data: Mapping[str, Any], refused: bool = True) -> list[tuple[str, int, str]]:
    """What the records needed: (warning, how many cases, which), and with `refused` the
    records that could not be counted."""
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
    if refused and data["refused"]["count"]:
        refs = "; ".join(f"{c['where']}: {c['case']}: {c['why']}" for c in data["refused"]["cases"])
        found.append(("not counted (the record cannot be read)", data["refused"]["count"], refs))
    return found


REFUSED_HEADING = "Records not counted"


def refusal_notice(data: Mapping[str, Any], where: str) -> str | None:
    """What the report says first when records could not be counted: how many, and `where`
    they are listed."""
    count, listed = data["refused"]["count"], data["refused"]["listed"]
    if not count:
        return None
    records = "1 record" if count == 1 else f"{count} records"
    which = (
        "" if listed == count else f" (the first {listed}; the command's error output lists all)"
    )
    return (
        f"{records} {'is' if count == 1 else 'are'} not counted in these tables (unreadable, "
        f"impossible, or a second, different record of a case): see {where}{which}."
    )


def _title(data: Mapping[str, Any]) -> str:
    council = data.get("council")
    name = f", {council['name']}" if council else ""
    return f"Children's social care complaints{name}, {data['year']}"


def column_heads(data: Mapping[str, Any]) -> list[str]:
    """Each column's heading: its year, and whether its figures are the council's as published
    (`--figures`) rather than counted from records."""
    return [
        f"{y['year']} as published" if y.get("published") else y["year"]
        for y in (data, *data["previous_years"])
    ]


NO_DATA = "no data"  # what a year with no figure shows, never 0


def _shown(value: Any, table: Table) -> str:
    return NO_DATA if value is None else f"{value}{table.unit}"


def labelled(table: Table) -> Iterator[tuple[str, str, str | None, tuple[Any, ...]]]:
    """Each row as (label, kind, the heading it stands under if it is under one, values)."""
    heading = None
    for index, (label, values) in enumerate(table.rows):
        kind = table.kinds[index] if table.kinds else ""
        heading = label if kind == GROUP else heading if kind == SUB else None
        yield label, kind, heading if kind == SUB else None, values


def _cells(values: tuple[Any, ...], table: Table, count: int) -> list[str]:
    """A row's cells as shown; a heading with no figures of its own has blank ones."""
    return [_shown(v, table) for v in values] if values else [""] * count


def _notices(data: Mapping[str, Any]) -> list[str]:
    return [str(n) for n in data.get("notices") or ()]


def _columns(table: Table, years: list[str]) -> list[tuple[str, int, str]]:
    """Each column's head, its width in text (8 at least) and its alignment: figures to the
    right, words (an action agreed) to the left."""
    heads = table.heads or years
    found = []
    rows = [values for _, values in table.rows if values]  # a heading may have no figures
    for i, head in enumerate(heads):
        cells = [_shown(values[i], table) for values in rows]
        words = any(isinstance(values[i], str) for values in rows)
        found.append((head, max([8, len(head), *map(len, cells)]), "<" if words else ">"))
    return found


def markdown(data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]]) -> str:
    """The report as Markdown: one table per section, this year beside the ones before."""
    heads = column_heads(data)
    out = [f"# {_title(data)}", ""]
    notice = refusal_notice(data, f"“{REFUSED_HEADING}” at the end")
    if notice:
        out += [f"> **{notice}**", ""]
    out += [line for n in _notices(data) for line in (f"> {n}", "")]
    out.append(f"From {data['from']} to {data['to']}, as the records stood on {data['as_of']}.")
    for table in tables(data, labels):
        out += [
            "",
            f"## {table.title}",
            "",
            "| | " + " | ".join(table.heads or heads) + " |",
            "|---|"
            + "".join("---:|" if a == ">" else "---|" for _, _, a in _columns(table, heads)),
        ]
        out += [
            f"| {_MARKDOWN_LABEL[kind].format(_cell(label))} | "
            + " | ".join(_cell(c) for c in _cells(values, table, len(table.heads or heads)))
            + " |"
            for label, kind, _, values in labelled(table)
        ]
        if table.note:
            out += ["", f"_{table.note}_"]
    found = needs(data, refused=False)
    if found:
        out += [
            "",
            "## What the records needed",
            "",
            "| warning | cases | references |",
            "|---|---:|---|",
        ]
        out += [f"| {code} | {count} | {_cell(refs)} |" for code, count, refs in found]
    if notice:
        out += ["", f"## {REFUSED_HEADING}", "", "| where | case | why |", "|---|---|---|"]
        out += [
            f"| {_cell(c['where'])} | {_cell(c['case'])} | {_cell(c['why'])} |"
            for c in data["refused"]["cases"]
        ]
    return "\n".join(out) + "\n"


def text(data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]]) -> str:
    """The report as plain text, columns aligned."""
    heads = column_heads(data)
    out = [f"{_title(data)} ({data['from']} to {data['to']}, as of {data['as_of']})"]
    notice = refusal_notice(data, f"“{REFUSED_HEADING}” at the end")
    if notice:
        out += ["", f"NOTE: {notice}"]
    out += [f"NOTE: {n}" for n in _notices(data)]
    for table in tables(data, labels):
        shown = [
            (
                "  " + label if kind == SUB else label,
                _cells(values, table, len(table.heads or heads)),
            )
            for label, kind, _, values in labelled(table)
        ]
        width = max([len(label) for label, _ in shown] + [len(table.title)])
        columns = _columns(table, heads)
        out += ["", f"{table.title:<{width}}  " + "  ".join(f"{h:{a}{w}}" for h, w, a in columns)]
        out += [
            f"{label:<{width}}  "
            + "  ".join(f"{c:{a}{w}}" for c, (_, w, a) in zip(cells, columns, strict=True))
            for label, cells in shown
        ]
        if table.note:
            out.append(f"  ({table.note})")
    found = needs(data, refused=False)
    if found:
        out += ["", "What the records needed:"]
        out += [f"  {code}: {count} ({refs})" for code, count, refs in found]
    if notice:
        out += ["", f"{REFUSED_HEADING}:"]
        out += [f"  {c['where']}: {c['case']}: {c['why']}" for c in data["refused"]["cases"]]
    return "\n".join(out) + "\n"


REFUSED_CSV = "refused.csv"


def csv_files(data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """One CSV file per table, by file name: a row per line, a column per year; and when
    records could not be counted, `refused.csv` first, listing them."""
    files = {}
    if data["refused"]["count"]:
        files[REFUSED_CSV] = _csv(
            [
                ["where", "case", "why"],
                *([c["where"], c["case"], c["why"]] for c in data["refused"]["cases"]),
            ]
        )
    for table in tables(data, labels):
        heads = table.heads or column_heads(data)
        rows = [[table.title, *heads]]
        rows += [
            [
                f"{heading}: {label}" if heading else label,
                *((NO_DATA if v is None else v for v in values) if values else [""] * len(heads)),
            ]
            for label, _, heading, values in labelled(table)
        ]
        files[f"{table.key}.csv"] = _csv(rows)
    files["warnings.csv"] = _csv([["warning", "cases", "references"], *map(list, needs(data))])
    return files


def _csv(rows: Iterable[Iterable[Any]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


# How Markdown shows a row's label, by its kind: a heading in bold, a row under it indented.
_MARKDOWN_LABEL = {"": "{}", GROUP: "**{}**", SUB: "– {}"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
