"""Read YAML safely into plain data, keeping the file, line and column of every key and value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from .diagnostics import ERROR, Diagnostic, display_path, yaml_path

Path_ = tuple[Any, ...]
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

try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]

    class _Loader(_Parser, _CoreResolver):
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            _CoreResolver.__init__(self)

except ImportError:  # PyYAML built without libyaml: the same, in pure Python
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser, Composer, _CoreResolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            _CoreResolver.__init__(self)


@dataclass
class Document:
    """One YAML file's data, with where each key and value stands in it."""

    path: Path
    data: Any
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)

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


def _file_problem(
    path: Path, code: str, message: str, line: int = 1, column: int = 1
) -> Diagnostic:
    return Diagnostic(display_path(path), line, column, ERROR, code, message)


def read_text(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or the reason it has none that a user can act on."""
    if not path.exists():
        return None, [_file_problem(path, "file-not-found", "no such file; check the path")]
    if path.is_dir():
        return None, [_file_problem(path, "file-unreadable", "is a folder, not a YAML file")]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return None, [
            _file_problem(
                path, "file-unreadable", f"cannot be read ({reason}); check its permissions"
            )
        ]
    if b"\0" in raw:
        return None, [_file_problem(path, "binary-file", "is a binary file, not YAML text")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            _file_problem(
                path,
                "binary-file",
                f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                line,
                column,
            )
        ]
    return text, []


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


# Far deeper than any procedure or case (they nest about 10 deep), and shallow enough that
# neither libyaml nor Python runs out of stack reading it.
MAX_DEPTH = 200


def _too_deep(text: str) -> tuple[int, int] | None:
    """The line and column where nesting first passes MAX_DEPTH, counting flow brackets outside
    quotes and comments and the indentation of block lines; None if it never does."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) > MAX_DEPTH:
            return number, 1
        quote = ""
        for column, char in enumerate(line, 1):
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "#" and (column == 1 or line[column - 2] in " \t"):
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return number, column
            elif char in "]}":
                depth = max(depth - 1, 0)
    return None


def parse(path: Path, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse `text` (the contents of `path`); a file that is empty or only comments is an error."""
    deep = _too_deep(text)
    if deep is not None:
        return None, [
            _file_problem(
                path,
                "yaml-syntax",
                f"the YAML is nested more than {MAX_DEPTH} deep; flatten it",
                *deep,
            )
        ]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except RecursionError:
        return None, [
            _file_problem(path, "yaml-syntax", "the YAML is nested too deeply to read; flatten it")
        ]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "cannot be parsed"
        lines = text.splitlines()
        if (
            mark
            and mark.line < len(lines)
            and lines[mark.line][mark.column : mark.column + 1] == "\t"
        ):
            problem += " (a tab)"
        hint = _syntax_hint(f"{problem} {exc.context or ''}")
        message = f"YAML syntax: {problem}{hint}"
        return None, [_file_problem(path, "yaml-syntax", message, line, column)]
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        return None, [_file_problem(path, "yaml-syntax", f"YAML syntax: {exc}")]
    finally:
        loader.dispose()
    if node is None:
        return None, [
            _file_problem(
                path, "empty-file", "is empty: a procedure file needs at least a `procedure:` key"
            )
        ]
    builder = _Builder(Document(path, None))
    try:
        builder.document.data = builder.build(node, ())
    except RecursionError:
        return None, [
            _file_problem(path, "yaml-syntax", "the YAML is nested too deeply to read; flatten it")
        ]
    return builder.document, builder.problems


def load(path: Path) -> tuple[Document | None, list[Diagnostic]]:
    """Read and parse one file: the document (None if unreadable) and every problem found."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    return parse(path, text)


class _Builder:
    """Turns composed YAML nodes into dicts, lists and scalars, noting positions and problems."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Diagnostic] = []
        self._active: set[int] = set()

    def _problem(self, node: Node, path: Path_, code: str, message: str) -> None:
        mark = node.start_mark
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

    def build(self, node: Node, path: Path_) -> Any:
        self.document.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if id(node) in self._active:
            self._problem(
                node, path, "yaml-syntax", "an alias refers to itself; write the value out"
            )
            return None
        self._active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                self._check_tag(node, path, _SEQ)
                return [self.build(item, path + (index,)) for index, item in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            self._check_tag(node, path, _MAP)
            return self._mapping(node, path)
        finally:
            self._active.discard(id(node))

    def _check_tag(self, node: Node, path: Path_, expected: str) -> None:
        if node.tag != expected:
            self._problem(
                node,
                path,
                "unsupported-tag",
                f"the tag `{_short(node.tag)}` is not supported; remove it",
            )

    def _mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path)
            if key is None:
                continue
            child = path + (key,)
            if key in result:
                self._problem(
                    key_node,
                    child,
                    "duplicate-key",
                    f"duplicate key `{key}` (first given on line {first_seen[key]}); YAML would silently keep only the last, so remove one",
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.document.key_positions[child] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = self.build(value_node, child)
        return result

    def _key(self, node: Node, path: Path_) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag != _STR:
            shown = node.value if isinstance(node, ScalarNode) else "a list or mapping"
            self._problem(
                node,
                path,
                "non-string-key",
                f"the key `{shown}` is not text; keys must be names like `date`",
            )
            return None
        if not node.style and _YAML11_TRAPS.match(
            node.value
        ):  # plain: None in Python, '' from libyaml
            hint = (
                "use `date:` for an event's date"
                if node.value.lower() == "on"
                else "quote it or use another name"
            )
            self._problem(
                node,
                path + (node.value,),
                "non-string-key",
                f"the key `{node.value}` is read as a boolean or null by YAML 1.1 tools such as PyYAML, not as text; {hint}",
            )
            return None
        return str(node.value)

    def _scalar(self, node: ScalarNode, path: Path_) -> Any:
        value = node.value
        try:
            if node.tag == _STR:
                return value
            if node.tag == _BOOL:
                return value.lower() == "true"
            if node.tag == _NULL:
                return None
            if node.tag == _INT:
                return int(value)
            if node.tag == _FLOAT:
                return float(value)
        except ValueError:
            self._problem(
                node,
                path,
                "unsupported-tag",
                f"`{value}` is not a valid {node.tag.rsplit(':', 1)[-1]}",
            )
            return value
        self._problem(
            node,
            path,
            "unsupported-tag",
            f"the tag `{_short(node.tag)}` is not supported; write the value as plain text or a number",
        )
        return value


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")
