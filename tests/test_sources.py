"""Every quotation in a `sources:` entry is found, word for word, in the document it cites."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import SEEDS
from csc_rules.reading.loader import load
from csc_rules.reading.locations import library_files

QUOTE = re.compile(r'^(?P<document>[^:]+\.txt): .*?"(?P<quote>[^"]+)"')


def normalise(text: str) -> str:
    text = (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
    )
    return re.sub(r"\s+", " ", text).strip().lower()


def _sources(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "sources" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _sources(value)
    elif isinstance(data, list):
        for value in data:
            yield from _sources(value)


def quotations() -> list[tuple[str, str, str]]:
    found = []
    for path in library_files():
        document, _ = load(path)
        assert document is not None
        for source in _sources(document.data):
            match = QUOTE.match(source)
            if match:
                found.append((path.name, match["document"], match["quote"]))
    return found


QUOTATIONS = quotations()


def test_quotations_were_found() -> None:
    assert len(QUOTATIONS) > 50


@pytest.mark.skipif(
    not SEEDS.is_dir(), reason="the seed documents (shared/seeds) are not beside this checkout"
)
@pytest.mark.parametrize(
    ("where", "document", "quote"), QUOTATIONS, ids=[f"{q[0]}:{q[2][:30]}" for q in QUOTATIONS]
)
def test_quotation_is_in_the_cited_document(where: str, document: str, quote: str) -> None:
    text = normalise((SEEDS / document).read_text(encoding="utf-8"))
    assert normalise(quote) in text, f"{where} quotes {quote!r}, which {document} does not contain"
