"""The annual report's tables from a `Tally`: the JSON document other systems rely on, and
the same as Markdown and text for people. Each table says how it was counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from .annual_report import INELIGIBLE, NOT_PURSUED, OPEN, VALID, WITHDRAWN, Frame, Tally
from .case import OUTCOMES

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


def markdown(data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]]) -> str:
    """The report as Markdown: one table per section, this year beside the ones before."""
    years = [data, *data["previous_years"]]
    heads = " | ".join(y["year"] for y in years)
    rule = "|---|" + "---:|" * len(years)
    out = [
        f"# Children's social care complaints, {data['year']}",
        "",
        f"From {data['from']} to {data['to']}.",
        "",
        "## Representations considered",
        "",
        f"| | {heads} |",
        rule,
    ]
    for key, label in (
        ("valid", "Valid complaints"),
        ("not_pursued", "Withdrawn, not pursued or resolved early"),
        ("ineligible", "Ineligible"),
        ("total", "Total representations considered"),
    ):
        out.append(
            f"| {label} | " + " | ".join(str(y["representations"][key]) for y in years) + " |"
        )
    out += ["", f"_{data['footnotes']['representations']}_"]
    for stage in data["outcomes"]:
        out += ["", f"## Outcomes at {stage}", "", f"| | {heads} |", rule]
        for column in OUTCOME_COLUMNS:
            out.append(
                f"| {column.replace('-', ' ').capitalize()} | "
                + " | ".join(str(y["outcomes"][stage][column]) for y in years)
                + " |"
            )
    out += [
        "",
        f"_{data['footnotes']['outcomes']}_",
        "",
        "## Escalations",
        "",
        f"| | {heads} |",
        rule,
    ]
    for stage in data["escalations"]:
        out.append(
            f"| To {stage} | " + " | ".join(str(y["escalations"][stage]) for y in years) + " |"
        )
    out += ["", f"_{data['footnotes']['escalations']}_"]
    for stage, times in data["response_times"].items():
        out += ["", f"## Response times at {stage}", "", f"| | {heads} |", rule]
        for band in [k for k in times if k.startswith("within-")] + ["outside", "pending"]:
            name = (
                f"{band.split('-')[1]} working days or less"
                if band.startswith("within-")
                else "Outside the statutory timescale"
                if band == "outside"
                else "Not yet answered, still in time"
            )
            out.append(
                f"| {name} | "
                + " | ".join(str(y["response_times"][stage][band]) for y in years)
                + " |"
            )
        out.append(
            "| Answered in time (%) | "
            + " | ".join(_percent(y["response_times"][stage]["in_time_percent"]) for y in years)
            + " |"
        )
        out += ["", f"_{data['footnotes'][f'response_times.{stage}']}_"]
    for key, fact, title in BREAKDOWNS:
        out += ["", f"## {title}", "", f"| | {heads} |", rule]
        rows = list(dict.fromkeys(k for y in years for k in y[key]))
        for row in rows:
            name = labels.get(fact, {}).get(row, row)
            out.append(f"| {name} | " + " | ".join(str(y[key].get(row, 0)) for y in years) + " |")
        out.append("| Total | " + " | ".join(str(sum(y[key].values())) for y in years) + " |")
    out += ["", "## Ombudsman", "", f"| | {heads} |", rule]
    for key, label in (
        ("referred", "Referred to the Ombudsman"),
        ("premature", "Of which premature"),
    ):
        out.append(f"| {label} | " + " | ".join(str(y["ombudsman"][key]) for y in years) + " |")
    out += ["", f"_{data['footnotes']['ombudsman']}_"]
    if data["warnings"] or data["refused"]["count"]:
        out += [
            "",
            "## What the records needed",
            "",
            "| warning | cases | references |",
            "|---|---:|---|",
        ]
        for code, found in data["warnings"].items():
            more = found["count"] - len(found["cases"])
            refs = ", ".join(found["cases"]) + (f" and {more} more" if more > 0 else "")
            out.append(f"| {code} | {found['count']} | {refs} |")
        if data["refused"]["count"]:
            refs = "; ".join(f"{c['case']}: {c['why']}" for c in data["refused"]["cases"])
            out.append(
                f"| not counted (the record cannot be read) | {data['refused']['count']} | {_cell(refs)} |"
            )
    return "\n".join(out) + "\n"


def _percent(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
