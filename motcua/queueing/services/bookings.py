"""Online booking of a slot (D18): slots of a group inside the office sessions of working days,
from today to 6 working days ahead, ``slot_capacity`` bookings each; the code goes to the citizen
through the outbox; cancel by code. Checking in is `tickets.issue_ticket(booking_code=…)`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import get_procedure_in_force
from motcua.core.clock import resolve_now
from motcua.core.errors import InvalidInput
from motcua.core.text import clean_email, clean_line
from motcua.notifications.models import Channel
from motcua.notifications.services import Recipient, queue_message
from motcua.org.models import Unit
from motcua.queueing.errors import BookingNotUsable, SlotUnavailable
from motcua.queueing.models import Booking, BookingStatus, FloorEvent, ServiceGroup
from motcua.queueing.services.common import (
    BookingChange,
    get_unit,
    office_periods,
    plain_code,
    record_booking_event,
)
from motcua.workdays.rules import CalendarError
from motcua.workdays.services import calendar_for

#: How many working days ahead a slot may be booked (D18).
DAYS_AHEAD = 6
from motcua.notifications.defaults import QUEUE_BOOKING_CONFIRMED as BOOKING_TEMPLATE  # noqa: E402

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    free: int


def group_for_procedure(unit: Unit, procedure: Procedure) -> ServiceGroup | None:
    """The unit's group that serves ``procedure`` (named, or through its field)."""
    return (
        ServiceGroup.objects.filter(unit=unit, active=True)
        .filter(
            Q(procedures__code=procedure.code) | Q(fields__pk=procedure.field_id)  # type: ignore[attr-defined]
        )
        .order_by("order", "pk")
        .first()
    )


def bookable_days(unit: Unit, now: datetime) -> list[date]:
    """Today (if a session is still ahead) and the next working days, DAYS_AHEAD in all."""
    calendar = calendar_for(unit)
    local = timezone.localtime(now)
    days: list[date] = []
    day = local.date()
    try:
        while len(days) < DAYS_AHEAD + 1 and day <= local.date() + timedelta(days=40):
            if calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
    except CalendarError:
        pass
    return days


def slots_of(group: ServiceGroup, day: date, now: datetime) -> list[Slot]:
    """The group's slots of ``day`` that have not started, with the places left."""
    length = timedelta(minutes=max(5, group.slot_minutes))
    starts: list[tuple[datetime, datetime]] = []
    for begin, end in office_periods(group.unit, day):
        t = begin
        while t + length <= end:
            if t > now:
                starts.append((t, t + length))
            t += length
    if not starts:
        return []
    taken: dict[datetime, int] = {}
    for at in Booking.objects.filter(
        group=group,
        slot_start__gte=starts[0][0],
        slot_start__lte=starts[-1][0],
        status__in=(BookingStatus.BOOKED, BookingStatus.CHECKED_IN),
    ).values_list("slot_start", flat=True):
        taken[at] = taken.get(at, 0) + 1
    return [Slot(s, e, group.slot_capacity - taken.get(s, 0)) for s, e in starts]


def _unavailable(message: str) -> SlotUnavailable:
    return SlotUnavailable(message, field="slot_start")


def _check_slot(group: ServiceGroup, start: datetime, now: datetime) -> datetime:
    """The slot's end when ``start`` is a slot of the group that may be booked now."""
    local = timezone.localtime(start)
    day = local.date()
    calendar = calendar_for(group.unit)
    try:
        working = calendar.is_working_day(day)
        why = calendar.reason(day)
    except CalendarError:
        raise _unavailable(
            _("Ngày %(day)s nằm ngoài lịch làm việc.") % {"day": f"{day:%d/%m/%Y}"}
        ) from None
    if not working:
        raise _unavailable(
            _("Ngày %(day)s là ngày nghỉ%(why)s; hãy chọn một ngày làm việc.")
            % {"day": f"{day:%d/%m/%Y}", "why": f" ({why})" if why else ""}
        )
    if start <= now:
        raise _unavailable(_("Khung giờ này đã qua; hãy chọn một khung giờ sau."))
    days = bookable_days(group.unit, now)
    if day not in days:
        raise _unavailable(
            _("Chỉ đặt lịch được từ hôm nay đến %(n)s ngày làm việc tới.") % {"n": DAYS_AHEAD}
        )
    for slot in slots_of(group, day, now):
        if slot.start == local:
            if slot.free <= 0:
                raise _unavailable(
                    _("Khung giờ %(time)s ngày %(day)s đã đủ người đặt; hãy chọn khung giờ khác.")
                    % {"time": f"{local:%H:%M}", "day": f"{day:%d/%m/%Y}"}
                )
            return slot.end
    raise _unavailable(
        _(
            "%(time)s ngày %(day)s không phải một khung giờ đặt lịch trong giờ làm việc; hãy "
            "chọn một khung giờ trong danh sách."
        )
        % {"time": f"{local:%H:%M}", "day": f"{day:%d/%m/%Y}"}
    )


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        if not Booking.objects.filter(code=code).exists():
            return code


@transaction.atomic
def book_slot(
    *,
    unit_code: str,
    procedure_code: str,
    slot_start: datetime,
    name: str,
    phone: str = "",
    email: str = "",
    now: datetime | None = None,
) -> Booking:
    """Book a slot of the group serving the procedure; the code goes out through the outbox (SMS
    when a phone is given, else e-mail). Refused (slot_unavailable) on a non-working day,
    outside office hours, in the past, too far ahead, or when the slot is full."""
    now = resolve_now(now)
    unit = get_unit(unit_code)
    name = clean_line(name, field="name", label=_("Họ và tên"), max_length=200)
    if not name:
        raise InvalidInput(_("Hãy nhập họ và tên người đến làm thủ tục."), field="name")
    phone = clean_line(phone, field="phone", label=_("Điện thoại"), max_length=30)
    if phone and not phone.replace(" ", "").lstrip("+").isascii():
        raise InvalidInput(_("Số điện thoại chỉ gồm chữ số."), field="phone")
    if phone and not phone.replace(" ", "").lstrip("+").isdigit():
        raise InvalidInput(_("Số điện thoại chỉ gồm chữ số."), field="phone")
    email = clean_email(email, field="email")
    if not phone and not email:
        raise InvalidInput(
            _("Hãy nhập số điện thoại hoặc thư điện tử để nhận mã đặt lịch."), field="phone"
        )
    if timezone.is_naive(slot_start):
        slot_start = timezone.make_aware(slot_start)
    code = plain_code(procedure_code, 60)
    procedure = get_procedure_in_force(code, timezone.localdate(now)) if code else None
    if procedure is None or not procedure.units.filter(pk=unit.pk).exists():
        raise InvalidInput(_("Đơn vị không giải quyết thủ tục này."), field="procedure")
    group = group_for_procedure(unit, procedure)
    if group is None:
        raise _unavailable(_("Thủ tục này chưa nhận đặt lịch tại đơn vị."))
    group = ServiceGroup.objects.select_for_update().select_related("unit").get(pk=group.pk)
    slot_end = _check_slot(group, slot_start, now)
    booking = Booking.objects.create(
        unit=unit,
        group=group,
        procedure=procedure,
        code=_new_code(),
        slot_start=slot_start,
        slot_end=slot_end,
        name=name,
        phone=phone,
        email=email,
        booked_at=now,
    )
    record_booking_event(
        BookingChange(booking, actor=None, at=now, from_status=""),
        FloorEvent.Kind.BOOKED,
        note=_("Đặt lịch %(code)s") % {"code": booking.code},
    )
    local = timezone.localtime(slot_start)
    queue_message(
        recipient=Recipient(name=name, phone=phone, email=email),
        channel=Channel.SMS if phone else Channel.EMAIL,
        template_code=BOOKING_TEMPLATE,
        context={
            "code": booking.code,
            "unit": unit.name,
            "procedure": procedure.name,
            "name": name,
            "slot_start": local,
            "slot_end": timezone.localtime(slot_end),
        },
        dedupe_key=f"booking:{booking.code}",
    )
    return booking


@transaction.atomic
def cancel_booking(*, code: str, now: datetime | None = None) -> Booking:
    now = resolve_now(now)
    clean = plain_code(code, 12).upper()
    booking = Booking.objects.select_for_update().filter(code=clean).first() if clean else None
    if booking is None:
        raise BookingNotUsable(_("Không tìm thấy lịch hẹn với mã này."), field="code")
    if booking.status != BookingStatus.BOOKED:
        raise BookingNotUsable(
            _("Lịch hẹn %(code)s đã %(status)s; không hủy được nữa.")
            % {"code": booking.code, "status": booking.get_status_display().lower()},
            field="code",
        )
    change = BookingChange(booking, actor=None, at=now)
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    record_booking_event(change, FloorEvent.Kind.CANCELLED)
    return booking
