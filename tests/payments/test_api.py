"""The API of fees and receipts (API.md "Fees and receipts"): counter payment, receipts as JSON,
PDF and XML, cancellation by the leader; the outsider's 404 and bad input's problem+json."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from motcua.access.services import issue_token
from motcua.payments.models import Charge, Payment, Receipt

BASE = "/api/v1"
pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, client, staff):
        self.client = client
        self.auth = {"Authorization": f"Bearer {issue_token(staff=staff)[0]}"}

    def get(self, path):
        return self.client.get(BASE + path, headers=self.auth)

    def post(self, path, body):
        return self.client.post(
            BASE + path, json.dumps(body), content_type="application/json", headers=self.auth
        )


@pytest.fixture
def desk(client, office):
    return Api(client, office.receptionist)


@pytest.fixture
def leader(client, office):
    return Api(client, office.leader)


@pytest.fixture
def outsider(client, office):
    return Api(client, office.outsider)


def pay(desk, dossier, amount=65_000, method="cash"):
    return desk.post(f"/dossiers/{dossier.code}/payments", {"method": method, "amount": amount})


def test_the_receptionist_records_a_cash_payment_and_gets_the_receipt(desk, dossier):
    response = pay(desk, dossier)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "paid"
    receipt = body["receipt"]
    assert receipt["number"] == 1 and receipt["template"] == "EBL01" and receipt["series"] == "26E"
    assert receipt["amount"] == 65_000
    assert receipt["amount_in_words"] == "Sáu mươi lăm nghìn đồng"
    assert receipt["method"] == "cash" and receipt["status"] == "issued"
    assert receipt["payer"] == "Nguyễn Văn An" and receipt["replaces"] is None
    assert [i["kind"] for i in receipt["items"]] == ["fee", "charge"]
    assert receipt["issued_at"].endswith("+07:00")


def test_an_amount_that_is_not_the_amount_due_is_422_and_changes_nothing(desk, dossier):
    response = pay(desk, dossier, amount=60_000)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "wrong_amount" and "65.000" in problem["detail"]
    assert problem["errors"] == {"amount": [problem["detail"]]}
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"method": "cash", "amount": "65000"},
        {"method": "cash", "amount": 65000.5},
        {"method": "bitcoin", "amount": 65000},
        {"method": "cash"},
        {"method": "cash", "amount": 10**20},
        {"method": "cash\ud800", "amount": 65000},
    ],
)
def test_bad_input_is_a_422_with_a_message(desk, dossier, body):
    response = desk.post(f"/dossiers/{dossier.code}/payments", body)
    assert response.status_code in (400, 422)
    assert response.json()["detail"]
    assert not Payment.objects.exists()


def test_paying_twice_is_a_409(desk, dossier):
    assert pay(desk, dossier).status_code == 201
    response = pay(desk, dossier)
    assert response.status_code == 409 and response.json()["code"] == "already_paid"


def test_another_units_staff_get_404_for_the_dossier_and_the_receipt(desk, outsider, dossier):
    assert pay(outsider, dossier).status_code == 404
    receipt_id = pay(desk, dossier).json()["receipt"]["id"]
    for path in ("", "/pdf", "/xml"):
        assert outsider.get(f"/receipts/{receipt_id}{path}").status_code == 404
    assert outsider.post(f"/receipts/{receipt_id}/cancel", {"reason": "Hủy thử"}).status_code == 404


def test_a_specialist_may_not_take_money(client, office, dossier):
    response = pay(Api(client, office.specialist), dossier)
    assert response.status_code == 403 and response.json()["code"] == "not_receptionist"


def test_receipts_are_read_as_json_pdf_and_xml_and_never_cached(desk, dossier):
    receipt_id = pay(desk, dossier).json()["receipt"]["id"]
    as_json = desk.get(f"/receipts/{receipt_id}")
    assert as_json.status_code == 200 and as_json.json()["number"] == 1
    assert "no-store" in as_json["Cache-Control"]
    pdf = desk.get(f"/receipts/{receipt_id}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]
    xml = desk.get(f"/receipts/{receipt_id}/xml")
    assert xml.status_code == 200 and "no-store" in xml["Cache-Control"]
    root = ET.fromstring(xml.content)  # noqa: S314 - our own answer, read back
    ns = {"b": "urn:motcua:bien-lai:1"}
    assert root.find("b:ThongTinChung/b:So", ns).text == "0000001"
    assert root.find("b:TongTienBangChu", ns).text == "Sáu mươi lăm nghìn đồng"
    assert root.find("b:NguoiNop/b:Ten", ns).text == "Nguyễn Văn An"
    assert len(root.findall("b:CacKhoanThu/b:KhoanThu", ns)) == 2


def test_only_the_leader_cancels_a_receipt_with_a_reason(desk, leader, dossier):
    receipt_id = pay(desk, dossier).json()["receipt"]["id"]
    refused = desk.post(f"/receipts/{receipt_id}/cancel", {"reason": "Thu nhầm tiền"})
    assert refused.status_code == 403 and refused.json()["code"] == "leader_approval_required"
    assert "Trần Văn Lãnh" in refused.json()["detail"]
    empty = leader.post(f"/receipts/{receipt_id}/cancel", {"reason": ""})
    assert empty.status_code == 422
    done = leader.post(f"/receipts/{receipt_id}/cancel", {"reason": "Thu nhầm tiền"})
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    assert Receipt.objects.get(pk=receipt_id).number == 1


def test_the_public_payment_needs_the_secret_and_a_return_url_on_this_site(
    client, office, procedure
):
    from tests.dossiers.helpers import submit

    created = submit(office, procedure)
    url = f"{BASE}/public/dossiers/{created.dossier.code}/payments"
    wrong = client.post(
        url,
        json.dumps({"secret": "SAI-MA", "return_url": "http://testserver/tra-cuu/"}),
        content_type="application/json",
    )
    assert wrong.status_code == 404
    elsewhere = client.post(
        url,
        json.dumps({"secret": created.lookup_secret, "return_url": "https://evil.example/x"}),
        content_type="application/json",
    )
    assert elsewhere.status_code == 422 and elsewhere.json()["errors"]["return_url"]
    assert not Payment.objects.exists()


def test_the_amount_due_is_fixed_when_a_dossier_is_submitted_or_received(
    client, desk, office, procedure
):
    submitted = client.post(
        f"{BASE}/public/dossiers",
        json.dumps(
            {
                "procedure": procedure.code,
                "unit": office.ward.code,
                "applicant": {"name": "Lê Thị Hoa", "phone": "0912000111"},
                "documents": [{"name": "Tờ khai", "copies": 1}],
            }
        ),
        content_type="application/json",
    )
    assert submitted.status_code == 201
    assert Charge.objects.get(dossier__code=submitted.json()["code"]).amount_due == 65_000
    received = desk.post(
        "/dossiers",
        {
            "procedure": procedure.code,
            "unit": office.ward.code,
            "channel": "counter",
            "applicant": {"name": "Lê Văn Nam"},
            "documents": [{"name": "Tờ khai", "copies": 1}],
        },
    )
    assert received.status_code == 201, received.content
    assert Charge.objects.get(dossier__code=received.json()["code"]).amount_due == 65_000


def test_an_unknown_gateway_callback_is_404(client):
    response = client.post(
        f"{BASE}/payments/callbacks/khong-co", b"{}", content_type="application/json"
    )
    assert response.status_code == 404


def test_a_callback_that_is_not_json_is_refused(client):
    response = client.post(
        f"{BASE}/payments/callbacks/paygov",
        b"\xff\xfe not json",
        content_type="application/json",
        headers={"X-Signature": "abc"},
    )
    assert response.status_code == 400 and response.json()["code"] == "callback_refused"
