"""Findings 3 and 7: a walk-in citizen can follow the dossier online (Mẫu 01 carries the look-up
secret and a QR link to the look-up page, the SMS carries the secret); links in notices use the
public base URL; one rule for SMS text, one for e-mail; a late-entered dossier's notice does not
announce an appointment already past."""

from __future__ import annotations

import pytest

from motcua.core.text import GSM7, SMS_MAX, sms_text
from motcua.dossiers.official_forms import form_context, qr_data_uri, render_form_pdf
from motcua.dossiers.selectors import with_details
from motcua.dossiers.services import ApplicantData
from motcua.notifications.models import Message
from tests.dossiers.helpers import at, procedure_with, receive
from tests.dossiers.test_official_forms import text_of

pytestmark = pytest.mark.django_db

STEPS = [("Thụ lý", "specialist", "4"), ("Trả kết quả", "receptionist", "0")]
SITE = "https://dichvucong.example.vn"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.MOTCUA_NOTIFY = {**settings.MOTCUA_NOTIFY, "SITE_URL": SITE}


@pytest.fixture
def births(office):
    return procedure_with(
        units=[office.ward], steps=STEPS, code="1.001193", name="Đăng ký khai sinh"
    )


def by_sms(name="Nguyễn Thị Ánh"):
    return ApplicantData(name=name, phone="0912345678")


def by_email():
    return ApplicantData(name="Đỗ Đức Đạt", email="dat@example.vn")


def test_the_printed_receipt_carries_the_secret_and_a_qr_link_without_it(office, births):
    created = receive(office, births, applicant=by_sms())
    dossier = with_details(type(created.dossier).objects.filter(pk=created.dossier.pk)).get()
    ctx = form_context(dossier, "receipt")
    link = f"{SITE}/tra-cuu/?ma={dossier.code}"
    assert ctx["lookup_url"] == link
    assert ctx["qr"] == qr_data_uri(link)  # a link, not the bare code
    assert created.lookup_secret not in link
    text = text_of(render_form_pdf(dossier, "receipt"))
    assert created.lookup_secret in text
    assert "Mã tra cứu" in text


def test_the_sms_of_a_walk_in_receipt_carries_the_secret_and_the_link_in_plain_gsm7(office, births):
    created = receive(office, births, applicant=by_sms())
    sms = Message.objects.get(dossier_id=created.dossier.pk, channel="sms")
    assert created.lookup_secret in sms.body
    assert f"{SITE}/tra-cuu/?ma={created.dossier.code}" in sms.body
    assert "127.0.0.1" not in sms.body
    assert all(c in GSM7 for c in sms.body), sms.body  # no diacritics, nothing else
    assert "Phuong" in sms.body or "da tiep nhan" in sms.body
    assert len(sms.body) <= SMS_MAX


def test_an_email_keeps_full_vietnamese(office, births):
    created = receive(office, births, applicant=by_email())
    mail = Message.objects.get(dossier_id=created.dossier.pk, channel="email")
    assert "đã tiếp nhận hồ sơ" in mail.body
    assert "Ngày hẹn trả kết quả" in mail.body


def test_a_late_entered_dossier_does_not_announce_an_appointment_already_past(office, births):
    # received on paper on Monday 19/01, entered a week later: its half-day limit is long past
    created = receive(
        office,
        births,
        applicant=by_sms(),
        now=at(26, 9),
        received_at=at(19, 8),
        received_at_reason="Mất điện, tiếp nhận trên giấy",
    )
    assert created.dossier.due_at < at(26, 9)
    sms = Message.objects.get(dossier_id=created.dossier.pk, channel="sms")
    assert "Hen tra ket qua" not in sms.body
    assert "bao thoi gian tra ket qua" in sms.body


def test_the_sms_rule_strips_every_diacritic_and_keeps_within_three_parts():
    assert sms_text("Đăng ký “khai sinh” — ĐỖ") == 'Dang ky "khai sinh" - DO'
    assert sms_text("ấp ủ ữ ỵ ơ ư") == "ap u u y o u"
    long = sms_text("Phường Long Biên " * 100)
    assert len(long) <= SMS_MAX and long.endswith("...")
    assert sms_text("a\ud800b\x00c") == "abc"


def test_a_dossier_received_now_announces_its_appointment(office, births):
    created = receive(office, births, applicant=by_sms(), now=at(19, 9))
    sms = Message.objects.get(dossier_id=created.dossier.pk, channel="sms")
    assert "Hen tra ket qua" in sms.body
