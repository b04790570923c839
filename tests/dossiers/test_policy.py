"""One policy and one scope: the rule of who may do what is written once (`dossiers.policy`), and
every face reads the same scope. Each test names a disagreement the faces had before."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from motcua.dossiers import policy
from motcua.dossiers.models import OPEN_STATUSES, ApologyStatus, Dossier, Status, StepStatus
from motcua.dossiers.services import complete_step
from motcua.org.models import Role
from tests.dossiers.helpers import at, receive
from tests.factories import make_procedure, make_staff

pytestmark = pytest.mark.django_db
MONDAY_11 = at(19, 11)


@pytest.fixture
def procedure(office):
    return make_procedure(units=[office.ward], online_mode="full")


@pytest.fixture
def dossier(office, procedure) -> Dossier:
    return receive(office, procedure, now=at(19, 9)).dossier


@pytest.fixture
def city_supervisor(office):
    return make_staff(username="giamsat.tp", roles=[(office.city, Role.SUPERVISOR)])


def test_the_policy_speaks_the_models_values():
    assert set(policy.OPEN) == {str(s) for s in OPEN_STATUSES}
    assert {
        policy.SUBMITTED,
        policy.RECEIVED,
        policy.IN_PROGRESS,
        policy.AWAITING_SUPPLEMENT,
        policy.READY,
        policy.RETURNED,
        policy.REFUSED,
        policy.STOPPED,
    } == set(Status.values)
    assert {policy.STEP_PENDING, policy.STEP_ACTIVE, policy.STEP_PAUSED, policy.STEP_DONE} == set(
        StepStatus.values
    )
    assert {policy.DRAFT, policy.SIGNED} == set(ApologyStatus.values)
    assert {policy.RECEPTIONIST, policy.SPECIALIST, policy.HEAD, policy.LEADER} <= set(Role.values)


def receive_with(client, office, procedure, paper: str):
    """A reception through the API by the ward's desk, handing in one paper."""
    client.force_login(office.receptionist)
    body = {
        "procedure": procedure.code,
        "unit": office.ward.code,
        "applicant": {"name": "Nguyễn Văn An"},
        "documents": [{"name": paper, "copies": 1}],
    }
    return client.post("/api/v1/dossiers", body, content_type="application/json")


def test_a_reception_through_the_api_without_a_mandatory_paper_is_refused_naming_it(
    client, office, procedure
):
    answer = receive_with(client, office, procedure, "Giấy khác")
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert "Tờ khai" in problem["detail"] and "Tờ khai" in str(problem["errors"]["documents"])
    assert not Dossier.objects.exists()


def test_a_paper_is_recognised_whatever_its_case_and_spacing(client, office, procedure):
    answer = receive_with(client, office, procedure, "  tờ   KHAI ")
    assert answer.status_code == 201, answer.text


def test_an_online_submission_without_a_mandatory_paper_is_refused(client, office, procedure):
    answer = client.post(
        "/api/v1/public/dossiers",
        {"procedure": procedure.code, "unit": office.ward.code, "applicant": {"name": "An"}},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert "Tờ khai" in answer.json()["detail"]


@time_machine.travel(MONDAY_11, tick=False)
def test_a_supervisor_of_a_unit_above_reads_the_dossier_on_every_face_and_acts_on_nothing(
    client, office, dossier, city_supervisor
):
    client.force_login(city_supervisor)
    page = client.get(reverse("office:dossier", args=[dossier.code]))
    api = client.get(f"/api/v1/dossiers/{dossier.code}")
    assert page.status_code == 200 and api.status_code == 200
    assert "data-action=" not in page.text
    body = api.json()
    assert body["allowed_actions"] == []
    # without the applicant's personal data: a masked name, nothing else
    assert body["applicant"] == {
        "name": "Ng*** V** A*",
        "id_number": "",
        "phone": "",
        "email": "",
        "address": "",
    }
    assert "001099012345" not in page.text and "0912345678" not in page.text
    assert any(d["code"] == dossier.code for d in client.get("/api/v1/dossiers").json()["items"])
    # the official forms print the personal data: not for them
    assert client.get(f"/api/v1/dossiers/{dossier.code}/forms/receipt").status_code == 404
    assert client.get(reverse("office:form_pdf", args=[dossier.code, "receipt"])).status_code == 404


@time_machine.travel(MONDAY_11, tick=False)
def test_another_units_staff_get_404_on_every_face(client, office, dossier):
    client.force_login(office.outsider)
    assert client.get(reverse("office:dossier", args=[dossier.code])).status_code == 404
    assert client.get(f"/api/v1/dossiers/{dossier.code}").status_code == 404


@time_machine.travel(MONDAY_11, tick=False)
def test_a_step_of_another_dossier_answers_422_on_every_face_and_moves_nothing(
    client, office, procedure, dossier
):
    other = receive(office, procedure, now=at(19, 9, 5)).dossier
    foreign = other.steps.get(order=1).pk
    client.force_login(office.receptionist)
    page = client.post(
        reverse("office:complete_step", args=[dossier.code]),
        {"step": foreign},
        headers={"HX-Request": "true"},
    )
    api = client.post(
        f"/api/v1/dossiers/{dossier.code}/complete-step",
        {"step": foreign},
        content_type="application/json",
    )
    assert page.status_code == api.status_code == 422
    assert "Bước xử lý không thuộc hồ sơ này." in page.text
    assert api.json()["errors"]["step"] == ["Bước xử lý không thuộc hồ sơ này."]
    assert {s.status for s in other.steps.filter(order=1)} == {StepStatus.ACTIVE}
    assert dossier.steps.get(order=1).status == StepStatus.ACTIVE


def test_an_overdue_step_offers_no_button_that_would_fail_and_says_who_unblocks_it(
    client, office, dossier
):
    later = at(19, 9) + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        client.force_login(office.receptionist)
        page = client.get(reverse("office:dossier", args=[dossier.code])).text
        api = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert 'data-action="complete_step"' not in page
    assert "complete_step" not in api["allowed_actions"]
    assert "draft_apology" in api["allowed_actions"]
    assert "đã quá hạn: hồ sơ tạm khóa" in page
    assert office.leader.get_full_name() in page  # who can sign


def test_the_policy_refuses_with_the_same_error_the_service_raises(office, dossier):
    from motcua.dossiers.selectors import actor_facts, facts_of, with_details

    d = with_details(Dossier.objects.filter(pk=dossier.pk)).get()
    refusal = policy.refusal(
        policy.COMPLETE_STEP, facts_of(d), actor_facts(office.head), now=at(19, 10)
    )
    assert refusal is not None and refusal.status == 403
    with pytest.raises(type(refusal), match="Chỉ người được phân công thụ lý"):
        complete_step(dossier_id=dossier.pk, actor=office.head, now=at(19, 10))


def test_the_leaders_desk_offers_no_signature_that_would_be_refused(client, office, dossier):
    from motcua.dossiers.services import draft_apology, sign_apology

    first, second = (
        draft_apology(
            dossier_id=dossier.pk,
            actor=office.receptionist,
            reason=reason,
            new_due_at=at(day, 17),
            now=at(19, 10),
        )
        for reason, day in (("Chờ xác minh", 27), ("Chờ thêm", 28))
    )
    sign_apology(apology_id=first.pk, actor=office.leader, now=at(19, 11))
    with time_machine.travel(at(19, 12), tick=False):
        client.force_login(office.leader)
        page = client.get(reverse("office:apologies")).text
    assert f"/xin-loi/{second.pk}/ky/" not in page
    assert "đã được hẹn lại một lần" in page
