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
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from motcua.access.models import ApiToken, IdempotencyRecord, RateLimitBucket, RateLimitHit
from motcua.core.errors import InvalidInput
from motcua.org.models import Staff

TOKEN_PREFIX = "mc_"  # noqa: S105 - a visible prefix, not a secret

T = TypeVar("T")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# ------------------------------------------------------------------------------------ tokens
def token_lifetime() -> timedelta:
    return timedelta(hours=float(getattr(settings, "MOTCUA_API_TOKEN_HOURS", 12)))


def password_mark(staff: Staff) -> str:
    """A keyed fingerprint of the staff member's password hash: it changes with the password."""
    return salted_hmac("motcua.access.token", staff.password, algorithm="sha256").hexdigest()


def _mark_matches(staff: Staff, mark: str) -> bool:
    """Whether ``mark`` was made from the current password (with SECRET_KEY or a fallback)."""
    for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        expected = salted_hmac(
            "motcua.access.token", staff.password, secret=key, algorithm="sha256"
        ).hexdigest()
        if secrets.compare_digest(expected, mark):
            return True
    return False


def issue_token(*, staff: Staff, now: datetime | None = None) -> tuple[str, datetime]:
    """A new bearer token for ``staff`` and its expiry; the plain token is never stored."""
    now = now or timezone.now()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = now + token_lifetime()
    ApiToken.objects.create(
        staff=staff,
        token_hash=_sha256(token),
        expires_at=expires_at,
        password_mark=password_mark(staff),
        hint=token[-4:],
    )
    return token, expires_at


def _token_row(token: str, now: datetime) -> ApiToken | None:
    if not token or len(token) > 200:
        return None
    row = (
        ApiToken.objects.select_related("staff")
        .filter(token_hash=_sha256(token), expires_at__gt=now, revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.staff.is_active or not _mark_matches(row.staff, row.password_mark):
        return None
    return row


def staff_for_token(token: str, *, now: datetime | None = None) -> Staff | None:
    """The active staff member a valid, unexpired, unrevoked token belongs to, issued since the
    last change of their password; else None."""
    row = _token_row(token, now or timezone.now())
    return row.staff if row is not None else None


@transaction.atomic
def revoke_token(*, token: str, now: datetime | None = None) -> bool:
    """Revoke the (valid) bearer token ``token``; False when it was not valid."""
    now = now or timezone.now()
    row = _token_row(token, now)
    if row is None:
        return False
    return bool(ApiToken.objects.filter(pk=row.pk, revoked_at__isnull=True).update(revoked_at=now))


@transaction.atomic
def revoke_token_of(*, staff: Staff, token_id: int, now: datetime | None = None) -> bool:
    """Revoke one of ``staff``'s own tokens by its id (the staff page); False when there is no
    such live token of theirs."""
    now = now or timezone.now()
    return bool(
        ApiToken.objects.filter(
            pk=token_id, staff=staff, revoked_at__isnull=True, expires_at__gt=now
        ).update(revoked_at=now)
    )


def live_tokens_of(staff: Staff, *, now: datetime | None = None) -> list[ApiToken]:
    """The staff member's tokens that still open the API, newest first."""
    now = now or timezone.now()
    rows = ApiToken.objects.filter(staff=staff, revoked_at__isnull=True, expires_at__gt=now)
    return [r for r in rows.order_by("-created_at", "-pk") if _mark_matches(staff, r.password_mark)]


# -------------------------------------------------------------------------------- rate limits
@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` counted attempts per ``window`` in one bucket."""

    attempts: int
    window: timedelta


LOGIN_PER_USER = Limit(5, timedelta(minutes=15))
LOGIN_PER_CLIENT = Limit(20, timedelta(minutes=15))
LOOKUP_MISSES_PER_CLIENT = Limit(20, timedelta(minutes=10))
#: Online submissions (the public API and the portal) per client address and per session.
SUBMISSIONS_PER_CLIENT = Limit(10, timedelta(hours=1))
SUBMISSIONS_PER_SESSION = Limit(5, timedelta(hours=1))
#: Posts of the portal's form that store chosen files, per client address and per session (the
#: files wait in staging until submitted or swept; documents caps them per session too).
STAGING_PER_CLIENT = Limit(20, timedelta(hours=1))
STAGING_PER_SESSION = Limit(10, timedelta(hours=1))


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


class Throttled(Exception):
    """A bucket is over its limit; ``retry_after_seconds`` until one of its attempts leaves it."""

    def __init__(self, retry_after_seconds: int, bucket: str) -> None:
        super().__init__(bucket)
        self.retry_after_seconds = retry_after_seconds
        self.bucket = bucket


@dataclass(frozen=True)
class Claim:
    """Attempts counted by `claim` before the work they guard; `release` un-counts them (an
    attempt that turned out well, e.g. the right password, is not a failure)."""

    hit_ids: tuple[int, ...]

    def release(self) -> None:
        RateLimitHit.objects.filter(pk__in=self.hit_ids).delete()


def _lock_bucket(name: str) -> None:
    for _attempt in range(3):  # the nightly purge may delete an idle bucket in between
        RateLimitBucket.objects.get_or_create(name=name)
        if RateLimitBucket.objects.select_for_update().filter(name=name).first() is not None:
            return


def claim(*buckets: tuple[str, Limit], now: datetime | None = None) -> Claim:
    """Count one attempt in each bucket BEFORE the attempt is evaluated, atomically: under a row
    lock of each bucket (in a fixed order), refuse with `Throttled` when any bucket is at its
    limit, else record the attempts. However many processes try at once, at most ``attempts``
    of a bucket get through per window."""
    now = now or timezone.now()
    with transaction.atomic():
        for name, _limit in sorted(buckets, key=lambda b: b[0]):
            _lock_bucket(name)
        for name, limit in buckets:
            wait = retry_after(name, limit, now=now)
            if wait is not None:
                raise Throttled(wait, name)
        ids = []
        for name, limit in buckets:
            RateLimitHit.objects.filter(bucket=name, at__lte=now - limit.window).delete()
            ids.append(RateLimitHit.objects.create(bucket=name, at=now).pk)
    return Claim(tuple(ids))


@transaction.atomic
def unlock(*, bucket: str) -> int:
    """Forget every counted attempt of ``bucket`` (the administrator's unlock); how many."""
    _lock_bucket(bucket)
    deleted, _ = RateLimitHit.objects.filter(bucket=bucket).delete()
    return deleted


def count_miss(bucket: str, limit: Limit, *, now: datetime | None = None) -> int | None:
    """Count one miss (a wrong look-up secret, an unknown code) in ``bucket`` atomically; None
    when it was under the limit (answer the miss), else the seconds to wait (answer 429). Every
    answered miss is counted under the bucket's lock: 50 simultaneous guesses get at most
    ``limit.attempts`` answers."""
    try:
        claim((bucket, limit), now=now)
    except Throttled as refused:
        return refused.retry_after_seconds
    return None


def wait_message(seconds: int) -> str:
    """When to try again, for a person: "… sau 7 phút"."""
    return _("Hãy thử lại sau %(n)s phút.") % {"n": max(1, (seconds + 59) // 60)}


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
    counted = RateLimitHit.objects.filter(bucket=OuterRef("name"))
    RateLimitBucket.objects.filter(~Exists(counted)).delete()  # an idle bucket is made again
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
