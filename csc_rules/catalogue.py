"""What procedures the library holds, read quickly for `csc-rules list`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .diagnostics import Diagnostic, display_path
from .library import kind_of, library_files
from .loader import load

BASELINES = "baseline"


@dataclass(frozen=True)
class Entry:
    """One procedure as `list` shows it."""

    id: str
    group: str
    group_name: str
    kind: str
    version: str
    effective: str
    extends: str | None
    title: str
    path: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def catalogue() -> tuple[list[Entry], list[Diagnostic]]:
    """Every procedure of rules/ and councils/, baselines first; and the files that would not load."""
    procedures: dict[str, tuple[dict[str, Any], str]] = {}
    council_names: dict[str, str] = {BASELINES: "Statutory and national baselines"}
    problems: list[Diagnostic] = []
    for path in library_files():
        document, found = load(path)
        problems.extend(d for d in found if d.is_error)
        if document is None:
            continue
        data = document.data
        if kind_of(data) == "council":
            council_names[str(data.get("council"))] = str(data.get("name", data.get("council")))
        elif kind_of(data) == "procedure":
            procedures[display_path(path)] = (data, display_path(path))

    by_id = {str(data.get("procedure")): data for data, _ in procedures.values()}

    def kind(data: dict[str, Any], seen: tuple[str, ...] = ()) -> str:
        parent = data.get("extends")
        if "kind" in data or parent not in by_id or parent in seen:
            return str(data.get("kind", "?"))
        return kind(by_id[parent], (*seen, str(parent)))

    entries = []
    for data, shown in procedures.values():
        procedure_id = str(data.get("procedure"))
        group = procedure_id.split("/", 1)[0]
        entries.append(
            Entry(
                procedure_id,
                group,
                council_names.get(group, group),
                kind(data),
                str(data.get("version", "?")),
                str(data.get("effective", "?")),
                data.get("extends"),
                str(data.get("title", "")),
                shown,
            )
        )
    entries.sort(key=lambda e: (e.group != BASELINES, e.group, e.id, e.effective))
    return entries, problems
