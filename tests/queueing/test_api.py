"""API.md "Counter floor": the contract's shapes, codes and problem+json refusals."""

from __future__ import annotations

import pytest
import time_machine

from motcua.queueing.models import Ticket, TicketStatus
from motcua.surveys.models import CounterRating
from tests.factories import make_staff
from tests.queueing.conftest import at

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post(client, path, data=None):
    return client.post(API + path, data or {}, content_type="application/json")


def take(client, floor, **extra):
    return post(client, "/queue/tickets", {"unit": floor.unit.code, "group": "ho-tich"} | extra)


@time_machine.travel(at(10, 9), tick=False)
def test_a_ticket_is_taken_called_and_rated_through_the_api(client, floor):
    first = take(client, floor)
    assert first.status_code == 201, first.text
    body = first.json()
    assert set(body) >= {"id", "number", "group", "issued_at", "waiting_before", "status_url"}
    assert (body["number"], body["group"], body["waiting_before"]) == ("A001", "ho-tich", 0)
    assert body["status_url"].startswith("http://testserver/quay/ve/")
    priority = take(client, floor, priority="elderly").json()

    assert post(client, f"/queue/counters/{floor.counter1.pk}/call-next").status_code == 401
    client.force_login(floor.officer)
    called = post(client, f"/queue/counters/{floor.counter1.pk}/call-next")
    assert called.status_code == 200
    assert called.json()["number"] == priority["number"] and called.json()["counter"] == "Quầy 1"
    state = client.get(f"{API}/queue/units/{floor.unit.code}/state").json()
    assert state["calling"] == [{"number": priority["number"], "counter": "Quầy 1"}]
    assert state["waiting"] == {"ho-tich": 1, "dat-dai": 0}
    layout = client.get(f"{API}/queue/units/{floor.unit.code}").json()
    assert layout["groups"][0] == {"code": "ho-tich", "name": "Hộ tịch"}
    assert layout["counters"][0]["officer"] == floor.officer.full_name
    assert layout["counters"][0]["groups"] == ["ho-tich", "dat-dai"]

    recalled = post(client, f"/queue/tickets/{priority['id']}/recall")
    assert recalled.status_code == 200
    moved = post(
        client, f"/queue/tickets/{priority['id']}/transfer", {"counter": floor.counter2.pk}
    )
    assert moved.status_code == 200 and moved.json()["status"] == "waiting"
    again = post(client, f"/queue/counters/{floor.counter1.pk}/call-next").json()
    assert again["number"] == "A001"  # the transferred ticket waits for counter 2 only
    there = post(client, f"/queue/counters/{floor.counter2.pk}/call-next")
    assert there.json()["number"] == priority["number"]
    nobody = post(client, f"/queue/counters/{floor.counter2.pk}/call-next")
    assert nobody.status_code == 204
    absent = post(client, f"/queue/tickets/{again['id']}/no-show")
    assert absent.json()["status"] == "no_show"

    served = priority  # finished at counter 2 by the call that found nobody
    token = Ticket.objects.get(pk=served["id"]).token
    client.logout()
    rating = post(
        client,
        f"/public/queue/tickets/{served['id']}/rating",
        {"token": token, "level": "satisfied", "reasons": ["communication"]},
    )
    assert rating.status_code == 201, rating.text
    second = post(
        client,
        f"/public/queue/tickets/{served['id']}/rating",
        {"token": token, "level": "satisfied"},
    )
    assert second.status_code == 409 and second.json()["code"] == "already_rated"
    assert second["Content-Type"] == "application/problem+json"
    assert CounterRating.objects.count() == 1


@time_machine.travel(at(10, 17, 30), tick=False)
def test_the_closed_floor_answers_409_floor_closed(client, floor):
    closed = take(client, floor)
    assert closed.status_code == 409
    assert closed.json()["code"] == "floor_closed"
    assert "08:00 ngày 11/03/2026" in closed.json()["detail"]


@time_machine.travel(at(9, 15), tick=False)
def test_bookings_through_the_api_refuse_holidays_and_reused_codes(client, floor):
    data = {
        "unit": floor.unit.code,
        "procedure": floor.procedure.code,
        "slot_start": "2026-03-10T09:30:00+07:00",
        "name": "Nguyễn Văn Hẹn",
        "phone": "0912345678",
        "email": "",
    }
    booked = post(client, "/public/bookings", data)
    assert booked.status_code == 201, booked.text
    code = booked.json()["booking_code"]
    assert booked.json()["slot_end"].startswith("2026-03-10T10:00:00")
    holiday = post(client, "/public/bookings", data | {"slot_start": "2026-03-14T09:00:00+07:00"})
    assert holiday.status_code == 409 and holiday.json()["code"] == "slot_unavailable"
    assert "ngày nghỉ" in holiday.json()["detail"]
    far = post(client, "/public/bookings", data | {"slot_start": "9999-12-31T23:59:59+07:00"})
    assert far.status_code in (409, 422) and far.json()["detail"]
    year_one = post(client, "/public/bookings", data | {"slot_start": "0001-01-01T00:00:00Z"})
    assert year_one.status_code in (409, 422) and year_one.json()["detail"]

    with time_machine.travel(at(10, 9, 25), tick=False):
        checked = take(client, floor, booking_code=code)
        assert checked.status_code == 201 and checked.json()["number"] == "A001"
        reused = take(client, floor, booking_code=code)
        assert reused.status_code == 409 and "đã được dùng" in reused.json()["detail"]


@time_machine.travel(at(10, 9), tick=False)
def test_outsiders_get_404_and_bad_input_422(client, floor, office):
    ticket = take(client, floor).json()
    client.force_login(make_staff(roles=[(office.other_ward, "receptionist")]))
    assert post(client, f"/queue/counters/{floor.counter1.pk}/call-next").status_code == 404
    assert post(client, f"/queue/tickets/{ticket['id']}/recall").status_code == 404
    assert Ticket.objects.get().status == TicketStatus.WAITING
    assert client.get(f"{API}/queue/units/TP.02/state").status_code == 404
    bad = post(client, "/queue/tickets", {"unit": floor.unit.code, "group": 5})
    assert bad.status_code == 422
    odd = post(
        client, f"/public/queue/tickets/{ticket['id']}/rating", {"token": "x", "level": "meh"}
    )
    assert odd.status_code == 422
    assert (
        post(
            client, "/public/queue/tickets/999999/rating", {"token": "x", "level": "satisfied"}
        ).status_code
        == 404
    )
