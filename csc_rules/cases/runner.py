"""Cases to run: from a file, a folder of files, a .jsonl file with one case per line, or rows
of records (a CSV export, a sheet of a workbook, a SQL query's result: see `exports`)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..diagnostics import ERROR, Diagnostic, PlainLocator, display_path, yaml_path
from ..errors import CaseError, CscRulesError, DefinitionError, JsonInputError, NotInForceError
from ..reading import json_input
from ..reading.bounds import LINE_BYTES
from ..reading.files import unreadable
from ..reading.locations import files_under, is_file, is_folder
from .case import Case, case_from_data, read_case
from .exports import Query, Sheet, Source, csv_items, query_items, workbook_items
from .results import Result

CASE_SUFFIXES = (".yaml", ".yml", ".json")
EXPORT_SUFFIXES = (".csv", ".xlsx")  # rows of records, read with the mapping beside them
# The figures a council gives beside its records (`csc-rules report --figures`): not a case.
FIGURES_SUFFIX = ".figures.yaml"


@dataclass(frozen=True)
class Outcome:
    """One case's result, or why there is none."""

    label: str  # the case id, or where it was when it has none
    result: Result | None
    problems: tuple[Diagnostic, ...] = ()
    text: str | None = None  # the result as the caller's `render` wrote it, in place of `result`
    value: Any = None  # what the caller's `count` made of the case, in place of `result`
    source: str = ""  # the file the case was read from
    line: int = 0  # its line there, for a case on a line of a .jsonl file or rows of a CSV export
    unread: bool = False  # the input itself could not be read (a whole file or folder, not a case)

    @property
    def place(self) -> str:
        """Where the case was read from: `file` or `file:line`."""
        return f"{self.source}:{self.line}" if self.line else self.source

    @property
    def ok(self) -> bool:
        return not self.problems


# One unit of work, cheap to send to another process: ("file", path), ("line", file name, line
# number, the line's bytes or None if it was too long), ("json", name, text) or ("yaml", name,
# text) for a case sent as text, or ("error", label, problems) for a problem found while listing
# the cases.
Item = tuple[Any, ...]


def case_items(paths: Sequence[Source]) -> Iterator[Item]:
    """Every case the sources name, in order, not yet read: a .jsonl file is read a line at a
    time as the items are taken, an export, a sheet or a query's result a case at a time, so a
    batch of any size needs no more memory than one case."""
    for source in paths:
        if isinstance(source, Query):
            yield from query_items(source)
            continue
        path, sheet = (source.path, source.sheet) if isinstance(source, Sheet) else (source, None)
        if is_folder(path):
            files = _case_files(path)
            if not files:
                problem = Diagnostic(
                    display_path(path),
                    1,
                    1,
                    ERROR,
                    "file-not-found",
                    "this folder holds no case files",
                )
                yield ("error", display_path(path), (problem,))
            for file in files:
                yield from _items_of(file, sheet)
        else:
            yield from _items_of(path, sheet)


def _items_of(path: Path, sheet: str | None = None) -> Iterator[Item]:
    if path.suffix in (".csv", ".xlsx") and not is_file(path):
        # said before its mapping is looked for: the export itself is what is missing
        problem = Diagnostic(
            display_path(path),
            1,
            1,
            ERROR,
            "file-not-found",
            "there is no such file: check the path",
        )
        yield ("error", display_path(path), (problem,))
    elif path.suffix == ".jsonl":
        yield from _lines(path)
    elif path.suffix == ".csv":
        yield from csv_items(path)
    elif path.suffix == ".xlsx":
        yield from workbook_items(path, sheet)
    else:
        yield ("file", path)


def _case_files(folder: Path) -> list[Path]:
    """The case files, .jsonl files, CSV exports and workbooks in a folder and the folders
    inside it (an export's column mapping, `<export>.mapping.yaml`, and a report's figures,
    `<name>.figures.yaml`, are not cases; nor is a workbook Excel holds open, `~$<name>`)."""
    return [
        p
        for p in files_under(folder)
        if p.suffix in (*CASE_SUFFIXES, ".jsonl", *EXPORT_SUFFIXES)
        and not p.name.startswith("~$")
        and not p.name.endswith((".mapping.yaml", FIGURES_SUFFIX))
    ]


def count_cases(paths: Sequence[Source]) -> int:
    """How many cases the paths name, counted without reading them (a .jsonl file's lines are
    counted, not parsed; a workbook's rows, or a query's, are not counted): for a progress
    bar's time left."""
    total = 0
    for source in paths:
        if isinstance(source, Query):
            continue
        path = source.path if isinstance(source, Sheet) else source
        for file in _case_files(path) if is_folder(path) else [path]:
            if file.suffix != ".xlsx":
                total += _count_lines(file) if file.suffix in (".jsonl", ".csv") else 1
    return total


def _count_lines(path: Path) -> int:
    count, last = 0, b"\n"
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                count += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return 0
    return count + (last != b"\n")


def read_item(item: Item) -> tuple[str, Case | CaseError]:
    """The case an item holds (label, case), or (label, the error reading it)."""
    kind = item[0]
    if kind == "file":
        return _one_file(item[1])
    if kind == "line":
        return _one_line(*item[1:])
    if kind == "csv":
        return _csv_case(*item[1:])
    if kind == "json":
        return _json_text(*item[1:])
    if kind == "yaml":
        return _yaml_text(*item[1:])
    return item[1], CaseError(list(item[2]))


def kept(error: CaseError) -> CaseError:
    """A caught error kept as a value, without its traceback: the traceback's frames hold their
    callers', one of which holds the error, a cycle only Python's rare full collection frees.
    A batch of bad lines otherwise held hundreds of megabytes between collections."""
    return error.with_traceback(None)


def _yaml_text(name: str, text: str) -> tuple[str, Case | CaseError]:
    """A case file's text sent as YAML, read as a case file is."""
    from .case import read_case_text

    try:
        case = read_case_text(name, text)
    except CaseError as exc:
        return name, kept(exc)
    return case.id, case


def _json_text(name: str, text: str) -> tuple[str, Case | CaseError]:
    """A case given as JSON text (a case file's content sent by another system): a problem in
    the JSON itself is located by line and column, one in the case by its path."""
    try:
        data = json_input.loads(text)
    except JsonInputError as exc:
        return name, CaseError(
            [Diagnostic(name, exc.line, exc.column, ERROR, exc.code, exc.message)]
        )
    try:
        case = case_from_data(data, where=PlainLocator(name), from_json=True)
    except CaseError as exc:
        return refused_label(data, name), kept(exc)
    return case.id, case


def refused_label(data: Any, fallback: str) -> str:
    """What a case that could not be read is called where its result would be: its reference,
    shortened (saying how long it was) when it is longer than a reference may be, so that an
    answer never echoes a long value whole; else `fallback`, the place it was read from."""
    if not isinstance(data, dict) or data.get("case") in (None, ""):
        return fallback
    text, most = str(data["case"]), 100
    return text if len(text) <= most else f"{text[:most]}... ({len(text):,} characters)"


def _csv_case(
    name: str,
    reference: str,
    rows: list[Any],
    header: list[str],
    mapping: dict[str, Any],
    mapping_file: str,
) -> tuple[str, Case | CaseError]:
    """The case some rows of an export, a sheet or a query's result make; a problem is located
    at its row and column."""
    from ..procedures.library import library
    from .case_csv import CsvRows, case_data

    where = CsvRows(name, rows, header, mapping)
    facts = library().vocabulary.facts()
    data, problems = case_data(reference, rows, mapping, facts, mapping_file)
    label = reference or f"{name}:{rows[0][0]}"
    if problems:
        return label, CaseError(
            [
                Diagnostic(name, line, where.column(path), ERROR, code, message, yaml_path(path))
                for path, line, code, message in problems
            ]
        )
    try:
        return label, case_from_data(data, where=where, from_json=True)
    except CaseError as exc:
        return label, kept(exc)


def case_sources(paths: Sequence[Source]) -> Iterator[tuple[str, Case | CaseError]]:
    """(label, case or the error reading it) for every case the paths name, in order."""
    for item in case_items(paths):
        yield read_item(item)


def _one_file(path: Path) -> tuple[str, Case | CaseError]:
    try:
        case = read_case(path)
    except CaseError as exc:
        return display_path(path), kept(exc)
    return case.id, case


def _lines(path: Path) -> Iterator[Item]:
    """One item a line, read a line at a time, each line within LINE_BYTES."""
    name = display_path(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield ("error", name, (unreadable(path, exc),))
        return
    with handle:
        for number, raw in enumerate(_bounded_lines(handle), 1):
            if raw is None or raw.strip():
                yield ("line", name, number, raw)


class LineSplitter:
    """The lines of a .jsonl stream fed a piece at a time (a batch arriving over the network),
    as `_lines` reads a file: numbered from 1, each within LINE_BYTES (None for a longer one,
    whose bytes are dropped unseen to its end), blank lines counted but left out."""

    def __init__(self) -> None:
        self.limit = LINE_BYTES.value
        self.pending = bytearray()
        self.skipping = False
        self.number = 0

    def feed(self, chunk: bytes, last: bool = False) -> list[tuple[int, bytes | None]]:
        """The lines `chunk` completes; with `last`, the final line too, newline or not."""
        self.pending += chunk
        found: list[tuple[int, bytes | None]] = []
        while True:
            end = self.pending.find(b"\n")
            if self.skipping:
                if end < 0:
                    self.pending.clear()
                    break
                del self.pending[: end + 1]
                self.skipping = False
                continue
            if end < 0:
                if len(self.pending) > self.limit:
                    self.pending.clear()
                    self.skipping = not last
                    self.number += 1
                    found.append((self.number, None))
                elif last and self.pending:
                    self._take(bytes(self.pending), found)
                    self.pending.clear()
                break
            line = bytes(self.pending[: end + 1])
            del self.pending[: end + 1]
            self._take(line, found)
        return found

    def _take(self, line: bytes, found: list[tuple[int, bytes | None]]) -> None:
        self.number += 1
        if len(line) > self.limit + 1 or (len(line) > self.limit and not line.endswith(b"\n")):
            found.append((self.number, None))
        elif line.strip():
            found.append((self.number, line))


def _one_line(name: str, number: int, raw: bytes | None) -> tuple[str, Case | CaseError]:
    """The case on one line of a .jsonl file; a broken line is reported with its number."""
    label = f"{name}:{number}"
    where = _JsonLine(name, number)
    if raw is not None:  # the fast reader takes a plainly sound line; this one says what is wrong
        from .fast_lines import line_case  # msgspec is loaded by a .jsonl line, not a case file

        case = line_case(raw, where)
        if case is not None:
            return case.id, case
    try:
        data = _line_data(raw)
    except JsonInputError as exc:
        column = exc.column if exc.line == 1 else 1
        return label, CaseError([Diagnostic(name, number, column, ERROR, exc.code, exc.message)])
    try:
        case = case_from_data(data, where=where, from_json=True)
    except CaseError as exc:
        return refused_label(data, label), kept(exc)
    return case.id, case


class _JsonLine:
    """Locates problems in a case read from one line of a .jsonl file: the file and the line,
    and the path within the line's JSON."""

    def __init__(self, name: str, number: int) -> None:
        self.name, self.number = name, number

    def diagnostic(
        self,
        path: tuple[Any, ...],
        code: str,
        message: str,
        *,
        key: bool = False,
        severity: str = ERROR,
    ) -> Diagnostic:
        return Diagnostic(self.name, self.number, 1, severity, code, message, yaml_path(path))


def _bounded_lines(handle: BinaryIO) -> Iterator[bytes | None]:
    """The file's lines as bytes; None for a line longer than LINE_BYTES, which is skipped
    without being held in memory."""
    limit = LINE_BYTES.value
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _line_data(raw: bytes | None) -> Any:
    if raw is None:
        raise JsonInputError("too-large", LINE_BYTES.exceeded("the line holds"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JsonInputError(
            "binary-file",
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            1,
            exc.start + 1,
        ) from None
    return json_input.loads(text.rstrip("\r\n"))


# Cases sent to a worker process at a time, and chunks in flight per worker: enough to keep
# every core busy, few enough that memory stays flat whatever the size of the batch.
CHUNK = 250
AHEAD = 2


Render = Callable[[Result], str]
# What a caller keeps of each case instead of its result (see `run_cases`), made where the case
# was evaluated: small, so that it is cheap to send back from a worker process.
Count = Callable[[Any, Case, Result], Any]


def run_cases(
    paths: Sequence[Source],
    as_of: dt.date | None,
    explain: bool,
    jobs: int = 1,
    render: Render | None = None,
    strict: bool = False,
    count: Count | None = None,
) -> Generator[Outcome, None, None]:
    """Evaluate every case, each with the version of its procedure in force when it was
    received, yielding the outcomes in input order as they come. With `jobs` above 1 and more
    than one chunk of cases, the cases are spread over that many processes. With `render` (a
    function of module level, so that it can be sent to them), each result comes back as the
    text it makes, in `Outcome.text`: the work of writing it out is spread too. With `strict`,
    every irregularity in a case's records is an error for that case. With `count` (a function
    of module level of the procedure, the case and its result), `Outcome.value` holds what it
    makes of each case instead, and a case received after `as_of` is evaluated as of its day of
    receipt."""
    items = case_items(paths)
    first = list(itertools.islice(items, CHUNK))
    if jobs <= 1 or len(first) < CHUNK:  # a small batch never pays for starting processes
        for item in itertools.chain(first, items):
            yield evaluate_item(item, as_of, explain, render, strict, count)
        return
    yield from _in_parallel(
        itertools.chain(first, items), as_of, explain, jobs, render, strict, count
    )


def _in_parallel(
    items: Iterator[Item],
    as_of: dt.date | None,
    explain: bool,
    jobs: int,
    render: Render | None,
    strict: bool,
    count: Count | None = None,
) -> Iterator[Outcome]:
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    window: deque[Future[list[Outcome]]] = deque()
    with ProcessPoolExecutor(jobs) as pool:

        def send() -> None:
            chunk = list(itertools.islice(items, CHUNK))
            if chunk:
                window.append(
                    pool.submit(_evaluate_chunk, chunk, as_of, explain, render, strict, count)
                )

        for _ in range(jobs * AHEAD):
            send()
        while window:
            outcomes = window.popleft().result()
            send()
            yield from outcomes


def _evaluate_chunk(
    chunk: list[Item],
    as_of: dt.date | None,
    explain: bool,
    render: Render | None,
    strict: bool = False,
    count: Count | None = None,
) -> list[Outcome]:
    """In a worker process: the outcomes of a chunk of cases."""
    return [evaluate_item(item, as_of, explain, render, strict, count) for item in chunk]


def evaluate_item(
    item: Item,
    as_of: dt.date | None,
    explain: bool,
    render: Render | None = None,
    strict: bool = False,
    count: Count | None = None,
) -> Outcome:
    """Read one case and evaluate it with the version of its procedure in force."""
    from ..procedures.library import library
    from .interpreter import evaluate

    label, case = read_item(item)
    source, line = item_place(item)
    if isinstance(case, CaseError):
        unread = item[0] == "error"
        return Outcome(
            label, None, tuple(case.diagnostics), source=source, line=line, unread=unread
        )
    try:
        procedure = library().compiled.in_force(case.procedure, case.received)
        when = as_of if count is None or as_of is None else max(as_of, case.received)
        result = evaluate(procedure, case, when, explain=explain, strict=strict)
        if count is not None:
            value = count(procedure, case, result)
            return Outcome(label, None, value=value, source=source, line=line)
        if render is not None:
            return Outcome(label, None, text=render(result), source=source, line=line)
        return Outcome(label, result, source=source, line=line)
    except CscRulesError as exc:
        return Outcome(label, None, case_failure(label, case, exc), source=source, line=line)


def item_place(item: Item) -> tuple[str, int]:
    """The file an item was read from, and its line there (0 for a file that is one case)."""
    kind = item[0]
    if kind == "file":
        return display_path(item[1]), 0
    if kind == "line":
        return item[1], item[2]
    if kind == "csv":
        return item[1], item[3][0][0] if item[3] else 0
    return item[1], 0


def case_failure(label: str, case: Case, exc: CscRulesError) -> tuple[Diagnostic, ...]:
    """Why a case that was read could not be evaluated or decided, located in it: its own
    problems, the broken procedure's, a receipt before any version was in force, or a
    procedure that does not exist."""
    if isinstance(exc, (CaseError, DefinitionError)):
        return tuple(exc.diagnostics)
    where = case.where or PlainLocator(label)
    if isinstance(exc, NotInForceError):
        return (where.diagnostic(("events", 0, "date"), "not-in-force", str(exc)),)
    message = str(exc).splitlines()[0]
    if case.where is not None:
        return (case.where.diagnostic(("procedure",), "unknown-procedure", message),)
    return (Diagnostic(label, 0, 0, ERROR, "unknown-procedure", message, "$.procedure"),)
