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

from ..errors import CommandError
from . import site_manifest

if TYPE_CHECKING:
    from ..procedures.compiler import CompiledProcedure
    from ..procedures.library import Library
    from ..site.readability import Readability


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
    """The folder may be new, empty, or a site this command made before and nobody has changed
    since; never a file, a link, the library's own folders, or a folder holding anything else."""
    if output.is_symlink():
        raise CommandError(
            f"{output}: is a symbolic link; give the folder itself, so that replacing the site "
            "can never reach what the link points to"
        )
    where = output.resolve()
    for protected in (library_root / "rules", library_root / "councils"):
        protected = protected.resolve()
        if where == protected or protected in where.parents or where in protected.parents:
            raise CommandError(
                f"{output}: would write the site over the library ({protected}); choose a "
                "folder outside rules/ and councils/, such as site/"
            )
    if output.exists() and not output.is_dir():
        from .output import kind_of

        kind = kind_of(output) or "a file"
        raise CommandError(f"{output}: is {kind}, not a folder; give a folder for the site")
    if output.is_dir():
        site_manifest.check_replaceable(output)


def build(output: Path, on: dt.date | None = None) -> Built:
    """Write the site into `output`, replacing a site made there before, all or nothing."""
    from ..procedures.library import library

    lib = library()
    check_output(output, lib.root)
    on = on or dt.date.today()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    except OSError as exc:
        raise CommandError(
            f"{output}: cannot make the folder ({exc.strerror or exc}); give a folder you can write to"
        ) from None
    try:
        built = _write(lib, staging, on)
        site_manifest.write(staging)
        staging.chmod(0o755)  # mkdtemp's folder is private; a web server must read the site
        _replace(output, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    built.folder = output
    return built


def _replace(output: Path, staging: Path) -> None:
    """Put the staged site where `output` is. The old site is moved aside and checked again
    there, where nothing more can be added to it by its name, and only then deleted: a file
    added while the new site was being made is never lost."""
    if not output.exists():
        os.replace(staging, output)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{output.name}-old-", dir=output.parent))
    old = aside / "site"
    os.replace(output, old)
    try:
        site_manifest.check_replaceable(old, shown=output)
        os.replace(staging, output)
    except BaseException:
        os.replace(old, output)
        aside.rmdir()
        raise
    shutil.rmtree(aside)


def _council(lib: Library, name: str) -> Mapping[str, Any]:
    from ..reading.locations import council_file

    path = council_file(name, lib.root)
    if path is None:
        return {"name": name}
    document, _ = lib.files.load(path)
    return document.data if document is not None and isinstance(document.data, dict) else {}


def _unplain(procedure: CompiledProcedure) -> list[str]:
    """What the public pages show in the rules' own words, for want of plain words."""
    from ..site.plain_words import without_plain_words

    return without_plain_words(procedure)


def _in_force(lib: Library, on: dt.date, ids: list[str]) -> list[CompiledProcedure]:
    from ..errors import NotInForceError

    found = []
    for procedure_id in ids:
        try:
            found.append(lib.compiled.procedure(procedure_id, on))
        except NotInForceError:
            continue  # every version is still to come: nothing to show yet
    return found


def _write(lib: Library, root: Path, on: dt.date) -> Built:
    from ..site import index as site_index
    from ..site.page import ASSETS, asset

    procedures = _in_force(lib, on, lib.catalogue.council_procedures())
    if not procedures:
        raise CommandError(
            f"no council procedure is in force on {on.isoformat()}: give a later --on date "
            "(see `csc-rules list` for when each takes effect)"
        )
    built = Built(root)
    documents = lib.vocabulary.document_names()
    (root / "assets").mkdir()
    for name in ASSETS:
        (root / "assets" / name).write_text(asset(name), encoding="utf-8")
    listed = []
    for procedure in procedures:
        council_id, name = procedure.id.split("/", 1)
        council = _council(lib, council_id)
        folder = root / council_id / name
        folder.mkdir(parents=True)
        # as the procedure's own council lists a document, where two councils list it
        caveats = {
            d.id: d.caveat
            for d in (*lib.vocabulary.documents(), *lib.vocabulary.documents(council_id))
            if d.caveat
        }
        pages = _pages(procedure, council, documents, on, built, caveats)
        for file_name, text in pages.items():
            (folder / file_name).write_text(text, encoding="utf-8")
            built.pages.append(f"{council_id}/{name}/{file_name}")
        unplain = _unplain(procedure)
        if unplain:
            built.unplain[procedure.id] = unplain
        council_name = str(council.get("name", council_id))
        shown = f"{council_id}/{name}/"
        listed.append(site_index.Listed(council_name, procedure, shown, "children.html" in pages))
    comparison = _comparison(lib, on, procedures, documents)
    (root / "comparison.html").write_text(comparison, encoding="utf-8")
    (root / "index.html").write_text(site_index.index(listed, on), encoding="utf-8")
    built.pages = ["index.html", *built.pages, "comparison.html"]
    return built


def _pages(
    procedure: CompiledProcedure,
    council: Mapping[str, Any],
    documents: dict[str, str],
    on: dt.date,
    built: Built,
    caveats: Mapping[str, str],
) -> dict[str, str]:
    """One procedure's pages by file name: its process map, its staff page and, for the
    statutory procedure, its children's page (whose readability goes into `built`)."""
    from ..reports.summary import markdown as summary_markdown
    from ..site import children as site_children
    from ..site import index as site_index
    from ..site import process_map as site_map
    from ..site import staff as site_staff
    from ..site.diagram import svg
    from ..site.page import Link, page
    from ..site.plain_words import children_sections, children_text
    from ..site.readability import measure

    council_id = procedure.id.split("/", 1)[0]
    council_name = str(council.get("name", council_id))
    contact = site_index.contact(council)
    nav = [Link("../../index.html", "All procedures"), Link("../../comparison.html", "Comparison")]
    made = site_index.made(on, procedure)
    # the children's page is for the statutory procedure, the one children and young
    # people use; a corporate procedure's map is in plain words too
    children = procedure.kind == "statutory" and bool(children_sections(procedure))

    def links(current: str) -> str:
        return site_index.procedure_links(current, children)

    pages = {
        "index.html": page(
            title=f"{procedure.title}: process map",
            body=site_map.body(procedure, council_name, documents, contact, links("index.html")),
            depth=2,
            nav=nav,
            script=site_map.script(procedure, 2),
            generated=made,
        )
    }
    score = None
    if children:
        score = built.readability[procedure.id] = measure(children_text(procedure))
        pages["children.html"] = page(
            title=f"Making a complaint to {council_name}: for children and young people",
            body=site_children.body(
                procedure, council_name, documents, contact, links("children.html")
            ),
            depth=2,
            nav=nav,
            generated=made,
        )
    staff = site_staff.body(
        procedure,
        council_name,
        summary_markdown(procedure),
        svg(procedure),
        documents,
        score,
        links("staff.html"),
        caveats,
    )
    pages["staff.html"] = page(
        title=f"{procedure.title}: for staff", body=staff, depth=2, nav=nav, generated=made
    )
    return pages


def _comparison(
    lib: Library, on: dt.date, procedures: list[CompiledProcedure], documents: dict[str, str]
) -> str:
    """The comparison page: every procedure in force on the day, baselines first, as
    docs/comparison.md has them."""
    from ..procedures.catalogue import BASELINES
    from ..reports.comparison import page as comparison_page
    from ..site import index as site_index
    from ..site import staff as site_staff

    baselines = [e.id for e in lib.catalogue.entries()[0] if e.group == BASELINES]
    compared = _in_force(lib, on, list(dict.fromkeys(baselines))) + procedures
    rendered = site_staff.untitled(site_staff.render_markdown(comparison_page(compared, documents)))
    return site_index.comparison(rendered, on)
