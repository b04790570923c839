"""What every face needs to let callers in and keep them from overdoing it (API.md,
Conventions): API bearer tokens, idempotency records (the first result of a POST sent with an
Idempotency-Key, for dossiers and feedback alike) and counted attempts of the rate limits.

This app knows no domain app: an idempotency record names its result by ``kind`` and
``result_id`` (a dossier's or a feedback item's id), not by a foreign key.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Staff


class ApiToken(models.Model):
    """A bearer token of the API; only its SHA-256 is stored."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    #: A fingerprint of the owner's password hash when the token was issued: a password change
    #: makes every older token fail (like Django's sessions).
    password_mark = models.CharField(max_length=64, blank=True, default="")
    revoked_at = models.DateTimeField(null=True, blank=True)
    #: The last four characters of the plain token, to tell one's tokens apart on the staff page.
    hint = models.CharField(max_length=8, blank=True, default="")

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        indexes = [models.Index(fields=("expires_at",), name="api_token_expires")]

    def __str__(self) -> str:
        return f"{self.staff_id} → {self.expires_at:%d/%m/%Y %H:%M}"


class IdempotencyRecord(models.Model):
    """The first result of a POST sent with an Idempotency-Key (API.md, Conventions): one per
    (kind, scope, key). ``kind`` names what was created ("dossier", "feedback"), ``result_id``
    its id, set in the transaction that created it."""

    kind = models.CharField(max_length=40)
    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    result_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khóa chống gửi trùng")
        verbose_name_plural = _("khóa chống gửi trùng")
        constraints = [
            models.UniqueConstraint(
                fields=("kind", "scope", "key"), name="idempotency_kind_scope_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.scope}:{self.key}"


class RateLimitBucket(models.Model):
    """One row per rate-limit bucket, locked while an attempt is claimed (`services.claim`), so
    that concurrent attempts of one bucket are counted one after the other and never more than
    the limit are let through, whatever the number of processes."""

    name = models.CharField(_("nhóm đếm"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("khóa do thử sai nhiều lần")
        verbose_name_plural = _("khóa do thử sai nhiều lần")

    def __str__(self) -> str:
        return self.name


class RateLimitHit(models.Model):
    """One counted attempt (a failed login, a missed look-up) of a bucket, for 429 answers."""

    bucket = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("lần thử bị đếm")
        verbose_name_plural = _("lần thử bị đếm")
        indexes = [models.Index(fields=("bucket", "at"), name="rate_limit_bucket_at")]

    def __str__(self) -> str:
        return f"{self.bucket} {self.at:%d/%m/%Y %H:%M:%S}"
