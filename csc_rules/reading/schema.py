"""Check documents against the JSON Schemas in rules/, in words a policy officer can act on."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, cast

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from .._suggest import did_you_mean
from ..diagnostics import Diagnostic, Locator, Path_
from ..errors import DefinitionError
from . import forms
from .files import file_problem
from .locations import data_root, link_problem, rules_dir

FULL = "full"  # the file as written
COMPLETE = "complete"  # a resolved procedure: everything it must have once inheritance is applied


# Errors about which keys a mapping has; the values themselves stay usable.
_KEY_ERRORS = ("additionalProperties", "required")


@cache
def _schema(kind: str) -> dict[str, Any]:
    path = rules_dir() / f"{kind}.schema.json"
    refused = link_problem(path, data_root())
    if refused:  # a schema from elsewhere could let anything through
        raise DefinitionError([file_problem(path, *refused)])
    with open(path, encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def validator(kind: str, mode: str = FULL) -> Draft202012Validator:
    """The validator for `procedure`, `council` or `vocabulary` data; for a resolved procedure,
    mode COMPLETE checks only the schema's `complete` requirements."""
    schema = _schema(kind)
    if mode == COMPLETE:
        schema = schema["$defs"]["complete"]
    return Draft202012Validator(schema, format_checker=FormatChecker())


@cache
def _compiled(kind: str) -> Callable[[Any], Any]:
    """The `kind` schema compiled to Python by fastjsonschema: about ten times faster than
    jsonschema's validator, so a batch of valid cases is not held up by checking them. Its
    keywords are the same in draft 7, which fastjsonschema reads, as in 2020-12."""
    import fastjsonschema

    schema = {k: v for k, v in _schema(kind).items() if k != "$schema"}
    return fastjsonschema.compile(schema, formats={"date": _is_date})


def _is_date(value: str) -> bool:
    """JSON Schema's `date` format, as jsonschema checks it: YYYY-MM-DD, and a real day."""
    import datetime

    if not (len(value) == 10 and value.isascii() and value[4] == value[7] == "-"):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return value[:4].isdigit() and value[5:7].isdigit() and value[8:].isdigit()


def valid(data: Any, kind: str) -> bool:
    """Whether `data` meets the `kind` schema (a case: it has no `$ref`s), answered quickly;
    `check` says what is wrong when it does not."""
    from fastjsonschema import JsonSchemaException

    try:
        _compiled(kind)(data)
    except JsonSchemaException:
        return False
    return True


@cache
def compiled_validator() -> Draft202012Validator:
    """The validator for compiled procedure files, which embed a resolved procedure and the facts
    of the vocabulary.

    The compiled schema has no `$id` and names the schemas it builds on by file name
    (`procedure.schema.json#/$defs/complete`), so that check-jsonschema and editors, which resolve
    such a reference against the schema file's own location, find them beside it. Here each schema
    in rules/ is registered under its file name, and under its `$id` for its references to itself."""
    from referencing import Registry, Resource

    registry: Registry[Any] = Registry()
    for kind in ("procedure", "vocabulary"):
        schema = _schema(kind)
        resource: Resource[Any] = Resource.from_contents(schema)
        registry = registry.with_resources(
            [(f"{kind}.schema.json", resource), (schema["$id"], resource)]
        )
    return Draft202012Validator(
        _schema("compiled-procedure"), registry=registry, format_checker=FormatChecker()
    )


def check(
    data: Any, kind: str, where: Locator, mode: str = FULL, bad_values: set[Path_] | None = None
) -> list[Diagnostic]:
    """Every way `data` breaks the `kind` schema, as located diagnostics.

    `bad_values`, if given, receives the path of every value that is itself wrong, so that later
    checks can leave those values alone instead of tripping over them."""
    problems: list[Any] = []
    missing: dict[Path_, list[str]] = {}  # one message per mapping, naming every key it lacks
    forms_of: dict[Path_, Any] = {}  # the schema of each mapping that lacks keys
    rejected = getattr(where, "rejected", ())  # values the reader has reported already
    for error in _leaf_errors(validator(kind, mode).iter_errors(data)):
        if rejected and tuple(error.absolute_path) in rejected:
            if bad_values is not None:  # still a bad value for the checks that follow
                bad_values.add(tuple(error.absolute_path))
            continue
        if error.validator == "required":
            path = tuple(error.absolute_path)
            if path not in missing:
                missing[path] = []
                forms_of[path] = error.schema
                problems.append((path, missing[path]))
            missing[path].extend(
                n for n in cast(Any, error.validator_value) if repr(n) in error.message
            )
            continue
        problems.extend(_diagnose(error, where))
        if (
            bad_values is not None
            and error.validator not in _KEY_ERRORS
            and "propertyNames" not in error.relative_schema_path
        ):
            bad_values.add(tuple(error.absolute_path))
    return [
        _missing(p[0], p[1], where, forms_of[p[0]]) if isinstance(p, tuple) else p for p in problems
    ]


def _missing(path: Path_, names: list[str], where: Locator, schema: Any) -> Diagnostic:
    keys = ", ".join(f"`{name}`" for name in names)
    hint = getattr(where, "hint", None)
    said = hint(path) if hint else ""
    return where.diagnostic(
        path,
        "missing-key",
        f"{_at(path)} is missing {keys}{said or forms.for_example(schema, None)}",
        key=True,
    )


def _leaf_errors(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    for error in errors:
        if error.context:
            yield from _leaf_errors(iter(error.context))
        else:
            yield error


def _at(path: Path_) -> str:
    return ".".join(str(p) for p in path) or "the top level"


_TYPE_NAMES = {
    "object": "a mapping of `key: value` lines",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


def _type_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {_shorten(str(value))}"
    return f"the text `{_shorten(str(value))}`"


def _shorten(text: str, most: int = 60) -> str:
    """Text as a message quotes it: a long value is cut, so that the message stays readable."""
    return text if len(text) <= most else f"{text[: most - 3]}..."


def _foreign_letters(value: Any) -> str:
    """Names the characters of `value` outside ASCII: a Cyrillic `а` looks just like a Latin `a`."""
    import unicodedata

    foreign = [c for c in dict.fromkeys(str(value)) if not c.isascii()]
    if not foreign:
        return ""
    names = ", ".join(
        f"`{c}` (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in foreign[:3]
    )
    return f"; it holds {names}, which may look like a plain letter: retype it"


def _diagnose(error: ValidationError, where: Locator) -> Iterator[Diagnostic]:
    path = tuple(error.absolute_path)
    at = _at(path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    value: Any = error.instance
    expected: Any = error.validator_value
    key = path[-1] if path else None

    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for name in value:
            if name not in allowed:
                yield where.diagnostic(
                    path + (name,),
                    "unknown-key",
                    f"unknown key `{name}` in {at}{did_you_mean(name, allowed)} (allowed here: {', '.join(allowed)})",
                    key=True,
                )
    elif kind == "type":
        names = [expected] if isinstance(expected, str) else expected
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        yield where.diagnostic(
            path,
            "wrong-type",
            f"{at} should be {wanted}, not {_type_of(value)}{_right_form(schema, names, key, value)}",
        )
    elif kind == "enum":
        choices = [str(c) for c in expected]
        yield where.diagnostic(
            path,
            "invalid-value",
            f"{at} is {_type_of(value)}{did_you_mean(str(value), choices)} (expected one of: {', '.join(choices)})",
        )
    elif kind == "pattern" and "propertyNames" in error.relative_schema_path:
        yield where.diagnostic(
            path + (value,),
            "invalid-value",
            f"`{value}` is not a valid name in {at}: use lower-case letters, digits and hyphens, like `record-complaint`",
            key=True,
        )
    elif kind == "pattern":
        yield where.diagnostic(path, "invalid-value", _pattern_message(path, value, schema))
    elif kind == "format" and expected == "date":
        yield where.diagnostic(
            path,
            "invalid-value",
            f"{at} is `{value}`, which is not a real date: write YYYY-MM-DD{_date_guess(value)}",
        )
    elif kind == "format":
        yield where.diagnostic(
            path, "invalid-value", f"{at} is `{value}`, which is not a {expected}"
        )
    else:
        yield where.diagnostic(path, "invalid-value", _bound_message(error, at, schema))


def _right_form(schema: dict[str, Any], names: list[str], key: Any, value: Any) -> str:
    """What to write instead of a value of the wrong type: a limit as a mapping, one item as a
    list, else the schema's example."""
    limit = forms.limit_hint(schema, value)
    if limit:
        return limit
    if names == ["array"] and isinstance(value, (str, int, float)) and not isinstance(value, bool):
        shown = forms.flow([value])
        return (
            f"; write it as a list, even of one: `{key}: {shown}`" if isinstance(key, str) else ""
        )
    if names == ["array"] and isinstance(value, dict):
        return "; start each entry on a line of its own with `- `" + forms.for_example(schema, key)
    return forms.for_example(schema, key)


def _pattern_message(path: Path_, value: Any, schema: dict[str, Any]) -> str:
    at = _at(path)
    if len(path) >= 2 and path[-2] == "sources":
        return (
            f'{at} is `{value}`: a source must read `<document>: <section, or a "quote">`, the '
            "document's id, a colon and a space, then where in it" + forms.for_example(schema, None)
        )
    shown = forms.example(schema)
    if shown is not None:
        return f"{at} is `{value}`, which is not in the right form: write it like `{shown}`{_foreign_letters(value)}"
    return f"{at} is `{value}`: an id uses lower-case letters, digits and hyphens, like `record-complaint`{_foreign_letters(value)}"


def _bound_message(error: ValidationError, at: str, schema: dict[str, Any]) -> str:
    """A value past a bound the schema sets (a size, a least or greatest number), in words."""
    kind, value, expected = error.validator, error.instance, error.validator_value
    if kind in ("minItems", "minProperties"):
        return f"{at} is empty: give at least one"
    if kind == "minLength":
        return f"{at} is empty: write some text"
    if kind == "maxLength":
        return f"{at} is {len(str(value)):,} characters long: shorten it to at most {expected}"
    if kind == "uniqueItems":
        return f"{at} lists the same item twice: list it once"
    if kind in ("minimum", "maximum") and {"minimum", "maximum"} <= schema.keys():
        return f"{at} is {value}; it must be a whole number from {schema['minimum']} to {schema['maximum']}"
    if kind in ("minimum", "maximum"):
        bound = "at least" if kind == "minimum" else "at most"
        return f"{at} is {value}; it must be {bound} {expected}"
    if kind == "maxProperties":
        return f"{at}: give either `unstated` or `amount` with `unit`, not both"
    if kind == "dependentRequired" and isinstance(value, dict) and isinstance(expected, dict):
        for key, needs in expected.items():
            lacking = [n for n in needs if key in value and n not in value]
            if lacking:
                return f"{at} gives `{key}` without `{lacking[0]}`: add `{lacking[0]}`, which says where the documents say so"
    # Any other keyword the schemas come to use: said without jsonschema's own words, which
    # quote Python values.
    described = schema.get("description")
    if isinstance(described, str):
        return f"{at} is not in the form this place needs: {described}"
    return f"{at} is not in the form this place needs"


def _date_guess(value: Any) -> str:
    """`; did you mean `2024-01-13`?` for a date written another way (13/01/2024, 2024/13/01)."""
    import datetime

    parts = [int(p) for p in re.findall(r"\d+", str(value))]
    if len(parts) != 3:
        return ""
    if parts[0] > 31:  # the year first: year, month, day, else year, day, month
        orders = [(parts[0], parts[1], parts[2]), (parts[0], parts[2], parts[1])]
    else:  # the year last: day, month, year as in England, else month, day, year
        orders = [(parts[2], parts[1], parts[0]), (parts[2], parts[0], parts[1])]
    for year, month, day in orders:
        if year < 1000:
            continue
        try:
            return f"; did you mean `{datetime.date(year, month, day).isoformat()}`?"
        except ValueError:
            continue
    return ""


def document(kind: str) -> dict[str, Any]:
    """A copy of the `kind` schema of rules/, to build another schema from."""
    import copy

    return copy.deepcopy(_schema(kind))
