"""Request latency per route (`motcua.ops.metrics`)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from motcua.ops.metrics import REQUEST_LATENCY


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # the route pattern, never the path: a path holds codes and ids (unbounded labels)
        route = (match.route or match.view_name) if match else "unmatched"
        REQUEST_LATENCY.labels(route, request.method or "", str(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response
