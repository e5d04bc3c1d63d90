"""The annual report as one self-contained page a council can publish as it stands: each table
beside a bar chart of it, the years side by side, in words a reader knows (dates in words, no
ids), readable on a phone and printable to PDF; and the list of the records' problems, which is
kept off the page. Inline CSS and SVG only, so it opens anywhere with no network."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from .categories import GROUP, SUB
from .tables import Table, column_heads, labelled, tables

# One colour per year, this year first, each dark enough on white for a bar to stand out (3:1);
# the years after the first are also patterned, so that a chart printed in grey or seen without
# colour still tells them apart.
COLOURS = ("#1d4f91", "#2e7d32", "#8e24aa", "#b35900", "#00695c", "#6d4c41", "#37474f")
PATTERNS = (
    "",  # this year: solid
    '<path d="M0 6L6 0" stroke="#fff" stroke-width="1.6"/>',  # rising stripes
    '<circle cx="3" cy="3" r="1.2" fill="#fff"/>',  # dots
    '<path d="M0 3H6" stroke="#fff" stroke-width="1.6"/>',  # level stripes
    '<path d="M0 0L6 6M0 6L6 0" stroke="#fff" stroke-width="1"/>',  # cross-hatch
    '<path d="M3 0V6" stroke="#fff" stroke-width="1.6"/>',  # upright stripes
    '<path d="M0 0L6 6" stroke="#fff" stroke-width="1.6"/>',  # falling stripes
)
# The chart's drawing, in the units of its viewBox: it is drawn for a phone's width (labels
# above their bars, not beside them) and scaled up to its place on a wider screen.
WIDTH, FONT, BAR, STEP, ROW_GAP, VALUE_ROOM = 360, 13, 14, 17, 10, 48
LABEL_CHARACTERS = 50  # a label longer than this is wrapped onto a second line
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# An id in backticks, as the notes name events and keys, with the article before it.
QUOTED_ID = re.compile(r"(\b[Tt]he )?`([^`]+)`")

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 0 auto;
       max-width: 70rem; padding: 1rem; color: #1a1a1a; background: #fff; line-height: 1.45;
       overflow-wrap: break-word; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 1rem 0; }
h2 { font-size: 1.2rem; margin: 0; grid-area: head; }
a { color: #1d4f91; }
:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
.notice { border-left: .35rem solid #b35900; background: #fdf3e7; padding: .6rem .9rem;
          max-width: 60rem; }
nav.contents ol { columns: 3 17rem; column-gap: 3rem; padding-left: 2rem; margin: .4rem 0 0; }
nav.contents li { break-inside: avoid; }
/* A table, its chart and its note: one above the other on a phone; the chart beside the table
   on a wide screen; in print, the chart beside the note under a table the page's full width. */
section.figures { margin-top: 2.4rem; display: grid; gap: .8rem 2rem; align-items: start;
                  grid-template-columns: minmax(0, 1fr);
                  grid-template-areas: "head" "table" "chart" "note"; }
.scroll { grid-area: table; overflow-x: auto; max-width: 100%; }
svg.chart { grid-area: chart; width: 22rem; max-width: 100%; height: auto; }
p.note { grid-area: note; margin: 0; font-size: .92rem; color: #3d3d3d; max-width: 60rem; }
@media (min-width: 62rem) {
  section.figures { grid-template-columns: minmax(0, 1fr) 22rem;
                    grid-template-areas: "head head" "table chart" "note note"; }
}
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
caption, .hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
                   clip: rect(0 0 0 0); white-space: nowrap; }
th, td { border-bottom: 1px solid #c8c8c8; padding: .3rem .6rem; }
thead th { border-bottom: 2px solid #1a1a1a; text-align: right; white-space: nowrap; }
th[scope=row], th[scope=rowgroup] { text-align: left; font-weight: normal; min-width: 10rem;
                                     max-width: 18rem; }
td { text-align: right; white-space: nowrap; }
td.none { color: #595959; font-style: italic; }
th.group { font-weight: bold; }
th.sub { padding-left: 1.6rem; }
td.words { text-align: left; white-space: normal; min-width: 14rem; max-width: 36rem; }
thead th.words { text-align: left; }
@media (max-width: 40rem) {
  body { padding: .75rem; }
  h1 { font-size: 1.35rem; }
  th[scope=row], th[scope=rowgroup] { min-width: 8rem; }
  th, td { padding: .3rem .4rem; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  h1 { font-size: 16pt; margin-top: 0; }
  h2 { font-size: 12pt; }
  nav.contents { display: none; }
  a { color: inherit; text-decoration: none; }
  section.figures { margin-top: 0; padding-top: 7mm; break-inside: avoid; gap: 3mm 6mm;
                    grid-template-columns: 8cm minmax(0, 1fr);
                    grid-template-areas: "head head" "table table" "chart note"; }
  section.figures:not(:has(svg)) { grid-template-areas: "head head" "table table" "note note"; }
  .scroll { overflow: visible; }
  /* a table too long to share a page with its chart (a council's categories under their
     headings) stays whole with its heading; its chart and note follow it */
  h2 { break-after: avoid; }
  .scroll, table, svg.chart { break-inside: avoid; }
  table, p.note { font-size: 9pt; }
  th, td { padding: 1mm 2.5mm; }
  th[scope=row], th[scope=rowgroup] { max-width: none; }
  svg.chart { width: 8cm; max-height: 240mm; }  /* a long chart shrinks to one page */
}
"""


def page(
    data: Mapping[str, Any],
    labels: Mapping[str, Mapping[str, str]],
    events: Mapping[str, str] | None = None,
) -> str:
    """The whole page. `events` gives each event id its description (a procedure's `events`),
    so that the notes name an event in words rather than by its id."""
    words = _Words(event_words(events or {}), _stage_ids(data))
    title = page_title(data)
    years = column_heads(data)
    shown = [_section(t, years, words, i) for i, t in enumerate(tables(data, labels))]
    parts = [
        "<!doctype html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(title)}</h1>",
        *_refused(data),
        f"<p>Complaints received from {in_words(data['from'])} to {in_words(data['to'])}, "
        f"the year {escape(data['year'])}"
        + (f", beside the {len(years) - 1} years before it" if len(years) > 1 else "")
        + ". Under each table, a note says how it was counted; each chart shows the figures of "
        "the table beside it.</p>",
        '<nav class="contents" aria-label="Contents"><ol>'
        + "".join(f'<li><a href="#{key}">{escape(name)}</a></li>' for key, name, _ in shown)
        + "</ol></nav>",
        *(html for _, _, html in shown),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def page_title(data: Mapping[str, Any]) -> str:
    """`<council>: children's social care complaints, 1 April 2024 to 31 March 2025`; without
    the council's name when the report has none (it mixes councils, or does not say)."""
    period = f"{in_words(data['from'])} to {in_words(data['to'])}"
    council = data.get("council")
    name = council.get("name") if isinstance(council, Mapping) else None
    if name:
        return f"{name}: children's social care complaints, {period}"
    return f"Children's social care complaints, {period}"


def in_words(day: str | dt.date) -> str:
    """A date as a reader writes it: `1 April 2024`."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def event_words(descriptions: Mapping[str, str]) -> dict[str, str]:
    """Each event named as a day: `The council received the complaint.` gives `the day the
    council received the complaint`, which reads wherever a note names the event."""
    found = {}
    for event, description in descriptions.items():
        clause = re.split(r"[;.]\s|\.$", description.strip(), maxsplit=1)[0].strip()
        if not clause:
            continue
        if clause[:2] != clause[:2].upper():  # `The council` -> `the council`; `LGSCO` stays
            clause = clause[0].lower() + clause[1:]
        found[event] = f"the day {clause}"
    return found


def stage_words(stage: str) -> str:
    """A stage's id as a council writes it: its words, the first capitalised."""
    words = stage.replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


class _Words:
    """Puts the tables' and notes' ids into words: events, stages, keys and dates."""

    def __init__(self, events: Mapping[str, str], stages: Sequence[str]) -> None:
        self.events = events
        self.stages = {stage: stage_words(stage) for stage in stages}
        self.bare = (
            re.compile("(?<![\\w-])(" + "|".join(re.escape(s) for s in self.stages) + ")(?![\\w-])")
            if stages
            else None
        )

    def __call__(self, text: str) -> str:
        text = ISO_DATE.sub(lambda m: in_words(m.group(0)), text)
        text = QUOTED_ID.sub(self._quoted, text)
        if self.bare is not None:
            text = self.bare.sub(lambda m: self.stages[m.group(1)], text)
        return text

    def _quoted(self, match: re.Match[str]) -> str:
        article, name = match.group(1) or "", match.group(2)
        if name in self.events:  # `the day ...` brings its own article
            words = self.events[name]
            return words[:1].upper() + words[1:] if article.startswith("T") else words
        if name in self.stages:
            return article + self.stages[name]
        return article + name.replace("_", " ").replace("-", " ")


def _stage_ids(data: Mapping[str, Any]) -> list[str]:
    found: dict[str, None] = {}
    for key in ("outcomes", "response_times", "escalations"):
        section = data.get(key)
        if isinstance(section, Mapping):
            found.update(dict.fromkeys(section))
    return list(found)


def _refused(data: Mapping[str, Any]) -> list[str]:
    """The page's only word on the records' problems: how many records it could not count."""
    refused = data.get("refused") or {}
    count = refused.get("count", 0) if isinstance(refused, Mapping) else 0
    if not count:
        return []
    records = "1 record" if count == 1 else f"{count:,} records"
    return [
        f'<p class="notice"><strong>{records} could not be counted</strong> and '
        f"{'is' if count == 1 else 'are'} not in these figures. The list of them is kept "
        "separately by the council's complaints team.</p>"
    ]


def _section(table: Table, years: list[str], words: _Words, index: int) -> tuple[str, str, str]:
    """(its id, its title, its HTML): the table, its chart and its note, kept together."""
    key = f"t{index + 1}-{table.key}"
    title = words(table.title)
    heads = table.heads or years
    spelt = [any(isinstance(v[i], str) for _, v in table.rows) for i in range(len(table.heads))]
    # "2023-24 as published" on two lines, so that the columns stay narrow
    head = "".join(
        '<th scope="col"' + (' class="words"' if i < len(spelt) and spelt[i] else "") + ">"
        f"{escape(y).replace(' ', '<br>', 1) if not table.heads else escape(y)}</th>"
        for i, y in enumerate(heads)
    )
    body = _body(table, len(heads), words)
    html = [
        f'<section class="figures" id="{key}" aria-labelledby="{key}-h">',
        f'<h2 id="{key}-h">{escape(title)}</h2>',
        f'<div class="scroll" tabindex="0" role="region" aria-labelledby="{key}-h">'
        f"<table><caption>{escape(title)}</caption>"
        f'<thead><tr><th scope="col"><span class="hidden">Counted</span></th>{head}</tr></thead>'
        f"{body}</table></div>",
    ]
    if table.chart:
        html.append(_chart(table, title, years, words, key))
    if table.note:
        html.append(f'<p class="note">{escape(words(table.note))}</p>')
    html.append("</section>")
    return key, title, "".join(html)


def _body(table: Table, columns: int, words: _Words) -> str:
    """The table's rows; a heading and the rows under it in a `tbody` of their own, the
    heading's cell its row group's header, so that a screen reader names it with each row."""
    parts, grouped = ["<tbody>"], False
    for label, kind, _, values in labelled(table):
        if kind == GROUP or (grouped and kind != SUB):
            parts.append("</tbody><tbody>")
            grouped = kind == GROUP
        scope = ' scope="rowgroup" class="group"' if kind == GROUP else ' scope="row"'
        scope += ' class="sub"' if kind == SUB else ""
        cells = "".join(_cell(v, table.unit) for v in values) if values else "<td></td>" * columns
        parts.append(f"<tr><th{scope}>{escape(words(label))}</th>{cells}</tr>")
    parts.append("</tbody>")
    return "".join(parts).replace("<tbody></tbody>", "")


def _cell(value: Any, unit: str) -> str:
    """A figure with its unit (a percentage's sign); a year with no figure says so."""
    if value is None or value == "no data":
        return '<td class="none">no data</td>'
    if isinstance(value, str):  # words, such as an action agreed: read as a sentence
        return f'<td class="words">{escape(value)}</td>'
    return f"<td>{escape(_number(value))}{escape(unit) if _is_number(value) else ''}</td>"


def _number(value: Any) -> str:
    if isinstance(value, bool) or not _is_number(value):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# -- the chart --------------------------------------------------------------------------------


def _chart(table: Table, title: str, years: list[str], words: _Words, key: str) -> str:
    """A bar chart of the table, each bar labelled with its figure: a group of bars per row,
    one bar per year that has figures in this table. It is a picture of the table beside it,
    which stays what a screen reader reads: its accessible name says so, and no more."""
    rows = [
        (words(f"{heading}: {label}" if heading else label), values)
        for label, _, heading, values in _charted(table)
    ]
    rows = [(label, values) for label, values in rows if not label.startswith("Total")]
    shown = [0] + [
        i
        for i in range(1, len(years))
        if any(_is_number(v[i]) and v[i] for _, v in rows)  # a year with nothing to draw: out
    ]
    top = max([v[i] for _, v in rows for i in shown if _is_number(v[i])] + [1])
    scale = (WIDTH - VALUE_ROOM) / top
    legend, top_of_bars = _key(years, shown, key)
    shapes, y = [legend], top_of_bars
    for label, values in rows:
        for line in _wrapped(label):
            y += FONT + 2
            shapes.append(f'<text x="0" y="{y}" font-size="{FONT}">{escape(line)}</text>')
        y += 4
        for i in shown:
            shapes.append(_bar(values[i], i, y, scale, key))
            y += STEP
        y += ROW_GAP
    name = (
        f"Bar chart of {title}, {', '.join(years[i] for i in shown)}: the table gives the figures"
    )
    return (
        f'<svg class="chart" role="img" aria-label="{escape(name)}" width="{WIDTH}" '
        f'height="{y}" viewBox="0 0 {WIDTH} {y}" xmlns="http://www.w3.org/2000/svg">'
        f"<defs>{''.join(_pattern(i, key) for i in shown if i)}</defs>" + "".join(shapes) + "</svg>"
    )


def _charted(table: Table) -> list[tuple[str, str, str | None, tuple[Any, ...]]]:
    """The rows a chart draws: each with figures, but not the rows under a heading that gives
    their sum (the heading's bar stands for them), so that no case is drawn twice."""
    found = list(labelled(table))
    summed = {label for label, kind, _, values in found if kind == GROUP and values}
    return [
        (label, kind, heading, values)
        for label, kind, heading, values in found
        if values and not (kind == SUB and heading in summed)
    ]


def _bar(value: Any, year: int, y: int, scale: float, key: str) -> str:
    """One year's bar and its figure beside it; `no data` where the year has none."""
    middle = y + BAR - 3
    if not _is_number(value):
        return f'<text x="0" y="{middle}" font-size="{FONT - 1}" fill="#595959">no data</text>'
    width = max(value * scale, 1.5 if value else 0)
    return (
        f'<rect x="0" y="{y}" width="{width:.1f}" height="{BAR}" fill="{_fill(year, key)}"/>'
        f'<text x="{width + 5:.1f}" y="{middle}" font-size="{FONT - 1}">{escape(_number(value))}</text>'
    )


def _key(years: list[str], shown: list[int], key: str) -> tuple[str, int]:
    """The years' colours and patterns, along the top (on more lines if they need them); and
    the height they take."""
    parts, x, y = [], 0, 4
    for i in shown:
        width = 19 + 8 * len(years[i]) + 14
        if x and x + width > WIDTH:
            x, y = 0, y + 20
        parts.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{_fill(i, key)}"/>'
            f'<text x="{x + 19}" y="{y + 12}" font-size="{FONT}">{escape(years[i])}</text>'
        )
        x += width
    return "".join(parts), y + 22


def _pattern(year: int, key: str) -> str:
    mark = PATTERNS[year % len(PATTERNS)]
    return (
        f'<pattern id="{key}-y{year}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{COLOURS[year % len(COLOURS)]}"/>{mark}</pattern>'
    )


def _fill(year: int, key: str) -> str:
    return f"url(#{key}-y{year})" if year else COLOURS[0]


def _wrapped(label: str) -> list[str]:
    """The label on as few lines as fit the chart's width, never cut."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_CHARACTERS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


# -- the records' problems, kept off the page ---------------------------------------------------


def problems(data: Mapping[str, Any]) -> str:
    """The records' problems as CSV, one row per case: the records refused (not counted) and the
    warnings replay gave, with the case's reference. For the complaints team, never for the
    public page: `kind,warning,case,detail`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["kind", "warning", "case", "detail"])
    refused = data.get("refused") or {}
    listed = refused.get("cases", [])
    for entry in listed:
        writer.writerow(["not counted", "", entry.get("case", ""), entry.get("why", "")])
    unlisted = refused.get("count", 0) - len(listed)
    if unlisted > 0:
        writer.writerow(["not counted", "", "", f"{unlisted} more record(s), not listed"])
    for code, entry in (data.get("warnings") or {}).items():
        for reference in entry.get("cases", []):
            writer.writerow(["warning", code, reference, ""])
        more = entry.get("count", 0) - len(entry.get("cases", []))
        if more > 0:
            writer.writerow(["warning", code, "", f"{more} more case(s), not listed"])
    return buffer.getvalue()


def problem_counts(data: Mapping[str, Any]) -> tuple[int, int]:
    """(records not counted, warnings given) in the document."""
    refused = (data.get("refused") or {}).get("count", 0)
    warned = sum(entry.get("count", 0) for entry in (data.get("warnings") or {}).values())
    return refused, warned
