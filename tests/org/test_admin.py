"""Roles given and changed in the admin go through the org services: their refusals are errors on
the form, and the history names the administrator."""

from datetime import date

import pytest
from django.urls import reverse

from motcua.org.models import Membership
from motcua.org.services import retire_unit
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

RETIRED = "Không thể giao vai trò tại Phường Đã Sáp Nhập: đơn vị đã ngừng hoạt động."


@pytest.fixture
def retired(office):
    unit = make_unit(name="Phường Đã Sáp Nhập", parent=office.city)
    retire_unit(unit_id=unit.pk, on=date(2025, 7, 1), actor=None)
    unit.refresh_from_db()
    return unit


def test_the_admin_refuses_a_role_at_a_retired_unit_with_the_services_message(
    admin_client, office, retired
):
    page = admin_client.post(
        reverse("admin:org_membership_add"),
        {"staff": office.specialist.pk, "unit": retired.pk, "role": "specialist", "active": "on"},
    )
    assert page.status_code == 200
    assert RETIRED in page.text
    assert not Membership.objects.filter(unit=retired).exists()


def test_the_admin_refuses_even_an_ended_role_at_a_retired_unit(admin_client, office, retired):
    page = admin_client.post(
        reverse("admin:org_membership_add"),
        {"staff": office.specialist.pk, "unit": retired.pk, "role": "specialist"},
    )
    assert page.status_code == 200
    assert RETIRED in page.text
    assert not Membership.objects.filter(unit=retired).exists()


def _staff_form(staff, memberships):
    data = {
        "username": staff.username,
        "full_name": staff.full_name,
        "phone": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "05/01/2026",
        "date_joined_1": "08:00",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(sum(1 for m in memberships if m.get("id"))),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(memberships):
        for name, value in row.items():
            data[f"memberships-{i}-{name}"] = value
    return data


def _add_a_role(admin_client, office, new_role: dict):
    """The specialist's staff screen posted with the role they hold and ``new_role``."""
    held = Membership.objects.get(staff=office.specialist)
    kept = {
        "id": held.pk,
        "staff": office.specialist.pk,
        "unit": office.ward.pk,
        "role": "specialist",
        "active": "on",
    }
    return admin_client.post(
        reverse("admin:org_staff_change", args=[office.specialist.pk]),
        _staff_form(office.specialist, [kept, new_role]),
    )


def test_the_staff_screen_refuses_a_role_at_a_retired_unit_too(admin_client, office, retired):
    page = _add_a_role(admin_client, office, {"unit": retired.pk, "role": "leader", "active": "on"})
    assert page.status_code == 200
    assert RETIRED in page.text
    assert not Membership.objects.filter(unit=retired).exists()


def test_a_role_added_on_the_staff_screen_goes_through_the_service(admin_client, office):
    answer = _add_a_role(
        admin_client, office, {"unit": office.other_ward.pk, "role": "head", "active": "on"}
    )
    assert answer.status_code == 302, answer.text[:3000]
    added = Membership.objects.get(staff=office.specialist, unit=office.other_ward)
    row = added.history.get()
    assert row.history_user.username == "admin"
    assert row.history_change_reason == "Giao vai trò Lãnh đạo phòng"


def test_a_role_added_and_then_ended_in_the_admin_is_recorded_with_the_administrator(
    admin_client, office
):
    answer = admin_client.post(
        reverse("admin:org_membership_add"),
        {
            "staff": office.specialist.pk,
            "unit": office.other_ward.pk,
            "role": "specialist",
            "active": "on",
            "since_on": "01/02/2026",
        },
    )
    assert answer.status_code == 302
    membership = Membership.objects.get(staff=office.specialist, unit=office.other_ward)
    assert membership.since_on == date(2026, 2, 1)

    answer = _change_membership(
        admin_client, membership, unit=office.other_ward.pk, until_on="31/03/2026"
    )
    assert answer.status_code == 302
    membership.refresh_from_db()
    assert not membership.active and membership.until_on == date(2026, 3, 31)
    granted, ended = membership.history.order_by("history_date", "history_id")
    assert (granted.history_user.username, granted.history_change_reason) == (
        "admin",
        "Giao vai trò Chuyên viên",
    )
    assert (ended.history_user.username, ended.history_change_reason) == (
        "admin",
        "Thu hồi vai trò Chuyên viên",
    )
    page = admin_client.get(reverse("admin:org_membership_history", args=[membership.pk]))
    assert page.status_code == 200
    assert "Thu hồi vai trò Chuyên viên" in page.text
    assert "Đang hiệu lực:</strong> Có &rarr; Không" in page.text


def _change_membership(admin_client, membership, **fields):
    """The membership's admin form posted: a specialist's role since 01/02/2026."""
    data = {"role": "specialist", "since_on": "01/02/2026", **fields}
    return admin_client.post(reverse("admin:org_membership_change", args=[membership.pk]), data)


def test_the_admin_refuses_an_end_date_before_the_start_date(admin_client, office):
    membership = Membership.objects.get(staff=office.specialist)
    page = _change_membership(
        admin_client, membership, unit=office.ward.pk, active="on", until_on="01/01/2026"
    )
    assert page.status_code == 200
    assert "phải sau ngày bắt đầu" in page.text
    assert not Membership.objects.get(pk=membership.pk).until_on


def test_a_refusal_the_form_did_not_foresee_is_a_message_not_an_error_page(
    admin_client, office, retired, monkeypatch
):
    from django import forms

    from motcua.org.admin import MembershipForm

    # as if the unit were retired between the form's check and the save
    monkeypatch.setattr(MembershipForm, "clean", forms.ModelForm.clean)
    answer = admin_client.post(
        reverse("admin:org_membership_add"),
        {"staff": office.specialist.pk, "unit": retired.pk, "role": "leader", "active": "on"},
        follow=True,
    )
    assert answer.status_code == 200
    assert RETIRED in answer.text
    assert not Membership.objects.filter(unit=retired).exists()
