import pytest

from motcua.core.errors import InvalidInput
from motcua.org.models import Membership
from motcua.org.selectors import has_role, list_memberships, units_of
from motcua.org.services import grant_role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_one_person_may_hold_several_roles_in_several_units(office):
    grant_role(staff=office.head, unit=office.ward, role="specialist", actor=None)
    grant_role(staff=office.head, unit=office.city, role="supervisor", actor=None)
    roles = {(m.unit.code, m.role) for m in list_memberships(office.head)}
    assert roles == {("TP.01", "head"), ("TP.01", "specialist"), ("TP", "supervisor")}
    assert set(units_of(office.head, roles=["supervisor"])) == {office.city}


def test_granting_the_same_role_twice_keeps_one_membership(office):
    grant_role(staff=office.leader, unit=office.ward, role="leader", actor=None)
    assert Membership.objects.filter(staff=office.leader).count() == 1


def test_a_role_holds_only_in_its_own_unit(office):
    assert has_role(office.leader, office.ward, "leader")
    assert not has_role(office.outsider, office.ward, "leader")
    assert not has_role(office.specialist, office.ward, "leader")


def test_an_unknown_role_is_refused_with_a_message(office):
    with pytest.raises(InvalidInput) as refused:
        grant_role(staff=make_staff(), unit=office.ward, role="king", actor=None)
    assert "Vai trò không hợp lệ" in str(refused.value)
