"""Template helpers of the staff pages: the navigation by role, badges, local times."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

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
    }


# The time and date filters of motcua/core/templatetags/vn.py, for the pages that load "office".
register.filter("local", local)
register.filter("vn_long", vn_long)
register.filter("vn_date", vn_date)
