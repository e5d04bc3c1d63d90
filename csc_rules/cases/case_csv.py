"""Case records as councils hold them: a CSV export from a case system, one row per event.

The export's column names are mapped in a small YAML file kept beside it, `<export>.mapping.yaml`:

    csv: case-export                  # says what the file is
    procedure: <council>/<procedure>  # or a column: {column: Procedure}
    columns: {case: Reference, date: Date, event: Event}
    date_format: "%d/%m/%Y"           # optional; default YYYY-MM-DD
    fields: {outcome: Outcome, limit: Extended to, panel_date: Panel date}
    facts: {complainant.role: Complainant, service_area: Team}
    values:                           # optional: the export's words for codes
      event: {Complaint received: complaint-received}

The rows of one case must be together (an export sorted by reference); each case becomes one
item, read as a case file is, so a problem is reported with the export's line number and
column, and the other cases carry on."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, Diagnostic, display_path, yaml_path
from ..errors import CsvProblem

MAPPING_SUFFIX = ".mapping.yaml"
TRUE, FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}
ROW_BYTES = 1 << 20  # a row longer than this is refused, so memory stays bounded


def mapping_path(export: Path) -> Path:
    return export.with_name(export.stem + MAPPING_SUFFIX)


def read_mapping(export: Path) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The column mapping kept beside `export`, or the problems that stop it being used."""
    from ..reading.loader import load

    path = mapping_path(export)
    name = display_path(path)
    if not path.exists():
        return None, [
            Diagnostic(
                display_path(export),
                1,
                1,
                ERROR,
                "missing-mapping",
                f"a CSV export needs its column mapping beside it: write {name} (see 'Case records from a case system' in docs/complaints-managers.md)",
            )
        ]
    document, problems = load(path)
    if document is None or problems:
        return None, list(problems)
    data = document.data
    found = []
    if not isinstance(data, dict) or data.get("csv") is None:
        found.append(("", "missing-key", "the mapping must start with `csv:` naming the export"))
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


def case_rows(
    export: Path, mapping: Mapping[str, Any]
) -> Iterator[tuple[str, list[tuple[int, dict[str, str]]], list[str]]]:
    """(reference, its rows as (line number, row), the header) for each case, in file order; a
    problem with the file itself is raised as a list of diagnostics in a CsvProblem."""
    name = display_path(export)
    reference_column = mapping["columns"]["case"]
    try:
        handle = export.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CsvProblem(
            [
                Diagnostic(
                    name, 1, 1, ERROR, "file-unreadable", f"cannot read it: {exc.strerror or exc}"
                )
            ]
        ) from None
    with handle:
        yield from _grouped(csv.reader(_bounded(handle, name)), name, reference_column, mapping)


def _problem(name: str, line: int, code: str, message: str) -> CsvProblem:
    return CsvProblem([Diagnostic(name, line, 1, ERROR, code, message)])


NOT_UTF8 = 'not UTF-8 text: save the export as UTF-8 ("CSV UTF-8")'


def _grouped(
    reader: Any, name: str, reference_column: str, mapping: Mapping[str, Any]
) -> Iterator[tuple[str, list[tuple[int, dict[str, str]]], list[str]]]:
    """The rows of each case together, as `case_rows` gives them."""
    try:
        header = next(reader, None)
    except UnicodeDecodeError:
        raise _problem(name, 1, "binary-file", NOT_UTF8) from None
    except csv.Error as exc:
        raise _problem(name, 1, "csv-syntax", f"the header cannot be read: {exc}") from None
    if header is None:
        raise _problem(name, 1, "empty-file", "the export is empty: it needs a header row")
    missing = [c for c in _columns(mapping) if c not in header]
    if missing:
        raise _problem(
            name,
            1,
            "unknown-column",
            f"the mapping names column(s) the export does not have: {', '.join(missing)}; it has {', '.join(header)}",
        )
    current: str | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    seen: set[str] = set()
    read = 0
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except UnicodeDecodeError:
            yield f"{name}:{line}", [(line, {"__error__": NOT_UTF8})], header
            return  # the rest of the file cannot be read reliably
        except csv.Error as exc:
            yield f"{name}:{line}", [(line, {"__error__": str(exc)})], header
            continue
        if values == [TOO_LONG]:
            message = f"this row is longer than {ROW_BYTES // (1 << 20)} MiB: it cannot be a case record; fix the export"
            yield f"{name}:{line}", [(line, {"__error__": message})], header
            continue
        if not any(v.strip() for v in values):
            continue
        read += 1
        extra = [v for v in values[len(header) :] if v.strip()]
        if extra:
            message = f"this row has {len(values)} cells, more than the header's {len(header)} columns: fix the row or the header"
            yield f"{name}:{line}", [(line, {"__error__": message})], header
            continue
        row = dict(zip(header, values, strict=False))
        reference = row.get(reference_column, "").strip()
        if reference != current:
            if current is not None:
                yield current, rows, header
            if reference in seen:
                message = f"the rows of case `{reference}` are not together: sort the export by {reference_column}"
                yield reference, [(line, {"__error__": message})], header
                current, rows = None, []
                continue
            seen.add(reference)
            current, rows = reference, []
        rows.append((line, row))
    if current is not None:
        yield current, rows, header
    if not read:
        raise _problem(
            name, 2, "empty-file", "the export has a header but no rows: export the cases too"
        )


def _usable_format(form: Any) -> bool:
    """Whether `form` writes a date that it reads back the same (%d, %m and %Y in some order)."""
    if not isinstance(form, str):
        return False
    sample = dt.date(2024, 12, 31)
    try:
        return dt.datetime.strptime(sample.strftime(form), form).date() == sample
    except ValueError:
        return False


TOO_LONG = "\ufffecsc-rules: row too long\ufffe"  # stands in for a row past ROW_BYTES


def _bounded(handle: io.TextIOBase, name: str) -> Iterator[str]:
    """The export's lines, a line past ROW_BYTES replaced by a marker (reported as that row's
    problem) rather than held in memory. A line is read in pieces, so memory stays bounded."""
    while True:
        line = handle.readline(ROW_BYTES + 1)
        if not line:
            return
        if len(line) > ROW_BYTES and not line.endswith("\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith("\n"):
                pass
            yield TOO_LONG + "\n"
            continue
        yield line


def _columns(mapping: Mapping[str, Any]) -> list[str]:
    wanted = list(mapping["columns"].values())
    procedure = mapping.get("procedure")
    if isinstance(procedure, dict):
        wanted.append(procedure["column"])
    wanted += [c for c in (mapping.get("fields") or {}).values() if isinstance(c, str)]
    wanted += [c for c in (mapping.get("facts") or {}).values() if isinstance(c, str)]
    return list(dict.fromkeys(wanted))


# A problem converting a group of rows: (the path in the case file, the line, code, message).
Problem = tuple[tuple[Any, ...], int, str, str]


def case_data(
    reference: str,
    rows: list[tuple[int, dict[str, str]]],
    mapping: Mapping[str, Any],
    fact_types: Mapping[str, Any],
) -> tuple[dict[str, Any], list[Problem]]:
    """The case a group of rows makes, as a case file would hold it, and the problems found
    converting it: (path, line, code, message)."""
    problems: list[Problem] = []
    procedure = mapping.get("procedure")
    first_line, first = rows[0]
    if "__error__" in first:
        problems.append(((), first_line, "csv-syntax", first["__error__"]))
        return {"case": reference}, problems
    data: dict[str, Any] = {
        "case": reference,
        "procedure": first.get(procedure["column"], "").strip()
        if isinstance(procedure, dict)
        else procedure,
        "facts": _facts(rows, mapping, fact_types, problems),
        "events": [],
    }
    for index, (line, row) in enumerate(rows):
        if "__error__" in row:
            problems.append((("events", index), line, "csv-syntax", row["__error__"]))
            continue
        data["events"].append(_event(index, line, row, mapping, problems))
    return data, problems


def _facts(
    rows: list[tuple[int, dict[str, str]]],
    mapping: Mapping[str, Any],
    fact_types: Mapping[str, Any],
    problems: list[Problem],
) -> dict[str, Any]:
    """The case's facts, each from the first row that fills its column; a value that is not of
    its fact's type is a problem, and left out."""
    values = mapping.get("values") or {}
    first_line = rows[0][0]
    facts: dict[str, Any] = {}
    for fact, column in (mapping.get("facts") or {}).items():
        cell = next(
            (row.get(column, "").strip() for _, row in rows if row.get(column, "").strip()), ""
        )
        if not cell:
            continue
        value, problem = _fact(cell, fact_types.get(fact, {}), mapping)
        if problem:
            problems.append(
                (
                    ("facts", *fact.split(".")),
                    first_line,
                    "fact-type",
                    f"`{fact}` from column `{column}`: {problem}",
                )
            )
            continue
        _put(facts, fact.split("."), _recode(values, fact, value))
    return facts


def _event(
    index: int, line: int, row: dict[str, str], mapping: Mapping[str, Any], problems: list[Problem]
) -> dict[str, Any]:
    """The event a row records, with the fields its columns fill; a date that cannot be read is
    a problem (the event keeps the cell as written; a field leaves it out)."""
    columns, values = mapping["columns"], mapping.get("values") or {}
    day, problem = _day(row.get(columns["date"], "").strip(), mapping)
    if problem:
        problems.append(
            (
                ("events", index, "date"),
                line,
                "invalid-value",
                f"column `{columns['date']}`: {problem}",
            )
        )
    event = _recode(values, "event", row.get(columns["event"], "").strip())
    entry: dict[str, Any] = {"date": day or row.get(columns["date"], ""), "event": event}
    for field, column in (mapping.get("fields") or {}).items():
        cell = row.get(column, "").strip()
        if not cell:
            continue
        if field.endswith("_date"):
            cell_day, problem = _day(cell, mapping)
            if problem:
                problems.append(
                    (
                        ("events", index, field),
                        line,
                        "invalid-value",
                        f"column `{column}`: {problem}",
                    )
                )
                continue
            entry[field] = cell_day
        elif field == "limit":
            entry[field] = int(cell) if cell.isdigit() else cell
        else:
            entry[field] = _recode(values, field, cell)
    return entry


def _put(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _recode(values: Mapping[str, Any], name: str, cell: Any) -> Any:
    table = values.get(name)
    if isinstance(table, dict) and isinstance(cell, str) and cell in table:
        return table[cell]
    return cell


def _day(cell: str, mapping: Mapping[str, Any]) -> tuple[str | None, str | None]:
    form = mapping.get("date_format")
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
        return _day(cell, mapping)
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
