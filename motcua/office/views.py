"""Staff pages. Thin: find through selectors, call services, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.org.requests import actor_of
from motcua.org.selectors import list_memberships


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(list_memberships(actor_of(request)))
    units: dict[int, dict[str, object]] = {}
    for m in memberships:
        entry = units.setdefault(m.unit_id, {"unit": m.unit, "roles": []})
        entry["roles"].append(m.get_role_display())  # type: ignore[attr-defined]
    return render(request, "office/home.html", {"units": list(units.values())})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse(
            {"status": "error", "database": "unreachable", "detail": type(exc).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})
