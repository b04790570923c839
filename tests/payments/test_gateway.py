"""Online payment over real HTTP: MotCua served live, the fake gateway as its own process on
127.0.0.1 playing the protocol — replays, forged and mismatched callbacks, late and failed ones,
a gateway that is down, and the reconciliation of a day."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.notifications.models import Message
from motcua.payments import rules
from motcua.payments.models import (
    CallbackLog,
    Charge,
    Payment,
    PaymentEvent,
    Receipt,
    Reconciliation,
)
from motcua.payments.services import fix_amount_due, reconcile_day
from tests.dossiers.helpers import submit
from tests.payments.gateway import SECRET, http, running_gateway, use_gateway

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gateway(settings):
    with running_gateway() as gw:
        use_gateway(settings, gw)
        yield gw


@pytest.fixture
def online(office, procedure):
    """A dossier submitted online (not yet accepted by the desk), its fees fixed."""
    created = submit(office, procedure, now=timezone.now())
    fix_amount_due(dossier_id=created.dossier.pk, actor=None)
    return created


def start(live_server, created) -> dict:
    status, body, _ = http(
        "POST",
        f"{live_server.url}/api/v1/public/dossiers/{created.dossier.code}/payments",
        {"secret": created.lookup_secret, "return_url": f"{live_server.url}/tra-cuu/"},
    )
    assert status == 201, body
    return body


def pay(redirect_url: str, action: str = "pay") -> int:
    """The citizen presses the button on the gateway's page (redirects not followed)."""
    import urllib.parse
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    data = urllib.parse.urlencode({"action": action}).encode()
    try:
        opener.open(redirect_url, data=data, timeout=30)
    except urllib.error.HTTPError as exc:
        return exc.code
    return 200


def test_a_callback_replayed_five_times_makes_one_payment_and_one_receipt(
    gateway, live_server, online
):
    gateway.mode("duplicate", copies=5)
    started = start(live_server, online)
    assert started["redirect_url"].startswith(gateway.url)

    assert pay(started["redirect_url"]) == 303
    gateway.call("/_control/replay", {"order_id": Payment.objects.get().order_id, "times": 5})

    assert [s["status"] for s in gateway.state()["sent"]] == [200] * 10
    assert Payment.objects.filter(status="paid").count() == 1
    assert Receipt.objects.count() == 1
    charge = Charge.objects.get(dossier=online.dossier)
    assert charge.status == "paid" and charge.paid_online
    assert PaymentEvent.objects.filter(charge=charge, kind="paid").count() == 1
    assert CallbackLog.objects.filter(outcome="accepted").count() == 1
    assert CallbackLog.objects.filter(outcome="duplicate").count() == 9
    assert Message.objects.filter(template_code="payment_received").count() == 1


def test_a_callback_with_a_wrong_signature_is_refused_logged_and_alerted(
    gateway, live_server, online, office
):
    started = start(live_server, online)
    order_id = Payment.objects.get().order_id
    gateway.mode("silent")
    pay(started["redirect_url"])

    assert gateway.call("/_control/forge", {"order_id": order_id, "bad_signature": True}) == {
        "status": 400
    }

    assert not Payment.objects.filter(status="paid").exists() and not Receipt.objects.exists()
    assert Charge.objects.get(dossier=online.dossier).status == "due"
    log = CallbackLog.objects.get(outcome="refused")
    assert "chữ ký" in log.reason and log.order_id == order_id
    alert = Message.objects.get(template_code="payment_callback_refused")
    assert alert.staff_id == office.leader.pk and order_id in alert.body


def test_a_callback_for_a_different_amount_is_refused_and_nothing_is_paid(
    gateway, live_server, online, office
):
    started = start(live_server, online)
    order_id = Payment.objects.get().order_id
    gateway.mode("silent")
    pay(started["redirect_url"])

    assert gateway.call("/_control/forge", {"order_id": order_id, "amount": 1_000}) == {
        "status": 400
    }
    status, body, headers = http(
        "POST",
        f"{live_server.url}/api/v1/payments/callbacks/paygov",
        data=json.dumps({"order_id": order_id, "amount": "65000"}).encode(),
        headers={"X-Signature": rules.sign(SECRET.encode(), b"something else")},
    )
    assert status == 400 and headers["Content-Type"] == "application/problem+json"
    assert body["code"] == "callback_refused" and "Không có khoản thu nào" in body["detail"]

    assert not Receipt.objects.exists()
    assert Charge.objects.get(dossier=online.dossier).status == "due"
    reasons = set(CallbackLog.objects.values_list("reason", flat=True))
    assert any("số tiền 1000" in r for r in reasons), reasons
    assert Message.objects.filter(
        template_code="payment_callback_refused", staff_id=office.leader.pk
    ).exists()


def test_a_gateway_that_is_down_leaves_the_dossier_submitted_and_waiting_for_payment(
    gateway, live_server, office, procedure
):
    gateway.mode("down")
    status, body, _ = http(
        "POST",
        f"{live_server.url}/api/v1/public/dossiers",
        {
            "procedure": procedure.code,
            "unit": office.ward.code,
            "applicant": {"name": "Lê Thị Hoa", "phone": "0912000111"},
            "documents": [{"name": "Tờ khai", "copies": 1}],
        },
    )
    assert status == 201, body
    code, secret = body["code"], body["lookup_secret"]
    status, problem, _ = http(
        "POST",
        f"{live_server.url}/api/v1/public/dossiers/{code}/payments",
        {"secret": secret, "return_url": f"{live_server.url}/tra-cuu/"},
    )
    assert status == 503 and problem["code"] == "gateway_unavailable"
    assert "chờ thanh toán" in problem["detail"]
    charge = Charge.objects.get(dossier__code=code)
    assert charge.status == "due" and charge.dossier.status == "submitted"
    assert Payment.objects.get().status == "failed"

    gateway.mode("normal")  # later, from the look-up, the citizen pays
    status, started, _ = http(
        "POST",
        f"{live_server.url}/api/v1/public/dossiers/{code}/payments",
        {"secret": secret, "return_url": f"{live_server.url}/tra-cuu/"},
    )
    assert status == 201
    pay(started["redirect_url"])
    assert Charge.objects.get(dossier__code=code).status == "paid"


def test_a_failed_payment_then_a_late_success_pays_once(gateway, live_server, online):
    gateway.mode("fail")
    started = start(live_server, online)
    pay(started["redirect_url"])
    assert Payment.objects.get().status == "failed"
    assert Charge.objects.get(dossier=online.dossier).status == "due"

    gateway.mode("normal")
    again = start(live_server, online)
    pay(again["redirect_url"])
    assert Payment.objects.filter(status="paid").count() == 1
    assert Receipt.objects.count() == 1


def test_the_return_page_never_marks_anything_paid(gateway, live_server, online):
    started = start(live_server, online)
    gateway.mode("silent")  # the citizen pays, the notice is lost
    pay(started["redirect_url"])
    order_id = Payment.objects.get().order_id
    status, _, _ = http(
        "GET",
        f"{live_server.url}/tra-cuu/{online.dossier.code}/thanh-toan/ket-qua/"
        f"?order_id={order_id}&result=success",
    )
    assert Charge.objects.get(dossier=online.dossier).status == "due"


def test_reconciliation_flags_a_payment_the_gateway_took_whose_notice_was_lost(
    gateway, live_server, online
):
    started = start(live_server, online)
    gateway.mode("silent")
    pay(started["redirect_url"])
    order_id = Payment.objects.get().order_id

    report = reconcile_day(gateway="paygov", on=timezone.localdate())

    assert report.error == ""
    assert report.differences == [
        {
            "order_id": order_id,
            "kind": "paid_at_gateway_only",
            "note": "Cổng thanh toán ghi nhận đã thu, hệ thống chưa ghi nhận.",
            "amount": 65_000,
        }
    ]
    assert Reconciliation.objects.count() == 1


def test_reconciliation_of_a_matching_day_has_no_difference(gateway, live_server, online):
    started = start(live_server, online)
    pay(started["redirect_url"])
    report = reconcile_day(gateway="paygov", on=timezone.localdate())
    assert (report.matched, report.differences) == (1, [])


def test_reconciliation_when_the_gateway_is_down_records_the_error(gateway):
    gateway.mode("down")
    report = reconcile_day(gateway="paygov", on=date(2026, 1, 19))
    assert "không trả lời" in report.error


def test_the_pay_button_hands_the_browser_to_the_gateway_without_a_cross_site_redirect(
    gateway, client, online
):
    """The look-up page lets its forms post to this site only (CSP form-action 'self', which
    browsers apply to redirects too): the pay form is answered by a page of ours that moves on
    to the gateway, never by a redirect to it."""
    client.post(
        reverse("portal:lookup"), {"code": online.dossier.code, "secret": online.lookup_secret}
    )
    answer = client.post(reverse("portal:pay", args=[online.dossier.code]))

    payment = Payment.objects.get()
    assert answer.status_code == 200 and payment.redirect_url.startswith(gateway.url)
    assert answer["Refresh"] == f"0;url={payment.redirect_url}"
    assert "no-store" in answer["Cache-Control"]
    assert f'href="{payment.redirect_url}"' in answer.content.decode()
    assert "form-action 'self'" in answer["Content-Security-Policy"]
