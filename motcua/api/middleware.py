"""Every API request passes these checks before any view runs, and a refused one answers a
problem document (application/problem+json), never a database error, a 500 or an HTML page:

* NUL (U+0000) and unpaired UTF-16 surrogates ("\\ud800") in a query parameter or a JSON
  string: PostgreSQL cannot store the first, no encoding the second → 422 naming the field.
* A date or date-time (a query parameter or a JSON string that is an ISO 8601 date) outside
  `motcua.core.bounds` (01/01/1900 – 31/12/2199) → 422 naming the field (year 1 with a +14:00
  offset, or 9999-12-31 plus a day, overflowed before).
* A body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` that is not a file upload → 413.
(A NUL in the path reaches the view, which answers 404 like any unknown code. Django's forms
refuse NUL on the pages already; `core.text.clean_text` refuses surrogates in every service.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from motcua.api.problems import problem
from motcua.core.bounds import has_surrogate, iso_year_out_of_range, range_text

API_PREFIX = "/api/"
#: The working-calendar endpoints refuse every instant outside their own, narrower years
#: (2020–2030) with their own sentence, before any arithmetic can overflow.
OWN_DATE_RANGE = "/api/v1/calendar/"


def _why(value: str, *, dates: bool = True) -> str | None:
    """What is wrong with one string a client sent (None: nothing)."""
    if "\x00" in value:
        return _("Không được chứa ký tự NUL (\\u0000).")
    if has_surrogate(value):
        return _("Không được chứa nửa cặp UTF-16 (\\ud800–\\udfff) đứng riêng.")
    if dates and iso_year_out_of_range(value):
        return _("Ngày phải nằm trong khoảng %(range)s.") % {"range": range_text()}
    return None


def too_large() -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return problem(
        413,
        _("Nội dung gửi lên quá lớn (tối đa %(mb)s MB); tệp hãy gửi dạng multipart.")
        % {"mb": f"{limit / 1_048_576:.1f}".replace(".", ",")},
        "too_large",
    )


class RejectNul:
    """The input checks of the API (the name stays: settings name it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            if _declared_too_large(request):
                return too_large()
            try:
                found = _bad_input(request)
            except RequestDataTooBig:
                return too_large()
            if found is not None:
                where, message = found
                return problem(
                    422,
                    _("Dữ liệu không hợp lệ ở: %(field)s. %(why)s")
                    % {"field": where, "why": message},
                    "invalid",
                    errors={where: [message]},
                )
        return self.get_response(request)


def _declared_too_large(request: HttpRequest) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.content_type == "multipart/form-data":
        return False
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return False


def _bad_input(request: HttpRequest) -> tuple[str, str] | None:
    """Where the first bad string is (a query parameter's name, or the dotted field of the JSON
    body) and why."""
    dates = not request.path.startswith(OWN_DATE_RANGE)
    for key, values in request.GET.lists():
        for text in (key, *values):
            why = _why(text, dates=dates)
            if why is not None:
                return (key.replace("\x00", "") or "query", why)
    if request.content_type == "application/json" and request.body:
        try:
            data = json.loads(request.body)
        except ValueError:
            return None  # the view's parser answers "not JSON"
        return _json_path(data)
    return None


def _json_path(value: Any, path: str = "") -> tuple[str, str] | None:
    """The dotted path of the first string (or key) of a JSON value that is refused, and why."""
    if isinstance(value, str):
        why = _why(value)
        return (path or "request", why) if why is not None else None
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}".strip(".")
            why = _why(key) if ("\x00" in key or has_surrogate(key)) else None
            if why is not None:
                return (where.replace("\x00", "") or "request", why)
            items.append((where, item))
    elif isinstance(value, list):
        items = [(path, item) for item in value]
    for where, item in items:
        found = _json_path(item, where)
        if found is not None:
            return found
    return None
