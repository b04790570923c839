"""``Cache-Control: no-store`` on every response that did not choose its caching itself.

The staff dossier page, the dossier JSON, the receipt and other PDF forms, the portal's
look-up: any response may carry a citizen's personal data, and a shared cache (a proxy, a
browser's back button on an office PC) must not keep it. A view whose answer is public and
the same for everyone says so with its own Cache-Control (static files, served by WhiteNoise
before this middleware, keep theirs).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreByDefault:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response
