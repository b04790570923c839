"""A complaint sent twice with the same Idempotency-Key is one item: the key is kept by the access
app's records (kind "feedback"), like a dossier's."""

from __future__ import annotations

import json

import pytest

from motcua.access.models import IdempotencyRecord
from motcua.core.errors import InvalidInput
from motcua.feedback.errors import IdempotencyConflict
from motcua.feedback.models import Feedback
from motcua.feedback.services import IDEMPOTENCY_KIND, Idempotency, receive_feedback
from tests.feedback.factories import MONDAY_9

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public/feedback"


def test_the_key_is_an_access_record_of_kind_feedback_naming_the_first_item(office):
    key = Idempotency(scope="feedback:staff:1", key="k-1", request_hash="h1")
    first = receive_feedback(
        actor=office.receptionist, channel="hotline", content="A", idempotency=key, now=MONDAY_9
    )
    record = IdempotencyRecord.objects.get()
    assert (record.kind, record.scope, record.key, record.request_hash, record.result_id) == (
        IDEMPOTENCY_KIND,
        "feedback:staff:1",
        "k-1",
        "h1",
        first.feedback.pk,
    )


def test_another_body_names_the_first_item_in_the_refusal(office):
    key = Idempotency(scope="feedback:staff:1", key="k-1", request_hash="h1")
    first = receive_feedback(
        actor=office.receptionist, channel="hotline", content="A", idempotency=key
    )
    with pytest.raises(IdempotencyConflict) as refused:
        receive_feedback(
            actor=office.receptionist,
            channel="hotline",
            content="B",
            idempotency=Idempotency(scope="feedback:staff:1", key="k-1", request_hash="h2"),
        )
    assert refused.value.code == "idempotency_key_reused"
    assert refused.value.field == "Idempotency-Key"
    assert f"số {first.feedback.pk}" in refused.value.message


def test_a_refused_item_keeps_no_key(office):
    key = Idempotency(scope="feedback:staff:1", key="k-1", request_hash="h1")
    with pytest.raises(InvalidInput):  # the content is missing
        receive_feedback(actor=office.receptionist, channel="hotline", content="", idempotency=key)
    assert not IdempotencyRecord.objects.exists()
    again = receive_feedback(
        actor=office.receptionist, channel="hotline", content="A", idempotency=key
    )
    assert not again.replayed


def test_a_replayed_public_complaint_is_not_counted_by_the_rate_limit(client, office, settings):
    settings.MOTCUA_FEEDBACK_RATE_LIMIT = (1, 600)
    body = json.dumps({"content": "Chậm trả kết quả.", "name": "Dân", "phone": "0987654321"})

    def send(key: str):
        return client.post(
            PUBLIC, body, content_type="application/json", headers={"Idempotency-Key": key}
        )

    first = send("p-1")
    again = send("p-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Feedback.objects.count() == 1
    assert send("p-2").status_code == 429
