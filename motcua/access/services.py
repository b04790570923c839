"""API access kept in the database: bearer tokens, rate limits and idempotent creation.

* Tokens (API.md, Conventions): ``issue_token`` returns a random token once; only its SHA-256 is
  stored, with an expiry (``settings.MOTCUA_API_TOKEN_HOURS``, default 12 hours).
* Rate limits: a bucket (e.g. ``login:user:tiepnhan``) counts the failed attempts of the last
  window in a table, so every process and every server behind a load balancer sees the same count
  (Django's default cache is per process). A bucket over its limit answers 429 until its oldest
  counted attempt leaves the window. Old rows of a bucket are deleted when it is hit again.
* Upkeep: `purge_access_rows` (nightly, `motcua.access.tasks`) deletes long-expired tokens and
  old counted attempts, so neither table grows without end.
* Idempotency: the first POST with an ``Idempotency-Key`` inserts a record (kind, scope, key,
  hash of the body) in the same transaction as what it creates, and keeps that object's id; a
  concurrent or later retry waits on / finds that record and gets the first result again (the
  caller's ``replay`` rebuilds it from the id), or 422 when the body differs. This app knows no
  domain app: the dossier and feedback services say what a kind is and how to replay it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.access.models import ApiToken, IdempotencyRecord, RateLimitHit
from motcua.core.errors import InvalidInput
from motcua.org.models import Staff

TOKEN_PREFIX = "mc_"  # noqa: S105 - a visible prefix, not a secret

T = TypeVar("T")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# ------------------------------------------------------------------------------------ tokens
def token_lifetime() -> timedelta:
    return timedelta(hours=float(getattr(settings, "MOTCUA_API_TOKEN_HOURS", 12)))


def issue_token(*, staff: Staff, now: datetime | None = None) -> tuple[str, datetime]:
    """A new bearer token for ``staff`` and its expiry; the plain token is never stored."""
    now = now or timezone.now()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = now + token_lifetime()
    ApiToken.objects.create(staff=staff, token_hash=_sha256(token), expires_at=expires_at)
    return token, expires_at


def staff_for_token(token: str, *, now: datetime | None = None) -> Staff | None:
    """The active staff member a valid, unexpired token belongs to, else None."""
    if not token or len(token) > 200:
        return None
    now = now or timezone.now()
    row = (
        ApiToken.objects.select_related("staff")
        .filter(token_hash=_sha256(token), expires_at__gt=now)
        .first()
    )
    if row is None or not row.staff.is_active:
        return None
    return row.staff


# -------------------------------------------------------------------------------- rate limits
@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` counted attempts per ``window`` in one bucket."""

    attempts: int
    window: timedelta


LOGIN_PER_USER = Limit(5, timedelta(minutes=15))
LOGIN_PER_CLIENT = Limit(20, timedelta(minutes=15))
LOOKUP_MISSES_PER_CLIENT = Limit(20, timedelta(minutes=10))


def retry_after(bucket: str, limit: Limit, *, now: datetime | None = None) -> int | None:
    """Seconds to wait when ``bucket`` is over ``limit`` (None when it may try now)."""
    now = now or timezone.now()
    recent = list(
        RateLimitHit.objects.filter(bucket=bucket, at__gt=now - limit.window)
        .order_by("-at")
        .values_list("at", flat=True)[: limit.attempts]
    )
    if len(recent) < limit.attempts:
        return None
    oldest_counted = recent[-1]
    return max(1, int((oldest_counted + limit.window - now).total_seconds()) + 1)


def count_attempt(bucket: str, limit: Limit, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    RateLimitHit.objects.filter(bucket=bucket, at__lte=now - limit.window).delete()
    RateLimitHit.objects.create(bucket=bucket, at=now)


def forget_attempts(bucket: str) -> None:
    RateLimitHit.objects.filter(bucket=bucket).delete()


# ------------------------------------------------------------------------------------ upkeep
#: An expired token is kept this long (who held which token, for an inquiry), then deleted.
KEEP_EXPIRED_TOKENS = timedelta(days=30)
#: Counted attempts older than this no longer count for any limit (every window is shorter).
KEEP_COUNTED_ATTEMPTS = timedelta(days=1)


def purge_access_rows(*, now: datetime | None = None) -> dict[str, int]:
    """Delete the tokens expired more than KEEP_EXPIRED_TOKENS ago and the counted attempts
    older than KEEP_COUNTED_ATTEMPTS; returns how many of each. Idempotency records are kept: a
    counter PC may retry a reception long after, and must get its first dossier back."""
    now = now or timezone.now()
    tokens, _ = ApiToken.objects.filter(expires_at__lt=now - KEEP_EXPIRED_TOKENS).delete()
    attempts, _ = RateLimitHit.objects.filter(at__lt=now - KEEP_COUNTED_ATTEMPTS).delete()
    return {"tokens": tokens, "attempts": attempts}


# ------------------------------------------------------------------------------- idempotency
class IdempotencyKeyReused(InvalidInput):
    """The key was sent before with another body; ``first_id`` is the first result's id."""

    code = "idempotency_key_reused"

    def __init__(self, message: str, *, first_id: int | None = None) -> None:
        super().__init__(message, field="Idempotency-Key")
        self.first_id = first_id


def request_hash(payload: dict[str, Any]) -> str:
    return _sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str))


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > 200 or not key.isprintable():
        raise InvalidInput(
            _("Idempotency-Key phải là một chuỗi in được, dài từ 1 đến 200 ký tự (nên dùng UUID)."),
            field="Idempotency-Key",
        )
    return key


@transaction.atomic
def create_once(
    *,
    kind: str,
    scope: str,
    key: str,
    body_hash: str,
    create: Callable[[], T],
    result_id: Callable[[T], int],
    replay: Callable[[int], T | None],
) -> tuple[T, bool]:
    """Run ``create`` once per (kind, scope, key) and keep ``result_id(created)``; a retry with
    the same body gets ``replay(first id)`` and True, one with another body
    `IdempotencyKeyReused`. A record whose result no longer exists (``replay`` answers None) is
    taken over, as if it had been deleted with its result."""
    key = check_key(key)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                kind=kind, scope=scope, key=key, request_hash=body_hash
            )
    except IntegrityError:  # a first request holds the key (we waited for it to commit)
        record = IdempotencyRecord.objects.select_for_update().get(kind=kind, scope=scope, key=key)
        first = replay(record.result_id) if record.result_id is not None else None
        if first is not None and record.request_hash == body_hash:
            return first, True
        if first is not None:
            raise IdempotencyKeyReused(
                _(
                    "Idempotency-Key này đã được dùng cho một yêu cầu có nội dung khác; hãy dùng "
                    "một khóa mới cho mỗi hồ sơ."
                ),
                first_id=record.result_id,
            ) from None
        record.request_hash = body_hash
    created = create()
    record.result_id = result_id(created)
    record.save(update_fields=["request_hash", "result_id"])
    return created, False
