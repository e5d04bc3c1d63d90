"""The catalogue of procedures `csc-rules list` shows, from the library's files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, display_path
from ..reading.locations import kind_of
from . import cache

if TYPE_CHECKING:
    from ..reading.loader import Document
    from .files import Files

BASELINES = "baseline"
# What `list` reads of a procedure file, each of which must be text (when it is there at all).
TEXT_FIELDS = ("procedure", "version", "effective", "extends")


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


FIELDS = tuple(f.name for f in fields(Entry))


class Catalogue:
    """Every procedure of the library, listed once per process: from the disk cache when no
    library file has changed since it was made, so that no YAML is parsed."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self._listed: tuple[list[Entry], list[Diagnostic]] | None = None

    def entries(self) -> tuple[list[Entry], list[Diagnostic]]:
        """Every procedure, baselines first, and the files that would not load."""
        if self._listed is None:
            self._listed = self._list()
        entries, problems = self._listed
        return list(entries), list(problems)

    def council_procedures(self) -> list[str]:
        """The ids of the councils' procedures (not the baselines), each once."""
        return list(dict.fromkeys(e.id for e in self.entries()[0] if e.group != BASELINES))

    def _list(self) -> tuple[list[Entry], list[Diagnostic]]:
        paths = self.files.paths()
        entry = cache.key("catalogue", self.files.contents(paths)) if cache.folder() else None
        listed = self._from_cache(entry, paths) if entry else None
        if listed is None:
            listed = entries_of((path, self.files.load(path)) for path in paths)
            if entry and not listed[1]:  # only a sound library: problems name display paths
                rows = [
                    {**e.to_json(), "path": self.files.name_of(Path(e.path))} for e in listed[0]
                ]
                cache.put(entry, cache.seal(entry, rows))
        return listed

    def _from_cache(
        self, entry: str, paths: list[Path]
    ) -> tuple[list[Entry], list[Diagnostic]] | None:
        """The entries stored under `entry`, or None if they are not whole, not sealed for this
        state of the library, or name a file that is not one of the library's own (an id
        pointed at any YAML file): then they are listed again from the library."""
        stored = cache.get(entry)
        rows = cache.unseal(entry, stored.text) if stored else None
        if not isinstance(rows, list):
            return None
        names = {self.files.name_of(path) for path in paths}
        root = self.files.root
        found = []
        for row in rows:
            if not _sound_row(row) or row["path"] not in names:
                return None
            found.append(Entry(**{**row, "path": display_path(root / row["path"])}))
        return found, []


def _sound_row(row: Any) -> bool:
    """Whether `row` has every field of an Entry, each of its type, and nothing else."""
    if not isinstance(row, dict) or set(row) != set(FIELDS):
        return False
    return all(isinstance(row[f], str) or f == "extends" and row[f] is None for f in FIELDS)


def entries_of(
    loaded: Iterable[tuple[Path, tuple[Document | None, list[Diagnostic]]]],
) -> tuple[list[Entry], list[Diagnostic]]:
    """Every procedure among the library's loaded files, baselines first; and the files that
    would not load."""
    procedures: dict[str, tuple[dict[str, Any], str]] = {}
    council_names: dict[str, str] = {BASELINES: "Statutory and national baselines"}
    problems: list[Diagnostic] = []
    for path, (document, found) in loaded:
        problems.extend(d for d in found if d.is_error)
        if document is None:
            continue
        data = document.data
        if kind_of(data) == "council":
            if isinstance(data.get("council"), str):
                council_names[data["council"]] = str(data.get("name", data["council"]))
        elif kind_of(data) == "procedure":
            junk = _not_text(document)
            problems.extend(junk)
            if not junk:
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


_KINDS = {
    "list": "a list",
    "dict": "a mapping",
    "NoneType": "empty",
    "int": "a number",
    "float": "a number",
    "bool": "true or false",
}


def _not_text(document: Document) -> list[Diagnostic]:
    """A problem for each of TEXT_FIELDS that is not text, e.g. `extends` given as a list."""
    problems = []
    for key in TEXT_FIELDS:
        value = document.data.get(key)
        if value is None and key != "procedure" or isinstance(value, str):
            continue
        found = type(value).__name__
        kind = _KINDS.get(found, f"a {found}")
        one = "the id of one procedure" if key in ("procedure", "extends") else "text"
        problems.append(
            document.diagnostic(
                (key,),
                "wrong-type",
                f"`{key}` is {kind}; it must be {one}, so this procedure is left out of the "
                "list (run `csc-rules validate` on the file for every problem)",
                key=True,
            )
        )
    return problems
