"""Figure by figure: the report's JSON against count.py's figures."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

# The tables of cases by a fact's value: compared as a whole, rows with 0 left out (whether a
# table lists the categories nobody fell in is a matter of layout, not of counting).
BREAKDOWNS = ("complainants", "subjects", "service_areas", "points_of_receipt")


def figures(year: Mapping[str, Any]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(where, value) for every figure of one year's counts as count.py gives them."""
    for section in ("representations", "escalations", "ombudsman"):
        for key, value in year[section].items():
            yield (section, key), value
    for section in ("outcomes", "response_times"):
        for stage, columns in year[section].items():
            for key, value in columns.items():
                yield (section, stage, key), value
    for section in BREAKDOWNS:
        yield (section,), _counted(year[section])


def lookup(data: Mapping[str, Any], where: tuple[str, ...]) -> Any:
    """The value at a place in a year's counts, "absent" if there is none."""
    value: Any = data
    for key in where:
        if not isinstance(value, Mapping) or key not in value:
            return "absent"
        value = value[key]
    return _counted(value) if where[0] in BREAKDOWNS else value


def _counted(rows: Mapping[str, int]) -> dict[str, int]:
    return {k: v for k, v in rows.items() if v}


def differences(engine: Mapping[str, Any], checker: Mapping[str, Any]) -> list[str]:
    """Every figure of `checker` (this year, the years before it, the cases left out) that
    `engine` gives otherwise, as `year where: engine X, count.py Y`."""
    found = []
    engine_years = {y["year"]: y for y in [engine, *engine.get("previous_years", [])]}
    for year in [checker, *checker["previous_years"]]:
        theirs = engine_years.get(year["year"], {})
        for where, value in figures(year):
            given = lookup(theirs, where)
            if given != value:
                found.append(f"{year['year']} {'.'.join(where)}: engine {given}, count.py {value}")
    for key, value in checker["left_out"].items():
        given = engine.get("left_out", {}).get(key, "absent")
        if given != value:
            found.append(f"left_out.{key}: engine {given}, count.py {value}")
    return found
