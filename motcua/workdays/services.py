"""The calendar that deadlines are counted on.

`calendar_for(unit)` is the one door every deadline goes through: the dossier engine, the
feedback clock and the API ask it for the WorkCalendar of a unit. Until the admin-editable
exceptions and per-unit office hours land, it is the statutory calendar of `official.py` with the
default office hours (D1), built once per process.
"""

from __future__ import annotations

from functools import lru_cache

from motcua.org.models import Unit
from motcua.workdays.official import build_calendar
from motcua.workdays.rules import WorkCalendar


@lru_cache(maxsize=1)
def _default_calendar() -> WorkCalendar:
    return build_calendar()


def calendar_for(unit: Unit | None = None) -> WorkCalendar:
    """The working calendar of `unit` (the system calendar when `unit` is None)."""
    return _default_calendar()


def forget_calendars() -> None:
    """Drop the cached calendars (after an administrator changes the calendar)."""
    _default_calendar.cache_clear()
