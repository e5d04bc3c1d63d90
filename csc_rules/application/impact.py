"""`csc-rules impact`: what a proposed procedure would do to the cases a council has.

The proposal is an edited copy of one procedure file, or a whole library folder. A single file
is laid into a private copy of the library in place of the version it names (or beside the
others, for a new version), so that both libraries are read the same way. The proposal is
validated before any case is read; then every case is replayed as `run` replays it (the same
inputs, the same parallel batch), each case of a changed procedure a second time under the
proposed library, and only the counts are kept in memory: the deadlines that moved are written
to a temporary file as they come and read back when the report is written."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import CommandError, DefinitionError

if TYPE_CHECKING:
    from ..cases.exports import Source
    from ..cases.runner import Outcome
    from ..procedures.compiler import CompiledProcedure
    from ..procedures.library import Library
    from ..reports.impact import Impact, Proposal, Tally


@contextlib.contextmanager
def proposed_library(path: Path) -> Iterator[Path]:
    """The root of the proposed library, checked: `path` itself for a library folder, or a
    private copy of the library in use with the file `path` in place of the version it names.
    A proposal that does not validate raises DefinitionError with its located problems."""
    from ..procedures.library import library
    from ..reading.locations import MARKERS, is_folder

    if is_folder(path):
        if not all((path / marker).exists() for marker in MARKERS):
            raise CommandError(
                f"--proposed {path}: this folder holds no rules/vocabulary.yaml and councils/; "
                "give a procedure file, or a copy of the whole library",
                code="not-a-library",
                path=path,
            )
        _refuse_invalid(library(path).checker.validate(None))
        yield path.resolve()
        return
    current = library()
    _refuse_invalid(current.checker.validate([path]))
    with tempfile.TemporaryDirectory(prefix="csc-rules-impact-") as folder:
        root = Path(folder)
        for part in ("rules", "councils"):
            shutil.copytree(current.root / part, root / part)
        target = root / _place(current, path)
        if not target.resolve().is_relative_to(root.resolve()):  # never the library itself
            raise CommandError(f"--proposed {path}: cannot tell where it goes in the library")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        yield root


def _refuse_invalid(report: Any) -> None:
    if report.errors:
        raise DefinitionError(list(report.errors))


def _place(current: Library, path: Path) -> str:
    """Where the proposed file goes in the copy: over the file of the same procedure and
    version, else beside that procedure's other versions."""
    from ..diagnostics import display_path

    proposed = current.compiled.procedure(path)
    entries = [e for e in current.catalogue.entries()[0] if e.id == proposed.id]
    for entry in entries:
        if entry.version == proposed.version:
            return _within(current, entry.path)
    if not entries:
        raise CommandError(
            f"--proposed {display_path(path)} names the procedure {proposed.id}, which the "
            "library does not have; add it with `csc-rules new` first, or give the whole "
            "library folder",
            code="unknown-procedure",
            path=path,
        )
    folder = Path(_within(current, entries[0].path)).parent
    taken = {Path(_within(current, e.path)) for e in current.catalogue.entries()[0]}
    name = folder / path.name
    if name in taken:  # the name of another version's file: both versions are kept
        name = folder / f"{path.stem}-{proposed.version}{path.suffix}"
    return name.as_posix()


def _within(lib: Library, shown: str) -> str:
    """A catalogue's path (as `display_path` shows it, from the working folder or whole) as a
    path inside the library's root, so that the copy is written to and never the original."""
    return Path(shown).resolve().relative_to(lib.root.resolve()).as_posix()


def changed_procedures(
    root: Path, only: str | None, named: str | None = None
) -> list[tuple[CompiledProcedure | None, CompiledProcedure]]:
    """Each version of a procedure that the proposal changes or adds, with the version it
    replaces (None for a new one); only those of procedure `only` when given. The procedure
    `named` counts as changed even where its file is the library's own (a version in force
    from a later day, tried on every case with --apply-to-all)."""
    from ..procedures.library import library

    now, then = library(), library(root)
    old = {(e.id, e.version): e.path for e in now.catalogue.entries()[0]}
    found = []
    for entry in then.catalogue.entries()[0]:
        if entry.kind == "baseline" or (only is not None and entry.id != only):
            continue
        after = then.compiled.procedure(Path(entry.path).resolve())
        key = (entry.id, entry.version)
        before = now.compiled.procedure(Path(old[key]).resolve()) if key in old else None
        if before is None or before != after or entry.id == named:
            found.append((before, after))
    if only is not None and not any(a.id == only for _, a in found):
        raise CommandError(
            f"--procedure {only}: the proposal does not change that procedure"
            + (f" (it changes {', '.join(sorted({a.id for _, a in found}))})" if found else ""),
            code="unknown-procedure",
        )
    return found


def describe_change(
    pairs: Sequence[tuple[CompiledProcedure | None, CompiledProcedure]],
) -> list[dict[str, Any]]:
    """Each changed procedure as `diff` compares it with the one it replaces."""
    from ..reports.comparison import diff

    names = _documents()
    described = []
    for before, after in pairs:
        item: dict[str, Any] = {"id": after.id, "version": after.version}
        if before is not None:
            item["replaces"] = before.version
            compared = diff(before, after, names)
            compared["a"], compared["b"] = f"{before.version} (now)", f"{after.version} (proposed)"
            item["diff"] = compared
        described.append(item)
    return described


def _documents() -> dict[str, str]:
    from ..procedures.library import library

    return library().vocabulary.document_names()


def compare(
    paths: Sequence[Source],
    proposal: Proposal,
    as_of: dt.date | None,
    jobs: int | None,
    spill: IO[str],
    failed: Callable[[Outcome], None],
    year: str | None = None,
) -> tuple[Tally, dict[str, Any] | None]:
    """Every case replayed both ways, counted; the deadlines that moved written to `spill`.
    With `year`, the annual report's response times for that year too, before and after."""
    from ..annual_report.tally import Tally as Report
    from ..cases.runner import run_cases
    from ..reports.impact import Tally, compare_case
    from .impact_year import count_both, figures, frame

    tally = Tally()
    counting = frame() if year is not None else None
    sides = (Report(counting), Report(counting)) if counting is not None else None
    count: Callable[..., Any] = functools.partial(compare_case, proposal)
    if counting is not None:
        count = functools.partial(count_both, proposal, counting, as_of or dt.date.today())
    cores = jobs or os.cpu_count() or 1
    with contextlib.closing(run_cases(list(paths), as_of, False, cores, count=count)) as run:
        for outcome in run:
            if not outcome.ok:
                tally.failed += 1
                failed(outcome)
                continue
            compared = outcome.value
            if sides is not None:
                compared, *counted = outcome.value
                for side, one in zip(sides, counted, strict=True):
                    if one is not None:
                        side.add(one)
            for change in tally.add(compared):
                spill.write(json.dumps(change) + "\n")
    if counting is None or sides is None or year is None:
        return tally, None
    return tally, figures(counting, year, *sides)


def proposal_for(
    root: Path,
    pairs: Sequence[tuple[CompiledProcedure | None, CompiledProcedure]],
    apply_to_all: bool,
) -> Proposal:
    """What the workers need: the proposed library, the ids that changed, and with
    `apply_to_all` the latest proposed version of each, for every case of that procedure."""
    from ..reports.impact import Proposal

    every: dict[str, tuple[dt.date, str]] = {}
    if apply_to_all:
        for _, after in pairs:
            if after.id not in every or every[after.id][0] < after.effective:
                every[after.id] = (after.effective, _file_of(root, after))
    return Proposal(
        str(root),
        frozenset(after.id for _, after in pairs),
        tuple((key, value[1]) for key, value in sorted(every.items())),
    )


def _file_of(root: Path, procedure: CompiledProcedure) -> str:
    from ..procedures.library import library

    for entry in library(root).catalogue.entries()[0]:
        if (entry.id, entry.version) == (procedure.id, procedure.version):
            return str(Path(entry.path).resolve())
    raise CommandError(f"{procedure.id} {procedure.version} is not in the proposed library")


@contextlib.contextmanager
def impact(
    paths: Sequence[Source],
    proposed: Path,
    only: str | None,
    as_of: dt.date | None,
    apply_to_all: bool,
    jobs: int | None,
    failed: Callable[[Outcome], None],
    year: str | None = None,
) -> Iterator[Impact]:
    """The whole comparison, its temporary files removed on leaving the block."""
    from ..reading.locations import is_folder

    with proposed_library(proposed) as root:
        named = None
        if apply_to_all and not is_folder(proposed):
            from ..procedures.library import library

            named = library().compiled.procedure(proposed).id
        pairs = changed_procedures(root, only, named)
        described = describe_change(pairs)
        proposal = proposal_for(root, pairs, apply_to_all)
        with tempfile.TemporaryDirectory(prefix="csc-rules-impact-changes-") as folder:
            spill = Path(folder) / "changes.jsonl"
            with spill.open("w", encoding="utf-8") as handle:
                tally, report = compare(paths, proposal, as_of, jobs, handle, failed, year)
            from ..reports.impact import Impact

            yield Impact(described, tally, spill, as_of, apply_to_all, report)


def impact_json(
    proposed: bytes,
    name: str,
    lines: Path,
    only: str | None,
    as_of: dt.date | None,
    apply_to_all: bool,
    year: str | None = None,
) -> tuple[str | None, list[Any]]:
    """`POST /impact`: the proposal's text checked as `validate` checks it (its problems located
    in `name`), then the cases of the JSON lines file `lines` compared, as the JSON document
    `impact --format json` writes; or None and the located problems of the proposal, or of every
    line that is not a case (a comparison missing a case would look complete)."""
    import io

    from ..reports.impact_formats import write
    from .procedures import validate_text

    report = validate_text(proposed, name)
    if report.errors:
        return None, list(report.errors)
    problems: list[Any] = []

    def failed(outcome: Outcome) -> None:
        problems.extend(outcome.problems)

    with tempfile.TemporaryDirectory(prefix="csc-rules-impact-") as folder:
        path = Path(folder) / name
        path.write_bytes(proposed)
        with impact([lines], path, only, as_of, apply_to_all, 1, failed, year) as found:
            if problems:
                return None, problems
            out = io.StringIO()
            write("json", found, out)
            return out.getvalue(), []
