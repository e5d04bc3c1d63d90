"""Reading what users write, within bounds: YAML with the place of every key and value, JSON
from outside, the JSON Schemas in rules/, where the library's folders are, and `extends` laid
over a baseline. Nothing here knows what a procedure means."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._faces import lazy

if TYPE_CHECKING:
    from .bounds import Bound
    from .files import read_text, replace_whole
    from .inheritance import Resolved, resolve
    from .loader import Document, load, parse
    from .locations import council_file, council_names, data_root, library_files

__all__ = [
    "Bound",
    "Document",
    "Resolved",
    "council_file",
    "council_names",
    "data_root",
    "library_files",
    "load",
    "parse",
    "read_text",
    "replace_whole",
    "resolve",
]

__getattr__, __dir__ = lazy(
    __name__,
    {
        "Bound": "bounds",
        "Document": "loader",
        "Resolved": "inheritance",
        "council_file": "locations",
        "council_names": "locations",
        "data_root": "locations",
        "library_files": "locations",
        "load": "loader",
        "parse": "loader",
        "read_text": "files",
        "replace_whole": "files",
        "resolve": "inheritance",
    },
)
