"""The statistics pages: the board, the ranking, the public page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier
from tests.factories import PASSWORD, make_procedure
from tests.reports.helpers import dossier_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(office):
    procedure = make_procedure(units=[office.ward])
    now = timezone.now()
    Dossier.objects.bulk_create(
        dossier_row(
            unit=office.ward,
            procedure=procedure,
            received_at=now - timedelta(days=i % 20, hours=1),
            ready_at=now - timedelta(hours=i % 7) if i % 3 else None,
            channel="online" if i % 2 else "counter",
        )
        for i in range(24)
    )
    return office


def _login(client, username):
    assert client.login(username=username, password=PASSWORD)


def test_a_leader_opens_the_board_of_the_ward(client, data):
    _login(client, "lanhdao")
    response = client.get("/thong-ke/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phường Hoàn Kiếm Thử" in page and "chart.umd.min.js" in page
    assert 'id="data-months"' in page and "Tổng cộng" in page
    total = response.context["total"]
    assert total.carried_over + total.received == total.resolved + total.in_progress + total.stopped


def test_the_board_of_another_unit_is_not_found(client, data):
    _login(client, "nguoingoai")
    assert client.get("/thong-ke/", {"unit": "TP.01"}).status_code == 404
    assert client.get("/thong-ke/xep-hang/", {"unit": "TP.01"}).status_code == 404


def test_bad_dates_are_explained_and_this_month_is_shown(client, data):
    _login(client, "lanhdao")
    response = client.get("/thong-ke/", {"from": "2026-02-30", "to": "2026-03-01"})
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.content.decode()
    response = client.get("/thong-ke/", {"from": "2026-03-01", "to": "2026-02-01"})
    assert "phải trước" in response.content.decode()


def test_the_board_needs_a_login(client, data):
    response = client.get("/thong-ke/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_the_ranking_page_explains_the_score(client, data):
    _login(client, "lanhdao")
    page = client.get("/thong-ke/xep-hang/").content.decode()
    assert "bình quân có trọng số" in page and "Không xếp hạng" in page


def test_the_public_page_needs_no_account(client, data):
    response = client.get("/thong-ke/cong-khai/")
    assert response.status_code == 200
    assert "Phường Hoàn Kiếm Thử" in response.content.decode()
