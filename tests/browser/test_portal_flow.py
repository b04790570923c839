"""The citizen's whole path on a phone (390×844) against the real server, with axe-core checking
each page for serious or critical accessibility violations. Screenshots in
tests/browser/screenshots/<test name>/ for a person to look at."""

from __future__ import annotations

import re

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import accept_dossier, request_supplement
from motcua.surveys.models import Rating
from tests.browser.conftest import SCREENSHOTS, axe
from tests.portal.helpers import JPEG, PDF, PNG, finish, make_birth, make_building, make_chairman

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NOT_FOUND = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này"


@pytest.fixture
def phone(browser, request):
    """A phone-sized page; ``page.shot(name)`` keeps a full-page screenshot."""
    context = browser.new_context(
        viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    folder = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    page.folder = folder
    page.shot = lambda name: page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    yield page
    context.close()


@pytest.fixture
def uploads_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def file(name: str, content: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_a_citizen_finds_submits_follows_supplements_and_rates_on_a_phone(
    phone, live_server, office, uploads_folder
):
    page = phone
    birth = make_birth(office)
    make_building(office)

    # find the procedure
    page.goto(f"{live_server.url}/")
    page.get_by_role("heading", name="Thủ tục hành chính, ngay trên điện thoại").wait_for()
    page.shot("01-home")
    axe(page, "home")
    page.get_by_label("Tên hoặc mã thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm thủ tục").click()
    page.get_by_text("1 thủ tục khớp").wait_for()
    page.shot("02-catalog")
    axe(page, "catalog")
    # the catalog narrows as one types (htmx), without leaving the page
    page.get_by_label("Tên hoặc mã thủ tục").fill("xay dung")
    page.get_by_text("1 thủ tục khớp “xay dung”").wait_for()
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in main_text(page)
    assert "Đăng ký khai sinh" not in main_text(page)
    page.get_by_label("Tên hoặc mã thủ tục").fill("khai sinh")
    page.get_by_text("1 thủ tục khớp “khai sinh”").wait_for()
    page.get_by_role("link", name="Đăng ký khai sinh").click()
    page.get_by_role("heading", name="Giấy tờ cần nộp").wait_for()
    assert "Tờ khai đăng ký khai sinh" in main_text(page)
    assert "Không mất phí, lệ phí" in main_text(page)
    page.shot("03-procedure")
    axe(page, "procedure")

    # submit online with two uploads; first an empty form shows what is missing
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("heading", name="Nộp hồ sơ trực tuyến").wait_for()
    axe(page, "submission form")
    page.get_by_role("button", name="Tiếp tục: xem lại").click()
    page.get_by_role("alert").wait_for()
    assert "Hãy chọn tệp cho giấy tờ “Giấy chứng sinh”." in page.get_by_role("alert").inner_text()
    page.shot("04-submission-errors")
    axe(page, "submission form with errors")
    page.get_by_label("Họ và tên người nộp (hoặc tên tổ chức)").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân / mã số doanh nghiệp").fill("001099012345")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ liên hệ").fill("12 Hàng Bạc, Hoàn Kiếm")
    page.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(
        files=[file("to-khai.pdf", PDF, "application/pdf")]
    )
    page.get_by_label("Giấy chứng sinh").set_input_files(
        files=[file("chung-sinh.png", PNG, "image/png")]
    )
    page.get_by_label("Tôi xin cam đoan những thông tin khai trên là đúng sự thật.").check()
    page.shot("05-submission-filled")
    page.get_by_role("button", name="Tiếp tục: xem lại").click()
    page.get_by_role("heading", name="Xem lại trước khi nộp").wait_for()
    assert "to-khai.pdf" in main_text(page) and "chung-sinh.png" in main_text(page)
    page.shot("06-review")
    axe(page, "review")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.get_by_role("heading", name="Đã nộp hồ sơ trực tuyến").wait_for()
    code = page.locator("#ma-ho-so").inner_text().strip()
    secret = page.locator("#ma-tra-cuu").inner_text().strip()
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == "submitted" and len(dossier.documents) == 2
    assert "Ngày hẹn trả kết quả được tính khi Bộ phận Một cửa tiếp nhận" in main_text(page)
    page.shot("07-receipt")
    axe(page, "receipt")

    # look it up; a wrong secret and a wrong code look the same
    page.get_by_role("link", name="Tra cứu hồ sơ").click()
    page.get_by_role("heading", name="Tra cứu hồ sơ").wait_for()
    axe(page, "look-up form")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Mã tra cứu").fill("WXYZ-2345-6789")
    page.get_by_role("button", name="Tra cứu").click()
    page.locator("#khong-tim-thay").wait_for()
    wrong_secret = main_text(page)
    page.shot("08-wrong-secret")
    axe(page, "look-up not found")
    unknown = code[:-4] + ("9999" if not code.endswith("9999") else "9998")
    page.get_by_label("Mã hồ sơ").fill(unknown)
    page.get_by_label("Mã tra cứu").fill(secret)
    page.get_by_role("button", name="Tra cứu").click()
    page.locator("#khong-tim-thay").wait_for()
    wrong_code = main_text(page)
    page.shot("09-wrong-code")
    assert NOT_FOUND in wrong_secret
    assert wrong_secret == wrong_code
    assert page.get_by_label("Mã hồ sơ").input_value() == unknown
    assert page.get_by_label("Mã tra cứu").input_value() == ""
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Mã tra cứu").fill(secret.lower())
    page.get_by_role("button", name="Tra cứu").click()
    page.get_by_role("heading", name=f"Hồ sơ {code}").wait_for()
    text = main_text(page)
    assert "Chờ tiếp nhận" in text and "Ng*** V** A*" in text
    assert "Nguyễn Văn An" not in page.content() and "0912345678" not in page.content()
    page.shot("10-lookup-submitted")
    axe(page, "look-up result")

    # the desk accepts; an officer asks for a supplement: the clock is paused
    accept_dossier(dossier_id=dossier.pk, actor=office.receptionist)
    request_supplement(
        dossier_id=dossier.pk,
        actor=office.receptionist,
        items=["Bản sao giấy chứng nhận kết hôn", "Văn bản ủy quyền"],
        note="Thiếu giấy tờ chứng minh quan hệ cha mẹ.",
    )
    page.reload()
    page.get_by_role("heading", name="Yêu cầu bổ sung hồ sơ").wait_for()
    assert "Tạm dừng tính thời gian" in main_text(page)
    page.shot("11-supplement-requested")
    axe(page, "supplement request")
    page.get_by_label("Bản sao giấy chứng nhận kết hôn").set_input_files(
        files=[file("ket-hon.pdf", PDF, "application/pdf")]
    )
    page.get_by_label("Văn bản ủy quyền").set_input_files(
        files=[file("uy-quyen.jpg", JPEG, "image/jpeg")]
    )
    page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    page.get_by_text("Đã gửi 2 tệp bổ sung; hồ sơ tiếp tục được giải quyết.").wait_for()
    page.shot("12-supplement-sent")
    # the upload itself answered the request: the clock resumed, and the look-up says so
    page.get_by_text("Đã nhận bổ sung lúc").wait_for()
    text = main_text(page)
    assert "thời gian giải quyết được tính tiếp" in text
    assert "Thời gian giải quyết đang được tính" in text
    page.shot("13-clock-resumed")

    # the result is ready: rate once; a second rating is refused politely
    finish(office, dossier.pk)
    page.reload()
    page.get_by_role("heading", name="Đánh giá mức độ hài lòng").wait_for()
    page.shot("14-rating-form")
    axe(page, "rating form")
    second_tab = page.context.new_page()
    second_tab.goto(page.url)
    page.get_by_label("Rất hài lòng").check()
    page.get_by_label("Góp ý thêm (không bắt buộc)").fill("Nhanh, không phải đi lại.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_text("Cảm ơn ông/bà đã đánh giá").wait_for()
    page.shot("15-rated")
    axe(page, "rated")
    second_tab.get_by_label("Không hài lòng").check()
    second_tab.get_by_role("button", name="Gửi đánh giá").click()
    second_tab.locator("#thong-bao").wait_for()
    assert "mỗi hồ sơ chỉ đánh giá một lần" in second_tab.locator("#thong-bao").inner_text()
    second_tab.screenshot(path=str(page.folder / "16-second-rating-refused.png"), full_page=True)
    assert Rating.objects.get(dossier=dossier).overall == "very_satisfied"
    assert birth.code == dossier.procedure.code


def test_who_to_call_and_the_complaint_form_on_a_phone(phone, live_server, office):
    make_chairman(office)
    page = phone
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Liên hệ, phản ánh").first.click()
    page.get_by_role("heading", name="Phường Hoàn Kiếm Thử").wait_for()
    assert "024.3825.1234" in main_text(page)
    page.shot("1-who-to-call")
    axe(page, "who to call")
    page.get_by_role("link", name="Gửi phản ánh trực tuyến").click()
    page.get_by_role("heading", name="Gửi phản ánh, kiến nghị").wait_for()
    axe(page, "complaint form")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill("Cán bộ yêu cầu thêm giấy tờ.")
    page.get_by_label("Họ và tên").fill("Trần Thị Bích")
    page.get_by_label("Số điện thoại").fill("0987654321")
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.get_by_role("heading", name="Đã gửi phản ánh").wait_for()
    page.shot("2-complaint-sent")
    axe(page, "complaint sent")
