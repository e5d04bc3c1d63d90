"""Values still holding a placeholder that `csc-rules new` wrote, such as
`<the team's phone number>`: each is an error until the council's own value replaces it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..diagnostics import Diagnostic, Locator, Path_

# Two or more words in angle brackets, as `new` writes them (`<the team's phone number>`).
# Markup such as `<b>` or `<a href="...">` is not one: a text is shown as written, however it looks.
PLACEHOLDER = re.compile(r"<[a-z][a-z'-]*(?: [^<>=/\"!&\n]+)+>")


def check(data: Any, where: Locator, path: Path_ = ()) -> Iterator[Diagnostic]:
    """Every value under `data` holding a placeholder. A source's is left to the check that
    its document is known, which says what to cite."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key != "sources":
                yield from check(value, where, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from check(value, where, path + (index,))
    elif isinstance(data, str):
        found = PLACEHOLDER.search(data)
        if found:
            at = ".".join(str(p) for p in path)
            yield where.diagnostic(
                path,
                "placeholder",
                f"`{at}` still holds the placeholder `{found.group()}` that `csc-rules new` "
                "wrote: put the council's own value here, or delete the line",
            )
