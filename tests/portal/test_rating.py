import pytest
from django.urls import reverse

from motcua.dossiers.services import accept_dossier, return_to_applicant
from motcua.surveys.models import Rating
from tests.portal.helpers import finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(office, submitted):
    accept_dossier(dossier_id=submitted.dossier.pk, actor=office.receptionist)
    finish(office, submitted.dossier.pk)
    return submitted


def open_page(client, created):
    client.post(
        reverse("portal:lookup"), {"code": created.dossier.code, "secret": created.lookup_secret}
    )
    return client.get(reverse("portal:dossier", args=[created.dossier.code]))


def rate(client, created, overall="very_satisfied", comment=""):
    return client.post(
        reverse("portal:rate", args=[created.dossier.code]),
        {"overall": overall, "comment": comment},
    )


def test_a_ready_dossier_offers_the_three_level_rating(client, ready):
    page = open_page(client, ready)
    assert "Đã có kết quả" in page.text
    assert "Đánh giá mức độ hài lòng" in page.text
    for label in ("Rất hài lòng", "Hài lòng", "Không hài lòng"):
        assert label in page.text
    assert "Mời ông/bà nhận kết quả" in page.text


def test_the_citizen_rates_once_and_a_second_time_is_refused_politely(client, ready):
    open_page(client, ready)
    first = rate(client, ready, "satisfied", "Cán bộ hướng dẫn tận tình.")
    assert first.status_code == 302
    page = client.get(first.headers["Location"])
    assert "Cảm ơn ông/bà đã đánh giá" in page.text
    assert "Hồ sơ này đã được đánh giá" in page.text
    assert "Gửi đánh giá" not in page.text
    rating = Rating.objects.get()
    assert (rating.dossier_id, rating.overall, rating.comment) == (
        ready.dossier.pk,
        "satisfied",
        "Cán bộ hướng dẫn tận tình.",
    )
    second = rate(client, ready, "not_satisfied")
    assert second.status_code == 409
    assert "mỗi hồ sơ chỉ đánh giá một lần" in second.text
    assert "Cảm ơn ông/bà đã góp ý" in second.text
    assert Rating.objects.count() == 1 and Rating.objects.get().overall == "satisfied"


def test_a_returned_dossier_can_be_rated(client, office, ready):
    return_to_applicant(dossier_id=ready.dossier.pk, actor=office.receptionist)
    page = open_page(client, ready)
    assert "Đã trả kết quả" in page.text
    assert rate(client, ready).status_code == 302


def test_a_dossier_in_progress_cannot_be_rated(client, office, submitted):
    accept_dossier(dossier_id=submitted.dossier.pk, actor=office.receptionist)
    page = open_page(client, submitted)
    assert "Đánh giá mức độ hài lòng" not in page.text
    answer = rate(client, submitted)
    assert answer.status_code == 409
    assert "chưa có kết quả" in answer.text
    assert not Rating.objects.exists()


def test_a_rating_without_a_level_is_explained(client, ready):
    open_page(client, ready)
    answer = rate(client, ready, overall="")
    assert answer.status_code == 400
    assert "Hãy chọn một mức đánh giá." in answer.text


def test_a_rating_needs_the_secret_first(client, ready):
    answer = rate(client, ready)
    assert answer.status_code == 302
    assert not Rating.objects.exists()
