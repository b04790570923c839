"""What every dossier service shares: the row lock, the one event, the clock of a step, the
policy check, text cleaning and the look-up secret. Internal to `motcua.dossiers.services`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from fractions import Fraction

from django.utils.translation import gettext as _

from motcua.core import keys
from motcua.core.changes import Change
from motcua.core.clock import format_local, resolve_now
from motcua.core.errors import InvalidInput
from motcua.core.text import clean_text
from motcua.dossiers import notices, policy, rules
from motcua.dossiers.errors import DossierNotFound, InvalidStatus
from motcua.dossiers.models import (
    Dossier,
    DossierStep,
    Event,
    Status,
    StepStatus,
)
from motcua.dossiers.selectors import actor_facts, facts_of
from motcua.org.models import Staff
from motcua.workdays.rules import CalendarError, WorkCalendar
from motcua.workdays.services import calendar_for

now_or = resolve_now
fmt = format_local


def text(value: str, *, field: str, label: str, max_length: int) -> str:
    """Required text a person typed, cleaned (`motcua.core.text.clean_text`)."""
    return clean_text(value, field=field, label=label, required=True, max_length=max_length)


def optional_text(value: str, *, field: str, label: str, max_length: int = 2000) -> str:
    return clean_text(value, field=field, label=label, required=False, max_length=max_length)


def hours(fraction: Fraction) -> timedelta:
    return timedelta(microseconds=round(fraction * 3_600_000_000))


def calendar_error(exc: CalendarError, field: str) -> InvalidInput:
    return InvalidInput(exc.message_vi, field=field)


def lookup_secret_of(dossier: Dossier) -> str:
    """The dossier's look-up secret, derived again from its nonce (for an idempotent replay),
    with the look-up key, or for an older dossier the SECRET_KEY it was issued under
    (`motcua.core.keys`)."""
    return rules.format_secret(
        keys.recover(
            lambda key: rules.derive_secret(key, dossier.lookup_nonce),
            lambda secret: rules.hash_secret(dossier.code, secret) == dossier.lookup_secret_hash,
        )
    )


# ------------------------------------------------------------------------------- rows and locks
def lock(dossier_id: int) -> Dossier:
    """The dossier, locked until the transaction ends (every write starts here)."""
    try:
        return (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "unit")
            .get(pk=dossier_id)
        )
    except Dossier.DoesNotExist:
        raise DossierNotFound(_("Không tìm thấy hồ sơ.")) from None


def dossier_id_of_step(step_id: int) -> int:
    dossier_id = DossierStep.objects.filter(pk=step_id).values_list("dossier_id", flat=True).first()
    if dossier_id is None:
        raise DossierNotFound(_("Không tìm thấy bước xử lý."))
    return dossier_id


def steps_of(dossier: Dossier) -> list[DossierStep]:
    return list(dossier.steps.select_related("unit", "assignee").order_by("order"))


def open_step(steps: Sequence[DossierStep]) -> DossierStep | None:
    return next((s for s in steps if s.status in (StepStatus.ACTIVE, StepStatus.PAUSED)), None)


def chosen_step(steps: Sequence[DossierStep], step_id: int | None) -> DossierStep:
    """The step an action names (or the open one) — after :func:`ensure` accepted the action,
    which refuses a step that is not the dossier's."""
    step = next((s for s in steps if s.pk == step_id), None) if step_id else open_step(steps)
    if step is None:  # pragma: no cover - the policy refused this already
        raise InvalidStatus(_("Hồ sơ không có bước đang xử lý."))
    return step


def ensure(
    action: str,
    dossier: Dossier,
    actor: Staff,
    *,
    now: datetime,
    steps: Sequence[DossierStep],
    step_id: int | None = None,
    apology_id: int | None = None,
) -> policy.Actor:
    """Refuse ``action`` with the policy's DomainError unless ``actor`` may take it now on the
    locked ``dossier`` (`motcua.dossiers.policy`); the policy's view of the actor otherwise."""
    facts = facts_of(dossier, steps=steps, apologies=list(dossier.apologies.all()))
    who = actor_facts(actor)
    policy.ensure(action, facts, who, now=now, step_id=step_id, apology_id=apology_id)
    return who


class DossierChange(Change[Event]):
    """A change of a locked dossier (`motcua.core.changes.Change`), with its steps read under
    the lock."""

    event_model = Event
    subject = "dossier"

    def __init__(
        self,
        dossier: Dossier,
        *,
        actor: Staff | None,
        at: datetime,
        steps: list[DossierStep],
        from_status: str | None = None,
        who: policy.Actor | None = None,
    ) -> None:
        super().__init__(dossier, actor=actor, at=at, from_status=from_status)
        self.dossier = dossier
        self.steps = steps
        self.who = who  # the policy's view of the actor, when the policy was asked


def change_of(
    action: str,
    *,
    dossier_id: int,
    actor: Staff,
    now: datetime | None,
    step_id: int | None = None,
    apology_id: int | None = None,
) -> DossierChange:
    """Every service's first step: lock the dossier, read its steps and ask the policy whether
    ``actor`` may take ``action`` now (refusing with its DomainError); the change to make."""
    at = now_or(now)
    dossier = lock(dossier_id)
    steps = steps_of(dossier)
    who = ensure(
        action, dossier, actor, now=at, steps=steps, step_id=step_id, apology_id=apology_id
    )
    return DossierChange(dossier, actor=actor, at=at, steps=steps, who=who)


# ------------------------------------------------------------------------------ step clocks
def classify(finished_at: datetime, due_at: datetime | None, cal: WorkCalendar) -> str:
    if due_at is None:
        return ""
    return str(rules.classify_timeliness(finished_at=finished_at, due_at=due_at, tz=cal.tz))


def begin(step: DossierStep, *, at: datetime, cal: WorkCalendar) -> None:
    """Open ``step`` at ``at`` with its budget counted in Mode H on ``cal`` (the calendar of the
    step's unit), not yet written."""
    step.status = StepStatus.ACTIVE
    step.started_at = at
    step.finished_at = None
    step.timeliness = ""
    step.paused_at = None
    step.paused_working = timedelta(0)
    try:
        step.due_at = cal.add_working_hours(at, step.duration_working_hours)
    except CalendarError as exc:
        raise calendar_error(exc, "received_at") from exc


def activate(step: DossierStep, *, at: datetime) -> None:
    """`begin` on the step's own calendar, written."""
    begin(step, at=at, cal=calendar_for(step.unit))
    step.save()


def finish(step: DossierStep, *, at: datetime) -> None:
    step.status = StepStatus.DONE
    step.finished_at = at
    step.timeliness = classify(at, step.due_at, calendar_for(step.unit)) if step.counted else ""
    step.paused_at = None
    step.save()


def make_ready(
    dossier: Dossier, steps: Sequence[DossierStep], *, outcome: str, at: datetime
) -> DossierStep | None:
    """The result (or the not-eligible notice) exists: judge timeliness (D7), open the return."""
    dossier.status = Status.READY
    dossier.outcome = outcome
    dossier.ready_at = at
    dossier.timeliness = classify(at, dossier.original_due_at, calendar_for(dossier.unit))
    dossier.save()
    notices.notify_result_ready(dossier=dossier)
    return_step = next((s for s in steps if not s.counted and s.status == StepStatus.PENDING), None)
    if return_step is not None:
        activate(return_step, at=at)
    return return_step


def dues(
    dossier: Dossier, cal: WorkCalendar, *, received_at: datetime
) -> tuple[datetime, datetime, datetime | None]:
    """The effective reception, the appointment (D3/D5) and the green-lane target (D6) of a
    dossier received at ``received_at`` under its procedure version."""
    procedure = dossier.procedure
    effective, due = rules.appointment(
        cal,
        received_at=received_at,
        legal_working_days=procedure.legal_working_days,
        legal_working_hours=procedure.legal_working_hours,
        deadline_mode=procedure.deadline_mode,
        cutoff=procedure.cutoff_time,
    )
    green = (
        rules.green_lane_due(
            cal, effective_received_at=effective, hours=procedure.green_lane_hours, due_at=due
        )
        if dossier.green_lane
        else None
    )
    return effective, due, green
