"""The payment parts of the pages: the portal's procedure page and look-up, the reception form,
the office dossier page (counter payment, print, cancel, refund), the figures with their Excel
export, and the transparency page's online-payment rate."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.payments.models import Charge, Payment, Receipt
from motcua.payments.services import fix_amount_due, pay_at_counter
from tests.dossiers.helpers import at, submit

pytestmark = pytest.mark.django_db


def look_up(client, created):
    answer = client.post(
        reverse("portal:lookup"), {"code": created.dossier.code, "secret": created.lookup_secret}
    )
    assert answer.status_code == 302


@pytest.fixture
def online(office, procedure):
    created = submit(office, procedure, now=at(19, 8))
    fix_amount_due(dossier_id=created.dossier.pk, actor=None)
    return created


def test_the_procedure_page_shows_the_fee_schedule_with_its_legal_basis(client, procedure):
    page = client.get(reverse("portal:procedure", args=[procedure.code]))
    text = page.content.decode()
    assert "Phí thẩm định" in text and "15.000" in text and "Thông tư 85/2019/TT-BTC" in text
    assert "Lệ phí cấp giấy" in text and "65.000" in text
    assert "Người có công với cách mạng" in text and "giảm 50%" in text


def test_the_look_up_shows_waiting_for_payment_with_the_pay_button(client, online):
    look_up(client, online)
    page = client.get(reverse("portal:dossier", args=[online.dossier.code]))
    text = page.content.decode()
    assert "Chờ thanh toán" in text and "65.000" in text
    assert reverse("portal:pay", args=[online.dossier.code]) in text


def test_a_gateway_that_is_down_sends_the_citizen_back_with_a_message(client, online):
    look_up(client, online)  # settings point the gateway at 127.0.0.1:9, where nothing listens
    answer = client.post(reverse("portal:pay", args=[online.dossier.code]), follow=True)
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "Cổng thanh toán đang không trả lời" in text and "Chờ thanh toán" in text
    assert Charge.objects.get(dossier=online.dossier).status == "due"
    assert Payment.objects.get().status == "failed"


def test_the_return_page_believes_no_query_string(client, online):
    look_up(client, online)
    answer = client.get(
        reverse("portal:payment_return", args=[online.dossier.code]),
        {"order_id": "TT-GIA", "result": "success"},
        follow=True,
    )
    assert "chưa báo kết quả" in answer.content.decode()
    assert Charge.objects.get(dossier=online.dossier).status == "due"


def test_after_payment_the_look_up_says_paid_and_offers_the_receipt(client, office, online):
    paid = pay_at_counter(
        dossier=online.dossier, method="cash", amount=65_000, actor=office.receptionist
    )
    look_up(client, online)
    text = client.get(reverse("portal:dossier", args=[online.dossier.code])).content.decode()
    assert "Đã thanh toán" in text
    url = reverse("portal:receipt_pdf", args=[online.dossier.code, paid.receipt.pk])
    assert url in text
    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]


def test_the_receipt_needs_the_look_up_session_of_its_own_dossier(
    client, office, procedure, online
):
    paid = pay_at_counter(
        dossier=online.dossier, method="cash", amount=65_000, actor=office.receptionist
    )
    url = reverse("portal:receipt_pdf", args=[online.dossier.code, paid.receipt.pk])
    assert client.get(url).status_code == 302  # no session: to the look-up form
    other = submit(office, procedure)
    look_up(client, other)
    wrong = reverse("portal:receipt_pdf", args=[other.dossier.code, paid.receipt.pk])
    assert client.get(wrong).status_code == 404


def test_the_reception_form_offers_the_exemptions_and_applies_the_one_chosen(
    client, office, procedure
):
    client.force_login(office.receptionist)
    page = client.get(reverse("office:reception"), {"thu-tuc": procedure.code, "unit": "TP.01"})
    text = page.content.decode()
    assert "Phí thẩm định" in text and 'name="exemption"' in text and "Hộ nghèo" in text
    doc = str(procedure.documents.get().pk)
    answer = client.post(
        reverse("office:reception"),
        {
            "unit": "TP.01",
            "procedure": procedure.code,
            "documents": [doc],
            "name": "Phạm Thị Hồng Nhung",
            "channel": "counter",
            "action": "receive",
            "exemption": "ho-ngheo",
        },
    )
    assert answer.status_code == 303, answer.content.decode()[:2000]
    charge = Charge.objects.get()
    assert charge.amount_due == 32_500 and charge.exemption_code == "ho-ngheo"


def test_the_desk_takes_cash_prints_the_receipt_and_the_leader_cancels_it(client, office, dossier):
    client.force_login(office.receptionist)
    page = client.get(reverse("office:dossier", args=[dossier.code])).content.decode()
    assert "Thu tiền và cấp biên lai" in page and "65.000" in page
    answer = client.post(
        reverse("office:payment_collect", args=[dossier.code]),
        {"method": "cash", "amount": "65000"},
        follow=True,
    )
    assert "Đã thu tiền và cấp biên lai EBL01 26E 0000001" in answer.content.decode()
    receipt = Receipt.objects.get()
    pdf = client.get(reverse("office:receipt_pdf", args=[receipt.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xml = client.get(reverse("office:receipt_xml", args=[receipt.pk]))
    assert xml.status_code == 200 and b"<BienLai" in xml.content

    refused = client.post(
        reverse("office:receipt_change", args=[receipt.pk]),
        {"action": "cancel", "reason": "Thu nhầm"},
        follow=True,
    )
    assert "cần lãnh đạo" in refused.content.decode()
    client.force_login(office.leader)
    client.post(
        reverse("office:receipt_change", args=[receipt.pk]),
        {"action": "cancel", "reason": "Thu nhầm tiền"},
    )
    assert Receipt.objects.get().status == "cancelled"


def test_a_wrong_amount_at_the_desk_is_refused_with_the_amount_due(client, office, dossier):
    client.force_login(office.receptionist)
    answer = client.post(
        reverse("office:payment_collect", args=[dossier.code]),
        {"method": "cash", "amount": "6５000"},
        follow=True,
    )
    assert "65.000" in answer.content.decode() and not Payment.objects.exists()


def test_another_units_staff_get_404_at_the_desk_and_for_the_receipt(client, office, dossier):
    paid = pay_at_counter(dossier=dossier, method="cash", amount=65_000, actor=office.receptionist)
    client.force_login(office.outsider)
    assert (
        client.post(
            reverse("office:payment_collect", args=[dossier.code]),
            {"method": "cash", "amount": "65000"},
        ).status_code
        == 404
    )
    assert client.get(reverse("office:receipt_pdf", args=[paid.receipt.pk])).status_code == 404
    assert client.get(reverse("office:receipt_xml", args=[paid.receipt.pk])).status_code == 404


def test_the_figures_and_their_excel_export(client, office, dossier, time_machine):
    time_machine.move_to(at(19, 10))
    pay_at_counter(dossier=dossier, method="card", amount=65_000, actor=office.receptionist)
    client.force_login(office.leader)
    page = client.get(reverse("office:payment_figures"), {"tu": "2026-01-01", "den": "2026-01-31"})
    text = page.content.decode()
    assert page.status_code == 200 and "Thẻ" in text and "65.000" in text
    book = load_workbook(
        io.BytesIO(
            client.get(
                reverse("office:payment_figures"),
                {"tu": "2026-01-01", "den": "2026-01-31", "xuat": "xlsx"},
            ).content
        )
    )
    by_method = book["Theo hình thức"]
    assert [c.value for c in by_method[2]] == ["card", "Thẻ", 1, 65_000]
    assert book["Tổng hợp"]["B2"].value == 1 and book["Tổng hợp"]["B3"].value == 0
    bad = client.get(reverse("office:payment_figures"), {"tu": "0001-01-01", "den": "9999-12-31"})
    assert bad.status_code == 200


def test_the_transparency_page_shows_the_online_payment_rate(client, office, dossier):
    pay_at_counter(dossier=dossier, method="cash", amount=65_000, actor=office.receptionist)
    text = client.get(reverse("reports:public")).content.decode()
    assert "Tỷ lệ hồ sơ thanh toán trực tuyến" in text and "0,00%" in text
