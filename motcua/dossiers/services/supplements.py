"""Supplement requests (Mẫu 02) and the supplements that answer them; the clock's pause (D8)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core.errors import InvalidInput
from motcua.dossiers import notices, policy
from motcua.dossiers.models import (
    Dossier,
    DossierStep,
    EventKind,
    Status,
    StepStatus,
    SupplementRequest,
)
from motcua.dossiers.selectors import facts_of
from motcua.dossiers.services.common import (
    DossierChange,
    calendar_error,
    change_of,
    dues,
    fmt,
    hours,
    lock,
    now_or,
    open_step,
    optional_text,
    steps_of,
)
from motcua.org.models import Staff
from motcua.workdays.rules import CalendarError, WorkCalendar
from motcua.workdays.services import calendar_for


def _clean_items(items: Sequence[str]) -> list[str]:
    cleaned = [i.strip() for i in items if i and i.strip()]
    if not cleaned:
        raise InvalidInput(
            _("Hãy ghi ít nhất một nội dung cần bổ sung, hoàn thiện (Mẫu 02)."), field="items"
        )
    if any(len(i) > 1000 for i in cleaned):
        raise InvalidInput(_("Mỗi nội dung cần bổ sung dài tối đa 1000 ký tự."), field="items")
    return cleaned


@transaction.atomic
def request_supplement(
    *,
    dossier_id: int,
    actor: Staff,
    items: Sequence[str],
    note: str = "",
    now: datetime | None = None,
) -> SupplementRequest:
    """Mẫu 02. Before acceptance (status `submitted`): the desk's one written guidance; during
    processing: the dossier waits (`awaiting_supplement`) and, under PAUSE_CLOCK, stops counting."""
    cleaned = _clean_items(items)
    note = optional_text(note, field="note", label=_("lý do, ghi chú"))
    change = change_of(policy.REQUEST_SUPPLEMENT, dossier_id=dossier_id, actor=actor, now=now)
    dossier, at = change.dossier, change.at
    step: DossierStep | None = None
    if dossier.status in (Status.RECEIVED, Status.IN_PROGRESS):
        step = open_step(change.steps)
        dossier.status = Status.AWAITING_SUPPLEMENT
        if step is not None:
            step.status = StepStatus.PAUSED
        if dossier.procedure.supplement_policy != Procedure.SupplementPolicy.CONTINUE:
            dossier.paused_at = at
            if step is not None:
                step.paused_at = at
        dossier.save()
        if step is not None:
            step.save()
    request = SupplementRequest.objects.create(
        dossier=dossier,
        step=step,
        at_intake=change.from_status == Status.SUBMITTED,
        items=cleaned,
        note=note,
        requested_at=at,
        requested_by=actor,
    )
    change.record(EventKind.SUPPLEMENT_REQUESTED, note="; ".join(cleaned), step=step)
    notices.notify_supplement_request(dossier=dossier, request=request)
    return request


def shift(
    cal: WorkCalendar, due: datetime | None, paused_from: datetime, now: datetime
) -> datetime | None:
    if due is None or paused_from >= due:
        return due  # a due already passed when the pause began does not move
    return cal.shift_by_paused_time(due, paused_from, now)


def resume_clock(dossier: Dossier, step: DossierStep | None, *, now: datetime) -> timedelta:
    """End the clock's pause at ``now`` per the procedure's supplement policy (D8); returns the
    paused working time of the dossier's calendar."""
    policy_ = dossier.procedure.supplement_policy
    cal = calendar_for(dossier.unit)
    paused = timedelta(0)
    try:
        if policy_ == Procedure.SupplementPolicy.PAUSE and dossier.paused_at is not None:
            start = dossier.paused_at
            paused = hours(cal.working_hours_between(start, now))
            dossier.due_at = shift(cal, dossier.due_at, start, now)
            dossier.original_due_at = shift(cal, dossier.original_due_at, start, now)
            dossier.green_lane_due_at = shift(cal, dossier.green_lane_due_at, start, now)
            dossier.paused_working += paused
            if step is not None and step.paused_at is not None:
                step_cal = calendar_for(step.unit)
                step.due_at = shift(step_cal, step.due_at, step.paused_at, now)
                step.paused_working += hours(step_cal.working_hours_between(step.paused_at, now))
        elif policy_ == Procedure.SupplementPolicy.RESTART and dossier.paused_at is not None:
            effective, due, green = dues(dossier, cal, received_at=now)
            paused = hours(cal.working_hours_between(dossier.paused_at, now))
            dossier.effective_received_at = effective
            dossier.due_at = (
                max(due, dossier.due_at) if dossier.extension_used and dossier.due_at else due
            )
            dossier.original_due_at = due
            if dossier.green_lane:
                dossier.green_lane_due_at = green
            if step is not None:
                step.started_at = now
                step.due_at = calendar_for(step.unit).add_working_hours(
                    now, step.duration_working_hours
                )
    except CalendarError as exc:
        raise calendar_error(exc, "now") from exc
    dossier.paused_at = None
    if step is not None:
        step.status = StepStatus.ACTIVE
        step.paused_at = None
        step.save()
    return paused


@transaction.atomic
def receive_supplement(
    *, dossier_id: int, actor: Staff, note: str = "", now: datetime | None = None
) -> SupplementRequest:
    """The citizen's supplement arrived at the desk: the request is answered and the clock
    resumes, every due moved by the paused working time (D8)."""
    return _answer_supplement(dossier_id=dossier_id, actor=actor, note=note, now=now)


@transaction.atomic
def submit_supplement_online(
    *, dossier_id: int, note: str = "", now: datetime | None = None
) -> SupplementRequest:
    """The applicant sent the supplement online (the portal checked the code AND the secret):
    the request is answered and the clock resumes exactly as when the desk records it (D8)."""
    return _answer_supplement(dossier_id=dossier_id, actor=None, note=note, now=now)


def _answer_supplement(
    *, dossier_id: int, actor: Staff | None, note: str, now: datetime | None
) -> SupplementRequest:
    note = optional_text(note, field="note", label=_("ghi chú"))
    if actor is not None:
        change = change_of(policy.RECEIVE_SUPPLEMENT, dossier_id=dossier_id, actor=actor, now=now)
    else:  # the applicant answers their own request online (the portal checked the secret)
        dossier = lock(dossier_id)
        change = DossierChange(dossier, actor=None, at=now_or(now), steps=steps_of(dossier))
        policy.ensure_supplement_awaited(
            facts_of(
                dossier,
                steps=change.steps,
                apologies=(),
                open_request=dossier.supplement_requests.filter(answered_at__isnull=True).exists(),
            )
        )
    dossier, at = change.dossier, change.at
    request = dossier.supplement_requests.filter(answered_at__isnull=True).latest("requested_at")
    step: DossierStep | None = None
    if dossier.status != Status.SUBMITTED:
        step = open_step(change.steps)
        request.paused_working = resume_clock(dossier, step, now=at)
        started = any(s.status == StepStatus.DONE for s in change.steps)
        dossier.status = Status.IN_PROGRESS if started else Status.RECEIVED
        dossier.save()
    request.answered_at = at
    request.answered_by = actor
    request.answer_note = note
    request.save()
    if dossier.status != Status.SUBMITTED:
        note = (_("Hẹn trả kết quả %(due)s.") % {"due": fmt(dossier.due_at)} + " " + note).strip()
    change.record(EventKind.SUPPLEMENT_RECEIVED, note=note, step=step)
    return request
