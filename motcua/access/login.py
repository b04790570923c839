"""One login protection for every door: the staff page /dang-nhap/, the admin and the API's
`POST /api/v1/auth/token` all authenticate through `ThrottledModelBackend`.

Before a password is even checked, one attempt is claimed per username (5 in 15 minutes) and per
client address (20 in 15 minutes) in the database (`services.claim`: a row lock per bucket, so
every process and every server sees one count and 30 simultaneous tries let at most 5 through).
A right password un-counts its attempts; over a limit the account (or the address) is locked
until the oldest attempt leaves the window, whatever the door, and the person is told when to
retry. An administrator unlocks an account in the admin (Truy cập → khóa do thử sai nhiều lần).
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from motcua.access import services as access

#: The attribute of the request where a refused login leaves its wait, in seconds.
WAIT_ATTRIBUTE = "motcua_login_retry_after"


def client_address(request: HttpRequest) -> str:
    """The client as the limits know it: the address the server sees (REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def user_bucket(username: str) -> str:
    return f"login:user:{username.strip().lower()}"


def login_wait(request: HttpRequest | None) -> int | None:
    """Seconds to wait when the last authentication of ``request`` was refused by a limit."""
    return getattr(request, WAIT_ATTRIBUTE, None) if request is not None else None


def locked_message(seconds: int) -> str:
    locked = _(
        "Tài khoản hoặc máy này đã đăng nhập sai quá nhiều lần nên tạm thời bị khóa."
        " Quản trị viên có thể mở khóa sớm hơn."
    )
    return f"{locked} {access.wait_message(seconds)}"


class ThrottledModelBackend(ModelBackend):
    """Django's model backend behind the shared login limits."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return None
        buckets = [(user_bucket(username), access.LOGIN_PER_USER)]
        if request is not None:
            buckets.append((f"login:client:{client_address(request)}", access.LOGIN_PER_CLIENT))
        try:
            claim = access.claim(*buckets)
        except access.Throttled as refused:
            if request is not None:
                setattr(request, WAIT_ATTRIBUTE, refused.retry_after_seconds)
            raise PermissionDenied from None  # authenticate() stops here: no other backend
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            claim.release()
            access.forget_attempts(user_bucket(username))
        return user


class _Locked:
    """Turns the form's "wrong password" into "locked, retry in N minutes" when it was a lock."""

    request: HttpRequest | None

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc]
        except ValidationError:
            wait = login_wait(self.request)
            if wait is not None:
                raise ValidationError(locked_message(wait), code="locked") from None
            raise


class ThrottledLoginForm(_Locked, AuthenticationForm):
    pass


class ThrottledAdminLoginForm(_Locked, AdminAuthenticationForm):
    pass


class ThrottledLoginView(LoginView):
    """The staff login page: 429 with Retry-After while the account or address is locked."""

    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        wait = login_wait(self.request)
        if wait is not None:
            context["locked_message"] = locked_message(wait)
        return context

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        wait = login_wait(self.request)
        if wait is not None:
            response.status_code = 429
            response["Retry-After"] = str(wait)
        return response
