"""What the floor's services share: the unit and its calendar, who may work a counter, the one
event of each change, and the announcement of the new state to every screen after commit."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.changes import Change
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.org.models import Role, Staff, Unit
from motcua.org.selectors import has_role
from motcua.queueing.errors import FloorNotFound
from motcua.queueing.models import Booking, FloorEvent, Ticket
from motcua.workdays.rules import CalendarError
from motcua.workdays.services import calendar_for


class TicketChange(Change[FloorEvent]):
    event_model = FloorEvent
    subject = "ticket"


class BookingChange(Change[FloorEvent]):
    event_model = FloorEvent
    subject = "booking"


def plain_code(text: str | None, length: int) -> str:
    """A code a person or a client typed (unit, group, booking…): ASCII letters, digits and
    ``-._`` only, at most ``length`` characters; anything else (unpaired surrogates, odd Unicode
    digits) cannot be part of one of our codes."""
    kept = "".join(ch for ch in (text or "") if ch.isascii() and (ch.isalnum() or ch in "-._"))
    return kept[:length]


def get_unit(code: str) -> Unit:
    code = plain_code(code, 40)
    unit = Unit.objects.filter(code=code, active=True).first() if code else None
    if unit is None:
        raise FloorNotFound(_("Không tìm thấy đơn vị %(code)s.") % {"code": code[:40]})
    return unit


def ensure_counter_officer(actor: Staff, unit: Unit) -> None:
    """Only the unit's one-stop officers work its counters (another unit's floor is 404)."""
    if not actor.is_active:
        raise NotAllowed(_("Tài khoản %(user)s đã bị khóa.") % {"user": actor.username})
    if not has_role(actor, unit, Role.RECEPTIONIST):
        raise FloorNotFound(_("Không tìm thấy quầy, hoặc bạn không làm việc tại đơn vị này."))


def office_periods(unit: Unit, day: date) -> list[tuple[datetime, datetime]]:
    try:
        return calendar_for(unit).working_periods(day)
    except CalendarError:
        raise InvalidInput(
            _("Ngày %(day)s nằm ngoài lịch làm việc của hệ thống.") % {"day": f"{day:%d/%m/%Y}"},
            field="slot_start",
        ) from None


def floor_is_open(unit: Unit, at: datetime) -> bool:
    local = timezone.localtime(at)
    return any(start <= local < end for start, end in office_periods(unit, local.date()))


def next_opening(unit: Unit, at: datetime) -> datetime | None:
    """The start of the next office session after ``at`` (None beyond the calendar)."""
    local = timezone.localtime(at)
    day = local.date()
    for _i in range(60):
        try:
            periods = calendar_for(unit).working_periods(day)
        except CalendarError:
            return None
        for start, _end in periods:
            if start > local:
                return start
        day += timedelta(days=1)
    return None


def announce(unit_id: int) -> None:
    """Once the change commits, every screen of the unit gets the floor's new state."""
    from motcua.queueing.streams import publish_state

    transaction.on_commit(partial(publish_state, unit_id))


def record_ticket_event(
    change: TicketChange, kind: str, *, note: str = "", counter_id: int | None = None
) -> FloorEvent:
    ticket: Ticket = change.thing
    booking = getattr(ticket, "_checked_in_booking", None)
    return change.record(
        kind,
        note=note,
        unit_id=ticket.unit_id,
        counter_id=counter_id if counter_id is not None else ticket.counter_id,
        booking=booking,
    )


def record_booking_event(change: BookingChange, kind: str, *, note: str = "") -> FloorEvent:
    booking: Booking = change.thing
    return change.record(kind, note=note, unit_id=booking.unit_id)
