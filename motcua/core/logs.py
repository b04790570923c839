"""JSON logs with a request id, carried from the request into the tasks it queues.

`RequestIdMiddleware` takes the load balancer's `X-Request-ID` (when it is a plain token) or makes
one, keeps it in a context variable for the request's logs and answers it in the response
header. A task queued during the request carries it in its Huey task id (`<request id>~<uuid>`);
the worker puts it back into the context variable while the task runs (`core.apps`), so one grep
finds a reception and the notices its task sent. `JsonFormatter` writes one JSON object a line.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
SEPARATOR = "~"
HEADER = "X-Request-ID"


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(value: str | None) -> str:
    """The caller's id when it is a plain token (no log injection), else a new one."""
    if value and _VALID.match(value):
        return value
    return new_request_id()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = accept_request_id(request.headers.get(HEADER))
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = rid
        return response


# --- Huey: the request id travels in the task id --------------------------------------------


def tag_task(signal: str, task: Any, *args: Any) -> None:
    """SIGNAL_ENQUEUED (before the task is serialised): prefix the id with the request id."""
    rid = request_id.get()
    if rid and SEPARATOR not in str(task.id):
        task.id = f"{rid}{SEPARATOR}{task.id}"


def request_id_of_task(task_id: str) -> str:
    head, sep, _ = str(task_id).partition(SEPARATOR)
    return head if sep else ""


def enter_task(task: Any) -> None:
    """pre_execute (in the worker thread that runs the task)."""
    request_id.set(request_id_of_task(task.id))


def leave_task(task: Any, *args: Any) -> None:
    """post_execute."""
    request_id.set("")


# --- the formatter --------------------------------------------------------------------------

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request id, and
    whatever `extra=` the call gave. Never the request's body or headers (no secrets)."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if rid := request_id.get():
            out["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            out["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)
