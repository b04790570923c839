"""The public doors' rate limit counts in the database: one count for every server process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from motcua.access.models import RateLimitHit
from motcua.feedback import throttle

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_the_limit_is_a_sliding_window_kept_in_the_database():
    key, limit = "feedback:10.0.0.7", (3, 600)
    for minute in range(3):
        assert throttle.hit(key, limit=limit, now=T0 + timedelta(minutes=minute)).allowed
    assert RateLimitHit.objects.filter(bucket=key).count() == 3  # what every process reads

    refused = throttle.hit(key, limit=limit, now=T0 + timedelta(minutes=5))
    assert not refused.allowed and refused.retry_after_seconds == 5 * 60 + 1
    assert RateLimitHit.objects.filter(bucket=key).count() == 3  # a refusal is not counted
    assert not throttle.is_blocked(key, limit=limit, now=T0 + timedelta(minutes=9)).allowed

    assert throttle.hit(key, limit=limit, now=T0 + timedelta(minutes=10, seconds=1)).allowed
    assert throttle.hit("feedback:10.0.0.8", limit=limit, now=T0).allowed  # another client
