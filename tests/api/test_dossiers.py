"""The staff dossier endpoints of API.md: reception, lists, the dossier and every action."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.access.services import issue_token
from motcua.dossiers.models import Dossier, Event
from tests.factories import make_procedure, with_files

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 1, 19, 9, tzinfo=VN)
BASE = "/api/v1/dossiers"


class Api:
    def __init__(self, client, staff):
        self.client = client
        self.auth = {"Authorization": f"Bearer {issue_token(staff=staff)[0]}"}

    def get(self, path="", params=None):
        return self.client.get(BASE + path, params or {}, headers=self.auth)

    def post(self, path="", body=None, headers=None):
        return self.client.post(
            BASE + path,
            body if body is not None else {},
            content_type="application/json",
            headers={**self.auth, **(headers or {})},
        )


@pytest.fixture(autouse=True)
def _monday(time_machine):
    time_machine.move_to(MONDAY, tick=False)


@pytest.fixture
def procedure(office):
    return make_procedure(units=[office.ward], online_mode="full")


@pytest.fixture
def desk(client, office):
    return Api(client, office.receptionist)


def as_(client, staff):
    return Api(client, staff)


def body(proc, **extra):
    return {
        "procedure": proc.code,
        "unit": "TP.01",
        "channel": "counter",
        "applicant": {
            "name": "Nguyễn Văn An",
            "id_number": "001099012345",
            "phone": "0912345678",
            "email": "an@example.vn",
            "address": "12 Hàng Bạc",
        },
        "green_lane": None,
        "documents": [{"name": "Tờ khai", "copies": 1}],
        "note": "",
        **extra,
    }


def problem_of(answer, status):
    assert answer.status_code == status, answer.content.decode()
    assert answer.headers["Content-Type"] == "application/problem+json"
    data = answer.json()
    assert data["detail"]
    return data


def received(desk, procedure, **extra):
    answer = desk.post(body=body(procedure, **extra))
    assert answer.status_code == 201, answer.content.decode()
    return answer.json()


# ------------------------------------------------------------------------------------- create
def test_a_dossier_is_received_with_its_appointment_in_plus_seven(desk, procedure):
    data = received(desk, procedure)
    assert data["code"] == "TP.01-260119-0001"
    assert data["status"] == "received" and data["channel"] == "counter"
    assert data["procedure"] == {"code": procedure.code, "name": procedure.name}
    assert data["received_at"] == "2026-01-19T09:00:00+07:00"
    assert data["due_at"] == data["original_due_at"] == "2026-01-22T17:00:00+07:00"
    assert data["timeliness"] is None and data["overdue"] is False
    assert len(data["lookup_secret"]) == 14
    assert data["applicant"]["id_number"] == "001099012345"
    assert data["current_step"]["order"] == 1
    assert data["current_step"]["assignee"] == "tiepnhan"
    assert data["current_step"]["due_at"] == "2026-01-19T11:00:00+07:00"
    assert [s["status"] for s in data["steps"]] == ["active", "pending", "pending"]
    assert data["events"][0]["kind"] == "received" and data["events"][0]["actor"] == "tiepnhan"
    again = desk.get(f"/{data['code']}").json()
    assert again["lookup_secret"] is None
    assert again == {**data, "lookup_secret": None}  # the answer built at reception is the same


def test_a_replayed_reception_answers_like_the_first(desk, procedure):
    key = {"Idempotency-Key": "ca2f1c1e-2b6f-4a1e-9d55-0d3a7b1f4c21"}
    first = desk.post(body=body(procedure, green_lane="investment"), headers=key).json()
    again = desk.post(body=body(procedure, green_lane="investment"), headers=key).json()
    assert again == first and first["green_lane"] == "investment"


def test_unknown_procedure_or_unit_and_not_offered_are_422(desk, office, procedure):
    assert problem_of(desk.post(body=body(procedure, procedure="0.000000")), 422)["errors"] == {
        "procedure": ["Không có thủ tục mã 0.000000 trong danh mục."]
    }
    assert "unit" in problem_of(desk.post(body=body(procedure, unit="XX")), 422)["errors"]
    elsewhere = make_procedure(units=[office.other_ward])
    data = problem_of(desk.post(body=body(elsewhere)), 422)
    assert data["code"] == "procedure_not_offered"


def test_a_time_without_offset_is_422(desk, procedure):
    data = problem_of(
        desk.post(body=body(procedure, received_at="2026-01-19T08:00:00", received_at_reason="x")),
        422,
    )
    assert "received_at" in data["errors"]


def test_a_backdated_reception_needs_a_reason_and_a_past_time(desk, procedure):
    past = "2026-01-12T09:00:00+07:00"
    assert (
        "received_at_reason"
        in problem_of(desk.post(body=body(procedure, received_at=past)), 422)["errors"]
    )
    future = "2026-01-19T10:00:00+07:00"
    assert (
        "received_at"
        in problem_of(
            desk.post(body=body(procedure, received_at=future, received_at_reason="x")), 422
        )["errors"]
    )
    data = received(desk, procedure, received_at=past, received_at_reason="Mất mạng")
    assert data["code"] == "TP.01-260112-0001" and data["overdue"] is True


def test_a_role_that_may_not_receive_is_told_who_can(client, office, procedure):
    data = problem_of(as_(client, office.specialist).post(body=body(procedure)), 403)
    assert "Công chức Bộ phận Một cửa của Phường Hoàn Kiếm Thử" in data["detail"]
    problem_of(as_(client, office.outsider).post(body=body(procedure)), 403)


def test_bad_input_is_422_with_the_fields(desk, procedure):
    data = problem_of(desk.post(body={"procedure": procedure.code}), 422)
    assert {"unit", "applicant"} <= set(data["errors"])
    data = problem_of(desk.post(body=body(procedure, green_lane="vip")), 422)
    assert "green_lane" in data["errors"]
    data = problem_of(desk.post(body=body(procedure, applicant={"name": "A", "email": "x@"})), 422)
    assert "applicant.email" in data["errors"]


def test_a_body_that_is_not_json_is_refused_not_a_500(client, office, desk):
    answer = client.post(BASE, "{not json", content_type="application/json", headers=desk.auth)
    assert answer.status_code in (400, 422)


def test_the_same_idempotency_key_and_body_give_the_first_dossier_again(desk, procedure):
    key = {"Idempotency-Key": "9b0a6f8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"}
    first = desk.post(body=body(procedure), headers=key)
    again = desk.post(body=body(procedure), headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["code"] == again.json()["code"]
    assert first.json()["lookup_secret"] == again.json()["lookup_secret"]
    assert Dossier.objects.count() == 1
    other = desk.post(body=body(procedure, note="khác"), headers=key)
    assert problem_of(other, 422)["code"] == "idempotency_key_reused"
    assert Dossier.objects.count() == 1


# --------------------------------------------------------------------------------------- read
def test_lists_are_scoped_ordered_and_paged(client, desk, office, procedure):
    plain = received(desk, procedure)
    green = received(desk, procedure, green_lane="investment")
    data = desk.get(params={"limit": 10}).json()
    assert data["count"] == 2
    assert [i["code"] for i in data["items"]] == [green["code"], plain["code"]]
    assert "events" not in data["items"][0]
    assert desk.get(params={"green_lane": "true"}).json()["count"] == 1
    assert (
        desk.get(params={"status": "received", "offset": 1}).json()["items"][0]["code"]
        == (plain["code"])
    )
    assert as_(client, office.outsider).get().json() == {"count": 0, "items": []}
    assert desk.get(params={"assignee": "me"}).json()["count"] == 2
    assert desk.get(params={"received_from": "2026-01-20"}).json()["count"] == 0
    assert desk.get(params={"overdue": "true"}).json()["count"] == 0


def test_list_filters_are_checked(desk):
    assert "limit" in problem_of(desk.get(params={"limit": 501}), 422)["errors"]
    assert "status" in problem_of(desk.get(params={"status": "lost"}), 422)["errors"]
    assert (
        "received_from" in problem_of(desk.get(params={"received_from": "hôm qua"}), 422)["errors"]
    )
    assert desk.get(params={"assignee": "khong-ai"}).json()["count"] == 0  # no account oracle


def test_another_units_dossier_is_404_not_403(client, desk, office, procedure):
    code = received(desk, procedure)["code"]
    outsider = as_(client, office.outsider)
    assert problem_of(outsider.get(f"/{code}"), 404)["code"] == "not_found"
    for action, payload in (
        ("assign", {"assignee": "chuyenvien"}),
        ("complete-step", {}),
        ("stop", {"reason": "x"}),
    ):
        problem_of(outsider.post(f"/{code}/{action}", payload), 404)
    problem_of(desk.get("/TP.01-000000-0000"), 404)


def test_a_list_page_costs_a_bounded_number_of_queries(
    desk, procedure, django_assert_max_num_queries
):
    for _ in range(5):
        received(desk, procedure)
    # 13: one of them reads the payments of the page's dossiers (API.md 2026-12, "Fees")
    with django_assert_max_num_queries(13):
        assert len(desk.get(params={"limit": 500}).json()["items"]) == 5


# ------------------------------------------------------------------------------------ actions
def test_the_steps_run_through_the_api_to_the_result(client, desk, office, procedure, time_machine):
    code = received(desk, procedure)["code"]
    time_machine.move_to(datetime(2026, 1, 19, 10, tzinfo=VN), tick=False)
    data = desk.post(f"/{code}/complete-step", {"note": "Đã chuyển"}).json()
    assert data["status"] == "in_progress" and data["current_step"]["order"] == 2
    head = as_(client, office.head)
    data = head.post(f"/{code}/assign", {"assignee": "chuyenvien"}).json()
    assert data["current_step"]["assignee"] == "chuyenvien"
    specialist = as_(client, office.specialist)
    assert specialist.post(f"/{code}/complete-step", {}).status_code == 200
    data = as_(client, office.leader).post(f"/{code}/complete-step", {}).json()
    assert (data["status"], data["outcome"], data["timeliness"]) == ("ready", "approved", "early")
    assert data["ready_at"] == "2026-01-19T10:00:00+07:00"
    data = desk.post(f"/{code}/return").json()
    assert data["status"] == "returned"
    kinds = [e["kind"] for e in data["events"]]
    assert kinds == [
        "received",
        "step_completed",
        "step_assigned",
        "step_completed",
        "step_completed",
        "returned",
    ]


def test_completing_a_step_twice_is_409_step_already_finished(desk, procedure):
    data = received(desk, procedure)
    step = data["current_step"]["id"]
    assert desk.post(f"/{data['code']}/complete-step", {"step": step}).status_code == 200
    answer = desk.post(f"/{data['code']}/complete-step", {"step": step})
    assert problem_of(answer, 409)["code"] == "step_already_finished"
    assert (
        "step"
        in problem_of(desk.post(f"/{data['code']}/complete-step", {"step": 0}), 422)["errors"]
    )


def test_who_may_act_is_said_in_the_403(client, desk, office, procedure):
    code = received(desk, procedure)["code"]
    data = problem_of(as_(client, office.specialist).post(f"/{code}/complete-step", {}), 403)
    assert "Công chức Bộ phận Một cửa" in data["detail"]
    data = problem_of(as_(client, office.leader).post(f"/{code}/assign", {"assignee": "x"}), 403)
    assert "Lãnh đạo phòng" in data["detail"]
    data = problem_of(as_(client, office.head).post(f"/{code}/assign", {"assignee": "khong"}), 422)
    assert "assignee" in data["errors"]


def test_return_step_needs_its_reason(desk, procedure, time_machine):
    code = received(desk, procedure)["code"]
    desk.post(f"/{code}/complete-step", {})
    assert "note" in problem_of(desk.post(f"/{code}/return-step", {}), 422)["errors"]


def test_a_late_step_needs_the_leaders_signed_apology(client, desk, office, procedure):
    code = received(
        desk,
        procedure,
        received_at="2026-01-12T09:00:00+07:00",
        received_at_reason="Nhập từ sổ giấy",
    )["code"]
    data = problem_of(desk.post(f"/{code}/complete-step", {}), 409)
    assert data["code"] == "apology_required"
    specialist = as_(client, office.specialist)
    answer = specialist.post(
        f"/{code}/apologies",
        {
            "reason": "Mất kết nối",
            "explanation": "Nhập chậm",
            "new_due_at": "2026-01-23T17:00:00+07:00",
        },
    )
    assert answer.status_code == 201, answer.content.decode()
    apology = answer.json()
    assert apology["status"] == "draft" and apology["drafted_by"] == "chuyenvien"
    sign = f"/{code}/apologies/{apology['id']}/sign"
    assert "Lãnh đạo đơn vị" in problem_of(specialist.post(sign), 403)["detail"]
    signed = as_(client, office.leader).post(sign)
    assert signed.status_code == 200
    assert signed.json()["signed_by"] == "lanhdao" and signed.json()["extension_applied"]
    data = desk.post(f"/{code}/complete-step", {}).json()
    assert data["due_at"] == "2026-01-23T17:00:00+07:00"
    assert data["original_due_at"] == "2026-01-15T17:00:00+07:00"
    again = specialist.post(
        f"/{code}/apologies", {"reason": "Lần hai", "new_due_at": "2026-01-30T17:00:00+07:00"}
    )
    assert problem_of(again, 409)["code"] == "extension_already_used"
    assert problem_of(as_(client, office.leader).post(sign), 409)["code"] == (
        "apology_already_signed"
    )
    problem_of(as_(client, office.leader).post(f"/{code}/apologies/999999/sign"), 404)
    bad = specialist.post(f"/{code}/apologies", {"reason": "x", "new_due_at": "2026-02-01"})
    assert "new_due_at" in problem_of(bad, 422)["errors"]


def test_a_supplement_request_pauses_and_the_supplement_resumes(
    client, desk, office, procedure, time_machine
):
    code = received(desk, procedure)["code"]
    answer = desk.post(f"/{code}/supplement-requests", {"items": ["Bản sao CCCD"], "note": "?"})
    assert answer.status_code == 200, answer.content.decode()
    assert answer.json()["status"] == "awaiting_supplement"
    assert answer.json()["current_step"]["status"] == "paused"
    assert problem_of(desk.post(f"/{code}/complete-step", {}), 409)["code"] == (
        "awaiting_supplement"
    )
    assert (
        "items"
        in problem_of(desk.post(f"/{code}/supplement-requests", {"items": []}), 422)["errors"]
    )
    time_machine.move_to(datetime(2026, 1, 20, 9, tzinfo=VN), tick=False)
    desk = as_(client, office.receptionist)  # a new day, a new token
    data = desk.post(f"/{code}/supplements", {"note": "Đã nhận"}).json()
    assert data["status"] == "received"
    assert data["due_at"] == "2026-01-23T17:00:00+07:00"  # + 8 working hours (a whole day)
    assert data["supplement_requests"][0]["answered_at"] == "2026-01-20T09:00:00+07:00"
    assert problem_of(desk.post(f"/{code}/supplements", {}), 409)["code"] == (
        "no_supplement_pending"
    )


def test_online_submissions_are_accepted_or_refused_at_the_desk(client, desk, office, procedure):
    public = client.post(
        "/api/v1/public/dossiers",
        {k: v for k, v in body(procedure).items() if k != "channel"},
        content_type="application/json",
    ).json()
    code = public["code"]
    with_files(Dossier.objects.get(code=code))  # the files of the papers
    data = desk.get(f"/{code}").json()
    assert data["status"] == "submitted" and data["due_at"] is None
    assert problem_of(as_(client, office.specialist).post(f"/{code}/accept"), 403)
    data = desk.post(f"/{code}/accept").json()
    assert data["status"] == "received" and data["due_at"] == "2026-01-22T17:00:00+07:00"
    assert problem_of(desk.post(f"/{code}/accept"), 409)["code"] == "invalid_status"
    second = client.post(
        "/api/v1/public/dossiers",
        {k: v for k, v in body(procedure).items() if k != "channel"},
        content_type="application/json",
    ).json()["code"]
    assert "reason" in problem_of(desk.post(f"/{second}/refuse", {}), 422)["errors"]
    data = desk.post(f"/{second}/refuse", {"reason": "Sai thẩm quyền"}).json()
    assert data["status"] == "refused"


def test_refusing_in_processing_issues_the_not_eligible_result(desk, procedure):
    code = received(desk, procedure)["code"]
    data = desk.post(f"/{code}/refuse", {"reason": "Không đủ điều kiện"}).json()
    assert (data["status"], data["outcome"]) == ("ready", "not_eligible")


def test_stopping_after_the_result_is_409(desk, procedure):
    code = received(desk, procedure)["code"]
    data = desk.post(f"/{code}/stop", {"reason": "Công dân rút hồ sơ"}).json()
    assert data["status"] == "stopped"
    other = received(desk, procedure)["code"]
    desk.post(f"/{other}/refuse", {"reason": "Không đủ điều kiện"})
    assert problem_of(desk.post(f"/{other}/stop", {"reason": "rút"}), 409)["code"] == (
        "decision_already_issued"
    )
    assert problem_of(desk.post(f"/{other}/return-step", {"note": "?"}), 409)


def test_every_action_writes_exactly_one_event(desk, procedure):
    code = received(desk, procedure)["code"]
    before = Event.objects.count()
    desk.post(f"/{code}/complete-step", {})
    desk.post(f"/{code}/complete-step", {})  # refused: the specialist's step
    assert Event.objects.count() == before + 1


def test_the_openapi_document_describes_every_answer(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    create = paths["/api/v1/dossiers"]["post"]["responses"]
    assert {"201", "401", "403", "422"} <= set(create)
    complete = paths["/api/v1/dossiers/{code}/complete-step"]["post"]["responses"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(complete)
    for action in (
        "assign",
        "return-step",
        "supplement-requests",
        "supplements",
        "apologies",
        "accept",
        "refuse",
        "return",
        "stop",
    ):
        assert f"/api/v1/dossiers/{{code}}/{action}" in paths
    assert "/api/v1/dossiers/{code}/apologies/{apology_id}/sign" in paths


def test_text_with_a_nul_character_is_422_and_a_nul_code_is_404(desk, procedure):
    answer = desk.post(body=body(procedure, applicant={"name": "An\u0000"}))
    assert "applicant.name" in problem_of(answer, 422)["errors"]
    problem_of(desk.get("/TP.01%00"), 404)
    assert "unit" in problem_of(desk.get(params={"unit": "TP\u0000"}), 422)["errors"]
