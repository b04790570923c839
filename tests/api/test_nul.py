"""NUL (U+0000) never reaches the database through the API: 422 naming where it was (on
PostgreSQL it would be a database error), while a backslash written before "u0000" is text."""

from __future__ import annotations

import pytest

from motcua.access.services import issue_token
from motcua.feedback.models import Feedback

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_query_parameter_is_422_with_its_name(client, office):
    answer = client.get("/api/v1/public/focal-points", {"unit": "TP\x00.01"})
    assert answer.status_code == 422, answer.content.decode()
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert list(answer.json()["errors"]) == ["unit"]


def test_a_nul_in_a_json_body_is_422_and_nothing_is_written(client, office):
    answer = client.post(
        "/api/v1/public/feedback",
        '{"channel": "web", "name": "Bình", "content": "ổ gà\\u0000", "phone": "0912345678"}',
        content_type="application/json",
    )
    assert answer.status_code == 422 and answer.json()["errors"] == {
        "content": ["Không được chứa ký tự NUL (\\u0000)."]
    }
    assert not Feedback.objects.exists()


def test_an_escaped_backslash_before_u0000_is_plain_text(client, office):
    answer = client.post(
        "/api/v1/public/feedback",
        '{"channel": "web", "name": "Bình", "content": "đường dẫn C:\\\\u0000", "phone": "0912345678"}',
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content.decode()
    assert Feedback.objects.get().content == "đường dẫn C:\\u0000"


def test_a_nul_in_a_dossier_code_is_an_unknown_dossier(client, office):
    token = issue_token(staff=office.receptionist)[0]
    answer = client.get("/api/v1/dossiers/TP.01\x00", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 404
