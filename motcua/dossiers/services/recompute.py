"""Recomputing the dues of running dossiers after the working calendar changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier, DossierStep, EventKind, Status, StepStatus
from motcua.dossiers.services.common import DossierChange, dues, fmt, lock, now_or, steps_of
from motcua.dossiers.services.supplements import shift
from motcua.workdays.rules import CalendarError
from motcua.workdays.services import CalendarChanged, calendar_for, register_recomputer


def _replay_dues(dossier: Dossier, steps: Sequence[DossierStep]) -> bool:
    """Recompute the dues of an open dossier from its facts on the current calendar: the
    reception, the answered supplement requests (pauses or restarts), the extension. Returns
    True when a due moved."""
    procedure = dossier.procedure
    policy = procedure.supplement_policy
    if dossier.received_at is None:
        return False
    cal = calendar_for(dossier.unit)
    pauses = [
        (r.requested_at, r.answered_at, r.step_id)
        for r in dossier.supplement_requests.filter(
            at_intake=False, answered_at__isnull=False
        ).order_by("requested_at")
        if r.answered_at is not None
    ]
    start = dossier.received_at
    if policy == Procedure.SupplementPolicy.RESTART and pauses:
        start = pauses[-1][1]
    effective, due, green = dues(dossier, cal, received_at=start)
    if policy == Procedure.SupplementPolicy.PAUSE:
        for paused_at, resumed_at, _step in pauses:
            due = cal.shift_by_paused_time(due, paused_at, resumed_at) if paused_at < due else due
            green = shift(cal, green, paused_at, resumed_at)
    fields = ("effective_received_at", "original_due_at", "due_at", "green_lane_due_at")
    before = tuple(getattr(dossier, f) for f in fields)
    dossier.effective_received_at = effective
    dossier.original_due_at = due
    if not dossier.extension_used:
        dossier.due_at = due
    dossier.green_lane_due_at = green
    changed = before != tuple(getattr(dossier, f) for f in fields)
    for step in steps:
        if step.status != StepStatus.ACTIVE or step.started_at is None:
            continue
        step_cal = calendar_for(step.unit)
        step_due = step_cal.add_working_hours(step.started_at, step.duration_working_hours)
        if policy == Procedure.SupplementPolicy.PAUSE:
            for paused_at, resumed_at, step_id in pauses:
                if step_id == step.pk and paused_at >= step.started_at and paused_at < step_due:
                    step_due = step_cal.shift_by_paused_time(step_due, paused_at, resumed_at)
        if step_due != step.due_at:
            step.due_at = step_due
            step.save(update_fields=["due_at"])
            changed = True
    if changed:
        dossier.save()
    return changed


@register_recomputer
def recompute_deadlines(change: CalendarChanged, *, now: datetime | None = None) -> int:
    """The recomputer registered with `workdays.services.register_recomputer`: after the working
    calendar changed, recompute the dues of the running dossiers (received, in progress) received
    by the changed units or with a step there (all units when None), whose due is on or after the
    first changed date (any when the dates are None). Each dossier is locked and recomputed from
    its facts; each one whose dues moved gets one `deadline_recomputed` event. Returns how many
    dossiers moved. Paused dossiers are left alone: their dues move when the clock resumes."""
    now = now_or(now)
    if change.nothing:
        return 0
    qs = Dossier.objects.filter(
        status__in=[Status.RECEIVED, Status.IN_PROGRESS], due_at__isnull=False
    )
    first = change.first_moment()
    if first is not None:
        qs = qs.filter(due_at__gte=first)
    if change.unit_ids is not None:
        ids = list(change.unit_ids)
        qs = qs.filter(Q(unit_id__in=ids) | Q(steps__unit_id__in=ids))
    count = 0
    for dossier_id in qs.values_list("pk", flat=True).distinct().order_by("pk"):
        with transaction.atomic():
            dossier = lock(dossier_id)
            if dossier.status not in (Status.RECEIVED, Status.IN_PROGRESS):
                continue
            try:
                moved = _replay_dues(dossier, steps_of(dossier))
            except CalendarError:
                continue  # outside the calendar's years: nothing this change can fix
            if moved:
                count += 1
                note = _("Hẹn trả kết quả %(due)s.") % {"due": fmt(dossier.due_at)}
                DossierChange(dossier, actor=change.actor, at=now, steps=[]).record(
                    EventKind.DEADLINE_RECOMPUTED, note=f"{change.reason.strip()} {note}".strip()
                )
    return count
