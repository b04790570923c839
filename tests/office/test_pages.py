import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_procedure

pytestmark = pytest.mark.django_db


def test_the_login_page_speaks_vietnamese(client):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Đăng nhập" in page.text and "Mật khẩu" in page.text


def test_the_leader_logs_in_and_sees_the_ward_and_the_role(client, office):
    answer = client.post(reverse("login"), {"username": "lanhdao", "password": PASSWORD})
    assert answer.status_code == 302
    home = client.get(answer.headers["Location"])
    assert home.status_code == 200
    assert "Phường Hoàn Kiếm Thử" in home.text
    assert "Lãnh đạo đơn vị" in home.text


def test_a_wrong_password_says_what_to_do_in_vietnamese(client, office):
    page = client.post(reverse("login"), {"username": "lanhdao", "password": "sai"})
    assert page.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.text
    assert "quản trị viên" in page.text


def test_an_outsider_sees_only_their_own_unit(client, office):
    client.force_login(office.outsider)
    home = client.get(reverse("office:home"))
    assert "Phường Ba Đình Thử" in home.text
    assert "Phường Hoàn Kiếm Thử" not in home.text


def test_the_staff_home_needs_a_login(client):
    answer = client.get(reverse("office:home"))
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(reverse("login"))


def test_a_person_without_roles_is_told_who_can_give_one(client, db):
    from tests.factories import make_staff

    client.force_login(make_staff())
    home = client.get(reverse("office:home"))
    assert "chưa được giao vai trò" in home.text


def test_healthz_is_liveness_only(client, db):
    """The database is /readyz's business (tests/ops/test_readiness.py)."""
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def test_staff_without_admin_access_cannot_open_the_admin(client, office):
    client.force_login(office.leader)
    answer = client.get("/admin/")
    assert answer.status_code == 302
    assert "/admin/login/" in answer.headers["Location"]


def test_switching_to_english_works(client, office):
    client.force_login(office.leader)
    client.post("/i18n/setlang/", {"language": "en", "next": "/can-bo/"})
    home = client.get(reverse("office:home"))
    assert "Your units and roles" in home.text


def test_the_admin_refuses_steps_that_do_not_add_up_with_a_clear_message(admin_client, office):
    procedure = make_procedure(units=[office.ward], hours=("2", "4", "2"))
    url = reverse("admin:catalog_procedure_change", args=[procedure.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "code": procedure.code,
            "name": procedure.name,
            "field": procedure.field_id,
            "effective_from": "2025-07-01",
            "legal_working_days": "3",
            "target_working_hours": "8",
            "deadline_mode": "day",
            "supplement_policy": "pause",
            "online_mode": "none",
            "fee": "0",
            "units": [office.ward.pk],
        }
    )
    docs = list(procedure.documents.all())
    steps = list(procedure.steps.all())
    data.update(
        {
            "documents-TOTAL_FORMS": len(docs),
            "documents-INITIAL_FORMS": len(docs),
            "steps-TOTAL_FORMS": len(steps),
            "steps-INITIAL_FORMS": len(steps),
        }
    )
    for i, d in enumerate(docs):
        data.update(
            {
                f"documents-{i}-id": d.pk,
                f"documents-{i}-procedure": procedure.pk,
                f"documents-{i}-order": d.order,
                f"documents-{i}-name": d.name,
                f"documents-{i}-form": d.form,
                f"documents-{i}-copies": d.copies,
                f"documents-{i}-mandatory": "on",
            }
        )
    for i, s in enumerate(steps):
        data.update(
            {
                f"steps-{i}-id": s.pk,
                f"steps-{i}-procedure": procedure.pk,
                f"steps-{i}-order": s.order,
                f"steps-{i}-name": s.name,
                f"steps-{i}-role": s.role,
                f"steps-{i}-duration_working_hours": "5"
                if i == 1
                else str(s.duration_working_hours),
            }
        )
    page = admin_client.post(url, data)
    assert page.status_code == 200  # the form again, with the message; not a 500
    assert "Tổng thời gian các bước là 9 giờ làm việc" in page.text
    assert procedure.steps.get(order=2).duration_working_hours == 4  # nothing changed

    data["steps-1-duration_working_hours"] = "4"
    saved = admin_client.post(url, data)
    assert saved.status_code == 302
