"""`csc-rules sources`: every quotation in a `sources:` entry looked up in the saved text of the
document it cites, with whitespace, quotation marks, dashes and case folded."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import WARNING, Diagnostic, Path_, display_path

if TYPE_CHECKING:
    from ..procedures.vocabulary import Document as Cited
    from ..reading.loader import Document

# A quotation is text between straight double quotes after the document's id and its `: `.
_QUOTED = re.compile(r'"([^"]+)"')
_FOLDS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201f": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)


def folded(text: str) -> str:
    """`text` as quotations are compared: curly quotes straight, every dash a hyphen, runs of
    whitespace one space, and lower case."""
    return re.sub(r"\s+", " ", text.translate(_FOLDS)).strip().casefold()


@dataclass(frozen=True)
class Checked:
    """What `sources` found: how many quotations it looked up, found, and could not check for
    want of a saved text, and every problem (a quotation not found, an error; a document quoted
    with no saved text, a warning)."""

    quotations: int
    found: int
    unchecked: int
    diagnostics: tuple[Diagnostic, ...]

    def failed(self, strict: bool = False) -> bool:
        return any(d.is_error or strict for d in self.diagnostics)

    def summary(self) -> str:
        missing = self.quotations - self.found - self.unchecked
        unread = sum(1 for d in self.diagnostics if d.code == NO_TEXT)
        return (
            f"{self.quotations} quotations: {self.found} found, {missing} not found, "
            f"{self.unchecked} not checked ({unread} documents quoted with no saved text)"
        )


NOT_FOUND = "quotation-not-found"
NO_TEXT = "no-saved-text"


def check_quotations(paths: Sequence[Path] = (), documents: Path | None = None) -> Checked:
    """Every quotation in the files `paths` names (default: the whole library), looked up in the
    saved text of the document it cites: in `documents` if given, else in the folder beside the
    file that lists the document (councils/<id>/documents/, rules/documents/)."""
    from ..procedures.library import library
    from ..reading.locations import kind_of
    from ..validation.run import expand

    lib = library()
    files, problems = expand(list(paths)) if paths else (lib.files.paths(), [])
    texts = _Texts(documents)
    count = found = 0
    unread: dict[str, tuple[Cited, int]] = {}
    for path in files:
        document, trouble = lib.files.load(path)
        problems.extend(d for d in trouble if d.is_error)
        if document is None or kind_of(document.data) is None:
            continue
        cited = {d.id: d for d in lib.vocabulary.documents(_council(document.data))}
        for at, document_id, quote in _quotations(document):
            count += 1
            target = cited.get(document_id)
            text = texts.of(target) if target is not None else None
            if target is None or text is None:
                if target is not None:
                    unread[target.id] = (target, unread.get(target.id, (target, 0))[1] + 1)
                continue
            if folded(quote) in text:
                found += 1
            else:
                near = nearest(folded(quote), text)
                problems.append(_not_found(document, at, target, quote, texts.where(target), near))
    problems.extend(_no_text(cited, n, texts.where(cited)) for cited, n in unread.values())
    unchecked = sum(n for _, n in unread.values())
    return Checked(count, found, unchecked, tuple(problems))


def _council(data: object) -> str | None:
    """Whose documents a file may quote: a council file's and its procedures' council's; a
    baseline's or the vocabulary's, every council's (None)."""
    from ..procedures.library import library
    from ..reading.locations import council_file

    if not isinstance(data, dict):
        return None
    named = data.get("council") or str(data.get("procedure", "")).partition("/")[0]
    if isinstance(named, str) and council_file(named, library().root) is not None:
        return named
    return None


def _quotations(document: Document) -> Iterator[tuple[Path_, str, str]]:
    """(where, document cited, quotation) of every quotation in a file's sources."""
    from ..validation.semantics import citations

    for at, source in citations(document.data, ()):
        cited, _, rest = source.partition(": ")
        for quote in _QUOTED.findall(rest):
            yield at, cited, quote


class _Texts:
    """The saved texts of documents, each read and folded once."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._folded: dict[Path, str | None] = {}

    def where(self, cited: Cited) -> Path | None:
        """Where the document's saved text is, if it names one: in the `documents/` folder
        beside the file that lists it, else in the folder --documents gave; where it should be
        (that `documents/` folder) when it is in neither."""
        from ..reading.locations import is_file

        if cited.text is None:
            return None
        own = cited.listed_in.parent / "documents" / cited.text
        if self.folder is not None and not is_file(own) and is_file(self.folder / cited.text):
            return self.folder / cited.text
        return own

    def of(self, cited: Cited) -> str | None:
        """The document's saved text, folded; None if it has none, or it is not there."""
        from ..reading.files import read_text
        from ..reading.locations import is_file

        path = self.where(cited)
        if path is None:
            return None
        if path not in self._folded:
            text = read_text(path)[0] if is_file(path) else None
            self._folded[path] = folded(text) if text is not None else None
        return self._folded[path]


def nearest(quote: str, text: str) -> str | None:
    """The run of words in `text` (folded) most like `quote` (folded), if one is close enough to
    be what was meant: as many words as the quotation, at least 60% alike."""
    from difflib import SequenceMatcher

    def bare(word: str) -> str:  # words compared without the punctuation around them
        return word.strip(".,;:!?()[]\"'")

    wanted, words = [bare(w) for w in quote.split()], text.split()
    if not wanted or len(words) < len(wanted):
        return None
    keys = [bare(w) for w in words]
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    best, where = 0.6, None
    for start in range(len(words) - len(wanted) + 1):
        matcher.set_seq1(keys[start : start + len(wanted)])
        if matcher.real_quick_ratio() > best and matcher.ratio() > best:
            best, where = matcher.ratio(), start
    return None if where is None else " ".join(words[where : where + len(wanted)])


def _not_found(
    document: Document,
    at: Path_,
    cited: Cited,
    quote: str,
    text: Path | None,
    near: str | None = None,
) -> Diagnostic:
    shown = quote if len(quote) <= 80 else quote[:77] + "..."
    nearest_words = f'; the nearest words in it are "{near}"' if near else ""
    return document.diagnostic(
        at,
        NOT_FOUND,
        f'"{shown}" is not in {cited.id} ({display_path(text) if text else "its saved text"}), '
        "even with whitespace, quotation marks, dashes and case set aside: quote the "
        f"document's own words exactly, or cite its section without quoting{nearest_words}",
    )


def _no_text(cited: Cited, quotations: int, where: Path | None) -> Diagnostic:
    """A warning at the document's entry in the file that lists it."""
    from ..procedures.library import library

    if where is None:
        why = "its entry names no saved copy of its text: add `text:` with the file's name"
    else:
        why = f"its saved text is not at {display_path(where)}: save it there, or give --documents DIR with a copy named {cited.text}"
    message = f"{quotations} quotation(s) of `{cited.id}` not checked: {why}"
    listing, _ = library().files.load(cited.listed_in)
    if listing is None:
        return Diagnostic(display_path(cited.listed_in), 1, 1, WARNING, NO_TEXT, message)
    return listing.diagnostic(("documents", cited.id), NO_TEXT, message, key=True, severity=WARNING)


__all__ = ["NOT_FOUND", "NO_TEXT", "Checked", "check_quotations", "folded", "nearest"]
