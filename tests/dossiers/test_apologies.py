"""D9: the apology gate of an overdue step and the one extension of the appointment."""

import pytest

from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers.errors import (
    ApologyAlreadySigned,
    ApologyRequired,
    ExtensionAlreadyUsed,
    InvalidStatus,
)
from motcua.dossiers.models import Event
from motcua.dossiers.services import (
    complete_step,
    draft_apology,
    return_step,
    sign_apology,
)
from tests.dossiers.helpers import at, on_paper, receive

pytestmark = pytest.mark.django_db

NOW = at(9, 10, month=2)  # three weeks after Mon 19/01/2026


@pytest.fixture
def late(office, procedure):
    """Received on paper three weeks ago; its first step (2 h) is long overdue."""
    return on_paper(
        office, procedure, received_at=at(19, 9), now=NOW, reason="Mất điện, tiếp nhận trên giấy"
    )


def _first(dossier):
    return dossier.steps.get(order=1)


def test_an_overdue_step_cannot_be_completed_or_returned_before_a_signed_apology(office, late):
    with pytest.raises(ApologyRequired) as error:
        complete_step(step_id=_first(late).pk, actor=office.receptionist, now=NOW)
    assert error.value.code == "apology_required" and error.value.status == 409
    assert "11:00 19/01/2026" in error.value.message
    complete_step(step_id=_first(late).pk, actor=office.receptionist, now=at(19, 10))
    second = late.steps.get(order=2)
    with pytest.raises(ApologyRequired):
        return_step(step_id=second.pk, actor=office.specialist, note="Thiếu giấy", now=NOW)


def test_a_draft_does_not_open_the_gate_the_leaders_signature_does(office, late):
    apology = draft_apology(
        dossier_id=late.pk,
        actor=office.specialist,
        reason="Mất điện kéo dài, hồ sơ giấy chưa được số hóa",
        explanation="Bộ phận Một cửa nhập hồ sơ vào hệ thống chậm 3 tuần",
        new_due_at=at(13, 17, month=2),
        now=NOW,
    )
    assert (apology.status, apology.step, apology.drafted_by) == (
        "draft",
        _first(late),
        office.specialist,
    )
    with pytest.raises(ApologyRequired):
        complete_step(step_id=_first(late).pk, actor=office.receptionist, now=NOW)
    with pytest.raises(NotAllowed, match="Lãnh đạo đơn vị"):
        sign_apology(apology_id=apology.pk, actor=office.specialist, now=NOW)
    with pytest.raises(NotAllowed):
        sign_apology(apology_id=apology.pk, actor=office.outsider, now=NOW)
    signed = sign_apology(apology_id=apology.pk, actor=office.leader, now=NOW)
    assert (signed.status, signed.signed_by, signed.signed_at) == ("signed", office.leader, NOW)
    assert signed.extension_applied
    late.refresh_from_db()
    assert late.due_at == at(13, 17, month=2)  # the citizen's new appointment
    assert late.original_due_at == at(22, 17)  # the statute, for the statistics
    assert late.extension_used
    complete_step(step_id=_first(late).pk, actor=office.receptionist, now=NOW)
    with pytest.raises(ApologyAlreadySigned):
        sign_apology(apology_id=apology.pk, actor=office.leader, now=NOW)


def test_the_dossier_stays_late_against_the_original_due(office, late):
    apology = draft_apology(
        dossier_id=late.pk,
        actor=office.specialist,
        reason="Mất điện",
        new_due_at=at(13, 17, month=2),
        now=NOW,
    )
    sign_apology(apology_id=apology.pk, actor=office.leader, now=NOW)
    complete_step(step_id=_first(late).pk, actor=office.receptionist, now=NOW)
    complete_step(
        step_id=late.steps.get(order=2).pk, actor=office.specialist, now=at(9, 11, month=2)
    )
    complete_step(step_id=late.steps.get(order=3).pk, actor=office.leader, now=at(9, 14, month=2))
    late.refresh_from_db()
    assert late.status == "ready"
    assert late.timeliness == "late"  # against 22/01, although before the new appointment
    assert _first(late).timeliness == "late"


def test_the_appointment_moves_only_once(office, late):
    first = draft_apology(
        dossier_id=late.pk,
        actor=office.specialist,
        reason="Mất điện",
        new_due_at=at(13, 17, month=2),
        now=NOW,
    )
    second = draft_apology(
        dossier_id=late.pk,
        actor=office.specialist,
        reason="Đề nghị thêm",
        new_due_at=at(20, 17, month=2),
        now=NOW,
    )
    sign_apology(apology_id=first.pk, actor=office.leader, now=NOW)
    with pytest.raises(ExtensionAlreadyUsed) as error:
        sign_apology(apology_id=second.pk, actor=office.leader, now=NOW)
    assert error.value.code == "extension_already_used"
    with pytest.raises(ExtensionAlreadyUsed):
        draft_apology(
            dossier_id=late.pk,
            actor=office.specialist,
            reason="Lần ba",
            new_due_at=at(27, 17, month=2),
            now=NOW,
        )
    # an apology without a new date is still possible (another overdue step)
    plain = draft_apology(dossier_id=late.pk, actor=office.specialist, reason="Xin lỗi", now=NOW)
    assert sign_apology(apology_id=plain.pk, actor=office.leader, now=NOW).status == "signed"
    late.refresh_from_db()
    assert late.due_at == at(13, 17, month=2)


def test_a_foreseen_delay_is_apologised_for_before_the_due(office, procedure):
    dossier = receive(office, procedure, now=at(19, 9)).dossier
    complete_step(step_id=_first(dossier).pk, actor=office.receptionist, now=at(19, 10))
    apology = draft_apology(
        dossier_id=dossier.pk,
        actor=office.specialist,
        reason="Cần xác minh tại địa phương khác",
        new_due_at=at(28, 17),
        now=at(20, 9),
    )
    sign_apology(apology_id=apology.pk, actor=office.leader, now=at(20, 10))
    dossier.refresh_from_db()
    assert dossier.due_at == at(28, 17) and dossier.original_due_at == at(22, 17)
    kinds = list(dossier.events.order_by("pk").values_list("kind", flat=True))
    assert kinds[-2:] == ["apology_drafted", "apology_signed"]


def test_the_new_date_must_be_later_than_the_appointment(office, procedure):
    dossier = receive(office, procedure, now=at(19, 9)).dossier
    with pytest.raises(InvalidInput) as error:
        draft_apology(
            dossier_id=dossier.pk,
            actor=office.receptionist,
            reason="?",
            new_due_at=at(21, 17),
            now=at(19, 10),
        )
    assert error.value.field == "new_due_at"
    with pytest.raises(InvalidInput, match="quá xa"):
        draft_apology(
            dossier_id=dossier.pk,
            actor=office.receptionist,
            reason="?",
            new_due_at=at(19, 10, year=2027) + (at(19, 10) - at(19, 9)) * 24 * 30,
            now=at(19, 10),
        )
    with pytest.raises(InvalidInput) as error:
        draft_apology(dossier_id=dossier.pk, actor=office.receptionist, reason=" ", now=at(19, 10))
    assert error.value.field == "reason"


def test_a_leader_of_another_unit_cannot_sign_and_nobody_outside_drafts(office, late):
    with pytest.raises(NotAllowed):
        draft_apology(dossier_id=late.pk, actor=office.outsider, reason="?", now=NOW)
    apology = draft_apology(dossier_id=late.pk, actor=office.receptionist, reason="?", now=NOW)
    with pytest.raises(NotAllowed, match="Phường Hoàn Kiếm Thử"):
        sign_apology(apology_id=apology.pk, actor=office.outsider, now=NOW)
    assert Event.objects.filter(dossier=late, kind="apology_signed").count() == 0


def test_no_apology_after_the_result(office, procedure):
    dossier = receive(office, procedure, now=at(19, 9)).dossier
    apology = draft_apology(
        dossier_id=dossier.pk, actor=office.receptionist, reason="?", now=at(19, 9, 30)
    )
    for order, who in ((1, office.receptionist), (2, office.specialist), (3, office.leader)):
        complete_step(step_id=dossier.steps.get(order=order).pk, actor=who, now=at(19, 10))
    with pytest.raises(InvalidStatus):
        draft_apology(dossier_id=dossier.pk, actor=office.receptionist, reason="?", now=at(19, 11))
    with pytest.raises(InvalidStatus):
        sign_apology(apology_id=apology.pk, actor=office.leader, now=at(19, 11))
