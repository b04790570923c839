"""The two small time helpers every service shares."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def resolve_now(now: datetime | None) -> datetime:
    """The injected `now` of a service (tests pin time), or the current instant."""
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    return now


def format_local(at: datetime | None) -> str:
    """An instant as a person reads it in Asia/Ho_Chi_Minh: "17:00 26/02/2026" (— when none)."""
    if at is None:
        return "—"
    return timezone.localtime(at).strftime("%H:%M %d/%m/%Y")
