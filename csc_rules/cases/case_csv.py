"""Case records as councils hold them: a CSV export from a case system, one row per event (or a
sheet of a workbook, or a SQL query's result, read the same way: workbook_rows, sql_rows).

The export's column names are mapped in a small YAML file kept beside it, `<export>.mapping.yaml`:

    csv: case-export                  # says what it maps (or workbook:, or sql:)
    sheet: Events                     # a workbook's sheet that holds the rows
    procedure: <council>/<procedure>  # or a column: {column: Procedure}
    columns: {case: Reference, date: Date, event: Event}
    date_format: "%d/%m/%Y"           # optional; default YYYY-MM-DD
    fields: {outcome: Outcome, limit: Extended to, ground: Why extended, panel_date: Panel date}
    facts: {complainant.role: Complainant, service_area: Team}
    values:                           # optional: the export's words for codes
      event: {Complaint received: complaint-received}
      ground: {Complex case: complex, Awaiting advocate: advocate}

`csv_rows` gives the export's rows case by case, in any order; each case becomes one item, made
here into the data a case file holds, so a problem is reported with the export's line number and
column, and the other cases carry on. A word of the export that the mapping does not map, where
a code is needed, is named as missing from the mapping."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, Diagnostic, display_path, yaml_path
from ..errors import CscRulesError
from ..language.model import GROUND
from .case import OUTCOMES

MAPPING_SUFFIX = ".mapping.yaml"
TRUE, FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}


def mapping_path(export: Path) -> Path:
    return export.with_name(export.stem + MAPPING_SUFFIX)


# The key a mapping starts with, saying what it maps: a CSV export, a workbook's sheet, or the
# result of a SQL query (any of them reads any of these).
KINDS = ("csv", "workbook", "sql")


def read_mapping(
    export: Path, given: Path | None = None, what: str = "a CSV export"
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The column mapping of `export` (`what` it is, for the message): `given`, else the one
    kept beside it; or the problems that stop it being used."""
    from ..reading.loader import load

    path = given or mapping_path(export)
    name = display_path(path)
    if not path.exists():
        message = (
            f"no such mapping file: {name}; check the path given to --mapping"
            if given
            else f"{what} needs its column mapping beside it: write {name} (see 'Case records from a case system' in docs/complaints-managers.md)"
        )
        where = display_path(path if given else export)
        return None, [Diagnostic(where, 1, 1, ERROR, "missing-mapping", message)]
    document, problems = load(path)
    if document is None or problems:
        return None, list(problems)
    data = document.data
    found = []
    if not isinstance(data, dict) or all(data.get(kind) is None for kind in KINDS):
        found.append(
            (
                "",
                "missing-key",
                "the mapping must start with `csv:`, `workbook:` or `sql:` naming what it maps",
            )
        )
    else:
        columns = data.get("columns")
        if not isinstance(columns, dict):
            found.append(
                ("columns", "missing-key", "give `columns:` with `case`, `date` and `event`")
            )
        else:
            for key in ("case", "date", "event"):
                if not isinstance(columns.get(key), str):
                    found.append(
                        (
                            f"columns.{key}",
                            "missing-key",
                            f"`columns` needs `{key}`: the export's column name for it",
                        )
                    )
        procedure = data.get("procedure")
        if not (
            isinstance(procedure, str)
            or (isinstance(procedure, dict) and isinstance(procedure.get("column"), str))
        ):
            found.append(
                (
                    "procedure",
                    "missing-key",
                    "give `procedure:` as an id, or `{column: <name>}` for a column holding it",
                )
            )
        form = data.get("date_format")
        if form is not None and not _usable_format(form):
            found.append(
                (
                    "date_format",
                    "invalid-value",
                    f'`{form}` is not a date format: write it with %d, %m and %Y, e.g. "%d/%m/%Y"',
                )
            )
        if "sheet" in data and not isinstance(data["sheet"], str):
            found.append(("sheet", "wrong-type", "`sheet` should be the name of a sheet"))
        for key in ("fields", "facts", "values"):
            if key in data and not isinstance(data[key], dict):
                found.append(
                    (key, "wrong-type", f"`{key}` should be a mapping of names to columns")
                )
    if found:
        return None, [
            document.diagnostic(tuple(p for p in where.split(".") if p), code, message)
            for where, code, message in found
        ]
    return data, []


def _usable_format(form: Any) -> bool:
    """Whether `form` writes a date that it reads back the same (%d, %m and %Y in some order)."""
    if not isinstance(form, str):
        return False
    sample = dt.date(2024, 12, 31)
    try:
        return dt.datetime.strptime(sample.strftime(form), form).date() == sample
    except ValueError:
        return False


# A problem converting a group of rows: (the path in the case file, the line, code, message).
Problem = tuple[tuple[Any, ...], int, str, str]


def case_data(
    reference: str,
    rows: list[tuple[int, dict[str, str]]],
    mapping: Mapping[str, Any],
    fact_types: Mapping[str, Any],
    mapping_file: str,
) -> tuple[dict[str, Any], list[Problem]]:
    """The case a group of rows makes, as a case file would hold it, and the problems found
    converting it: (path, line, code, message); `mapping_file` is where a missing word is to
    be added."""
    problems: list[Problem] = []
    procedure = mapping.get("procedure")
    first_line, first = rows[0]
    if "__error__" in first:
        problems.append(((), first_line, "csv-syntax", first["__error__"]))
        return {"case": reference}, problems
    procedure_id = (
        first.get(procedure["column"], "").strip() if isinstance(procedure, dict) else procedure
    )
    words = Words(mapping, mapping_file, procedure_id)
    data: dict[str, Any] = {
        "case": reference,
        "procedure": procedure_id,
        "facts": _facts(rows, mapping, fact_types, words, problems),
        "events": [],
    }
    seen: dict[tuple[str, ...], int] = {}
    for index, (line, row) in enumerate(rows):
        earlier = seen.setdefault(tuple(row.values()), line)
        if earlier != line:  # an export saved twice over, or a row copied: never counted twice
            message = f"this row repeats line {earlier} cell for cell: delete one of them"
            problems.append((("events", index), line, "duplicate-row", message))
        data["events"].append(_event(index, line, row, mapping, words, problems))
    return data, problems


def _facts(
    rows: list[tuple[int, dict[str, str]]],
    mapping: Mapping[str, Any],
    fact_types: Mapping[str, Any],
    words: Words,
    problems: list[Problem],
) -> dict[str, Any]:
    """The case's facts, each from the first row that fills its column; a value that is not of
    its fact's type, or a word the mapping does not map, is a problem at that row, and left out."""
    facts: dict[str, Any] = {}
    for fact, column in (mapping.get("facts") or {}).items():
        found = next(((n, r[column].strip()) for n, r in rows if r.get(column, "").strip()), None)
        if found is None:
            continue
        line, cell = found
        path = ("facts", *fact.split("."))
        # `complex.<stage id>`: a fact for one stage, of the fact's own type (the case's check
        # says whether the stage is one of the procedure's).
        declared = fact_types.get(fact) or fact_types.get(fact.rpartition(".")[0], {})
        value, problem = _fact(cell, declared, mapping)
        if problem:
            problems.append(
                (path, line, "fact-type", f"`{fact}` from column `{column}`: {problem}")
            )
            continue
        if declared.get("type") not in ("enum", "list") or "values" not in declared:
            _put(facts, list(path[1:]), words.recode(fact, value))  # any text, or a list of it
            continue
        codes = tuple(declared.get("values") or ())
        coded = [words.code(fact, column, item, codes) for item in _items(value)]
        missing = [(path, line, "unmapped-value", problem) for _, problem in coded if problem]
        problems += missing
        if not missing:
            items = [item for item, _ in coded]
            _put(facts, list(path[1:]), items if isinstance(value, list) else items[0])
    return facts


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _event(
    index: int,
    line: int,
    row: dict[str, str],
    mapping: Mapping[str, Any],
    words: Words,
    problems: list[Problem],
) -> dict[str, Any]:
    """The event a row records, with the fields its columns fill; a date that cannot be read, or
    a word the mapping does not map, is a problem (the event keeps the cell as written; a field
    leaves it out)."""
    columns = mapping["columns"]
    day, problem = read_date(row.get(columns["date"], "").strip(), mapping)
    if problem:
        problems.append(
            (
                ("events", index, "date"),
                line,
                "invalid-value",
                f"column `{columns['date']}`: {problem}",
            )
        )
    event = row.get(columns["event"], "").strip()
    if not event:
        message = f"column `{columns['event']}` is empty: give the event the row records"
        problems.append((("events", index, "event"), line, "missing-value", message))
    else:
        event, problem = words.code("event", columns["event"], event)
        if problem:
            problems.append((("events", index, "event"), line, "unmapped-value", problem))
    entry: dict[str, Any] = {"date": day or row.get(columns["date"], ""), "event": event}
    for field, column in (mapping.get("fields") or {}).items():
        cell = row.get(column, "").strip()
        if not cell:
            continue
        value: Any
        if field == "outcome":
            value, problem = words.code(field, column, cell, OUTCOMES)
            if problem:
                problems.append((("events", index, field), line, "unmapped-value", problem))
                continue
        elif field.endswith("_date"):
            value, problem = read_date(cell, mapping)
            if problem:
                message = f"column `{column}`: {problem}"
                problems.append((("events", index, field), line, "invalid-value", message))
                continue
        elif field == GROUND:
            value, problem = words.code(field, column, cell, words.grounds)
            if problem:
                problems.append((("events", index, field), line, "unmapped-value", problem))
                continue
        elif field == "limit":
            value = int(cell) if cell.isdigit() else cell
        elif field == "actions":  # a list of short texts in one cell, as a list fact is
            value = [part.strip() for part in cell.split(";") if part.strip()]
        else:
            value = words.recode(field, cell)
        entry[field] = value
    return entry


def _put(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PROCEDURE_ID = re.compile(r"[a-z0-9-]+/[a-z0-9-]+")


class Words:
    """The mapping's `values:`, the export's words for codes, as one case of `procedure` reads
    them: a word missing from the mapping is named so, with where to add it."""

    def __init__(self, mapping: Mapping[str, Any], mapping_file: str, procedure: Any) -> None:
        tables = mapping.get("values") or {}
        self.tables = {k: v for k, v in tables.items() if isinstance(v, dict)}
        self.mapping_file = mapping_file
        self.procedure = procedure

    def recode(self, name: str, cell: Any) -> Any:
        """The code for a cell whose codes are not known here: the cell itself if unmapped."""
        if isinstance(cell, list):
            return [self.recode(name, item) for item in cell]
        table = self.tables.get(name, {})
        return table[cell] if isinstance(cell, str) and cell in table else cell

    def code(
        self, name: str, column: str, cell: str, codes: Sequence[str] | None = None
    ) -> tuple[Any, str | None]:
        """The code a cell of `column` stands for under `values: <name>:`, or the cell itself
        when it already is one (in `codes`; an id, for an event, checked against the procedure
        later); else the cell and why it cannot be used."""
        table = self.tables.get(name, {})
        if cell in table:
            return table[cell], None
        if cell in codes if codes is not None else ID.fullmatch(cell):
            return cell, None
        return cell, self.missing(name, column, cell, codes or self._event_ids())

    def missing(self, name: str, column: str, cell: str, codes: Sequence[str]) -> str:
        # Only a word of the export this close is offered: an id merely sharing letters with
        # the cell would send the user to map it to the wrong thing.
        near = nearest(cell, [*self.tables.get(name, {}), *codes])
        hint = f' (did you mean "{near}"?)' if near else ""
        stands = f", the code being one of: {', '.join(codes)}" if codes else ""
        return (
            f'"{cell}" in column `{column}` is missing from the mapping{hint}: add `{cell}: <code>` '
            f"under `{name}:` in the `values:` of {self.mapping_file}{stands}"
        )

    @functools.cached_property
    def grounds(self) -> tuple[str, ...]:
        """The grounds of an extension (rules/vocabulary.yaml), the codes a `ground` stands for."""
        from ..procedures.library import library

        try:
            return tuple(library().vocabulary.grounds())
        except CscRulesError:
            return ()

    def _event_ids(self) -> tuple[str, ...]:
        """The events of the case's procedure, for the message; none if it cannot be found."""
        from ..procedures.library import load_procedure

        if not isinstance(self.procedure, str) or not PROCEDURE_ID.fullmatch(self.procedure):
            return ()
        try:
            return tuple(load_procedure(self.procedure).events)
        except CscRulesError:
            return ()


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The choice that is `word` but for case, spaces and punctuation, or but for a slip of a
    letter or two (one in a short word, none in a very short one); None if none is that close."""
    folded = _folded(word)
    allowed = 0 if len(folded) <= 3 else 1 if len(folded) <= 7 else 2
    best: tuple[int, str] | None = None
    for choice in dict.fromkeys(choices):
        distance = _distance(folded, _folded(choice))
        if distance <= allowed and (best is None or distance < best[0]):
            best = (distance, choice)
    return best[1] if best else None


def _folded(word: str) -> str:
    return "".join(c for c in word.casefold() if c.isalnum())


def _distance(a: str, b: str) -> int:
    """Edits (a letter added, dropped, changed, or two swapped) that make `a` into `b`."""
    if abs(len(a) - len(b)) > 2:
        return 3  # farther than any distance `nearest` accepts
    before: list[int] | None = None
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1]


def read_date(cell: str, mapping: Mapping[str, Any]) -> tuple[str | None, str | None]:
    return _day_in(cell, mapping.get("date_format"))


@functools.lru_cache(maxsize=4096)  # an export's dates repeat: a few hundred days a year
def _day_in(cell: str, form: Any) -> tuple[str | None, str | None]:
    try:
        if isinstance(form, str):
            return dt.datetime.strptime(cell, form).date().isoformat(), None
        return dt.date.fromisoformat(cell).isoformat(), None
    except ValueError:
        shown = (
            form.replace("%d", "DD").replace("%m", "MM").replace("%Y", "YYYY").replace("%y", "YY")
            if isinstance(form, str)
            else "YYYY-MM-DD"
        )
        return None, f"`{cell}` is not a real date in the form {shown}"


def _fact(
    cell: str, declared: Mapping[str, Any], mapping: Mapping[str, Any]
) -> tuple[Any, str | None]:
    kind = declared.get("type")
    if kind == "bool":
        if cell.lower() in TRUE:
            return True, None
        if cell.lower() in FALSE:
            return False, None
        return None, f"`{cell}` is not yes or no"
    if kind == "list":
        return [part.strip() for part in cell.replace(";", ",").split(",") if part.strip()], None
    if kind == "date":
        return read_date(cell, mapping)
    if kind == "number":
        try:
            return (int(cell) if cell.lstrip("-").isdigit() else float(cell)), None
        except ValueError:
            return None, f"`{cell}` is not a number"
    return cell, None


class CsvRows:
    """Locates problems in a case read from rows of a CSV export: the export, the row's line,
    and the column the value came from."""

    def __init__(
        self,
        name: str,
        rows: list[tuple[int, dict[str, str]]],
        header: list[str],
        mapping: Mapping[str, Any],
    ) -> None:
        self.name = name
        self.lines = [line for line, _ in rows]
        self.header = header
        self.mapping = mapping

    def column(self, path: tuple[Any, ...]) -> int:
        columns = self.mapping.get("columns", {})
        if path[:1] == ("events",) and len(path) >= 3:
            name = columns.get(path[2]) or (self.mapping.get("fields") or {}).get(path[2])
        elif path[:1] == ("facts",):
            name = (self.mapping.get("facts") or {}).get(".".join(str(p) for p in path[1:]))
        else:
            name = columns.get("case")
        return self.header.index(name) + 1 if name in self.header else 1

    def line(self, path: tuple[Any, ...]) -> int:
        if (
            path[:1] == ("events",)
            and len(path) >= 2
            and isinstance(path[1], int)
            and path[1] < len(self.lines)
        ):
            return self.lines[path[1]]
        return self.lines[0]

    def diagnostic(
        self,
        path: tuple[Any, ...],
        code: str,
        message: str,
        *,
        key: bool = False,
        severity: str = ERROR,
    ) -> Diagnostic:
        return Diagnostic(
            self.name, self.line(path), self.column(path), severity, code, message, yaml_path(path)
        )
