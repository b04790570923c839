"""A step the forecast flags shows on the head's board with its reason, in Chromium; the head
reassigns it from there (issue 22, item 3)."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from motcua.dossiers.models import DossierStep
from motcua.workdays.services import calendar_for
from tests.factories import PASSWORD
from tests.reports.accountability_helpers import History

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _start_before(cal, now, hours):
    t = now
    while cal.working_hours_between(t, now) < hours:
        t -= timedelta(minutes=15)
    return t


def test_the_head_sees_the_step_at_risk_with_its_reason_and_reassigns_it(page, live_server, office):
    made: dict[str, object] = {}

    def seed() -> None:
        # In a thread of its own: signing an apology's PDF runs an event loop, which the
        # Playwright loop of this thread would refuse.
        h = History(office)
        cal = calendar_for(h.division)
        now = timezone.now()
        base = cal.effective_reception(now - timedelta(days=60))
        for i in range(14):  # step 2 (4 h): ten took 6 h, four took 3 h
            h.play(
                received=cal.add_working_hours(base, Decimal(8 * i)),
                who=h.a,
                second_hours=6 if i < 10 else 3,
            )
        made["h"] = h
        made["dossier"] = h.open_second(start=_start_before(cal, now, 3.5), who=h.a)
        connection.close()

    worker = threading.Thread(target=seed)
    worker.start()
    worker.join()
    h, dossier = made["h"], made["dossier"]

    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(h.head.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/can-bo/")
    page.goto(f"{live_server.url}/can-bo/bang-dieu-hanh/?unit={h.division.code}")
    section = page.locator("#at-risk")
    assert section.get_by_role("heading", name="Nguy cơ trễ hạn").is_visible()
    row = section.locator("tr", has_text=dossier.code)
    assert row.is_visible()
    assert "nguy cơ trễ hạn" in row.inner_text()
    reason = row.locator("td.reason").inner_text()
    assert "10 trên 10 bước cùng loại tại đơn vị này" in reason
    assert "92%" in row.inner_text()  # (10 + 1) / (10 + 2)
    page.shot("at-risk")

    row.get_by_label("Giao lại cho").select_option(h.b.username)
    row.get_by_role("button", name="Giao lại").click()
    page.wait_for_url("**/bang-dieu-hanh/**")
    step = DossierStep.objects.get(dossier=dossier, order=2)
    assert step.assignee_id == h.b.pk
    assert page.locator("#at-risk tr", has_text=dossier.code).locator("td").nth(2).inner_text() == (
        h.b.get_full_name()
    )
