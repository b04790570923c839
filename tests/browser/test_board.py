"""The statistics board in a real browser: figures, charts drawn by the vendored Chart.js."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier
from tests.factories import PASSWORD, make_procedure, make_staff
from tests.reports.helpers import dossier_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _a_year_of_dossiers(office):
    rng = random.Random(2026)
    procedure = make_procedure(units=[office.ward, office.other_ward])
    now = timezone.now()
    rows = []
    for i in range(600):
        received = now - timedelta(days=rng.randrange(0, 360), hours=rng.randrange(0, 8))
        done = received + timedelta(hours=rng.randrange(2, 24 * 6))
        rows.append(
            dossier_row(
                unit=office.ward if i % 3 else office.other_ward,
                procedure=procedure,
                received_at=received,
                due_at=received + timedelta(days=3),
                ready_at=done if done < now and rng.random() < 0.93 else None,
                channel=rng.choice(["online", "online", "counter", "postal"]),
            )
        )
    Dossier.objects.bulk_create(rows)


def test_a_city_leader_opens_the_board_with_its_charts(page, live_server, office):
    _a_year_of_dossiers(office)
    make_staff(username="lanhdaotp", full_name="Phạm Thành Phố", roles=[(office.city, "leader")])
    page.goto(f"{live_server.url}/dang-nhap/?next=/thong-ke/")
    page.get_by_label("Tên đăng nhập").fill("lanhdaotp")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/thong-ke/")
    assert page.get_by_role(
        "heading", name="Thống kê giải quyết hồ sơ — Thành phố Thử Nghiệm"
    ).is_visible()
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length >= 3")
    assert page.locator("canvas#chart-months").bounding_box()["height"] > 100
    ward = page.locator("th[scope=row]", has_text="Phường Hoàn Kiếm Thử").first
    assert ward.is_visible()
    page.shot("board")

    page.get_by_role("link", name="Xếp hạng đơn vị").click()
    page.get_by_role("heading", name="Xếp hạng đơn vị").wait_for()
    page.shot("ranking")
