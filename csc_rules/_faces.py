"""The faces of the package and its folders: each `__init__` names what it offers in `__all__`
and imports it on first use (PEP 562), so that reading one module of a folder does not load the
rest of it, and `csc-rules --help` stays fast."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from importlib import import_module
from typing import Any


def lazy(
    package: str, offered: Mapping[str, str] = {}, modules: Iterable[str] = ()
) -> Callable[[str], Any]:
    """A module `__getattr__` for `package` that imports, when first asked for, each name of
    `offered` (the name: the module of `package` that defines it) and each of its `modules`."""
    whole = frozenset(modules)

    def __getattr__(name: str) -> Any:
        if name in whole:
            return import_module(f"{package}.{name}")
        module = offered.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{module}"), name)

    return __getattr__
