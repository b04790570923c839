"""What every background task shares (Huey): the database connections around a task."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.db import connections
from huey.contrib.djhuey import HUEY

F = TypeVar("F", bound=Callable[..., Any])


def _tidy_connections() -> None:
    """Django's end-of-request tidying, except that a connection with CONN_MAX_AGE = 0 (SQLite
    in settings.py) is kept from one task to the next unless it broke or was left inside a
    transaction: reopening it for every task cost about a quarter of the worker's throughput
    (bench/notifications.py). Connections are per thread, so each worker thread keeps one."""
    for conn in connections.all(initialized_only=True):
        if conn.settings_dict.get("CONN_MAX_AGE"):
            conn.close_if_unusable_or_obsolete()
        elif conn.connection is not None:
            if not conn.get_autocommit() or (conn.errors_occurred and not conn.is_usable()):
                conn.close()
            else:
                conn.errors_occurred = False


def with_db(fn: F) -> F:
    """What djhuey's db_task does around a task (tidy the connections before and after), with
    the connection kept between tasks (_tidy_connections). Nothing in immediate mode (tests)."""

    @wraps(fn)
    def inner(*args: Any, **kwargs: Any) -> Any:
        if not HUEY.immediate:
            _tidy_connections()
        try:
            return fn(*args, **kwargs)
        finally:
            if not HUEY.immediate:
                _tidy_connections()

    return inner  # type: ignore[return-value]
