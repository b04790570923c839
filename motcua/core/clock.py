"""The small time helpers every service shares."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput


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


def past_reception(at: datetime, *, now: datetime, field: str = "received_at") -> datetime:
    """A reception time entered by staff after the fact: with its zone, and not in the future
    (InvalidInput naming ``field`` otherwise)."""
    if timezone.is_naive(at):
        raise InvalidInput(
            _("Thời điểm tiếp nhận phải kèm múi giờ, ví dụ 2026-01-20T09:30:00+07:00."),
            field=field,
        )
    if at > now:
        raise InvalidInput(
            _("Thời điểm tiếp nhận %(at)s ở tương lai; chỉ được nhập thời điểm đã qua.")
            % {"at": format_local(at)},
            field=field,
        )
    return at
