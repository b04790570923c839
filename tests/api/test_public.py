"""POST /api/v1/public/dossiers and GET /api/v1/public/dossiers/{code}?secret= (API.md, Public)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from ninja.responses import NinjaJSONEncoder

from motcua.api.public import _public
from motcua.dossiers.models import Dossier, PublicSnapshot
from motcua.dossiers.selectors import get_public_dossier
from motcua.dossiers.services import (
    accept_dossier,
    complete_step,
    draft_apology,
    sign_apology,
)
from motcua.org.models import Unit
from tests.api.test_dossiers import body
from tests.dossiers.helpers import receive
from tests.factories import make_procedure, with_files

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SUBMIT = "/api/v1/public/dossiers"


@pytest.fixture(autouse=True)
def _pinned(time_machine):
    time_machine.move_to(datetime(2026, 1, 19, 9, tzinfo=VN), tick=False)


@pytest.fixture
def procedure(office):
    return make_procedure(units=[office.ward], online_mode="full")


def submission(proc, **extra):
    return {
        "procedure": proc.code,
        "unit": "TP.01",
        "applicant": body(proc)["applicant"],
        "documents": [{"name": "Tờ khai", "copies": 1}],
        **extra,
    }


def submit(client, proc, headers=None, **extra):
    answer = client.post(
        SUBMIT, submission(proc, **extra), content_type="application/json", headers=headers or {}
    )
    if answer.status_code == 201:  # the files of the papers, as the portal stores them
        dossier = Dossier.objects.get(code=answer.json()["code"])
        if not dossier.files.exists():
            with_files(dossier)
    return answer


def lookup(client, code, secret, **extra):
    return client.get(f"{SUBMIT}/{code}", {"secret": secret}, **extra)


def test_an_online_submission_answers_its_code_and_secret_once(client, office, procedure):
    answer = submit(client, procedure)
    assert answer.status_code == 201, answer.content.decode()
    data = answer.json()
    assert data["code"] == "TP.01-260119-0001" and data["status"] == "submitted"
    assert len(data["lookup_secret"]) == 14
    assert data["lookup_secret"] not in str(Dossier.objects.values().get())


def test_submission_input_is_checked(client, office, procedure):
    answer = submit(client, procedure, procedure="0.000000")
    assert answer.status_code == 422 and "procedure" in answer.json()["errors"]
    answer = client.post(SUBMIT, {"unit": "TP.01"}, content_type="application/json")
    assert answer.status_code == 422 and "applicant" in answer.json()["errors"]
    offline = make_procedure(units=[office.ward])
    answer = submit(client, offline)
    assert answer.status_code == 422 and answer.json()["code"] == "procedure_not_offered"
    assert submit(client, procedure, channel="counter").status_code == 422


def test_a_retried_submission_gives_the_same_dossier(client, office, procedure):
    key = {"Idempotency-Key": "thu-lai-1"}
    first = submit(client, procedure, headers=key).json()
    again = submit(client, procedure, headers=key).json()
    assert first == again and Dossier.objects.count() == 1
    assert submit(client, procedure, headers=key, note="khác").status_code == 422


def test_the_lookup_shows_the_timeline_without_personal_data(client, office, procedure):
    data = submit(client, procedure).json()
    code, secret = data["code"], data["lookup_secret"]
    waiting = lookup(client, code, secret).json()
    assert waiting["status"] == "submitted" and waiting["due_at"] is None
    dossier = Dossier.objects.get(code=code)
    accept_dossier(dossier_id=dossier.pk, actor=office.receptionist)
    first = dossier.steps.get(order=1)
    complete_step(step_id=first.pk, actor=office.receptionist)
    answer = lookup(client, code, secret.lower().replace("-", " "))
    assert answer.status_code == 200, answer.content.decode()
    body = answer.json()
    assert body["applicant_name"] == "Ng*** V** A*"
    assert body["status"] == "in_progress"
    assert body["received_at"] == "2026-01-19T09:00:00+07:00"
    assert body["due_at"] == "2026-01-22T17:00:00+07:00"
    assert body["steps"][0] == {
        "name": "Bước 1",
        "status": "done",
        "finished_at": "2026-01-19T09:00:00+07:00",
    }
    text = answer.content.decode()
    for private in ("001099012345", "0912345678", "an@example.vn", "Hàng Bạc", "tiepnhan"):
        assert private not in text
    assert "Nguyễn" not in text


def test_the_lookup_follows_every_change_and_reads_names_live(client, office, procedure):
    created = receive(office, procedure)
    d = created.dossier
    before = lookup(client, d.code, created.lookup_secret).json()
    snapshot = PublicSnapshot.objects.get(dossier=d)
    assert snapshot.event_id == d.events.order_by("-pk").first().pk
    assert before["steps"][0]["status"] == "active" and before["status"] == "received"

    complete_step(step_id=d.steps.get(order=1).pk, actor=office.receptionist)
    Unit.objects.filter(pk=office.ward.pk).update(name="Phường Mới")
    after = lookup(client, d.code, created.lookup_secret).json()
    assert after["status"] == "in_progress" and after["steps"][0]["status"] == "done"
    assert after["unit_name"] == "Phường Mới"
    assert PublicSnapshot.objects.get(dossier=d).event_id == d.events.order_by("-pk").first().pk


def test_the_stored_answer_is_the_answer_the_models_give(client, office, procedure):
    created = receive(office, procedure)
    code, secret = created.dossier.code, created.lookup_secret
    fresh = lookup(client, code, secret)
    assert fresh["Content-Type"] == "application/json; charset=utf-8"
    served_from_snapshot = lookup(client, code, secret)
    expected = json.loads(
        json.dumps(_public(get_public_dossier(code)).model_dump(), cls=NinjaJSONEncoder)
    )
    assert fresh.json() == served_from_snapshot.json() == expected
    # a snapshot that does not match the last event is never served
    PublicSnapshot.objects.filter(dossier=created.dossier).update(event_id=-1, body='{"x": 1}')
    assert lookup(client, code, secret).json() == expected


def test_signed_apologies_are_shown_drafts_are_not(client, office, procedure):
    created = receive(office, procedure)
    d = created.dossier
    draft_apology(dossier_id=d.pk, actor=office.receptionist, reason="Bản nháp")
    signed = draft_apology(
        dossier_id=d.pk,
        actor=office.receptionist,
        reason="Cần xác minh thêm",
        new_due_at=datetime(2026, 1, 29, 17, tzinfo=VN),
    )
    sign_apology(apology_id=signed.pk, actor=office.leader)
    body = lookup(client, d.code, created.lookup_secret).json()
    assert body["apologies"] == [
        {
            "reason": "Cần xác minh thêm",
            "new_due_at": "2026-01-29T17:00:00+07:00",
            "signed_at": "2026-01-19T09:00:00+07:00",
        }
    ]
    assert body["due_at"] == "2026-01-29T17:00:00+07:00"


def test_a_wrong_secret_answers_exactly_like_an_unknown_code(client, office, procedure):
    code = submit(client, procedure).json()["code"]
    wrong = lookup(client, code, "AAAA-BBBB-CCCC")
    unknown = lookup(client, "TP.01-260119-9999", "AAAA-BBBB-CCCC")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content
    assert wrong.headers["Content-Type"] == "application/problem+json"
    without = client.get(f"{SUBMIT}/{code}")  # no secret at all
    assert without.status_code == 404 and without.content == unknown.content


def test_repeated_misses_from_one_client_answer_429(client, office, procedure):
    data = submit(client, procedure).json()
    for i in range(20):
        assert lookup(client, data["code"], f"SAI{i}").status_code == 404
    blocked = lookup(client, data["code"], data["lookup_secret"])
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "too_many_attempts" and blocked.headers["Retry-After"]
    other_client = lookup(client, data["code"], data["lookup_secret"], REMOTE_ADDR="10.0.0.9")
    assert other_client.status_code == 200


def test_the_openapi_document_describes_the_public_answers(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"201", "422"} <= set(paths["/api/v1/public/dossiers"]["post"]["responses"])
    look = paths["/api/v1/public/dossiers/{code}"]["get"]["responses"]
    assert {"200", "404", "422", "429"} <= set(look)
    assert {"200", "401", "422", "429"} <= set(paths["/api/v1/auth/token"]["post"]["responses"])


def test_nul_characters_never_reach_the_database(client, office, procedure):
    assert lookup(client, "TP.01%00", "AAAA").status_code in (404, 422)
    assert client.get(f"{SUBMIT}/TP.01\u0000x", {"secret": "A"}).status_code == 404
    answer = submit(client, procedure, note="ghi chú\u0000")
    assert answer.status_code == 422 and "note" in answer.json()["errors"]
    token = client.post(
        "/api/v1/auth/token",
        {"username": "a\u0000", "password": "x"},
        content_type="application/json",
    )
    assert token.status_code == 422
