"""The library's procedures compiled, each once a process: from the disk cache when none of the
files that go into it has changed, else checked, compiled and cached."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DefinitionError
from ..reading.files import file_problem
from ..reading.locations import council_file
from . import cache

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .checker import Checker
    from .compiler import CompiledProcedure
    from .council_calendars import CouncilCalendars
    from .files import Files
    from .versions import Versions
    from .vocabulary import Vocabulary


class Compiled:
    """A procedure by id and date, by YAML file or from a compiled file; the library's own each
    compiled at most once, a user's own file compiled afresh each time."""

    def __init__(
        self,
        files: Files,
        catalogue: Catalogue,
        versions: Versions,
        checker: Checker,
        calendars: CouncilCalendars,
        vocabulary: Vocabulary,
    ) -> None:
        self.files = files
        self.catalogue = catalogue
        self.versions = versions
        self.checker = checker
        self.calendars = calendars
        self.vocabulary = vocabulary
        self._compiled: dict[Path, CompiledProcedure] = {}
        # By a file as the catalogue names it, so that a case's procedure is found without
        # resolving its path again.
        self._listed: dict[Path, CompiledProcedure] = {}

    def procedure(self, reference: str | Path, on: dt.date | None = None) -> CompiledProcedure:
        """A procedure by id (the version in force on `on`, else the latest), by YAML file, or
        from a compiled JSON file. YAML is validated first; errors raise DefinitionError."""
        from .compiler import load_compiled

        path = Path(reference)
        if path.suffix == ".json":
            return load_compiled(path)
        if path.suffix in (".yaml", ".yml"):
            return self._compile(path)
        return self._of_listed(self.versions.choose(str(reference), on))

    def in_force(self, procedure_id: str, received: dt.date) -> CompiledProcedure:
        """The version of `procedure_id` in force when a complaint was received, or the earliest
        version for a complaint received before any (replay then warns `before-first-version`).
        Asked once a case."""
        return self._of_listed(self.versions.choose(procedure_id, received, earliest=True))

    def cache_entry(self, path: Path) -> str | None:
        """The cache key of a procedure file: the files of its `extends` chain, the vocabulary,
        its council's file (the calendar) and the schemas; None if the chain cannot be told."""
        from .compiler import CALENDAR_YEARS, FORMAT_VERSION

        inputs = self._inputs(path) if cache.folder() is not None else None
        if inputs is None:
            return None
        made = f"format {FORMAT_VERSION}, calendar {CALENDAR_YEARS[0]}-{CALENDAR_YEARS[1]}"
        return cache.key(
            "procedure", [("compiled as", made.encode()), *self.files.contents(inputs)]
        )

    def _of_listed(self, path: Path) -> CompiledProcedure:
        compiled = self._listed.get(path)
        if compiled is None:
            compiled = self._listed[path] = self._compile(path)
        return compiled

    def _compile(self, path: Path) -> CompiledProcedure:
        """The procedure of a YAML file, from the cache when it can be, else built (and cached)."""
        if not self.files.owns(path):
            return self._build(path)  # a file of the user's own may change between calls
        key = path.resolve()
        if key not in self._compiled:
            entry = self.cache_entry(path)
            compiled = self._from_cache(entry, path) if entry else None
            if compiled is None:
                compiled = self._build(path)
                if entry:
                    from .compiler import dumps

                    cache.put(entry, dumps(compiled))
            self._compiled[key] = compiled
        return self._compiled[key]

    def _inputs(self, path: Path) -> list[Path] | None:
        by_path = {Path(e.path).resolve(): e for e in self.catalogue.entries()[0]}
        chain: list[Path] = []
        current: Path | None = path
        while current is not None:
            entry = by_path.get(current.resolve())
            if entry is None or current in chain:
                return None  # not in the library (a file given by path), or a cycle
            chain.append(current)
            current = self.versions.latest(entry.extends) if entry.extends else None
        root = self.files.root
        council = council_file(by_path[path.resolve()].id.split("/", 1)[0], root)
        rules = root / "rules"
        schemas = sorted(rules.glob("*.schema.json"))
        return [*chain, rules / "vocabulary.yaml", *([council] if council else []), *schemas]

    def _from_cache(self, entry: str, path: Path) -> CompiledProcedure | None:
        """The procedure stored under `entry`, or None (then compiled again and stored): one
        this user wrote is checked by its digests, any other also by its meaning; and it must be
        the procedure the catalogue lists for `path`, not another's entry copied to this key."""
        from ..errors import CompiledFileError
        from .compiler import loads

        stored = cache.get(entry)
        if stored is None:
            return None
        try:
            compiled = loads(stored.text, entry, trusted=stored.own)
        except CompiledFileError:  # damaged: rebuilt, and written again
            return None
        listed = {Path(e.path).resolve(): e for e in self.catalogue.entries()[0]}.get(
            path.resolve()
        )
        said = (compiled.id, compiled.version, compiled.effective.isoformat())
        if listed is None or said != (listed.id, listed.version, listed.effective):
            return None
        return compiled

    def _build(self, path: Path) -> CompiledProcedure:
        """Validate a procedure file (with what it extends) and compile it."""
        from .compiler import CALENDAR_YEARS, compile_resolved

        resolved = self.checker.procedure_in(path)
        if resolved is None:  # a council or vocabulary file: sound, but no procedure
            raise DefinitionError(
                [
                    file_problem(
                        path,
                        "not-a-procedure",
                        "this is not a procedure file: it has no `procedure:` key at the top; "
                        "give a procedure's file or its id (see `csc-rules list`)",
                    )
                ]
            )
        calendar = self.calendars.of_procedure(resolved.id, *CALENDAR_YEARS)
        return compile_resolved(
            resolved, calendar, self.vocabulary.facts(resolved.id.split("/", 1)[0])
        )
