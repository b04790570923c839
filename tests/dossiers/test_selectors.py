"""What each person sees, and in which order (green lane first, then the nearest due)."""

import pytest

from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.selectors import (
    dossiers_visible_to,
    get_dossier_for,
    list_dossiers,
    list_work,
    with_details,
)
from motcua.dossiers.services import assign_step, complete_step
from tests.dossiers.helpers import at, procedure_with, receive
from tests.factories import make_staff, make_unit

pytestmark = pytest.mark.django_db


def test_another_units_dossier_does_not_exist_for_its_staff(office, procedure):
    dossier = receive(office, procedure).dossier
    assert list(dossiers_visible_to(office.specialist)) == [dossier]
    assert not dossiers_visible_to(office.outsider).exists()
    with pytest.raises(DossierNotFound) as error:
        get_dossier_for(office.outsider, dossier.code)
    assert error.value.status == 404
    assert get_dossier_for(office.leader, dossier.code) == dossier


def test_a_unit_handling_a_step_sees_the_dossier(office):
    department = make_unit(code="TP.SXD", kind="department", parent=office.city)
    expert = make_staff(roles=[(department, "specialist")])
    p = procedure_with(
        units=[office.ward],
        code="9.900003",
        steps=[("Tiếp nhận", "receptionist", "2"), ("Thẩm định tại Sở", "specialist", "6")],
    )
    template = p.steps.get(order=2)
    template.responsible_unit = department
    template.save()
    dossier = receive(office, p).dossier
    assert get_dossier_for(expert, dossier.code) == dossier


def test_lists_put_the_green_lane_first_then_the_nearest_due(office, procedure):
    slow = receive(office, procedure, now=at(19, 9)).dossier
    soon = receive(office, procedure, now=at(16, 9)).dossier
    green = receive(office, procedure, now=at(20, 9), green_lane_group="investment").dossier
    codes = [d.code for d in list_dossiers(office.receptionist, now=at(20, 10))]
    assert codes == [green.code, soon.code, slow.code]
    assert [d.code for d in list_dossiers(office.receptionist, green_lane=True)] == [green.code]


def test_lists_filter_by_status_overdue_dates_and_assignee(office, procedure):
    old = receive(office, procedure, now=at(12, 9)).dossier  # due Thu 15/01
    new = receive(office, procedure, now=at(19, 9)).dossier
    complete_step(step_id=new.steps.get(order=1).pk, actor=office.receptionist, now=at(19, 10))
    assign_step(dossier_id=new.pk, actor=office.head, assignee="chuyenvien", now=at(19, 10))
    me = office.receptionist
    assert [d.code for d in list_dossiers(me, overdue=True, now=at(19, 11))] == [old.code]
    assert [d.code for d in list_dossiers(me, overdue=False, now=at(19, 11))] == [new.code]
    assert [d.code for d in list_dossiers(me, status="in_progress")] == [new.code]
    assert [d.code for d in list_dossiers(me, received_from=at(19, 0).date())] == [new.code]
    assert [d.code for d in list_dossiers(me, received_to=at(18, 0).date())] == [old.code]
    assert [d.code for d in list_dossiers(me, assignee=office.specialist)] == [new.code]
    assert not list_dossiers(me, unit_code="TP.02").exists()


def test_the_work_list_shows_my_steps_and_the_unassigned_ones_of_my_role(office, procedure):
    first = receive(office, procedure, now=at(19, 9)).dossier
    second = receive(office, procedure, now=at(19, 9, 30), green_lane_group="investment").dossier
    assert [s.dossier for s in list_work(office.receptionist)] == [second, first]
    assert not list_work(office.specialist).exists()
    complete_step(step_id=first.steps.get(order=1).pk, actor=office.receptionist, now=at(19, 10))
    assert [s.dossier for s in list_work(office.specialist)] == [first]
    other_specialist = make_staff(roles=[(office.ward, "specialist")])
    assign_step(dossier_id=first.pk, actor=office.head, assignee=other_specialist.username)
    assert not list_work(office.specialist).exists()
    assert [s.dossier for s in list_work(other_specialist)] == [first]
    assert not list_work(office.outsider).exists()


def test_a_page_of_dossiers_costs_the_same_queries_whatever_its_size(
    office, procedure, django_assert_max_num_queries
):
    for i in range(6):
        receive(office, procedure, now=at(19, 9, i))
    with django_assert_max_num_queries(8):
        page = list(with_details(list_dossiers(office.receptionist))[:50])
        for dossier in page:
            _ = [s.unit.code for s in dossier.steps.all()]
            _ = [e.actor for e in dossier.events.all()]
            _ = dossier.applicant.name
    assert len(page) == 6
