"""The staff pages: each procedure's summary with a stage diagram drawn for the page, its notes
(where the documents conflict or are uncertain, and what is encoded), the children's page's
readability, and the comparison of every procedure. The summary and the comparison are the
markdown `show` and `diff --all` print, rendered to HTML, so the pages never say other things."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .._words import joined
from ..procedures.compiler import CompiledProcedure, to_json
from ..reports.comparison import document_name
from .page import esc, heading, source_items
from .readability import Readability
from .statements import SIDES


def render_markdown(text: str, fence: Callable[[str, str], str] | None = None) -> str:
    """Markdown as HTML with any HTML in it escaped; wide tables scroll in their own region;
    `fence(info, code)` may draw a fenced block (the stage graph) instead of showing its code."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    if fence is not None:
        default = md.renderer.rules["fence"]  # type: ignore[attr-defined]

        def draw(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
            token = tokens[idx]
            drawn = fence(token.info.strip(), token.content)
            if drawn:
                return drawn
            return str(default(tokens, idx, options, env))

        md.add_render_rule("fence", draw)
    rendered = str(md.render(text))
    # table cells join lines with <br>, which the escaping above turned into text
    rendered = rendered.replace("&lt;br&gt;", "<br>")
    count = iter(range(1, 10_000))
    return re.sub(
        r"<table>",
        lambda _: (
            f'<div class="table-wrap" role="region" tabindex="0" aria-label="Table {next(count)}, scrolls sideways"><table>'
        ),
        rendered,
    ).replace("</table>", "</table></div>")


def untitled(rendered: str) -> str:
    """Rendered markdown without its first-level title, for a page that has its own h1."""
    return re.sub(r"^\s*<h1>.*?</h1>", "", rendered, count=1, flags=re.S)


def _notes(procedure: CompiledProcedure, documents: Mapping[str, str]) -> str:
    if not procedure.notes:
        return ""
    items = []
    for note in procedure.notes:
        kind = {"conflict": "Conflict", "uncertain": "Uncertain"}.get(
            note.kind, note.kind.capitalize()
        )
        binding = (
            f"<p><strong>Encoded as binding:</strong> {esc(note.binding)}</p>"
            if note.binding
            else ""
        )
        if note.between:  # what the public pages say disagrees, and which they follow
            sides = joined([SIDES.get(side, side) for side in note.between], "and")
            follows = SIDES.get(note.follows or "", note.follows or "")
            binding += f"<p><strong>Between:</strong> {esc(sides)}; follows {esc(follows)}.</p>"
        items.append(
            f'<li class="note note-{esc(note.kind)}"><p><span class="tag">{esc(kind)}</span> '
            f"<strong>{esc(note.id)}</strong> (concerns {esc(', '.join(note.concerns))})</p>"
            f"<p>{esc(note.description)}</p>{binding}"
            f"<details><summary>Sources</summary><ul>{source_items(note.sources, documents)}</ul></details></li>"
        )
    return (
        '<section aria-labelledby="notes"><h2 id="notes">Where the documents conflict or are '
        f'uncertain</h2><ul class="notes">{"".join(items)}</ul></section>'
    )


def _with_care(
    procedure: CompiledProcedure, documents: Mapping[str, str], caveats: Mapping[str, str]
) -> str:
    """The documents the procedure cites that say they are undated or incomplete, with why."""
    cited = dict.fromkeys(s.partition(": ")[0] for s in cited_sources(to_json(procedure)))
    items = [
        f"<li><strong>{esc(document_name(d, documents))}</strong>: {esc(caveats[d])}</li>"
        for d in cited
        if d in caveats
    ]
    if not items:
        return ""
    return (
        '<section aria-labelledby="with-care"><h2 id="with-care">Documents to read with care'
        f'</h2><ul class="notes">{"".join(items)}</ul></section>'
    )


def cited_sources(data: Any) -> Iterator[str]:
    """Every `sources:` entry anywhere in a compiled procedure's JSON, in order."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "sources" and isinstance(value, list):
                yield from (s for s in value if isinstance(s, str))
            else:
                yield from cited_sources(value)
    elif isinstance(data, list):
        for value in data:
            yield from cited_sources(value)


def _readability(score: Readability | None) -> str:
    if score is None:
        return ""
    hardest = "".join(
        f"<li>grade {grade:.1f}: {esc(sentence)}</li>" for grade, sentence in score.hardest
    )
    return (
        '<section aria-labelledby="readability"><h2 id="readability">Readability of the '
        f"children's page</h2><p>{esc(score.summary())}.</p>"
        f"<p>The hardest sentences:</p><ul>{hardest}</ul></section>"
    )


def body(
    procedure: CompiledProcedure,
    council_name: str,
    summary_markdown: str,
    diagram: str,
    documents: Mapping[str, str],
    score: Readability | None,
    links: str,
    caveats: Mapping[str, str] | None = None,
) -> str:
    def fence(info: str, code: str) -> str:
        if info != "mermaid":
            return ""
        return f'<figure class="diagram">{diagram}</figure>'

    # the summary's own title repeats the page's h1
    summary = untitled(render_markdown(summary_markdown, fence))
    summary = re.sub(
        r"<p>States are the rounded boxes.*?</p>",
        "<p>Each box is a state a case can be in, in the band of its stage, with the time limits "
        "that arriving in it starts; the arrows are the events that move a case on.</p>",
        summary,
        count=1,
        flags=re.S,
    )
    return (
        f"<h1>{esc(heading(council_name, procedure.title))}: for staff</h1>{links}"
        f'<section aria-label="Summary" class="staff-summary">{summary}</section>'
        f"{_notes(procedure, documents)}{_with_care(procedure, documents, caveats or {})}"
        f"{_readability(score)}"
    )
