"""The API as uvicorn's worker processes build it: from the settings `csc-rules serve` put in
the environment (each worker is a fresh process)."""

from __future__ import annotations

import json
import os

from starlette.applications import Starlette

from .app import Settings, create_app

VARIABLE = "CSC_RULES_SERVER_SETTINGS"


def from_environment() -> Starlette:
    given = json.loads(os.environ.get(VARIABLE, "{}"))
    given["cors_origins"] = tuple(given.get("cors_origins", ()))
    if "allowed_hosts" in given:
        given["allowed_hosts"] = tuple(given["allowed_hosts"])
    return create_app(Settings(**given))
