"""Background work of the outbox (Huey): deliver, retry with backoff, recover what was lost.

Task names are stable (a queued task must still find its function after a deploy). The tasks take
ids only and read the rows: the database is the truth, the queue only says "look at this row".
They return nothing: Huey would store every result (a write per task), and the outcome is on the
row already.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import on_startup, periodic_task, task

from motcua.core.periodic import once_per_period
from motcua.core.tasks import with_db
from motcua.notifications import services

logger = logging.getLogger("motcua.notifications")

#: A task that fires this early (clocks of two machines) is put back rather than dropped.
EARLY_TOLERANCE_SECONDS = 5.0


@task(name="notifications.deliver", retries=3, retry_delay=10)
@with_db
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
@with_db
def recover_task() -> None:
    """The stuck-message sweep, on demand (the worker runs it when it starts)."""
    services.sweep_stuck_messages()


@periodic_task(crontab(minute="*"), name="notifications.sweep_stuck")
@once_per_period("notifications.sweep_stuck", "minute")
@with_db
def sweep_stuck_task() -> None:
    """Every minute: messages whose worker died mid-send, or whose task the queue lost."""
    services.sweep_stuck_messages()


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
