"""One case found by its reference in a large input, without reading the rest whole: a line of a
.jsonl file is parsed only when the reference is written in it, a CSV export's cases are already
told apart by reference, and only a case file is read to learn its reference. What was near the
reference is kept for a "did you mean", without holding every reference in memory."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .exports import Source
from .runner import Item, case_items, read_item

# References kept as near misses, at most: enough for a "did you mean", whatever the input's size.
_NEAR = 64


class Search:
    """The items of the cases whose reference is `reference`, and the references met that were
    near it."""

    def __init__(self, reference: str) -> None:
        self.reference = reference
        # as it is written in JSON, with and without the escapes json.dumps would use
        self.written = {
            json.dumps(reference, ensure_ascii=False).encode(),
            json.dumps(reference).encode(),
        }
        self.near: set[str] = set()
        self.problems: list[Item] = []  # inputs that could not be read at all

    def items(self, paths: list[Source]) -> Iterator[Item]:
        """The items whose case has the reference, in input order; an input that cannot be
        read at all is kept in `problems` and given too, so that it is reported."""
        for item in case_items(paths):
            kind = item[0]
            if kind == "error":
                self.problems.append(item)
                yield item
            elif kind == "line":
                if self._in_line(item[3]):
                    yield item
            elif kind == "csv":
                if self._is(item[2]):
                    yield item
            elif self._is(read_item(item)[0]):
                yield item

    def _in_line(self, raw: bytes | None) -> bool:
        if raw is None:  # too long to read: its reference cannot be known
            return False
        if any(written in raw for written in self.written):
            label, _ = read_item(("line", "", 0, raw))  # its `case`, even if the rest is bad
            return self._is(label)
        self._meet_in_line(raw)
        return False

    def _meet_in_line(self, raw: bytes) -> None:
        """Note the line's reference, if near, from the text after its `"case"` key."""
        at = raw.find(b'"case"')
        if at < 0:
            return
        start = raw.find(b'"', raw.find(b":", at) + 1)
        end = raw.find(b'"', start + 1)
        if 0 <= start < end:
            self._meet(raw[start + 1 : end].decode("utf-8", "replace"))

    def _is(self, reference: str) -> bool:
        if reference == self.reference:
            return True
        self._meet(reference)
        return False

    def _meet(self, reference: str) -> None:
        if len(self.near) < _NEAR and _close(reference, self.reference):
            self.near.add(reference)


def _close(a: str, b: str) -> bool:
    """Whether two references differ by a couple of characters at most: cheap enough to ask
    of every reference in a million."""
    if abs(len(a) - len(b)) > 2:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 2
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.8
