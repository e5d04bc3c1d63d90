"""The faces of the package and its folders: each `__init__` names what it offers in `__all__`
and imports it on first use (PEP 562), so that reading one module of a folder does not load the
rest of it, and `csc-rules --help` stays fast."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import import_module
from typing import Any


def lazy(
    package: str, offered: Mapping[str, str] = {}, modules: Iterable[str] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module's `__getattr__` and `__dir__` for `package`: the first imports, when first asked
    for, each name of `offered` (the name: the module of `package` that defines it) and each of
    its `modules`; the second lists them, so that `dir()` and an editor's completion show what
    the face offers before anything is imported."""
    whole = frozenset(modules)
    listed = sorted({*offered, *whole})

    def __getattr__(name: str) -> Any:
        if name in whole:
            return import_module(f"{package}.{name}")
        module = offered.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{module}"), name)

    def __dir__() -> list[str]:
        return sorted({*listed, *vars(sys.modules[package])})

    return __getattr__, __dir__
