"""What every portal page shares: the 404 page and the navigation section."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    section: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(request, template, {"section": section, **(context or {})}, status=status)


def not_found(request: HttpRequest, *, section: str = "") -> HttpResponse:
    return page(request, "portal/not_found.html", section=section, status=404)
