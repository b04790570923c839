from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.documents.models import StagedFile
from motcua.documents.services import content_of
from motcua.dossiers.models import Dossier
from tests.portal.helpers import EXE, JPEG, PDF, PNG

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BOUNDARY = "----motcua-test-boundary"


def papers(birth):
    docs = list(birth.documents.all())
    return {d.name: f"doc_{d.pk}" for d in docs}


def applicant(office, **extra):
    return {
        "name": "Nguyễn Văn An",
        "id_number": "001099012345",
        "phone": "0912 345 678",
        "email": "an.nguyen@example.vn",
        "address": "12 Hàng Bạc, Hoàn Kiếm",
        "unit": office.ward.code,
        "pledge": "on",
        **extra,
    }


def fill(client, office, birth, **files):
    keys = papers(birth)
    data = applicant(office)
    data[keys["Tờ khai đăng ký khai sinh"]] = files.get(
        "form_file", SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")
    )
    data[keys["Giấy chứng sinh"]] = files.get(
        "birth_file", SimpleUploadedFile("chung-sinh.png", PNG, "image/png")
    )
    return client.post(reverse("portal:submit", args=[birth.code]), data)


def multipart(fields, files):
    """A multipart body written by hand, so that a file name keeps its directories."""
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, content in files:
        head = (
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def every_file(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_citizen_submits_online_with_two_uploads_and_gets_a_code(client, office, birth, media):
    answer = fill(client, office, birth)
    assert answer.status_code == 302
    assert answer.headers["Location"] == reverse("portal:review", args=[birth.code])
    review = client.get(answer.headers["Location"])
    assert review.status_code == 200
    assert "Nguyễn Văn An" in review.text  # the citizen reviews their own data
    assert "to-khai.pdf" in review.text and "chung-sinh.png" in review.text
    submitted = client.post(answer.headers["Location"], {"action": "submit"})
    assert submitted.status_code == 302
    dossier = Dossier.objects.get()
    assert submitted.headers["Location"] == reverse("portal:receipt", args=[dossier.code])
    receipt = client.get(submitted.headers["Location"])
    assert receipt.status_code == 200
    assert dossier.code in receipt.text
    assert (dossier.status, dossier.channel, dossier.unit) == ("submitted", "online", office.ward)
    assert [d["name"] for d in dossier.documents] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    assert dossier.applicant.phone == "0912 345 678"
    assert "Ngày hẹn trả kết quả được tính khi Bộ phận Một cửa tiếp nhận hồ sơ" in receipt.text
    assert "Nguyễn Văn An" not in receipt.text  # the receipt too shows the masked name only

    docs = list(dossier.files.order_by("pk"))
    assert [(d.paper.name, d.name, d.media_type, d.kind, d.source) for d in docs] == [
        ("Tờ khai đăng ký khai sinh", "to-khai.pdf", "application/pdf", "submitted", "online"),
        ("Giấy chứng sinh", "chung-sinh.png", "image/png", "submitted", "online"),
    ]
    assert all(len(d.storage_key.split("/")[-1]) == 32 for d in docs)  # generated, not the name
    assert b"".join(content_of(docs[0])) == PDF
    assert docs[0].pages == 1
    assert not StagedFile.objects.exists()


def test_the_secret_on_the_receipt_opens_the_look_up(client, office, birth, media):
    fill(client, office, birth)
    client.post(reverse("portal:review", args=[birth.code]), {"action": "submit"})
    dossier = Dossier.objects.get()
    receipt = client.get(reverse("portal:receipt", args=[dossier.code])).text
    secret = receipt.split('id="ma-tra-cuu">')[1].split("<")[0]
    other = Client()
    answer = other.post(reverse("portal:lookup"), {"code": dossier.code, "secret": secret})
    assert answer.status_code == 302


def test_a_second_click_on_submit_does_not_make_a_second_dossier(client, office, birth, media):
    fill(client, office, birth)
    url = reverse("portal:review", args=[birth.code])
    client.post(url, {"action": "submit"})
    again = client.post(url, {"action": "submit"})
    assert again.status_code == 302
    assert Dossier.objects.count() == 1


def test_a_30_mb_file_is_refused_with_a_clear_message(client, office, birth, media):
    big = SimpleUploadedFile("ban-quet.pdf", PDF + b"0" * (30 * 1024 * 1024), "application/pdf")
    answer = fill(client, office, birth, form_file=big)
    assert answer.status_code == 400
    assert "vượt quá mức tối đa 10 MB cho mỗi tệp" in answer.text
    assert "ban-quet.pdf" in answer.text and "30 MB" in answer.text
    assert not Dossier.objects.exists()
    assert [s.name for s in StagedFile.objects.all()] == ["chung-sinh.png"]  # the good one stays
    assert every_file(media) == [f"documents/{StagedFile.objects.get().storage_key}"]


def test_an_exe_renamed_pdf_is_refused_by_its_content(client, office, birth, media):
    exe = SimpleUploadedFile("giay-chung-sinh.pdf", EXE, "application/pdf")
    answer = fill(client, office, birth, birth_file=exe)
    assert answer.status_code == 400
    assert "không phải là tệp PDF, JPEG hoặc PNG" in answer.text
    assert "kiểm tra nội dung tệp" in answer.text
    assert [s.name for s in StagedFile.objects.all()] == ["to-khai.pdf"]  # the good one stays
    assert every_file(media) == [f"documents/{StagedFile.objects.get().storage_key}"]


@pytest.mark.parametrize(
    "name", ["../../../../etc/cron.d/evil.pdf", "..\\..\\windows\\evil.pdf", "..", "/etc/evil.pdf"]
)
def test_a_file_name_with_a_path_is_refused_and_nothing_is_written_outside(
    client, office, birth, media, name
):
    keys = papers(birth)
    body = multipart(
        applicant(office),
        [
            (keys["Tờ khai đăng ký khai sinh"], name, PDF),
            (keys["Giấy chứng sinh"], "chung-sinh.pdf", PDF),
        ],
    )
    answer = client.post(
        reverse("portal:submit", args=[birth.code]),
        data=body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert answer.status_code == 400
    assert "có chứa đường dẫn thư mục" in answer.text
    assert [s.name for s in StagedFile.objects.all()] == ["chung-sinh.pdf"]  # the good one stays
    assert every_file(media) == [f"documents/{StagedFile.objects.get().storage_key}"]
    assert not (media / "etc").exists() and not list(media.parent.glob("**/evil.pdf"))


def test_a_missing_required_paper_is_named(client, office, birth, media):
    data = applicant(office)
    answer = client.post(reverse("portal:submit", args=[birth.code]), data)
    assert answer.status_code == 400
    assert "Hãy chọn tệp cho giấy tờ “Giấy chứng sinh”." in answer.text
    assert 'aria-invalid="true"' in answer.text


def test_bad_applicant_data_is_explained(client, office, birth, media):
    keys = papers(birth)
    data = applicant(office, phone="12", pledge="")
    data[keys["Tờ khai đăng ký khai sinh"]] = SimpleUploadedFile("a.pdf", PDF)
    data[keys["Giấy chứng sinh"]] = SimpleUploadedFile("b.jpg", JPEG)
    answer = client.post(reverse("portal:submit", args=[birth.code]), data)
    assert answer.status_code == 400
    assert "Số điện thoại chưa đúng" in answer.text
    assert "Hãy đánh dấu ô cam đoan" in answer.text


def test_the_upload_forms_check_csrf(office, birth, media):
    strict = Client(enforce_csrf_checks=True)
    url = reverse("portal:submit", args=[birth.code])
    assert strict.post(url, applicant(office)).status_code == 403
    form = strict.get(url)
    assert form["Cache-Control"].startswith("max-age=0") and "no-store" in form["Cache-Control"]
    token = form.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    keys = papers(birth)
    data = applicant(office, csrfmiddlewaretoken=token)
    data[keys["Tờ khai đăng ký khai sinh"]] = SimpleUploadedFile("a.pdf", PDF)
    data[keys["Giấy chứng sinh"]] = SimpleUploadedFile("b.jpg", JPEG)
    assert strict.post(url, data).status_code == 302


def test_a_walk_in_procedure_has_no_online_form(client, building):
    assert client.get(reverse("portal:submit", args=[building.code])).status_code == 404


def test_the_review_without_a_draft_goes_back_to_the_form(client, birth):
    answer = client.get(reverse("portal:review", args=[birth.code]))
    assert answer.status_code == 302
    assert answer.headers["Location"] == reverse("portal:submit", args=[birth.code])


def test_editing_keeps_the_typed_data_and_the_chosen_files(client, office, birth, media):
    fill(client, office, birth)
    answer = client.post(reverse("portal:review", args=[birth.code]), {"action": "edit"})
    assert answer.status_code == 302
    form = client.get(answer.headers["Location"]).text
    assert 'value="12 Hàng Bạc, Hoàn Kiếm"' in form
    assert "Đã đính kèm: to-khai.pdf" in form and "Đã đính kèm: chung-sinh.png" in form
    again = client.post(reverse("portal:submit", args=[birth.code]), applicant(office))
    assert again.status_code == 302  # the kept files answer the required papers
    client.post(reverse("portal:review", args=[birth.code]), {"action": "submit"})
    assert Dossier.objects.get().files.count() == 2


def test_a_validation_error_keeps_the_chosen_files_attached(client, office, birth, media):
    keys = papers(birth)
    data = applicant(office, phone="12")
    data[keys["Tờ khai đăng ký khai sinh"]] = SimpleUploadedFile("to-khai.pdf", PDF)
    data[keys["Giấy chứng sinh"]] = SimpleUploadedFile("chung-sinh.jpg", JPEG)
    answer = client.post(reverse("portal:submit", args=[birth.code]), data)
    assert answer.status_code == 400
    assert "Số điện thoại chưa đúng" in answer.text
    assert "Đã đính kèm: to-khai.pdf" in answer.text
    assert "Đã đính kèm: chung-sinh.jpg" in answer.text
    assert StagedFile.objects.count() == 2  # stored: any web process finds them
    fixed = client.post(reverse("portal:submit", args=[birth.code]), applicant(office))
    assert fixed.status_code == 302
    review = client.get(fixed.headers["Location"])
    assert "to-khai.pdf" in review.text and "chung-sinh.jpg" in review.text
    client.post(reverse("portal:review", args=[birth.code]), {"action": "submit"})
    dossier = Dossier.objects.get()
    assert sorted(d.name for d in dossier.files.all()) == ["chung-sinh.jpg", "to-khai.pdf"]


def test_the_staged_files_of_a_session_are_capped(client, settings, office, birth, media):
    settings.MOTCUA_DOCUMENTS = {**settings.MOTCUA_DOCUMENTS, "MAX_SESSION_FILES": 1}
    answer = fill(client, office, birth)
    assert answer.status_code == 400
    assert "đã chọn quá 1 tệp trong một lần nộp" in answer.text
    assert StagedFile.objects.count() == 1


def test_a_submission_on_sunday_evening_is_received_at_the_next_opening(
    client, office, birth, media
):
    with time_machine.travel(datetime(2026, 1, 18, 20, 30, tzinfo=VN), tick=False):
        fill(client, office, birth)
        review = client.get(reverse("portal:review", args=[birth.code]))
        assert "ngoài giờ làm việc" in review.text and "08:00 19/01/2026" in review.text
        client.post(reverse("portal:review", args=[birth.code]), {"action": "submit"})
        dossier = Dossier.objects.get()
        receipt = client.get(reverse("portal:receipt", args=[dossier.code]))
    assert "Ông/bà nộp ngoài giờ làm việc" in receipt.text
    assert "08:00 19/01/2026" in receipt.text


def test_a_submission_in_office_hours_has_no_such_note(client, office, birth, media):
    with time_machine.travel(datetime(2026, 1, 19, 9, 30, tzinfo=VN), tick=False):
        fill(client, office, birth)
        client.post(reverse("portal:review", args=[birth.code]), {"action": "submit"})
        dossier = Dossier.objects.get()
        receipt = client.get(reverse("portal:receipt", args=[dossier.code]))
    assert "ngoài giờ làm việc" not in receipt.text
