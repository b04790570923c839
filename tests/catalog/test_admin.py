"""A procedure added or changed in the admin goes through catalog.services.save_procedure: the
same checks as create_procedure, and a history that names the administrator."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.catalog.models import Procedure
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def _blank(value) -> str:
    return "" if value is None else str(value)


def procedure_form(procedure, *, hours=None, **changes):
    """The change form of ``procedure`` as the admin posts it, its steps' hours replaced."""
    data = {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field_id,
        "effective_from": procedure.effective_from.strftime("%d/%m/%Y"),
        "effective_to": "",
        "legal_working_days": _blank(procedure.legal_working_days),
        "legal_working_hours": _blank(procedure.legal_working_hours),
        "target_working_hours": str(procedure.target_working_hours),
        "deadline_mode": procedure.deadline_mode,
        "cutoff_time": "",
        "supplement_policy": procedure.supplement_policy,
        "green_lane_group": procedure.green_lane_group,
        "green_lane_working_hours": "",
        "online_mode": procedure.online_mode,
        "fee": str(procedure.fee),
        "fee_note": procedure.fee_note,
        "legal_basis": procedure.legal_basis,
        "result_name": procedure.result_name,
        "units": [u.pk for u in procedure.units.all()],
    }
    documents = list(procedure.documents.all())
    data.update(
        {
            "documents-TOTAL_FORMS": str(len(documents)),
            "documents-INITIAL_FORMS": str(len(documents)),
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "1000",
        }
    )
    for i, d in enumerate(documents):
        data.update(
            {
                f"documents-{i}-id": str(d.pk),
                f"documents-{i}-procedure": str(procedure.pk),
                f"documents-{i}-order": str(d.order),
                f"documents-{i}-name": d.name,
                f"documents-{i}-form": d.form,
                f"documents-{i}-copies": str(d.copies),
                f"documents-{i}-mandatory": "on" if d.mandatory else "",
                f"documents-{i}-note": d.note,
            }
        )
    steps = list(procedure.steps.order_by("order"))
    hours = hours or [str(s.duration_working_hours) for s in steps]
    data.update(
        {
            "steps-TOTAL_FORMS": str(len(steps)),
            "steps-INITIAL_FORMS": str(len(steps)),
            "steps-MIN_NUM_FORMS": "1",
            "steps-MAX_NUM_FORMS": "1000",
        }
    )
    for i, (s, h) in enumerate(zip(steps, hours, strict=True)):
        data.update(
            {
                f"steps-{i}-id": str(s.pk),
                f"steps-{i}-procedure": str(procedure.pk),
                f"steps-{i}-order": str(s.order),
                f"steps-{i}-name": s.name,
                f"steps-{i}-role": s.role,
                f"steps-{i}-responsible_unit": "",
                f"steps-{i}-responsible_unit_kind": s.responsible_unit_kind,
                f"steps-{i}-duration_working_hours": h,
            }
        )
    data.update(changes)
    return data


def test_an_admin_edit_of_step_durations_is_checked_saved_and_listed_in_the_history(
    admin_client, office
):
    procedure = make_procedure(code="1.000200", units=[office.ward], hours=("2", "4", "2"))
    url = reverse("admin:catalog_procedure_change", args=[procedure.pk])

    refused = admin_client.post(url, procedure_form(procedure, hours=["2", "4", "3"]))
    assert refused.status_code == 200
    assert "Tổng thời gian các bước là 9 giờ làm việc" in refused.text
    assert "chênh 1 giờ" in refused.text
    assert procedure.steps.get(order=3).duration_working_hours == Decimal(2)

    saved = admin_client.post(url, procedure_form(procedure, hours=["2", "3", "3"]))
    assert saved.status_code == 302, saved.text[:3000]
    assert [s.duration_working_hours for s in procedure.steps.order_by("order")] == [2, 3, 3]
    row = procedure.steps.get(order=2).history.latest()
    assert row.history_user.username == "admin"
    assert row.history_change_reason == "Sửa thủ tục 1.000200"

    page = admin_client.get(reverse("admin:catalog_procedure_history", args=[procedure.pk]))
    assert page.status_code == 200
    assert "Lịch sử thay đổi: 1.000200" in page.text
    steps = page.context["related_history"][0]
    assert steps["title"] == "Các bước xử lý"
    changes = {
        (str(r.history_object), r.history_user.username, c["field"], c["old"], c["new"])
        for r in steps["records"]
        for c in getattr(r, "history_delta_changes", [])
    }
    assert changes == {
        ("2. Bước 2", "admin", "Thời gian (giờ làm việc)", "4", "3"),
        ("3. Bước 3", "admin", "Thời gian (giờ làm việc)", "2", "3"),
    }
    assert '<span class="history-user">admin</span>' in page.text
    assert "<strong>Thời gian (giờ làm việc):</strong> 4 &rarr; 3" in page.text
    assert "Sửa thủ tục 1.000200" in page.text


def test_a_procedure_added_in_the_admin_is_created_through_the_service(admin_client, office):
    template = make_procedure(code="1.000201", units=[office.ward])
    data = procedure_form(template, code="1.000202", name="Thủ tục thêm trong trang quản trị")
    for key in list(data):
        if key.endswith("-id") or key.endswith("-procedure"):
            del data[key]
    data["documents-INITIAL_FORMS"] = data["steps-INITIAL_FORMS"] = "0"
    answer = admin_client.post(reverse("admin:catalog_procedure_add"), data)
    assert answer.status_code == 302, answer.text[:3000]
    added = Procedure.objects.get(code="1.000202")
    assert added.steps.count() == 3 and added.documents.count() == 1
    assert list(added.units.all()) == [office.ward]
    row = added.history.get()
    assert (row.history_type, row.history_user.username) == ("+", "admin")
    assert row.history_change_reason == "Tạo thủ tục 1.000202"
    assert {s.history.get().history_user.username for s in added.steps.all()} == {"admin"}


def test_the_admin_still_refuses_a_second_version_from_the_same_date(admin_client, office):
    first = make_procedure(code="1.000203", effective_from=date(2025, 7, 1))
    second = make_procedure(code="1.000204", effective_from=date(2025, 7, 1))
    page = admin_client.post(
        reverse("admin:catalog_procedure_change", args=[second.pk]),
        procedure_form(second, code=first.code),
    )
    assert page.status_code == 200
    assert "đã tồn tại" in page.text
    assert Procedure.objects.get(pk=second.pk).code == "1.000204"
