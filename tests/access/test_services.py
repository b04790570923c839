"""The access services: upkeep of the tables (tokens and counted attempts do not pile up
forever) and idempotent creation of any kind of result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from motcua.access import services as access
from motcua.access.models import ApiToken, IdempotencyRecord, RateLimitHit
from motcua.access.tasks import purge_access_rows_task
from motcua.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def test_the_purge_keeps_what_still_matters_and_deletes_the_rest(office, time_machine):
    time_machine.move_to(NOW - timedelta(days=45), tick=False)
    long_expired, _ = access.issue_token(staff=office.receptionist)
    time_machine.move_to(NOW - timedelta(days=10), tick=False)
    recently_expired, _ = access.issue_token(staff=office.receptionist)
    time_machine.move_to(NOW, tick=False)
    valid, _ = access.issue_token(staff=office.receptionist)
    bucket = "lookup:client:10.0.0.1"
    RateLimitHit.objects.create(bucket=bucket, at=NOW - timedelta(days=2))
    RateLimitHit.objects.create(bucket=bucket, at=NOW - timedelta(minutes=3))
    IdempotencyRecord.objects.create(kind="dossier", scope="staff:1", key="k", request_hash="h")

    assert access.purge_access_rows(now=NOW) == {"tokens": 1, "attempts": 1}

    assert access.staff_for_token(valid) == office.receptionist
    assert ApiToken.objects.count() == 2  # the one expired ten days ago stays for inquiries
    assert access.staff_for_token(recently_expired) is None
    assert access.staff_for_token(long_expired) is None
    assert list(RateLimitHit.objects.values_list("at", flat=True)) == [NOW - timedelta(minutes=3)]
    assert IdempotencyRecord.objects.count() == 1
    assert access.purge_access_rows(now=NOW) == {"tokens": 0, "attempts": 0}


def test_the_nightly_task_runs_the_purge(office, time_machine):
    time_machine.move_to(NOW - timedelta(days=45), tick=False)
    access.issue_token(staff=office.receptionist)
    time_machine.move_to(NOW, tick=False)
    purge_access_rows_task.call_local()
    assert ApiToken.objects.count() == 0


def test_the_nightly_task_keeps_its_stable_name():
    assert purge_access_rows_task.name == "access.purge_access_rows"


# ------------------------------------------------------------------------------- idempotency
@dataclass
class Made:
    id: int
    replayed: bool = False


class Maker:
    """A stand-in for a domain service: what it made, and what still exists."""

    def __init__(self) -> None:
        self.made: dict[int, Made] = {}

    def create(self) -> Made:
        made = Made(id=len(self.made) + 1)
        self.made[made.id] = made
        return made

    def replay(self, result_id: int) -> Made | None:
        return Made(id=result_id, replayed=True) if result_id in self.made else None

    def once(self, *, key: str = "k-1", body: str = "h1", kind: str = "thing", scope: str = "s"):
        return access.create_once(
            kind=kind,
            scope=scope,
            key=key,
            body_hash=body,
            create=self.create,
            result_id=lambda made: made.id,
            replay=self.replay,
        )


def test_the_same_key_and_body_give_the_first_result_again():
    maker = Maker()
    first, replayed = maker.once()
    again, replayed_again = maker.once()
    assert (first.id, replayed) == (1, False)
    assert (again, replayed_again) == (Made(id=1, replayed=True), True)
    record = IdempotencyRecord.objects.get()
    assert (record.kind, record.scope, record.key, record.result_id) == ("thing", "s", "k-1", 1)


def test_the_same_key_with_another_body_is_refused_with_the_first_id():
    maker = Maker()
    maker.once(body="h1")
    with pytest.raises(access.IdempotencyKeyReused) as error:
        maker.once(body="h2")
    assert (error.value.code, error.value.status, error.value.field) == (
        "idempotency_key_reused",
        422,
        "Idempotency-Key",
    )
    assert error.value.first_id == 1
    assert len(maker.made) == 1


def test_a_key_is_unique_per_kind_and_scope():
    maker = Maker()
    maker.once(kind="dossier", scope="public")
    maker.once(kind="feedback", scope="public")
    maker.once(kind="dossier", scope="portal")
    assert len(maker.made) == 3
    assert IdempotencyRecord.objects.count() == 3


def test_a_key_whose_result_is_gone_creates_again():
    maker = Maker()
    maker.once(body="h1")
    maker.made.clear()
    made, replayed = maker.once(body="h2")
    assert (made.id, replayed) == (1, False)
    assert IdempotencyRecord.objects.get().request_hash == "h2"


def test_a_failed_creation_leaves_no_record():
    def fail() -> Made:
        raise InvalidInput("no", field="x")

    with pytest.raises(InvalidInput):
        access.create_once(
            kind="thing",
            scope="s",
            key="k",
            body_hash="h",
            create=fail,
            result_id=lambda made: made.id,
            replay=lambda result_id: None,
        )
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.parametrize("key", ["", "   ", "x" * 201, "tab\there"])
def test_a_bad_key_is_explained(key):
    with pytest.raises(InvalidInput) as error:
        Maker().once(key=key)
    assert error.value.field == "Idempotency-Key"
