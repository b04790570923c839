"""Template filters for times and dates as Vietnamese readers expect them (pages and forms)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def local(value: datetime | None, fmt: str = "%H:%M %d/%m/%Y") -> str:
    """A time in the local zone, "16:30 26/02/2026" (empty for None)."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime(fmt)


@register.filter
def vn_long(value: datetime | None) -> str:
    """ "16 giờ 30 phút, ngày 26 tháng 02 năm 2026", as the official forms write a time."""
    if value is None:
        return "…… giờ …… phút, ngày …… tháng …… năm ……"
    t = timezone.localtime(value)
    return f"{t:%H} giờ {t:%M} phút, ngày {t:%d} tháng {t:%m} năm {t:%Y}"


@register.filter
def vn_date(value: Any) -> str:
    """ "ngày 26 tháng 02 năm 2026"."""
    if value is None:
        return "ngày …… tháng …… năm ……"
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return f"ngày {value:%d} tháng {value:%m} năm {value:%Y}"
