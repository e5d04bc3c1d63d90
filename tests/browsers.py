"""What the browser tests share: Debian's Chromium found (or a message saying how to get it),
how it is started, the two screen sizes a page is looked at, and axe-core's verdict."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium() -> str:
    found = (
        os.environ.get("CSC_RULES_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not found:
        pytest.fail(
            "the browser tests need Chromium: install Debian's package with "
            "`sudo apt-get install chromium` (.ci/run does this), or set CSC_RULES_CHROMIUM to a "
            "Chromium or Chrome binary",
            pytrace=False,
        )
    return found


def serious(page: Any) -> list[str]:
    """axe-core's serious and critical violations, and any skip in the order of headings (which
    it calls moderate, but which a screen-reader user navigating by headings meets at once)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] == "heading-order"
    ]
