"""The engine knows no council: councils live in councils/ and nowhere else."""

from __future__ import annotations

import re

from conftest import ROOT
from csc_rules.reading.loader import load


def council_words() -> set[str]:
    words = set()
    for council in (ROOT / "councils").glob("*/council.yaml"):
        document, _ = load(council)
        words.add(document.data["council"])
        words.update(
            w
            for w in re.findall(r"[A-Za-z]+", document.data["name"])
            if w not in {"Council", "and", "West"}
        )
    return {w.lower() for w in words}


def test_engine_names_no_council_and_no_stage() -> None:
    words = council_words()
    assert {"sefton", "islington", "cheshire-west", "cheshire", "chester"} <= words
    for source in (ROOT / "csc_rules").rglob("*.py"):
        text = source.read_text(encoding="utf-8").lower()
        named = sorted(w for w in words if w in text)
        assert named == [], f"{source.name} names {named}"
        assert not re.search(r"stage-\d", text), f"{source.name} names a stage"
