"""The procedure library: rules/ and councils/ read once, each procedure checked and compiled once.

Every question of the form "which procedure, which version, which calendar" is answered here:
the procedure `X` in force on a date, a procedure named by id, YAML file or compiled file, the
calendar of a council, the catalogue `csc-rules list` shows. The compiler compiles and the
calendars are built from data; neither looks anything up."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import ERROR, Diagnostic, display_path
from ..errors import DefinitionError, NotFoundError, NotInForceError
from ..reading import files
from ..reading.locations import council_file, council_names, data_root, library_files
from . import cache
from .catalogue import BASELINES, Entry, entries_of

if TYPE_CHECKING:
    from ..calendars.working_days import WorkingCalendar
    from ..reading.loader import Document
    from ..validation.run import Report
    from .compiler import CompiledProcedure


class Library:
    """The procedures, councils and vocabulary under one root folder, each file read at most
    once, each procedure validated and compiled at most once (per process)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._texts: dict[Path, tuple[str | None, list[Diagnostic]]] = {}
        self._documents: dict[Path, tuple[Document | None, list[Diagnostic]]] = {}
        self._catalogue: tuple[list[Entry], list[Diagnostic]] | None = None
        self._compiled: dict[Path, CompiledProcedure] = {}
        self._calendars: dict[tuple[str, int, int, bool], WorkingCalendar] = {}
        # By procedure id, its versions (effective date, file) in date order; and the procedure
        # of each such file, for `in_force`, asked once a case.
        self._versions: dict[str, list[tuple[str, Path]]] = {}
        self._by_path: dict[Path, CompiledProcedure] = {}
        self._session: Any = None

    # -- files ------------------------------------------------------------------------------

    def files(self) -> list[Path]:
        """Every YAML file of rules/ and councils/, in a stable order."""
        return library_files(self.root)

    def owns(self, path: Path) -> bool:
        """Whether `path` is one of this library's files, which are read once per process; any
        other file a user names is read afresh each time, as it may have been edited since."""
        try:
            path.resolve().relative_to(self.root)
        except (ValueError, OSError):
            return False
        return True

    def read(self, path: Path) -> tuple[str | None, list[Diagnostic]]:
        """The text of a file (or why there is none), read from disk once if the library's."""
        if not self.owns(path):
            return files.read_text(path)
        key = path.resolve()
        if key not in self._texts:
            self._texts[key] = files.read_text(path)
        return self._texts[key]

    def load(self, path: Path) -> tuple[Document | None, list[Diagnostic]]:
        """A YAML file parsed once: its document (None if unreadable) and its problems."""
        from ..reading.loader import parse  # YAML: not needed when everything comes from the cache

        if not self.owns(path):
            text, problems = self.read(path)
            return (None, problems) if text is None else parse(path, text)
        key = path.resolve()
        if key not in self._documents:
            text, problems = self.read(path)
            self._documents[key] = (None, problems) if text is None else parse(path, text)
        document, problems = self._documents[key]
        return document, list(problems)

    # -- what the library holds -------------------------------------------------------------

    def catalogue(self) -> tuple[list[Entry], list[Diagnostic]]:
        """Every procedure, baselines first, and the files that would not load. Taken from the
        cache when no library file has changed since it was made, so no YAML is parsed."""
        if self._catalogue is None:
            library_files = self.files()
            entry = (
                cache.key("catalogue", self._contents(library_files)) if cache.folder() else None
            )
            self._catalogue = self._cached_catalogue(entry) if entry else None
            if self._catalogue is None:
                self._catalogue = entries_of((path, self.load(path)) for path in library_files)
                if (
                    entry and not self._catalogue[1]
                ):  # only a sound library: problems name display paths
                    rows = [
                        {**e.to_json(), "path": self._relative(Path(e.path))}
                        for e in self._catalogue[0]
                    ]
                    cache.put(entry, json.dumps(rows))
        entries, problems = self._catalogue
        return list(entries), list(problems)

    def _cached_catalogue(self, entry: str) -> tuple[list[Entry], list[Diagnostic]] | None:
        text = cache.get(entry)
        if text is None:
            return None
        from ..errors import JsonInputError
        from ..reading.json_input import loads

        try:
            found = [
                Entry(**{**e, "path": display_path(self.root / e["path"])}) for e in loads(text)
            ]
        except (JsonInputError, ValueError, TypeError, KeyError):  # damaged: rebuilt, rewritten
            return None
        return found, []

    def _relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def _contents(self, paths: Sequence[Path]) -> list[tuple[str, bytes]]:
        """(name within the library, content) of each file, for a cache key."""
        found = []
        for path in paths:
            text, _ = self.read(path)
            found.append((self._relative(path), (text or "").encode()))
        return found

    def council_procedures(self) -> list[str]:
        """The ids of the councils' procedures (not the baselines), each once."""
        return list(dict.fromkeys(e.id for e in self.catalogue()[0] if e.group != BASELINES))

    def choose(
        self, procedure_id: str, on: dt.date | None = None, *, earliest: bool = False
    ) -> Path:
        """The file of the version of `procedure_id` in force on `on` (default: the latest).
        With `earliest`, a day before every version gives the earliest version (a case received
        then runs under it, and says so) instead of an error."""
        from .._suggest import did_you_mean

        entries = self.catalogue()[0]
        versions = sorted((e for e in entries if e.id == procedure_id), key=lambda e: e.effective)
        if not versions:
            known = sorted({e.id for e in entries})
            raise NotFoundError(
                f"no procedure is called `{procedure_id}`{did_you_mean(procedure_id, known)} (see `csc-rules list`)"
            )
        if on is not None:
            in_force = [e for e in versions if e.effective <= on.isoformat()]
            if not in_force and earliest:
                return Path(versions[0].path)
            if not in_force:
                raise NotInForceError(
                    f"no version of `{procedure_id}` was in force on {on.isoformat()}: the first takes effect on {versions[0].effective}"
                )
            return Path(in_force[-1].path)
        return Path(versions[-1].path)

    def latest(self, procedure_id: str) -> Path | None:
        """The file of the latest version of `procedure_id`, which `extends` builds on."""
        try:
            return self.choose(procedure_id)
        except NotFoundError:
            return None

    # -- checking and compiling -------------------------------------------------------------

    def validate(self, paths: Sequence[Path] | None = None) -> Report:
        """`csc-rules validate` of these files (default: the whole library), reusing what this
        library has read and checked already."""
        from ..validation.run import validate

        if paths and not all(self.owns(p) for p in paths):
            # A file of the user's own: checked afresh, with the library's files as read.
            return validate(paths, self._new_session())
        if self._session is None:
            self._session = self._new_session()
        return validate(paths, self._session)

    def _new_session(self) -> Any:
        from ..validation.run import Session

        return Session(self.load, self.latest, self.files, self.root)

    def procedure(self, reference: str | Path, on: dt.date | None = None) -> CompiledProcedure:
        """A procedure by id (the version in force on `on`, else the latest), by YAML file, or
        from a compiled JSON file. YAML is validated first; errors raise DefinitionError."""
        from .compiler import load_compiled

        path = Path(reference)
        if path.suffix == ".json":
            return load_compiled(path)
        if path.suffix not in (".yaml", ".yml"):
            path = self.choose(str(reference), on)
        return self._compile(path)

    def in_force(self, procedure_id: str, received: dt.date) -> CompiledProcedure:
        """The version of `procedure_id` in force when a complaint was received, or the earliest
        version for a complaint received before any (replay then warns `before-first-version`).
        Asked once a case, so each procedure's versions are listed once and each is compiled
        once."""
        versions = self._versions.get(procedure_id)
        if versions is None:
            entries = [e for e in self.catalogue()[0] if e.id == procedure_id]
            versions = sorted((e.effective, Path(e.path)) for e in entries)
            self._versions[procedure_id] = versions
        day = received.isoformat()
        for effective, path in reversed(versions):
            if effective <= day:
                compiled = self._by_path.get(path)
                if compiled is None:
                    compiled = self._by_path[path] = self._compile(path)
                return compiled
        return self._compile(self.choose(procedure_id, received, earliest=True))

    def _compile(self, path: Path) -> CompiledProcedure:
        """The procedure of a YAML file, from the cache when none of the files that go into it
        has changed, else validated and compiled (and then cached)."""
        key = path.resolve()
        if not self.owns(path):
            return self._build(path)  # a file of the user's own may change between calls
        if key not in self._compiled:
            entry = self._cache_entry(path)
            compiled = self._from_cache(entry) if entry else None
            if compiled is None:
                compiled = self._build(path)
                if entry:
                    from .compiler import dumps

                    cache.put(entry, dumps(compiled))
            self._compiled[key] = compiled
        return self._compiled[key]

    def _cache_entry(self, path: Path) -> str | None:
        """The cache key of a procedure file: the files of its `extends` chain, the vocabulary,
        its council's file (the calendar) and the schemas; None if the chain cannot be told."""
        from .compiler import CALENDAR_YEARS, FORMAT_VERSION

        inputs = self._inputs(path) if cache.folder() is not None else None
        if inputs is None:
            return None
        made = f"format {FORMAT_VERSION}, calendar {CALENDAR_YEARS[0]}-{CALENDAR_YEARS[1]}"
        return cache.key("procedure", [("compiled as", made.encode()), *self._contents(inputs)])

    def _inputs(self, path: Path) -> list[Path] | None:
        by_path = {Path(e.path).resolve(): e for e in self.catalogue()[0]}
        chain: list[Path] = []
        current: Path | None = path
        while current is not None:
            entry = by_path.get(current.resolve())
            if entry is None or current in chain:
                return None  # not in the library (a file given by path), or a cycle
            chain.append(current)
            current = self.latest(entry.extends) if entry.extends else None
        council = council_file(by_path[path.resolve()].id.split("/", 1)[0], self.root)
        rules = self.root / "rules"
        schemas = sorted(rules.glob("*.schema.json"))
        return [*chain, rules / "vocabulary.yaml", *([council] if council else []), *schemas]

    def _from_cache(self, entry: str) -> CompiledProcedure | None:
        from ..errors import CompiledFileError
        from .compiler import loads

        text = cache.get(entry)
        if text is None:
            return None
        try:
            return loads(text, entry, trusted=True)
        except CompiledFileError:  # damaged: rebuilt, and written again
            return None

    def _build(self, path: Path) -> CompiledProcedure:
        """Validate a procedure file (with what it extends) and compile it."""
        from .compiler import CALENDAR_YEARS, compile_resolved

        report = self.validate([path])
        if report.errors:
            raise DefinitionError(list(report.errors))
        found = [p for p in report.procedures if p.chain[-1].path.resolve() == path.resolve()]
        if not found:  # a council or vocabulary file: sound, but no procedure
            raise DefinitionError(
                [
                    Diagnostic(
                        display_path(path),
                        1,
                        1,
                        ERROR,
                        "not-a-procedure",
                        "this is not a procedure file: it has no `procedure:` key at the top; "
                        "give a procedure's file or its id (see `csc-rules list`)",
                    )
                ]
            )
        resolved = found[0]
        return compile_resolved(
            resolved, self.calendar_of(resolved.id, *CALENDAR_YEARS), self.fact_vocabulary()
        )

    def report_frame(self) -> dict[str, Any]:
        """How the annual report counts (the `annual_report` section of rules/vocabulary.yaml),
        checked first: DefinitionError, located, if the vocabulary is broken or lacks it."""
        path = self.root / "rules" / "vocabulary.yaml"
        checked = self.validate([path])
        if checked.errors:
            raise DefinitionError(list(checked.errors))
        document, problems = self.load(path)
        frame = document.data.get("annual_report") if document is not None else None
        if not isinstance(frame, dict):
            from ..diagnostics import Diagnostic, display_path

            raise DefinitionError(
                [
                    Diagnostic(
                        display_path(path),
                        1,
                        1,
                        "error",
                        "missing-key",
                        "the vocabulary has no `annual_report` section saying how the report counts",
                    )
                ]
            )
        return frame

    def fact_vocabulary(self) -> dict[str, Any]:
        """The facts declared in rules/vocabulary.yaml, with their types and values."""
        document, problems = self.load(self.root / "rules" / "vocabulary.yaml")
        if document is None or not isinstance(document.data, dict):
            raise DefinitionError(problems)
        facts = document.data.get("facts", {})
        return dict(facts) if isinstance(facts, dict) else {}

    def document_names(self) -> dict[str, str]:
        """The documents a source may cite, each with its name (the `documents` of
        rules/vocabulary.yaml)."""
        document, problems = self.load(self.root / "rules" / "vocabulary.yaml")
        if document is None or not isinstance(document.data, dict):
            raise DefinitionError(problems)
        documents = document.data.get("documents", {})
        if not isinstance(documents, dict):
            return {}
        return {str(k): str(v) for k, v in documents.items()}

    # -- calendars --------------------------------------------------------------------------

    def calendar(
        self,
        council: str,
        first_year: int,
        last_year: int,
        *,
        count_closures: bool = False,
    ) -> WorkingCalendar:
        """The calendar of a council: its region's bank holidays and its closure days."""
        from ..calendars.bank_holidays import council_calendar, unknown_council

        key = (council, first_year, last_year, count_closures)
        if key not in self._calendars:
            path = council_file(council, self.root)
            if path is None:
                raise unknown_council(council, council_names(self.root))
            report = self.validate([path])
            if report.errors:
                raise DefinitionError(list(report.errors))
            document, _ = self.load(path)
            data = document.data if document is not None else {}
            self._calendars[key] = council_calendar(
                data, first_year, last_year, count_closures=count_closures
            )
        return self._calendars[key]

    def calendar_of(self, procedure_id: str, first_year: int, last_year: int) -> WorkingCalendar:
        """The calendar of the council whose folder a procedure id starts with; England's
        for a procedure of no council (a baseline)."""
        from ..calendars.bank_holidays import region_calendar

        council = procedure_id.split("/", 1)[0]
        if council_file(council, self.root) is not None:
            return self.calendar(council, first_year, last_year)
        return region_calendar("ENG", first_year, last_year)


_LIBRARIES: dict[Path, Library] = {}


def library(root: Path | None = None) -> Library:
    """The library under `root` (default: the one `csc-rules` finds, see `library.data_root`),
    one object per root and process."""
    if root is None:
        root = data_root()  # found once per process, and already resolved
    if root not in _LIBRARIES:
        root = root.resolve()
    if root not in _LIBRARIES:
        _LIBRARIES[root] = Library(root)
    return _LIBRARIES[root]


def validate(paths: Sequence[Path] | None = None) -> Report:
    """`csc-rules validate`: every file `paths` names (default: the whole library), checked for
    YAML, schema and meaning, with every problem located."""
    return library().validate(paths)


def load_procedure(reference: str | Path, on: dt.date | None = None) -> CompiledProcedure:
    """A procedure by id (the version in force on `on`, else the latest), by YAML file, or from
    a compiled JSON file, from the library `csc-rules` finds."""
    return library().procedure(reference, on)
