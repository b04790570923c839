"""Upkeep of the access tables: tokens and counted attempts do not pile up forever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from motcua.dossiers import access
from motcua.dossiers.models import ApiToken, IdempotencyRecord, RateLimitHit
from motcua.dossiers.tasks import purge_access_rows_task

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
    IdempotencyRecord.objects.create(scope="staff:1", key="k", request_hash="h")

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
