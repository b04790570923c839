"""The official forms as PDF: text extraction finds the code, the applicant, the appointment and
the Vietnamese labels with their diacritics; page one is rendered as a PNG for a person to look
at (tests/browser/screenshots/forms/)."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import segno
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from motcua.catalog.services import DocumentSpec
from motcua.dossiers import services
from motcua.dossiers.notices import lookup_link
from motcua.dossiers.official_forms import (
    QR_BORDER,
    FormNotAvailable,
    UnknownForm,
    qr_data_uri,
    render_form_pdf,
)
from motcua.dossiers.selectors import get_dossier_for
from tests.dossiers.helpers import at, receive, submit
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db

SHOTS = Path(__file__).resolve().parents[1] / "browser" / "screenshots" / "forms"


def text_of(pdf: bytes) -> str:
    """The text of every page, NFC-normalised and with line breaks as spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def snapshot(pdf: bytes, name: str) -> Path:
    """Write the PDF and a PNG of its first page (pdftoppm) for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.pdf"
    path.write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is missing: `make browser-deps` installs it")
    subprocess.run(  # noqa: S603 - fixed arguments, our own file
        [
            pdftoppm,
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(SHOTS / name),
        ],
        check=True,
    )
    png = SHOTS / f"{name}.png"
    assert png.stat().st_size > 5000
    return png


@pytest.fixture
def procedure(office):
    return make_procedure(
        units=[office.ward],
        name="Đăng ký khai sinh thử nghiệm",
        online_mode="full",
        documents=[DocumentSpec(name="Tờ khai đăng ký khai sinh")],
    )


@pytest.fixture
def dossier(office, procedure):
    created = receive(
        office,
        procedure,
        now=at(19, 9, 25),
        green_lane_group="investment",
        documents=[services.DocumentData(name="Tờ khai đăng ký khai sinh", copies=1)],
    )
    return get_dossier_for(office.receptionist, created.dossier.code)


NATIONAL = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def test_the_receipt_mau_01_has_every_field_to_the_minute(office, dossier):
    pdf = render_form_pdf(dossier, "receipt")
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    for expected in (
        *NATIONAL,
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: TP.01-260119-0001",
        "Nguyễn Văn An",
        "Số định danh cá nhân/tổ chức: 001099012345",
        "12 Hàng Bạc, Hoàn Kiếm",
        "0912345678",
        "an@example.vn",
        "Đăng ký khai sinh thử nghiệm",
        "Tờ khai đăng ký khai sinh",
        "Số lượng hồ sơ",
        "3 ngày làm việc",
        "Thời gian nhận hồ sơ: 09 giờ 25 phút, ngày 19 tháng 01 năm 2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 22 tháng 01 năm 2026",
        "Đăng ký nhận kết quả tại",
        "Số thứ tự: 0001",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "LÀN XANH",
    ):
        assert expected in text, expected
    snapshot(pdf, "mau-01-giay-tiep-nhan")


def test_the_receipt_carries_a_qr_link_to_the_look_up_page(office, dossier):
    reader = PdfReader(io.BytesIO(render_form_pdf(dossier, "receipt")))
    images = reader.pages[0].images
    assert len(images) == 1
    image = images[0].image.convert("L")
    # read the modules back from the printed image and compare with the QR matrix of the link
    # to the look-up page with the code filled in (never the secret)
    matrix = segno.make(lookup_link(dossier.code), error="m").matrix
    size = len(matrix)
    step = image.width / (size + 2 * QR_BORDER)
    read = [
        [
            int(
                image.getpixel(
                    (int((QR_BORDER + x + 0.5) * step), int((QR_BORDER + y + 0.5) * step))
                )
                < 128
            )
            for x in range(size)
        ]
        for y in range(size)
    ]
    assert read == [list(row) for row in matrix]
    assert qr_data_uri(dossier.code).startswith("data:image/png;base64,")


def test_the_supplement_request_mau_02_lists_everything_missing(office, procedure):
    created = submit(office, procedure)
    services.request_supplement(
        dossier_id=created.dossier.pk,
        actor=office.receptionist,
        items=["Bản sao giấy chứng sinh", "Giấy xác nhận nơi cư trú của người mẹ"],
        note="Hồ sơ chưa đủ thành phần theo quy định",
        now=at(19, 9),
    )
    dossier = get_dossier_for(office.receptionist, created.dossier.code)
    pdf = render_form_pdf(dossier, "supplement-request")
    text = text_of(pdf)
    for expected in (
        *NATIONAL,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        dossier.code,
        "Hồ sơ của: Nguyễn Văn An",
        "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau",
        "Bản sao giấy chứng sinh",
        "Giấy xác nhận nơi cư trú của người mẹ",
        "Lý do: Hồ sơ chưa đủ thành phần theo quy định",
        "NGƯỜI HƯỚNG DẪN",
    ):
        assert expected in text, expected
    snapshot(pdf, "mau-02-yeu-cau-bo-sung")


def test_the_refusal_mau_03_gives_the_reasons(office, procedure):
    created = submit(office, procedure)
    services.refuse_dossier(
        dossier_id=created.dossier.pk,
        actor=office.receptionist,
        reason="Giấy tờ tùy thân đã hết hạn sử dụng",
        now=at(19, 9),
    )
    dossier = get_dossier_for(office.receptionist, created.dossier.code)
    pdf = render_form_pdf(dossier, "refusal")
    text = text_of(pdf)
    for expected in (
        *NATIONAL,
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Mã hồ sơ (nếu có): " + dossier.code,
        "Nguyễn Văn An",
        "001099012345",
        "Giấy tờ tùy thân đã hết hạn sử dụng",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ):
        assert expected in text, expected
    snapshot(pdf, "mau-03-tu-choi")


def test_the_signed_apology_mau_04_has_the_reason_and_the_new_appointment(office, dossier):
    step = dossier.steps.get(order=1)
    apology = services.draft_apology(
        dossier_id=dossier.pk,
        actor=office.receptionist,
        reason="Chờ kết quả xác minh của cơ quan Công an",
        new_due_at=at(26, 16, 30),
        step_id=step.pk,
        now=at(20, 9),
    )
    services.sign_apology(apology_id=apology.pk, actor=office.leader, now=at(20, 10))
    fresh = get_dossier_for(office.receptionist, dossier.code)
    pdf = render_form_pdf(fresh, "apology")
    text = text_of(pdf)
    for expected in (
        *NATIONAL,
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Kính gửi: Nguyễn Văn An",
        dossier.code,
        "001099012345",
        "17 giờ 00 phút, ngày 22 tháng 01 năm 2026",  # the original appointment
        "Lý do: Chờ kết quả xác minh của cơ quan Công an",
        "16 giờ 30 phút, ngày 26 tháng 01 năm 2026",  # the new one
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
        "Trần Văn Lãnh",
    ):
        assert expected in text, expected
    assert "DỰ THẢO" not in text
    snapshot(pdf, "mau-04-xin-loi")


def test_a_draft_apology_prints_as_a_draft(office, dossier):
    services.draft_apology(
        dossier_id=dossier.pk, actor=office.receptionist, reason="Chậm", now=at(20, 9)
    )
    fresh = get_dossier_for(office.receptionist, dossier.code)
    assert "DỰ THẢO" in text_of(render_form_pdf(fresh, "apology"))


def test_the_control_sheet_is_read_from_the_events(office, dossier):
    step = dossier.steps.get(order=1)
    services.complete_step(step_id=step.pk, actor=office.receptionist, now=at(19, 10))
    step2 = dossier.steps.get(order=2)
    apology = services.draft_apology(
        dossier_id=dossier.pk, actor=office.specialist, reason="Chờ xác minh", now=at(20, 8, 30)
    )
    services.sign_apology(apology_id=apology.pk, actor=office.leader, now=at(20, 8, 45))
    services.complete_step(step_id=step2.pk, actor=office.specialist, now=at(20, 9))
    fresh = get_dossier_for(office.receptionist, dossier.code)
    pdf = render_form_pdf(fresh, "control-sheet")
    text = text_of(pdf)
    for expected in (
        *NATIONAL,
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        dossier.code,
        "Cơ quan (bộ phận) giải quyết hồ sơ",
        "Ngày nhận",
        "Hẹn trả kết quả vào",
        "Giao",
        "Nhận",
        "Đúng hạn",  # step 1: 2 h from 09:25, done 10:00 the same day
        "Quá hạn",  # step 2: due 19/01 15:00, done 20/01 09:00
        "Ký phiếu xin lỗi",
    ):
        assert expected in text, expected
    snapshot(pdf, "phieu-kiem-soat")


def test_a_form_that_does_not_exist_yet_is_refused_with_the_reason(office, procedure, dossier):
    with pytest.raises(FormNotAvailable, match="không bị từ chối"):
        render_form_pdf(dossier, "refusal")
    with pytest.raises(FormNotAvailable, match="chưa có phiếu xin lỗi"):
        render_form_pdf(dossier, "apology")
    with pytest.raises(UnknownForm):
        render_form_pdf(dossier, "mau-99")
    online = submit(office, procedure).dossier
    with pytest.raises(FormNotAvailable, match="chưa được tiếp nhận"):
        render_form_pdf(get_dossier_for(office.receptionist, online.code), "receipt")


# ------------------------------------------------------------------------------- the pages
def form_url(dossier, form: str) -> str:
    return reverse("office:form_pdf", kwargs={"code": dossier.code, "form": form})


def test_staff_of_the_unit_download_the_receipt(client, office, dossier):
    client.force_login(office.specialist)
    answer = client.get(form_url(dossier, "receipt") + "?tai=1")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith("attachment;")
    assert dossier.code in text_of(answer.content)


def test_another_units_person_gets_404_for_every_form(client, office, dossier):
    client.force_login(office.outsider)
    for form in ("receipt", "control-sheet", "apology", "refusal", "supplement-request"):
        assert client.get(form_url(dossier, form)).status_code == 404


def test_a_missing_form_is_a_page_that_says_why(client, office, dossier):
    client.force_login(office.receptionist)
    answer = client.get(form_url(dossier, "refusal"))
    assert answer.status_code == 409
    assert "không bị từ chối" in answer.text
    assert client.get(form_url(dossier, "mau-99")).status_code == 404
    assert client.get(form_url(dossier, "apology") + "?id=abc").status_code == 404


# ------------------------------------------------------------------------------- log book
@time_machine.travel(at(23, 10), tick=False)
def test_the_log_book_of_a_period(client, office, procedure, dossier):
    later = receive(office, procedure, now=at(21, 14)).dossier
    client.force_login(office.receptionist)
    form = client.get(reverse("office:logbook"))
    assert form.status_code == 200 and "Sổ theo dõi hồ sơ" in form.text
    answer = client.get(
        reverse("office:logbook"),
        {"unit": office.ward.code, "first": "2026-01-19", "last": "2026-01-21"},
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    text = text_of(answer.content)
    for expected in (
        "SỔ THEO DÕI HỒ SƠ",
        "Từ ngày 19/01/2026 đến ngày 21/01/2026",
        dossier.code,
        later.code,
        "Nguyễn Văn An",
        "Tên TTHC",
        "Cơ quan chủ trì giải quyết",
        "Hẹn trả kết quả",
    ):
        assert expected in text, expected
    assert text.index(dossier.code) < text.index(later.code)
    snapshot(answer.content, "so-theo-doi")
    only_first = text_of(
        client.get(
            reverse("office:logbook"),
            {"unit": office.ward.code, "first": "2026-01-19", "last": "2026-01-19"},
        ).content
    )
    assert dossier.code in only_first and later.code not in only_first


def test_the_log_book_refuses_another_unit_and_a_long_period(client, office):
    client.force_login(office.outsider)
    answer = client.get(
        reverse("office:logbook"),
        {"unit": office.ward.code, "first": "2026-01-01", "last": "2026-01-31"},
    )
    assert answer.status_code == 404
    client.force_login(office.receptionist)
    too_long = client.get(
        reverse("office:logbook"),
        {"unit": office.ward.code, "first": "2026-01-01", "last": "2026-06-30"},
    )
    assert too_long.status_code == 422
    assert "tối đa 92 ngày" in too_long.text
