"""Background work of the access app (Huey). Task names are stable."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from motcua.access.services import purge_access_rows
from motcua.core.periodic import once_per_period

logger = logging.getLogger("motcua.access")


@db_periodic_task(crontab(hour="2", minute="15"), name="access.purge_access_rows")
@once_per_period("access.purge_access_rows", "day")
def purge_access_rows_task() -> None:
    """Every night at 02:15: long-expired API tokens and old counted attempts."""
    purged = purge_access_rows()
    if any(purged.values()):
        logger.info("access rows purged: %s", purged)
