"""A council owns its folder: a procedure in councils/<id>/ is named `<id>/...`, and the folder
has a council.yaml that says `council: <id>`, so that every procedure published has a council,
with its name and contact details."""

from __future__ import annotations

import os
from pathlib import Path

from ..diagnostics import Diagnostic
from ..reading.loader import Document
from ..reading.locations import kind_of


def owner_problems(document: Document) -> list[Diagnostic]:
    """What ties a procedure or council file in a council's folder (councils/<folder>/) to
    another council, or to none; nothing for a file elsewhere (a baseline, a draft)."""
    folder = Path(os.path.abspath(document.path)).parent
    if folder.parent.name != "councils" or not isinstance(document.data, dict):
        return []
    kind, council = kind_of(document.data), folder.name
    named = document.data.get(kind) if kind else None
    if not isinstance(named, str):
        return []  # the schema says what is wrong with it
    if kind == "council" and named != council:
        return [
            document.diagnostic(
                ("council",),
                "invalid-value",
                f"this council file is in councils/{council}/, so it must say `council: "
                f"{council}`, not `{named}`: a council's id is its folder's name (a copied "
                f"folder still names the council it was copied from: change `{named}` to "
                f"`{council}` here and in each procedure's id)",
            )
        ]
    if kind != "procedure":
        return []
    owner, _, name = named.partition("/")
    if owner != council:
        return [
            document.diagnostic(
                ("procedure",),
                "invalid-value",
                f"this procedure is in councils/{council}/, so its id must begin "
                f"`{council}/`: change `{named}` to `{council}/{name}` (a copied folder still "
                f"names the council it was copied from: change `{owner}/` to `{council}/` in "
                "each procedure's `procedure:` and `extends:`, and `council:` in its "
                "council.yaml)",
            )
        ]
    if not (folder / "council.yaml").is_file():
        return [
            document.diagnostic(
                ("procedure",),
                "file-not-found",
                f"councils/{council}/ has no council.yaml, so this procedure has no council: "
                f"create councils/{council}/council.yaml, with `council: {council}`, the "
                "council's `name`, `region` (ENG for England), `contact` and `sources` (as "
                "in another council's folder)",
            )
        ]
    return []
