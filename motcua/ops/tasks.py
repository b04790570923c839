"""Background work of operations (Huey). Task names are stable."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from motcua.core.periodic import once_per_period, prune_claims


@db_periodic_task(crontab(hour="3", minute="5"), name="ops.prune_claims")
@once_per_period("ops.prune_claims", "day")
def prune_claims_task() -> None:
    """Every night: period claims older than 30 days."""
    prune_claims()
