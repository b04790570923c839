"""Documents end to end in a real browser (Debian's chromium) against the live server: a citizen
submits with three PDFs, the receptionist previews each one in the page, marks it checked and
accepts; a supplement upload appears under its paper; a walk-in dossier gets two scans at the
counter; the result is issued and the citizen downloads it through the look-up. Screenshots in
tests/browser/screenshots/<test name>/."""

from __future__ import annotations

import pytest

from motcua.documents.models import Document
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import receive_dossier, request_supplement
from tests.browser.test_office_flow import login
from tests.documents.conftest import text_pdf
from tests.dossiers.helpers import APPLICANT
from tests.factories import papers
from tests.portal.helpers import PNG, finish, make_birth

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf(name: str) -> dict:
    """A one-page PDF whose page carries its own name, so that the preview shows which it is."""
    return {"name": name, "mimeType": "application/pdf", "buffer": text_pdf(1, title=name)}


def test_papers_from_submission_to_the_electronic_result(
    page, live_server, office, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    birth = make_birth(office)
    # the citizen submits with three PDFs
    page.goto(f"{live_server.url}/thu-tuc/{birth.code}/nop-truc-tuyen/")
    page.get_by_label("Họ và tên người nộp (hoặc tên tổ chức)").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân / mã số doanh nghiệp").fill("001099012345")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ liên hệ").fill("12 Hàng Bạc, Hoàn Kiếm")
    page.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(files=[pdf("to-khai.pdf")])
    page.get_by_label("Giấy chứng sinh").set_input_files(files=[pdf("chung-sinh.pdf")])
    page.get_by_label("Giấy tờ chứng minh nơi cư trú").set_input_files(files=[pdf("cu-tru.pdf")])
    page.get_by_role("button", name="Tiếp tục: xem lại").click()  # the pledge is missing
    page.get_by_role("alert").wait_for()
    assert page.get_by_text("Đã đính kèm: to-khai.pdf").count() == 1  # the files stay attached
    page.get_by_label("Tôi xin cam đoan những thông tin khai trên là đúng sự thật.").check()
    page.get_by_role("button", name="Tiếp tục: xem lại").click()
    page.get_by_role("heading", name="Xem lại trước khi nộp").wait_for()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.get_by_role("heading", name="Đã nộp hồ sơ trực tuyến").wait_for()
    code = page.locator("#ma-ho-so").inner_text().strip()
    secret = page.locator("#ma-tra-cuu").inner_text().strip()
    page.shot("01-submitted")
    dossier = Dossier.objects.get(code=code)
    assert sorted(d.name for d in dossier.files.all()) == [
        "chung-sinh.pdf",
        "cu-tru.pdf",
        "to-khai.pdf",
    ]

    # the receptionist previews each file in the page and marks it checked, then accepts
    login(page, live_server, "tiepnhan")
    for name in ("to-khai.pdf", "chung-sinh.pdf", "cu-tru.pdf"):
        page.goto(f"{live_server.url}/can-bo/ho-so/{code}/")
        page.get_by_role("link", name=name, exact=True).click()
        picture = page.get_by_role("img", name=f"Trang 1/1 của {name}")
        picture.wait_for()
        # the picture of the page has loaded (not a broken image): the browser decoded a PNG
        picture.evaluate("img => img.decode()")
        assert picture.evaluate("img => img.naturalWidth") == 900
        page.shot(f"02-viewer-{name}")
        page.get_by_role("button", name="Đánh dấu đã đối chiếu bản chính").click()
        page.wait_for_url(f"**/can-bo/ho-so/{code}/**")
    assert Document.objects.filter(dossier=dossier, checked_at__isnull=False).count() == 3
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.get_by_text("Đã tiếp nhận").first.wait_for()
    dossier.refresh_from_db()
    assert dossier.status == "received"
    page.shot("03-accepted")

    # a supplement upload appears under its paper
    request_supplement(
        dossier_id=dossier.pk, actor=office.receptionist, items=["Giấy tờ chứng minh nơi cư trú"]
    )
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Mã tra cứu").fill(secret)
    page.get_by_role("button", name="Tra cứu").click()
    page.get_by_label("Giấy tờ chứng minh nơi cư trú").set_input_files(
        files=[pdf("cu-tru-moi.pdf")]
    )
    page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    page.get_by_text("Đã gửi 1 tệp bổ sung").wait_for()
    login(page, live_server, "tiepnhan")
    page.goto(f"{live_server.url}/can-bo/ho-so/{code}/")
    paper = page.locator('li.paper[data-paper="Giấy tờ chứng minh nơi cư trú"]')
    assert "cu-tru-moi.pdf" in paper.inner_text() and "Bổ sung" in paper.inner_text()
    page.shot("04-supplement-under-its-paper")

    # a walk-in dossier gets two scans at the counter
    walk_in = receive_dossier(
        actor=office.receptionist,
        procedure_code=birth.code,
        unit_code=office.ward.code,
        applicant=APPLICANT,
        documents=papers(birth),
    ).dossier
    page.goto(f"{live_server.url}/can-bo/ho-so/{walk_in.code}/")
    page.get_by_text("Quét hoặc chụp giấy tờ tại quầy").click()
    page.get_by_label("Giấy tờ", exact=True).select_option(label="Tờ khai đăng ký khai sinh")
    page.get_by_label("Tệp (PDF, JPG, PNG; chọn được nhiều tệp)").set_input_files(
        files=[
            pdf("quet-trang-1.pdf"),
            {"name": "anh-trang-2.png", "mimeType": "image/png", "buffer": PNG},
        ]
    )
    page.get_by_role("button", name="Thêm tệp").click()
    page.get_by_text("Đã thêm 2 tệp vào hồ sơ.").wait_for()
    assert walk_in.files.filter(kind="scan", source="counter").count() == 2
    page.shot("05-walk-in-scans")

    # the result is issued and the citizen downloads it through the look-up
    from motcua.dossiers.models import Status
    from motcua.dossiers.services import receive_supplement

    if Dossier.objects.get(pk=dossier.pk).status == Status.AWAITING_SUPPLEMENT:
        receive_supplement(dossier_id=dossier.pk, actor=office.receptionist)
    login(page, live_server, "lanhdao")
    page.goto(f"{live_server.url}/can-bo/ho-so/{code}/")
    page.get_by_text("Đính kèm và vào sổ kết quả").click()
    result = pdf("giay-khai-sinh.pdf")
    page.get_by_label("Tệp kết quả (PDF)").set_input_files(files=[result])
    page.get_by_label("Ngày cấp").fill("2026-12-05")
    page.get_by_role("button", name="Vào sổ kết quả").click()
    page.get_by_text(f"Đã vào sổ kết quả số {code}-KQ1").wait_for()
    page.shot("06-result-registered")
    finish(office, dossier.pk)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Mã tra cứu").fill(secret)
    page.get_by_role("button", name="Tra cứu").click()
    page.get_by_role("heading", name="Kết quả điện tử").wait_for()
    page.shot("07-lookup-result")
    with page.expect_download() as got:
        page.get_by_role("link", name="giay-khai-sinh.pdf").click()
    path = got.value.path()
    assert open(path, "rb").read() == result["buffer"]  # noqa: PTH123
