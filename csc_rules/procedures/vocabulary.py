"""What rules/vocabulary.yaml declares for the whole library (the roles that act, the facts a case
may state, the grounds of an extension, the documents a source may cite, how the annual report
counts), with the documents and facts each council adds in its council.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DefinitionError
from ..reading.files import file_problem
from ..reading.locations import council_file, council_names

if TYPE_CHECKING:
    from .checker import Checker
    from .files import Files


class Vocabulary:
    """The library's vocabulary, read through its files (so parsed once a process)."""

    def __init__(self, files: Files, checker: Checker) -> None:
        self.files = files
        self.checker = checker

    @property
    def path(self) -> Path:
        return self.files.root / "rules" / "vocabulary.yaml"

    def facts(self, council: str | None = None) -> dict[str, Any]:
        """The facts declared, with their types and values: the shared ones and `council`'s
        own (every council's, when none is named)."""
        facts = self._data().get("facts", {})
        found = dict(facts) if isinstance(facts, dict) else {}
        for _, data in self._councils(council).values():
            own = data.get("facts")
            if isinstance(own, dict):
                found.update({k: v for k, v in own.items() if k not in found})
        return found

    def roles(self) -> dict[str, str]:
        """Who may act in a procedure, each with who they are."""
        roles = self._data().get("roles", {})
        return {str(k): str(v) for k, v in roles.items()} if isinstance(roles, dict) else {}

    def grounds(self) -> dict[str, str]:
        """The grounds on which a limit may be extended, each with what it is."""
        grounds = self._data().get("grounds", {})
        return {str(k): str(v) for k, v in grounds.items()} if isinstance(grounds, dict) else {}

    def document_names(self, council: str | None = None) -> dict[str, str]:
        """The documents a source may cite, each with the name outputs give it: the shared
        ones and `council`'s own (every council's, when none is named)."""
        return {d.id: d.name for d in self.documents(council)}

    def documents(self, council: str | None = None) -> list[Document]:
        """The documents a source may cite, shared ones first: the shared ones and `council`'s
        own (every council's, when none is named); one a council lists is its own even if
        another council or the vocabulary lists it too."""
        found = {d.id: d for d in documents_in(self._data(), None, self.path)}
        for owner, (path, data) in self._councils(council).items():
            for document in documents_in(data, owner, path):
                found.setdefault(document.id, document)
        return list(found.values())

    def _councils(self, council: str | None) -> dict[str, tuple[Path, dict[str, Any]]]:
        """The path and data of `council`'s file (of every council's, when None), by council;
        a file that cannot be read adds nothing (validate says why)."""
        root = self.files.root
        found = {}
        for name in council_names(root) if council is None else [council]:
            path = council_file(name, root)
            document, _ = self.files.load(path) if path is not None else (None, [])
            if path is not None and document is not None and isinstance(document.data, dict):
                found[name] = (path, document.data)
        return found

    def report_frame(self) -> dict[str, Any]:
        """How the annual report counts (the `annual_report` section), checked first:
        DefinitionError, located, if the vocabulary is broken or lacks it."""
        self.checker.sound(self.path)
        document, _ = self.files.load(self.path)
        frame = document.data.get("annual_report") if document is not None else None
        if not isinstance(frame, dict):
            raise DefinitionError(
                [
                    file_problem(
                        self.path,
                        "missing-key",
                        "the vocabulary has no `annual_report` section saying how the report counts",
                    )
                ]
            )
        return frame

    def _data(self) -> dict[str, Any]:
        document, problems = self.files.load(self.path)
        if document is None or not isinstance(document.data, dict):
            raise DefinitionError(problems)
        return document.data


@dataclass(frozen=True)
class Document:
    """A document sources may cite: its id (what a source names), the name outputs give it,
    whose it is (a council's id, None if shared), its saved text's file name if it has one,
    the file that lists it, and what to read it with care for (undated, incomplete), if any."""

    id: str
    name: str
    council: str | None
    text: str | None
    listed_in: Path
    caveat: str | None = None


def documents_in(data: Mapping[str, Any], council: str | None, path: Path) -> list[Document]:
    """The documents a vocabulary or council file lists under `documents:`."""
    listed = data.get("documents")
    if not isinstance(listed, dict):
        return []
    return [
        Document(str(k), document_name(v), council, _text_of(v), path, _caveat(v))
        for k, v in listed.items()
    ]


def document_name(value: Any) -> str:
    """A document's name in outputs: its description, or `publisher, title`."""
    if isinstance(value, Mapping):
        return ", ".join(str(value[k]) for k in ("publisher", "title") if value.get(k))
    return str(value)


def _caveat(value: Any) -> str | None:
    """`undated: <why>; incomplete: <what it lacks>`, for a document that says either."""
    if not isinstance(value, Mapping):
        return None
    said = []
    if value.get("undated") is True:
        said.append(f"undated: {value.get('reason', 'no reason given')}")
    if isinstance(value.get("incomplete"), str):
        said.append(f"incomplete: {value['incomplete']}")
    return "; ".join(said) or None


def _text_of(value: Any) -> str | None:
    text = value.get("text") if isinstance(value, Mapping) else None
    return text if isinstance(text, str) else None
