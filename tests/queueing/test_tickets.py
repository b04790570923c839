"""Tickets and calls: numbering per unit, group and day; the closed floor; the call order
(booked in window, then priority, then arrival); recall, absent, transfer, finish; scope."""

from __future__ import annotations

import pytest

from motcua.core.errors import InvalidInput
from motcua.queueing import services
from motcua.queueing.errors import BookingNotUsable, FloorClosed, FloorNotFound, TicketNotCallable
from motcua.queueing.models import CallOrder, FloorEvent, Ticket, TicketStatus
from tests.factories import make_staff
from tests.queueing.conftest import at

pytestmark = pytest.mark.django_db


def take(floor, minute=0, group="ho-tich", **kwargs):
    return services.issue_ticket(
        unit_code=floor.unit.code, group_code=group, now=at(10, 9, minute), **kwargs
    ).ticket


def test_tickets_are_numbered_per_group_and_start_again_the_next_working_day(floor):
    numbers = [take(floor, i).number for i in range(3)]
    assert numbers == ["A001", "A002", "A003"]
    assert take(floor, 4, group="dat-dai").number == "B001"
    tomorrow = services.issue_ticket(unit_code=floor.unit.code, group_code="ho-tich", now=at(11, 8))
    assert tomorrow.ticket.number == "A001"
    assert tomorrow.waiting_before == 0


def test_a_ticket_says_how_many_people_wait_before_it(floor):
    take(floor, 0)
    take(floor, 1)
    third = services.issue_ticket(unit_code=floor.unit.code, group_code="ho-tich", now=at(10, 9, 2))
    assert third.waiting_before == 2
    priority = services.issue_ticket(
        unit_code=floor.unit.code, group_code="ho-tich", priority_code="elderly", now=at(10, 9, 3)
    )
    assert priority.waiting_before == 0


@pytest.mark.parametrize(
    ("when", "opens"),
    [
        (at(10, 7, 30), "08:00 ngày 10/03/2026"),  # before opening
        (at(10, 12, 30), "13:00 ngày 10/03/2026"),  # lunch
        (at(13, 17, 30), "08:00 ngày 16/03/2026"),  # Friday evening → Monday
        (
            at(30, 9, month=4),
            "08:00 ngày 04/05/2026",
        ),  # Reunification Day, then 1/5 and the weekend
    ],
)
def test_no_ticket_is_issued_when_the_floor_is_closed_and_the_message_says_when_it_opens(
    floor, when, opens
):
    with pytest.raises(FloorClosed) as refused:
        services.issue_ticket(unit_code=floor.unit.code, group_code="ho-tich", now=when)
    assert refused.value.code == "floor_closed"
    assert opens in refused.value.message
    assert "ngoài giờ làm việc" in refused.value.message
    assert not Ticket.objects.exists() and not FloorEvent.objects.exists()


def test_a_priority_ticket_is_called_before_earlier_ordinary_ones_and_a_booking_before_both(floor):
    ordinary = [take(floor, 0), take(floor, 1)]
    priority = take(floor, 2, priority_code="elderly")
    booking = services.book_slot(
        unit_code=floor.unit.code,
        procedure_code=floor.procedure.code,
        slot_start=at(10, 9, 30),
        name="Nguyễn Văn Hẹn",
        phone="0912345678",
        now=at(9, 15),
    )
    booked = services.issue_ticket(
        unit_code=floor.unit.code, booking_code=booking.code.lower(), now=at(10, 9, 20)
    ).ticket
    assert booked.group == floor.a and booked.booked

    called = [
        services.call_next(counter_id=floor.counter1.pk, actor=floor.officer, now=at(10, 9, 40 + i))
        for i in range(4)
    ]
    assert [t.number for t in called] == [
        booked.number,
        priority.number,
        *(t.number for t in ordinary),
    ]
    assert (
        services.call_next(counter_id=floor.counter1.pk, actor=floor.officer, now=at(10, 10))
        is None
    )


def test_the_call_order_is_a_setting_of_the_group(floor):
    floor.a.call_order = CallOrder.ARRIVAL
    floor.a.save()
    first = take(floor, 0)
    take(floor, 1, priority_code="disability")
    called = services.call_next(counter_id=floor.counter1.pk, actor=floor.officer, now=at(10, 9, 5))
    assert called.pk == first.pk


def test_calling_records_the_wait_finishes_the_previous_ticket_and_makes_the_caller_the_officer(
    floor,
):
    first, second = take(floor, 0), take(floor, 1)
    called = services.call_next(
        counter_id=floor.counter1.pk, actor=floor.officer, now=at(10, 9, 10)
    )
    assert called.pk == first.pk and called.wait_seconds == 600
    floor.counter1.refresh_from_db()
    assert floor.counter1.officer == floor.officer

    services.call_next(counter_id=floor.counter1.pk, actor=floor.officer, now=at(10, 9, 15))
    first.refresh_from_db()
    assert first.status == TicketStatus.SERVED and first.service_seconds == 300
    second.refresh_from_db()
    assert second.status == TicketStatus.CALLED and second.counter == floor.counter1
    kinds = list(
        FloorEvent.objects.filter(ticket=first).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == ["issued", "called", "served"]


def test_recall_no_show_and_finish_apply_only_to_the_ticket_being_called(floor):
    ticket = take(floor, 0)
    with pytest.raises(TicketNotCallable):
        services.recall_ticket(ticket_id=ticket.pk, actor=floor.officer, now=at(10, 9, 1))
    services.call_next(counter_id=floor.counter1.pk, actor=floor.officer, now=at(10, 9, 2))
    again = services.recall_ticket(ticket_id=ticket.pk, actor=floor.officer, now=at(10, 9, 3))
    assert again.calls == 2
    gone = services.mark_no_show(ticket_id=ticket.pk, actor=floor.officer, now=at(10, 9, 5))
    assert gone.status == TicketStatus.NO_SHOW
    with pytest.raises(TicketNotCallable) as refused:
        services.finish_ticket(ticket_id=ticket.pk, actor=floor.officer, now=at(10, 9, 6))
    assert "Vắng mặt" in refused.value.message
    assert FloorEvent.objects.filter(ticket=ticket).count() == 4  # issued, called, recalled, absent


def test_a_ticket_transferred_to_another_group_or_counter_is_called_there(floor):
    ticket = take(floor, 0)
    services.call_next(counter_id=floor.counter2.pk, actor=floor.officer2, now=at(10, 9, 1))
    services.transfer_ticket(
        ticket_id=ticket.pk, actor=floor.officer2, group_code="dat-dai", now=at(10, 9, 2)
    )
    # Counter 2 serves only A: the land ticket goes to counter 1.
    assert (
        services.call_next(counter_id=floor.counter2.pk, actor=floor.officer2, now=at(10, 9, 3))
        is None
    )
    called = services.call_next(counter_id=floor.counter1.pk, actor=floor.officer, now=at(10, 9, 4))
    assert called.pk == ticket.pk and called.group == floor.b and called.number == "A001"

    services.transfer_ticket(
        ticket_id=ticket.pk, actor=floor.officer, counter_id=floor.counter2.pk, now=at(10, 9, 5)
    )
    other = take(floor, 6)
    assert (
        services.call_next(counter_id=floor.counter1.pk, actor=floor.officer, now=at(10, 9, 7)).pk
        == other.pk
    )
    assert (
        services.call_next(counter_id=floor.counter2.pk, actor=floor.officer2, now=at(10, 9, 8)).pk
        == ticket.pk
    )
    with pytest.raises(InvalidInput):
        services.transfer_ticket(ticket_id=ticket.pk, actor=floor.officer2, now=at(10, 9, 9))


def test_another_units_officer_and_a_specialist_find_no_counter(floor, office):
    take(floor, 0)
    stranger = make_staff(roles=[(office.other_ward, "receptionist")])
    for actor in (stranger, office.specialist):
        with pytest.raises(FloorNotFound) as refused:
            services.call_next(counter_id=floor.counter1.pk, actor=actor, now=at(10, 9, 1))
        assert refused.value.status == 404
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_bad_kiosk_input_is_refused_with_a_message_and_changes_nothing(floor):
    with pytest.raises(InvalidInput) as refused:
        services.issue_ticket(unit_code=floor.unit.code, group_code="khong-co", now=at(10, 9))
    assert "nhóm dịch vụ" in refused.value.message
    with pytest.raises(InvalidInput):
        take(floor, 0, priority_code="vip")
    with pytest.raises(BookingNotUsable):
        take(floor, 0, booking_code="\ud800XYZ")
    with pytest.raises(FloorNotFound):
        services.issue_ticket(unit_code="\ud800", group_code="ho-tich", now=at(10, 9))
    assert not Ticket.objects.exists()


def test_yesterdays_waiting_tickets_lapse_at_closing(floor):
    take(floor, 0)
    assert (
        services.call_next(counter_id=floor.counter1.pk, actor=floor.officer, now=at(11, 8)) is None
    )
