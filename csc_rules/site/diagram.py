"""Draw a compiled procedure's stage graph as inline SVG that can be read at page width: the
plan (`diagram_plan`) placed (`diagram_layout`), written as SVG text."""

from __future__ import annotations

import html
import re

from ..procedures.compiler import CompiledProcedure
from .diagram_layout import (
    Arrow,
    Band,
    Box,
    Layout,
    Rect,
    Text,
    layout,
    line_height,
    text_width,
    wrap,
)
from .diagram_plan import ANY

# What a caller of the diagram uses: the drawing, and the layout that tests measure.
__all__ = ["ANY", "Layout", "Rect", "Text", "escape", "layout", "svg", "text_width", "wrap"]

INK = "#1b1b1b"
LINE = "#3d3d3d"
BOX_STROKE = "#57606a"
BAND_STROKE = "#c3ccd6"
SHADES = ("#eef3f8", "#f5f2ea")  # the stages' bands, in turn
END_BAND = "#eef5ef"
DASHES = {"path": None, "other": "7 4", "any": "2 3"}


def escape(text: str) -> str:
    """Text safe inside an XML element or a quoted attribute."""
    return html.escape(text, quote=True)


def _ident(text: str) -> str:
    """`text` as the start of an XML id: letters, digits and hyphens, beginning with a letter."""
    plain = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return plain if plain[:1].isalpha() else f"d-{plain}"


def _text(t: Text) -> str:
    weight = ' font-weight="bold"' if t.bold else ""
    spans = "".join(
        f'<tspan x="{t.x}" y="{t.y + j * line_height(t.size) + t.size}">{escape(line)}</tspan>'
        for j, line in enumerate(t.lines)
    )
    return f'<text font-size="{t.size}"{weight}>{spans}</text>'


def _arrow(a: Arrow, marker: str) -> str:
    points = " ".join(f"{x},{y}" for x, y in a.points)
    dash = DASHES[a.kind]
    style = f' stroke-dasharray="{dash}"' if dash else ""
    head = f' marker-end="url(#{marker})"' if a.head else ""
    return (
        f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="1.6"{style}{head}/>'
    )


def _band(band: Band, fill: str) -> list[str]:
    r = band.rect
    out = [
        f'<rect x="{r.x}" y="{r.y}" width="{r.w}" height="{r.h}" rx="6" '
        f'fill="{fill}" stroke="{BAND_STROKE}"/>',
        _text(band.label),
    ]
    if band.note is not None:
        out.append(_text(band.note))
    return out


def _box(box: Box) -> list[str]:
    r = box.rect
    rounding = r.h // 2 if box.kind == "start" else 4
    stroke = ' stroke-width="2.5"' if box.kind == "end" else ' stroke-width="1.2"'
    return [
        f'<rect x="{r.x}" y="{r.y}" width="{r.w}" height="{r.h}" rx="{rounding}" '
        f'fill="#ffffff" stroke="{BOX_STROKE}"{stroke}/>',
        *(_text(t) for t in box.texts),
    ]


def _head(procedure: CompiledProcedure, lay: Layout, p: str) -> list[str]:
    """The opening tag, the title and description a screen reader reads, and the arrowhead."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {lay.width} {lay.height}" '
        f'width="100%" role="img" aria-labelledby="{p}-title {p}-desc" '
        f'style="font-family: inherit" fill="{INK}">',
        f'<title id="{p}-title">{escape(f"Stages and states of {procedure.title}")}</title>',
        f'<desc id="{p}-desc">{escape(lay.summary)}</desc>',
        "<defs>",
        f'<marker id="{p}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
        'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{LINE}"/></marker>',
        "</defs>",
    ]


def svg(procedure: CompiledProcedure, *, ident: str | None = None) -> str:
    """The stage graph of `procedure` as an inline SVG element, 860 pixels wide at full size.

    `ident` (kept to letters, digits and hyphens) prefixes every id in it: its marker, title and
    description. By default it is made from the procedure's id and version, so that several
    diagrams can share a page; give one when the same procedure is drawn twice on a page."""
    lay = layout(procedure)
    p = _ident(ident if ident is not None else f"stage graph {procedure.id} {procedure.version}")
    out = _head(procedure, lay, p)
    for b, band in enumerate(lay.bands):  # the stages' bands come first, the end row's last
        out += _band(band, END_BAND if band.kind == "end" else SHADES[b % 2])
    out += [_arrow(arrow, f"{p}-arrow") for arrow in lay.legend + lay.arrows]
    for box in lay.boxes:
        out += _box(box)
    out += [_text(a.label) for a in lay.legend + lay.arrows if a.label is not None]
    out += [_text(t) for t in lay.notes]
    out.append("</svg>")
    return "\n".join(out) + "\n"
