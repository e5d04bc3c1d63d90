"""The page for children and young people: the procedure in the plain words of its rules, section
by section, with where each section comes from."""

from __future__ import annotations

from collections.abc import Mapping

from ..procedures.compiler import CompiledProcedure
from .page import NO_DOCUMENT, documents_cited, esc, said, slug, unique_ids
from .plain_words import Section, children_sections


def source_line(section: Section, documents: Mapping[str, str]) -> str:
    """Where a section comes from: the documents that support it, by title; where it rests only
    on a reading of documents that say nothing on the point, that no document says it."""
    cited = documents_cited(section.sources, documents)
    if cited:
        return f"This comes from: {'; '.join(cited)}."
    if any(s.sources for p in section.paragraphs for s in p):
        return NO_DOCUMENT
    return "This comes from: the procedure's calendar."


def body(
    procedure: CompiledProcedure,
    council_name: str,
    documents: Mapping[str, str],
    contact: str,
    links: str,
) -> str:
    sections = children_sections(procedure)
    ids = unique_ids(f"section-{slug(s.heading)}" for s in sections)
    contents = "".join(
        f'<li><a href="#{i}">{esc(s.heading)}</a></li>' for i, s in zip(ids, sections, strict=True)
    )
    parts = []
    for anchor, section in zip(ids, sections, strict=True):
        paragraphs = "".join(f"<p>{said(p)}</p>" for p in section.paragraphs)
        parts.append(
            f'<section class="plain-section" aria-labelledby="{anchor}">'
            f'<h2 id="{anchor}">{esc(section.heading)}</h2>{paragraphs}'
            f'<p class="source-line">{esc(source_line(section, documents))}</p></section>'
        )
    return (
        f"<h1>Making a complaint to {esc(council_name)}</h1>"
        '<p class="lede">A guide for children and young people about complaining to the '
        "council's children's social care services.</p>"
        f"{links}"
        f'<nav aria-label="On this page" class="contents"><h2 class="contents-heading">'
        f"On this page</h2><ul>{contents}</ul></nav>"
        f"{''.join(parts)}{contact}"
    )
