"""Reads that may go to the streaming replica (DATABASE_REPLICA_URL), and the rest that may not.

The router sends a read to the "replica" database only while a request allowed it
(`ReplicaMiddleware`: a GET or HEAD on one of MOTCUA_REPLICA_PATHS — reports, exports, public
statistics, boards), outside any transaction, and when the replica answered recently and is less
than MOTCUA_REPLICA_MAX_LAG seconds behind. Everything else stays on the primary: the public
look-up, every write, every read inside a transaction, and every read of a client that wrote in
the last few seconds (a cookie pins it to the primary: it reads what it wrote).
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("motcua.routers")

REPLICA = "replica"
PIN_COOKIE = "motcua_primary"
PIN_SECONDS = 15
_replica_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "replica_allowed", default=False
)
#: Set when a read of the current request went to the replica (the X-MotCua-Read header).
_replica_used: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar(
    "replica_used", default=None
)
READ_HEADER = "X-MotCua-Read"
_state_lock = threading.Lock()
_state: dict[str, float] = {"checked_at": -1e9, "usable": 0.0}
CHECK_EVERY = 5.0


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


def replica_lag_seconds() -> float:
    """How far the replica is behind the primary: 0 when it replayed all it received."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
            "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
        )
        row = cursor.fetchone()
    return float(row[0] or 0) if row else 0.0


def replica_usable() -> bool:
    """Checked at most every few seconds per process: reachable and not too far behind."""
    now = time.monotonic()
    with _state_lock:
        if now - _state["checked_at"] < CHECK_EVERY:
            return bool(_state["usable"])
        _state["checked_at"] = now
    try:
        usable = replica_lag_seconds() <= settings.MOTCUA_REPLICA_MAX_LAG
    except Exception:  # any failure of the replica means "read from the primary"
        logger.warning("replica unusable, reading from the primary", exc_info=True)
        connections[REPLICA].close()
        usable = False
    _state["usable"] = float(usable)
    return usable


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside this block may go to the replica (a report, an export, a board)."""
    token = _replica_allowed.set(True)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not _replica_allowed.get() or not has_replica():
            return None
        if transaction.get_connection().in_atomic_block:
            return None
        if not replica_usable():
            return None
        if (used := _replica_used.get()) is not None:
            used.append(True)
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # one database, two copies

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA  # a replica follows the primary's WAL


class ReplicaMiddleware:
    """Allows replica reads for GET/HEAD requests on MOTCUA_REPLICA_PATHS; pins a client that
    has just written to the primary for PIN_SECONDS (read-after-write). The X-MotCua-Read
    header says where the request's reads went ("replica" or "primary")."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            if has_replica() and response.status_code < 400:
                response.set_cookie(
                    PIN_COOKIE, "1", max_age=PIN_SECONDS, httponly=True, samesite="Lax"
                )
            return response
        allowed = (
            has_replica()
            and PIN_COOKIE not in request.COOKIES
            and any(request.path.startswith(p) for p in settings.MOTCUA_REPLICA_PATHS)
        )
        if not allowed:
            response = self.get_response(request)
            if has_replica():
                response[READ_HEADER] = "primary"
            return response
        used: list[bool] = []
        token = _replica_used.set(used)
        try:
            with replica_reads():
                response = self.get_response(request)
        finally:
            _replica_used.reset(token)
        response[READ_HEADER] = "replica" if used else "primary"
        return response
