"""The office in a real browser against the real server (both databases): a receptionist receives
a dossier and downloads the receipt; a specialist completes a step; an overdue step shows the
gate; the leader signs the apology; the step then completes. Screenshots of every page, and a
PNG of the receipt's first page, go to tests/browser/screenshots/<test name>/."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, StepStatus
from tests.dossiers.helpers import APPLICANT
from tests.factories import PASSWORD, make_procedure, papers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).parent / "screenshots"


def login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/can-bo/")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(p.extract_text() or "" for p in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def open_step(dossier: Dossier):
    return dossier.steps.filter(status__in=[StepStatus.ACTIVE, StepStatus.PAUSED]).first()


@pytest.fixture
def procedure(office):
    """Steps: desk 2 h (receptionist), appraisal 4 h (specialist), signature 2 h (leader)."""
    return make_procedure(units=[office.ward], name="Đăng ký khai sinh trong trình duyệt")


def test_a_receptionist_receives_a_dossier_and_a_specialist_completes_a_step(
    page, live_server, office, procedure, request
):
    folder = SCREENSHOTS / request.node.name
    login(page, live_server, "tiepnhan")
    page.get_by_role("link", name="Tiếp nhận", exact=True).click()
    page.wait_for_url("**/can-bo/tiep-nhan/")
    page.get_by_label("1. Thủ tục (tìm theo tên hoặc mã)").fill("trình duyệt")
    page.get_by_role("link", name=procedure.name).click()  # the htmx search result
    page.get_by_text("Tờ khai", exact=False).first.wait_for()
    page.get_by_label("Tờ khai").check()
    page.get_by_label("Họ và tên người nộp / tên tổ chức").fill("Đỗ Thị Thu Hương")
    page.get_by_label("Số định danh cá nhân / mã số tổ chức").fill("001190012345")
    page.get_by_label("Số điện thoại").fill("0904123456")
    page.get_by_label("Địa chỉ").fill("18 Phố Huế, Hai Bà Trưng")
    page.get_by_label("Làn xanh").select_option("investment")
    page.shot("1-tiep-nhan")
    page.get_by_role("button", name="Tiếp nhận và in Giấy hẹn (Mẫu 01)").click()
    page.wait_for_url("**/can-bo/ho-so/**")
    dossier = Dossier.objects.get()
    assert dossier.code in page.url
    assert page.get_by_text("Đã tiếp nhận hồ sơ").first.is_visible()
    page.shot("2-ho-so-vua-tiep-nhan")

    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Tải Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01) để in"
        ).click()
    receipt = Path(download.value.path()).read_bytes()
    text = pdf_text(receipt)
    due = timezone.localtime(dossier.due_at)
    received = timezone.localtime(dossier.received_at)
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        dossier.code,
        "Đỗ Thị Thu Hương",
        f"{received:%H} giờ {received:%M} phút, ngày {received:%d} tháng {received:%m}",
        f"{due:%H} giờ {due:%M} phút, ngày {due:%d} tháng {due:%m} năm {due:%Y}",
        "LÀN XANH",
    ):
        assert expected in text, expected
    (folder / "3-mau-01.pdf").write_bytes(receipt)
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (poppler-utils) is missing: `make browser-deps` installs it"
    subprocess.run(  # noqa: S603 - fixed arguments, our own file
        [pdftoppm, "-png", "-r", "80", "-singlefile", "-f", "1", "-l", "1",
         str(folder / "3-mau-01.pdf"), str(folder / "3-mau-01")],
        check=True,
    )  # fmt: skip
    assert (folder / "3-mau-01.png").stat().st_size > 5000

    # the desk's own step, then the dossier goes to the specialists
    page.get_by_role("button", name="Hoàn thành bước “Bước 1”").click()
    page.get_by_text("Đã hoàn thành bước và chuyển hồ sơ sang bước tiếp theo.").wait_for()
    assert open_step(dossier).order == 2

    login(page, live_server, "chuyenvien")
    page.get_by_role("link", name="Việc của tôi").click()
    page.get_by_role("link", name=dossier.code).wait_for()
    page.shot("4-viec-cua-toi")
    page.get_by_role("link", name=dossier.code).click()
    page.get_by_role("button", name="Hoàn thành bước “Bước 2”").click()
    page.get_by_text("Đã hoàn thành bước và chuyển hồ sơ sang bước tiếp theo.").wait_for()
    page.shot("5-chuyen-vien-hoan-thanh")
    assert open_step(dossier).order == 3
    assert not page.get_by_role("button", name="Hoàn thành bước “Bước 3”").is_visible()


def test_an_overdue_step_waits_for_the_signed_apology_then_completes(
    page, live_server, office, procedure
):
    # received on paper a month ago; the desk's step was done an hour later, so the
    # specialist's step (4 working hours) is long overdue now
    day = timezone.localdate() - timedelta(days=30)
    received_at = datetime.combine(day, time(9), tzinfo=timezone.get_current_timezone())
    dossier = services.receive_dossier(
        actor=office.receptionist,
        procedure_code=procedure.code,
        documents=papers(procedure),
        unit_code=office.ward.code,
        applicant=APPLICANT,
        received_at=received_at,
        received_at_reason="Hệ thống gián đoạn",
    ).dossier
    services.complete_step(
        step_id=open_step(dossier).pk,
        actor=office.receptionist,
        now=received_at + timedelta(hours=1),
    )

    login(page, live_server, "chuyenvien")
    page.goto(f"{live_server.url}/can-bo/ho-so/{dossier.code}/")
    gate = page.get_by_role("region", name="Bước “Bước 2” đã quá hạn: hồ sơ tạm khóa")
    assert gate.is_visible()
    assert "Trần Văn Lãnh" in gate.inner_text()
    page.shot("1-buoc-qua-han")
    # no button that would fail: the gate says what is missing and who can sign
    assert page.get_by_role("button", name="Hoàn thành bước “Bước 2”").count() == 0
    assert "Lãnh đạo đơn vị ký phiếu" in gate.inner_text()
    page.shot("2-bi-chan")
    assert open_step(dossier).order == 2

    page.get_by_label("Lý do chậm trễ").fill("Chờ văn bản xác minh của Công an phường")
    page.get_by_label("Giải trình của người thụ lý").fill("Đã gửi văn bản đề nghị xác minh")
    page.get_by_role("button", name="Lập dự thảo phiếu xin lỗi").click()
    page.get_by_text("Đã có giải trình và dự thảo phiếu xin lỗi.").wait_for()
    page.shot("3-du-thao-xin-loi")

    login(page, live_server, "lanhdao")
    page.get_by_role("link", name="Phiếu xin lỗi chờ ký", exact=True).click()
    page.get_by_role("link", name=dossier.code).wait_for()
    page.shot("4-lanh-dao-cho-ky")
    page.once("dialog", lambda dialog: dialog.accept())  # signing asks to confirm first
    page.get_by_role("button", name="Ký phiếu").click()
    page.get_by_text("Không có phiếu xin lỗi nào chờ ký.").wait_for()
    page.shot("5-da-ky")

    login(page, live_server, "chuyenvien")
    page.goto(f"{live_server.url}/can-bo/ho-so/{dossier.code}/")
    assert not page.get_by_text("hồ sơ tạm khóa").is_visible()
    page.get_by_role("button", name="Hoàn thành bước “Bước 2”").click()
    page.get_by_text("Đã hoàn thành bước và chuyển hồ sơ sang bước tiếp theo.").wait_for()
    page.shot("6-hoan-thanh-sau-khi-ky")
    assert open_step(dossier).order == 3


def test_the_boards_render_for_a_leader_and_in_english(page, live_server, office, procedure):
    services.receive_dossier(
        actor=office.receptionist,
        procedure_code=procedure.code,
        documents=papers(procedure),
        unit_code=office.ward.code,
        applicant=APPLICANT,
        green_lane_group="investment",
    )
    login(page, live_server, "lanhdao")
    page.get_by_role("link", name="Bảng điều hành").click()
    page.get_by_role("heading", name="Bảng điều hành — Phường Hoàn Kiếm Thử").wait_for()
    page.shot("1-bang-dieu-hanh")
    page.get_by_role("link", name="Hồ sơ của đơn vị").click()
    page.get_by_label("Làn xanh").select_option("1")  # htmx filter
    page.wait_for_url("**green_lane=1**")
    page.shot("2-ho-so-don-vi-lan-xanh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    page.shot("3-english")
