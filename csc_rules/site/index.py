"""The generated site's shared parts: its index page, the links between a procedure's pages, and
a council's contact details."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._version import __version__
from ..procedures.compiler import CompiledProcedure
from .page import Link, esc, long_date, page

# What a contact's web address may be to become a link: nothing that runs script when clicked.
_LINKABLE = ("https://", "http://", "mailto:")


def contact(council: Mapping[str, Any]) -> str:
    """How to reach the council's complaints team, from its council.yaml."""
    details = council.get("contact") or {}
    labels = (("team", "Team"), ("phone", "Phone"), ("email", "Email"), ("address", "Address"))
    items = [f"<li>{label}: {esc(details[k])}</li>" for k, label in labels if details.get(k)]
    web = details.get("web")
    if web:
        shown = esc(web)
        linked = str(web).lower().startswith(_LINKABLE)
        items.append(
            f'<li>Web: <a href="{shown}">{shown}</a></li>' if linked else f"<li>Web: {shown}</li>"
        )
    if not items:
        return ""
    return (
        '<section aria-labelledby="contact" class="contact"><h2 id="contact">How to contact '
        f"the complaints team</h2><ul>{''.join(items)}</ul></section>"
    )


def procedure_links(current: str, children: bool) -> str:
    """The links between one procedure's pages, the current one marked."""
    pages = [("index.html", "Process map")]
    if children:
        pages.append(("children.html", "For children and young people"))
    pages.append(("staff.html", "For staff"))
    items = "".join(
        f'<li><a href="{href}"'
        + (' aria-current="page"' if href == current else "")
        + f">{esc(text)}</a></li>"
        for href, text in pages
    )
    return f'<nav aria-label="This procedure" class="page-links"><ul>{items}</ul></nav>'


def made(on: dt.date, procedure: CompiledProcedure | None = None) -> str:
    """The footer: what made the page, when, and from which version of which rules."""
    text = f"Made by csc-rules {esc(__version__)} on {esc(long_date(on))}"
    if procedure is None:
        return text + "."
    return (
        f"{text} from the rules of <code>{esc(procedure.id)}</code>, version "
        f"{esc(procedure.version)}, in force from {esc(long_date(procedure.effective))}. Change "
        "the rules, not this page."
    )


@dataclass(frozen=True)
class Listed:
    """A procedure on the index: its council's name, where its pages are, and which it has."""

    council_name: str
    procedure: CompiledProcedure
    folder: str
    children: bool


def index(items: Sequence[Listed], on: dt.date) -> str:
    """The site's front page: each council with its procedures and their pages."""
    councils: dict[str, list[str]] = {}
    for item in items:
        title = esc(item.procedure.title)
        hidden = f'<span class="visually-hidden">: {title}</span>'
        links = [f'<a href="{item.folder}index.html">Process map{hidden}</a>']
        if item.children:
            links.append(
                f'<a href="{item.folder}children.html">For children and young people{hidden}</a>'
            )
        links.append(f'<a href="{item.folder}staff.html">For staff{hidden}</a>')
        councils.setdefault(item.council_name, []).append(
            f"<li><h3>{title}</h3>"
            f'<ul class="index-links">{"".join(f"<li>{link}</li>" for link in links)}</ul></li>'
        )
    rows = [
        f'<li><h2>{esc(name)}</h2><ul class="index-procedures">{"".join(entries)}</ul></li>'
        for name, entries in councils.items()
    ]
    body = (
        "<h1>Children's social care complaints: how each council's procedure works</h1>"
        '<p class="lede">Each council\'s complaints procedure as a process map, a guide for '
        "children and young people, and a summary for staff, all made from the same rules the "
        "csc-rules engine checks cases against.</p>"
        f'<ul class="index-list">{"".join(rows)}</ul>'
        '<p><a href="comparison.html">Every procedure side by side</a></p>'
    )
    return page(
        title="Children's social care complaints procedures",
        body=body,
        depth=0,
        nav=[Link("index.html", "All procedures", True), Link("comparison.html", "Comparison")],
        generated=made(on),
    )


def comparison(rendered: str, on: dt.date) -> str:
    """The page of every procedure side by side."""
    return page(
        title="Every procedure side by side",
        body=f"<h1>Every procedure side by side</h1>{rendered}",
        depth=0,
        nav=[Link("index.html", "All procedures"), Link("comparison.html", "Comparison", True)],
        generated=made(on),
    )
