"""The end of processing: refusal (Mẫu 03, or the not-eligible notice), the return of the
result to the applicant, and stopping at the applicant's request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.dossiers import policy
from motcua.dossiers.models import (
    OPEN_STATUSES,
    Dossier,
    DossierStep,
    EventKind,
    Outcome,
    Status,
    StepStatus,
)
from motcua.dossiers.services.common import (
    change_of,
    finish,
    make_ready,
    open_step,
    optional_text,
    text,
)
from motcua.dossiers.services.supplements import resume_clock
from motcua.org.models import Staff


def _close_open_steps(steps: Sequence[DossierStep], *, at: datetime, judged: bool) -> None:
    for step in steps:
        if step.status in (StepStatus.ACTIVE, StepStatus.PAUSED):
            if judged:
                finish(step, at=at)
            else:
                step.status = StepStatus.DONE
                step.finished_at = at
                step.paused_at = None
                step.save()


@transaction.atomic
def refuse_dossier(
    *, dossier_id: int, actor: Staff, reason: str, now: datetime | None = None
) -> Dossier:
    """From `submitted`: refused at intake (Mẫu 03). In processing: the written notice that the
    dossier is not eligible — `ready` with outcome `not_eligible`, timeliness judged."""
    reason = text(reason, field="reason", label=_("lý do từ chối"), max_length=2000)
    change = change_of(policy.REFUSE, dossier_id=dossier_id, actor=actor, now=now)
    dossier, at = change.dossier, change.at
    if dossier.status == Status.SUBMITTED:
        dossier.status = Status.REFUSED
        dossier.refused_at = at
        dossier.save()
    elif dossier.status in OPEN_STATUSES:
        current = open_step(change.steps)
        if dossier.status == Status.AWAITING_SUPPLEMENT:
            resume_clock(dossier, current, now=at)
        _close_open_steps([current] if current else [], at=at, judged=True)
        make_ready(dossier, change.steps, outcome=Outcome.NOT_ELIGIBLE, at=at)
    change.record(EventKind.REFUSED, note=reason)
    return dossier


@transaction.atomic
def return_to_applicant(
    *, dossier_id: int, actor: Staff, note: str = "", now: datetime | None = None
) -> Dossier:
    """The result is handed to the applicant (trả kết quả); the return step, if any, closes."""
    note = optional_text(note, field="note", label=_("ghi chú"))
    change = change_of(policy.RETURN, dossier_id=dossier_id, actor=actor, now=now)
    dossier = change.dossier
    _close_open_steps(change.steps, at=change.at, judged=False)
    dossier.status = Status.RETURNED
    dossier.returned_at = change.at
    dossier.save()
    change.record(EventKind.RETURNED, note=note)
    return dossier


@transaction.atomic
def stop_dossier(
    *, dossier_id: int, actor: Staff, reason: str, now: datetime | None = None
) -> Dossier:
    """The applicant asked to stop (Decree 118 Art. 21): possible only before a decision."""
    reason = text(reason, field="reason", label=_("lý do dừng giải quyết"), max_length=2000)
    change = change_of(policy.STOP, dossier_id=dossier_id, actor=actor, now=now)
    dossier = change.dossier
    _close_open_steps(change.steps, at=change.at, judged=False)
    dossier.status = Status.STOPPED
    dossier.stopped_at = change.at
    dossier.paused_at = None
    dossier.save()
    change.record(EventKind.STOPPED, note=reason)
    return dossier
