"""The nightly roll-up of the reports (`motcua.reports.facts`). A stable task name."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from motcua.core.periodic import once_per_period
from motcua.reports.facts import refresh_facts

logger = logging.getLogger("motcua.reports")


@db_periodic_task(crontab(hour="1", minute="30"), name="reports.refresh_facts")
@once_per_period("reports.refresh_facts", "day")
def refresh_facts_task() -> None:
    """Every night at 01:30: the last finished months and every month never rolled up."""
    months = refresh_facts()
    if months:
        logger.info("report roll-ups refreshed: %s", ", ".join(f"{m:%m/%Y}" for m in months))
