"""The receipt as a real PDF read back with pypdf, and as XML: every field of a fee receipt."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from motcua.org.models import Unit
from motcua.payments.documents import render_receipt_pdf
from motcua.payments.models import ReceiptSeries
from motcua.payments.services import (
    FeeSpec,
    cancel_receipt,
    fix_amount_due,
    pay_at_counter,
    replace_receipt,
    set_fee_schedule,
)
from tests.dossiers.helpers import at, receive
from tests.factories import make_procedure


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


@pytest.fixture
def series(office):
    Unit.objects.filter(pk=office.ward.pk).update(name="Phường Hoàn Kiếm Thử")
    return ReceiptSeries.objects.create(
        unit=office.ward,
        year=2026,
        template="EBL02",
        series="26P",
        tax_code="0101234567",
        collector_name="UBND Phường Hoàn Kiếm Thử",
    )


def test_the_receipt_pdf_carries_every_field_of_a_fee_receipt(office, dossier, series):
    paid = pay_at_counter(
        dossier=dossier, method="transfer", amount=65_000, actor=office.receptionist, now=at(19, 10)
    )
    text = text_of(render_receipt_pdf(paid.receipt))

    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Ký hiệu mẫu biên lai: EBL02",
        "Ký hiệu: 26P",
        "Số: 0000001",
        "UBND Phường Hoàn Kiếm Thử",  # the collecting unit
        "0101234567",  # its tax code
        "Nguyễn Văn An",  # the payer
        "001099012345",
        "Phí: Phí thẩm định",
        "Thông tư 85/2019/TT-BTC",  # the legal basis of each item
        "Lệ phí: Lệ phí cấp giấy",
        "Nghị quyết 06/2020/NQ-HĐND",
        "15.000",
        "50.000",
        "65.000",  # the amount in figures
        "Sáu mươi lăm nghìn đồng",  # and in words
        "Chuyển khoản (mã QR)",  # the method
        "ngày 19 tháng 01 năm 2026",  # the date
        office.receptionist.get_full_name(),  # the officer
        dossier.code,
    ):
        assert expected in text, (expected, text)
    # no seal key is configured for the unit: issued unsigned, and it says so
    assert "Biên lai chưa được ký số" in text


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (15_000, "Mười lăm nghìn đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
    ],
)
def test_the_amount_in_words_on_the_pdf(office, series, amount, words):
    procedure = make_procedure(units=[office.ward])
    set_fee_schedule(procedure=procedure, items=[FeeSpec(name="Lệ phí", amount=amount)], actor=None)
    d = receive(office, procedure, now=at(19, 9)).dossier
    fix_amount_due(dossier_id=d.pk, actor=None)
    paid = pay_at_counter(dossier=d, method="cash", amount=amount, actor=office.receptionist)
    assert words in text_of(render_receipt_pdf(paid.receipt))


def test_a_free_dossier_reads_zero_in_words_on_its_charge_and_issues_no_receipt(office, series):
    """0 đồng: nothing is collected, so no receipt is numbered (a number is a legal document);
    the words of 0 are the rule's "Không đồng" (test_rules)."""
    procedure = make_procedure(units=[office.ward])
    d = receive(office, procedure, now=at(19, 9)).dossier
    charge = fix_amount_due(dossier_id=d.pk, actor=None)
    assert charge.amount_due == 0 and charge.status == "free"
    assert not series.receipts.exists()


def test_a_replaced_and_a_cancelled_receipt_show_it_on_both(office, dossier, series):
    paid = pay_at_counter(dossier=dossier, method="cash", amount=65_000, actor=office.receptionist)
    new = replace_receipt(
        receipt_id=paid.receipt.pk,
        reason="Sai tên người nộp",
        payer_name="Nguyễn Văn Ân",
        actor=office.leader,
    )
    old_text = text_of(render_receipt_pdf(type(new).objects.get(pk=paid.receipt.pk)))
    new_text = text_of(render_receipt_pdf(new))
    assert "ĐÃ THAY THẾ" in old_text and "0000002" in old_text and "Sai tên người nộp" in old_text
    assert "thay thế biên lai EBL02 26P 0000001" in new_text and "Nguyễn Văn Ân" in new_text
    cancelled = cancel_receipt(receipt_id=new.pk, reason="Thu nhầm hồ sơ", actor=office.leader)
    text = text_of(render_receipt_pdf(cancelled))
    assert "ĐÃ HỦY" in text and "Thu nhầm hồ sơ" in text and "Trần Văn Lãnh" in text


def test_with_the_units_seal_the_receipt_is_signed_registered_and_served_as_stored(
    office, dossier, series, settings, tmp_path
):
    from motcua.signatures import demo, pki
    from motcua.signatures.models import SignedFile
    from motcua.signatures.verification import verify_pdf
    from tests.signatures.conftest import pkcs12_spec

    settings.MEDIA_ROOT = tmp_path / "media"
    ca = demo.ensure_ca()
    seal = pki.issue(ca, "UBND Phường Hoàn Kiếm Thử", org="Phường Hoàn Kiếm Thử")
    settings.SIGNATURES = {
        **settings.SIGNATURES,
        "keys": {f"unit:{office.ward.code}": pkcs12_spec(seal, ca, tmp_path)},
        "demo_fallback": False,
    }
    paid = pay_at_counter(dossier=dossier, method="cash", amount=65_000, actor=office.receptionist)

    pdf = render_receipt_pdf(paid.receipt)

    assert "Biên lai chưa được ký số" not in text_of(pdf)
    report = verify_pdf(pdf)
    assert report.signatures and report.intact and report.registered
    stored = SignedFile.objects.get(kind="fee_receipt", subject_id=paid.receipt.pk)
    assert render_receipt_pdf(paid.receipt) == pdf  # served as stored, not signed again
    assert SignedFile.objects.count() == 1 and stored.dossier_code == dossier.code
    # cancelled: the stored copy is out of date; the cancelled receipt is signed anew
    cancelled = cancel_receipt(
        receipt_id=paid.receipt.pk, reason="Thu nhầm hồ sơ", actor=office.leader
    )
    again = render_receipt_pdf(cancelled)
    assert again != pdf and "ĐÃ HỦY" in text_of(again)
    assert SignedFile.objects.count() == 2
