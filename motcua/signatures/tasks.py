"""Background work of signatures (Huey). Task names are stable."""

from __future__ import annotations

from huey.contrib.djhuey import task

from motcua.core.tasks import with_db


@task(name="signatures.run_signing_request")
@with_db
def run_signing_request_task(request_id: int) -> None:
    """Sign what a leader confirmed (a token or a phone may take a while), then record it."""
    from motcua.signatures.services import run_signing_request

    run_signing_request(request_id)
