"""The cases a report has met, so that each is counted once: for each (council, case reference)
a digest of its record and where it was first read.

A million cases would not fit in tens of megabytes as Python objects, so the ledger is a
SQLite database in a temporary folder, deleted when the report is made; each case costs it a
hashed key, a digest and a place (a file number and a line)."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

COMMIT_EVERY = 10_000  # cases entered between commits: one transaction per batch is fast


@dataclass(frozen=True)
class Repeat:
    """A case met before: the same record again, or a different one, and where it was first."""

    same: bool
    first: str  # `file` or `file:line`


class Ledger:
    """Use as a context manager: `with Ledger() as ledger: ledger.enter(...)`."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="csc-rules-report-")
        self._db = sqlite3.connect(Path(self._folder.name) / "cases.sqlite3")
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-8000"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE files (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
        self._db.execute(
            "CREATE TABLE cases (key BLOB PRIMARY KEY, digest BLOB, file INTEGER, line INTEGER)"
            " WITHOUT ROWID"
        )
        self._files: dict[str, int] = {}  # a handful of files, or one per case of a folder
        self._pending = 0

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._db.close()
        self._folder.cleanup()

    def enter(self, key: str, digest: bytes, source: str, line: int) -> Repeat | None:
        """Note a case read at `source` (line `line`, 0 for a whole file); None the first time
        its key is met, else what it repeats."""
        hashed = hashlib.blake2b(key.encode(), digest_size=16).digest()
        inserted = self._db.execute(
            "INSERT OR IGNORE INTO cases VALUES (?, ?, ?, ?)",
            (hashed, digest, self._file(source), line),
        ).rowcount
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self._db.commit()
            self._pending = 0
        if inserted:
            return None
        first_digest, name, first_line = self._db.execute(
            "SELECT cases.digest, files.name, cases.line FROM cases JOIN files "
            "ON files.id = cases.file WHERE cases.key = ?",
            (hashed,),
        ).fetchone()
        place = f"{name}:{first_line}" if first_line else name
        return Repeat(first_digest == digest, place)

    def _file(self, name: str) -> int:
        found = self._files.get(name)
        if found is None:
            row = self._db.execute("SELECT id FROM files WHERE name = ?", (name,)).fetchone()
            if row is None:
                cursor = self._db.execute("INSERT INTO files (name) VALUES (?)", (name,))
                row = (cursor.lastrowid,)
            found = int(row[0])
            if len(self._files) < 1000:  # a folder of a million case files stays on disk
                self._files[name] = found
        return found
