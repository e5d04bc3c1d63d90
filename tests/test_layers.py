"""Imports point one way: no module of csc_rules imports one from a layer above its own."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "csc_rules"

# The layers, bottom first: the folders of csc_rules (docs/architecture.md draws them). A module
# may import from its own layer and the layers below it, never from one above, not even for type
# checking. A name stands for a module at the top of the package (`errors` is csc_rules/errors.py)
# or a whole folder (`cli` is everything in csc_rules/cli/). The package's own `__init__` is the
# public API, which names things of every layer (imported when first used) and is imported by
# none.
LAYERS: list[tuple[str, ...]] = [
    # the ground every layer stands on: the errors, located problems, the version, small helpers
    ("_version", "_faces", "_shapes", "_suggest", "_words", "errors", "diagnostics"),
    # reading files within bounds: YAML with positions, JSON, the schemas, where the library is,
    # and `extends`
    ("reading",),
    # working days: bank holidays and a council's closures
    ("calendars",),
    # the procedure language: the frozen model, the stage graph, conditions over facts
    ("language",),
    # validate: schema, meaning, statutory limits, plain words, compiled files
    ("validation",),
    # procedures compiled, cached, and found by id and date
    ("procedures",),
    # a case read, replayed, its eligibility decided; batches and scenario tests
    ("cases",),
    # what is said about procedures and cases: summaries, diagrams, timelines, comparison,
    # conformance, explanations
    ("reports",),
    # the statutory annual report, and the public site
    ("annual_report", "site"),
    # the application layer both front ends call
    ("application",),
    # the front ends: the HTTP API, which the CLI's `serve` starts, and the command line
    ("server",),
    ("cli", "__main__"),
]
LAYER = {name: rank for rank, names in enumerate(LAYERS) for name in names}

# Third-party libraries only the front end may use.
# uvicorn in server/ too: its HTTP protocol is bounded there (server/protocol.py).
FRONT_END_ONLY = {
    "click": ("cli",),
    "starlette": ("server",),
    "uvicorn": ("cli", "server"),
    "anyio": ("server",),
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def dotted(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def unit(module: str) -> str:
    """The name a module is placed by in LAYERS: `csc_rules.cli._base` is `cli`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(path: Path, text: str | None = None) -> Iterator[tuple[int, str, bool]]:
    """(line, the module imported, whether only for type checking) for every import in the file
    (or in `text`, as if it were the file), at the top or inside a function."""
    module = dotted(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(node: ast.AST, type_only: bool) -> Iterator[tuple[int, str, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield child.lineno, alias.name, type_only
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - child.level + 1])
                    source = f"{base}.{child.module}" if child.module else base
                else:
                    source = child.module or ""
                for alias in child.names:  # `from . import x` may name a module or a value
                    named = f"{source}.{alias.name}"
                    yield child.lineno, named if _is_module(named) else source, type_only
            elif isinstance(child, ast.If) and _type_checking(child.test):
                for statement in child.body:
                    yield from visit(ast.Module(body=[statement], type_ignores=[]), True)
                for statement in child.orelse:
                    yield from visit(ast.Module(body=[statement], type_ignores=[]), type_only)
            else:
                yield from visit(child, type_only)

    source = path.read_text(encoding="utf-8") if text is None else text
    yield from visit(ast.parse(source, str(path)), False)


def test_every_module_has_a_layer() -> None:
    unplaced = sorted({unit(dotted(path)) for path in modules()} - set(LAYER) - {"csc_rules"})
    assert not unplaced, f"place these modules in LAYERS in tests/test_layers.py: {unplaced}"


@pytest.mark.parametrize("path", modules(), ids=lambda path: dotted(path))
def test_no_module_imports_one_above_it(path: Path) -> None:
    here = unit(dotted(path))
    if here == "csc_rules":
        return  # the package's __init__: the public API, imported lazily from every layer
    upward = []
    for line, target, type_only in imports(path):
        if not target.startswith("csc_rules"):
            continue
        there = unit(target)
        if LAYER.get(there, -1) > LAYER[here]:
            upward.append(
                f"{path.relative_to(ROOT)}:{line} imports {target} "
                f"(layer {LAYER[there]}: {there}) from layer {LAYER[here]} ({here})"
                + (" for type checking" if type_only else "")
            )
    assert not upward, "\n".join(upward)


def test_no_module_imports_the_package_root() -> None:
    """The root's `__init__` is the public API only: a module reads the version from
    `_version` and each thing from the module that defines it."""
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in modules()
        for line, target, _ in imports(path)
        if target == "csc_rules" and path != PACKAGE / "__init__.py"
    ]
    assert not found, "\n".join(found)


FOLDERS = sorted(path.parent for path in PACKAGE.glob("*/__init__.py"))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_every_folder_has_a_face_naming_what_it_offers(folder: Path) -> None:
    """Each folder's `__init__` says what the folder is for and offers its names in `__all__`;
    each of them can be had, and the face imports nothing but its own folder's modules."""
    package = dotted(folder / "__init__.py")
    face = importlib.import_module(package)
    assert (face.__doc__ or "").strip(), f"{package}/__init__.py needs a docstring"
    offered = getattr(face, "__all__", None)
    assert offered, f"{package}/__init__.py names nothing in __all__"
    for name in offered:
        assert getattr(face, name) is not None, f"{package} offers {name}, which is not there"
    assert set(offered) <= set(dir(face)), f"dir({package}) does not list all it offers"
    outside = [
        target
        for _, target, _ in imports(folder / "__init__.py")
        if target.startswith("csc_rules")
        and not target.startswith(package)
        and unit(target) not in ("_faces", "_version")
    ]
    assert not outside, f"{package}/__init__.py imports from outside its folder: {outside}"


@pytest.mark.parametrize("library", sorted(FRONT_END_ONLY))
def test_only_the_front_end_uses_its_library(library: str) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in modules()
        if unit(dotted(path)) not in FRONT_END_ONLY[library]
        for line, target, _ in imports(path)
        if target.split(".")[0] == library
    ]
    assert not found, "\n".join(found)


def test_the_application_layer_neither_prints_nor_exits() -> None:
    """Values and the project's errors go back to the front end, which prints and exits."""
    found = []
    for path in sorted((PACKAGE / "application").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id in ("print", "exit", "quit"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} uses {node.id}")
            elif isinstance(node, ast.Attribute) and node.attr in ("exit", "stdout", "stderr"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} uses .{node.attr}")
    assert not found, "\n".join(found)


def test_the_checker_sees_imports_inside_functions_and_type_checking_blocks() -> None:
    """The checker itself: relative imports resolved, values told from modules, and imports
    inside functions and under TYPE_CHECKING found."""
    text = (
        "from typing import TYPE_CHECKING\n"
        "from .. import __version__, procedures\n"
        "from .output import CommandError\n"
        "if TYPE_CHECKING:\n"
        "    from ..cli import cli\n"
        "def f():\n"
        "    import csc_rules.cases.runner\n"
    )
    assert list(imports(PACKAGE / "application" / "cases.py", text)) == [
        (1, "typing", False),
        (2, "csc_rules", False),
        (2, "csc_rules.procedures", False),
        (3, "csc_rules.application.output", False),
        (5, "csc_rules.cli", True),
        (7, "csc_rules.cases.runner", False),
    ]


def test_no_private_name_is_imported_from_another_module() -> None:
    """A name with a leading underscore belongs to its module; what another module needs is
    given a public name (private modules such as `_shapes` are the package's shared helpers)."""
    found = []
    for path in [*modules(), *sorted((ROOT / "tests").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if not (node.level and path.is_relative_to(PACKAGE)) and not (
                node.module or ""
            ).startswith("csc_rules"):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {alias.name}")
    assert not found, "\n".join(found)


# Lines from `def` to the end, docstring included; decorators (a click command's table of
# options) are data and do not count.
LONGEST_FUNCTION = 80


def function_lengths() -> list[tuple[int, str]]:
    """(lines, `path:line name`) of every function and method of the package, longest first."""
    found = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                where = f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
                found.append((node.end_lineno - node.lineno + 1, where))  # type: ignore[operator]
    return sorted(found, reverse=True)


def test_no_function_is_longer_than_a_reader_can_hold() -> None:
    """A function past about 80 lines does several things: name each of them instead."""
    longest = function_lengths()
    assert longest[0][0] <= LONGEST_FUNCTION, "split these:\n" + "\n".join(
        f"{lines} lines: {where}" for lines, where in longest if lines > LONGEST_FUNCTION
    )
