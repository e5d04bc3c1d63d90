"""What a compiled procedure file must mean, beyond its schema: the checks `validate` makes of a
procedure, run again on the definition the file carries, each problem placed at its JSON path.

A file whose digests were recomputed after a hand edit passes the schema and the digests; these
checks are what refuse it when it names an event, state, stage, deadline, step or fact that does
not exist, or gives an extension less time than the limit it extends."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from ..diagnostics import ERROR, Diagnostic, Path_
from ..language import stage_graph
from ..reading.inheritance import Resolved
from . import semantics

if TYPE_CHECKING:
    from ..reading.loader import Document

# A key written `.key` in a JSON path; any other (a fact such as `child.status`) as `['key']`.
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# The keys a compiled file repeats at its top from the definition, for readers that stop there.
IDENTITY = ("procedure", "title", "kind", "version", "effective", "extends")


def json_path(path: Path_) -> str:
    """`$.definition.duties.acknowledgement.met_by[0]`, `$.facts['child.status']`: the project's
    way of writing a place (diagnostics.yaml_path), with keys that hold a dot put in brackets."""
    text = "$"
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(str(part)):
            text += f".{part}"
        else:
            text += "['" + str(part).replace("\\", "\\\\").replace("'", "\\'") + "']"
    return text


class _Everything(frozenset[str]):
    """Roles, grounds and documents a compiled file does not carry (they are checked when it is
    compiled, against rules/vocabulary.yaml): any name stands."""

    def __contains__(self, item: object) -> bool:
        return True


class _Place:
    """Stands where `validate` has a YAML document: says where a problem is in the compiled file.

    JSON has no line numbers worth giving for a generated file, so a problem is located by its
    JSON path alone (line and column 0, shown as null in JSON output)."""

    key_positions: Mapping[Path_, Any] = MappingProxyType({})

    def __init__(self, name: str, prefix: Path_) -> None:
        self.name = name
        self.prefix = prefix

    def diagnostic(
        self, path: Path_, code: str, message: str, *, key: bool = False, severity: str = ERROR
    ) -> Diagnostic:
        return Diagnostic(self.name, 0, 0, severity, code, message, json_path(self.prefix + path))


def problems(document: Mapping[str, Any], name: str) -> list[Diagnostic]:
    """Every error of meaning in a compiled document that has passed its schema."""
    definition = document["definition"]
    place = _Place(name, ("definition",))
    procedure = Resolved(
        str(definition.get("procedure")),
        definition,
        (cast("Document", place),),
        {(): cast("Document", place)},
    )
    vocabulary = semantics.Vocabulary(
        _Everything(), document["facts"], _Everything(), _Everything()
    )
    found = list(_identity(document, name))
    errors = [d for d in semantics.check(procedure, vocabulary) if d.is_error]
    if not errors:  # the graph of a procedure with broken names would only echo them
        errors = [d for d in stage_graph.check(procedure) if d.is_error]
    return found + errors


def _identity(document: Mapping[str, Any], name: str) -> Iterator[Diagnostic]:
    definition = document["definition"]
    for key in IDENTITY:
        written, meant = document.get(key), definition.get(key)
        if written != meant or type(written) is not type(meant):
            yield Diagnostic(
                name,
                0,
                0,
                ERROR,
                "identity-mismatch",
                f"`{key}` is {_show(written)} but the definition it carries says {_show(meant)}",
                json_path((key,)),
            )


def _show(value: Any) -> str:
    return "missing" if value is None else f"`{value}`"
