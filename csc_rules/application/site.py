"""`csc-rules site`: the public process maps, the children's pages and the staff pages of every
council procedure in force, as one folder of static pages made from the rules."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..output import CommandError

if TYPE_CHECKING:
    from ..compiler import CompiledProcedure
    from ..procedures import Library
    from ..readability import Readability

# The file that marks a folder as a site this command made, which it may replace.
MARKER = ".csc-rules-site"


@dataclass
class Built:
    """What `site` made: the folder, its pages, each children's page's readability, and what
    the pages show in the rules' own words because they have no plain words."""

    folder: Path
    pages: list[str] = field(default_factory=list)
    readability: dict[str, Readability] = field(default_factory=dict)
    unplain: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "pages": self.pages,
            "readability": {k: v.to_json() for k, v in self.readability.items()},
            "without_plain_words": self.unplain,
        }


def check_output(output: Path, library_root: Path) -> None:
    """The folder may be new, empty, or a site this command made before; never a file, the
    library's own folders, or a folder holding anything else."""
    where = output.resolve()
    for protected in (library_root / "rules", library_root / "councils"):
        protected = protected.resolve()
        if where == protected or protected in where.parents or where in protected.parents:
            raise CommandError(
                f"{output}: would write the site over the library ({protected}); choose a "
                "folder outside rules/ and councils/, such as site/"
            )
    if output.exists() and not output.is_dir():
        raise CommandError(f"{output}: is a file, not a folder; give a folder for the site")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise CommandError(
            f"{output}: the folder holds files that `csc-rules site` did not write, which it "
            "will not replace; give a new or empty folder"
        )


def _council(library: Library, name: str) -> Mapping[str, Any]:
    from ..library import council_file

    path = council_file(name, library.root)
    if path is None:
        return {"name": name}
    document, _ = library.load(path)
    return document.data if document is not None and isinstance(document.data, dict) else {}


def _contact(council: Mapping[str, Any]) -> str:
    from ..site_html import esc

    contact = council.get("contact") or {}
    labels = (("team", "Team"), ("phone", "Phone"), ("email", "Email"), ("address", "Address"))
    items = [f"<li>{label}: {esc(contact[k])}</li>" for k, label in labels if contact.get(k)]
    if contact.get("web"):
        web = esc(contact["web"])
        items.append(f'<li>Web: <a href="{web}">{web}</a></li>')
    if not items:
        return ""
    return (
        '<section aria-labelledby="contact" class="contact"><h2 id="contact">How to contact '
        f"the complaints team</h2><ul>{''.join(items)}</ul></section>"
    )


def _unplain(procedure: CompiledProcedure) -> list[str]:
    """What the public pages show in the rules' own words, for want of plain words."""
    missing = [] if procedure.plain else ["the procedure"]
    missing += [f"stage `{s.id}`" for s in procedure.stages if s.plain is None]
    missing += [f"{d.kind} `{d.id}`" for d in procedure.deadlines.values() if d.plain is None]
    return missing


def _procedure_links(current: str, children: bool) -> str:
    from ..site_html import esc

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


def build(output: Path, on: dt.date | None = None) -> Built:
    """Write the site into `output`, replacing a site made there before, all or nothing."""
    from ..procedures import library

    lib = library()
    check_output(output, lib.root)
    on = on or dt.date.today()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    try:
        built = _write(lib, staging, on)
        (staging / MARKER).write_text(
            "Made by `csc-rules site`, which replaces this folder when run again.\n",
            encoding="utf-8",
        )
        if output.exists():
            shutil.rmtree(output)
        os.replace(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    built.folder = output
    return built


def _write(lib: Library, root: Path, on: dt.date) -> Built:
    from .. import __version__, site_children, site_map, site_staff
    from ..errors import NotInForceError
    from ..plain_words import children_sections, children_text
    from ..readability import measure
    from ..site_diagram import svg
    from ..site_html import ASSETS, Link, asset, esc, long_date, page
    from ..summary import markdown as summary_markdown
    from .procedures import side_by_side_page

    built = Built(root)
    documents = lib.document_names()
    (root / "assets").mkdir()
    for name in ASSETS:
        (root / "assets" / name).write_text(asset(name), encoding="utf-8")
    index_items = []
    for procedure_id in lib.council_procedures():
        try:
            procedure = lib.procedure(procedure_id, on)
        except NotInForceError:
            continue  # every version is still to come: nothing to show the public yet
        council_id, name = procedure_id.split("/", 1)
        council = _council(lib, council_id)
        council_name = str(council.get("name", council_id))
        folder = root / council_id / name
        folder.mkdir(parents=True)
        contact = _contact(council)
        made = (
            f"Made by csc-rules {esc(__version__)} on {esc(long_date(on))} from the rules of "
            f"<code>{esc(procedure.id)}</code>, version {esc(procedure.version)}, in force from "
            f"{esc(long_date(procedure.effective))}. Change the rules, not this page."
        )
        nav = [
            Link("../../index.html", "All procedures"),
            Link("../../comparison.html", "Comparison"),
        ]
        # the children's page is for the statutory procedure, the one children and young
        # people use; a corporate procedure's map is in plain words too
        children = procedure.kind == "statutory" and bool(children_sections(procedure))
        map_body = site_map.body(
            procedure, council_name, documents, contact, _procedure_links("index.html", children)
        )
        pages = {
            "index.html": page(
                title=f"{procedure.title}: process map",
                body=map_body,
                depth=2,
                nav=nav,
                script=site_map.script(procedure, 2),
                generated=made,
            )
        }
        score = None
        if children:
            score = measure(children_text(procedure))
            built.readability[procedure.id] = score
            pages["children.html"] = page(
                title=f"Making a complaint to {council_name}: for children and young people",
                body=site_children.body(
                    procedure,
                    council_name,
                    documents,
                    contact,
                    _procedure_links("children.html", children),
                ),
                depth=2,
                nav=nav,
                generated=made,
            )
        pages["staff.html"] = page(
            title=f"{procedure.title}: for staff",
            body=site_staff.body(
                procedure,
                council_name,
                summary_markdown(procedure),
                svg(procedure),
                documents,
                score,
                _procedure_links("staff.html", children),
            ),
            depth=2,
            nav=nav,
            generated=made,
        )
        for file_name, text in pages.items():
            (folder / file_name).write_text(text, encoding="utf-8")
            built.pages.append(f"{council_id}/{name}/{file_name}")
        unplain = _unplain(procedure)
        if unplain:
            built.unplain[procedure.id] = unplain
        index_items.append((council_name, procedure, f"{council_id}/{name}/", children))
    comparison = site_staff.untitled(site_staff.render_markdown(side_by_side_page()))
    (root / "comparison.html").write_text(
        page(
            title="Every procedure side by side",
            body=f"<h1>Every procedure side by side</h1>{comparison}",
            depth=0,
            nav=[Link("index.html", "All procedures"), Link("comparison.html", "Comparison", True)],
            generated=f"Made by csc-rules {esc(__version__)} on {esc(long_date(on))}.",
        ),
        encoding="utf-8",
    )
    built.pages.append("comparison.html")
    (root / "index.html").write_text(_index(index_items, on), encoding="utf-8")
    built.pages.insert(0, "index.html")
    return built


def _index(items: list[tuple[str, CompiledProcedure, str, bool]], on: dt.date) -> str:
    from .. import __version__
    from ..site_html import Link, esc, long_date, page

    councils: dict[str, list[str]] = {}
    for council_name, procedure, href, children in items:
        links = [
            f'<a href="{href}index.html">Process map'
            f'<span class="visually-hidden">: {esc(procedure.title)}</span></a>'
        ]
        if children:
            links.append(
                f'<a href="{href}children.html">For children and young people'
                f'<span class="visually-hidden">: {esc(procedure.title)}</span></a>'
            )
        links.append(
            f'<a href="{href}staff.html">For staff<span class="visually-hidden">: '
            f"{esc(procedure.title)}</span></a>"
        )
        councils.setdefault(council_name, []).append(
            f"<li><h3>{esc(procedure.title)}</h3>"
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
        generated=f"Made by csc-rules {esc(__version__)} on {esc(long_date(on))}.",
    )
