"""Reception at the desk, online submission and acceptance (DOMAIN §3.1, D3, D5, D6, D10)."""

from datetime import timedelta

import pytest

from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers import rules
from motcua.dossiers.errors import (
    InvalidStatus,
    ProcedureNotOffered,
    SupplementPending,
    UnknownProcedure,
    UnknownUnit,
)
from motcua.dossiers.models import Applicant, Dossier, Event, StepStatus
from motcua.dossiers.services import (
    ApplicantData,
    DocumentData,
    accept_dossier,
    lookup_secret_of,
    receive_supplement,
    request_supplement,
    submit_online,
)
from tests.dossiers.helpers import APPLICANT, at, on_paper, procedure_with, receive
from tests.factories import make_procedure, papers, with_files

pytestmark = pytest.mark.django_db


def test_a_counter_reception_gets_a_code_an_appointment_and_its_first_step(office, procedure):
    created = receive(office, procedure, now=at(19, 9), documents=[DocumentData("Tờ khai", 2)])
    dossier = created.dossier
    assert dossier.code == "TP.01-260119-0001"
    assert dossier.status == "received"
    assert dossier.channel == "counter"
    assert dossier.received_at == at(19, 9) == dossier.effective_received_at
    assert dossier.due_at == at(22, 17) == dossier.original_due_at
    assert dossier.green_lane is False and dossier.green_lane_due_at is None
    assert dossier.documents == [{"name": "Tờ khai", "copies": 2}]
    steps = list(dossier.steps.order_by("order"))
    assert [(s.order, s.role, s.unit, s.status) for s in steps] == [
        (1, "receptionist", office.ward, StepStatus.ACTIVE),
        (2, "specialist", office.ward, StepStatus.PENDING),
        (3, "leader", office.ward, StepStatus.PENDING),
    ]
    assert steps[0].started_at == at(19, 9) and steps[0].due_at == at(19, 11)
    assert steps[0].assignee == office.receptionist  # the desk step is the receiver's own
    event = Event.objects.get(dossier=dossier)
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        "received",
        office.receptionist,
        "",
        "received",
    )


def test_the_applicant_is_kept_in_a_table_of_its_own(office, procedure):
    dossier = receive(office, procedure).dossier
    assert Applicant._meta.db_table != Dossier._meta.db_table
    assert dossier.applicant.id_number == "001099012345"
    assert not any(f.name in {"id_number", "phone", "email"} for f in Dossier._meta.fields)


def test_the_lookup_secret_is_returned_once_and_stored_hashed(office, procedure):
    created = receive(office, procedure)
    dossier = Dossier.objects.get(pk=created.dossier.pk)
    assert created.lookup_secret not in str(dossier.__dict__)
    assert dossier.lookup_secret_hash == rules.hash_secret(dossier.code, created.lookup_secret)
    assert lookup_secret_of(dossier) == created.lookup_secret


def test_codes_run_per_unit_per_day(office, procedure):
    other = make_procedure(units=[office.other_ward])
    from tests.factories import make_staff

    desk2 = make_staff(roles=[(office.other_ward, "receptionist")])
    codes = [receive(office, procedure, now=at(19, 9 + i)).dossier.code for i in range(3)]
    assert codes == ["TP.01-260119-0001", "TP.01-260119-0002", "TP.01-260119-0003"]
    assert receive(office, other, actor=desk2, unit_code="TP.02").dossier.code.endswith("-0001")
    assert receive(office, procedure, now=at(20, 9)).dossier.code == "TP.01-260120-0001"


def test_a_reception_after_hours_counts_from_the_next_opening(office, procedure):
    dossier = receive(office, procedure, now=at(19, 17, 30)).dossier
    assert dossier.received_at == at(19, 17, 30)
    assert dossier.effective_received_at == at(20, 8)
    assert dossier.due_at == at(23, 17)
    assert dossier.steps.get(order=1).due_at == at(20, 10)


def test_a_procedure_cutoff_moves_the_effective_reception(office):
    p = make_procedure(units=[office.ward], legal_working_days=0, hours=("1",), cutoff_time="15:00")
    dossier = receive(office, p, now=at(20, 15, 20)).dossier
    assert dossier.effective_received_at == at(21, 8)
    assert dossier.due_at == at(21, 17)  # E13/E11: the next working day


def test_a_green_lane_dossier_gets_its_target_at_forty_percent(office, procedure):
    dossier = receive(office, procedure, green_lane_group="investment").dossier
    assert dossier.green_lane and dossier.green_lane_group == "investment"
    assert dossier.green_lane_due_at == at(20, 10, 36)  # 9.6 working hours after Mon 09:00


def test_a_green_lane_procedure_makes_its_dossiers_green_unless_told_otherwise(office):
    p = make_procedure(units=[office.ward], green_lane_group="digital_infrastructure")
    assert receive(office, p).dossier.green_lane_group == "digital_infrastructure"
    assert receive(office, p, green_lane_group="").dossier.green_lane is False


def test_steps_of_another_unit_are_resolved_from_the_receiving_unit(office):
    p = procedure_with(
        units=[office.ward],
        code="9.900002",
        steps=[("Tiếp nhận", "receptionist", "2"), ("Thẩm định", "specialist", "6")],
        legal_working_days="2",
    )
    step = p.steps.get(order=2)
    step.responsible_unit_kind = "province"
    step.save()
    dossier = receive(office, p).dossier
    assert dossier.steps.get(order=2).unit == office.city


def test_only_a_receptionist_of_the_unit_receives(office, procedure):
    with pytest.raises(NotAllowed, match="Công chức Bộ phận Một cửa của Phường Hoàn Kiếm Thử"):
        receive(office, procedure, actor=office.specialist)
    with pytest.raises(NotAllowed):
        receive(office, procedure, actor=office.outsider)
    assert not Dossier.objects.exists()


def test_unknown_procedure_or_unit_and_a_procedure_not_offered_are_bad_input(office, procedure):
    with pytest.raises(UnknownProcedure) as error:
        receive_dossier_with(office, procedure_code="0.000000")
    assert error.value.status == 422 and error.value.field == "procedure"
    with pytest.raises(UnknownUnit):
        receive(office, procedure, unit_code="XX.99")
    other = make_procedure(units=[office.other_ward])
    with pytest.raises(ProcedureNotOffered) as error:
        receive(office, other)
    assert "không tiếp nhận thủ tục" in error.value.message


def receive_dossier_with(office, **kwargs):
    from motcua.dossiers.services import receive_dossier

    return receive_dossier(
        actor=office.receptionist,
        unit_code=office.ward.code,
        applicant=APPLICANT,
        now=at(19, 9),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("applicant", "field"),
    [
        (ApplicantData(name="  "), "applicant.name"),
        (ApplicantData(name="An", email="not-an-email"), "applicant.email"),
        (ApplicantData(name="An", phone="0" * 31), "applicant.phone"),
    ],
)
def test_applicant_data_is_checked(office, procedure, applicant, field):
    with pytest.raises(InvalidInput) as error:
        receive(office, procedure, applicant=applicant)
    assert error.value.field == field


# --------------------------------------------------------------------------- backdated paper
def test_a_backdated_paper_reception_keeps_its_real_time_and_needs_a_reason(office, procedure):
    now = at(9, 10, month=2)
    with pytest.raises(InvalidInput) as error:
        receive(office, procedure, now=now, received_at=at(19, 9))
    assert error.value.field == "received_at_reason"
    dossier = on_paper(
        office,
        procedure,
        received_at=at(19, 9),
        now=now,
        reason="Mất kết nối mạng, tiếp nhận bằng sổ giấy",
    )
    assert dossier.code == "TP.01-260119-0001"  # the code of its real reception day
    assert dossier.received_at == at(19, 9)
    assert dossier.due_at == at(22, 17)
    assert "Mất kết nối mạng" in dossier.events.get().note


def test_a_reception_time_in_the_future_is_refused(office, procedure):
    with pytest.raises(InvalidInput, match="tương lai") as error:
        receive(
            office,
            procedure,
            now=at(19, 9),
            received_at=at(19, 9) + timedelta(seconds=1),
            received_at_reason="nhầm",
        )
    assert error.value.field == "received_at"


def test_a_backdated_reception_uses_the_procedure_version_in_force_that_day(office, procedure):
    with pytest.raises(UnknownProcedure, match="không có phiên bản"):
        receive(
            office,
            procedure,
            now=at(19, 9),
            received_at=at(2, 9, month=1, year=2025),  # before the version of 01/07/2025
            received_at_reason="Nhập sổ cũ",
        )


# ------------------------------------------------------------------------------ online path
def _submit(office, procedure, now=None):
    created = submit_online(
        procedure_code=procedure.code,
        documents=papers(procedure),
        unit_code=office.ward.code,
        applicant=APPLICANT,
        now=now or at(17, 21),  # a Saturday evening
    )
    with_files(created.dossier)  # the portal stores a file for each paper
    return created


def test_an_online_submission_waits_for_the_desk_without_a_clock(office, procedure):
    created = _submit(office, procedure)
    dossier = created.dossier
    assert dossier.code == "TP.01-260117-0001"
    assert (dossier.status, dossier.channel) == ("submitted", "online")
    assert dossier.submitted_at == at(17, 21)
    assert dossier.received_at is None and dossier.due_at is None
    assert not dossier.steps.exists()
    event = dossier.events.get()
    assert event.kind == "submitted" and event.actor is None


def test_accepting_starts_the_clock_at_the_effective_reception(office, procedure):
    dossier = _submit(office, procedure).dossier
    dossier = accept_dossier(dossier_id=dossier.pk, actor=office.receptionist, now=at(19, 7, 45))
    assert dossier.status == "received"
    assert dossier.received_at == at(19, 7, 45)
    assert dossier.effective_received_at == at(19, 8)
    assert dossier.due_at == at(22, 17)
    assert dossier.steps.get(order=1).status == "active"
    assert [e.kind for e in dossier.events.order_by("pk")] == ["submitted", "accepted"]
    with pytest.raises(InvalidStatus):
        accept_dossier(dossier_id=dossier.pk, actor=office.receptionist, now=at(19, 8))


def test_only_the_desk_of_the_unit_accepts(office, procedure):
    dossier = _submit(office, procedure).dossier
    with pytest.raises(NotAllowed):
        accept_dossier(dossier_id=dossier.pk, actor=office.outsider, now=at(19, 8))


def test_an_intake_supplement_request_keeps_the_dossier_submitted(office, procedure):
    dossier = _submit(office, procedure).dossier
    request = request_supplement(
        dossier_id=dossier.pk,
        actor=office.receptionist,
        items=["Bản sao giấy khai sinh"],
        now=at(19, 8),
    )
    assert request.at_intake
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    with pytest.raises(SupplementPending):
        accept_dossier(dossier_id=dossier.pk, actor=office.receptionist, now=at(19, 9))
    receive_supplement(dossier_id=dossier.pk, actor=office.receptionist, now=at(20, 9))
    dossier = accept_dossier(dossier_id=dossier.pk, actor=office.receptionist, now=at(20, 10))
    assert dossier.received_at == at(20, 10)


def test_a_procedure_without_online_service_is_not_submitted_online(office):
    p = make_procedure(units=[office.ward])  # online_mode "none"
    with pytest.raises(ProcedureNotOffered, match="trực tuyến"):
        _submit(office, p)
