"""Read YAML safely into plain data, keeping the file, line and column of every key and value."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from ..diagnostics import ERROR, Diagnostic, Path_, display_path, yaml_path
from . import syntax
from .bounds import DEPTH, DIGITS, KEYS, NODES
from .files import file_problem as _file_problem
from .files import read_text

Position = tuple[int, int]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _CoreResolver(BaseResolver):
    """YAML 1.2's core schema: only true/false are booleans, and dates stay strings.

    PyYAML follows YAML 1.1, where `on`, `off`, `yes` and `no` are booleans and `1:30` is a
    number; here they stay text, so a value never silently changes type."""


for _tag, _pattern, _first in [
    (_BOOL, r"true|True|TRUE|false|False|FALSE", "tTfF"),
    (_INT, r"[-+]?[0-9]+", "-+0123456789"),
    (_FLOAT, r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?", "-+0123456789."),
    (_FLOAT, r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)", "-+."),
    (_NULL, r"~|null|Null|NULL|", ["~", "n", "N", ""]),
]:
    _CoreResolver.add_implicit_resolver(_tag, re.compile(rf"^(?:{_pattern})$"), list(_first))

# Keys that YAML 1.1 readers (PyYAML's default loader, many editors) turn into booleans or null.
_YAML11_TRAPS = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|~|null|Null|NULL)$"
)


class _PyLoader(Reader, Scanner, Parser, _CoreResolver):
    """PyYAML's own parser, in pure Python."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _CoreResolver.__init__(self)


try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]

    class _Loader(_Parser, _CoreResolver):
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            _CoreResolver.__init__(self)

except ImportError:  # PyYAML built without libyaml: the same, in pure Python
    _Loader = _PyLoader  # type: ignore[misc,assignment]

# libyaml 0.2.6 and later refuse nesting deeper than 1,000 levels while they scan ahead, before
# the composer sees the level past `limits.DEPTH`; such a file is read again in pure Python, so
# that it is refused where that level opens, like any other.
_LIBYAML_DEPTH = "exceeded maximum nesting depth"


@dataclass
class Document:
    """One YAML file's data, with where each key and value stands in it."""

    path: Path
    data: Any
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)
    # Values already reported as unreadable (a number too long, say): kept as their text, and
    # not reported again by the checks that follow.
    rejected: set[Path_] = field(default_factory=set)

    @property
    def display(self) -> str:
        return display_path(self.path)

    def position(self, path: Path_, *, key: bool = False) -> Position:
        """Where `path` stands; a key's own position if asked, else the nearest enclosing value."""
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path:
            if path in self.positions:
                return self.positions[path]
            if path in self.key_positions:
                return self.key_positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def diagnostic(
        self, path: Path_, code: str, message: str, *, key: bool = False, severity: str = ERROR
    ) -> Diagnostic:
        line, column = self.position(path, key=key)
        return Diagnostic(self.display, line, column, severity, code, message, yaml_path(path))


def _syntax_hint(problem: str) -> str:
    if "\t" in problem or "'\\t'" in problem or "(a tab)" in problem:
        return "; YAML does not allow tabs for indentation: use spaces"
    if "mapping values are not allowed" in problem or "could not find expected ':'" in problem:
        return "; check the indentation of this line and the one above: a nested key needs more spaces than its parent, a sibling the same"
    if "expected <block end>" in problem:
        return "; check the indentation: this line is not lined up with the keys around it"
    if "found duplicate anchor" in problem or "found undefined alias" in problem:
        return "; define an anchor (&name) before its alias (*name)"
    if "expected a single document" in problem:
        return "; a procedure file holds one document: remove the extra `---`"
    return ""


def parse(path: Path, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse `text` (the contents of `path`); a file that is empty or only comments is an error.

    libyaml only scans and parses here, which it does without recursion; the values are built
    from its events by `_Composer`, which counts nesting, values and keys as it goes, so that no
    input can crash a reader or keep it busy: see `limits`."""
    return _parse(path, text, _Loader)


def _parse(path: Path, text: str, reader: Any) -> tuple[Document | None, list[Diagnostic]]:
    loader = reader(text)
    composer = _Composer(Document(path, None))
    try:
        found = composer.compose(loader)
    except _TooBig as exc:
        line, column = exc.mark.line + 1, exc.mark.column + 1
        return None, [_file_problem(path, exc.code, exc.message, line, column)]
    except yaml.MarkedYAMLError as exc:
        if reader is not _PyLoader and _LIBYAML_DEPTH in (exc.problem or ""):
            return _parse(path, text, _PyLoader)
        return None, [_syntax_problem(path, text, exc)]
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        return None, [_file_problem(path, "yaml-syntax", f"YAML syntax: {exc}")]
    finally:
        loader.dispose()
    if not found:
        return None, [
            _file_problem(
                path, "empty-file", "is empty: a procedure file needs at least a `procedure:` key"
            )
        ]
    return composer.document, composer.problems


def _syntax_problem(path: Path, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    """The reader's complaint, placed at the line that is really wrong and said in words a
    policy officer can act on where `syntax` can tell more than the reader."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or exc.context or "cannot be parsed"
    lines = text.splitlines()
    if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        problem += " (a tab)"
    elif mark:
        context = exc.context_mark
        explained = syntax.explain(
            text,
            problem,
            (mark.line, mark.column),
            (context.line, context.column) if context else None,
        )
        if explained is not None:
            return _file_problem(
                path, "yaml-syntax", explained.message, explained.line, explained.column
            )
    hint = _syntax_hint(f"{problem} {exc.context or ''}")
    return _file_problem(path, "yaml-syntax", f"YAML syntax: {problem}{hint}", line, column)


def load(path: Path) -> tuple[Document | None, list[Diagnostic]]:
    """Read and parse one file: the document (None if unreadable) and every problem found."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    return parse(path, text)


class _TooBig(Exception):
    """An input past one of the bounds in `limits`: reading stops at once."""

    def __init__(self, mark: Any, code: str, message: str) -> None:
        self.mark, self.code, self.message = mark, code, message


@dataclass
class _Open:
    """A sequence or mapping being built: its value, where it is, and what it holds so far."""

    value: Any  # list or dict
    path: Path_ | None  # None: a complex key being read only to be reported and dropped
    anchor: str | None
    mark: Any
    size: int = 1  # values inside it, itself included, aliases expanded
    height: int = 1  # levels of nesting inside it, itself included
    key: Any = None  # in a mapping: the pending key (str), _DROP, or None when a key comes next
    first_seen: dict[str, int] = field(default_factory=dict)


_DROP = object()  # a key that was reported as a problem: its value is read and dropped


class _Composer:
    """Builds plain data from the parser's events with an explicit stack (no recursion), noting
    the position of every key and value and every problem, within `limits`."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Diagnostic] = []
        self.anchors: dict[str, tuple[Any, int, int] | None] = {}  # None: still being built
        self.stack: list[_Open] = []
        self.nodes = 0
        self.max_depth, self.max_nodes, self.max_keys = DEPTH.value, NODES.value, KEYS.value

    def compose(self, parser: Any) -> bool:
        """Read the single document of the stream into `document.data`; False if there is none."""
        parser.get_event()  # stream start
        if parser.check_event(StreamEndEvent):
            parser.get_event()
            return False
        parser.get_event()  # document start
        self.document.data = self._read(parser)
        parser.get_event()  # document end
        if not parser.check_event(StreamEndEvent):
            event = parser.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                None,
                "but found another document",
                event.start_mark,
            )
        parser.get_event()
        return True

    def _read(self, parser: Any) -> Any:
        """The document's root value; each event either opens, closes or completes a value."""
        root: list[Any] = []
        while True:
            event = parser.get_event()
            if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                done = self.stack.pop()
                if done.anchor is not None:
                    self.anchors[done.anchor] = (done.value, done.size, done.height)
                finished: tuple[Any, int, int, Any] = (
                    done.value,
                    done.size,
                    done.height,
                    done.mark,
                )
            elif isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                self._open(event)
                continue
            elif isinstance(event, AliasEvent):
                finished = self._alias(event)
            elif isinstance(event, ScalarEvent):
                finished = self._scalar_event(event)
            else:  # pragma: no cover - the parser yields nothing else inside a document
                raise yaml.composer.ComposerError(None, None, "unexpected YAML", event.start_mark)
            if not self.stack:
                root.append(finished[0])
                return root[0]
            self._add(finished)

    def _where(self) -> Path_ | None:
        """The path of the value that comes next, or None if it will be dropped."""
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if parent.path is None:
            return None
        if isinstance(parent.value, list):
            return parent.path + (len(parent.value),)
        if parent.key is None or parent.key is _DROP:
            return None  # a key, or the value of a dropped key
        return parent.path + (parent.key,)

    def _count(self, mark: Any, size: int, height: int) -> None:
        self.nodes += size
        if self.nodes > self.max_nodes:
            raise _TooBig(mark, "too-large", NODES.exceeded("the file holds"))
        if len(self.stack) + height > self.max_depth:
            raise _TooBig(mark, "too-deep", DEPTH.exceeded("the file is nested") + "; flatten it")

    def _open(self, event: Any) -> None:
        path = self._where()
        self._count(event.start_mark, 1, 1)
        if path is not None:
            self.document.positions[path] = (
                event.start_mark.line + 1,
                event.start_mark.column + 1,
            )
        sequence = isinstance(event, SequenceStartEvent)
        if event.tag not in (None, "!", _SEQ if sequence else _MAP):
            self._problem(
                event.start_mark,
                path or (),
                "unsupported-tag",
                f"the tag `{_short(event.tag)}` is not supported; remove it",
            )
        if event.anchor is not None:
            self._anchor(event)
        self.stack.append(_Open([] if sequence else {}, path, event.anchor, event.start_mark))

    def _anchor(self, event: Any) -> None:
        if event.anchor in self.anchors:
            raise yaml.composer.ComposerError(
                "found duplicate anchor; first occurrence",
                None,
                "second occurrence",
                event.start_mark,
            )
        self.anchors[event.anchor] = None

    def _alias(self, event: Any) -> tuple[Any, int, int, Any]:
        if event.anchor not in self.anchors:
            raise yaml.composer.ComposerError(
                None, None, f"found undefined alias `{event.anchor}`", event.start_mark
            )
        anchored = self.anchors[event.anchor]
        path = self._where()
        if path is not None:
            self.document.positions[path] = (
                event.start_mark.line + 1,
                event.start_mark.column + 1,
            )
        if anchored is None:
            self._problem(
                event.start_mark,
                path or (),
                "yaml-syntax",
                "an alias refers to itself; write the value out",
            )
            self._count(event.start_mark, 1, 1)
            return None, 1, 1, event.start_mark
        value, size, height = anchored
        self._count(event.start_mark, size, height)
        # A copy for each use, as if written out: later steps may change one and not the others.
        return _copy(value), size, height, event.start_mark

    def _scalar_event(self, event: Any) -> tuple[Any, int, int, Any]:
        path = self._where()
        self._count(event.start_mark, 1, 0)
        if path is not None:
            self.document.positions[path] = (
                event.start_mark.line + 1,
                event.start_mark.column + 1,
            )
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        value = self._scalar(event, tag, path or ())
        if event.anchor is not None:
            self._anchor(event)
            self.anchors[event.anchor] = (value, 1, 0)
        # A scalar key keeps its tag and style, for the checks of `_key`.
        return value, 1, 0, (event, tag)

    def _add(self, finished: tuple[Any, int, int, Any]) -> None:
        value, size, height, where = finished
        parent = self.stack[-1]
        parent.size += size
        parent.height = max(parent.height, height + 1)
        if isinstance(parent.value, list):
            parent.value.append(value)
            return
        if parent.key is None:  # this is a key
            parent.key = self._key(parent, value, where)
            return
        key, parent.key = parent.key, None
        if key is not _DROP:
            parent.value[key] = value

    def _key(self, parent: _Open, value: Any, where: Any) -> Any:
        """The key as text, or _DROP after reporting why it cannot be one."""
        path = parent.path if parent.path is not None else ()
        if isinstance(where, tuple):
            event, tag = where
        else:
            event, tag = None, None
        mark = event.start_mark if event is not None else where
        if event is None or tag != _STR:
            shown = event.value if event is not None else "a list or mapping"
            self._problem(
                mark,
                path,
                "non-string-key",
                f"the key `{shown}` is not text; keys must be names like `date`",
            )
            return _DROP
        if not event.style and _YAML11_TRAPS.match(event.value):  # plain: None in Python, '' in C
            hint = (
                "use `date:` for an event's date"
                if event.value.lower() == "on"
                else "quote it or use another name"
            )
            self._problem(
                mark,
                path + (event.value,),
                "non-string-key",
                f"the key `{event.value}` is read as a boolean or null by YAML 1.1 tools such as PyYAML, not as text; {hint}",
            )
            return _DROP
        key = str(value)
        if len(parent.value) >= self.max_keys:
            raise _TooBig(mark, "too-large", KEYS.exceeded("this mapping has"))
        if key in parent.value or key in parent.first_seen:
            self._problem(
                mark,
                path + (key,),
                "duplicate-key",
                f"duplicate key `{key}` (first given on line {parent.first_seen[key]}); YAML would silently keep only the last, so remove one",
            )
            return _DROP
        parent.first_seen[key] = mark.line + 1
        if parent.path is not None:
            self.document.key_positions[path + (key,)] = (mark.line + 1, mark.column + 1)
        return key

    def _problem(self, mark: Any, path: Path_, code: str, message: str) -> None:
        self.problems.append(
            Diagnostic(
                self.document.display,
                mark.line + 1,
                mark.column + 1,
                ERROR,
                code,
                message,
                yaml_path(path),
            )
        )

    def _scalar(self, event: Any, tag: str, path: Path_) -> Any:
        value = event.value
        if tag == _STR:
            return value
        if tag == _BOOL:
            return value.lower() == "true"
        if tag == _NULL:
            return None
        if tag in (_INT, _FLOAT) and sum(c.isdigit() for c in value) > DIGITS.value:
            self._reject(
                event.start_mark,
                path,
                "invalid-value",
                DIGITS.exceeded(
                    f"`{value[:12]}...` has {sum(c.isdigit() for c in value):,} digits,"
                )
                + "; quote it if it is text",
            )
            return value
        try:
            if tag == _INT:
                return int(value)
            if tag == _FLOAT:
                # YAML writes infinity and not-a-number as .inf and .nan; Python reads inf, nan.
                number = float(value.lower().replace(".inf", "inf").replace(".nan", "nan"))
                if math.isfinite(number):
                    return number
                self._reject(
                    event.start_mark,
                    path,
                    "invalid-value",
                    f"`{value}` is not a number csc-rules accepts: write a finite number, or quote it if it is text",
                )
                return value
        except ValueError:
            self._reject(
                event.start_mark,
                path,
                "unsupported-tag",
                f"`{value}` is not a valid {tag.rsplit(':', 1)[-1]}",
            )
            return value
        self._reject(
            event.start_mark,
            path,
            "unsupported-tag",
            f"the tag `{_short(tag)}` is not supported; write the value as plain text or a number",
        )
        return value

    def _reject(self, mark: Any, path: Path_, code: str, message: str) -> None:
        self.document.rejected.add(path)
        self._problem(mark, path, code, message)


_RESOLVER = _CoreResolver()


def _copy(value: Any) -> Any:
    """A deep copy of plain data, without recursion (its depth is bounded, its size counted)."""
    if not isinstance(value, (dict, list)):
        return value
    top: Any = {} if isinstance(value, dict) else []
    work = [(value, top)]
    while work:
        source, target = work.pop()
        pairs = source.items() if isinstance(source, dict) else enumerate(source)
        for key, item in pairs:
            if isinstance(item, (dict, list)):
                item_copy: Any = {} if isinstance(item, dict) else []
                work.append((item, item_copy))
            else:
                item_copy = item
            if isinstance(target, dict):
                target[key] = item_copy
            else:
                target.append(item_copy)
    return top


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")
