"""The unit board for leaders and the supervisor board across units."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from motcua.dossiers import services
from tests.dossiers.helpers import at, extended, receive
from tests.factories import make_procedure, make_staff
from tests.office.test_worklist import bulk_dossiers

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(office):
    return make_procedure(units=[office.ward, office.other_ward], name="Thủ tục bảng điều hành")


NOW = at(23, 11)  # Friday 23/01/2026, 11:00


@pytest.fixture
def scene(office, procedure):
    """Seen on Friday 23/01 at 11:00: one overdue (received Monday, due Thursday 17:00, its
    apology drafted), one due today (received Tuesday), one green lane received this morning,
    one of the other ward received this morning."""
    late = receive(office, procedure, now=at(19, 8)).dossier
    services.draft_apology(
        dossier_id=late.pk, actor=office.receptionist, reason="Mất điện", now=at(23, 10)
    )
    due_today = receive(office, procedure, now=at(20, 8)).dossier
    green = receive(office, procedure, now=at(23, 9, 30), green_lane_group="investment").dossier
    other_desk = make_staff(roles=[(office.other_ward, "receptionist")])
    elsewhere = receive(
        office, procedure, now=at(23, 9), actor=other_desk, unit_code=office.other_ward.code
    ).dossier
    return {"late": late, "due_today": due_today, "green": green, "elsewhere": elsewhere}


@time_machine.travel(NOW, tick=False)
def test_the_unit_board_shows_intake_overdue_due_today_green_lane_and_apologies(
    client, office, scene
):
    client.force_login(office.leader)
    page = client.get(reverse("office:board"))
    assert page.status_code == 200
    ctx = page.context
    assert ctx["counts"]["received_today"] == 1
    assert ctx["counts"]["overdue"] == 1
    assert ctx["counts"]["due_today"] == 1
    assert ctx["counts"]["open"] == 3
    assert ctx["counts"]["green_open"] == 1
    assert ctx["waiting_count"] == 1
    for key in ("late", "due_today", "green"):
        assert scene[key].code in page.text
    assert scene["elsewhere"].code not in page.text
    assert "Phiếu xin lỗi chờ ký" in page.text and "Mất điện" in page.text
    assert "quá hạn" in page.text  # the overdue time in words


@time_machine.travel(NOW, tick=False)
def test_the_board_and_the_statistics_agree_on_overdue_dossiers(client, office, scene):
    """Finding 13: the board showed 0 overdue where the statistics showed 1 — a signed apology
    gave the dossier a new appointment (the board judges by it) while the statistics judge by the
    statutory due (D7). The board now shows those beside its overdue, and the two add up."""
    from datetime import date

    from motcua.reports.selectors import Period, Scope, report

    rescheduled = receive(office, scene["late"].procedure, now=at(19, 9)).dossier
    extended(
        rescheduled,
        by=office.receptionist,
        leader=office.leader,
        until=at(28, 17),
        now=at(22, 18),
    )
    client.force_login(office.leader)
    page = client.get(reverse("office:board"))
    counts = page.context["counts"]
    assert (counts["overdue"], counts["rescheduled_late"]) == (1, 1)
    assert "gồm cả 1 hồ sơ đã hẹn lại sau phiếu xin lỗi" in page.text
    total = report(
        period=Period(date(2026, 1, 1), date(2026, 2, 1)),
        scope=Scope(unit_ids=frozenset({office.ward.pk})),
        now=NOW,
    ).total
    assert total.in_progress_overdue == counts["overdue"] + counts["rescheduled_late"] == 2


@time_machine.travel(NOW, tick=False)
def test_the_board_is_for_leaders_heads_and_supervisors_of_the_unit(client, office, scene):
    client.force_login(office.specialist)
    assert client.get(reverse("office:board")).status_code == 403
    client.force_login(office.outsider)
    assert client.get(reverse("office:board"), {"unit": office.ward.code}).status_code == 404
    own = client.get(reverse("office:board"))
    assert own.status_code == 200
    assert scene["late"].code not in own.text
    assert own.context["counts"]["received_today"] == 1
    assert own.context["counts"]["overdue"] == 0


@time_machine.travel(NOW, tick=False)
def test_the_supervisor_board_covers_every_unit_below_the_supervisor(client, office, scene):
    city = make_staff(username="kiemtrathanhpho", roles=[(office.city, "supervisor")])
    client.force_login(city)
    page = client.get(reverse("office:supervision"))
    assert page.status_code == 200
    rows = {r["unit"].code: r for r in page.context["rows"]}
    assert rows["TP.01"]["overdue"] == 1 and rows["TP.01"]["apologies"] == 1
    assert rows["TP.02"]["open"] == 1
    assert page.context["totals"]["received_today"] == 2
    assert scene["late"].code in page.text
    # the supervisor opens the overdue dossier, read-only and without personal data
    dossier = client.get(reverse("office:dossier", args=[scene["late"].code]))
    assert dossier.status_code == 200
    assert "Nguyễn Văn An" not in dossier.text


@time_machine.travel(NOW, tick=False)
def test_a_ward_supervisor_sees_only_the_ward(client, office, scene):
    client.force_login(office.supervisor)
    page = client.get(reverse("office:supervision"))
    assert [r["unit"].code for r in page.context["rows"]] == ["TP.01"]
    assert scene["elsewhere"].code not in page.text
    assert client.get(reverse("office:dossier", args=[scene["elsewhere"].code])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_supervisor_board_is_for_supervisors(client, office, scene):
    client.force_login(office.leader)
    assert client.get(reverse("office:supervision")).status_code == 403
    home = client.get(reverse("office:home"))
    assert reverse("office:supervision") not in home.text
    assert reverse("office:board") in home.text


@time_machine.travel(at(20, 9), tick=False)
def test_the_boards_are_bounded_on_a_unit_holding_2000_dossiers(
    client, office, procedure, django_assert_max_num_queries
):
    bulk_dossiers(office, procedure, 2000)
    city = make_staff(
        username="kiemtrathanhpho",
        roles=[(office.city, "supervisor"), (office.ward, "leader")],
    )
    client.force_login(city)
    client.get(reverse("office:board"))  # warm the calendar cache
    with django_assert_max_num_queries(20):
        board = client.get(reverse("office:board"))
    assert board.status_code == 200
    with django_assert_max_num_queries(20):
        supervision = client.get(reverse("office:supervision"))
    assert supervision.status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("office:apologies")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("office:logbook")).status_code == 200
