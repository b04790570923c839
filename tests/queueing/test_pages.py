"""The floor's pages through Django's client: the kiosk and its printed ticket, the phone page,
the panel strip and its actions, reception from a ticket, the tablet's rating, the figures and
their Excel export, booking and cancelling; outsiders get 404, bad input a message."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from motcua.dossiers.models import Dossier
from motcua.queueing import services
from motcua.queueing.models import Booking, Ticket, TicketStatus
from motcua.surveys.errors import AlreadyRated
from motcua.surveys.models import CounterRating
from motcua.surveys.services import rate_counter_ticket
from tests.factories import make_staff
from tests.queueing.conftest import at

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@time_machine.travel(at(10, 9), tick=False)
def test_the_kiosk_prints_a_ticket_with_its_number_waiting_count_and_qr(client, floor):
    page = client.get(reverse("queueing:kiosk", args=[floor.unit.code]))
    assert page.status_code == 200
    assert "Hộ tịch" in page.text and "Người cao tuổi" in page.text
    assert "<script>" not in page.text and "style=" not in page.text
    services.issue_ticket(unit_code=floor.unit.code, group_code="ho-tich")
    taken = client.post(
        reverse("queueing:kiosk", args=[floor.unit.code]), {"group": "ho-tich", "priority": ""}
    )
    assert taken.status_code == 303
    printed = client.get(taken["Location"])
    assert "A002" in printed.text and "Còn 1 người trước bạn" in printed.text
    assert "data:image/svg+xml" in printed.text  # the QR code to the phone page
    ticket = Ticket.objects.get(number="A002")
    assert reverse("queueing:phone", args=[ticket.token]) in printed.text


@time_machine.travel(at(10, 7), tick=False)
def test_the_closed_kiosk_says_when_it_opens_and_issues_nothing(client, floor):
    page = client.post(reverse("queueing:kiosk", args=[floor.unit.code]), {"group": "ho-tich"})
    assert page.status_code == 409
    assert "08:00 ngày 10/03/2026" in page.text
    assert not Ticket.objects.exists()


@time_machine.travel(at(10, 9), tick=False)
def test_the_phone_page_shows_people_before_and_the_counter_once_called(client, floor):
    first = services.issue_ticket(unit_code=floor.unit.code, group_code="ho-tich").ticket
    mine = services.issue_ticket(unit_code=floor.unit.code, group_code="ho-tich").ticket
    url = reverse("queueing:phone", args=[mine.token])
    assert "còn 1 người trước bạn" in client.get(url).text
    services.call_next(counter_id=floor.counter1.pk, actor=floor.officer)
    assert client.get(url + "?format=json").json()["waiting_before"] == 0
    services.call_next(counter_id=floor.counter2.pk, actor=floor.officer2)
    view = client.get(url + "?format=json").json()
    assert view["status"] == "called" and view["counter"] == "Quầy 2"
    assert client.get(reverse("queueing:phone", args=["khong-co"])).status_code == 404
    assert first.number == "A001"


@time_machine.travel(at(10, 9), tick=False)
def test_the_panel_strip_shows_only_to_counter_officers_and_calls_the_next(client, floor, office):
    client.force_login(office.specialist)
    assert "Gọi số tiếp theo" not in client.get(reverse("office:home")).text
    client.force_login(floor.officer)
    home = client.get(reverse("office:home"))
    assert "Gọi số tiếp theo" in home.text
    services.issue_ticket(unit_code=floor.unit.code, group_code="ho-tich")
    called = client.post(
        reverse("queueing:act", args=["next"]), {"counter": floor.counter1.pk}, **HX
    )
    assert called.status_code == 200
    assert "Đang gọi số A001" in called.text and "Tiếp nhận hồ sơ" in called.text
    ticket = Ticket.objects.get()
    again = client.post(
        reverse("queueing:act", args=["recall"]),
        {"ticket": ticket.pk, "counter": floor.counter1.pk},
        **HX,
    )
    assert "Đã gọi lại số A001" in again.text
    empty = client.post(
        reverse("queueing:act", args=["next"]), {"counter": floor.counter1.pk}, **HX
    )
    assert "Không còn ai chờ" in empty.text
    bad = client.post(reverse("queueing:act", args=["recall"]), {"ticket": "١٢"}, **HX)
    assert bad.status_code == 404


@time_machine.travel(at(10, 9), tick=False)
def test_another_units_officer_cannot_call_at_this_units_counter(client, floor, office):
    services.issue_ticket(unit_code=floor.unit.code, group_code="ho-tich")
    client.force_login(make_staff(roles=[(office.other_ward, "receptionist")]))
    answer = client.post(
        reverse("queueing:act", args=["next"]), {"counter": floor.counter1.pk}, **HX
    )
    assert answer.status_code == 404
    assert Ticket.objects.get().status == TicketStatus.WAITING


def _reception_data(floor):
    docs = [d.pk for d in floor.procedure.documents.all() if d.mandatory]
    return {
        "unit": floor.unit.code,
        "procedure": floor.procedure.code,
        "documents": docs,
        "name": "Phạm Thị Hồng Nhung",
        "id_number": "001188004567",
        "phone": "0987654321",
        "email": "nhung@example.vn",
        "address": "5 Lý Thái Tổ, Hoàn Kiếm",
        "green_lane_group": "",
        "channel": "counter",
        "note": "",
        "action": "receive",
    }


def test_a_dossier_received_from_a_ticket_records_the_ticket_wait_and_service_time(client, floor):
    with time_machine.travel(at(10, 9), tick=False):
        ticket = services.issue_ticket(unit_code=floor.unit.code, group_code="ho-tich").ticket
    with time_machine.travel(at(10, 9, 12), tick=False):
        services.call_next(counter_id=floor.counter1.pk, actor=floor.officer)
        client.force_login(floor.officer)
        opened = client.post(reverse("queueing:receive"), {"ticket": ticket.pk})
        assert opened.status_code == 303 and reverse("office:reception") in opened["Location"]
    with time_machine.travel(at(10, 9, 20), tick=False):
        received = client.post(reverse("office:reception"), _reception_data(floor))
        assert received.status_code == 303, received.text[:2000]
    ticket.refresh_from_db()
    dossier = Dossier.objects.get()
    assert ticket.dossier == dossier and ticket.status == TicketStatus.SERVED
    assert (ticket.wait_seconds, ticket.service_seconds) == (720, 480)
    assert list(dossier.queue_tickets.all()) == [ticket]
    assert ticket.events.filter(kind="received").count() == 1


@time_machine.travel(at(10, 9), tick=False)
def test_the_tablet_asks_after_the_service_and_takes_one_rating_per_ticket(client, floor):
    ticket = services.issue_ticket(unit_code=floor.unit.code, group_code="ho-tich").ticket
    url = reverse("queueing:tablet", args=[floor.unit.code, floor.counter1.pk])
    assert "Ông/bà có hài lòng" not in client.get(url).text
    services.call_next(counter_id=floor.counter1.pk, actor=floor.officer)
    with pytest.raises(Exception) as not_yet:
        rate_counter_ticket(ticket_id=ticket.pk, token=ticket.token, overall="satisfied")
    assert "chưa được phục vụ xong" in str(not_yet.value)
    services.finish_ticket(ticket_id=ticket.pk, actor=floor.officer)
    page = client.get(url)
    assert "Ông/bà có hài lòng" in page.text and ticket.number in page.text
    rated = client.post(
        url,
        {"ticket": ticket.pk, "token": ticket.token, "level": "not_satisfied", "reasons": ["time"]},
    )
    assert "Cảm ơn ông/bà" in rated.text
    rating = CounterRating.objects.get()
    assert (rating.officer, rating.counter, rating.ticket, rating.reasons) == (
        floor.officer,
        floor.counter1,
        ticket,
        ["time"],
    )
    second = client.post(url, {"ticket": ticket.pk, "token": ticket.token, "level": "satisfied"})
    assert second.status_code == 409 and "đã được đánh giá" in second.text
    with pytest.raises(AlreadyRated):
        rate_counter_ticket(ticket_id=ticket.pk, token=ticket.token, overall="satisfied")
    assert CounterRating.objects.get().overall == "not_satisfied"
    wrong = client.post(url, {"ticket": ticket.pk, "token": "x" * 20, "level": "satisfied"})
    assert wrong.status_code == 404


@time_machine.travel(at(10, 9), tick=False)
def test_the_figures_page_and_excel_show_tickets_waits_no_shows_and_ratings(client, floor, office):
    for minute in range(3):
        with time_machine.travel(at(10, 9, minute), tick=False):
            services.issue_ticket(unit_code=floor.unit.code, group_code="ho-tich")
    with time_machine.travel(at(10, 9, 10), tick=False):
        first = services.call_next(counter_id=floor.counter1.pk, actor=floor.officer)
    with time_machine.travel(at(10, 9, 20), tick=False):
        services.call_next(counter_id=floor.counter1.pk, actor=floor.officer)
        rate_counter_ticket(ticket_id=first.pk, token=first.token, overall="very_satisfied")
        second = Ticket.objects.get(number="A002")
        services.mark_no_show(ticket_id=second.pk, actor=floor.officer)
    client.force_login(office.leader)
    page = client.get(
        reverse("queueing:figures", args=[floor.unit.code]),
        {"from": "2026-03-10", "to": "2026-03-10", "by": "officer"},
    )
    assert page.status_code == 200
    assert floor.officer.full_name in page.text
    sheet = client.get(
        reverse("queueing:figures_xlsx", args=[floor.unit.code]),
        {"from": "2026-03-10", "to": "2026-03-10"},
    )
    book = load_workbook(io.BytesIO(sheet.content))
    rows = list(book["Nhóm dịch vụ"].iter_rows(values_only=True))
    assert rows[1][:5] == ("Hộ tịch", 3, 1, 1, 0)
    assert rows[1][5] == pytest.approx((600 + 1140) / 2)  # A001 waited 10 min, A002 19 min
    assert rows[1][6] == 1140  # the 90th percentile of two waits: the longer
    assert rows[1][9] == 1  # very satisfied
    client.force_login(office.outsider)
    assert client.get(reverse("queueing:figures", args=[floor.unit.code])).status_code == 404
    odd = client.get(
        reverse("queueing:figures", args=[floor.unit.code]),
        {"from": "9999-12-31", "to": "0001-01-01"},
    )
    assert odd.status_code == 404  # the outsider, whatever the dates


@time_machine.travel(at(9, 15), tick=False)
def test_the_booking_page_books_a_slot_and_cancels_it_by_code(client, floor):
    page = client.get(
        reverse("booking:booking"),
        {"unit": floor.unit.code, "procedure": floor.procedure.code, "day": "2026-03-10"},
    )
    assert page.status_code == 200 and "09:30" in page.text
    data = {
        "unit": floor.unit.code,
        "procedure": floor.procedure.code,
        "day": "2026-03-10",
        "slot": at(10, 9, 30).isoformat(),
        "name": "Lê Văn Hẹn",
        "phone": "0912345678",
    }
    booked = client.post(reverse("booking:booking"), data)
    booking = Booking.objects.get()
    assert booked.status_code == 200 and booking.code in booked.text
    holiday = client.post(
        reverse("booking:booking"), data | {"slot": at(14, 9).isoformat(), "day": "2026-03-14"}
    )
    assert holiday.status_code == 409 and "ngày nghỉ" in holiday.text
    odd = client.post(reverse("booking:booking"), data | {"slot": "9999-12-31T23:59:59"})
    assert odd.status_code in (409, 422) and Booking.objects.count() == 1
    cancelled = client.post(reverse("booking:cancel_booking"), {"code": booking.code})
    assert "Đã hủy lịch hẹn" in cancelled.text
    again = client.post(reverse("booking:cancel_booking"), {"code": booking.code})
    assert again.status_code == 409 and "không hủy được" in again.text
