import pytest
from django.urls import reverse

from motcua.feedback.models import Feedback
from motcua.org.models import FocalPoint
from tests.portal.helpers import make_chairman

pytestmark = pytest.mark.django_db


@pytest.fixture
def points(office):
    return [
        make_chairman(office),
        FocalPoint.objects.create(
            unit=office.other_ward,
            order=1,
            title="Đường dây nóng phường",
            phone="024.3733.0000",
        ),
        FocalPoint.objects.create(
            unit=office.ward, order=2, title="Không công khai", phone="0", published=False
        ),
    ]


def test_who_to_call_lists_each_units_focal_points(client, points):
    page = client.get(reverse("portal:contacts"))
    assert page.status_code == 200
    text = page.text
    for expected in (
        "Phường Hoàn Kiếm Thử",
        "Chủ tịch UBND phường",
        "Phạm Văn Bình",
        "024.3825.1234",
        'href="tel:02438251234"',
        "Zalo: 0912000111",
        "Viber: 0912000111",
        "ubnd@hoankiem.example.vn",
        "Giờ hành chính các ngày làm việc",
        "Phường Ba Đình Thử",
        "Đường dây nóng phường",
    ):
        assert expected in text, expected
    assert "Không công khai" not in text
    assert reverse("portal:feedback") in text


def test_who_to_call_filters_by_unit(client, office, points):
    page = client.get(reverse("portal:contacts"), {"don_vi": office.other_ward.code})
    assert "Đường dây nóng phường" in page.text
    assert "Chủ tịch UBND phường" not in page.text


def test_the_complaint_form_files_a_feedback_item(client, office, points, submitted):
    answer = client.post(
        reverse("portal:feedback"),
        {
            "content": "Hồ sơ của tôi đã quá hạn mà chưa có thư xin lỗi.",
            "dossier_code": submitted.dossier.code,
            "unit": "",
            "name": "Trần Thị Bích",
            "phone": "0987654321",
            "email": "",
        },
    )
    assert answer.status_code == 201
    item = Feedback.objects.get()
    assert (item.channel, item.name, item.dossier_code) == (
        "web",
        "Trần Thị Bích",
        submitted.dossier.code,
    )
    assert str(item.pk) in answer.text and "Mã tra cứu" in answer.text


def test_the_complaint_form_needs_a_way_to_answer(client, points):
    answer = client.post(
        reverse("portal:feedback"), {"content": "Chậm", "name": "Trần Thị Bích", "phone": ""}
    )
    assert answer.status_code == 400
    assert "Hãy để lại số điện thoại hoặc thư điện tử" in answer.text
    assert not Feedback.objects.exists()


def test_the_complaint_form_is_rate_limited(client, points):
    data = {"content": "Chậm", "name": "Trần Thị Bích", "phone": "0987654321"}
    statuses = [client.post(reverse("portal:feedback"), data).status_code for _ in range(11)]
    assert statuses[:10] == [201] * 10
    assert statuses[10] == 429
