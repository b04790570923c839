"""The dossier page and its actions: each action posts to its own URL and answers with the
refreshed fragment (htmx) or a redirect; refusals carry the service's reason and status."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.models import Apology, Dossier, StepStatus
from tests.dossiers.helpers import APPLICANT, at, receive
from tests.factories import make_procedure, make_staff, papers, with_files

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def procedure(office):
    """3 working days; steps 2 h (receptionist), 4 h (specialist), 2 h (leader)."""
    return make_procedure(
        units=[office.ward], name="Đăng ký khai sinh thử nghiệm", online_mode="full"
    )


@pytest.fixture
def dossier(office, procedure) -> Dossier:
    """Received Monday 19/01/2026 09:00; step 1 (desk, 2 h) open, assigned to the receptionist."""
    return receive(office, procedure, now=at(19, 9)).dossier


@pytest.fixture
def at_specialist(office, dossier) -> Dossier:
    """Step 1 done at 10:00; step 2 (specialist, 4 h) due 19/01 15:00."""
    step = dossier.steps.get(order=1)
    services.complete_step(step_id=step.pk, actor=office.receptionist, now=at(19, 10))
    return dossier


def url(name: str, dossier: Dossier, **kwargs) -> str:
    return reverse(f"office:{name}", kwargs={"code": dossier.code, **kwargs})


def current(dossier: Dossier):
    return dossier.steps.filter(status__in=["active", "paused"]).order_by("order").first()


# ------------------------------------------------------------------------------------ page
@time_machine.travel(at(19, 9, 30), tick=False)
def test_the_page_shows_the_applicant_the_steps_and_the_events(client, office, dossier):
    client.force_login(office.receptionist)
    page = client.get(url("dossier", dossier))
    assert page.status_code == 200
    text = page.text
    assert dossier.code in text
    assert "Nguyễn Văn An" in text and APPLICANT.id_number in text
    assert "Đăng ký khai sinh thử nghiệm" in text
    assert "Bước 1" in text and "Bước 2" in text and "Bước 3" in text
    assert "Tiếp nhận" in text  # the event
    assert "còn 1 giờ 30 phút" in text  # step 1 due 11:00
    assert "Hoàn thành bước “Bước 1”" in text
    assert reverse("office:form_pdf", kwargs={"code": dossier.code, "form": "receipt"}) in text


@time_machine.travel(at(19, 9, 30), tick=False)
def test_another_units_person_gets_404_on_the_page_and_on_every_action(client, office, dossier):
    client.force_login(office.outsider)
    assert client.get(url("dossier", dossier)).status_code == 404
    step = current(dossier)
    assert client.post(url("complete_step", dossier), {"step": step.pk}).status_code == 404
    assert client.post(url("refuse", dossier), {"reason": "x"}).status_code == 404
    assert client.post(url("stop", dossier), {"reason": "x"}).status_code == 404
    form = reverse("office:form_pdf", kwargs={"code": dossier.code, "form": "receipt"})
    assert client.get(form).status_code == 404
    assert current(dossier).status == StepStatus.ACTIVE


@time_machine.travel(at(19, 9, 30), tick=False)
def test_a_role_without_the_action_sees_no_button_and_a_forged_post_gets_403(
    client, office, dossier
):
    client.force_login(office.supervisor)
    page = client.get(url("dossier", dossier))
    assert page.status_code == 200
    assert "Hoàn thành bước" not in page.text
    assert "Thao tác" not in page.text
    step = current(dossier)
    forged = client.post(url("complete_step", dossier), {"step": step.pk}, **HX)
    assert forged.status_code == 403
    assert "Chỉ người được phân công thụ lý" in forged.text
    assert client.post(url("refuse", dossier), {"reason": "Giả mạo"}).status_code == 403
    assert client.post(url("stop", dossier), {"reason": "Giả mạo"}).status_code == 403
    assert current(dossier).pk == step.pk


@time_machine.travel(at(19, 10), tick=False)
def test_completing_a_step_answers_the_refreshed_fragment_for_htmx(client, office, dossier):
    client.force_login(office.receptionist)
    step = current(dossier)
    answer = client.post(
        url("complete_step", dossier), {"step": step.pk, "note": "Đủ giấy tờ"}, **HX
    )
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<div id="dossier"')
    assert "<html" not in answer.text
    assert "Đã hoàn thành bước" in answer.text
    assert current(dossier).order == 2


@time_machine.travel(at(19, 10), tick=False)
def test_without_htmx_an_action_redirects_to_the_full_page(client, office, dossier):
    client.force_login(office.receptionist)
    answer = client.post(url("complete_step", dossier), {"step": current(dossier).pk})
    assert answer.status_code == 303
    assert answer.headers["Location"] == url("dossier", dossier)
    page = client.get(answer.headers["Location"])
    assert "Đã hoàn thành bước" in page.text


@time_machine.travel(at(19, 11), tick=False)
def test_a_specialist_completes_their_step(client, office, at_specialist):
    client.force_login(office.specialist)
    page = client.get(url("dossier", at_specialist))
    assert "Hoàn thành bước “Bước 2”" in page.text
    answer = client.post(
        url("complete_step", at_specialist), {"step": current(at_specialist).pk}, **HX
    )
    assert answer.status_code == 200
    assert current(at_specialist).order == 3


@time_machine.travel(at(19, 11), tick=False)
def test_a_step_already_moved_on_is_refused_with_409(client, office, at_specialist):
    client.force_login(office.receptionist)
    old = at_specialist.steps.get(order=1)
    answer = client.post(url("complete_step", at_specialist), {"step": old.pk}, **HX)
    assert answer.status_code == 409
    assert "đã hoàn thành" in answer.text


@time_machine.travel(at(19, 11), tick=False)
def test_a_step_of_another_dossier_is_bad_input_as_in_the_api(
    client, office, procedure, at_specialist
):
    other = receive(office, procedure, now=at(19, 9, 5)).dossier
    client.force_login(office.receptionist)
    answer = client.post(url("complete_step", at_specialist), {"step": current(other).pk})
    assert answer.status_code == 422
    assert "Bước xử lý không thuộc hồ sơ này." in answer.text


@time_machine.travel(at(19, 11), tick=False)
def test_bad_input_answers_422_with_a_message(client, office, at_specialist):
    client.force_login(office.specialist)
    answer = client.post(
        url("return_step", at_specialist), {"step": current(at_specialist).pk, "note": ""}, **HX
    )
    assert answer.status_code == 422
    assert "Hãy sửa các ô được đánh dấu" in answer.text
    assert current(at_specialist).order == 2


@time_machine.travel(at(19, 11), tick=False)
def test_returning_a_step_sends_the_dossier_back(client, office, at_specialist):
    client.force_login(office.specialist)
    answer = client.post(
        url("return_step", at_specialist),
        {"step": current(at_specialist).pk, "note": "Thiếu chữ ký trên tờ khai"},
        **HX,
    )
    assert answer.status_code == 200
    assert current(at_specialist).order == 1


# --------------------------------------------------------------------------- the apology gate
@time_machine.travel(at(20, 9), tick=False)
def test_an_overdue_step_shows_the_gate_and_who_must_act(client, office, at_specialist):
    client.force_login(office.specialist)
    page = client.get(url("dossier", at_specialist))
    assert "đã quá hạn: hồ sơ tạm khóa" in page.text
    assert "Trần Văn Lãnh" in page.text  # the leader who can sign
    assert "quá hạn 3 giờ" in page.text  # due 19/01 15:00: 15-17 and 8-9 on 20/01
    refused = client.post(
        url("complete_step", at_specialist), {"step": current(at_specialist).pk}, **HX
    )
    assert refused.status_code == 409
    assert "Lãnh đạo đơn vị ký phiếu" in refused.text
    assert 'role="alert"' in refused.text


@time_machine.travel(at(20, 9), tick=False)
def test_the_apology_flow_opens_the_gate(client, office, at_specialist):
    client.force_login(office.specialist)
    drafted = client.post(
        url("draft_apology", at_specialist),
        {"reason": "Chờ xác minh của Công an phường", "explanation": "Đã gửi văn bản ngày 19/01"},
        **HX,
    )
    assert drafted.status_code == 200
    apology = Apology.objects.get(dossier=at_specialist)
    assert "Đã có giải trình" in drafted.text
    assert "Ký phiếu xin lỗi" not in drafted.text  # the specialist cannot sign
    forged = client.post(url("sign_apology", at_specialist, apology_id=apology.pk), **HX)
    assert forged.status_code == 403
    assert "Lãnh đạo đơn vị" in forged.text

    client.force_login(office.leader)
    waiting = client.get(reverse("office:apologies"))
    assert at_specialist.code in waiting.text
    signed = client.post(
        url("sign_apology", at_specialist, apology_id=apology.pk),
        {"next": reverse("office:apologies")},
    )
    assert signed.status_code == 303
    assert signed.headers["Location"] == reverse("office:apologies")
    assert at_specialist.code not in client.get(reverse("office:apologies")).text

    client.force_login(office.specialist)
    page = client.get(url("dossier", at_specialist))
    assert "hồ sơ tạm khóa" not in page.text
    done = client.post(
        url("complete_step", at_specialist), {"step": current(at_specialist).pk}, **HX
    )
    assert done.status_code == 200
    assert current(at_specialist).order == 3


@time_machine.travel(at(20, 9), tick=False)
def test_the_apology_page_is_for_leaders(client, office):
    client.force_login(office.specialist)
    assert client.get(reverse("office:apologies")).status_code == 403


@time_machine.travel(at(20, 9), tick=False)
def test_a_new_appointment_in_the_past_is_refused_with_the_reason(client, office, at_specialist):
    client.force_login(office.specialist)
    answer = client.post(
        url("draft_apology", at_specialist),
        {"reason": "Chậm", "new_due_at": "2026-01-19T10:00"},
        **HX,
    )
    assert answer.status_code == 422
    assert "Ngày hẹn mới phải sau" in answer.text


# ------------------------------------------------------------------------ other actions
@time_machine.travel(at(19, 11), tick=False)
def test_the_head_assigns_the_step(client, office, at_specialist):
    other = make_staff(username="chuyenvien2", roles=[(office.ward, "specialist")])
    client.force_login(office.head)
    page = client.get(url("dossier", at_specialist))
    assert "Phân công thụ lý" in page.text and "chuyenvien2" in page.text
    answer = client.post(
        url("assign", at_specialist),
        {"step": current(at_specialist).pk, "assignee": "chuyenvien2"},
        **HX,
    )
    assert answer.status_code == 200
    assert current(at_specialist).assignee == other


@time_machine.travel(at(19, 11), tick=False)
def test_a_supplement_pauses_the_dossier_and_its_receipt_resumes_it(client, office, at_specialist):
    client.force_login(office.specialist)
    answer = client.post(
        url("request_supplement", at_specialist),
        {"items": "Bản sao giấy chứng sinh\nGiấy xác nhận cư trú", "note": "Thiếu"},
        **HX,
    )
    assert answer.status_code == 200
    assert "Tạm dừng" in answer.text
    at_specialist.refresh_from_db()
    assert at_specialist.status == "awaiting_supplement"
    again = client.post(url("receive_supplement", at_specialist), {"note": "Đã nộp đủ"}, **HX)
    assert again.status_code == 200
    at_specialist.refresh_from_db()
    assert at_specialist.status == "in_progress"


@time_machine.travel(at(19, 11), tick=False)
def test_the_desk_stops_a_dossier_on_request_and_the_reason_is_required(
    client, office, at_specialist
):
    client.force_login(office.receptionist)
    assert client.post(url("stop", at_specialist), {"reason": ""}, **HX).status_code == 422
    answer = client.post(url("stop", at_specialist), {"reason": "Người nộp rút hồ sơ"}, **HX)
    assert answer.status_code == 200
    at_specialist.refresh_from_db()
    assert at_specialist.status == "stopped"
    assert "Dừng giải quyết theo đề nghị" not in answer.text  # no more button


@time_machine.travel(at(19, 11), tick=False)
def test_an_online_submission_is_accepted_at_the_desk(client, office, procedure):
    created = services.submit_online(
        procedure_code=procedure.code,
        documents=papers(procedure),
        unit_code=office.ward.code,
        applicant=APPLICANT,
        now=at(19, 8),
    )
    dossier = with_files(created.dossier)
    client.force_login(office.specialist)
    assert "Tiếp nhận hồ sơ</button>" not in client.get(url("dossier", dossier)).text
    assert client.post(url("accept", dossier)).status_code == 403
    client.force_login(office.receptionist)
    assert "Tiếp nhận hồ sơ</button>" in client.get(url("dossier", dossier)).text
    answer = client.post(url("accept", dossier), **HX)
    assert answer.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == "received"


@time_machine.travel(at(19, 11), tick=False)
def test_a_result_is_returned_to_the_applicant(client, office, at_specialist):
    services.complete_step(step_id=current(at_specialist).pk, actor=office.specialist)
    services.complete_step(step_id=current(at_specialist).pk, actor=office.leader)
    at_specialist.refresh_from_db()
    assert at_specialist.status == "ready"
    client.force_login(office.receptionist)
    answer = client.post(url("return_result", at_specialist), **HX)
    assert answer.status_code == 200
    at_specialist.refresh_from_db()
    assert at_specialist.status == "returned"


# ------------------------------------------------------------------------- personal data
@time_machine.travel(at(19, 11), tick=False)
def test_a_city_supervisor_sees_the_dossier_without_personal_data(client, office, dossier):
    city_supervisor = make_staff(username="giamsatthanhpho", roles=[(office.city, "supervisor")])
    client.force_login(city_supervisor)
    page = client.get(url("dossier", dossier))
    assert page.status_code == 200
    assert "Nguyễn Văn An" not in page.text
    assert "Ng***" in page.text
    assert APPLICANT.id_number not in page.text and APPLICANT.phone not in page.text
    assert "Thao tác" not in page.text


# --------------------------------------------------------------------------- bounded queries
@time_machine.travel(at(19, 11), tick=False)
def test_the_page_issues_a_bounded_number_of_queries(
    client, office, at_specialist, django_assert_max_num_queries
):
    client.force_login(office.head)
    client.get(url("dossier", at_specialist))  # warm the calendar cache
    with django_assert_max_num_queries(25):
        assert client.get(url("dossier", at_specialist)).status_code == 200
