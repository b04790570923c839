"""API.md "Additions of 2026-12", field by field: what the audit of the contract found missing."""

from __future__ import annotations

import json

import pytest
import time_machine

from motcua.access.services import issue_token
from motcua.payments.services import FeeSpec, set_fee_schedule
from tests.factories import make_procedure, papers_json
from tests.queueing.conftest import at, make_floor

pytestmark = pytest.mark.django_db

API = "/api/v1"
FEES = [
    {
        "name": "Phí thẩm định",
        "kind": "fee",
        "amount": 15_000,
        "legal_basis": "Thông tư 85/2019/TT-BTC",
    },
    {
        "name": "Lệ phí cấp giấy",
        "kind": "charge",
        "amount": 50_000,
        "legal_basis": "Nghị quyết 06/2020/NQ-HĐND",
    },
]


class Api:
    def __init__(self, client, staff=None):
        self.client = client
        self.auth = {"Authorization": f"Bearer {issue_token(staff=staff)[0]}"} if staff else {}

    def get(self, path, params=None):
        return self.client.get(API + path, params or {}, headers=self.auth)

    def post(self, path, body=None):
        return self.client.post(
            API + path, json.dumps(body or {}), content_type="application/json", headers=self.auth
        )


@pytest.fixture
def procedure(office):
    p = make_procedure(units=[office.ward], online_mode="full")
    set_fee_schedule(procedure=p, items=[FeeSpec(**f) for f in FEES], exemptions=[], actor=None)
    return p


def reception(procedure):
    return {
        "procedure": procedure.code,
        "unit": "TP.01",
        "channel": "counter",
        "applicant": {"name": "Nguyễn Văn An", "id_number": "001099012345", "phone": "0912345678"},
        "documents": papers_json(procedure),
    }


def test_a_procedure_lists_its_fees_and_charges_alone_and_in_the_list(client, procedure):
    one = Api(client).get(f"/procedures/{procedure.code}")
    assert one.status_code == 200, one.content
    assert one.json()["fees"] == FEES
    listed = Api(client).get("/procedures", {"unit": "TP.01"}).json()["items"]
    assert [p["fees"] for p in listed if p["code"] == procedure.code] == [FEES]


def test_a_procedure_without_fees_lists_none(client, office):
    free = make_procedure(units=[office.ward])
    assert Api(client).get(f"/procedures/{free.code}").json()["fees"] == []


@time_machine.travel(at(19, 9, month=1), tick=False)
def test_a_dossier_carries_its_amount_due_whether_it_is_paid_and_its_payments(
    client, office, procedure
):
    desk = Api(client, office.receptionist)
    created = desk.post("/dossiers", reception(procedure))
    assert created.status_code == 201, created.content
    assert (created.json()["amount_due"], created.json()["paid"]) == (65_000, False)
    code = created.json()["code"]
    assert desk.get(f"/dossiers/{code}").json()["payments"] == []

    paid = desk.post(f"/dossiers/{code}/payments", {"method": "cash", "amount": 65_000})
    assert paid.status_code == 201, paid.content

    data = desk.get(f"/dossiers/{code}").json()
    assert (data["amount_due"], data["paid"]) == (65_000, True)
    [payment] = data["payments"]
    assert payment["id"] == paid.json()["id"]
    assert (payment["method"], payment["amount"], payment["status"]) == ("cash", 65_000, "paid")
    assert payment["paid_at"].endswith("+07:00")
    [item] = desk.get("/dossiers").json()["items"]
    assert (item["amount_due"], item["paid"], len(item["payments"])) == (65_000, True, 1)


@time_machine.travel(at(19, 9, month=1), tick=False)
def test_a_dossier_of_a_procedure_without_fees_owes_nothing(client, office):
    desk = Api(client, office.receptionist)
    created = desk.post("/dossiers", reception(make_procedure(units=[office.ward])))
    assert created.status_code == 201, created.content
    data = desk.get(f"/dossiers/{created.json()['code']}").json()
    assert (data["amount_due"], data["paid"], data["payments"]) == (0, False, [])


@time_machine.travel(at(9, 15), tick=False)
def test_a_booking_time_without_offset_is_refused_with_422(client, office):
    floor = make_floor(office)
    data = {
        "unit": floor.unit.code,
        "procedure": floor.procedure.code,
        "slot_start": "2026-03-10T09:30:00",
        "name": "Nguyễn Văn Hẹn",
        "phone": "0912345678",
    }
    naive = Api(client).post("/public/bookings", data)
    assert naive.status_code == 422, naive.content
    assert naive.headers["Content-Type"] == "application/problem+json"
    assert list(naive.json()["errors"]) == ["slot_start"]
    with_offset = Api(client).post(
        "/public/bookings", data | {"slot_start": data["slot_start"] + "+07:00"}
    )
    assert with_offset.status_code == 201, with_offset.content


def test_the_floor_event_stream_is_in_the_openapi_document_with_both_answers(client):
    schema = client.get("/api/v1/openapi.json").json()
    stream = schema["paths"]["/api/v1/queue/units/{unit}/events"]["get"]
    assert set(stream["responses"]["200"]["content"]) == {"text/event-stream"}
    assert set(stream["responses"]["404"]["content"]) == {"application/problem+json"}


def test_the_event_stream_of_a_unit_without_a_floor_is_a_whole_problem_document(client, office):
    answer = client.get(f"/api/v1/queue/units/{office.ward.code}/events")
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("application/problem+json")
    body = answer.json()
    assert (body["status"], body["code"]) == (404, "not_found") and body["type"] and body["title"]
