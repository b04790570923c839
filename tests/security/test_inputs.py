"""Finding 7: bad input answers 4xx with a problem document (or Open311's own error), never a
500, and changes nothing."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from motcua.access.services import issue_token
from motcua.dossiers.models import Dossier, SupplementRequest
from motcua.feedback.models import Feedback
from tests.dossiers.helpers import receive
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(office):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(staff=office.receptionist)[0]}"}


def _problem(answer, status=422, field=None):
    assert answer.status_code == status, answer.content[:500]
    assert answer["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert body["detail"]
    if field is not None:
        assert field in body["errors"], body
    return body


def _post(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


@pytest.mark.parametrize(
    "params",
    [{"received_from": "0001-01-01"}, {"received_to": "9999-12-31"}],
)
def test_extreme_dates_on_the_dossier_list_are_422(client, auth, params):
    _problem(client.get("/api/v1/dossiers", params, **auth), field=next(iter(params)))


def test_a_year_one_reception_time_with_a_far_offset_is_422(client, office, auth):
    procedure = make_procedure(units=[office.ward])
    body = {
        "procedure": procedure.code,
        "unit": "TP.01",
        "channel": "counter",
        "applicant": {"name": "Nguyễn Văn An", "id_number": "001099012345", "phone": "0912345678"},
        "documents": [{"name": "Tờ khai", "copies": 1}],
        "received_at": "0001-01-01T00:00:00+14:00",
        "received_at_reason": "thử",
    }
    _problem(_post(client, "/api/v1/dossiers", body, **auth), field="received_at")
    assert not Dossier.objects.exists()


def test_a_year_one_complaint_time_is_422(client, office, auth):
    body = {"channel": "hotline", "content": "x", "received_at": "0001-01-01T00:00:00+14:00"}
    _problem(_post(client, "/api/v1/feedback", body, **auth), field="received_at")
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("field", ["content", "name"])
def test_a_lone_surrogate_in_public_feedback_is_422_and_nothing_is_written(client, office, field):
    body = {"content": "Cán bộ chậm.", "name": "Trần Thị Dân", "unit": "TP.01", field: "a\ud800b"}
    raw = json.dumps(body)  # ensure_ascii: the body carries the escape "\ud800"
    assert "\\ud800" in raw
    answer = client.post("/api/v1/public/feedback", raw, content_type="application/json")
    _problem(answer, field=field)
    assert not Feedback.objects.exists()


def test_a_lone_surrogate_in_supplement_items_is_422(client, office, auth):
    dossier = receive(office, make_procedure(units=[office.ward]), now=timezone.now()).dossier
    answer = _post(
        client,
        f"/api/v1/dossiers/{dossier.code}/supplement-requests",
        {"items": ["Bản sao \udfff CCCD"], "note": ""},
        **auth,
    )
    _problem(answer, field="items")
    assert not SupplementRequest.objects.exists()


def test_a_surrogate_is_refused_by_the_services_cleaning_too():
    from motcua.core.errors import InvalidInput
    from motcua.core.text import clean_text

    with pytest.raises(InvalidInput):
        clean_text("a\ud800", field="content", label="nội dung")


@pytest.mark.parametrize("params", [{"start_date": "9999-12-31"}, {"end_date": "0001-01-01"}])
def test_open311_extreme_dates_are_its_400(client, office, params):
    answer = client.get("/open311/v2/requests.json", params)
    assert answer.status_code == 400
    assert "description" in answer.json()[0]


def test_open311_a_superscript_digit_id_is_an_unknown_request(client, office):
    answer = client.get("/open311/v2/requests/%C2%B2.json")
    assert answer.status_code == 404
    assert client.get("/open311/v2/requests.json", {"service_request_id": "²,3"}).status_code == 200


def test_a_body_over_the_limit_is_413_problem_json(client, office, settings):
    big = json.dumps({"content": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    answer = client.post("/api/v1/public/feedback", big, content_type="application/json")
    _problem(answer, status=413)
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("url", ["/api/v1/public/feedback", "/api/v1/feedback"])
def test_a_body_that_is_not_json_is_422_problem_json(client, office, auth, url):
    answer = client.post(url, b"{not json", content_type="application/json", **auth)
    _problem(answer, field="request")
