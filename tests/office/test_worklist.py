"""Work queues: mine and my unit's. Green lane first, then the nearest due; badges; the time left
or overdue in words; filters; bounded queries on a unit holding 2,000 dossiers."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.models import Applicant, Dossier, DossierStep, Status, StepStatus
from tests.dossiers.helpers import at, receive, submit
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(office):
    return make_procedure(
        units=[office.ward], name="Chứng thực bản sao thử nghiệm", online_mode="full"
    )


def bulk_dossiers(office, procedure, n: int, *, start=None, assignee=None) -> None:
    """``n`` dossiers of the ward in bulk, shaped as `receive_dossier` leaves them: received,
    first step (the desk's) active, due dates spread over the days around ``start``. For the
    volume tests only; every other test goes through the services."""
    start = start or at(19, 8)
    dossiers = []
    for i in range(n):
        received = start - timedelta(hours=i % 200)
        dossiers.append(
            Dossier(
                code=f"{office.ward.code}-BULK-{i:05d}",
                procedure=procedure,
                unit=office.ward,
                channel="counter",
                status=Status.RECEIVED if i % 7 else Status.IN_PROGRESS,
                green_lane=i % 10 == 0,
                green_lane_group="investment" if i % 10 == 0 else "",
                received_at=received,
                effective_received_at=received,
                due_at=received + timedelta(days=3),
                original_due_at=received + timedelta(days=3),
                green_lane_due_at=received + timedelta(days=1) if i % 10 == 0 else None,
                received_by=office.receptionist,
                lookup_nonce=secrets.token_hex(16),
                lookup_secret_hash="x" * 64,
            )
        )
    created = Dossier.objects.bulk_create(dossiers, batch_size=500)
    if created[0].pk is None:  # SQLite before 3.35 gives no ids back
        created = list(Dossier.objects.filter(code__contains="-BULK-").order_by("pk"))
    Applicant.objects.bulk_create(
        [Applicant(dossier=d, name=f"Người nộp {i}") for i, d in enumerate(created)],
        batch_size=500,
    )
    steps = []
    for d in created:
        for order, (role, hours) in enumerate(
            (("receptionist", "2"), ("specialist", "4"), ("leader", "2")), start=1
        ):
            steps.append(
                DossierStep(
                    dossier=d,
                    order=order,
                    name=f"Bước {order}",
                    unit=office.ward,
                    role=role,
                    duration_working_hours=Decimal(hours),
                    status=StepStatus.ACTIVE if order == 1 else StepStatus.PENDING,
                    started_at=d.received_at if order == 1 else None,
                    due_at=d.received_at + timedelta(hours=2) if order == 1 else None,
                    assignee=assignee if order == 1 else None,
                )
            )
    DossierStep.objects.bulk_create(steps, batch_size=1000)


# ------------------------------------------------------------------------------------ mine
@time_machine.travel(at(20, 9), tick=False)
def test_my_work_puts_the_green_lane_first_then_the_nearest_due(client, office, procedure):
    plain_early = receive(office, procedure, now=at(19, 8)).dossier
    green_late = receive(office, procedure, now=at(19, 9), green_lane_group="investment").dossier
    plain_late = receive(office, procedure, now=at(19, 10)).dossier
    client.force_login(office.receptionist)
    page = client.get(reverse("office:my_work"))
    assert page.status_code == 200
    text = page.text
    positions = [text.index(d.code) for d in (green_late, plain_early, plain_late)]
    assert positions == sorted(positions)
    assert "Làn xanh" in text
    assert "Quá hạn" in text
    assert "giờ làm việc" in text  # how long, as working time; "Quá hạn" once (issue 19)
    assert "Quá hạn quá hạn" not in " ".join(re.sub(r"<[^>]+>", " ", text).split())


@time_machine.travel(at(19, 10), tick=False)
def test_the_badges_and_the_words_say_due_today_and_what_is_left(client, office, procedure):
    receive(office, procedure, now=at(19, 9))  # step 1 due 11:00
    client.force_login(office.receptionist)
    page = client.get(reverse("office:my_work"))
    assert "Đến hạn hôm nay" in page.text
    assert "còn 1 giờ" in page.text


@time_machine.travel(at(19, 11), tick=False)
def test_a_paused_dossier_is_marked_paused(client, office, procedure):
    dossier = receive(office, procedure, now=at(19, 9)).dossier
    step = dossier.steps.get(order=1)
    services.complete_step(step_id=step.pk, actor=office.receptionist, now=at(19, 9, 30))
    services.request_supplement(
        dossier_id=dossier.pk, actor=office.specialist, items=["Tờ khai"], now=at(19, 10)
    )
    client.force_login(office.specialist)
    page = client.get(reverse("office:my_work"))
    assert dossier.code in page.text
    assert "Tạm dừng" in page.text
    # the words are frozen at the pause: step 2 began 09:30 with 4 h, paused at 10:00
    assert "còn 3 giờ 30 phút" in page.text


@time_machine.travel(at(19, 11), tick=False)
def test_my_work_filters_by_green_lane_and_procedure(client, office, procedure):
    other = make_procedure(units=[office.ward], name="Thủ tục khác")
    green = receive(office, procedure, now=at(19, 9), green_lane_group="investment").dossier
    plain = receive(office, procedure, now=at(19, 9, 5)).dossier
    elsewhere = receive(office, other, now=at(19, 9, 10)).dossier
    client.force_login(office.receptionist)
    only_green = client.get(reverse("office:my_work"), {"green_lane": "1"}).text
    assert green.code in only_green and plain.code not in only_green
    by_procedure = client.get(reverse("office:my_work"), {"procedure": other.code}).text
    assert elsewhere.code in by_procedure and plain.code not in by_procedure


@time_machine.travel(at(19, 11), tick=False)
def test_htmx_filters_answer_the_table_only(client, office, procedure):
    receive(office, procedure, now=at(19, 9))
    client.force_login(office.receptionist)
    answer = client.get(reverse("office:my_work"), {"green_lane": ""}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<section id="worklist"')


# ------------------------------------------------------------------------------- the unit
@time_machine.travel(at(19, 11), tick=False)
def test_the_unit_list_filters_by_status(client, office, procedure):
    received = receive(office, procedure, now=at(19, 9)).dossier
    online = submit(office, procedure).dossier
    client.force_login(office.head)
    everything = client.get(reverse("office:unit_work")).text
    assert received.code in everything and online.code in everything
    waiting = client.get(reverse("office:unit_work"), {"status": "submitted"}).text
    assert online.code in waiting and received.code not in waiting


@time_machine.travel(at(19, 11), tick=False)
def test_another_units_list_is_404_and_its_dossiers_never_show(client, office, procedure):
    dossier = receive(office, procedure, now=at(19, 9)).dossier
    client.force_login(office.outsider)
    assert client.get(reverse("office:unit_work"), {"unit": office.ward.code}).status_code == 404
    mine = client.get(reverse("office:unit_work")).text
    assert dossier.code not in mine
    assert dossier.code not in client.get(reverse("office:my_work")).text


def test_the_lists_need_a_login(client, db):
    for name in ("office:my_work", "office:unit_work"):
        answer = client.get(reverse(name))
        assert answer.status_code == 302 and "/dang-nhap/" in answer.headers["Location"]


# ------------------------------------------------------------------------- 2,000 dossiers
@time_machine.travel(at(20, 9), tick=False)
def test_the_lists_are_bounded_on_a_unit_holding_2000_dossiers(
    client, office, procedure, django_assert_max_num_queries
):
    bulk_dossiers(office, procedure, 2000, assignee=office.receptionist)
    client.force_login(office.receptionist)
    client.get(reverse("office:my_work"))  # warm the calendar cache
    with django_assert_max_num_queries(15):
        mine = client.get(reverse("office:my_work"))
    assert mine.status_code == 200
    assert "2000 hồ sơ" in mine.text
    assert "Trang 1/40" in mine.text
    with django_assert_max_num_queries(15):
        unit = client.get(reverse("office:unit_work"), {"green_lane": "1", "trang": "2"})
    assert unit.status_code == 200 and "200 hồ sơ" in unit.text
    # the dossier page adds a fixed cost per part (its papers and their log, the fee charge and
    # schedule, the counter strip), never a query per dossier of the unit
    with django_assert_max_num_queries(22):
        page = client.get(reverse("office:dossier", args=[f"{office.ward.code}-BULK-00042"]))
    assert page.status_code == 200
