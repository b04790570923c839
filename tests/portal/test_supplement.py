import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import accept_dossier, request_supplement
from tests.portal.helpers import EXE, JPEG, PDF

pytestmark = pytest.mark.django_db

ITEMS = ["Bản sao giấy chứng nhận kết hôn của cha mẹ", "Văn bản ủy quyền có chứng thực"]


@pytest.fixture
def waiting(office, submitted):
    """Received, then the agency asks for two papers: the clock is paused."""
    accept_dossier(dossier_id=submitted.dossier.pk, actor=office.receptionist)
    request_supplement(
        dossier_id=submitted.dossier.pk,
        actor=office.receptionist,
        items=ITEMS,
        note="Thiếu giấy tờ chứng minh quan hệ cha mẹ.",
    )
    return submitted


def open_page(client, created):
    client.post(
        reverse("portal:lookup"),
        {"code": created.dossier.code, "secret": created.lookup_secret},
    )
    return client.get(reverse("portal:dossier", args=[created.dossier.code]))


def send(client, created, files, note=""):
    data = {f"item_{i}": f for i, f in enumerate(files)}
    data["note"] = note
    return client.post(reverse("portal:supplement", args=[created.dossier.code]), data)


def test_the_look_up_lists_the_papers_to_add_and_offers_the_upload(client, waiting):
    page = open_page(client, waiting)
    assert "Chờ bổ sung hồ sơ" in page.text
    assert "Yêu cầu bổ sung hồ sơ" in page.text
    for item in ITEMS:
        assert item in page.text
    assert "Thiếu giấy tờ chứng minh quan hệ cha mẹ." in page.text
    assert "Tạm dừng tính thời gian từ" in page.text
    assert reverse("portal:supplement", args=[waiting.dossier.code]) in page.text
    assert 'enctype="multipart/form-data"' in page.text


def test_the_citizen_uploads_the_supplement_and_the_clock_resumes_at_once(
    client, office, waiting, media
):
    open_page(client, waiting)
    answer = send(
        client,
        waiting,
        [SimpleUploadedFile("ket-hon.pdf", PDF), SimpleUploadedFile("uy-quyen.jpg", JPEG)],
        note="Đã bổ sung đủ.",
    )
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"])
    assert "Đã gửi 2 tệp bổ sung" in page.text
    files = list(Dossier.objects.get(pk=waiting.dossier.pk).files.filter(kind="supplement"))
    assert [(f.paper_name, f.name, f.kind, f.source) for f in files] == [
        (ITEMS[0], "ket-hon.pdf", "supplement", "online"),
        (ITEMS[1], "uy-quyen.jpg", "supplement", "online"),
    ]
    after = Dossier.objects.get(pk=waiting.dossier.pk)
    assert after.status != Status.AWAITING_SUPPLEMENT  # the upload itself resumed the clock
    assert after.supplement_requests.get().answered_by is None  # answered by the applicant
    page = client.get(reverse("portal:dossier", args=[waiting.dossier.code]))
    assert "Đã nhận bổ sung lúc" in page.text
    assert "thời gian giải quyết được tính tiếp" in page.text
    assert "Thời gian giải quyết đang được tính" in page.text
    assert "Yêu cầu bổ sung hồ sơ</h2>" not in page.text


def test_a_wrong_file_in_the_supplement_is_refused_and_nothing_is_kept(client, waiting, media):
    open_page(client, waiting)
    answer = send(
        client,
        waiting,
        [SimpleUploadedFile("ket-hon.pdf", EXE), SimpleUploadedFile("uy-quyen.pdf", PDF)],
    )
    assert answer.status_code == 400
    assert "không phải là tệp PDF, JPEG hoặc PNG" in answer.text
    assert not (media / "uploads" / "dossiers").exists()


def test_every_listed_paper_needs_its_file(client, waiting, media):
    open_page(client, waiting)
    answer = send(client, waiting, [SimpleUploadedFile("ket-hon.pdf", PDF)])
    assert answer.status_code == 400
    assert f"Hãy chọn tệp cho giấy tờ “{ITEMS[1]}”." in answer.text


def test_a_supplement_needs_the_secret_first(client, waiting, media):
    answer = send(client, waiting, [SimpleUploadedFile("a.pdf", PDF)] * 2)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(reverse("portal:lookup"))
    assert not (media / "uploads" / "dossiers").exists()


def test_no_pending_request_means_no_upload(client, office, submitted, media):
    accept_dossier(dossier_id=submitted.dossier.pk, actor=office.receptionist)
    page = open_page(client, submitted)
    assert "Yêu cầu bổ sung hồ sơ" not in page.text
    answer = send(client, submitted, [SimpleUploadedFile("a.pdf", PDF)])
    assert answer.status_code == 302
    assert "không có yêu cầu bổ sung nào" in client.get(answer.headers["Location"]).text


def test_an_intake_request_is_shown_before_acceptance(client, office, submitted):
    request_supplement(
        dossier_id=submitted.dossier.pk, actor=office.receptionist, items=["Tờ khai có chữ ký"]
    )
    page = open_page(client, submitted)
    assert "Chờ tiếp nhận" in page.text
    assert "Tờ khai có chữ ký" in page.text
    assert "Hãy bổ sung các giấy tờ" in page.text
