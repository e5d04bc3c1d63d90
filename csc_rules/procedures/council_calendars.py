"""The working calendars of the library's councils, each built once a process from its
council's file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..reading.locations import council_file, council_names

if TYPE_CHECKING:
    from ..calendars.working_days import WorkingCalendar
    from .checker import Checker
    from .files import Files


class CouncilCalendars:
    """A council's calendar: its region's bank holidays and its closure days, from its file
    once that has been checked."""

    def __init__(self, files: Files, checker: Checker) -> None:
        self.files = files
        self.checker = checker
        self._made: dict[tuple[str, int, int, bool], WorkingCalendar] = {}

    def of_council(
        self,
        council: str,
        first_year: int,
        last_year: int,
        *,
        count_closures: bool = False,
    ) -> WorkingCalendar:
        """The calendar of a council, for these years; NotFoundError for an unknown council."""
        from ..calendars.bank_holidays import council_calendar, unknown_council

        key = (council, first_year, last_year, count_closures)
        if key not in self._made:
            root = self.files.root
            path = council_file(council, root)
            if path is None:
                raise unknown_council(council, council_names(root))
            self.checker.sound(path)
            document, _ = self.files.load(path)
            data = document.data if document is not None else {}
            self._made[key] = council_calendar(
                data, first_year, last_year, count_closures=count_closures
            )
        return self._made[key]

    def of_procedure(self, procedure_id: str, first_year: int, last_year: int) -> WorkingCalendar:
        """The calendar of the council whose folder a procedure id starts with; England's
        for a procedure of no council (a baseline)."""
        from ..calendars.bank_holidays import region_calendar

        council = procedure_id.split("/", 1)[0]
        if council_file(council, self.files.root) is not None:
            return self.of_council(council, first_year, last_year)
        return region_calendar("ENG", first_year, last_year)
