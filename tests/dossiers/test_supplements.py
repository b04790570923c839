"""D8: a supplement request during processing pauses the clock; dues move by the paused time."""

from datetime import timedelta
from fractions import Fraction

import pytest

from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers.errors import (
    AwaitingSupplement,
    InvalidStatus,
    NoSupplementPending,
    SupplementPending,
)
from motcua.dossiers.services import (
    complete_step,
    receive_supplement,
    request_supplement,
)
from motcua.workdays.services import calendar_for
from tests.dossiers.helpers import at, receive
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def _in_progress(office, procedure, **kwargs):
    dossier = receive(office, procedure, now=at(19, 9), **kwargs).dossier
    complete_step(step_id=dossier.steps.get(order=1).pk, actor=office.receptionist, now=at(19, 10))
    return dossier  # step 2 (4 h, specialist) runs from Mon 10:00, due Mon 15:00


def test_a_supplement_request_pauses_the_dossier_and_its_step(office, procedure):
    dossier = _in_progress(office, procedure)
    request = request_supplement(
        dossier_id=dossier.pk,
        actor=office.specialist,
        items=["Bản sao sổ hộ khẩu", "  "],
        note="Thiếu giấy tờ",
        now=at(19, 14),
    )
    assert request.items == ["Bản sao sổ hộ khẩu"] and not request.at_intake
    dossier.refresh_from_db()
    step = dossier.steps.get(order=2)
    assert dossier.status == "awaiting_supplement" and dossier.paused_at == at(19, 14)
    assert step.status == "paused" and step.paused_at == at(19, 14)
    with pytest.raises(AwaitingSupplement):
        complete_step(step_id=step.pk, actor=office.specialist, now=at(19, 15))
    with pytest.raises(SupplementPending):
        request_supplement(dossier_id=dossier.pk, actor=office.specialist, items=["x"])


def test_on_resume_every_due_moves_by_exactly_the_paused_working_time(office, procedure):
    dossier = _in_progress(office, procedure, green_lane_group="investment")
    before = (dossier.due_at, dossier.green_lane_due_at)
    assert before == (at(22, 17), at(20, 10, 36))
    request_supplement(dossier_id=dossier.pk, actor=office.specialist, items=["x"], now=at(19, 14))
    request = receive_supplement(
        dossier_id=dossier.pk, actor=office.receptionist, note="Đã nhận đủ", now=at(21, 10)
    )
    # Mon 14–17 (3 h) + Tue (8 h) + Wed 8–10 (2 h) = 13 working hours
    assert request.paused_working == timedelta(hours=13)
    assert request.answered_at == at(21, 10) and request.answered_by == office.receptionist
    dossier.refresh_from_db()
    cal = calendar_for(office.ward)
    assert dossier.status == "in_progress" and dossier.paused_at is None
    assert dossier.due_at == at(26, 14)
    assert cal.working_hours_between(at(22, 17), dossier.due_at) == Fraction(13)
    assert dossier.original_due_at == dossier.due_at  # a pause is not the agency's delay
    assert dossier.green_lane_due_at == cal.add_working_hours(at(20, 10, 36), 13)
    assert dossier.paused_working == timedelta(hours=13)
    step = dossier.steps.get(order=2)
    assert step.status == "active" and step.due_at == at(21, 11)  # 1 h was left at the pause
    assert step.paused_working == timedelta(hours=13)
    event = dossier.events.latest("pk")
    assert (event.kind, event.from_status, event.to_status) == (
        "supplement_received",
        "awaiting_supplement",
        "in_progress",
    )


def test_a_due_passed_before_the_pause_does_not_move(office, procedure):
    dossier = _in_progress(office, procedure)
    request_supplement(dossier_id=dossier.pk, actor=office.specialist, items=["x"], now=at(19, 16))
    receive_supplement(dossier_id=dossier.pk, actor=office.specialist, now=at(20, 9))
    step = dossier.steps.get(order=2)
    assert step.due_at == at(19, 15)  # overdue at 16:00 already: the clock lends no time
    dossier.refresh_from_db()
    assert dossier.due_at == at(23, 10)  # Thu 17:00 + 2 working hours (Mon 16–17, Tue 8–9)


def test_the_time_waiting_for_the_citizen_keeps_a_dossier_on_time(office, procedure):
    dossier = _in_progress(office, procedure)
    request_supplement(dossier_id=dossier.pk, actor=office.specialist, items=["x"], now=at(19, 11))
    receive_supplement(dossier_id=dossier.pk, actor=office.receptionist, now=at(28, 9))
    complete_step(step_id=dossier.steps.get(order=2).pk, actor=office.specialist, now=at(28, 12))
    complete_step(step_id=dossier.steps.get(order=3).pk, actor=office.leader, now=at(28, 14))
    dossier.refresh_from_db()
    assert dossier.ready_at > at(22, 17)  # after the first appointment...
    assert dossier.timeliness == "early"  # ...but well within the statute plus the pause


def test_a_restart_procedure_counts_again_from_the_supplement(office):
    p = make_procedure(units=[office.ward], supplement_policy="restart")
    dossier = _in_progress(office, p)
    request_supplement(dossier_id=dossier.pk, actor=office.specialist, items=["x"], now=at(19, 14))
    receive_supplement(dossier_id=dossier.pk, actor=office.receptionist, now=at(21, 10))
    dossier.refresh_from_db()
    assert dossier.received_at == at(19, 9)  # the first receipt is kept
    assert dossier.effective_received_at == at(21, 10)
    assert dossier.due_at == dossier.original_due_at == at(26, 17)
    step = dossier.steps.get(order=2)
    assert step.started_at == at(21, 10) and step.due_at == at(21, 15)


def test_a_continue_procedure_keeps_counting(office):
    p = make_procedure(units=[office.ward], supplement_policy="continue")
    dossier = _in_progress(office, p)
    request_supplement(dossier_id=dossier.pk, actor=office.specialist, items=["x"], now=at(19, 14))
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_supplement" and dossier.paused_at is None
    receive_supplement(dossier_id=dossier.pk, actor=office.receptionist, now=at(21, 10))
    dossier.refresh_from_db()
    assert dossier.due_at == at(22, 17)


def test_who_may_request_and_what_is_refused(office, procedure):
    dossier = _in_progress(office, procedure)
    with pytest.raises(InvalidInput) as error:
        request_supplement(dossier_id=dossier.pk, actor=office.specialist, items=[" "])
    assert error.value.field == "items"
    with pytest.raises(NotAllowed):
        request_supplement(dossier_id=dossier.pk, actor=office.outsider, items=["x"])
    with pytest.raises(NotAllowed):
        request_supplement(dossier_id=dossier.pk, actor=office.leader, items=["x"])
    with pytest.raises(NoSupplementPending):
        receive_supplement(dossier_id=dossier.pk, actor=office.receptionist)
    # the desk may ask too
    request_supplement(
        dossier_id=dossier.pk, actor=office.receptionist, items=["x"], now=at(19, 11)
    )


def test_no_supplement_request_after_the_result(office, procedure):
    dossier = _in_progress(office, procedure)
    complete_step(step_id=dossier.steps.get(order=2).pk, actor=office.specialist, now=at(19, 11))
    complete_step(step_id=dossier.steps.get(order=3).pk, actor=office.leader, now=at(19, 12))
    with pytest.raises(InvalidStatus):
        request_supplement(dossier_id=dossier.pk, actor=office.receptionist, items=["x"])
