"""The staff member behind a request, typed: the one way a face learns who is acting."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from motcua.org.models import Staff


class StaffRequest(HttpRequest):
    """A request of a signed-in staff member: the office's login-required views (``user``) and
    the API's authenticated endpoints (``auth``, the bearer token's or the session's Staff)."""

    user: Staff
    auth: Staff


def actor_of(request: HttpRequest) -> Staff:
    """The staff member acting in ``request``: the API's authenticated Staff, else the signed-in
    user. PermissionDenied when there is none (the view forgot its login check)."""
    actor = getattr(request, "auth", None) or getattr(request, "user", None)
    if not isinstance(actor, Staff) or not actor.is_authenticated:
        raise PermissionDenied
    return actor
