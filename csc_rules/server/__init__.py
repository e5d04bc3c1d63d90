"""The HTTP API (`csc-rules serve`): a front end over `csc_rules.application`, like the CLI.
Needs the `server` extra: `pip install 'csc-rules[server]'`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._faces import lazy

if TYPE_CHECKING:
    from .app import Settings, create_app

__all__ = ["Settings", "create_app"]

__getattr__, __dir__ = lazy(__name__, {"Settings": "app", "create_app": "app"})
