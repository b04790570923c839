"""POST /api/v1/auth/token and the bearer authentication of every staff endpoint."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.access.models import ApiToken
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _login(client, username, password=PASSWORD, **extra):
    return client.post(
        TOKEN,
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


def test_a_token_is_issued_for_good_credentials_and_stored_hashed(client, office):
    with time_machine.travel(datetime(2026, 1, 19, 9, tzinfo=VN), tick=False):
        answer = _login(client, "tiepnhan")
    assert answer.status_code == 200
    body = answer.json()
    assert body["token"].startswith("mc_") and len(body["token"]) > 40
    assert body["expires_at"] == "2026-01-19T21:00:00+07:00"
    row = ApiToken.objects.get()
    assert row.staff == office.receptionist and body["token"] not in row.token_hash


def test_the_token_opens_the_staff_endpoints(client, office):
    token = _login(client, "lanhdao").json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["username"] == "lanhdao"


def test_bad_credentials_answer_401(client, office):
    answer = _login(client, "tiepnhan", "sai-mat-khau")
    assert answer.status_code == 401
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == "invalid_credentials"
    assert "Sai tên đăng nhập hoặc mật khẩu" in answer.json()["detail"]
    assert _login(client, "khong-ton-tai").status_code == 401


def test_missing_fields_are_422(client, db):
    answer = client.post(TOKEN, {"username": "x"}, content_type="application/json")
    assert answer.status_code == 422 and "password" in answer.json()["errors"]


def test_repeated_failures_for_one_username_answer_429_even_with_the_right_password(client, office):
    for _ in range(5):
        assert _login(client, "tiepnhan", "sai").status_code == 401
    answer = _login(client, "tiepnhan")
    assert answer.status_code == 429
    assert answer.json()["code"] == "too_many_attempts"
    assert int(answer.headers["Retry-After"]) > 0
    assert _login(client, "lanhdao").status_code == 200  # another account is not locked


def test_the_limit_passes_with_its_window(client, office):
    start = datetime(2026, 1, 19, 9, tzinfo=VN)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _login(client, "tiepnhan", "sai")
        assert _login(client, "tiepnhan").status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert _login(client, "tiepnhan").status_code == 200


def test_repeated_failures_from_one_client_answer_429(client, office):
    for i in range(20):
        _login(client, f"ai-do-{i}", "sai")
    assert _login(client, "lanhdao").status_code == 429


def test_an_invalid_or_expired_token_is_401_not_a_session_fallback(client, office):
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer mc_khong-hop-le"})
    assert bad.status_code == 401 and bad.json()["code"] == "not_authenticated"
    with time_machine.travel(datetime(2026, 1, 19, 9, tzinfo=VN), tick=False):
        token = _login(client, "lanhdao").json()["token"]
    with time_machine.travel(datetime(2026, 1, 19, 21, 0, 1, tzinfo=VN), tick=False):
        late = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert late.status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Basic eDp5"}).status_code == 401


def test_a_post_without_any_credentials_is_401(client, db):
    answer = client.post("/api/v1/dossiers", {}, content_type="application/json")
    assert answer.status_code == 401


def test_a_deactivated_account_loses_its_token(client, office):
    token = _login(client, "lanhdao").json()["token"]
    office.leader.is_active = False
    office.leader.save()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_browser_session_still_works(client, office):
    client.force_login(office.leader)
    assert client.get("/api/v1/me").status_code == 200
