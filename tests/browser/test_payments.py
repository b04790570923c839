"""Fees in a real browser: a citizen submits online, pays through the fake gateway (its
own process on 127.0.0.1), sees "đã thanh toán" and downloads the receipt from the look-up; a
receptionist takes cash at the counter and prints the receipt."""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader

from motcua.payments.models import Charge, Receipt
from motcua.payments.services import ExemptionSpec, FeeSpec, fix_amount_due, set_fee_schedule
from tests.browser.test_office_flow import login
from tests.dossiers.helpers import receive
from tests.factories import make_procedure
from tests.payments.gateway import running_gateway, use_gateway
from tests.portal.helpers import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_text(data: bytes) -> str:
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def fees(office):
    p = make_procedure(
        units=[office.ward], online_mode="full", name="Cấp bản sao trích lục hộ tịch"
    )
    set_fee_schedule(
        procedure=p,
        items=[
            FeeSpec(
                name="Lệ phí cấp bản sao",
                kind="charge",
                amount=15_000,
                legal_basis="Thông tư 281/2016/TT-BTC",
            )
        ],
        exemptions=[ExemptionSpec(code="ho-ngheo", reason="Hộ nghèo", percent=100)],
        actor=None,
    )
    return p


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.MOTCUA_DOCUMENTS = {
        **settings.MOTCUA_DOCUMENTS,
        "ROOT": str(tmp_path / "documents"),
        "S3_BUCKET": "",
    }


def test_a_citizen_submits_pays_through_the_gateway_and_downloads_the_receipt(
    page, live_server, office, fees, settings, media
):
    with running_gateway() as gateway:
        use_gateway(settings, gateway)
        page.goto(f"{live_server.url}/thu-tuc/{fees.code}/")
        page.get_by_role("heading", name="Phí, lệ phí").wait_for()
        assert "Lệ phí cấp bản sao" in page.locator("main").inner_text()
        page.shot("01-procedure-fees")
        page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
        page.get_by_label("Họ và tên người nộp (hoặc tên tổ chức)").fill("Nguyễn Văn An")
        page.get_by_label("Số định danh cá nhân / mã số doanh nghiệp").fill("001099012345")
        page.get_by_label("Số điện thoại").fill("0912345678")
        page.get_by_label("Địa chỉ liên hệ").fill("12 Hàng Bạc, Hoàn Kiếm")
        page.get_by_label("Tờ khai").set_input_files(
            files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_label("Tôi xin cam đoan những thông tin khai trên là đúng sự thật.").check()
        page.get_by_role("button", name="Tiếp tục: xem lại").click()
        page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
        page.get_by_role("heading", name="Đã nộp hồ sơ trực tuyến").wait_for()
        code = page.locator("#ma-ho-so").inner_text().strip()
        assert Charge.objects.get(dossier__code=code).amount_due == 15_000

        page.goto(f"{live_server.url}/tra-cuu/{code}/")
        section = page.locator("#thanh-toan")
        assert "Chờ thanh toán" in section.inner_text()
        page.shot("02-waiting-for-payment")
        section.get_by_role("button", name="Thanh toán trực tuyến").click()
        page.get_by_role("heading", name="Cổng thanh toán thử nghiệm").wait_for()
        assert "15.000 đồng" in page.locator("#amount").inner_text()
        page.shot("03-gateway")
        page.get_by_role("button", name="Thanh toán", exact=True).click()
        page.wait_for_url(f"**/tra-cuu/{code}/**")
        section = page.locator("#thanh-toan")
        section.get_by_text("Đã thanh toán").wait_for()
        page.shot("04-paid")
        with page.expect_download() as download:
            section.get_by_role("link", name="Tải biên lai").click()
        data = open(download.value.path(), "rb").read()
        text = pdf_text(data)
        assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and "Mười lăm nghìn đồng" in text
        assert "Trực tuyến qua cổng thanh toán" in text and "Nguyễn Văn An" in text
    charge = Charge.objects.get(dossier__code=code)
    assert charge.status == "paid" and charge.paid_online
    assert Receipt.objects.get().number == 1


def test_a_receptionist_takes_cash_and_prints_the_receipt(page, live_server, office, fees):
    dossier = receive(office, fees).dossier
    fix_amount_due(dossier_id=dossier.pk, actor=office.receptionist)
    login(page, live_server, office.receptionist.username)
    page.goto(f"{live_server.url}/can-bo/ho-so/{dossier.code}/")
    panel = page.locator("#thanh-toan")
    assert "15.000" in panel.inner_text()
    panel.get_by_label("Hình thức").select_option("cash")
    panel.get_by_role("button", name="Thu tiền và cấp biên lai").click()
    page.get_by_text("Đã thu tiền và cấp biên lai EBL01").wait_for()
    page.shot("01-paid-at-counter")
    link = page.locator("#thanh-toan").get_by_role("link", name="In biên lai")
    href = link.get_attribute("href")
    pdf = page.context.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.body())
    assert "Tiền mặt" in text and "Mười lăm nghìn đồng" in text
    assert office.receptionist.get_full_name() in text
