"""Findings 2, 4, 6, 9: submission limits, secrets out of URLs, existence oracles, headers; and
the parallel look-up limit."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import override_settings
from django.urls import reverse

from motcua.access import services as access
from motcua.access.logs import NoSecrets
from motcua.access.models import RateLimitHit
from motcua.dossiers.models import Event
from motcua.feedback.models import Feedback
from tests.api.test_public import submission
from tests.factories import make_procedure

PUBLIC = "/api/v1/public/dossiers"


@pytest.fixture
def procedure(office):
    return make_procedure(units=[office.ward], online_mode="full")


def _json(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


@pytest.mark.django_db
def test_anonymous_submissions_are_limited_per_address(client, office, procedure):
    limit = access.SUBMISSIONS_PER_CLIENT.attempts
    answers = [_json(client, PUBLIC, submission(procedure)).status_code for _ in range(limit + 3)]
    assert answers == [201] * limit + [429] * 3
    refused = _json(client, PUBLIC, submission(procedure))
    assert refused["Content-Type"] == "application/problem+json" and refused["Retry-After"]
    assert "Hãy thử lại sau" in refused.json()["detail"]


@pytest.mark.django_db
def test_the_portal_form_posts_are_limited_per_session(client, office, procedure):
    url = reverse("portal:submit", args=[procedure.code])
    limit = access.STAGING_PER_SESSION.attempts
    statuses = [client.post(url, {"name": ""}).status_code for _ in range(limit + 2)]
    assert 429 not in statuses[:limit] and statuses[limit:] == [429, 429]
    assert "Có quá nhiều lần nộp hồ sơ" in client.post(url, {"name": ""}).text


@pytest.mark.django_db
def test_the_secret_goes_in_the_body_and_the_code_in_any_case(client, office, procedure):
    created = _json(client, PUBLIC, submission(procedure)).json()
    code, secret = created["code"], created["lookup_secret"]
    found = _json(client, f"{PUBLIC}/{code.lower()}/lookup", {"secret": secret})
    assert found.status_code == 200 and found.json()["code"] == code
    assert found["Cache-Control"].startswith("max-age=0") or "no-store" in found["Cache-Control"]
    wrong = _json(client, f"{PUBLIC}/{code}/lookup", {"secret": "SAI"})
    unknown = _json(client, f"{PUBLIC}/KHONG-CO/lookup", {"secret": secret})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


@pytest.mark.django_db
def test_the_complaint_secret_goes_in_the_body(client, office):
    sent = _json(
        client,
        "/api/v1/public/feedback",
        {"channel": "web", "name": "Bình", "content": "Chậm", "phone": "0912345678"},
    ).json()
    url = f"/api/v1/public/feedback/{sent['id']}/lookup"
    assert _json(client, url, {"secret": sent["secret"]}).status_code == 200
    assert _json(client, url, {"secret": "SAI"}).status_code == 404


def test_no_log_line_shows_a_secret():
    record = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        '"GET /api/v1/public/dossiers/X?secret=ABCD-EFGH&x=1 HTTP/1.1" 200',
        (),
        None,
    )
    NoSecrets().filter(record)
    assert "ABCD" not in record.getMessage() and "secret=[đã ẩn]&x=1" in record.getMessage()


@pytest.mark.django_db
def test_a_complaint_does_not_tell_whether_a_dossier_exists(client, office, procedure):
    created = _json(client, PUBLIC, submission(procedure)).json()
    before = Event.objects.count()
    base = {"channel": "web", "name": "Bình", "content": "Chậm quá", "phone": "0912345678"}
    known = _json(client, "/api/v1/public/feedback", {**base, "dossier_code": created["code"]})
    unknown = _json(client, "/api/v1/public/feedback", {**base, "dossier_code": "KHONG-CO-01"})
    assert known.status_code == unknown.status_code == 201
    assert set(known.json()) == set(unknown.json()) and created["code"] not in known.text
    linked = Feedback.objects.get(pk=known.json()["id"])
    assert linked.dossier is not None and linked.dossier.code == created["code"]  # for staff
    assert Feedback.objects.get(pk=unknown.json()["id"]).dossier_code == "KHONG-CO-01"
    assert Event.objects.count() == before  # nothing on the dossier's staff timeline


@pytest.mark.django_db
def test_pages_and_personal_data_carry_csp_and_no_store(client, office):
    portal = client.get("/")
    csp = portal["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    client.force_login(office.receptionist)
    assert "no-store" in client.get("/api/v1/dossiers")["Cache-Control"]
    assert "no-store" in client.get("/can-bo/")["Cache-Control"]


@pytest.mark.django_db
def test_https_settings_turn_on_hsts_and_the_redirect(client):
    with override_settings(
        SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000, ALLOWED_HOSTS=["testserver"]
    ):
        assert client.get("/").status_code == 301
        answer = client.get("/", secure=True)
    assert answer["Strict-Transport-Security"].startswith("max-age=31536000")


def _post(url, body):
    request = urllib.request.Request(  # noqa: S310 - our own server on 127.0.0.1
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.server
def test_fifty_parallel_wrong_secrets_get_at_most_the_limit_answered(
    live_server, transactional_db, office
):
    url = f"{live_server.url}{PUBLIC}/TP.01-000000-0001/lookup"
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda _i: _post(url, {"secret": "SAI"}), range(50)))
    limit = access.LOOKUP_MISSES_PER_CLIENT.attempts
    assert statuses.count(404) <= limit and statuses.count(404) + statuses.count(429) == 50
    assert RateLimitHit.objects.filter(bucket__startswith="lookup:client:").count() <= limit


@pytest.mark.django_db
def test_the_assignee_filter_does_not_tell_whether_an_account_exists(client, office):
    client.force_login(office.receptionist)
    known = client.get("/api/v1/dossiers", {"assignee": office.specialist.username})
    unknown = client.get("/api/v1/dossiers", {"assignee": "khong-ai-ten-nay"})
    assert known.status_code == unknown.status_code == 200
    assert unknown.json()["count"] == 0
