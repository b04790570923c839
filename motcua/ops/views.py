"""/healthz (liveness), /readyz (readiness) and /metrics (Prometheus, behind a bearer token)."""

from __future__ import annotations

import hmac

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.ops import metrics, readiness


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: this process answers. Never the database: a database outage must not make
    the process manager restart every web process (that is what /readyz is for)."""
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness for the load balancer: 200 when the required parts answer, 503 with the
    state of each part otherwise."""
    ready, parts = readiness.readiness()
    body = {"status": "ok" if ready else "unavailable", **parts}
    if not ready:
        body["reason"] = ", ".join(
            f"{name}: {parts[name]['state']}"
            for name in readiness.REQUIRED
            if parts[name]["state"] not in ("ok", "not_configured")
        )
    response = JsonResponse(body, status=200 if ready else 503)
    add_never_cache_headers(response)
    return response


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """The Prometheus exposition, for a scraper holding MOTCUA_METRICS_TOKEN (Authorization:
    Bearer). Without a configured token the metrics are not served at all."""
    token = metrics.metrics_token()
    given = request.headers.get("Authorization", "")
    if not token:
        return JsonResponse(
            {"detail": _("Chưa cấu hình MOTCUA_METRICS_TOKEN: số liệu vận hành bị tắt.")},
            status=404,
        )
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        refused = JsonResponse(
            {"detail": _("Cần mã truy cập số liệu vận hành (Authorization: Bearer …).")},
            status=401,
        )
        refused["WWW-Authenticate"] = "Bearer"
        return refused
    response = HttpResponse(metrics.render(), content_type="text/plain; version=0.0.4")
    add_never_cache_headers(response)
    return response
