"""Sorting more records than memory should hold: sorted runs spilled to temporary files, merged."""

from __future__ import annotations

import heapq
import itertools
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, TypeVar

Record = TypeVar("Record")

RUN_WEIGHT = 4 << 20  # about the bytes a run holds in memory before it is sorted and spilled
FAN_IN = 64  # runs merged at once: one open file each


def bounded_sort(records: Iterable[Record], weight: Callable[[Record], int]) -> Iterator[Record]:
    """The records in sorted order, holding about RUN_WEIGHT (as `weight` counts it) in memory
    whatever their number. Records must be orderable and picklable; an OSError (no room for the
    temporary files) is the caller's to report."""
    records = iter(records)
    batch, full = _batch(records, weight)
    if not full:  # it all fits: no file written
        batch.sort()
        yield from batch
        return
    with tempfile.TemporaryDirectory(prefix="csc-rules-sort-") as folder:
        names = (Path(folder) / f"run-{number}" for number in itertools.count())
        runs: list[Path] = []
        while batch:
            runs.append(_spill(_sort(batch), next(names)))
            del batch  # a run leaves memory before the next is read
            batch, _ = _batch(records, weight)
        while len(runs) > FAN_IN:  # merge the oldest runs into one, so open files stay few
            done, runs = runs[:FAN_IN], runs[FAN_IN:]
            with ExitStack() as stack:
                runs.append(_spill(heapq.merge(*(_read(stack, run) for run in done)), next(names)))
            for run in done:
                run.unlink()
        with ExitStack() as stack:
            yield from heapq.merge(*(_read(stack, run) for run in runs))


def _batch(records: Iterator[Record], weight: Callable[[Record], int]) -> tuple[list[Record], bool]:
    """The next records up to RUN_WEIGHT, and whether they reached it (so more may follow)."""
    batch: list[Record] = []
    held = 0
    for record in records:
        batch.append(record)
        held += weight(record)
        if held >= RUN_WEIGHT:
            return batch, True
    return batch, False


def _sort(batch: list[Record]) -> list[Record]:
    batch.sort()  # in place: a sorted copy would hold the run twice
    return batch


def _spill(records: Iterable[Any], path: Path) -> Path:
    with path.open("wb") as handle:
        for record in records:
            # one pickle a record: a Pickler kept open would remember every record it wrote
            handle.write(pickle.dumps(record, pickle.HIGHEST_PROTOCOL))
    return path


def _read(stack: ExitStack, path: Path) -> Iterator[Any]:
    handle: IO[bytes] = stack.enter_context(path.open("rb"))
    while True:
        try:
            yield pickle.load(handle)
        except EOFError:
            return
