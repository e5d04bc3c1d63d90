"""Validate procedure, council and vocabulary files: YAML, schema and meaning, all in one run."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, Diagnostic, display_path, sort_unique
from ..language import stage_graph
from ..reading import schema
from ..reading.inheritance import COLLECTIONS, Resolved, resolve
from ..reading.loader import Document
from ..reading.locations import (
    council_file,
    council_names,
    is_folder,
    kind_of,
    rules_dir,
    yaml_files_under,
)
from . import placeholders, plain_checks, removed, renames, semantics, statutory_limits
from .ownership import owner_problems


@dataclass(frozen=True)
class Report:
    """What `validate` found: the files it read and every problem, in file and line order."""

    files: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    procedures: tuple[Resolved, ...] = ()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if not d.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors

    def renamed(self, names: Mapping[str, str]) -> Report:
        """The same report with each file `old` in `names` called `names[old]`, in locations
        and messages (for a text checked from a temporary file, named as its sender knows it,
        and the library's files named from the library's folder, wherever the server runs)."""
        import dataclasses

        def rename(d: Diagnostic) -> Diagnostic:
            message = d.message
            for old, new in names.items():
                message = message.replace(old, new)
            return dataclasses.replace(d, path=names.get(d.path, d.path), message=message)

        return Report(
            tuple(names.get(f, f) for f in self.files),
            tuple(rename(d) for d in self.diagnostics),
            self.procedures,
        )


def expand(paths: Sequence[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The YAML files that `paths` name: files as given, folders searched for *.yaml."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for path in paths:
        if is_folder(path):
            found = yaml_files_under(path)
            if not found:
                problems.append(
                    Diagnostic(
                        display_path(path),
                        1,
                        1,
                        ERROR,
                        "file-not-found",
                        "this folder holds no .yaml files",
                    )
                )
            files.extend(found)
        else:
            files.append(path)
    return files, problems


class Session:
    """What a run of checks has read: each file loaded and checked against its schema once, and
    the library's procedures found by id. `procedures.Checker` keeps one for a whole process."""

    def __init__(
        self,
        load: Callable[[Path], tuple[Document | None, list[Diagnostic]]],
        latest: Callable[[str], Path | None],
        files: Callable[[], list[Path]],
        root: Path,
        known: Callable[[], list[str]] | None = None,
    ) -> None:
        self._load = load
        self._latest = latest
        self.known = known  # every procedure id of the library, for "did you mean"
        self.library_files = files
        self.root = root
        self.documents: dict[Path, Document | None] = {}
        self.problems: dict[Path, list[Diagnostic]] = {}

    def open(self, path: Path) -> Document | None:
        """The file's document with every value the schema rejects blanked out, or None."""
        key = path.resolve()
        if key not in self.documents:
            document, problems = self._load(path)
            if document is not None:
                bad_values: set[tuple[Any, ...]] = set()
                problems += self._check_schema(document, bad_values)
                document = _without(document, bad_values)
            self.documents[key] = document
            self.problems[key] = problems
        return self.documents[key]

    def usable(self, document: Document) -> bool:
        """Whether the document's shape is sound enough to check what it means: its top-level
        collections are mappings (a rejected value inside them is skipped, not fatal)."""
        data = document.data
        return (
            isinstance(data, dict)
            and kind_of(data) is not None
            and not any(
                isinstance(value, _Invalid) for key, value in data.items() if key in _STRUCTURE
            )
        )

    def clean(self, document: Document) -> bool:
        return not any(d.is_error for d in self.problems[document.path.resolve()])

    def _check_schema(
        self, document: Document, bad_values: set[tuple[Any, ...]]
    ) -> list[Diagnostic]:
        data = document.data
        kind = kind_of(data)
        if not isinstance(data, dict):
            return [
                document.diagnostic(
                    (),
                    "wrong-type",
                    "a procedure file must be a mapping of `key: value` lines, starting with `procedure:`",
                )
            ]
        if kind is None:
            return [
                document.diagnostic(
                    (),
                    "unknown-file-kind",
                    "this is not a csc-rules file: it needs a `procedure:`, `council:` or `vocabulary:` key at the top",
                    key=True,
                )
            ]
        return schema.check(data, kind, document, schema.FULL, bad_values)

    def find_procedure(self, procedure_id: str, given: dict[str, Document]) -> Document | None:
        """The procedure an `extends` names: among the files being checked, else the latest
        version the library holds."""
        if procedure_id in given:
            return given[procedure_id]
        found = self._latest(procedure_id)
        return self.open(found) if found else None


def validate(paths: Sequence[Path] | None, session: Session) -> Report:
    """Check every file `paths` names (default: all of rules/ and councils/), with what `session`
    has read and checked already. `procedures.validate` is the same for the library in use."""
    # The library's own list is taken as it is: a linked folder in it is refused, not searched.
    files, problems = expand(list(paths)) if paths else (session.library_files(), [])
    documents = [d for d in (session.open(path) for path in files) if d is not None]
    relevant = {path.resolve() for path in files}  # whose problems to report
    vocabulary = _vocabulary(session, documents, relevant)
    procedures, accepted = _index(documents, problems)

    resolved: list[Resolved] = []
    for document in documents:
        kind = kind_of(document.data)
        if kind in ("council", "procedure") and session.usable(document):
            problems.extend(placeholders.check(document.data, document))
        if kind == "council" and vocabulary and session.usable(document):
            problems.extend(semantics.check_council(document.data, vocabulary, document))
            problems.extend(owner_problems(document))
        elif (
            kind == "procedure"
            and session.usable(document)
            and any(document is d for d in accepted)
        ):
            procedure = _check_procedure(
                document, session, procedures, vocabulary, relevant, problems
            )
            if procedure is not None:
                resolved.append(procedure)

    for path in relevant:
        problems.extend(session.problems.get(path, []))
    return Report(
        tuple(display_path(f) for f in files), tuple(sort_unique(problems)), tuple(resolved)
    )


def _vocabulary(
    session: Session, documents: list[Document], relevant: set[Path]
) -> semantics.Vocabulary | None:
    """The vocabulary being validated, else the library's; None if it has errors of its own."""
    document = next((d for d in documents if kind_of(d.data) == "vocabulary"), None)
    if document is None:
        document = session.open(rules_dir(session.root) / "vocabulary.yaml")
    if document is None or not session.clean(document):
        if document is not None:
            relevant.add(document.path.resolve())  # its problems explain the checks not made
        return None
    return semantics.Vocabulary.from_data(document.data, _councils(session, documents))


def _councils(session: Session, documents: list[Document]) -> dict[str, dict[str, Any]]:
    """Each council's file by council: the library's, and any being checked in its place."""
    found: dict[str, dict[str, Any]] = {}
    given = [d for d in documents if kind_of(d.data) == "council"]
    for name in council_names(session.root):
        path = council_file(name, session.root)
        document = session.open(path) if path is not None else None
        if document is not None and session.usable(document):
            found[name] = document.data
    for document in given:
        council = document.data.get("council")
        if isinstance(council, str) and session.usable(document):
            found[council] = document.data
    return found


def _index(
    documents: list[Document], problems: list[Diagnostic]
) -> tuple[dict[str, Document], list[Document]]:
    """The procedure documents to check, and by id the version in force last (which `extends`
    builds on). Versions of one procedure need their own `version` and `effective` date."""
    latest: dict[str, Document] = {}
    seen: dict[tuple[str, str], Document] = {}
    accepted: list[Document] = []
    for document in documents:
        data = document.data
        procedure_id = data.get("procedure") if isinstance(data, dict) else None
        if kind_of(data) != "procedure" or not isinstance(procedure_id, str):
            continue
        owned = owner_problems(document)
        if owned:  # e.g. a copied folder: its files, not the original's, are what is wrong
            problems.extend(owned)
            continue
        version, effective = str(data.get("version")), str(data.get("effective"))
        clash = seen.get((procedure_id, "version " + version)) or seen.get(
            (procedure_id, "from " + effective)
        )
        if clash is not None:
            problems.append(
                document.diagnostic(
                    ("procedure",),
                    "duplicate-id",
                    f"procedure `{procedure_id}` version {version}, in force from {effective}, clashes with {clash.display}; a new version needs its own `version` and `effective` date",
                )
            )
            continue
        seen[(procedure_id, "version " + version)] = seen[(procedure_id, "from " + effective)] = (
            document
        )
        accepted.append(document)
        if procedure_id not in latest or effective > str(
            latest[procedure_id].data.get("effective")
        ):
            latest[procedure_id] = document
    return latest, accepted


def _check_procedure(
    document: Document,
    session: Session,
    procedures: dict[str, Document],
    vocabulary: semantics.Vocabulary | None,
    relevant: set[Path],
    problems: list[Diagnostic],
) -> Resolved | None:
    """Resolve one procedure's `extends` and check the result: completeness, then meaning."""

    def find(procedure_id: str) -> Document | None:
        parent = session.find_procedure(procedure_id, procedures)
        if parent is not None:
            relevant.add(parent.path.resolve())
            if not session.usable(parent):
                raise _BrokenParent
        return parent

    try:
        procedure, chain_problems = resolve(document, find, known=session.known)
    except _BrokenParent:
        return None  # the parent's own errors are reported; checking on top of them would mislead
    problems.extend(chain_problems)
    if procedure is None:
        return None
    found = schema.check(procedure.data, "procedure", procedure, schema.COMPLETE)
    if vocabulary is not None:
        found += semantics.check(procedure, vocabulary)
    found = removed.check(procedure, renames.check(procedure, found))
    own_errors = any(d.is_error for d in found + chain_problems) or not all(
        session.clean(d) for d in procedure.chain
    )
    if not own_errors:  # the graph of a procedure with broken names would only echo them
        found += stage_graph.check(procedure)
        found += plain_checks.check(procedure)
        statute = procedure.statute()
        if statute is not None:  # the council's limits against the statute it extends
            law, _ = resolve(statute, find)
            if law is not None:
                found += statutory_limits.check(procedure, law.data)
    problems.extend(found)
    return procedure


# Top-level keys without which a procedure's meaning cannot be checked.
_STRUCTURE = ("procedure", "extends", "start", "remove", *COLLECTIONS)


class _Invalid:
    """Stands in for a value the schema rejected: present, so nothing reports it missing, but never a name."""

    def __repr__(self) -> str:
        return "<invalid>"


def _without(document: Document, bad_values: set[tuple[Any, ...]]) -> Document:
    """A copy of `document` whose rejected values are `_Invalid`, so the checks of meaning skip them."""
    if not bad_values:
        return document
    data = copy.deepcopy(document.data)
    for path in sorted(bad_values, key=len):
        if not path:
            return Document(document.path, _Invalid(), document.positions, document.key_positions)
        container: Any = data
        for part in path[:-1]:
            container = container[part] if isinstance(container, (dict, list)) else None
        if isinstance(container, (dict, list)):
            container[path[-1]] = _Invalid()
    return Document(document.path, data, document.positions, document.key_positions)


class _BrokenParent(Exception):
    """A procedure extends one that has errors of its own."""


__all__ = ["Report", "Session", "expand", "validate"]
