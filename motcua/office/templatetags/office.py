"""Template helpers of the staff pages: the navigation by role, badges, local times."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.http import HttpRequest
from django.utils.translation import get_language, gettext, ngettext

from motcua.core.templatetags.vn import local, vn_date, vn_long
from motcua.org.models import Role

register = template.Library()


@register.inclusion_tag("office/_nav.html", takes_context=True)
def office_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The staff navigation, each entry shown to the roles that use it (one query, cached on
    the request)."""
    request = context.get("request")
    if not isinstance(request, HttpRequest) or not request.user.is_authenticated:
        return {"show": False}
    from motcua.office.dossier_views import get_viewer  # the request's roles, read once

    viewer = get_viewer(request)
    roles = {role for _, role in viewer.roles}
    su = viewer.staff.is_superuser
    path = request.path
    return {
        "show": True,
        "path": path,
        "reception": su or Role.RECEPTIONIST in roles,
        "work": bool(roles) or su,
        "apologies": su or Role.LEADER in roles,
        "board": su or bool(roles & {Role.LEADER, Role.HEAD, Role.SUPERVISOR}),
        "supervision": su or Role.SUPERVISOR in roles,
        "complaints": su or bool(roles),
    }


# The time and date filters of motcua/core/templatetags/vn.py, for the pages that load "office".
register.filter("local", local)
register.filter("vn_long", vn_long)
register.filter("vn_date", vn_date)


def _amount(value: Decimal) -> tuple[str, int]:
    """0,5 and the count ngettext picks the form by (a fraction takes the plural)."""
    text = f"{Decimal(value).normalize():f}"
    count = int(value) if value == value.to_integral_value() else 2
    return (text if get_language() == "en" else text.replace(".", ",")), count


@register.filter
def legal_time(procedure: Any) -> str:
    """A procedure's statutory time with its unit: "0,5 ngày làm việc", "4 giờ làm việc", and
    "Trả kết quả trong ngày" for 0 days (never "0 ngày làm việc")."""
    if procedure.legal_working_hours is not None:
        text, n = _amount(procedure.legal_working_hours)
        return ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", n) % {"n": text}
    days = procedure.legal_working_days or Decimal(0)
    if days == 0:
        return gettext("Trả kết quả trong ngày")
    text, n = _amount(days)
    return ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", n) % {"n": text}
