"""Finding 1 (and 5): one login protection for the page, the admin and the API, atomic across
processes; tokens die with a password change and can be revoked."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from motcua.access.models import RateLimitBucket, RateLimitHit
from motcua.access.services import issue_token, unlock
from tests.factories import PASSWORD

TOKEN = "/api/v1/auth/token"


def _api_login(client, username, password=PASSWORD):
    return client.post(
        TOKEN, {"username": username, "password": password}, content_type="application/json"
    )


def _page_login(client, username, password=PASSWORD):
    return client.post("/dang-nhap/", {"username": username, "password": password})


@pytest.mark.django_db
def test_the_web_login_page_locks_after_five_wrong_passwords_and_says_when_to_retry(client, office):
    for _ in range(5):
        answer = _page_login(client, "tiepnhan", "sai")
        assert answer.status_code == 200
    answer = _page_login(client, "tiepnhan")  # the right password, too late
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) > 0
    assert "thử lại sau" in answer.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_account_locked_on_the_api_is_locked_on_the_page_and_the_admin(client, office):
    office.receptionist.is_staff = True
    office.receptionist.is_superuser = True
    office.receptionist.save()
    for _ in range(5):
        assert _api_login(client, "tiepnhan", "sai").status_code == 401
    assert _api_login(client, "tiepnhan").status_code == 429
    assert _page_login(client, "tiepnhan").status_code == 429
    admin = client.post(
        "/admin/login/?next=/admin/", {"username": "tiepnhan", "password": PASSWORD}
    )
    assert admin.status_code == 200 and "thử lại sau" in admin.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_administrator_unlocks_an_account(client, office):
    for _ in range(5):
        _page_login(client, "tiepnhan", "sai")
    assert _page_login(client, "tiepnhan").status_code == 429
    assert unlock(bucket="login:user:tiepnhan") == 5
    assert RateLimitBucket.objects.filter(name="login:user:tiepnhan").exists()
    assert _page_login(client, "tiepnhan").status_code == 302


@pytest.mark.django_db
def test_the_admin_action_unlocks(client, office):
    office.leader.is_staff = office.leader.is_superuser = True
    office.leader.save()
    for _ in range(5):
        _api_login(client, "tiepnhan", "sai")
    client.force_login(office.leader)
    bucket = RateLimitBucket.objects.get(name="login:user:tiepnhan")
    answer = client.post(
        "/admin/access/ratelimitbucket/",
        {"action": "unlock", "_selected_action": [bucket.pk]},
        follow=True,
    )
    assert answer.status_code == 200
    assert not RateLimitHit.objects.filter(bucket="login:user:tiepnhan").exists()


def _post_json(url, body, headers=None):
    request = urllib.request.Request(  # noqa: S310 - our own server on 127.0.0.1
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - our server
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.server
def test_thirty_simultaneous_wrong_passwords_let_at_most_five_be_evaluated(
    live_server, transactional_db, office
):
    url = f"{live_server.url}{TOKEN}"
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(
            pool.map(
                lambda _i: _post_json(url, {"username": "tiepnhan", "password": "x"}), range(30)
            )
        )
    assert statuses.count(401) <= 5, statuses  # 401: the password was checked
    assert statuses.count(401) + statuses.count(429) == 30, statuses
    assert RateLimitHit.objects.filter(bucket="login:user:tiepnhan").count() <= 5


@pytest.mark.django_db
def test_a_password_change_ends_older_tokens(client, office):
    old, _ = issue_token(staff=office.receptionist)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {old}"}
    assert client.get("/api/v1/dossiers", **auth).status_code == 200
    office.receptionist.set_password("mot-mat-khau-moi-dai")
    office.receptionist.save()
    assert client.get("/api/v1/dossiers", **auth).status_code == 401
    new, _ = issue_token(staff=office.receptionist)
    assert client.get("/api/v1/dossiers", HTTP_AUTHORIZATION=f"Bearer {new}").status_code == 200


@pytest.mark.django_db
def test_the_owner_revokes_a_token(client, office):
    token, _ = issue_token(staff=office.receptionist)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.post("/api/v1/auth/token/revoke", **auth).status_code == 204
    assert client.get("/api/v1/dossiers", **auth).status_code == 401
    again = client.post("/api/v1/auth/token/revoke", **auth)
    assert again.status_code == 401 and again["Content-Type"] == "application/problem+json"
