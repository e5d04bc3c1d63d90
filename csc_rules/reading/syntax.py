"""YAML syntax errors said where the mistake is and what to write instead.

A YAML reader stops where it can no longer read on, which is often a line after the mistake: a
key indented one space too far is found out at the next key, a quote left open at the next
quote. Here the text is read again, line by line, to find the line that is really wrong: a key
out of line with the keys beside it, a quoted text left open, a key without its colon, a colon
inside a text, a list item among keys."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A line that gives a key or a list item, as YAML lays out a block: the indentation, any `- `
# markers, then the key and its colon (None for a list item with no key) and what follows.
_LINE = re.compile(
    r"^(?P<indent> *)(?P<dashes>(?:- +)*)"
    r"(?:(?P<key>[^\s#'\"\-{\[][^:#]*|\"[^\"]*\"|'[^']*'):(?: +(?P<rest>.*)|$))?"
)
# A value that starts a block of text on the lines below: `|`, `>-`, `>+2`.
_BLOCK_TEXT = re.compile(r"^[|>][+-]?[0-9]?[+-]?\s*(?:#.*)?$")
# A word that can be a key in a procedure file (ids, `title`, `met_by`).
_KEY_LIKE = re.compile(r"[A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Line:
    """One line that gives a key or a list item: where it is and what it holds."""

    number: int  # 1-based
    indent: int  # the spaces before it
    column: int  # 0-based column of its key (after any `- `), or of the item for a list item
    key: str | None  # None for a list item with no key
    dash: bool  # it starts a list item
    scalar: bool  # it gives a value on the line itself (`title: Text`)


class _BlockText:
    """Tells the lines of a `>-` or `|` block of text, whose letters are text, not YAML: those
    indented at least as far as its first line, which is indented past the key's."""

    def __init__(self) -> None:
        self.key: int | None = None  # the indentation of the key the block belongs to
        self.depth: int | None = None  # the indentation of its text

    def start(self, indent: int) -> None:
        self.key, self.depth = indent, None

    def holds(self, text: str) -> bool:
        if self.key is None:
            return False
        if not text.strip():
            return True
        indent = len(text) - len(text.lstrip(" "))
        if self.depth is None and indent > self.key:
            self.depth = indent
        if self.depth is not None and indent >= self.depth:
            return True
        self.key = None
        return False


@dataclass(frozen=True)
class Found:
    """The line and column (1-based) of the real mistake, and what to say about it."""

    line: int
    column: int
    message: str


def explain(
    text: str, problem: str, at: tuple[int, int], context_at: tuple[int, int] | None
) -> Found | None:
    """What is really wrong, for the reader's `problem` at `at` (0-based line and column, as
    the reader marks it) found while reading what starts at `context_at`; None when the text
    does not show it more plainly than the reader's own words."""
    lines = text.splitlines()
    opened = _open_quote(lines, at[0])
    if opened is not None:
        return opened
    structure = _structure(lines)
    row = at[0] + 1
    if "could not find expected ':'" in problem and context_at is not None:
        return _no_colon(lines, context_at[0] + 1)
    if "mapping values are not allowed" in problem:
        return _colon_in_line(lines, structure, row, at[1])
    if "did not find expected" in problem or "expected <block end>" in problem:
        return _out_of_line(structure, row)
    return None


def _structure(lines: list[str]) -> dict[int, Line]:
    """The lines that give keys or list items, by number; the text of a `>-` block, comments,
    blank lines and the lines a plain text runs on to are not among them."""
    found: dict[int, Line] = {}
    block = _BlockText()
    for number, raw in enumerate(lines, 1):
        stripped = raw.lstrip(" ")
        indent = len(raw) - len(stripped)
        if not stripped or stripped.startswith("#"):
            continue
        if block.holds(raw):
            continue
        match = _LINE.match(raw)
        if match is None or (match.group("key") is None and not match.group("dashes")):
            continue
        key, rest = match.group("key"), match.group("rest") or ""
        column = indent + len(match.group("dashes"))
        found[number] = Line(
            number,
            indent,
            column,
            key.strip().strip("'\"") if key is not None else None,
            bool(match.group("dashes")),
            bool(rest.strip()) and not rest.startswith("#"),
        )
        if key is not None and _BLOCK_TEXT.match(rest):
            block.start(indent)
    return found


def _spaces(count: int) -> str:
    return f"{count} space" if count == 1 else f"{count} spaces"


def _named(line: Line) -> str:
    if line.key is None:
        return f"the list item on line {line.number}"
    key = line.key if len(line.key) <= 40 else line.key[:37] + "..."
    return f"`{key}` on line {line.number}"


def _move(by: int) -> str:
    return f"{_spaces(abs(by))} {'right' if by > 0 else 'left'}"


def _out_of_line(structure: dict[int, Line], row: int) -> Found | None:
    """A key (or list item) whose indentation matches neither the keys beside it nor the level
    above: the reader stops at the first line that breaks the block, which may be the right one
    after a wrong first line."""
    wrong = structure.get(row)
    if wrong is None:
        return None
    above = [structure[n] for n in sorted(structure) if n < row]
    parent = next((line for line in reversed(above) if line.indent < wrong.indent), None)
    floor = parent.indent if parent is not None else -1
    block = [
        line
        for line in _block(structure, parent.number if parent else 0, floor)
        if line.number != row
    ]
    siblings = [line for line in block if line.number < row][:1] or block[:1]
    if parent is not None and parent.dash and parent.key is not None:
        siblings = [parent]  # the first key of a list item is on the item's own line
    if not siblings:
        # Nothing else at this depth: a key indented under one that already has its value.
        return (
            None
            if parent is None
            else _indented(wrong, wrong.indent, parent.indent, [parent], None)
        )
    level = siblings[0].column if siblings[0] is parent else siblings[0].indent
    if level == wrong.indent:
        return _kind_apart(wrong, siblings[0])
    same = [line for line in block if line.indent == level or line is parent]
    with_wrong = [line for line in block if line.indent == wrong.indent] + [wrong]
    if len(with_wrong) > len(same) and siblings[0] is not parent:
        return _indented(siblings[0], level, wrong.indent, sorted(with_wrong, key=_number), None)
    outer = parent if parent is not None and not parent.dash and wrong.indent < level else None
    below = next((structure[n] for n in sorted(structure) if n > row), None)
    if (
        outer is not None
        and not wrong.scalar
        and below is not None
        and wrong.indent < below.indent <= level
    ):
        # It opens a mapping whose keys stand level with the keys beside it: it belongs a level up.
        return _indented(wrong, wrong.indent, outer.indent, [outer], None)
    return _indented(wrong, wrong.indent, level, same, outer)


def _number(line: Line) -> int:
    return line.number


def _block(structure: dict[int, Line], after: int, floor: int) -> list[Line]:
    """The lines after line `after` up to the next one indented `floor` or less."""
    found = []
    for number in sorted(structure):
        if number <= after:
            continue
        if structure[number].indent <= floor:
            break
        found.append(structure[number])
    return found


def _indented(
    wrong: Line, spaces: int, level: int, beside: list[Line], outer: Line | None
) -> Found:
    named = ", ".join(_named(line) for line in beside[:2])
    those = (
        "the list items" if all(line.dash and line.key is None for line in beside) else "the keys"
    )
    message = (
        f"YAML syntax: this line is indented by {_spaces(spaces)}, but {those} beside it by "
        f"{level} ({named}); YAML tells which belong together by their indentation, so "
        f"move it {_move(level - spaces)} to line up with them"
    )
    if outer is not None:
        message += f", or {_move(outer.indent - spaces)} if it belongs with {_named(outer)}"
    return Found(wrong.number, spaces + 1, message)


def _kind_apart(wrong: Line, sibling: Line) -> Found | None:
    """A list item among keys, or a key among list items, at the same indentation."""
    if wrong.dash == sibling.dash:
        return None
    if wrong.dash:
        message = (
            f"YAML syntax: this line starts a list item (`- `) where the lines beside it give "
            f"keys ({_named(sibling)}): give it a key, or put the list under a key of its own, "
            "indented below it"
        )
    else:
        message = (
            f"YAML syntax: this line gives a key where the lines beside it are list items "
            f"({_named(sibling)}): start it with `- `, or indent it under the item it belongs to"
        )
    return Found(wrong.number, wrong.indent + 1, message)


def _colon_in_line(
    lines: list[str], structure: dict[int, Line], row: int, column: int
) -> Found | None:
    """`: ` where YAML cannot start a key: inside a text, after a line with no colon, or on a
    line indented under a key that already has its value."""
    text = lines[row - 1] if row <= len(lines) else ""
    start = len(text) - len(text.lstrip(" -"))
    before = text[start:column].strip()
    if not _KEY_LIKE.fullmatch(before):
        return Found(
            row,
            column + 1,
            "YAML syntax: this text holds a colon and a space (`: `), which YAML reads as the start "
            'of a key: put the whole text in double quotes (`"..."`), or write `>-` after the key '
            "and the text on the lines below, indented",
        )
    previous = _previous_content(lines, row)
    if previous is not None and previous not in structure and ":" not in lines[previous - 1]:
        return _no_colon(lines, previous)
    above = structure.get(previous) if previous is not None else None
    here = len(text) - len(text.lstrip(" "))
    if above is None or not above.scalar or here <= above.column:
        return None
    return Found(
        row,
        here + 1,
        f"YAML syntax: this line is indented by {_spaces(here)}, but {_named(above)} by "
        f"{above.column}, so YAML reads it as more of that key's value; move it "
        f"{_move(above.column - here)} to line up with the keys beside it",
    )


def _previous_content(lines: list[str], row: int) -> int | None:
    for number in range(row - 1, 0, -1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


def _no_colon(lines: list[str], row: int) -> Found | None:
    text = lines[row - 1] if 0 < row <= len(lines) else ""
    words = text.strip().lstrip("- ").split(None, 1)
    if len(words) < 2 or not _KEY_LIKE.fullmatch(words[0]):
        return None
    indent = len(text) - len(text.lstrip(" "))
    if len(words[0]) + len(words[1]) > 60:
        words[1] = words[1][: max(0, 57 - len(words[0]))] + "..."
    return Found(
        row,
        indent + 1,
        f"YAML syntax: this line has no colon after its key: write `{words[0]}: {words[1]}`",
    )


def _open_quote(lines: list[str], before: int) -> Found | None:
    """The last quoted text opened by line `before` (0-based) that runs on past its own line: in
    a procedure file a quote is closed on the line that opens it. Quotes inside a text that is
    not itself quoted (`title: The "best" way`, a `>-` block) are letters, not quotes."""
    scanner = _Quotes()
    block = _BlockText()
    for number, text in enumerate(lines[: before + 1]):
        if scanner.open is None and block.holds(text):
            continue
        scanner.line(number, text)
        if scanner.open is None and _BLOCK_TEXT.match(text.split(": ", 1)[-1].strip()):
            block.start(len(text) - len(text.lstrip(" ")))
    found = scanner.open or scanner.runaway
    return _quote_found(found) if found else None


class _Quotes:
    """Reads lines as YAML's scanner does, just far enough to tell where quotes open and close."""

    def __init__(self) -> None:
        self.open: tuple[str, int, int] | None = None  # the quote, its line and column
        self.runaway: tuple[str, int, int] | None = None  # the last one closed on a later line
        self.flow = 0  # how deep inside [ ] and { }

    def line(self, number: int, text: str) -> None:
        index, value_starts = 0, self.open is None
        while index < len(text):
            char = text[index]
            if self.open is not None:
                index = self._inside(number, text, index)
                value_starts = False
                continue
            if char == "#" and (index == 0 or text[index - 1] in " \t"):
                return
            if char in " \t":
                index += 1
                continue
            if value_starts and char in "\"'":
                self.open = (char, number, index)
            elif value_starts and char == "-" and text[index + 1 : index + 2] in ("", " "):
                index += 1
                continue
            elif char in "[{":
                self.flow += 1
            elif char in "]}":
                self.flow = max(0, self.flow - 1)
            elif not value_starts and not (char == ":" or (char == "," and self.flow)):
                index += 1
                continue
            index += 1
            value_starts = self.open is None and (
                char in "[{"
                or (char == "," and self.flow > 0)
                or (char == ":" and text[index : index + 1] in ("", " "))
            )

    def _inside(self, number: int, text: str, index: int) -> int:
        mark = self.open[0] if self.open else ""
        char = text[index]
        if char == "\\" and mark == '"':
            return index + 2
        if char == mark == "'" and text[index + 1 : index + 2] == "'":
            return index + 2  # '' in a single-quoted text is one quote
        if char == mark and self.open is not None:
            if self.open[1] != number:
                self.runaway = self.open
            self.open = None
        return index + 1


def _quote_found(opened: tuple[str, int, int]) -> Found:
    mark, line, column = opened
    return Found(
        line + 1,
        column + 1,
        f"YAML syntax: the text quoted here is not closed on this line: add the closing `{mark}` "
        f"at its end (a `{mark}` inside the text is written `"
        + ('\\"' if mark == '"' else "''")
        + "`)",
    )
