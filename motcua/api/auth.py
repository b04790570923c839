"""Bearer tokens for the API (API.md, Conventions).

`POST /api/v1/auth/token` with `{"username", "password"}` answers `{"token", "expires_at"}`; only
the token's SHA-256 is stored (`motcua.access.services`). Failed attempts are counted per
username (5 in 15 minutes) and per client address (20 in 15 minutes) in a database table, so every
worker process sees them; over either limit the endpoint answers 429 with `Retry-After`, even for
the right password, until the window has passed. A success clears the username's count.

`BearerToken` is the first authentication of the API, before the browser session: a request with
`Authorization: Bearer <token>` is authenticated by its token (an invalid or expired token is 401,
never a fall-back to the session); a request with neither a token nor a session cookie is 401 at
once (rather than the session's CSRF 403).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from pydantic import Field as PydanticField

from motcua.access import services as access
from motcua.access.login import login_wait
from motcua.api.dossiers import Input, local
from motcua.api.problems import Problem, problem

router = Router(tags=["auth"])


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if not header:
            if settings.SESSION_COOKIE_NAME not in request.COOKIES:
                raise AuthenticationError()
            return None  # the browser session decides
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError()
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        staff = access.staff_for_token(token)
        if staff is None:
            raise AuthenticationError()
        return staff


class TokenIn(Input):
    username: str = PydanticField(min_length=1, max_length=150)
    password: str = PydanticField(min_length=1, max_length=256)


class TokenOut(Schema):
    token: str
    expires_at: datetime


def _too_many(seconds: int) -> HttpResponse:
    refused = _("Đăng nhập sai quá nhiều lần.")
    return problem(
        429,
        f"{refused} {access.wait_message(seconds)}",
        "too_many_attempts",
        headers={"Retry-After": str(seconds)},
    )


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 400: Problem, 401: Problem, 422: Problem, 429: Problem},
    summary="Exchange a username and password for a bearer token",
)
def token(request: HttpRequest, payload: TokenIn) -> Any:
    """The same login limits as the staff page and the admin (`motcua.access.login`)."""
    now = timezone.now()
    staff = authenticate(request, username=payload.username, password=payload.password)
    wait = login_wait(request)
    if wait is not None:
        return _too_many(wait)
    if staff is None or not staff.is_active:
        return problem(
            401,
            _("Sai tên đăng nhập hoặc mật khẩu."),
            "invalid_credentials",
            headers={"WWW-Authenticate": 'Bearer realm="motcua"'},
        )
    plain, expires_at = access.issue_token(staff=staff, now=now)  # type: ignore[arg-type]
    return TokenOut(token=plain, expires_at=local(expires_at))  # type: ignore[arg-type]


@router.post(
    "/token/revoke",
    auth=None,
    response={204: None, 401: Problem},
    summary="Revoke the bearer token this request is sent with",
)
def revoke(request: HttpRequest) -> Any:
    """The token's owner ends it now (API.md, additions); a password change ends all older ones."""
    scheme, _sep, plain = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not access.revoke_token(token=plain.strip()):
        return problem(
            401,
            _("Thiếu mã truy cập hợp lệ (Authorization: Bearer …)."),
            "unauthorized",
            headers={"WWW-Authenticate": 'Bearer realm="motcua"'},
        )
    return HttpResponse(status=204)
