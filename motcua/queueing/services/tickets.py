"""Queue tickets: issue at the kiosk (walk-in, priority, booked check-in), call the next at a
counter, call again, absent, transfer, receive a dossier from it, finish, leave the counter.

Numbering: the group's row is locked while the next sequence of the working day is taken, so
tickets taken at the same instant get distinct consecutive numbers. Calling: the counter's row is
locked, then the first waiting ticket by (rank, arrival) is taken with SKIP LOCKED, so two
officers pressing "next" at the same instant never get the same ticket (PostgreSQL; SQLite
serialises writers)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.clock import resolve_now
from motcua.core.errors import InvalidInput
from motcua.dossiers.models import Dossier
from motcua.org.models import Staff
from motcua.queueing.errors import (
    BookingNotUsable,
    FloorClosed,
    FloorNotFound,
    TicketNotCallable,
)
from motcua.queueing.models import (
    Booking,
    BookingStatus,
    CallOrder,
    Counter,
    FloorEvent,
    PriorityCategory,
    ServiceGroup,
    Ticket,
    TicketStatus,
)
from motcua.queueing.services.common import (
    BookingChange,
    TicketChange,
    announce,
    ensure_counter_officer,
    floor_is_open,
    get_unit,
    next_opening,
    plain_code,
    record_ticket_event,
)

#: A booked citizen may check in this long before the slot starts (and until it ends).
CHECK_IN_EARLY = timedelta(minutes=15)


@dataclass(frozen=True)
class Issued:
    ticket: Ticket
    waiting_before: int


def rank_for(order: str, *, booked: bool, priority: bool) -> int:
    """The place in the waiting line (0 first) under a group's call order."""
    if order == CallOrder.ARRIVAL:
        return 2
    if order == CallOrder.PRIORITY_BOOKED_ARRIVAL:
        return 0 if priority else 1 if booked else 2
    return 0 if booked else 1 if priority else 2


def waiting_line(group_ids: list[int], counter_id: int | None = None) -> Q:
    """The waiting tickets a counter serving ``group_ids`` may call: those of its groups not sent
    to another counter, and those transferred to it."""
    line = Q(group_id__in=group_ids, counter__isnull=True)
    if counter_id is not None:
        line |= Q(counter_id=counter_id)
    return Q(status=TicketStatus.WAITING) & line


def count_waiting_before(ticket: Ticket) -> int:
    """How many waiting tickets of its group will be called before ``ticket``."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    ahead = Q(rank__lt=ticket.rank) | Q(rank=ticket.rank, issued_at__lt=ticket.issued_at)
    ahead |= Q(rank=ticket.rank, issued_at=ticket.issued_at, pk__lt=ticket.pk)
    return (
        Ticket.objects.filter(group_id=ticket.group_id, status=TicketStatus.WAITING, day=ticket.day)
        .filter(ahead)
        .count()
    )


def _closed(unit_name: str, opening: datetime | None) -> FloorClosed:
    if opening is None:
        return FloorClosed(
            _("Bộ phận Một cửa của %(unit)s đang ngoài giờ làm việc; chưa cấp số thứ tự.")
            % {"unit": unit_name}
        )
    local = timezone.localtime(opening)
    return FloorClosed(
        _(
            "Bộ phận Một cửa của %(unit)s đang ngoài giờ làm việc; chưa cấp số thứ tự. "
            "Mời ông/bà quay lại lúc %(time)s ngày %(day)s."
        )
        % {"unit": unit_name, "time": f"{local:%H:%M}", "day": f"{local:%d/%m/%Y}"}
    )


def _usable_booking(unit_id: int, code: str, now: datetime) -> Booking:
    clean = plain_code(code, 12).upper()
    booking = (
        Booking.objects.select_for_update().filter(unit_id=unit_id, code=clean).first()
        if clean
        else None
    )
    if booking is None:
        raise BookingNotUsable(
            _("Mã đặt lịch %(code)s không đúng. Hãy kiểm tra tin nhắn xác nhận hoặc lấy số thường.")
            % {"code": clean[:12]},
            field="booking_code",
        )
    if booking.status == BookingStatus.CHECKED_IN:
        raise BookingNotUsable(
            _("Mã đặt lịch %(code)s đã được dùng để lấy số %(number)s; mỗi mã chỉ dùng một lần.")
            % {"code": booking.code, "number": booking.ticket.number if booking.ticket else ""},
            field="booking_code",
        )
    if booking.status == BookingStatus.CANCELLED:
        raise BookingNotUsable(
            _("Lịch hẹn %(code)s đã bị hủy. Mời ông/bà lấy số thường.") % {"code": booking.code},
            field="booking_code",
        )
    start, end = timezone.localtime(booking.slot_start), timezone.localtime(booking.slot_end)
    if now < booking.slot_start - CHECK_IN_EARLY:
        opens = timezone.localtime(booking.slot_start - CHECK_IN_EARLY)
        raise BookingNotUsable(
            _(
                "Lịch hẹn %(code)s bắt đầu lúc %(start)s ngày %(day)s; ông/bà có thể lấy số ưu "
                "tiên từ %(opens)s."
            )
            % {
                "code": booking.code,
                "start": f"{start:%H:%M}",
                "day": f"{start:%d/%m/%Y}",
                "opens": f"{opens:%H:%M}",
            },
            field="booking_code",
        )
    if now > booking.slot_end:
        raise BookingNotUsable(
            _(
                "Lịch hẹn %(code)s đã hết khung giờ (%(start)s–%(end)s ngày %(day)s). Mời ông/bà "
                "lấy số thường."
            )
            % {
                "code": booking.code,
                "start": f"{start:%H:%M}",
                "end": f"{end:%H:%M}",
                "day": f"{start:%d/%m/%Y}",
            },
            field="booking_code",
        )
    return booking


@transaction.atomic
def issue_ticket(
    *,
    unit_code: str,
    group_code: str = "",
    priority_code: str | None = None,
    booking_code: str | None = None,
    now: datetime | None = None,
) -> Issued:
    """A ticket of the unit's group for a walk-in (priority when ``priority_code`` names a line
    of the unit's priority list), or the booked group's ticket for a booking checked in within
    its window. Refused while the floor is closed, saying when it opens."""
    now = resolve_now(now)
    unit = get_unit(unit_code)
    booking = _usable_booking(unit.pk, booking_code, now) if booking_code else None
    if booking is not None:
        group_filter = Q(pk=booking.group_id)
    else:
        group_filter = Q(code=plain_code(group_code, 20))
    group = (
        ServiceGroup.objects.select_for_update()
        .filter(group_filter, unit=unit, active=True)
        .first()
    )
    if group is None:
        raise InvalidInput(_("Hãy chọn một nhóm dịch vụ của đơn vị."), field="group")
    if not floor_is_open(unit, now):
        raise _closed(unit.name, next_opening(unit, now))
    priority = None
    if priority_code:
        priority = PriorityCategory.objects.filter(
            unit=unit, code=plain_code(priority_code, 30), active=True
        ).first()
        if priority is None:
            raise InvalidInput(
                _("Đối tượng ưu tiên không có trong danh sách ưu tiên của đơn vị."),
                field="priority",
            )
    day = timezone.localdate(now)
    last = Ticket.objects.filter(issued_group=group, day=day).aggregate(m=Max("sequence"))["m"]
    sequence = (last or 0) + 1
    ticket = Ticket(
        unit=unit,
        group=group,
        issued_group=group,
        day=day,
        sequence=sequence,
        number=f"{group.letter}{sequence:03d}",
        rank=rank_for(group.call_order, booked=booking is not None, priority=priority is not None),
        priority=priority,
        booked=booking is not None,
        token=secrets.token_urlsafe(18),
        issued_at=now,
    )
    ticket.save()
    change = TicketChange(ticket, actor=None, at=now, from_status="")
    note = _("Lấy số %(number)s") % {"number": ticket.number}
    if priority is not None:
        note += " — " + _("ưu tiên: %(who)s") % {"who": priority.name}
    if booking is not None:
        booking.status = BookingStatus.CHECKED_IN
        booking.ticket = ticket
        booking.save(update_fields=["status", "ticket"])
        ticket._checked_in_booking = booking  # type: ignore[attr-defined]
        note += " — " + _("theo lịch hẹn %(code)s") % {"code": booking.code}
    record_ticket_event(change, FloorEvent.Kind.ISSUED, note=note)
    announce(unit.pk)
    return Issued(ticket=ticket, waiting_before=count_waiting_before(ticket))


def _counter_for(counter_id: int, actor: Staff) -> Counter:
    counter = (
        Counter.objects.select_for_update()
        .select_related("unit")
        .filter(pk=counter_id, active=True)
        .first()
    )
    if counter is None:
        raise FloorNotFound(_("Không tìm thấy quầy."))
    ensure_counter_officer(actor, counter.unit)
    return counter


def _ticket_for(ticket_id: int, actor: Staff) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise FloorNotFound(_("Không tìm thấy số thứ tự."))
    ensure_counter_officer(actor, ticket.unit)
    return ticket


def _finish(ticket: Ticket, now: datetime) -> None:
    ticket.finished_at = now
    started = ticket.last_called_at or now
    ticket.service_seconds = max(0, int((now - started).total_seconds()))


def _take_counter(counter: Counter, actor: Staff) -> None:
    """Calling at a counter makes the actor its officer (and leaves any other counter)."""
    if counter.officer_id != actor.pk:
        Counter.objects.filter(officer=actor).exclude(pk=counter.pk).update(officer=None)
        counter.officer = actor
        counter.save(update_fields=["officer"])


@transaction.atomic
def call_next(*, counter_id: int, actor: Staff, now: datetime | None = None) -> Ticket | None:
    """Finish the ticket being served at the counter, then call the first waiting ticket of its
    groups: booked in window, then priority, then arrival (the group's call order). None when
    nobody waits."""
    now = resolve_now(now)
    counter = _counter_for(counter_id, actor)
    _take_counter(counter, actor)
    for current in Ticket.objects.select_for_update().filter(
        counter=counter, status=TicketStatus.CALLED
    ):
        change = TicketChange(current, actor=actor, at=now)
        current.status = TicketStatus.SERVED
        _finish(current, now)
        current.save(update_fields=["status", "finished_at", "service_seconds"])
        record_ticket_event(change, FloorEvent.Kind.SERVED)
    group_ids = list(counter.groups.filter(active=True).values_list("pk", flat=True))
    ticket = (
        Ticket.objects.select_for_update(skip_locked=True)
        .filter(waiting_line(group_ids, counter.pk), unit_id=counter.unit_id)
        .filter(day=timezone.localdate(now))
        .order_by("rank", "issued_at", "pk")
        .first()
    )
    if ticket is None:
        announce(counter.unit_id)
        return None
    change = TicketChange(ticket, actor=actor, at=now)
    ticket.status = TicketStatus.CALLED
    ticket.counter = counter
    ticket.officer = actor
    ticket.called_at = ticket.called_at or now
    ticket.last_called_at = now
    ticket.calls += 1
    if ticket.wait_seconds is None:
        ticket.wait_seconds = max(0, int((now - ticket.issued_at).total_seconds()))
    ticket.save()
    record_ticket_event(
        change,
        FloorEvent.Kind.CALLED,
        note=_("Mời số %(number)s đến %(counter)s") % {"number": ticket.number, "counter": counter},
    )
    announce(counter.unit_id)
    return ticket


def _must_be_called(ticket: Ticket) -> None:
    if ticket.status != TicketStatus.CALLED:
        raise TicketNotCallable(
            _(
                "Số %(number)s đang ở trạng thái “%(status)s”; chỉ số đang được gọi mới làm được việc này."
            )
            % {"number": ticket.number, "status": ticket.get_status_display()}
        )


@transaction.atomic
def recall_ticket(*, ticket_id: int, actor: Staff, now: datetime | None = None) -> Ticket:
    now = resolve_now(now)
    ticket = _ticket_for(ticket_id, actor)
    _must_be_called(ticket)
    change = TicketChange(ticket, actor=actor, at=now)
    ticket.last_called_at = now
    ticket.calls += 1
    ticket.save(update_fields=["last_called_at", "calls"])
    record_ticket_event(change, FloorEvent.Kind.RECALLED)
    announce(ticket.unit_id)
    return ticket


@transaction.atomic
def mark_no_show(*, ticket_id: int, actor: Staff, now: datetime | None = None) -> Ticket:
    now = resolve_now(now)
    ticket = _ticket_for(ticket_id, actor)
    _must_be_called(ticket)
    change = TicketChange(ticket, actor=actor, at=now)
    ticket.status = TicketStatus.NO_SHOW
    ticket.finished_at = now
    ticket.save(update_fields=["status", "finished_at"])
    record_ticket_event(change, FloorEvent.Kind.NO_SHOW)
    announce(ticket.unit_id)
    return ticket


@transaction.atomic
def transfer_ticket(
    *,
    ticket_id: int,
    actor: Staff,
    group_code: str = "",
    counter_id: int | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Send a called or waiting ticket to another group of the unit, or to one counter; it waits
    there keeping its place by rank and arrival."""
    now = resolve_now(now)
    ticket = _ticket_for(ticket_id, actor)
    if ticket.status not in (TicketStatus.CALLED, TicketStatus.WAITING):
        raise TicketNotCallable(
            _("Số %(number)s đã xong; không chuyển được.") % {"number": ticket.number}
        )
    target_group = None
    if group_code:
        target_group = ServiceGroup.objects.filter(
            unit_id=ticket.unit_id, code=plain_code(group_code, 20), active=True
        ).first()
        if target_group is None:
            raise InvalidInput(_("Không có nhóm dịch vụ này ở đơn vị."), field="group")
    target_counter = None
    if counter_id is not None:
        target_counter = Counter.objects.filter(
            unit_id=ticket.unit_id, pk=counter_id, active=True
        ).first()
        if target_counter is None:
            raise InvalidInput(_("Không có quầy này ở đơn vị."), field="counter")
    if target_group is None and target_counter is None:
        raise InvalidInput(_("Hãy chọn nhóm dịch vụ hoặc quầy để chuyển đến."), field="group")
    change = TicketChange(ticket, actor=actor, at=now)
    from_counter = ticket.counter_id
    if target_group is not None:
        ticket.group = target_group
    ticket.counter = target_counter
    ticket.status = TicketStatus.WAITING
    ticket.officer = None
    ticket.save(update_fields=["group", "counter", "status", "officer"])
    where = str(target_counter) if target_counter is not None else str(target_group)
    record_ticket_event(
        change,
        FloorEvent.Kind.TRANSFERRED,
        note=_("Chuyển số %(number)s đến %(where)s") % {"number": ticket.number, "where": where},
        counter_id=from_counter,
    )
    announce(ticket.unit_id)
    return ticket


@transaction.atomic
def finish_ticket(*, ticket_id: int, actor: Staff, now: datetime | None = None) -> Ticket:
    """The officer is done with a called ticket (no dossier received)."""
    now = resolve_now(now)
    ticket = _ticket_for(ticket_id, actor)
    _must_be_called(ticket)
    change = TicketChange(ticket, actor=actor, at=now)
    ticket.status = TicketStatus.SERVED
    _finish(ticket, now)
    ticket.save(update_fields=["status", "finished_at", "service_seconds"])
    record_ticket_event(change, FloorEvent.Kind.SERVED)
    announce(ticket.unit_id)
    return ticket


@transaction.atomic
def link_dossier(
    *, ticket_id: int, dossier_id: int, actor: Staff, now: datetime | None = None
) -> Ticket:
    """The dossier received from a called ticket: the ticket records it, and its service ends
    (the wait and service times are the ticket's). Call inside the reception's transaction."""
    now = resolve_now(now)
    ticket = _ticket_for(ticket_id, actor)
    if ticket.dossier_id is not None:
        raise TicketNotCallable(
            _("Số %(number)s đã gắn với một hồ sơ khác.") % {"number": ticket.number}
        )
    _must_be_called(ticket)
    dossier = Dossier.objects.filter(pk=dossier_id).only("pk", "code", "unit_id").first()
    if dossier is None or dossier.unit_id != ticket.unit_id:
        raise FloorNotFound(_("Không tìm thấy hồ sơ của đơn vị."))
    change = TicketChange(ticket, actor=actor, at=now)
    ticket.dossier = dossier
    ticket.status = TicketStatus.SERVED
    _finish(ticket, now)
    ticket.save(update_fields=["dossier", "status", "finished_at", "service_seconds"])
    record_ticket_event(
        change,
        FloorEvent.Kind.RECEIVED,
        note=_("Tiếp nhận hồ sơ %(code)s từ số %(number)s")
        % {"code": dossier.code, "number": ticket.number},
    )
    announce(ticket.unit_id)
    return ticket


@transaction.atomic
def leave_counter(*, counter_id: int, actor: Staff, now: datetime | None = None) -> Counter:
    now = resolve_now(now)
    counter = _counter_for(counter_id, actor)
    if counter.officer_id == actor.pk:
        counter.officer = None
        counter.save(update_fields=["officer"])
        FloorEvent.objects.create(
            unit_id=counter.unit_id,
            counter=counter,
            at=now,
            actor=actor,
            kind=FloorEvent.Kind.LEFT,
        )
        announce(counter.unit_id)
    return counter


__all__ = [
    "BookingChange",
    "Issued",
    "call_next",
    "count_waiting_before",
    "finish_ticket",
    "issue_ticket",
    "leave_counter",
    "link_dossier",
    "mark_no_show",
    "rank_for",
    "recall_ticket",
    "transfer_ticket",
    "waiting_line",
]
