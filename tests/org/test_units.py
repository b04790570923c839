from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.core.errors import DomainError
from motcua.org.models import Membership, Unit
from motcua.org.selectors import subtree_ids, units_of
from motcua.org.services import UnitCycle, move_unit, retire_unit
from tests.factories import make_staff, make_unit

pytestmark = pytest.mark.django_db


def test_the_unit_tree_has_any_depth_and_no_district_level_is_assumed():
    city = make_unit(kind="province")
    ward = make_unit(kind="commune", parent=city)
    division = make_unit(kind="division", parent=ward)
    team = make_unit(kind="division", parent=division)
    assert [u.pk for u in team.ancestors()] == [division.pk, ward.pk, city.pk]
    assert subtree_ids(city) == {city.pk, ward.pk, division.pk, team.pk}


def test_a_unit_cannot_be_moved_under_its_own_descendant():
    city = make_unit(kind="province")
    ward = make_unit(parent=city)
    division = make_unit(kind="division", parent=ward)
    with pytest.raises(UnitCycle) as refused:
        move_unit(unit_id=city.pk, parent=division, actor=None)
    assert "vòng lặp" in str(refused.value)
    city.refresh_from_db()
    assert city.parent is None


def test_a_unit_cannot_be_its_own_parent():
    ward = make_unit()
    with pytest.raises(UnitCycle):
        move_unit(unit_id=ward.pk, parent=ward, actor=None)


def test_the_model_check_used_by_the_admin_refuses_a_cycle_with_a_vietnamese_message():
    city = make_unit(kind="province")
    ward = make_unit(parent=city)
    city.parent = ward
    with pytest.raises(ValidationError) as refused:
        city.full_clean()
    assert "vòng lặp" in str(refused.value.message_dict["parent"])


def test_a_retired_unit_keeps_its_history_and_its_people_lose_their_roles_there():
    city = make_unit(kind="province")
    district = make_unit(name="Quận Cũ", parent=city)
    ward = make_unit(parent=city)
    person = make_staff(roles=[(district, "leader"), (ward, "leader")])

    retire_unit(unit_id=district.pk, on=date(2025, 7, 1), successor=ward, actor=None)

    district.refresh_from_db()
    assert not district.active
    assert district.retired_on == date(2025, 7, 1)
    assert district.successor == ward
    assert Unit.objects.filter(pk=district.pk).exists()  # never deleted
    kept = Membership.objects.get(staff=person, unit=district)
    assert not kept.active and kept.until_on == date(2025, 7, 1)
    assert list(units_of(person)) == [ward]


def test_a_unit_with_active_children_cannot_be_retired():
    city = make_unit(kind="province")
    make_unit(parent=city)
    with pytest.raises(DomainError) as refused:
        retire_unit(unit_id=city.pk, on=date(2025, 7, 1), actor=None)
    assert refused.value.code == "unit_has_active_children"


def test_nothing_can_be_placed_under_a_retired_unit():
    old = make_unit()
    retire_unit(unit_id=old.pk, on=date(2025, 7, 1), actor=None)
    with pytest.raises(DomainError):
        make_unit(parent=Unit.objects.get(pk=old.pk))


def test_a_retired_unit_needs_a_date():
    unit = make_unit()
    unit.active = False
    with pytest.raises(ValidationError) as refused:
        unit.full_clean()
    assert "retired_on" in refused.value.message_dict
