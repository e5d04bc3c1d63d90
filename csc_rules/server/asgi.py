"""The API as uvicorn's worker processes build it: from the settings `csc-rules serve` put in
the environment (each worker is a fresh process)."""

from __future__ import annotations

import contextlib
import json
import os

from starlette.applications import Starlette

from ..errors import NotFoundError
from ..reading.locations import data_root
from .app import Settings, create_app

VARIABLE = "CSC_RULES_SERVER_SETTINGS"


def from_environment() -> Starlette:
    given = json.loads(os.environ.get(VARIABLE, "{}"))
    # Work from the library's folder, found from where `serve` started, so that every file an
    # answer names is named as the CLI names it there (councils/x/y.yaml), never by where the
    # server is installed on its machine.
    with contextlib.suppress(NotFoundError):  # no library: each answer says so
        os.chdir(data_root())
    given["cors_origins"] = tuple(given.get("cors_origins", ()))
    if "allowed_hosts" in given:
        given["allowed_hosts"] = tuple(given["allowed_hosts"])
    return create_app(Settings(**given))
