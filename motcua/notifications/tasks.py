"""Background work of the outbox (Huey): deliver, retry with backoff, recover what was lost.

Task names are stable (a queued task must still find its function after a deploy). The tasks take
ids only and read the rows: the database is the truth, the queue only says "look at this row".
They return nothing: Huey would store every result (a write per task), and the outcome is on the
row already.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, on_startup, periodic_task, task

from motcua.notifications import services, sweeps

logger = logging.getLogger("motcua.notifications")

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


def _with_db(fn: F) -> F:
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


#: A task that fires this early (clocks of two machines) is put back rather than dropped.
EARLY_TOLERANCE_SECONDS = 5.0


@task(name="notifications.deliver", retries=3, retry_delay=10)
@_with_db
def deliver_task(message_id: int) -> None:
    """Deliver one message; on a transient failure schedule the next attempt (backoff).

    Huey's own retries cover only a failure of this function itself (the database unreachable);
    the delivery's retries are the row's `next_attempt_at`, which survives any restart.
    """
    outcome = services.deliver_message(message_id)
    if outcome.retry_at is not None:
        delay = (outcome.retry_at - timezone.now()).total_seconds()
        if outcome.status == "failed" or 0 < delay <= EARLY_TOLERANCE_SECONDS:
            services.enqueue_delivery(message_id, delay=max(delay, 0) + 0.05)


@task(name="notifications.recover")
@_with_db
def recover_task() -> None:
    """The stuck-message sweep, on demand (the worker runs it when it starts)."""
    services.sweep_stuck_messages()


@periodic_task(crontab(minute="*"), name="notifications.sweep_stuck")
@_with_db
def sweep_stuck_task() -> None:
    """Every minute: messages whose worker died mid-send, or whose task the queue lost."""
    services.sweep_stuck_messages()


@periodic_task(crontab(minute="*"), name="notifications.sweep_deadlines")
@_with_db
def sweep_deadlines_task() -> None:
    """Every minute: steps due soon, overdue steps and dossiers, foreseen delays (D9a), feedback
    past its respond-by time. Idempotent: each notice is claimed once (sweeps.py)."""
    done = sweeps.run_all()
    if any(done.values()):
        logger.info("deadline sweeps: %s", done)


@on_startup(name="notifications.recover_after_restart")
def recover_after_restart() -> None:
    """A restarted worker recovers at once what a killed one left: now, and again when the
    leases of the rows it was sending have run out."""
    lease = float(settings.MOTCUA_NOTIFY["LEASE_SECONDS"])
    try:
        recover_task()
        recover_task.schedule(delay=lease + 1)
    except Exception:
        logger.exception("could not schedule the recovery sweep")
