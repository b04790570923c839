"""Every write to the working calendar (D1, D2), and the registry of deadline recomputers.

`calendar_for(unit)` — the one door every deadline goes through — lives with the other calendar
reads in :mod:`motcua.workdays.selectors` (the merged calendar, its cache and how every process sees
a change) and is re-exported here, where the dossier engine imports it from.

Each write below is one transaction: it takes the revision row (calendar writers queue there),
checks, writes, renews the revision token, calls the recomputers and records a CalendarChange.

Recomputation of open deadlines
-------------------------------
The dossier app owns its deadlines and registers a function with :func:`register_recomputer`
(typically in its ``AppConfig.ready``); workdays never imports it. Each calendar write calls every
registered recomputer INSIDE its transaction, after the new data and token are written: the calendar
and the deadlines computed from it commit (or roll back) together, and a recomputer that asks
`calendar_for` gets the new calendar. The audit row records how many deadlines moved.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Protocol, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, InvalidInput
from motcua.org.models import Staff, Unit
from motcua.workdays.models import (
    FIRST_YEAR,
    LAST_YEAR,
    CalendarChange,
    CalendarException,
    CalendarRevision,
    OfficeHours,
    OfficeSession,
    Weekday,
)
from motcua.workdays.rules import Session
from motcua.workdays.selectors import (
    HoursKey,
    calendar_day_info,
    calendar_for,
    forget_calendars,
    format_time,
    office_hours_for,
)

__all__ = [
    "CalendarExceptionNotFound",
    "DuplicateCalendarDay",
    "Recomputer",
    "add_calendar_exception",
    "calendar_day_info",
    "calendar_for",
    "change_calendar_exception",
    "check_calendar_exception",
    "check_office_sessions",
    "forget_calendars",
    "office_hours_for",
    "CalendarChanged",
    "recompute_deadlines",
    "register_recomputer",
    "registered_recomputers",
    "remove_calendar_exception",
    "set_office_hours",
    "unregister_recomputer",
]


# ------------------------------------------------------------------------------------- errors
class DuplicateCalendarDay(InvalidInput):
    code = "duplicate_date"


class CalendarExceptionNotFound(DomainError):
    code = "not_found"
    status = 404


# ---------------------------------------------------------------------- recomputation registry
@dataclass(frozen=True)
class CalendarChanged:
    """What a calendar change may move, as the recomputers receive it.

    ``dates``: the dates whose status changed (None: any date, e.g. office hours changed).
    ``unit_ids``: the units whose calendar changed (None: every unit). ``actor``: who made the
    change (None for a command). ``reason``: a Vietnamese sentence for the histories.
    """

    dates: frozenset[date] | None
    unit_ids: frozenset[int] | None
    actor: Staff | None
    reason: str

    @property
    def nothing(self) -> bool:
        """No date changed at all: nothing to recompute."""
        return self.dates is not None and not self.dates

    def first_moment(self) -> datetime | None:
        """The start (local midnight) of the first changed date; None when any date may have
        changed. A due before it cannot move."""
        if not self.dates:
            return None
        return datetime.combine(min(self.dates), time.min, tzinfo=timezone.get_current_timezone())


class Recomputer(Protocol):
    """Recompute the open deadlines a calendar change may move; return how many changed."""

    def __call__(self, change: CalendarChanged) -> int: ...


_R = TypeVar("_R", bound=Recomputer)
_recomputers: list[Recomputer] = []


def register_recomputer(fn: _R) -> _R:
    """Register `fn` to be called after every calendar change (usable as a decorator; a function
    registered twice is called once)."""
    if fn not in _recomputers:
        _recomputers.append(fn)
    return fn


def unregister_recomputer(fn: Recomputer) -> None:
    if fn in _recomputers:
        _recomputers.remove(fn)


def registered_recomputers() -> tuple[Recomputer, ...]:
    return tuple(_recomputers)


@transaction.atomic
def recompute_deadlines(
    *,
    dates: Iterable[date] | None = None,
    unit_ids: Iterable[int] | None = None,
    actor: Staff | None = None,
    reason: str,
) -> int:
    """Call every registered recomputer in one transaction; the total number of deadlines changed.

    Also what `motcua recompute_deadlines` runs. A recomputer that raises rolls everything back.
    """
    change = CalendarChanged(
        dates=None if dates is None else frozenset(dates),
        unit_ids=None if unit_ids is None else frozenset(unit_ids),
        actor=actor,
        reason=reason,
    )
    return sum(int(fn(change)) for fn in list(_recomputers))


# ------------------------------------------------------------------------------------- helpers
def _fmt_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


@dataclass
class _Edit:
    """One change of the calendar by ``actor`` at ``now``, under the revision row's lock:
    calendar writers queue on it."""

    actor: Staff | None
    now: datetime
    revision: CalendarRevision

    def record(
        self,
        what: CalendarChange.What,
        subject: str,
        *,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        note: str = "",
        on: date | None = None,
        unit: Unit | None = None,
        recompute: bool = True,
        dates: set[date] | None = None,
        unit_ids: set[int] | None = None,
    ) -> CalendarChange:
        """Renew the revision, recompute the deadlines, write the audit row (in the caller's
        transaction)."""
        revision, actor = self.revision, self.actor
        revision.number += 1
        revision.token = uuid.uuid4().hex
        revision.changed_at = self.now
        revision.save(update_fields=["number", "token", "changed_at"])
        reason = _("Lịch làm việc thay đổi — %(what)s: %(subject)s") % {
            "what": CalendarChange.What(what).label,
            "subject": subject,
        }
        moved = (
            recompute_deadlines(dates=dates, unit_ids=unit_ids, actor=actor, reason=reason)
            if recompute
            else 0
        )
        return CalendarChange.objects.create(
            at=self.now,
            actor=actor,
            actor_name=actor.get_full_name() if actor is not None else "",
            what=what,
            subject=subject[:300],
            on=on,
            unit=unit,
            before=before,
            after=after,
            note=note,
            revision=revision.number,
            deadlines_recomputed=moved,
        )


def _edit(actor: Staff | None, now: datetime | None) -> _Edit:
    """Take the revision row (created if a flush removed it) for a change of the calendar."""
    revision, _created = CalendarRevision.objects.select_for_update().get_or_create(
        pk=1, defaults={"number": 0, "token": "initial"}
    )
    return _Edit(actor=actor, now=now or timezone.now(), revision=revision)


# ------------------------------------------------------------------------ calendar exceptions
def check_calendar_exception(*, on: date, kind: str, name: str, legal_reference: str) -> None:
    """The checks of an exception's own fields (the admin form runs them too)."""
    if kind not in CalendarException.Kind.values:
        raise InvalidInput(
            _(
                "Loại ngày không hợp lệ: %(kind)s. Chọn ngày nghỉ lễ, ngày nghỉ hoán đổi hoặc ngày làm bù."
            )
            % {"kind": kind},
            field="kind",
        )
    if not FIRST_YEAR <= on.year <= LAST_YEAR:
        raise InvalidInput(
            _("Lịch làm việc chỉ có các năm %(first)s–%(last)s; ngày %(on)s nằm ngoài khoảng này.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR, "on": _fmt_date(on)},
            code="out_of_range",
            field="on",
        )
    if not name.strip():
        raise InvalidInput(
            _("Hãy nhập tên của ngày, ví dụ “Nghỉ bù Tết Dương lịch”."), field="name"
        )
    if not legal_reference.strip():
        raise InvalidInput(
            _("Hãy nhập căn cứ: văn bản quyết định ngày này (số, ngày, cơ quan ban hành)."),
            field="legal_reference",
        )


def _exception_data(row: CalendarException) -> dict[str, Any]:
    return {
        "on": row.on.isoformat(),
        "kind": row.kind,
        "name": row.name,
        "legal_reference": row.legal_reference,
        "note": row.note,
    }


def _exception_subject(row: CalendarException) -> str:
    return f"{_fmt_date(row.on)} — {row.get_kind_display()}: {row.name}"


def _refuse_duplicate(on: date, exclude_pk: int | None = None) -> None:
    taken = CalendarException.objects.filter(on=on)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    other = taken.first()
    if other is not None:
        raise DuplicateCalendarDay(
            _("Ngày %(on)s đã có ngoại lệ “%(name)s”; hãy sửa ngoại lệ đó thay vì thêm ngày mới.")
            % {"on": _fmt_date(on), "name": other.name},
            field="on",
        )


@transaction.atomic
def add_calendar_exception(
    *,
    on: date,
    kind: str,
    name: str,
    legal_reference: str,
    note: str = "",
    actor: Staff | None,
    now: datetime | None = None,
) -> CalendarException:
    """Add a day off or a make-up working day; it wins over the library and the shipped data."""
    edit = _edit(actor, now)
    now = edit.now
    check_calendar_exception(on=on, kind=kind, name=name, legal_reference=legal_reference)
    _refuse_duplicate(on)
    row = CalendarException.objects.create(
        on=on,
        kind=kind,
        name=name.strip(),
        legal_reference=legal_reference.strip(),
        note=note,
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
    )
    edit.record(
        CalendarChange.What.EXCEPTION_ADDED,
        _exception_subject(row),
        before=None,
        after=_exception_data(row),
        note=note,
        on=on,
        dates={on},
    )
    return row


def _locked_exception(exception_id: int) -> CalendarException:
    row = CalendarException.objects.select_for_update().filter(pk=exception_id).first()
    if row is None:
        raise CalendarExceptionNotFound(_("Không tìm thấy ngày ngoại lệ này; có thể đã bị xoá."))
    return row


@transaction.atomic
def change_calendar_exception(
    *,
    exception_id: int,
    actor: Staff | None,
    on: date | None = None,
    kind: str | None = None,
    name: str | None = None,
    legal_reference: str | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> CalendarException:
    """Change an exception (None leaves a field as it is). Moving the date or changing the kind
    recomputes the deadlines around both dates; a change of wording only renews the calendar."""
    edit = _edit(actor, now)
    now = edit.now
    row = _locked_exception(exception_id)
    before = _exception_data(row)
    old_on, old_kind = row.on, row.kind
    row.on = on if on is not None else row.on
    row.kind = kind if kind is not None else row.kind
    row.name = name.strip() if name is not None else row.name
    row.legal_reference = (
        legal_reference.strip() if legal_reference is not None else row.legal_reference
    )
    row.note = note if note is not None else row.note
    check_calendar_exception(
        on=row.on, kind=row.kind, name=row.name, legal_reference=row.legal_reference
    )
    after = _exception_data(row)
    if after == before:
        return row
    if row.on != old_on:
        _refuse_duplicate(row.on, exclude_pk=row.pk)
    row.updated_at = now
    row.updated_by = actor
    row.save()
    moved = row.on != old_on or row.kind != old_kind
    edit.record(
        CalendarChange.What.EXCEPTION_CHANGED,
        _exception_subject(row),
        before=before,
        after=after,
        note=row.note,
        on=row.on,
        recompute=moved,
        dates={old_on, row.on},
    )
    return row


@transaction.atomic
def remove_calendar_exception(
    *, exception_id: int, actor: Staff | None, note: str = "", now: datetime | None = None
) -> None:
    """Remove an exception: the date falls back to the shipped data, the library, or the week."""
    edit = _edit(actor, now)
    now = edit.now
    row = _locked_exception(exception_id)
    before = _exception_data(row)
    subject = _exception_subject(row)
    on = row.on
    row.delete()
    edit.record(
        CalendarChange.What.EXCEPTION_REMOVED,
        subject,
        before=before,
        after=None,
        note=note,
        on=on,
        dates={on},
    )


# ----------------------------------------------------------------------------- office hours
def check_office_sessions(sessions: Mapping[int, Sequence[Session]]) -> HoursKey:
    """Validate office sessions (weekday 0 = Monday … 6 = Sunday → (start, end) pairs) and return
    them as sorted plain data. Sessions of a day must not overlap; at least one is needed."""
    items: list[tuple[int, time, time]] = []
    for weekday, day_sessions in sessions.items():
        if weekday not in Weekday.values:
            raise InvalidInput(
                _("Thứ trong tuần không hợp lệ: %(day)s (0 là thứ Hai … 6 là Chủ nhật).")
                % {"day": weekday},
                field="sessions",
            )
        for start, end in day_sessions:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise InvalidInput(
                    _("Giờ làm việc là giờ địa phương, không kèm múi giờ."), field="sessions"
                )
            if not start < end:
                raise InvalidInput(
                    _("%(day)s: giờ bắt đầu %(start)s phải trước giờ kết thúc %(end)s.")
                    % {
                        "day": Weekday(weekday).label,
                        "start": format_time(start),
                        "end": format_time(end),
                    },
                    field="sessions",
                )
            items.append((weekday, start, end))
    if not items:
        raise InvalidInput(
            _("Cần ít nhất một ca làm việc trong tuần, ví dụ thứ Hai 08:00–12:00."),
            field="sessions",
        )
    items.sort()
    for (day_a, _start_a, end_a), (day_b, start_b, end_b) in zip(items, items[1:], strict=False):
        if day_a == day_b and start_b < end_a:
            raise InvalidInput(
                _("%(day)s: ca %(start)s–%(end)s chồng lên ca trước (kết thúc %(prev)s).")
                % {
                    "day": Weekday(day_a).label,
                    "start": format_time(start_b),
                    "end": format_time(end_b),
                    "prev": format_time(end_a),
                },
                field="sessions",
            )
    return tuple(items)


def _hours_data(hours: HoursKey, note: str) -> dict[str, Any]:
    return {
        "sessions": [[wd, format_time(s), format_time(e)] for wd, s, e in hours],
        "note": note,
    }


def _units_using(unit: Unit | None) -> set[int] | None:
    """The units whose calendar follows the hours of `unit` (None: the system hours).

    The unit and every unit below it that has no hours of its own (nor an ancestor in between
    with its own). None stands for "every unit" when no unit has hours of its own.
    """
    own = set(OfficeHours.objects.filter(unit__isnull=False).values_list("unit_id", flat=True))
    if unit is None:
        if not own:
            return None
        frontier = list(
            Unit.objects.filter(parent__isnull=True)
            .exclude(pk__in=own)
            .values_list("pk", flat=True)
        )
    else:
        frontier = [unit.pk]
    found = set(frontier)
    while frontier:
        frontier = [
            pk
            for pk in Unit.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=own)
            .values_list("pk", flat=True)
            if pk not in found
        ]
        found.update(frontier)
    return found


def _hours_subject(unit: Unit | None) -> str:
    return str(unit) if unit is not None else _("Giờ làm việc mặc định của hệ thống")


@transaction.atomic
def set_office_hours(
    *,
    unit: Unit | None,
    sessions: Mapping[int, Sequence[Session]] | None,
    actor: Staff | None,
    note: str = "",
    now: datetime | None = None,
) -> OfficeHours | None:
    """Set the office hours of `unit` (None: the system default) to `sessions`.

    ``sessions=None`` removes the unit's own hours: it uses its nearest ancestor's again (for the
    system row: D1). Returns the hours row, or None when removed.
    """
    edit = _edit(actor, now)
    now = edit.now
    mine = OfficeHours.objects.select_for_update(of=("self",)).order_by("pk")
    hours_row = (mine.filter(unit__isnull=True) if unit is None else mine.filter(unit=unit)).first()
    before = None
    if hours_row is not None:
        current: HoursKey = tuple(
            hours_row.sessions.order_by("weekday", "starts_at").values_list(
                "weekday", "starts_at", "ends_at"
            )
        )
        before = _hours_data(current, hours_row.note)
    after = None
    what = CalendarChange.What.OFFICE_HOURS_CLEARED
    if sessions is None:
        if hours_row is None:
            return None
        hours_row.delete()
        hours_row = None
    else:
        wanted = check_office_sessions(sessions)
        after = _hours_data(wanted, note)
        if hours_row is not None and before == after:
            return hours_row
        hours_row = hours_row or OfficeHours(unit=unit)
        hours_row.note = note
        hours_row.updated_at = now
        hours_row.updated_by = actor
        hours_row.save()
        hours_row.sessions.all().delete()
        OfficeSession.objects.bulk_create(
            OfficeSession(hours=hours_row, weekday=wd, starts_at=s, ends_at=e)
            for wd, s, e in wanted
        )
        what = CalendarChange.What.OFFICE_HOURS_SET
    edit.record(
        what,
        _hours_subject(unit),
        before=before,
        after=after,
        note=note,
        unit=unit,
        unit_ids=_units_using(unit),
    )
    return hours_row
