"""Reads of the access tables that the faces need."""

from __future__ import annotations

from motcua.access.models import IdempotencyRecord


def idempotency_key_used(*, kind: str, scope: str, key: str) -> bool:
    """Whether a request of ``kind`` already came with this Idempotency-Key in ``scope`` (a
    replay, which a rate limit does not count again)."""
    return IdempotencyRecord.objects.filter(kind=kind, scope=scope, key=key.strip()).exists()
