"""Reads of the working calendar: `calendar_for` and its cache, the year page, the API (D1–D5).

The merged calendar
-------------------
Three layers, each winning over the one before: the ``holidays`` library, then
``official.OFFICIAL_EXCEPTIONS`` (code data), then the :class:`CalendarException` rows an
administrator edits. Office hours: the unit's own :class:`OfficeHours`, else its nearest
ancestor's, else the system row (unit empty), else D1 (Mon–Fri 08:00–12:00, 13:00–17:00).

Caching and invalidation (several processes)
--------------------------------------------
A process keeps ONE snapshot of the calendar data (the exception rows and every unit's office
hours) and, inside it, one :class:`WorkCalendar` per distinct set of office hours (a handful: most
units share the default), built on first use. The holidays library is read once per process.

Every calendar write (``workdays.services``, nothing else) renews :class:`CalendarRevision`'s random
``token`` in the same transaction. `calendar_for` reads that token on EVERY call (one primary-key
lookup, no year of calendar built) and throws its snapshot away when the token differs, so a change
committed by any process is seen by every other on its next call. The token is read before the data
it guards, so a snapshot is never older than its token; a rolled-back write leaves a token nobody
will ever write again, so a calendar built inside that transaction is never reused. Callers that
compute many deadlines in a loop should fetch the calendar once, outside the loop.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput
from motcua.org.models import Unit
from motcua.workdays.models import (
    FIRST_YEAR,
    LAST_YEAR,
    CalendarException,
    CalendarRevision,
    OfficeSession,
    Weekday,
)
from motcua.workdays.official import (
    LIBRARY_SOURCE,
    OFFICIAL_EXCEPTIONS,
    ExceptionKind,
    library_days,
)
from motcua.workdays.rules import DEFAULT_SESSIONS, HOURS_PER_DAY, Hours, Session, WorkCalendar

#: Office hours as plain, hashable data: sorted (weekday, start, end) triples.
HoursKey = tuple[tuple[int, time, time], ...]

#: D1, the hours used when the system has no row of its own.
DEFAULT_HOURS: HoursKey = tuple(
    (wd, start, end) for wd, sessions in sorted(DEFAULT_SESSIONS.items()) for start, end in sessions
)


class Origin(StrEnum):
    """Where an exceptional day comes from."""

    LIBRARY = "library"  # the holidays library
    OFFICIAL = "official"  # official.OFFICIAL_EXCEPTIONS, an announced decision shipped as code
    ADMIN = "admin"  # a CalendarException row entered by an administrator


@dataclass(frozen=True, slots=True)
class DayInfo:
    """The winning exception of one date: its kind, name, source text and origin."""

    kind: ExceptionKind
    name: str
    source: str
    origin: Origin

    @property
    def working(self) -> bool:
        return self.kind is ExceptionKind.MAKEUP_WORKDAY


@dataclass(frozen=True, slots=True)
class ResolvedHours:
    """The office hours that apply to a unit and whose they are.

    ``owner`` is the unit the hours belong to (the unit itself or an ancestor), None for the system
    hours; ``builtin`` is True when the system has no row and D1 applies.
    """

    hours: HoursKey
    owner: Unit | None
    builtin: bool


# ---------------------------------------------------------------------------- the calendar cache
@dataclass
class _Snapshot:
    token: str
    days: dict[date, DayInfo]
    hours: dict[int | None, HoursKey]  # unit id (None: the system row) → its own hours
    calendars: dict[HoursKey, WorkCalendar] = field(default_factory=dict)


class _Cache:
    snapshot: _Snapshot | None = None


_cache = _Cache()
_lock = threading.RLock()


@lru_cache(maxsize=1)
def _library() -> dict[date, DayInfo]:
    """The holidays library's days of FIRST_YEAR..LAST_YEAR: code data, read once per process."""
    off, makeup = library_days(FIRST_YEAR, LAST_YEAR)
    days: dict[date, DayInfo] = {}
    for on, name in off.items():
        kind = ExceptionKind.SWAP_OFF if "thay cho ngày " in name else ExceptionKind.HOLIDAY
        days[on] = DayInfo(kind, name, LIBRARY_SOURCE, Origin.LIBRARY)
    for on, name in makeup.items():
        days[on] = DayInfo(ExceptionKind.MAKEUP_WORKDAY, name, LIBRARY_SOURCE, Origin.LIBRARY)
    return days


def _current_token() -> str:
    token = CalendarRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    return token or ""


def _load(token: str) -> _Snapshot:
    days = dict(_library())
    for item in OFFICIAL_EXCEPTIONS:
        if FIRST_YEAR <= item.on.year <= LAST_YEAR:
            days[item.on] = DayInfo(item.kind, item.name, item.legal_reference, Origin.OFFICIAL)
    rows = CalendarException.objects.filter(on__year__gte=FIRST_YEAR, on__year__lte=LAST_YEAR)
    for row in rows.order_by("on"):
        days[row.on] = DayInfo(ExceptionKind(row.kind), row.name, row.legal_reference, Origin.ADMIN)
    hours: dict[int | None, list[tuple[int, time, time]]] = {}
    sessions = OfficeSession.objects.values_list(
        "hours__unit_id", "weekday", "starts_at", "ends_at"
    ).order_by("hours_id", "weekday", "starts_at")
    for unit_id, weekday, start, end in sessions:
        hours.setdefault(unit_id, []).append((weekday, start, end))
    return _Snapshot(token=token, days=days, hours={k: tuple(v) for k, v in hours.items()})


def _snapshot() -> _Snapshot:
    token = _current_token()  # read BEFORE the data it guards
    snap = _cache.snapshot
    if snap is not None and snap.token == token:
        return snap
    with _lock:
        snap = _cache.snapshot
        if snap is None or snap.token != token:
            snap = _cache.snapshot = _load(token)
        return snap


def _build(snap: _Snapshot, hours: HoursKey) -> WorkCalendar:
    sessions: dict[int, list[Session]] = {}
    for weekday, start, end in hours:
        sessions.setdefault(weekday, []).append((start, end))
    # A make-up day on a weekly rest day works the hours of Monday, or of the first open weekday.
    makeup_sessions = sessions.get(0) or sessions[min(sessions)]
    return WorkCalendar(
        sessions=sessions,
        non_working={d: i.name for d, i in snap.days.items() if not i.working},
        makeup={d: i.name for d, i in snap.days.items() if i.working},
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
        makeup_sessions=makeup_sessions,
        sources={d: i.source for d, i in snap.days.items()},
    )


def _resolve(snap: _Snapshot, unit: Unit | None) -> ResolvedHours:
    if unit is not None and any(key is not None for key in snap.hours):
        own = snap.hours.get(unit.pk)
        if own:
            return ResolvedHours(own, unit, False)
        for ancestor in unit.ancestors():  # one query per level, only when needed
            own = snap.hours.get(ancestor.pk)
            if own:
                return ResolvedHours(own, ancestor, False)
    system = snap.hours.get(None)
    if system:
        return ResolvedHours(system, None, False)
    return ResolvedHours(DEFAULT_HOURS, None, True)


def calendar_for(unit: Unit | None = None) -> WorkCalendar:
    """The working calendar of `unit` (the system calendar when `unit` is None).

    One cheap query per call (the revision token); the calendar itself is built once per process
    per distinct set of office hours and per calendar change.
    """
    snap = _snapshot()
    hours = _resolve(snap, unit).hours
    calendar = snap.calendars.get(hours)
    if calendar is None:
        with _lock:
            calendar = snap.calendars.get(hours)
            if calendar is None:
                calendar = snap.calendars[hours] = _build(snap, hours)
    return calendar


def office_hours_for(unit: Unit | None = None) -> ResolvedHours:
    """The office hours that apply to `unit`, and whose they are (its own, an ancestor's...)."""
    return _resolve(_snapshot(), unit)


def calendar_day_info() -> Mapping[date, DayInfo]:
    """Every exceptional date of FIRST_YEAR..LAST_YEAR with the layer that won for it."""
    return _snapshot().days


def forget_calendars() -> None:
    """Drop this process's cached calendars (the next call reloads them).

    Not needed after a change made through the services: the revision token does that in every
    process. Useful after writing calendar rows by hand (a shell, a fixture).
    """
    with _lock:
        _cache.snapshot = None


def format_time(t: time) -> str:
    """08:00, or 08:00:30 when seconds are set."""
    return f"{t:%H:%M:%S}" if t.second or t.microsecond else f"{t:%H:%M}"


# ------------------------------------------------------------------------------ calendar pages
DayKind = Literal["working", "weekend", "holiday", "swap_off", "makeup_workday"]
Mode = Literal["day", "hour"]
Channel = Literal["counter", "online", "postal"]


def _library_label() -> str:
    return _("Thư viện holidays (ngày nghỉ theo Bộ luật Lao động 2019)")


@dataclass(frozen=True, slots=True)
class Day:
    """One date of the calendar of a unit, as the API and the year page show it."""

    on: date
    weekday: str  # "Thứ Hai" … "Chủ nhật"
    working: bool
    kind: DayKind
    name: str
    origin: Origin | None  # where the exception comes from; None for an ordinary day
    source: str  # the legal reference, or the library's name; "" for an ordinary day

    @property
    def origin_label(self) -> str:
        if self.origin is Origin.LIBRARY:
            return _library_label()
        if self.origin is Origin.OFFICIAL:
            return _("Quyết định chính thức đi kèm phần mềm")
        if self.origin is Origin.ADMIN:
            return _("Ngoại lệ do quản trị viên nhập")
        return ""


@dataclass(frozen=True, slots=True)
class WeekdayHours:
    weekday: str
    sessions: str  # "08:00–12:00, 13:00–17:00", or "" for a weekly rest day


def _day(on: date, working: bool, normal: bool, info: DayInfo | None) -> Day:
    kind: DayKind
    if working:
        kind = "makeup_workday" if not normal and info is not None and info.working else "working"
    elif info is not None and not info.working:
        kind = "swap_off" if info.kind is ExceptionKind.SWAP_OFF else "holiday"
    else:
        kind = "weekend"
    source = ""
    if info is not None:
        source = _library_label() if info.origin is Origin.LIBRARY else info.source
    return Day(
        on=on,
        weekday=str(Weekday(on.weekday()).label),
        working=working,
        kind=kind,
        name=info.name if info is not None else "",
        origin=info.origin if info is not None else None,
        source=source,
    )


def _open_weekdays(hours: ResolvedHours) -> set[int]:
    return {weekday for weekday, _start, _end in hours.hours}


def in_calendar_years(on: date) -> bool:
    return FIRST_YEAR <= on.year <= LAST_YEAR


def list_days(*, first: date, last: date, unit: Unit | None = None) -> list[Day]:
    """Every date from `first` to `last` (both included) with its status in `unit`'s calendar."""
    calendar = calendar_for(unit)
    open_days = _open_weekdays(office_hours_for(unit))
    info = calendar_day_info()
    out: list[Day] = []
    on = first
    while on <= last:
        out.append(_day(on, calendar.is_working_day(on), on.weekday() in open_days, info.get(on)))
        on += timedelta(days=1)
    return out


def list_exceptional_days(*, year: int, unit: Unit | None = None) -> list[Day]:
    """The days of `year` that differ from `unit`'s ordinary week: every non-working weekday and
    every working weekly rest day (Saturday, Sunday), with name and source (D2)."""
    open_days = _open_weekdays(office_hours_for(unit))
    return [
        day
        for day in list_days(first=date(year, 1, 1), last=date(year, 12, 31), unit=unit)
        if day.working != (day.on.weekday() in open_days)
    ]


def week_of(unit: Unit | None = None) -> list[WeekdayHours]:
    """The ordinary week of `unit`: each weekday with its office sessions."""
    hours = office_hours_for(unit).hours
    return [
        WeekdayHours(
            weekday=str(label),
            sessions=", ".join(
                f"{format_time(s)}–{format_time(e)}" for wd, s, e in hours if wd == value
            ),
        )
        for value, label in Weekday.choices
    ]


def describe_hours_owner(unit: Unit | None, hours: ResolvedHours) -> str:
    """Whose office hours apply to `unit`, in a sentence."""
    if hours.owner is not None and unit is not None and hours.owner.pk == unit.pk:
        return _("Giờ làm việc riêng của đơn vị.")
    if hours.owner is not None:
        return _("Theo giờ làm việc của đơn vị cấp trên %(unit)s.") % {"unit": hours.owner.name}
    if hours.builtin:
        return _(
            "Giờ làm việc mặc định (thứ Hai đến thứ Sáu, 08:00–12:00 và 13:00–17:00); quản trị "
            "viên có thể đặt giờ khác."
        )
    return _("Giờ làm việc chung của hệ thống do quản trị viên đặt.")


# ------------------------------------------------------------------------------------ deadlines
@dataclass(frozen=True, slots=True)
class Deadline:
    received_at: datetime
    effective_received_at: datetime
    due_at: datetime
    mode: Mode
    explanation: list[str]


def _channel_line(channel: Channel) -> str:
    label = {
        "counter": _("trực tiếp tại Bộ phận Một cửa"),
        "online": _("trực tuyến"),
        "postal": _("qua dịch vụ bưu chính"),
    }[channel]
    return _(
        "Kênh tiếp nhận: %(channel)s. Trong giờ làm việc của ngày làm việc, thời điểm tiếp nhận "
        "là chính thời điểm đó; ngoài giờ, tính từ đầu giờ làm việc kế tiếp (như nhau cho mọi kênh)"
    ) % {"channel": label}


def compute_deadline(
    *,
    received_at: datetime,
    unit: Unit | None = None,
    mode: Mode | None = None,
    working_days: Decimal | int | None = None,
    working_hours: Hours | None = None,
    cutoff: time | None = None,
    channel: Channel = "counter",
) -> Deadline:
    """D1–D5: the due of a dossier received at `received_at` with a budget in working days or
    hours, with the explanation lines of the engine.

    Mode ``day`` (default with ``working_days``): Mode D, the close of office hours of the N-th
    working day after the effective reception day. Mode ``hour`` (default with ``working_hours``):
    Mode H from the effective reception; ``working_days`` count 8 hours each. A ``cutoff`` moves a
    reception after it to the next working day in both modes. Raises :class:`InvalidInput` for
    inconsistent arguments and the engine's :class:`CalendarError` for the rest.
    """
    if (working_days is None) == (working_hours is None):
        raise InvalidInput(
            _(
                "Hãy cho đúng một trong hai: working_days (số ngày làm việc) hoặc working_hours "
                "(số giờ làm việc)."
            ),
            field="working_days",
        )
    if mode is None:
        mode = "hour" if working_hours is not None else "day"
    calendar = calendar_for(unit)
    plain_effective = calendar.effective_reception(received_at)
    effective = calendar.effective_reception(received_at, cutoff)
    if mode == "day":
        if working_days is None:
            raise InvalidInput(
                _("working_hours chỉ dùng với mode=hour; với mode=day hãy cho working_days."),
                field="working_hours",
            )
        if Decimal(working_days) != int(working_days):
            raise InvalidInput(
                _(
                    "Tính theo ngày (mode=day) cần số ngày làm việc nguyên, nhận %(n)s; với thời "
                    "hạn lẻ ngày hãy dùng mode=hour."
                )
                % {"n": working_days},
                field="working_days",
            )
        days = int(working_days)
        due = calendar.add_working_days(received_at, days, cutoff)
        lines = calendar.explain(received_at, working_days=days, cutoff=cutoff)
    else:
        hours: Hours = (
            working_hours
            if working_hours is not None
            else Decimal(working_days or 0) * HOURS_PER_DAY
        )
        due = calendar.add_working_hours(effective, hours)
        if effective == plain_effective:
            lines = calendar.explain(received_at, working_hours=hours)
        else:  # the cut-off moved the reception: say so, then explain from there
            lines = [
                *calendar.explain(received_at, working_days=0, cutoff=cutoff)[:2],
                *calendar.explain(effective, working_hours=hours)[1:],
            ]
    lines.insert(1, _channel_line(channel))
    if unit is not None:
        lines.insert(2, _("Lịch làm việc của %(unit)s") % {"unit": unit.name})
    return Deadline(
        received_at=received_at.astimezone(calendar.tz),
        effective_received_at=effective,
        due_at=due,
        mode=mode,
        explanation=lines,
    )
