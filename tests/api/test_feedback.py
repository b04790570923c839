"""The feedback API: the staff queue (/api/v1/feedback), the citizen's form and look-up
(/api/v1/public/feedback) and the focal points (/api/v1/public/focal-points).

Every staff endpoint: the happy path, the outsider (404) and bad input (4xx with a message)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import get_args

import pytest
import time_machine

from motcua.api.feedback import CategoryName, ChannelName, StatusName
from motcua.dossiers.models import Event
from motcua.feedback.models import Category, Channel, Feedback, Status
from motcua.org.models import FocalPoint
from tests.feedback.factories import MONDAY_9, make_dossier

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)
API = "/api/v1/feedback"
PUBLIC = "/api/v1/public/feedback"


def post(client, url, body=None, **headers):
    return client.post(
        url, json.dumps(body or {}), content_type="application/json", headers=headers
    )


def hotline_call(client, office, **overrides):
    client.force_login(office.receptionist)
    body = {
        "channel": "hotline",
        "received_at": "2026-03-02T09:00:00+07:00",
        "content": "Hồ sơ làn xanh của công ty tôi đã trễ hẹn 5 ngày.",
        "name": "Nguyễn Văn Gọi",
        "phone": "0912345678",
        "email": "",
    }
    body.update(overrides)
    answer = post(client, API, body)
    assert answer.status_code == 201, answer.content
    return answer.json()


def routed(client, office, **overrides):
    item = hotline_call(client, office, **overrides)
    client.force_login(office.supervisor)
    answer = post(
        client,
        f"{API}/{item['id']}/classify",
        {"category": "delay", "in_scope": True, "unit": "TP.01"},
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def assert_problem(answer, status, *fragments):
    assert answer.status_code == status, answer.content
    assert answer.headers["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == status and body["detail"]
    for fragment in fragments:
        assert fragment in json.dumps(body, ensure_ascii=False)
    return body


def test_the_schema_enumerations_are_the_models_choices():
    assert set(get_args(ChannelName)) == set(Channel.values)
    assert set(get_args(CategoryName)) == set(Category.values)
    assert set(get_args(StatusName)) == set(Status.values)


# ------------------------------------------------------------------------------ the acceptance
def test_a_green_lane_hotline_call_is_classified_delay_routed_timelined_and_overdue(client, office):
    dossier = make_dossier(unit=office.ward, green_lane=True)
    item = hotline_call(client, office, dossier_code=dossier.code)
    assert item["channel"] == "hotline" and item["status"] == "new"
    assert item["received_at"] == "2026-03-02T09:00:00+07:00"
    assert item["entered_by"] == "tiepnhan" and item["dossier_code"] == dossier.code

    client.force_login(office.supervisor)
    with time_machine.travel(MONDAY_9 + H, tick=False):
        body = post(
            client, f"{API}/{item['id']}/classify", {"category": "delay", "in_scope": True}
        ).json()
    assert body["category"] == "delay" and body["in_scope"] is True
    assert body["unit"] == "TP.01" and body["green_lane"] is True
    assert body["respond_by"] == "2026-03-04T09:00:00+07:00"
    assert Event.objects.filter(dossier=dossier, kind="feedback").exists()

    with time_machine.travel(MONDAY_9 + 47 * H, tick=False):
        assert client.get(API, {"overdue": "true"}).json()["count"] == 0
        assert client.get(f"{API}/{item['id']}").json()["overdue"] is False
    with time_machine.travel(MONDAY_9 + 48 * H + timedelta(seconds=1), tick=False):
        listed = client.get(API, {"overdue": "true"}).json()
        assert [i["id"] for i in listed["items"]] == [item["id"]]
        assert listed["items"][0]["overdue"] is True


def test_out_of_scope_closes_with_the_guidance_and_is_never_overdue(client, office):
    item = hotline_call(client, office, content="Tôi hỏi thủ tục của tỉnh Quảng Nam.")
    client.force_login(office.supervisor)
    body = post(
        client,
        f"{API}/{item['id']}/classify",
        {
            "category": "other",
            "in_scope": False,
            "note": "Thủ tục của tỉnh khác: xin liên hệ Trung tâm Phục vụ hành chính công tỉnh.",
        },
    ).json()
    assert body["status"] == "closed" and body["respond_by"] is None
    assert body["answer"].startswith("Thủ tục của tỉnh khác") and body["overdue"] is False
    with time_machine.travel(MONDAY_9 + 1000 * H, tick=False):
        assert client.get(API, {"overdue": "true"}).json()["count"] == 0


# ------------------------------------------------------------------------------------ intake
def test_an_operator_enters_a_call_and_the_history_starts(client, office):
    item = hotline_call(client, office)
    assert item["intake_unit"] == "TP.01" and item["name"] == "Nguyễn Văn Gọi"
    assert item["respond_by"] == "2026-03-04T09:00:00+07:00"
    assert [e["kind"] for e in item["events"]] == ["received"]


def test_the_same_idempotency_key_gives_the_first_item_back(client, office):
    client.force_login(office.receptionist)
    body = {"channel": "zalo", "content": "Tin nhắn Zalo: chờ quá lâu.", "name": "A"}
    first = post(client, API, body, **{"Idempotency-Key": "k-1"})
    again = post(client, API, body, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Feedback.objects.count() == 1
    changed = post(client, API, {**body, "content": "khác"}, **{"Idempotency-Key": "k-1"})
    assert_problem(changed, 422, "Idempotency-Key")


def test_intake_refuses_bad_input_with_the_field_named(client, office):
    client.force_login(office.receptionist)
    assert_problem(post(client, API, {"channel": "hotline"}), 422, "content")
    assert_problem(post(client, API, {"channel": "fax", "content": "x"}), 422, "channel")
    naive = {"channel": "hotline", "content": "x", "received_at": "2026-03-02T09:00:00"}
    assert_problem(post(client, API, naive), 422, "received_at")
    future = {"channel": "hotline", "content": "x", "received_at": "2099-03-02T09:00:00+07:00"}
    assert_problem(post(client, API, future), 422, "tương lai")
    ancient = {"channel": "hotline", "content": "x", "received_at": "0255-06-16T00:47:59+07:00"}
    assert_problem(post(client, API, ancient), 422, "01/01/1900", "received_at")  # core.bounds
    long = {"channel": "email", "content": "y" * 5001}
    assert_problem(post(client, API, long), 422, "5.000", "content")
    unknown = {"channel": "hotline", "content": "x", "dossier_code": "KHONG-CO"}
    assert_problem(post(client, API, unknown), 422, "KHONG-CO")
    assert not Feedback.objects.exists()


def test_intake_needs_a_login_and_the_right_unit(client, office):
    assert_problem(post(client, API, {"channel": "hotline", "content": "x"}), 401)
    client.force_login(office.outsider)
    body = {"channel": "hotline", "content": "x", "intake_unit": "TP.01"}
    assert_problem(post(client, API, body), 404)
    assert_problem(post(client, API, {"channel": "hotline", "content": "x"}), 403)


# ----------------------------------------------------------------------------------- reading
def test_the_queue_is_scoped_and_filtered(client, office):
    routed(client, office)
    hotline_call(client, office, channel="viber")
    client.force_login(office.supervisor)
    assert client.get(API).json()["count"] == 2
    assert client.get(API, {"status": "new"}).json()["items"][0]["channel"] == "viber"
    assert client.get(API, {"channel": "hotline"}).json()["count"] == 1
    assert client.get(API, {"unit": "TP.01"}).json()["count"] == 2
    assert client.get(API, {"unit": "TP.02"}).json()["count"] == 0
    client.force_login(office.head)
    assert client.get(API).json()["count"] == 1  # only what was routed to the ward
    client.force_login(office.outsider)
    assert client.get(API).json() == {"count": 0, "items": []}


def test_the_queue_refuses_bad_filters(client, office):
    client.force_login(office.supervisor)
    assert_problem(client.get(API, {"unit": "NOPE"}), 422, "NOPE")
    assert_problem(client.get(API, {"status": "lost"}), 422, "status")
    assert_problem(client.get(API, {"limit": 501}), 422, "limit")
    assert_problem(client.get(API, {"overdue": "maybe"}), 422, "overdue")


def test_one_item_with_its_history_and_the_outsider_gets_404(client, office):
    item = routed(client, office)
    body = client.get(f"{API}/{item['id']}").json()
    assert [e["kind"] for e in body["events"]] == ["received", "classified"]
    client.force_login(office.outsider)
    assert_problem(client.get(f"{API}/{item['id']}"), 404)
    assert_problem(client.get(f"{API}/999999"), 404)
    assert_problem(client.get(f"{API}/99999999999999999999999"), 422)
    assert_problem(client.get(f"{API}/abc"), 422)


# ---------------------------------------------------------------------------------- actions
def test_classify_refuses_outsiders_bad_input_and_the_wrong_state(client, office):
    item = hotline_call(client, office)
    url = f"{API}/{item['id']}/classify"
    client.force_login(office.outsider)
    assert_problem(post(client, url, {"category": "delay", "in_scope": True}), 404)
    client.force_login(office.receptionist)
    assert_problem(post(client, url, {"category": "delay", "in_scope": True}), 403)
    client.force_login(office.supervisor)
    assert_problem(post(client, url, {"category": "slow", "in_scope": True}), 422, "category")
    assert_problem(post(client, url, {"category": "delay", "in_scope": True}), 422, "unit")
    assert_problem(post(client, url, {"category": "other", "in_scope": False}), 422, "note")
    assert_problem(post(client, url, {"category": "delay"}), 422, "in_scope")


def test_the_unit_answers_and_the_supervisor_closes_or_returns(client, office):
    item = routed(client, office)
    url = f"{API}/{item['id']}"
    client.force_login(office.outsider)
    assert_problem(post(client, f"{url}/answer", {"answer": "x"}), 404)
    client.force_login(office.supervisor)
    assert_problem(post(client, f"{url}/answer", {"answer": "x"}), 403)
    assert_problem(post(client, f"{url}/close", {}), 409, "not_answered")
    client.force_login(office.specialist)
    assert_problem(post(client, f"{url}/answer", {"answer": " "}), 422, "answer")
    assert_problem(post(client, f"{url}/answer", {}), 422, "answer")
    body = post(client, f"{url}/answer", {"answer": "Đã trả kết quả.", "publish": True}).json()
    assert body["status"] == "answered" and body["published"] is True
    assert_problem(post(client, f"{url}/answer", {"answer": "y"}), 409, "already_answered")

    client.force_login(office.outsider)
    assert_problem(post(client, f"{url}/return", {"note": "x"}), 404)
    assert_problem(post(client, f"{url}/close", {}), 404)
    client.force_login(office.supervisor)
    assert_problem(post(client, f"{url}/return", {"note": ""}), 422, "note")
    body = post(client, f"{url}/return", {"note": "Chưa nêu lý do chậm."}).json()
    assert body["status"] == "classified" and body["published"] is False

    client.force_login(office.head)
    post(client, f"{url}/answer", {"answer": "Lý do: thiếu chữ ký; đã trả ngày 03/03."})
    client.force_login(office.supervisor)
    body = post(client, f"{url}/close", {"note": "Đạt."}).json()
    assert body["status"] == "closed"
    assert [e["kind"] for e in body["events"]] == [
        "received",
        "classified",
        "answered",
        "returned",
        "answered",
        "closed",
    ]
    assert_problem(post(client, f"{url}/close", {}), 409, "feedback_closed")


def test_publication_by_the_api(client, office):
    item = routed(client, office)
    url = f"{API}/{item['id']}/publish"
    client.force_login(office.supervisor)
    assert_problem(post(client, url, {"published": True}), 409, "not_answered")
    assert_problem(post(client, url, {}), 422, "published")
    client.force_login(office.head)
    post(client, f"{API}/{item['id']}/answer", {"answer": "Đã xử lý."})
    assert post(client, url, {"published": True}).json()["published"] is True
    client.force_login(office.outsider)
    assert_problem(post(client, url, {"published": False}), 404)


# ------------------------------------------------------------------------------- the public
def citizen(client, **overrides):
    body = {
        "content": "Cán bộ yêu cầu tôi nộp bản sao sổ hộ khẩu dù không có trong danh mục.",
        "name": "Trần Thị Dân",
        "phone": "0987654321",
        "email": "",
        "unit": "TP.01",
    }
    body.update(overrides)
    return post(client, PUBLIC, body)


def test_a_citizen_sends_feedback_and_looks_it_up_with_the_secret(client, office):
    answer = citizen(client, category="extra_documents")
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert set(created) >= {"id", "secret", "respond_by"} and created["status"] == "new"
    item = Feedback.objects.get(pk=created["id"])
    assert item.channel == "web" and item.entered_by is None and item.intake_unit == office.ward

    mine = client.get(f"{PUBLIC}/{created['id']}", {"secret": created["secret"]}).json()
    assert mine["status"] == "new" and mine["answer"] is None
    assert "phone" not in mine and "name" not in mine
    assert_problem(client.get(f"{PUBLIC}/{created['id']}", {"secret": "SAI"}), 404)
    assert_problem(client.get(f"{PUBLIC}/424242", {"secret": created["secret"]}), 404)

    client.force_login(office.supervisor)
    post(
        client,
        f"{API}/{created['id']}/classify",
        {"category": "extra_documents", "in_scope": True},
    )
    client.force_login(office.head)
    post(client, f"{API}/{created['id']}/answer", {"answer": "Phường đã nhắc nhở cán bộ."})
    client.logout()
    mine = client.get(f"{PUBLIC}/{created['id']}", {"secret": created["secret"]}).json()
    assert mine["status"] == "answered" and mine["answer"] is None  # not yet approved
    client.force_login(office.supervisor)
    post(client, f"{API}/{created['id']}/close", {})
    client.logout()
    mine = client.get(f"{PUBLIC}/{created['id']}", {"secret": created["secret"]}).json()
    assert mine["answer"] == "Phường đã nhắc nhở cán bộ."


def test_the_public_form_needs_content_a_name_and_a_way_to_answer(client, office):
    assert_problem(citizen(client, name=""), 422, "name")
    assert_problem(citizen(client, phone="", email=""), 422, "phone")
    assert_problem(citizen(client, content=""), 422, "content")
    assert_problem(citizen(client, content="z" * 5001), 422, "5.000")
    assert_problem(citizen(client, unit="NOPE"), 422, "NOPE")
    assert_problem(citizen(client, category="weather"), 422, "category")
    assert_problem(citizen(client, email="a@"), 422, "email")
    assert not Feedback.objects.exists()


def test_the_public_form_is_rate_limited_per_address(client, office, settings):
    settings.MOTCUA_FEEDBACK_RATE_LIMIT = (2, 600)
    assert citizen(client).status_code == 201
    assert citizen(client).status_code == 201
    refused = citizen(client)
    body = assert_problem(refused, 429, "rate_limited")
    assert int(refused.headers["Retry-After"]) > 0 and "giây" in body["detail"]
    other = client.post(
        PUBLIC,
        json.dumps({"content": "x", "name": "B", "phone": "1"}),
        content_type="application/json",
        REMOTE_ADDR="10.9.9.9",
    )
    assert other.status_code == 201


def test_repeated_wrong_secrets_are_refused(client, office, settings):
    settings.MOTCUA_LOOKUP_RATE_LIMIT = (3, 600)
    created = citizen(client).json()
    for _ in range(3):
        assert client.get(f"{PUBLIC}/{created['id']}", {"secret": "SAI"}).status_code == 404
    assert_problem(client.get(f"{PUBLIC}/{created['id']}", {"secret": created["secret"]}), 429)


def test_stored_text_comes_back_as_text(client, office):
    created = citizen(client, content="<script>alert('x')</script> & <b>đậm</b>").json()
    client.force_login(office.supervisor)
    body = client.get(f"{API}/{created['id']}").json()
    assert body["content"] == "<script>alert('x')</script> & <b>đậm</b>"
    assert (
        client.get(f"{API}/{created['id']}").headers["Content-Type"].startswith("application/json")
    )


def test_published_answers_are_listed_without_the_senders_details(client, office):
    item = routed(client, office)
    client.force_login(office.head)
    post(client, f"{API}/{item['id']}/answer", {"answer": "Đã xử lý.", "publish": True})
    client.logout()
    page = client.get(PUBLIC).json()
    assert page["count"] == 1
    shown = page["items"][0]
    assert shown["answer"] == "Đã xử lý." and shown["unit"] == "TP.01"
    assert "Nguyễn Văn Gọi" not in json.dumps(page, ensure_ascii=False)
    assert "0912345678" not in json.dumps(page)


def test_the_focal_points_directory(client, office):
    FocalPoint.objects.create(
        unit=office.ward, order=1, title="Chủ tịch UBND phường", person="Nguyễn Hữu T", phone="1"
    )
    FocalPoint.objects.create(unit=office.other_ward, title="Trưởng bộ phận", zalo="0900")
    FocalPoint.objects.create(unit=office.ward, title="Ẩn", phone="2", published=False)
    everyone = client.get("/api/v1/public/focal-points").json()
    assert everyone["count"] == 2
    ward = client.get("/api/v1/public/focal-points", {"unit": "TP.01"}).json()
    assert [i["title"] for i in ward["items"]] == ["Chủ tịch UBND phường"]
    assert ward["items"][0]["unit_name"] == "Phường Hoàn Kiếm Thử"
    assert_problem(client.get("/api/v1/public/focal-points", {"unit": "NOPE"}), 404)


def test_the_openapi_document_describes_the_feedback_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/feedback",
        "/api/v1/feedback/{feedback_id}",
        "/api/v1/feedback/{feedback_id}/classify",
        "/api/v1/feedback/{feedback_id}/answer",
        "/api/v1/public/feedback",
        "/api/v1/public/feedback/{feedback_id}",
        "/api/v1/public/focal-points",
    ):
        assert path in paths, path


def test_the_queue_answers_a_bearer_token_too(client, office):
    from tests.factories import PASSWORD

    hotline_call(client, office)
    client.logout()
    token = post(client, "/api/v1/auth/token", {"username": "giamsat", "password": PASSWORD})
    assert token.status_code == 200, token.content
    listed = client.get(API, headers={"Authorization": f"Bearer {token.json()['token']}"})
    assert listed.status_code == 200 and listed.json()["count"] == 1
