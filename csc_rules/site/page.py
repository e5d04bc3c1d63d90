"""What every page of the generated site shares: the page shell with its landmarks, escaping,
dates and sources in words. The site is static: one folder, its own styles and script, nothing
fetched from elsewhere."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from ..reports.comparison import document_name
from .statements import Statement

ASSETS = ("site.css", "site.js")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def asset(name: str) -> str:
    """The text of one of the site's own files (its style sheet and script)."""
    return (resources.files("csc_rules.site") / "assets" / name).read_text(encoding="utf-8")


def long_date(day: dt.date) -> str:
    """`Friday 3 January 2025`."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def slug(text: str) -> str:
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in text.lower()).strip("-")


def unique_ids(ids: Iterable[str]) -> list[str]:
    """The ids, each made unique on the page by a number where it repeats one before it."""
    seen: dict[str, int] = {}
    out = []
    for given in ids:
        count = seen[given] = seen.get(given, 0) + 1
        out.append(given if count == 1 else f"{given}-{count}")
    return out


@dataclass(frozen=True)
class Link:
    href: str
    text: str
    current: bool = False


def page(
    *,
    title: str,
    body: str,
    depth: int,
    nav: Iterable[Link] = (),
    script: str = "",
    generated: str = "",
) -> str:
    """A whole page: a skip link, a header with the site's navigation, `body` as the main
    landmark, and a footer saying where the page comes from. `depth` is how many folders below
    the site's root the page is, for relative links to the assets."""
    up = "../" * depth
    links = "".join(
        f'<li><a href="{esc(link.href)}"'
        + (' aria-current="page"' if link.current else "")
        + f">{esc(link.text)}</a></li>"
        for link in nav
    )
    navigation = f'<nav aria-label="Site"><ul class="site-nav">{links}</ul></nav>' if links else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f'<link rel="stylesheet" href="{up}assets/site.css">\n'
        "</head>\n<body>\n"
        '<a class="skip-link" href="#main">Skip to the main content</a>\n'
        f'<header class="site-header"><p class="site-name"><a href="{up}index.html">'
        "Children's social care complaints</a></p>"
        f"{navigation}</header>\n"
        f'<main id="main" tabindex="-1">\n{body}\n</main>\n'
        f'<footer class="site-footer"><p>{generated}</p></footer>\n'
        f"{script}"
        "</body>\n</html>\n"
    )


def said(statements: Iterable[Statement]) -> str:
    """Statements as one run of text; each that states a time or a right is marked with what it
    states (`data-claim`) and of what (`data-of`), so that what the page says can be checked
    against the rules."""
    parts = []
    for statement in statements:
        if statement.claim is None:
            parts.append(esc(statement.text))
        else:
            parts.append(
                f'<span data-claim="{esc(statement.claim)}" data-of="{esc(statement.of)}">'
                f"{esc(statement.text)}</span>"
            )
    return " ".join(parts)


def source_items(sources: Iterable[str], documents: Mapping[str, str]) -> str:
    """Citations as list items: the document by its title, then the section or words cited."""
    seen: dict[str, None] = {}
    for source in sources:
        document, _, where = source.partition(": ")
        name = document_name(document, documents)
        seen[f"{name}: {where}" if where else name] = None
    return "".join(f"<li>{esc(item)}</li>" for item in seen)


NO_DOCUMENT = "No document we read says this; the page for staff says where it comes from."


def sources_block(sources: Iterable[str], documents: Mapping[str, str], heading: str) -> str:
    items = source_items(sources, documents)
    if not items:
        return ""
    return (
        f'<div class="sources"><p class="sources-heading">{esc(heading)}</p><ul>{items}</ul></div>'
    )


def documents_cited(sources: Iterable[str], documents: Mapping[str, str]) -> list[str]:
    """The titles of the documents cited, once each, in first-cited order."""
    return list(dict.fromkeys(document_name(s.partition(": ")[0], documents) for s in sources))


def heading(council_name: str, title: str) -> str:
    """The procedure's title alone where it already begins with the council's name."""
    return title if title.lower().startswith(council_name.lower()) else f"{council_name}: {title}"
