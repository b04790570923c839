"""Refusal, the not-eligible notice, stopping (DOMAIN §3.1, §3.3, §3.5)."""

import pytest

from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers.errors import DecisionAlreadyIssued, InvalidStatus
from motcua.dossiers.services import (
    complete_step,
    receive_supplement,
    refuse_dossier,
    request_supplement,
    return_to_applicant,
    stop_dossier,
)
from tests.dossiers.helpers import at, receive, submit

pytestmark = pytest.mark.django_db


def _submitted(office, procedure):
    return submit(office, procedure).dossier


def test_a_submission_refused_at_intake_is_refused(office, procedure):
    dossier = _submitted(office, procedure)
    with pytest.raises(InvalidInput):
        refuse_dossier(dossier_id=dossier.pk, actor=office.receptionist, reason="")
    dossier = refuse_dossier(
        dossier_id=dossier.pk,
        actor=office.receptionist,
        reason="Không thuộc thẩm quyền của phường",
        now=at(19, 9),
    )
    assert (dossier.status, dossier.refused_at, dossier.outcome) == ("refused", at(19, 9), "")
    event = dossier.events.latest("pk")
    assert (event.kind, event.from_status, event.to_status) == ("refused", "submitted", "refused")
    with pytest.raises(InvalidStatus):
        refuse_dossier(dossier_id=dossier.pk, actor=office.receptionist, reason="lại")
    with pytest.raises(DecisionAlreadyIssued):
        stop_dossier(dossier_id=dossier.pk, actor=office.receptionist, reason="rút")


def test_a_dossier_found_not_eligible_is_ready_with_that_outcome(office, with_return_step):
    dossier = receive(office, with_return_step, now=at(19, 9)).dossier
    complete_step(step_id=dossier.steps.get(order=1).pk, actor=office.receptionist, now=at(19, 10))
    dossier = refuse_dossier(
        dossier_id=dossier.pk,
        actor=office.receptionist,
        reason="Đất nằm trong quy hoạch, không đủ điều kiện",
        now=at(20, 9),
    )
    assert (dossier.status, dossier.outcome, dossier.ready_at) == (
        "ready",
        "not_eligible",
        at(20, 9),
    )
    assert dossier.timeliness == "early"
    steps = {s.order: s for s in dossier.steps.all()}
    assert steps[2].status == "done" and steps[2].finished_at == at(20, 9)
    assert steps[3].status == "pending"  # never reached
    assert steps[4].status == "active"  # the notice is handed over at the desk
    return_to_applicant(dossier_id=dossier.pk, actor=office.receptionist, now=at(20, 10))
    with pytest.raises(DecisionAlreadyIssued):
        refuse_dossier(dossier_id=dossier.pk, actor=office.receptionist, reason="x")


@pytest.fixture
def paused(office, procedure):
    """A dossier waiting since 10:00 on Monday 19/01 for the citizen's supplement."""
    dossier = receive(office, procedure, now=at(19, 9)).dossier
    request_supplement(
        dossier_id=dossier.pk, actor=office.receptionist, items=["x"], now=at(19, 10)
    )
    return dossier


def test_a_dossier_left_without_its_supplement_can_be_declared_not_eligible(office, paused):
    dossier = refuse_dossier(
        dossier_id=paused.pk, actor=office.receptionist, reason="Quá hạn bổ sung", now=at(30, 9)
    )
    assert dossier.status == "ready" and dossier.outcome == "not_eligible"
    assert dossier.timeliness == "early"  # the waiting time does not count against the agency


def test_stopping_before_a_decision_closes_the_open_step(office, procedure):
    dossier = receive(office, procedure, now=at(19, 9)).dossier
    with pytest.raises(NotAllowed):
        stop_dossier(dossier_id=dossier.pk, actor=office.specialist, reason="Công dân rút")
    dossier = stop_dossier(
        dossier_id=dossier.pk,
        actor=office.receptionist,
        reason="Công dân rút hồ sơ",
        now=at(19, 11),
    )
    assert (dossier.status, dossier.stopped_at) == ("stopped", at(19, 11))
    first = dossier.steps.get(order=1)
    assert first.status == "done" and first.timeliness == ""
    with pytest.raises(InvalidStatus):
        stop_dossier(dossier_id=dossier.pk, actor=office.receptionist, reason="lại")


def test_a_paused_dossier_can_be_stopped(office, paused):
    dossier = stop_dossier(
        dossier_id=paused.pk, actor=office.receptionist, reason="rút", now=at(20, 9)
    )
    assert dossier.status == "stopped" and dossier.paused_at is None
    with pytest.raises(Exception):  # noqa: B017 - nothing pending any more
        receive_supplement(dossier_id=dossier.pk, actor=office.receptionist)


def test_stopping_after_the_result_is_refused(office, procedure):
    dossier = receive(office, procedure, now=at(19, 9)).dossier
    for order, who in ((1, office.receptionist), (2, office.specialist), (3, office.leader)):
        complete_step(step_id=dossier.steps.get(order=order).pk, actor=who, now=at(19, 10))
    with pytest.raises(DecisionAlreadyIssued) as error:
        stop_dossier(dossier_id=dossier.pk, actor=office.receptionist, reason="rút")
    assert error.value.code == "decision_already_issued" and error.value.status == 409
