"""The annual report as one self-contained HTML page: each table beside a bar chart of it, the
years side by side. Inline CSS and SVG only, so it opens anywhere with no network."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from .tables import Table, needs, tables

# One colour per year, this year first: dark enough on white for text-level contrast.
COLOURS = ("#1d4f91", "#2e7d32", "#8e24aa", "#b35900", "#00695c", "#6d4c41", "#37474f")
BAR, GAP, LABEL_WIDTH, CHART_WIDTH = 14, 10, 230, 420

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 68rem; color: #1a1a1a;
       line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; }
section.table { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; max-width: 100%; }
svg { max-width: 100%; height: auto; }
caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
th, td { border-bottom: 1px solid #c8c8c8; padding: .3rem .6rem; }
th[scope=row] { text-align: left; font-weight: normal; }
td { text-align: right; }
p.note { font-size: .9rem; color: #3d3d3d; max-width: 60rem; }
.key span { display: inline-block; margin-right: 1rem; font-size: .9rem; }
.key i { display: inline-block; width: .9rem; height: .9rem; margin-right: .3rem;
         vertical-align: -.1rem; }
"""


def page(data: Mapping[str, Any], labels: Mapping[str, Mapping[str, str]]) -> str:
    """The whole page."""
    years = [data["year"], *(y["year"] for y in data["previous_years"])]
    key = "".join(
        f'<span><i style="background:{_colour(i)}"></i>{escape(year)}</span>'
        for i, year in enumerate(years)
    )
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Children's social care complaints, {escape(data['year'])}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>Children's social care complaints, {escape(data['year'])}</h1>",
        f"<p>From {escape(data['from'])} to {escape(data['to'])}.</p>",
        f'<p class="key" aria-hidden="true">{key}</p>',
    ]
    for table in tables(data, labels):
        parts.append(_section(table, years))
    found = needs(data)
    if found:
        rows = "".join(
            f'<tr><th scope="row">{escape(code)}</th><td>{count}</td><td style="text-align:left">{escape(refs)}</td></tr>'
            for code, count, refs in found
        )
        parts.append(
            '<h2>What the records needed</h2><table><thead><tr><th scope="col">warning</th>'
            f'<th scope="col">cases</th><th scope="col">references</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _section(table: Table, years: list[str]) -> str:
    head = "".join(f'<th scope="col">{escape(y)}</th>' for y in years)
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(f"<td>{_value(v, table)}</td>" for v in values)
        + "</tr>"
        for label, values in table.rows
    )
    html = [
        f"<h2>{escape(table.title)}</h2>",
        '<section class="table">',
        f'<div class="scroll" tabindex="0" role="region" aria-label="{escape(table.title)}">'
        f"<table><caption>{escape(table.title)}</caption>"
        f'<thead><tr><th scope="col">&nbsp;</th>{head}</tr></thead><tbody>{body}</tbody></table></div>',
    ]
    if table.chart:
        html.append(_chart(table, years))
    html.append("</section>")
    if table.note:
        html.append(f'<p class="note">{escape(table.note)}</p>')
    return "".join(html)


def _chart(table: Table, years: list[str]) -> str:
    """A horizontal bar chart: a group of bars per row, one bar per year."""
    rows = [(label, values) for label, values in table.rows if not label.startswith("Total")]
    top = max([v for _, values in rows for v in values if isinstance(v, int)] + [1])
    group = BAR * len(years) + GAP
    height = group * len(rows) + GAP
    scale = (CHART_WIDTH - LABEL_WIDTH - 40) / top
    shapes = []
    for r, (label, values) in enumerate(rows):
        y0 = GAP + r * group
        shapes.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y0 + BAR * len(years) / 2 + 4}" text-anchor="end" '
            f'font-size="11">{escape(_short(label))}</text>'
        )
        for i, value in enumerate(values):
            amount = value if isinstance(value, int) else 0
            width = max(amount * scale, 0.5 if amount else 0)
            y = y0 + i * BAR
            shapes.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR - 2}" '
                f'fill="{_colour(i)}"><title>{escape(label)}, {escape(years[i])}: {amount}</title></rect>'
            )
            if amount:  # a bar's number beside it; the chart's title gives every number
                shapes.append(
                    f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + BAR - 4}" font-size="10">{amount}</text>'
                )
    summary = "; ".join(
        f"{label}: " + ", ".join(f"{y} {v}" for y, v in zip(years, values, strict=True))
        for label, values in rows
    )
    return (
        f'<svg role="img" width="{CHART_WIDTH}" height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(table.title)}: {escape(summary)}</title>'
        + "".join(shapes)
        + "</svg>"
    )


def _value(value: Any, table: Table) -> str:
    if value is None:
        return ""
    return f"{value}%" if not table.chart else str(value)


def _short(label: str, most: int = 36) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"


def _colour(index: int) -> str:
    return COLOURS[index % len(COLOURS)]
