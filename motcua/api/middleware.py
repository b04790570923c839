"""The API refuses the NUL character wherever a client can put it, before any view runs.

PostgreSQL cannot store U+0000 in text, and no field of the API needs it: a query parameter or
a JSON string carrying it answers 422 with a problem document naming where it was,
rather than a database error. (Django's forms refuse it on the pages already.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from motcua.api.problems import problem

API_PREFIX = "/api/"
#: A JSON string's escaped NUL: ``\u0000`` after an even number of backslashes.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class RejectNul:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            where = _nul_in(request)
            if where is not None:
                message = _("Không được chứa ký tự NUL (\\u0000).")
                return problem(
                    422,
                    _("Dữ liệu không hợp lệ ở: %(field)s. %(why)s")
                    % {"field": where, "why": message},
                    "invalid",
                    errors={where: [message]},
                )
        return self.get_response(request)


def _nul_in(request: HttpRequest) -> str | None:
    """Where a NUL is: a query parameter's name, or the field of the JSON body. (A NUL in the path
    reaches the view, which answers 404 like any unknown code.)"""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "") or "query"
    if request.content_type == "application/json" and _JSON_NUL.search(request.body):
        try:
            return _json_path(json.loads(request.body)) or "request"
        except ValueError:
            return "request"
    return None


def _json_path(value: Any, path: str = "") -> str | None:
    """The dotted path of the first string (or key) of a JSON value that holds a NUL."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return f"{path}.{key}".strip(".").replace("\x00", "")
            items.append((f"{path}.{key}".strip("."), item))
    elif isinstance(value, list):
        items = [(path, item) for item in value]
    for where, item in items:
        found = _json_path(item, where)
        if found is not None:
            return found or "request"
    return None
