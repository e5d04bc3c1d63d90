"""The versions of a procedure, and which of them is in force on a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NotFoundError, NotInForceError

if TYPE_CHECKING:
    from .catalogue import Catalogue


class Versions:
    """The dated versions of each procedure of the catalogue, listed once a procedure, since a
    batch asks for the version in force once a case."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._dated: dict[str, list[tuple[str, Path]]] = {}

    def choose(
        self, procedure_id: str, on: dt.date | None = None, *, earliest: bool = False
    ) -> Path:
        """The file of the version of `procedure_id` in force on `on` (default: the latest).
        With `earliest`, a day before every version gives the earliest version (a case received
        then runs under it, and says so) instead of an error."""
        versions = self._versions(procedure_id)
        if on is None:
            return versions[-1][1]
        day = on.isoformat()
        in_force = [path for effective, path in versions if effective <= day]
        if in_force:
            return in_force[-1]
        if earliest:
            return versions[0][1]
        raise NotInForceError(
            f"no version of `{procedure_id}` was in force on {day}: the first takes effect on {versions[0][0]}"
        )

    def latest(self, procedure_id: str) -> Path | None:
        """The file of the latest version of `procedure_id`, which `extends` builds on."""
        try:
            return self.choose(procedure_id)
        except NotFoundError:
            return None

    def _versions(self, procedure_id: str) -> list[tuple[str, Path]]:
        """(effective date, file) of each version of `procedure_id`, in date order; NotFoundError
        if there are none."""
        versions = self._dated.get(procedure_id)
        if versions is None:
            entries = self.catalogue.entries()[0]
            found = sorted((e for e in entries if e.id == procedure_id), key=lambda e: e.effective)
            versions = [(e.effective, Path(e.path)) for e in found]
            if not versions:
                from .._suggest import did_you_mean

                known = sorted({e.id for e in entries})
                raise NotFoundError(
                    f"no procedure is called `{procedure_id}`{did_you_mean(procedure_id, known)} (see `csc-rules list`)"
                )
            self._dated[procedure_id] = versions
        return versions
