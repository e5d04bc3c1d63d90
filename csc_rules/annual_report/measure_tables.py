"""The tables of the further measures (`measures`), and of the figures a council gives beside
its records for what they cannot hold (each year's `given`: compliments, enquiries and the
Ombudsman's annual letter). Each is shown when there is something to show: a table of figures
nobody recorded would say 0 where the truth is "not known"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .measures import (
    ACKNOWLEDGEMENT_ROWS,
    ADVOCACY,
    COMPLIANCE,
    DECISION_ROWS,
    DECISIONS,
    NO,
    NOT_RECORDED,
    REMEDIES,
    YES,
)
from .tables import Table

Years = list[Mapping[str, Any]]  # this year first, then the years before it
ENQUIRIES = {"mp": "Enquiries from MPs", "councillor": "Enquiries from councillors"}
ADVOCACY_ROWS = {
    "offered": ("Advocacy offered", "Not offered", "Offer not recorded"),
    "taken_up": ("Advocate taken up", "Not taken up", "Take-up not recorded"),
}


def measure_tables(data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]]) -> list[Table]:
    """The tables of the measures and the figures given, in the order the page shows them."""
    years: Years = [data, *data["previous_years"]]
    notes = data["footnotes"]
    found = [
        _ombudsman_decisions(years, notes),
        *_ombudsman_letter(years, notes),
        _escalation_rates(years, notes),
        *_acknowledgements(years, notes),
        _advocacy(years, notes),
        *(
            _equality(fact, title, years, labels, notes)
            for fact, title in (data.get("equality_facts") or {}).items()
        ),
        _compliments(years, notes),
        _actions(data, labels, notes),
    ]
    return [table for table in found if table is not None]


def _part(year: Mapping[str, Any], *keys: str) -> Any:
    """The section at `keys` of a year's figures; None where the year has none."""
    value: Any = year
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _row(label: str, years: Years, keys: tuple[str, ...], row: str, default: Any = 0) -> Any:
    """A table row: each year's figure `row` of its section at `keys`; None for a year with no
    figures from records ("no data") or no such section, `default` for one whose section lacks
    the row. What the council gives (`given`) stands whether or not the year has records."""
    cells = []
    for year in years:
        counted = keys[0] != "given"
        section = None if counted and year.get("no_data") else _part(year, *keys)
        cells.append(section.get(row, default) if isinstance(section, Mapping) else None)
    return (label, tuple(cells))


def _escalation_rates(years: Years, notes: Mapping[str, str]) -> Table | None:
    stages = _part(years[0], "escalation_rates") or {}
    if not stages:
        return None
    rows = tuple(
        _row(f"From {entry['from']} to {stage}", years, ("escalation_rates", stage), "percent")
        for stage, entry in stages.items()
    )
    return Table(
        "escalation-rates",
        "Escalation rates (%)",
        rows,
        notes.get("escalation_rates", ""),
        chart=False,
        unit="%",
    )


def _acknowledgements(years: Years, notes: Mapping[str, str]) -> tuple[Table, ...]:
    if _part(years[0], "acknowledgements") is None:
        return ()
    known = dict(ACKNOWLEDGEMENT_ROWS)
    found = [
        status
        for year in years
        for status in _part(year, "acknowledgements") or {}
        if status not in known and status not in ("total", "in_time_percent")
    ]
    rows = [*ACKNOWLEDGEMENT_ROWS, *((s, s.capitalize()) for s in dict.fromkeys(found))]
    share = _row("Acknowledged in time (%)", years, ("acknowledgements",), "in_time_percent")
    counts = Table(
        "acknowledgements",
        "Acknowledgements",
        tuple(
            _row(label, years, ("acknowledgements",), row)
            for row, label in [*rows, ("total", "Total")]
        ),
        notes.get("acknowledgements", ""),
    )
    if all(value is None for value in share[1]):  # no procedure shown sets a time to acknowledge
        return (counts,)
    in_time = Table(
        "acknowledged-in-time", "Acknowledged in time (%)", (share,), chart=False, unit="%"
    )
    return counts, in_time


def _ombudsman_decisions(years: Years, notes: Mapping[str, str]) -> Table | None:
    referred = any(_part(y, "ombudsman", "referred") for y in years)
    if not referred and not any(_part(y, "ombudsman_decisions", "decided") for y in years):
        return None
    rows = [
        *DECISION_ROWS,
        (REMEDIES, "Of those decided, with a remedy recorded"),
        *COMPLIANCE,
    ]
    return Table(
        "ombudsman-decisions",
        "The Ombudsman's decisions on the complaints referred",
        tuple(_row(label, years, ("ombudsman_decisions",), row) for row, label in rows),
        notes.get("ombudsman_decisions", ""),
    )


def _ombudsman_letter(years: Years, notes: Mapping[str, str]) -> tuple[Table, ...]:
    """The Ombudsman's annual letter, as the council gives it (`given.ombudsman`)."""
    letters = [_part(y, "given", "ombudsman") for y in years]
    if not any(letters):
        return ()
    known = dict(DECISIONS)
    other = [
        k for letter in letters for k in (letter or {}).get("decisions") or {} if k not in known
    ]
    decisions = [*DECISIONS, *((k, _words(k).capitalize()) for k in dict.fromkeys(other))]
    key = ("given", "ombudsman")
    rows = (
        _row("Complaints the Ombudsman received", years, key, "received", None),
        _row("Decisions the Ombudsman made", years, key, "decided", None),
        *(_row(label, years, (*key, "decisions"), row) for row, label in decisions),
        _row("Remedies agreed", years, key, "remedies", None),
    )
    return (
        Table(
            "ombudsman-letter",
            "The Ombudsman's annual letter (children's services)",
            rows,
            notes.get("ombudsman_letter", ""),
        ),
        Table(
            "ombudsman-compliance",
            "The Ombudsman's recommendations complied with (%)",
            (_row("Complied with (%)", years, key, "compliance_percent", None),),
            chart=False,
            unit="%",
        ),
    )


def _advocacy(years: Years, notes: Mapping[str, str]) -> Table | None:
    said = any(
        (_part(y, "advocacy", key) or {}).get(answer)
        for y in years
        for key, _ in ADVOCACY
        for answer in (YES, NO)
    )
    if not said:
        return None
    rows = tuple(
        _row(label, years, ("advocacy", key), answer)
        for key, _ in ADVOCACY
        for answer, label in zip((YES, NO, NOT_RECORDED), ADVOCACY_ROWS[key], strict=True)
    )
    total = _row("Total valid complaints", years, ("advocacy",), "total")
    return Table("advocacy", "Advocacy", (*rows, total), notes.get("advocacy", ""))


def _equality(
    fact: str,
    title: str,
    years: Years,
    labels: Mapping[str, Mapping[str, str]],
    notes: Mapping[str, str],
) -> Table | None:
    """Every category of the fact, those nobody fell in included, then those not recorded."""
    counts = [_part(y, "equality", fact) for y in years]
    if not any(n for c in counts for k, n in (c or {}).items() if k != NOT_RECORDED):
        return None
    named = labels.get(fact, {})
    values = list(dict.fromkeys([*named, *(k for c in counts for k in c or {})]))
    values = [v for v in values if v != NOT_RECORDED] + [NOT_RECORDED]
    rows = [
        _row(named.get(v, "Not recorded" if v == NOT_RECORDED else v), years, ("equality", fact), v)
        for v in values
    ]
    # a year with no figures ("no data") has no total either
    total = ("Total", tuple(_total(c) for c in counts))
    key = "equality-" + fact.replace(".", "-").replace("_", "-")
    return Table(key, title, (*rows, total), notes.get("equality", ""))


def _compliments(years: Years, notes: Mapping[str, str]) -> Table | None:
    """Compliments and enquiries as the council gives them (`given`)."""
    given = [_part(y, "given") or {} for y in years]
    kinds = list(dict.fromkeys(k for g in given for k in g.get("enquiries") or {}))
    if not kinds and not any("compliments" in g for g in given):
        return None
    rows = (
        _row("Compliments received", years, ("given",), "compliments", None),
        *(
            _row(ENQUIRIES.get(k, f"Enquiries: {_words(k)}"), years, ("given", "enquiries"), k)
            for k in kinds
        ),
    )
    return Table("compliments", "Compliments and enquiries", rows, notes.get("compliments", ""))


def _actions(
    data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]], notes: Mapping[str, str]
) -> Table | None:
    """The actions agreed in the year, by service area, in words only: never a case reference."""
    actions: Iterable[Mapping[str, Any]] = data.get("actions") or []
    areas = labels.get("service_area", {})
    rows = tuple(
        (
            "Not recorded"
            if a["service_area"] == NOT_RECORDED
            else areas.get(a["service_area"], a["service_area"]),
            (a["action"], a["complaints"]),
        )
        for a in actions
    )
    if not rows:
        return None
    return Table(
        "actions",
        "Learning: actions agreed in the year",
        tuple(sorted(rows, key=lambda row: (row[0].casefold(), str(row[1][0]).casefold()))),
        notes.get("actions", ""),
        chart=False,
        heads=("Action agreed", "Complaints"),
    )


def _words(key: str) -> str:
    return key.replace("-", " ").replace("_", " ")


def _total(counts: Mapping[str, Any] | None) -> int | None:
    """The sum of a year's counts; None for a year with no figures."""
    if counts is None or any(n is None for n in counts.values()):
        return None
    return int(sum(counts.values()))
