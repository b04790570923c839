"""Background work of the feedback app (Huey). Task names are stable."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import periodic_task

from motcua.core.periodic import once_per_period
from motcua.core.tasks import with_db
from motcua.feedback.sweeps import sweep_feedback_overdue

logger = logging.getLogger("motcua.feedback")


@periodic_task(crontab(minute="*"), name="feedback.sweep_overdue")
@once_per_period("feedback.sweep_overdue", "minute")
@with_db
def sweep_overdue_task() -> None:
    """Every minute: complaints past their respond-by time are escalated to their unit's leader,
    once (the feedback service claims each item under its row lock)."""
    sent = sweep_feedback_overdue()
    if sent:
        logger.info("feedback escalated: %s", sent)
