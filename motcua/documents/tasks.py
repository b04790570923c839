"""The documents' periodic sweep: staged online files never submitted, then orphan bytes."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from motcua.documents import services


@db_periodic_task(crontab(minute="*/15"), name="documents.sweep_files")
def sweep_files() -> tuple[int, int]:
    return services.sweep_staged(), services.sweep_orphans()
