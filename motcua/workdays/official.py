"""The civil-servant working calendar as data, and the builder of a :class:`WorkCalendar` (D2).

Two sources, merged by :func:`build_calendar`:

1. the ``holidays`` library (``holidays.country_holidays("VN", language="vi")``): the statutory
   holidays of Labor Code 2019 Art. 112, compensatory days (Art. 111(3)), the Tết days and the
   swaps and make-up Saturdays it knows (``weekend_workdays``);
2. :data:`OFFICIAL_EXCEPTIONS`: the announced decisions the library misses or gets wrong, each with
   its legal reference. Exceptions always win over the library.

Checked against DOMAIN §8.5 for 2024–2026 with holidays 0.109: the library has every day of that
table except the 2026 New Year swap (Fri 02/01 off, Sat 10/01 worked), which ships here. The tests
(``tests/workdays/test_official.py``) check the final calendar against the whole table, whichever
source provides each day, so a library upgrade that drops a day is caught.

Vietnam Culture Day (24/11, DOMAIN §8.6): the library adds it from 2026 on the strength of
Resolution 80-NQ/TW, but no enacted amendment of Labor Code Art. 112 was found. Following §8.6
("add it only via calendar data once enacted; keep an admin flag") it is left out unless
``culture_day=True``.

This module may import ``holidays`` and :mod:`motcua.workdays.rules`; nothing of Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from enum import StrEnum

import holidays

from motcua.workdays.rules import (
    DEFAULT_SESSIONS,
    DEFAULT_TZ,
    WEEKDAY_VI,
    CalendarError,
    Session,
    WorkCalendar,
)

__all__ = [
    "CULTURE_DAY_NAME",
    "LIBRARY_SOURCE",
    "OFFICIAL_EXCEPTIONS",
    "CalendarException",
    "ExceptionKind",
    "build_calendar",
]

LIBRARY_SOURCE = "holidays library"
CULTURE_DAY_NAME = "Ngày Văn hóa Việt Nam"


class ExceptionKind(StrEnum):
    HOLIDAY = "HOLIDAY"  # a day off by law or decision
    SWAP_OFF = "SWAP_OFF"  # a weekday off, swapped with a make-up Saturday
    MAKEUP_WORKDAY = "MAKEUP_WORKDAY"  # a weekly rest day worked instead (làm bù)


@dataclass(frozen=True, slots=True)
class CalendarException:
    """One announced exception to the weekly calendar (the admin-editable table of D2)."""

    on: date
    kind: ExceptionKind
    name: str
    legal_reference: str
    note: str = ""

    @property
    def working(self) -> bool:
        return self.kind is ExceptionKind.MAKEUP_WORKDAY


_NEW_YEAR_2026 = (
    "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ (nghỉ Tết Dương lịch 2026 "
    "đối với cán bộ, công chức, viên chức)"
)

#: The decisions of DOMAIN §8.5 that the ``holidays`` library misses or gets wrong.
OFFICIAL_EXCEPTIONS: tuple[CalendarException, ...] = (
    CalendarException(
        on=date(2026, 1, 2),
        kind=ExceptionKind.SWAP_OFF,
        name="Nghỉ bù Tết Dương lịch (hoán đổi với thứ Bảy 10/01/2026)",
        legal_reference=_NEW_YEAR_2026,
        note="Nghỉ từ thứ Năm 01/01 đến Chủ nhật 04/01/2026; thư viện holidays không có hoán đổi "
        "này (DOMAIN §8.5).",
    ),
    CalendarException(
        on=date(2026, 1, 10),
        kind=ExceptionKind.MAKEUP_WORKDAY,
        name="Làm bù cho thứ Sáu 02/01/2026",
        legal_reference=_NEW_YEAR_2026,
        note="Ngày làm việc bù cho thứ Sáu 02/01/2026 (DOMAIN §8.5).",
    ),
)


def _fmt(d: date) -> str:
    return f"{WEEKDAY_VI[d.weekday()]} {d.day:02d}/{d.month:02d}/{d.year}"


def library_days(
    first_year: int, last_year: int, *, culture_day: bool = False
) -> tuple[dict[date, str], dict[date, str]]:
    """(days off → Vietnamese name, make-up days → reason) from the ``holidays`` library."""
    years = range(first_year, last_year + 1)
    lib = holidays.country_holidays("VN", years=years, language="vi")
    off: dict[date, str] = {}
    swapped_for: dict[str, date] = {}
    for day, label in sorted(lib.items()):
        names = [part for part in label.split("; ") if culture_day or CULTURE_DAY_NAME not in part]
        if not names:
            continue
        off[day] = "; ".join(names)
        for part in names:
            if "thay cho ngày " in part:
                swapped_for[part.split("thay cho ngày ", 1)[1].rstrip(")")] = day
    makeup: dict[date, str] = {}
    for day in sorted(getattr(lib, "weekend_workdays", ())):
        if first_year <= day.year <= last_year:
            key = f"{day.day:02d}/{day.month:02d}/{day.year}"
            swapped = swapped_for.get(key)
            makeup[day] = f"Làm bù cho {_fmt(swapped)}" if swapped else "Ngày làm bù"
    return off, makeup


def build_calendar(
    first_year: int = 2020,
    last_year: int = 2030,
    exceptions: Iterable[CalendarException] = OFFICIAL_EXCEPTIONS,
    sessions: Mapping[int, Sequence[Session]] | None = None,
    tz: str | tzinfo = DEFAULT_TZ,
    *,
    culture_day: bool = False,
) -> WorkCalendar:
    """The civil-servant calendar: the ``holidays`` library, then ``exceptions`` on top.

    An exception always wins: a MAKEUP_WORKDAY makes its day a working day even if the library
    says holiday; a HOLIDAY or SWAP_OFF makes its day off even if the library does not know it.
    Every exceptional date keeps its reason (the Vietnamese name) and its source
    (:data:`LIBRARY_SOURCE` or the exception's legal reference); see
    :meth:`WorkCalendar.exceptional_days`. Exceptions outside the years are ignored; two
    exceptions on the same date are refused.
    """
    off, makeup = library_days(first_year, last_year, culture_day=culture_day)
    sources = dict.fromkeys([*off, *makeup], LIBRARY_SOURCE)
    seen: set[date] = set()
    for item in exceptions:
        if item.on in seen:
            raise CalendarError(
                f"Two exceptions for {item.on.isoformat()}; keep one per date.",
                f"Có hai ngoại lệ cho ngày {item.on.day:02d}/{item.on.month:02d}/{item.on.year}; "
                "mỗi ngày chỉ được một ngoại lệ.",
            )
        seen.add(item.on)
        if not first_year <= item.on.year <= last_year:
            continue
        if item.working:
            off.pop(item.on, None)
            makeup[item.on] = item.name
        else:
            makeup.pop(item.on, None)
            off[item.on] = item.name
        sources[item.on] = item.legal_reference
    return WorkCalendar(
        sessions=DEFAULT_SESSIONS if sessions is None else sessions,
        non_working=off,
        makeup=makeup,
        tz=tz,
        first_year=first_year,
        last_year=last_year,
        sources=sources,
    )
