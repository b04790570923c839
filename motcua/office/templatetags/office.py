"""Template helpers of the staff pages: the navigation by role, badges, local times."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

from motcua.org.models import Role

register = template.Library()


@register.inclusion_tag("office/_nav.html", takes_context=True)
def office_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The staff navigation, each entry shown to the roles that use it (one query, cached on
    the request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    from motcua.office.dossier_views import get_viewer  # the request's roles, read once

    viewer = get_viewer(request)  # type: ignore[arg-type]
    roles = {role for _, role in viewer.roles}
    su = user.is_superuser
    path = request.path  # type: ignore[union-attr]
    return {
        "show": True,
        "path": path,
        "reception": su or Role.RECEPTIONIST in roles,
        "work": bool(roles) or su,
        "apologies": su or Role.LEADER in roles,
        "board": su or bool(roles & {Role.LEADER, Role.HEAD, Role.SUPERVISOR}),
        "supervision": su or Role.SUPERVISOR in roles,
    }


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
