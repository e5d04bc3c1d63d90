"""The rows of a table that counts cases by a fact (service area, subject, ...), as a council's
own report lists them: its categories in its order, under its headings, each named as it names
it. They come from the `report: categories:` section of the council's council.yaml, and travel
in the report's JSON (`categories`) so that anything that draws the tables draws them the same.
A council that lists none has the values its records give, as rules/vocabulary.yaml names them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Group:
    """A heading and the categories under it; or one category on its own (no heading)."""

    heading: str | None
    categories: tuple[tuple[str, str], ...]  # (code, label)


@dataclass(frozen=True)
class Categories:
    """One fact's categories as a council lists them. With `group_totals`, a heading's row gives
    the sum of the rows under it (the council's table does); without, it is a heading only."""

    fact: str
    groups: tuple[Group, ...]
    group_totals: bool
    source: str  # the file that lists them, as the report names it

    @classmethod
    def of(cls, fact: str, data: Mapping[str, Any], source: str) -> Categories:
        """From a council's `report: categories: <fact>:` (checked by rules/council.schema.json),
        or from the report's JSON, which gives them in the same shape."""
        groups = []
        for item in data["rows"]:
            if "group" in item:
                rows = tuple((str(r["code"]), str(r["label"])) for r in item.get("rows", ()))
                groups.append(Group(str(item["group"]), rows))
            else:
                groups.append(Group(None, ((str(item["code"]), str(item["label"])),)))
        return cls(fact, tuple(groups), bool(data.get("group_totals", False)), source)

    @property
    def labels(self) -> dict[str, str]:
        """Each category's label, by its code."""
        return {code: label for group in self.groups for code, label in group.categories}

    @property
    def codes(self) -> tuple[str, ...]:
        """Every category's code, in the council's order."""
        return tuple(code for group in self.groups for code, _ in group.categories)

    def as_json(self) -> dict[str, Any]:
        """The shape `of` reads, with the fact and the file they come from."""
        return {
            "fact": self.fact,
            "from": self.source,
            "group_totals": self.group_totals,
            "rows": [
                {"code": g.categories[0][0], "label": g.categories[0][1]}
                if g.heading is None
                else {
                    "group": g.heading,
                    "rows": [{"code": c, "label": n} for c, n in g.categories],
                }
                for g in self.groups
            ],
        }


def council_categories(report: Any, source: str) -> dict[str, Categories]:
    """A council's categories by fact, from its council.yaml's `report:` section (none if it
    has no such section)."""
    if not isinstance(report, Mapping):
        return {}
    listed = report.get("categories") or {}
    return {str(fact): Categories.of(str(fact), data, source) for fact, data in listed.items()}


def in_order(counts: Mapping[str, int], categories: Categories | None) -> dict[str, int]:
    """The counts of a table by a fact: with categories, every one of them in the council's
    order, those nobody fell in as 0, then any other value found (the records' own words, and
    "not recorded"), most first; without, the values found, most first."""
    found = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if categories is None:
        return dict(found)
    listed = {code: counts.get(code, 0) for code in categories.codes}
    return listed | {code: count for code, count in found if code not in listed}


# The kinds of row a table by a fact has beside plain rows (see `tables.Table.kinds`).
GROUP, SUB = "group", "sub"
# In a table as a council published it: its total, when that is not the sum of its rows.
TOTAL = "total"

Row = tuple[str, tuple[Any, ...]]


def breakdown_rows(
    columns: Sequence[Mapping[str, Any] | None],
    counted: Sequence[bool],
    listed: Categories | None,
    names: Mapping[str, str],
) -> tuple[tuple[Row, ...], tuple[str, ...]]:
    """The rows of a table by a fact, and the kind of each: the council's categories under its
    headings, then every other value a column has (named by `names`), then the total. A column
    `counted` from records has 0 where a category has no case; one as published, or with no
    records, has no figure (None) where it gives none."""

    def values(code: str) -> tuple[Any, ...]:
        return tuple(
            (c or {}).get(code, 0 if k else None) for c, k in zip(columns, counted, strict=True)
        )

    rows: list[Row] = []
    kinds: list[str] = []
    for group in listed.groups if listed is not None else ():
        under = [(label, values(code)) for code, label in group.categories]
        if group.heading is None:
            rows += under
            kinds += [""] * len(under)
            continue
        sums = tuple(_sum([v[i] for _, v in under], counted[i]) for i in range(len(columns)))
        rows.append((group.heading, sums if listed and listed.group_totals else ()))
        rows += under
        kinds += [GROUP, *[SUB] * len(under)]
    known = set(listed.codes) if listed is not None else set()
    others = dict.fromkeys(
        code
        for c, k in zip(columns, counted, strict=True)
        for code in c or ()
        if code not in known and (k or code != TOTAL)
    )
    rows += [(names.get(code, code), values(code)) for code in others]
    kinds += [""] * len(others)
    rows.append(("Total", tuple(_total(c, k) for c, k in zip(columns, counted, strict=True))))
    kinds.append("")
    return tuple(rows), tuple(kinds)


def _sum(values: Sequence[Any], counted: bool) -> int | None:
    """The sum of figures; None if one of them is missing, or there are none not counted."""
    if any(v is None for v in values) or (not values and not counted):
        return None
    return int(sum(values))


def _total(column: Mapping[str, Any] | None, counted: bool) -> int | None:
    column = column or {}
    if not counted and TOTAL in column:
        return int(column[TOTAL])
    return _sum(list(column.values()), counted)
