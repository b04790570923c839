"""Background work of the dossier app (Huey). Task names are stable."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import periodic_task

from motcua.core.periodic import once_per_period
from motcua.core.tasks import with_db
from motcua.dossiers import sweeps

logger = logging.getLogger("motcua.dossiers")


@periodic_task(crontab(minute="*"), name="dossiers.sweep_deadlines")
@once_per_period("dossiers.sweep_deadlines", "minute")
@with_db
def sweep_deadlines_task() -> None:
    """Every minute: steps due soon, overdue steps and dossiers, foreseen delays (D9a).
    Idempotent: each notice is claimed once (`motcua.notifications.claims`)."""
    done = sweeps.run_all()
    if any(done.values()):
        logger.info("deadline sweeps: %s", done)
