"""Online booking (D18): slots inside office hours of working days, capacity, the code by the
outbox, check-in within the window once, cancel by code, no-shows counted."""

from __future__ import annotations

import pytest

from motcua.core.errors import InvalidInput
from motcua.notifications.models import Message
from motcua.queueing import services
from motcua.queueing.errors import BookingNotUsable, SlotUnavailable
from motcua.queueing.figures import booking_figures
from motcua.queueing.models import Booking, BookingStatus, FloorEvent
from tests.queueing.conftest import at

pytestmark = pytest.mark.django_db(transaction=False)


def book(floor, start, now=None, **kwargs):
    data = {"name": "Trần Thị Đặt", "phone": "0912345678"} | kwargs
    return services.book_slot(
        unit_code=floor.unit.code,
        procedure_code=floor.procedure.code,
        slot_start=start,
        now=now or at(9, 15),
        **data,
    )


def test_a_booking_gets_a_code_sent_through_the_outbox(floor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        booking = book(floor, at(10, 9, 30))
    assert len(booking.code) == 8 and booking.group == floor.a
    assert booking.slot_end == at(10, 10)
    message = Message.objects.get()
    assert message.channel == "sms" and message.address == "0912345678"
    assert booking.code in message.body or booking.code in message.short
    assert FloorEvent.objects.filter(booking=booking, kind="booked").count() == 1


@pytest.mark.parametrize(
    ("start", "why"),
    [
        (at(30, 9, month=4), "ngày nghỉ"),  # Reunification Day
        (at(14, 9), "ngày nghỉ"),  # a Saturday
        (at(10, 12, 30), "không phải một khung giờ"),  # lunch
        (at(10, 16, 45), "không phải một khung giờ"),  # would end after 17:00
        (at(10, 9, 10), "không phải một khung giờ"),  # not on the slot grid
        (at(9, 8), "đã qua"),  # before now
        (at(25, 9), "6 ngày làm việc"),  # too far ahead
    ],
)
def test_a_slot_on_a_holiday_outside_hours_or_too_far_is_refused_with_the_reason(floor, start, why):
    now = at(28, 8, month=4) if start.month == 4 else at(9, 15)
    with pytest.raises(SlotUnavailable) as refused:
        book(floor, start, now=now)
    assert refused.value.code == "slot_unavailable"
    assert why in refused.value.message
    assert not Booking.objects.exists() and not Message.objects.exists()


def test_a_full_slot_is_refused(floor):
    book(floor, at(10, 9, 30))
    book(floor, at(10, 9, 30), phone="0987654321")
    with pytest.raises(SlotUnavailable) as refused:
        book(floor, at(10, 9, 30), phone="0900000000")
    assert "đã đủ" in refused.value.message
    free = {s.start: s.free for s in services.slots_of(floor.a, at(10, 0).date(), at(9, 15))}
    assert free[at(10, 9, 30)] == 0 and free[at(10, 10)] == 2


def test_bad_booking_input_is_refused_with_a_message(floor):
    with pytest.raises(InvalidInput) as refused:
        book(floor, at(10, 9, 30), phone="", email="")
    assert "điện thoại hoặc thư điện tử" in refused.value.message
    with pytest.raises(InvalidInput):
        book(floor, at(10, 9, 30), phone="٠٩١٢٣٤٥٦٧٨")  # Arabic-Indic digits
    with pytest.raises(InvalidInput):
        book(floor, at(10, 9, 30), name="\ud800")
    with pytest.raises(InvalidInput):
        services.book_slot(
            unit_code=floor.unit.code,
            procedure_code="\ud800",
            slot_start=at(10, 9, 30),
            name="A",
            phone="0912345678",
            now=at(9, 15),
        )
    assert not Booking.objects.exists()


def test_a_booking_code_checks_in_once_within_its_window(floor):
    booking = book(floor, at(10, 9, 30))
    with pytest.raises(BookingNotUsable) as early:
        services.issue_ticket(unit_code=floor.unit.code, booking_code=booking.code, now=at(10, 9))
    assert "09:15" in early.value.message
    ticket = services.issue_ticket(
        unit_code=floor.unit.code, booking_code=booking.code, now=at(10, 9, 20)
    ).ticket
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN and booking.ticket == ticket
    with pytest.raises(BookingNotUsable) as reused:
        services.issue_ticket(
            unit_code=floor.unit.code, booking_code=booking.code, now=at(10, 9, 21)
        )
    assert "đã được dùng" in reused.value.message and ticket.number in reused.value.message

    late = book(floor, at(10, 10))
    with pytest.raises(BookingNotUsable) as too_late:
        services.issue_ticket(unit_code=floor.unit.code, booking_code=late.code, now=at(10, 10, 31))
    assert "hết khung giờ" in too_late.value.message


def test_a_booking_is_cancelled_by_its_code_once_and_no_shows_are_counted(floor):
    kept = book(floor, at(10, 9, 30))
    dropped = book(floor, at(10, 10))
    cancelled = services.cancel_booking(code=f" {dropped.code.lower()} ", now=at(9, 16))
    assert cancelled.status == BookingStatus.CANCELLED
    with pytest.raises(BookingNotUsable) as again:
        services.cancel_booking(code=dropped.code, now=at(9, 17))
    assert "không hủy được" in again.value.message
    with pytest.raises(BookingNotUsable):
        services.issue_ticket(unit_code=floor.unit.code, booking_code=dropped.code, now=at(10, 10))
    figures = booking_figures(floor.unit, at(10, 0).date(), at(10, 0).date(), now=at(10, 17))
    assert (figures.booked, figures.checked_in, figures.cancelled, figures.no_shows) == (2, 0, 1, 1)
    assert kept.status == BookingStatus.BOOKED
