"""How easy the children's page is to read, by textstat's Flesch-Kincaid grade level.

The target is a reading age of ten to eleven: a US school grade of 5 at most (grade + 5 gives
the reader's age in years), the level of the Flesch-Kincaid formula textstat computes. The
Flesch reading ease is given beside it (90 and above reads as "very easy")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import ReadabilityError

# The highest Flesch-Kincaid grade a ten-to-eleven-year-old reads with ease (US grade 5).
TARGET_GRADE = 5.0
READER = "a reader of 10 to 11"
_SENTENCE = re.compile(r"(?<=[.?!])\s+")


@dataclass(frozen=True)
class Readability:
    grade: float  # Flesch-Kincaid grade level
    ease: float  # Flesch reading ease, 0-100, higher is easier
    words: int
    sentences: int
    hardest: tuple[tuple[float, str], ...]  # the sentences with the highest grade, hardest first

    @property
    def meets_target(self) -> bool:
        return self.grade <= TARGET_GRADE

    def to_json(self) -> dict[str, Any]:
        return {
            "measure": "Flesch-Kincaid grade level (textstat)",
            "grade": round(self.grade, 1),
            "reading_ease": round(self.ease, 1),
            "target_grade": TARGET_GRADE,
            "meets_target": self.meets_target,
            "words": self.words,
            "sentences": self.sentences,
            "hardest": [{"grade": round(g, 1), "sentence": s} for g, s in self.hardest],
        }

    def summary(self) -> str:
        verdict = "meets" if self.meets_target else "misses"
        return (
            f"Flesch-Kincaid grade {self.grade:.1f}, reading ease {self.ease:.0f} "
            f"({self.words} words); {verdict} the target of grade {TARGET_GRADE:g} or below "
            f"for {READER}"
        )


def measure(text: str, hardest: int = 3) -> Readability:
    """The readability of `text`, with its `hardest` hardest sentences."""
    try:
        return _measure(text, hardest)
    except Exception as exc:  # noqa: BLE001 - textstat's own failures, whatever they are
        first = (str(exc).strip().splitlines() or [""])[0].strip("* ")
        raise ReadabilityError(
            f"the readability of the children's pages could not be measured: textstat failed "
            f"({type(exc).__name__}{': ' + first if first else ''}); reinstall csc-rules so that "
            "it brings textstat 0.7.5 to 0.7.8, which carry their own dictionary"
        ) from None


def _measure(text: str, hardest: int) -> Readability:
    import textstat  # type: ignore[import-untyped]  # imported here: it loads a dictionary

    sentences = [s for s in _SENTENCE.split(text.replace("\n", " ").strip()) if s]
    graded = sorted(
        ((float(textstat.flesch_kincaid_grade(s)), s) for s in sentences),
        key=lambda pair: -pair[0],
    )
    return Readability(
        grade=float(textstat.flesch_kincaid_grade(text)),
        ease=float(textstat.flesch_reading_ease(text)),
        words=int(textstat.lexicon_count(text)),
        sentences=len(sentences),
        hardest=tuple(graded[:hardest]),
    )
