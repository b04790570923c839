"""The deadline sweeps: each notice once, to the right people, at the right working time.

Dossiers come from the real dossier services, received on Monday 19/01/2026 at 09:00 (an
ordinary working Monday); the sweeps run with a pinned `now`.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection

from motcua.dossiers import sweeps
from motcua.dossiers.services import complete_step, draft_apology
from motcua.feedback.sweeps import sweep_feedback_overdue
from motcua.notifications.claims import claim_flag, claim_mark
from motcua.notifications.models import Message, SweepMark, UnitNoticeSettings
from tests.dossiers.helpers import at, receive
from tests.factories import make_procedure
from tests.feedback.factories import MONDAY_9, make_feedback, make_routed

H = timedelta(hours=1)


@pytest.fixture
def staffed(office):
    for person in (office.receptionist, office.specialist, office.head, office.leader):
        person.email = f"{person.username}@phuong.gov.vn"
        person.save()
    return office


@pytest.fixture
def procedure(staffed):
    """Steps of 4 h (receptionist), 8 h (specialist), 2 h (leader); 3 working days."""
    return make_procedure(units=[staffed.ward], hours=("4", "8", "2"))


@pytest.fixture
def dossier(staffed, procedure):
    """Received Mon 19/01 09:00: step 1 due Mon 14:00, appointment Thu 22/01 17:00. The
    applicant's receipt notice is set aside: these tests are about the sweeps' own notices."""
    dossier = receive(staffed, procedure, now=at(19, 9)).dossier
    Message.objects.filter(template_code="dossier_received").delete()
    return dossier


def notices(template=None):
    qs = Message.objects.order_by("pk")
    if template:
        qs = qs.filter(template_code=template)
    return [(m.template_code, m.address) for m in qs]


def test_the_dossier_is_what_the_tests_expect(dossier):
    assert dossier.due_at == at(22, 17)
    assert dossier.steps.get(order=1).due_at == at(19, 14)


def test_a_step_within_two_working_hours_of_its_due_is_reminded_once(staffed, dossier):
    assert sweeps.sweep_steps_due_soon(now=at(19, 10, 59)) == 0  # 2 h 01 min left
    assert sweeps.sweep_steps_due_soon(now=at(19, 11, 30)) == 1  # 1 h 30 min (lunch skipped)
    assert sweeps.sweep_steps_due_soon(now=at(19, 12, 30)) == 0  # already reminded
    assert notices() == [("step_due_soon", "tiepnhan@phuong.gov.vn")]
    body = Message.objects.get().body
    assert "Đồng chí Nguyễn Văn Thử" in body and "đến hạn lúc 14:00 ngày 19/01/2026" in body


def test_a_units_own_threshold_applies(staffed, dossier):
    UnitNoticeSettings.objects.create(unit=staffed.city, due_soon_working_hours=3)
    assert sweeps.sweep_steps_due_soon(now=at(19, 10, 30)) == 1  # 2 h 30 min left ≤ 3 h


def test_working_time_counts_across_the_weekend(staffed, procedure):
    # Received Fri 23/01 at 13:00: step 1 (4 h) is due Mon 26/01 at 09:00; at 16:00 on Friday
    # only 1 h of Friday and 1 h of Monday are left.
    receive(staffed, procedure, now=at(23, 13))
    assert sweeps.sweep_steps_due_soon(now=at(23, 14, 59)) == 0
    assert sweeps.sweep_steps_due_soon(now=at(23, 16)) == 1


def test_an_overdue_step_tells_its_officer_and_the_units_leader_once(staffed, dossier):
    assert sweeps.sweep_steps_overdue(now=at(19, 13, 59)) == 0
    assert sweeps.sweep_steps_overdue(now=at(19, 14, 1)) == 2
    assert sweeps.sweep_steps_overdue(now=at(19, 15)) == 0
    assert notices() == [
        ("step_overdue", "tiepnhan@phuong.gov.vn"),
        ("step_overdue", "lanhdao@phuong.gov.vn"),
    ]
    assert SweepMark.objects.filter(kind="step_overdue").count() == 1


def test_an_unassigned_overdue_step_goes_to_the_heads_who_assign_it(staffed, dossier):
    complete_step(step_id=dossier.steps.get(order=1).pk, actor=staffed.receptionist, now=at(19, 10))
    # Step 2 (8 h, nobody assigned) is due Tue 20/01 at 10:00.
    assert sweeps.sweep_steps_overdue(now=at(20, 10, 30)) == 2
    assert notices() == [
        ("step_overdue", "truongphong@phuong.gov.vn"),
        ("step_overdue", "lanhdao@phuong.gov.vn"),
    ]


def test_a_dossier_past_its_appointment_tells_the_leader(staffed, dossier):
    assert sweeps.sweep_dossiers_overdue(now=at(22, 16)) == 0
    assert sweeps.sweep_dossiers_overdue(now=at(23, 8)) == 1
    assert sweeps.sweep_dossiers_overdue(now=at(23, 9)) == 0
    (message,) = Message.objects.all()
    assert message.address == "lanhdao@phuong.gov.vn" and message.dossier_id == dossier.pk
    assert "đã quá hẹn trả kết quả 17:00 ngày 22/01/2026" in message.body


def test_a_paused_dossier_is_not_overdue_and_a_finished_step_is_not_reminded(staffed, dossier):
    from motcua.dossiers.services import request_supplement

    request_supplement(
        dossier_id=dossier.pk, actor=staffed.receptionist, items=["Giấy khai sinh"], now=at(19, 10)
    )
    assert sweeps.run_all(now=at(26, 9)) == {
        "steps_due_soon": 0,
        "steps_overdue": 0,
        "dossiers_overdue": 0,
        "foreseen_delays": 0,
    }


def test_a_foreseen_delay_reminds_the_officer_to_draft_the_apology_a_working_day_ahead(
    staffed, dossier
):
    # Still at step 1 on Thursday morning: steps 2 and 3 need 10 working hours, 8 are left.
    assert sweeps.sweep_foreseen_delays(now=at(21, 16)) == 0  # more than a working day left
    assert sweeps.sweep_foreseen_delays(now=at(22, 8)) == 1
    assert sweeps.sweep_foreseen_delays(now=at(22, 9)) == 0
    (message,) = Message.objects.all()
    assert message.template_code == "apology_draft_due"
    assert message.address == "tiepnhan@phuong.gov.vn"
    assert "dự thảo phiếu xin lỗi" in message.body


def test_a_dossier_on_course_or_with_an_apology_is_not_reminded(staffed, dossier):
    step1 = dossier.steps.get(order=1)
    complete_step(step_id=step1.pk, actor=staffed.receptionist, now=at(19, 10))
    # Step 2 (8 h) started Mon 10:00, due Tue 10:00; step 3 needs 2 h: on course on Thursday.
    assert sweeps.sweep_foreseen_delays(now=at(22, 8)) == 0
    late = receive(staffed, dossier.procedure, now=at(19, 9)).dossier
    draft_apology(
        dossier_id=late.pk,
        actor=staffed.receptionist,
        reason="Chờ xác minh",
        now=at(21, 16),
    )
    assert sweeps.sweep_foreseen_delays(now=at(22, 8)) == 0


def test_feedback_past_its_respond_by_time_is_escalated_to_the_leader_with_a_notice(staffed):
    item = make_routed(staffed)
    assert sweep_feedback_overdue(now=MONDAY_9 + 47 * H) == 0
    assert sweep_feedback_overdue(now=MONDAY_9 + 49 * H) == 1
    assert sweep_feedback_overdue(now=MONDAY_9 + 50 * H) == 0
    (message,) = Message.objects.exclude(template_code="feedback_received")
    assert (message.template_code, message.address, message.feedback_id) == (
        "feedback_overdue",
        "lanhdao@phuong.gov.vn",
        item.pk,
    )
    item.refresh_from_db()
    assert item.escalated_to == staffed.leader


def test_a_claim_is_a_conditional_update_that_only_one_caller_wins(staffed, dossier):
    from motcua.feedback.models import Feedback

    item = make_feedback(actor=staffed.receptionist)
    now = MONDAY_9 + H
    assert claim_flag(Feedback, pk=item.pk, flag="escalated_at", now=now)
    assert not claim_flag(Feedback, pk=item.pk, flag="escalated_at", now=now)
    assert claim_mark("x", 1, now, now=now)
    assert not claim_mark("x", 1, now, now=now)
    assert claim_mark("x", 1, now + H, now=now)  # a new deadline is a new claim


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_the_same_moment_send_each_notice_once(office):
    for person in (office.receptionist, office.head, office.leader):
        person.email = f"{person.username}@phuong.gov.vn"
        person.save()
    procedure = make_procedure(units=[office.ward], hours=("4", "8", "2"))
    for hour in (8, 9, 10, 11):
        receive(office, procedure, now=at(19, hour))
    now = at(26, 9)  # every step 1 and every dossier is overdue
    start = threading.Barrier(2)
    results: list[dict] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait(timeout=10)
            results.append(sweeps.run_all(now=now))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    # Four dossiers: each step 1 to its officer and the leader, each dossier to the leader.
    assert sum(r["steps_overdue"] for r in results) == 8
    assert sum(r["dossiers_overdue"] for r in results) == 4
    assert Message.objects.filter(template_code="step_overdue").count() == 8
    assert Message.objects.filter(template_code="dossier_overdue").count() == 4
    keys = list(Message.objects.values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys))


def test_deadlines_passed_long_before_the_first_sweep_are_not_announced(staffed, dossier):
    # The first run on an old database: step 1 (due Mon 19/01) and the appointment (Thu 22/01)
    # passed more than a week before; nobody is flooded with old news.
    assert sweeps.sweep_steps_overdue(now=at(2, 9, month=2)) == 0
    assert sweeps.sweep_dossiers_overdue(now=at(2, 9, month=2)) == 0
    assert not Message.objects.exists()
