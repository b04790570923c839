"""Rate limits for the public doors (web form, Open311 POST, look-ups by secret).

A fixed-window counter per key in Django's cache (`cache.add` then `cache.incr`, both atomic in
the cache backends Django ships). With the default local-memory cache each server process counts
on its own, so N worker processes let through up to N times the limit; set CACHES to a shared
backend (Redis, Memcached or the database cache) where that matters. The web layer builds the key
from the client address it trusts (REMOTE_ADDR: put the proxy's real-client header there).

Limits are settings, each (number of requests, window in seconds):
  MOTCUA_FEEDBACK_RATE_LIMIT   public web form and Open311 POST   default (10, 600)
  MOTCUA_LOOKUP_RATE_LIMIT     failed look-ups by secret          default (20, 600)
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

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


def _bucket(key: str, window: int, now: float) -> tuple[str, int]:
    index = int(now // window)
    retry = int((index + 1) * window - now) + 1
    return f"motcua:throttle:{key}:{window}:{index}", retry


def hit(key: str, *, limit: tuple[int, int], now: float | None = None) -> Verdict:
    """Count one request of `key`; refused once more than `limit[0]` fall in one window."""
    count_max, window = limit
    now = time.time() if now is None else now
    cache_key, retry = _bucket(key, window, now)
    if cache.add(cache_key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window + 5)
            count = 1
    return Verdict(allowed=count <= count_max, retry_after_seconds=retry)


def is_blocked(key: str, *, limit: tuple[int, int], now: float | None = None) -> Verdict:
    """Whether `key` is over its limit, without counting (for failed look-ups: only misses
    count)."""
    count_max, window = limit
    now = time.time() if now is None else now
    cache_key, retry = _bucket(key, window, now)
    count = cache.get(cache_key, 0)
    return Verdict(allowed=count < count_max, retry_after_seconds=retry)
