"""`csc-rules due`: what is due across a caseload on a day, a complaints team's daily list.

Every case is read and replayed as `run` replays it (the same inputs, the same parallel batch),
each open case reduced to its open duties and windows where it was replayed; the items are
sorted overdue first, then by due date, in bounded memory (runs spilled to temporary files past
a few megabytes), so a million cases need no more memory than a few thousand."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import CommandError, WriteError

if TYPE_CHECKING:
    from ..cases.exports import Source
    from ..cases.runner import Outcome
    from ..reports.due import DueItem
    from ..reports.due_formats import Format
    from ..reports.due_list import Sieve, Totals

# About what one item holds in memory while it waits to be sorted.
_ITEM_WEIGHT = 600


def formats() -> dict[str, Format]:
    """The formats `due` writes, by name (see `reports.due_formats.FORMATS`)."""
    from ..reports.due_formats import FORMATS

    return FORMATS


def sieve(
    as_of: dt.date | None, within: int | None, council: str | None, stage: str | None
) -> Sieve:
    """What the list keeps, checked: a council and a stage the library knows."""
    from ..reports.due_list import Sieve

    if council is not None:
        _known_council(council)
    if stage is not None:
        _known_stage(stage)
    return Sieve(as_of or dt.date.today(), within, council, stage)


def due_list(
    paths: Sequence[Source],
    kept: Sieve,
    jobs: int | None = None,
    failed: Callable[[Outcome], None] | None = None,
) -> tuple[Iterator[DueItem], Totals]:
    """The items of every open case the paths name, overdue first, then by due date, and what
    was counted making them (complete once the items are all taken). A case that cannot be
    read or replayed is passed to `failed` (before the first item comes) and counted."""
    from ..cases._bounded_sort import bounded_sort
    from ..reports.due_list import Totals

    totals = Totals(kept)
    gathered = _gather(paths, kept, jobs, totals, failed or (lambda outcome: None))
    ordered = bounded_sort(gathered, lambda record: _ITEM_WEIGHT)
    return (record[-1] for record in ordered), totals


def _gather(
    paths: Sequence[Source],
    kept: Sieve,
    jobs: int | None,
    totals: Totals,
    failed: Callable[[Outcome], None],
) -> Iterator[tuple[Any, ...]]:
    """Each item with what it sorts by: its own key, then the order it came in, so that two
    councils' cases of the same reference never compare the items themselves."""
    from ..cases.runner import run_cases
    from ..reports.due_list import list_case

    count = functools.partial(list_case, kept)
    cores = jobs or os.cpu_count() or 1
    seen = itertools.count()
    with contextlib.closing(run_cases(list(paths), kept.as_of, False, cores, count=count)) as run:
        for outcome in run:
            if not outcome.ok:
                totals.failed += 1
                failed(outcome)
                continue
            totals.add(outcome.value)
            for item in outcome.value.items:
                yield (item.sort_key(), next(seen), item)


def write(
    fmt: str,
    items: Iterator[DueItem],
    totals: Totals,
    out: IO[Any],
    options: Mapping[str, Any] | None = None,
) -> None:
    """The list in format `fmt`, written to `out` as the items come. A calendar's reminders
    are counted back in each item's own procedure calendar."""
    from ..reports.due_formats import Listing

    given = dict(options or {})
    if fmt == "ics":
        from .due_export import count_back

        given.setdefault("back", count_back())
    formats()[fmt].write(Listing(items, totals, given), out)


def source_names(sources: Sequence[Source]) -> list[str]:
    """How the list names what it was made from: each file or folder, or a query's file."""
    from ..diagnostics import display_path
    from .cases import source_paths

    return [display_path(path) for path in source_paths(sources)]


def closing_note(totals: Totals) -> list[str]:
    """What the list counted and left out, in sentences (for a format with no place for it)."""
    from ..reports.due_formats import closing_note as note

    return note(totals)


def write_to_file(
    path: Path, binary: bool, fill: Callable[[IO[Any]], None], inputs: Sequence[Source]
) -> None:
    """Write a file whole or not at all, as it is made: into a temporary file beside it, renamed
    over `path` once complete; never over one of the `inputs`."""
    from ..diagnostics import display_path
    from .cases import source_paths
    from .output import refuse_inputs, replaceable

    refuse_inputs([path], _input_files(source_paths(inputs)))
    target = replaceable(path)
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        temporary = Path(name)
        # newline="" keeps CSV's own line ends as they are written
        with (
            open(handle, "wb") if binary else open(handle, "w", encoding="utf-8", newline="") as out
        ):
            fill(out)
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise WriteError(
            f"cannot write {display_path(path)}: {exc.strerror or exc}; check that the folder "
            "exists and that you may write to it",
            code="cannot-write",
            path=path,
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()


def _input_files(paths: Sequence[Path]) -> list[Path]:
    """The files the paths name, a folder's case files (and a CSV export's mapping) included."""
    from ..cases.case_csv import mapping_path
    from ..reading.locations import files_under, is_folder

    found: list[Path] = []
    for path in paths:
        found += files_under(path) if is_folder(path) else [path]
    return found + [mapping_path(p) for p in found if p.suffix == ".csv"]


def _known_council(council: str) -> None:
    from ..calendars.bank_holidays import unknown_council
    from ..procedures.library import library
    from ..reading.locations import council_file, council_names

    root = library().root
    if council_file(council, root) is None:
        raise CommandError(
            str(unknown_council(council, council_names(root))), code="unknown-council"
        )


def _known_stage(stage: str) -> None:
    """A stage of some procedure of the library (stage ids come from the baselines)."""
    from .._suggest import did_you_mean
    from ..procedures.library import library

    lib = library()
    stages: set[str] = set()
    for entry in lib.catalogue.entries()[0]:
        document = lib.files.load(Path(entry.path))[0]
        data = document.data if document is not None else None
        if isinstance(data, dict) and isinstance(data.get("stages"), dict):
            stages.update(str(name) for name in data["stages"])
    if stage not in stages:
        raise CommandError(
            f"--stage {stage}: no procedure has a stage of that id (the stages are "
            f"{', '.join(sorted(stages))}){did_you_mean(stage, stages)}",
            code="unknown-stage",
        )
