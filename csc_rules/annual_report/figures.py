"""The figures a council gives beside its case records (`csc-rules report --figures FILE.yaml`)
for what the records cannot hold: its tables of earlier years as it published them, and each
year's counts from elsewhere (compliments, enquiries, the Ombudsman's annual letter).

The file is checked against rules/report-figures.schema.json, then against the report's own
rows (its stages and their bands, the years as `--year` writes them), every problem located by
file, line and column; one that does not pass makes no report."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .._suggest import did_you_mean
from ..diagnostics import Diagnostic, display_path, sort_unique
from ..errors import Failures
from ..reading import schema
from ..reading.loader import Document, load
from .tally import Frame

PUBLISHED = "published"  # the key of a year's published tables; the rest of a year is `given`
SCHEMA = "report-figures"


@dataclass(frozen=True)
class Figures:
    """A figures file, read and checked: by year, the tables as published and the inputs
    given."""

    path: str  # as messages name it
    council: str | None = None
    published: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    given: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def years(self) -> list[str]:
        return sorted({*self.published, *self.given})


def read_figures(path: Path, frame: Frame) -> Figures:
    """The figures in `path`; Failures, every problem located, if the file cannot be read or
    does not pass its checks."""
    document, problems = load(path)
    problems = [  # the reader's words are for a procedure file
        replace(p, message="is empty: a figures file gives `years:`, each with its figures")
        if p.code == "empty-file"
        else p
        for p in problems
    ]
    if document is not None and not problems:
        problems = schema.check(document.data, SCHEMA, document)
        problems = sort_unique([*problems, *_meaning(document, frame)])
    if document is None or problems:
        count = len(problems)
        raise Failures(
            f"{display_path(path)}: {count} problem{'s' * (count != 1)} in the figures file "
            "(see rules/report-figures.schema.json and 'Figures given beside the records' in "
            "docs/complaints-managers.md); no report was made",
            problems,
            code="bad-figures",
        )
    years: Mapping[str, Mapping[str, Any]] = document.data["years"]
    return Figures(
        display_path(path),
        document.data.get("council"),
        {year: entry[PUBLISHED] for year, entry in years.items() if PUBLISHED in entry},
        {year: {k: v for k, v in entry.items() if k != PUBLISHED} for year, entry in years.items()},
    )


def _meaning(document: Document, frame: Frame) -> Iterator[Diagnostic]:
    """What the schema cannot check: each year written as `--year` writes it, the stages and
    bands the report counts, and the Ombudsman's decisions adding up to those it made."""
    years = document.data.get("years") if isinstance(document.data, dict) else None
    for year, entry in years.items() if isinstance(years, dict) else ():
        at = ("years", year)
        problem = year_problem(str(year))
        if problem:
            yield document.diagnostic(at, "bad-year", problem, key=True)
        published = _mapping(entry, PUBLISHED)
        yield from _stages(document, frame, at + (PUBLISHED,), published)
        ombudsman = _mapping(entry, "ombudsman")
        decisions, decided = _mapping(ombudsman, "decisions"), ombudsman.get("decided")
        counts = [v for v in decisions.values() if _is_count(v)]
        if (
            decisions
            and _is_count(decided)
            and len(counts) == len(decisions)
            and sum(counts) != decided
        ):
            yield document.diagnostic(
                at + ("ombudsman", "decisions"),
                "figures-disagree",
                f"the decisions add up to {sum(counts)}, not the {decided} that "
                "`decided` gives: give every decision, or correct `decided`",
            )


def year_problem(year: str) -> str | None:
    """Why `year` is not a reporting year as `--year` writes it (2024-25), if it is not."""
    first, _, second = year.partition("-")
    if not (len(first) == 4 and first.isdigit() and len(second) == 2 and second.isdigit()):
        return (
            f"`{year}` is not a reporting year: write it as 2024-25, the first year in full and "
            "the second as its last two digits"
        )
    if (int(first) + 1) % 100 != int(second):
        return f"`{year}` is not a reporting year: the year after {first} is {int(first) + 1}"
    return None


def _stages(
    document: Document, frame: Frame, at: tuple[str, ...], published: Mapping[str, Any]
) -> Iterator[Diagnostic]:
    """The stages a published table names are the report's; a band is one of the stage's."""
    stages = {s.id: s for s in frame.stages}
    later = [s.id for s in frame.stages[1:]]
    for section, allowed in (
        ("outcomes", list(stages)),
        ("response_times", list(stages)),
        ("escalations", later),
    ):
        for stage, rows in _mapping(published, section).items():
            if stage not in allowed:
                yield document.diagnostic(
                    at + (section, stage),
                    "unknown-stage",
                    f"`{stage}` is not a stage the report counts{did_you_mean(stage, allowed)} "
                    f"(its stages here: {', '.join(allowed)}; see `annual_report` in "
                    "rules/vocabulary.yaml)",
                    key=True,
                )
            elif section == "response_times":
                bands = [b for b in stages[stage].band_names if b.startswith("within-")]
                for row in _mapping(rows):
                    if str(row).startswith("within-") and row not in bands:
                        yield document.diagnostic(
                            at + (section, stage, row),
                            "unknown-band",
                            f"`{row}` is not one of {stage}'s bands{did_you_mean(row, bands)} "
                            f"(its bands: {', '.join(bands)})",
                            key=True,
                        )


def _mapping(value: Any, key: str | None = None) -> Mapping[str, Any]:
    """`value[key]` (or `value`) if it is a mapping, else an empty one: the schema reports the
    rest, so that the checks of meaning run on whatever is sound."""
    if key is not None:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
