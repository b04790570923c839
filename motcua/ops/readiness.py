"""Is this process ready for traffic? Each part with its state, the reason when it is not.

* database — a real read of a table AND a transaction that could write: on SQLite the file must
  exist (never created by the probe) and take a write lock within a second (`BEGIN IMMEDIATE`);
  on PostgreSQL the session must be read-write, within a statement timeout;
* redis — when REDIS_URL is set (the task queue): PING;
* storage — the documents' store (S3 when configured) and Django's default storage answer
  (`exists` of a probe name);
* replica — when DATABASE_REPLICA_URL is set: reachable and how far behind (not needed to serve:
  the router reads from the primary meanwhile);
* worker — the age of the last heartbeat of a worker (not needed to serve: the outbox keeps the
  notices until a worker comes back).

The required parts decide the answer (200 / 503); the others are reported.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.utils import timezone

from motcua.core import periodic, routers
from motcua.documents.storage import document_storage

TIMEOUT_SECONDS = 3.0
HEARTBEAT_STALE = timedelta(seconds=90)
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readyz")


def _bounded(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run a check in a thread, at most TIMEOUT_SECONDS (a hung socket is 'timeout')."""
    future = _pool.submit(check)
    try:
        return future.result(timeout=TIMEOUT_SECONDS)
    except FutureTimeout:
        return {"state": "timeout"}
    except Exception as exc:
        return {"state": "unreachable", "detail": type(exc).__name__}


def check_database() -> dict[str, Any]:
    if connection.vendor == "sqlite":
        return _check_sqlite(Path(str(connection.settings_dict["NAME"])))
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 2000")
                cursor.execute("SELECT COUNT(*) FROM django_migrations")
                cursor.fetchone()
                cursor.execute("SHOW transaction_read_only")
                row = cursor.fetchone()
        if row and row[0] == "on":
            return {"state": "read_only"}
    except Exception as exc:
        connection.close()  # the next request opens a fresh one
        return {"state": "unreachable", "detail": type(exc).__name__}
    return {"state": "ok"}


def _check_sqlite(path: Path) -> dict[str, Any]:
    if str(path) == ":memory:" or str(path).startswith("file:"):
        return {"state": "ok"}
    if not path.is_file():
        return {"state": "missing", "detail": str(path.name)}
    try:
        # mode=rw: never create the file; a 1 s busy timeout: a held write lock is "locked"
        probe = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=1.0)
    except sqlite3.Error as exc:
        return {"state": "unreachable", "detail": str(exc)}
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("SELECT COUNT(*) FROM django_migrations").fetchone()
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        text = str(exc)
        return {"state": "locked" if "locked" in text else "unreachable", "detail": text}
    finally:
        probe.close()
    return {"state": "ok"}


def check_redis() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"state": "not_configured"}
    import redis

    def ping() -> dict[str, Any]:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=1.0, socket_connect_timeout=1.0
        )
        try:
            client.ping()
        finally:
            client.close()
        return {"state": "ok"}

    return _bounded(ping)


def check_storage() -> dict[str, Any]:
    def probe() -> dict[str, Any]:
        # the documents' store (S3 on several machines) and Django's default storage
        document_storage().exists("readyz-probe")
        default_storage.exists("readyz-probe")
        location = getattr(default_storage, "location", None)
        if location is not None and not hasattr(default_storage, "bucket_name"):
            path = Path(location)
            path.mkdir(parents=True, exist_ok=True)
            if not path.is_dir() or not _writable(path):
                return {"state": "not_writable"}
        return {"state": "ok"}

    return _bounded(probe)


def _writable(path: Path) -> bool:
    import os

    return os.access(path, os.W_OK | os.X_OK)


def check_replica() -> dict[str, Any]:
    if not routers.has_replica():
        return {"state": "not_configured"}

    def lag() -> dict[str, Any]:
        try:
            seconds = routers.replica_lag_seconds()
        finally:
            connections[routers.REPLICA].close()  # a thread's own connection
        state = "ok" if seconds <= settings.MOTCUA_REPLICA_MAX_LAG else "lagging"
        return {"state": state, "lag_seconds": round(seconds, 3)}

    return _bounded(lag)


def check_worker() -> dict[str, Any]:
    try:
        last = periodic.last_beat()
    except Exception as exc:
        return {"state": "unknown", "detail": type(exc).__name__}
    if last is None:
        return {"state": "none"}
    age = (timezone.now() - last).total_seconds()
    return {"state": "ok" if age <= HEARTBEAT_STALE.total_seconds() else "stale", "age": age}


REQUIRED = ("database", "redis", "storage")


def readiness() -> tuple[bool, dict[str, Any]]:
    parts = {"database": check_database()}
    parts["redis"] = check_redis()
    parts["storage"] = check_storage()
    parts["replica"] = check_replica()
    parts["worker"] = check_worker() if parts["database"]["state"] == "ok" else {"state": "unknown"}
    ready = all(parts[name]["state"] in ("ok", "not_configured") for name in REQUIRED)
    return ready, parts
