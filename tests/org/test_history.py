"""Every write to units and roles leaves a history row with the actor and a Vietnamese reason."""

from datetime import date

import pytest
from django.utils import translation

from motcua.core.errors import InvalidInput
from motcua.org.models import Membership
from motcua.org.services import (
    MembershipExists,
    UnitRetired,
    grant_role,
    move_unit,
    retire_unit,
    revoke_role,
    update_membership,
)
from tests.factories import make_staff, make_unit

pytestmark = pytest.mark.django_db


def test_granting_a_role_records_who_gave_it_and_why(office):
    person = make_staff()
    membership = grant_role(staff=person, unit=office.ward, role="leader", actor=office.leader)
    row = membership.history.get()
    assert row.history_type == "+"
    assert row.history_user == office.leader
    assert row.history_change_reason == "Giao vai trò Lãnh đạo đơn vị"


def test_a_role_granted_by_the_system_has_no_person_in_its_history(office):
    membership = Membership.objects.get(staff=office.specialist, unit=office.ward)
    row = membership.history.get()
    assert row.history_user is None
    assert row.history_change_reason == "Giao vai trò Chuyên viên"


def test_the_reason_is_kept_in_vietnamese_whatever_language_the_actor_reads(office):
    with translation.override("en"):
        membership = grant_role(
            staff=make_staff(), unit=office.ward, role="head", actor=office.leader
        )
    assert membership.history.get().history_change_reason == "Giao vai trò Lãnh đạo phòng"


def test_revoking_a_role_is_a_saved_change_with_its_actor_and_reason(office):
    revoke_role(
        staff=office.specialist,
        unit=office.ward,
        role="specialist",
        on=date(2026, 3, 1),
        actor=office.leader,
    )
    membership = Membership.objects.get(staff=office.specialist, unit=office.ward)
    assert not membership.active and membership.until_on == date(2026, 3, 1)
    latest = membership.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == office.leader
    assert latest.history_change_reason == "Thu hồi vai trò Chuyên viên"
    assert set(latest.diff_against(latest.prev_record).changed_fields) == {"active", "until_on"}


def test_revoking_a_role_nobody_holds_writes_nothing(office):
    revoke_role(
        staff=office.outsider, unit=office.ward, role="leader", on=date(2026, 3, 1), actor=None
    )
    assert not Membership.objects.filter(staff=office.outsider, unit=office.ward).exists()


def test_retiring_a_unit_records_the_unit_and_every_role_it_closes(office):
    district = make_unit(name="Quận Cũ", parent=office.city)
    first = make_staff(roles=[(district, "leader")])
    second = make_staff(roles=[(district, "specialist")])

    retire_unit(unit_id=district.pk, on=date(2025, 7, 1), actor=office.leader)

    unit_row = district.history.latest()
    assert unit_row.history_user == office.leader
    assert unit_row.history_change_reason == "Ngừng hoạt động đơn vị"
    assert not unit_row.active and unit_row.retired_on == date(2025, 7, 1)
    for person in (first, second):
        row = Membership.objects.get(staff=person, unit=district).history.latest()
        assert row.history_type == "~"
        assert row.history_user == office.leader
        assert row.history_change_reason == "Ngừng hoạt động đơn vị"
        assert not row.active and row.until_on == date(2025, 7, 1)


def test_creating_and_moving_a_unit_are_in_its_history(office):
    division = make_unit(kind="division", parent=office.ward)
    move_unit(unit_id=division.pk, parent=office.other_ward, actor=office.leader)
    created, moved = division.history.order_by("history_date", "history_id")
    assert created.history_change_reason == "Tạo đơn vị" and created.history_user is None
    assert moved.history_user == office.leader
    assert moved.history_change_reason == "Chuyển về trực thuộc Phường Ba Đình Thử"
    assert moved.diff_against(created).changed_fields == ["parent"]


def test_a_role_changed_through_the_service_is_checked_and_recorded(office):
    membership = Membership.objects.get(staff=office.head, unit=office.ward)

    def since_july(until_on: date | None) -> None:
        update_membership(
            membership_id=membership.pk,
            unit=office.ward,
            role="head",
            active=True,
            since_on=date(2025, 7, 1),
            until_on=until_on,
            actor=office.leader,
        )

    since_july(None)
    row = membership.history.latest()
    assert row.history_change_reason == "Sửa vai trò Lãnh đạo phòng"
    assert row.history_user == office.leader and row.since_on == date(2025, 7, 1)

    with pytest.raises(InvalidInput) as refused:
        since_july(date(2025, 6, 30))
    assert "phải sau ngày bắt đầu" in str(refused.value)


def test_a_role_cannot_be_moved_onto_one_the_person_already_holds(office):
    grant_role(staff=office.head, unit=office.ward, role="specialist", actor=None)
    membership = Membership.objects.get(staff=office.head, unit=office.ward, role="head")
    with pytest.raises(MembershipExists):
        update_membership(
            membership_id=membership.pk,
            unit=office.ward,
            role="specialist",
            active=True,
            since_on=None,
            until_on=None,
            actor=office.leader,
        )


def test_a_role_cannot_be_put_back_in_force_at_a_retired_unit(office):
    old = make_unit(parent=office.city)
    person = make_staff(roles=[(old, "leader")])
    retire_unit(unit_id=old.pk, on=date(2025, 7, 1), actor=None)
    membership = Membership.objects.get(staff=person, unit=old)
    with pytest.raises(UnitRetired) as refused:
        update_membership(
            membership_id=membership.pk,
            unit=old,
            role="leader",
            active=True,
            since_on=None,
            until_on=None,
            actor=office.leader,
        )
    assert "đơn vị đã ngừng hoạt động" in str(refused.value)


def test_staff_accounts_keep_no_history_so_no_password_hash_is_copied():
    from motcua.org.models import Staff

    assert not hasattr(Staff, "history")
