"""Rate limits for the public doors (web form, Open311 POST, look-ups by secret).

A sliding window per key, counted in the database (`motcua.access.services`, the same table as the
login and dossier look-up limits), so every server process and every machine behind a load
balancer sees one count. The nightly purge removes old rows. The web layer builds the key from
the client address it trusts (REMOTE_ADDR: put the proxy's real-client header there).

Limits are settings, each (number of requests, window in seconds):
  MOTCUA_FEEDBACK_RATE_LIMIT   public web form and Open311 POST   default (10, 600)
  MOTCUA_LOOKUP_RATE_LIMIT     failed look-ups by secret          default (20, 600)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from motcua.access.services import Limit, count_miss, retry_after

DEFAULT_FEEDBACK_LIMIT = (10, 600)
DEFAULT_LOOKUP_LIMIT = (20, 600)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_seconds: int


def _limit(name: str, default: tuple[int, int]) -> tuple[int, int]:
    value = getattr(settings, name, default)
    return int(value[0]), int(value[1])


def feedback_limit() -> tuple[int, int]:
    return _limit("MOTCUA_FEEDBACK_RATE_LIMIT", DEFAULT_FEEDBACK_LIMIT)


def lookup_limit() -> tuple[int, int]:
    return _limit("MOTCUA_LOOKUP_RATE_LIMIT", DEFAULT_LOOKUP_LIMIT)


def lookup_key(address: str) -> str:
    """The bucket of failed look-ups by secret from one client address: the API and the portal
    count in the same bucket, so switching faces gives no extra guesses."""
    return f"lookup-miss:{address or 'unknown'}"


def _as_limit(limit: tuple[int, int]) -> Limit:
    return Limit(attempts=limit[0], window=timedelta(seconds=limit[1]))


def hit(key: str, *, limit: tuple[int, int], now: datetime | None = None) -> Verdict:
    """Count one request of `key`, unless `key` already has `limit[0]` counted requests in the
    last `limit[1]` seconds: then it is refused (and not counted) until the oldest leaves."""
    wait = count_miss(key, _as_limit(limit), now=now)  # checked and counted under one lock
    return Verdict(allowed=wait is None, retry_after_seconds=wait or 0)


def is_blocked(key: str, *, limit: tuple[int, int], now: datetime | None = None) -> Verdict:
    """Whether `key` is over its limit, without counting (for failed look-ups: only misses
    count)."""
    wait = retry_after(key, _as_limit(limit), now=now)
    return Verdict(allowed=wait is None, retry_after_seconds=wait or 0)
