"""Working days: the bank holidays of a region, a council's own closure days, and counting in
working days, calendar days and months."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._faces import lazy

if TYPE_CHECKING:
    from .bank_holidays import bank_holidays, council_calendar, region_calendar
    from .working_days import NonWorkingDay, WorkingCalendar, add_months, parse_date

__all__ = [
    "NonWorkingDay",
    "WorkingCalendar",
    "add_months",
    "bank_holidays",
    "council_calendar",
    "parse_date",
    "region_calendar",
]

__getattr__, __dir__ = lazy(
    __name__,
    {
        "NonWorkingDay": "working_days",
        "WorkingCalendar": "working_days",
        "add_months": "working_days",
        "bank_holidays": "bank_holidays",
        "council_calendar": "bank_holidays",
        "parse_date": "working_days",
        "region_calendar": "bank_holidays",
    },
)
