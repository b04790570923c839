"""Every write to the catalog leaves history rows with the actor and a Vietnamese reason."""

from datetime import date
from decimal import Decimal

import pytest

from motcua.catalog.models import Procedure, ProcedureStep
from motcua.catalog.services import (
    DocumentSpec,
    StepDurationsMismatch,
    StepSpec,
    save_procedure,
)
from motcua.core.errors import InvalidInput
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def steps_of(procedure, **changed_hours):
    """The procedure's steps as specs (ids kept), with some durations changed by order."""
    return [
        StepSpec(
            id=s.pk,
            order=s.order,
            name=s.name,
            role=s.role,
            duration_working_hours=Decimal(
                changed_hours.get(f"step{s.order}", s.duration_working_hours)
            ),
        )
        for s in procedure.steps.order_by("order")
    ]


def documents_of(procedure):
    return [
        DocumentSpec(id=d.pk, order=d.order, name=d.name, form=d.form)
        for d in procedure.documents.all()
    ]


def test_creating_a_procedure_records_the_actor_and_reason_on_every_row(office):
    procedure = make_procedure(code="1.000100", units=[office.ward], actor=office.leader)
    row = procedure.history.get()
    assert row.history_type == "+"
    assert row.history_user == office.leader
    assert row.history_change_reason == "Tạo thủ tục 1.000100"
    assert [u.unit for u in row.units.all()] == [office.ward]  # one row, with its units
    for step in procedure.steps.all():
        step_row = step.history.get()
        assert (step_row.history_user, step_row.history_change_reason) == (
            office.leader,
            "Tạo thủ tục 1.000100",
        )
    assert procedure.documents.get().history.get().history_user == office.leader


def test_a_new_version_records_the_closing_of_the_old_one(office):
    old = make_procedure(code="1.000101", effective_from=date(2025, 7, 1))
    make_procedure(code="1.000101", effective_from=date(2026, 1, 1), actor=office.leader)
    closed = Procedure.objects.get(pk=old.pk).history.latest()
    assert closed.effective_to == date(2025, 12, 31)
    assert closed.history_user == office.leader
    assert closed.history_change_reason == "Tạo thủ tục 1.000101"


def test_changing_a_step_writes_one_row_for_that_step_only(office):
    procedure = make_procedure(hours=("2", "4", "2"), target="8", units=[office.ward])
    save_procedure(
        procedure=procedure,
        steps=steps_of(procedure, step2="3", step3="3"),
        documents=documents_of(procedure),
        units=[office.ward],
        actor=office.leader,
    )
    first, second, third = procedure.steps.order_by("order")
    assert first.history.count() == 1  # unchanged: no row
    assert procedure.history.count() == 1  # the procedure itself did not change
    changed = second.history.latest()
    assert changed.history_user == office.leader
    assert changed.history_change_reason == f"Sửa thủ tục {procedure.code}"
    assert changed.diff_against(changed.prev_record).changed_fields == ["duration_working_hours"]
    assert third.duration_working_hours == Decimal(3)


def test_steps_may_swap_numbers_and_be_added_and_removed(office):
    procedure = make_procedure(hours=("2", "4", "2"), target="8")
    first, second, third = procedure.steps.order_by("order")
    save_procedure(
        procedure=procedure,
        steps=[
            *(
                StepSpec(
                    id=step.pk,
                    order=order,
                    name=step.name,
                    role=step.role,
                    duration_working_hours=step.duration_working_hours,
                )
                for order, step in ((1, second), (2, first))
            ),
            StepSpec(name="Bước mới", role="leader", duration_working_hours=Decimal(2)),
        ],
        documents=[],
        units=[],
        actor=office.leader,
    )
    assert [(s.order, s.name) for s in procedure.steps.order_by("order")] == [
        (1, second.name),
        (2, first.name),
        (3, "Bước mới"),
    ]
    assert not ProcedureStep.objects.filter(pk=third.pk).exists()
    gone = ProcedureStep.history.filter(id=third.pk).latest()
    assert gone.history_type == "-" and gone.history_user == office.leader
    assert second.history.latest().order == 1  # the parking number is never recorded
    assert not procedure.documents.exists()


def test_saving_checks_like_creating(office):
    procedure = make_procedure(hours=("2", "4", "2"), target="8")
    with pytest.raises(StepDurationsMismatch) as refused:
        save_procedure(
            procedure=procedure,
            steps=steps_of(procedure, step2="5"),
            documents=[],
            units=[],
            actor=office.leader,
        )
    assert "Tổng thời gian các bước là 9 giờ làm việc" in str(refused.value)
    other = make_procedure(code="1.000102", effective_from=date(2025, 7, 1))
    procedure.code = other.code
    procedure.effective_from = other.effective_from
    with pytest.raises(InvalidInput) as duplicate:
        save_procedure(
            procedure=procedure,
            steps=steps_of(procedure),
            documents=[],
            units=[],
            actor=office.leader,
        )
    assert "đã có phiên bản áp dụng từ 01/07/2025" in str(duplicate.value)
    assert procedure.steps.get(order=2).history.count() == 1
