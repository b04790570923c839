"""The steps of the internal procedure: assigning, completing and returning a step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput
from motcua.dossiers import policy
from motcua.dossiers.models import DossierStep, EventKind, Outcome, Status, StepStatus
from motcua.dossiers.services.common import (
    DossierChange,
    activate,
    change_of,
    chosen_step,
    dossier_id_of_step,
    finish,
    make_ready,
    optional_text,
    text,
)
from motcua.org.models import Role, Staff
from motcua.org.selectors import has_role


@transaction.atomic
def assign_step(
    *,
    dossier_id: int,
    actor: Staff,
    assignee: str,
    step_id: int | None = None,
    now: datetime | None = None,
) -> DossierStep:
    """The head of the step's unit names who handles the current step (or a later one)."""
    change = change_of(policy.ASSIGN, dossier_id=dossier_id, actor=actor, now=now, step_id=step_id)
    step = chosen_step(change.steps, step_id)
    person = Staff.objects.filter(username=assignee, is_active=True).first()
    if person is None:
        raise InvalidInput(
            _("Không có cán bộ đang hoạt động với tên đăng nhập %(user)s.") % {"user": assignee},
            field="assignee",
        )
    if not has_role(person, step.unit, step.role):
        raise InvalidInput(
            _("%(name)s không giữ vai trò %(role)s tại %(unit)s nên không thể thụ lý bước này.")
            % {
                "name": person.get_full_name(),
                "role": Role(step.role).label,
                "unit": step.unit.name,
            },
            field="assignee",
        )
    step.assignee = person
    step.save(update_fields=["assignee"])
    note = _("Giao %(name)s (%(user)s) thụ lý bước “%(step)s”.") % {
        "name": person.get_full_name(),
        "user": person.username,
        "step": step.name,
    }
    change.record(EventKind.STEP_ASSIGNED, note=note, step=step, to_unit=step.unit)
    return step


def _step_change(
    action: str, *, dossier_id: int | None, step_id: int | None, actor: Staff, now: datetime | None
) -> tuple[DossierChange, DossierStep]:
    """The change of a step action and the step it names. With ``dossier_id`` (what the faces
    pass: the dossier of the URL) ``step_id`` must be one of its steps (422 otherwise) and
    defaults to the current step; without it, the dossier is the step's."""
    if dossier_id is None:
        if step_id is None:
            raise InvalidInput(_("Hãy cho biết bước xử lý."), field="step")
        dossier_id = dossier_id_of_step(step_id)
    change = change_of(action, dossier_id=dossier_id, actor=actor, now=now, step_id=step_id)
    return change, chosen_step(change.steps, step_id)


#: What else happens when a step completes, inside its transaction: each hook gets the dossier
#: (locked), the step just finished, the actor and the moment, and may refuse with a DomainError
#: (the step then stays open: nothing changes). The documents app registers the leader's
#: signature of the result ("Ký cấp kết quả") from its AppConfig.ready(); this module imports no
#: app above it.
StepHook = Callable[..., None]
_completion_hooks: list[StepHook] = []


def register_step_completion(hook: StepHook) -> StepHook:
    """Add ``hook(*, dossier, step, actor, at)`` to what `complete_step` runs (once)."""
    if hook not in _completion_hooks:
        _completion_hooks.append(hook)
    return hook


@transaction.atomic
def complete_step(
    *,
    step_id: int | None = None,
    actor: Staff,
    note: str = "",
    dossier_id: int | None = None,
    now: datetime | None = None,
) -> DossierStep:
    """Finish the current step and hand the dossier to the next step's unit; the last counted
    step makes the dossier `ready` (outcome approved). Overdue without a signed apology → 409."""
    change, step = _step_change(
        policy.COMPLETE_STEP, dossier_id=dossier_id, step_id=step_id, actor=actor, now=now
    )
    note = optional_text(note, field="note", label=_("ghi chú"))
    dossier, at = change.dossier, change.at
    for hook in _completion_hooks:
        hook(dossier=dossier, step=step, actor=actor, at=at)
    finish(step, at=at)
    following = next((s for s in change.steps if s.order > step.order), None)
    if following is None or not following.counted:
        opened = make_ready(dossier, change.steps, outcome=Outcome.APPROVED, at=at)
        to_unit = opened.unit if opened is not None else dossier.unit
    else:
        activate(following, at=at)
        dossier.status = Status.IN_PROGRESS
        dossier.save(update_fields=["status"])
        to_unit = following.unit
    change.record(
        EventKind.STEP_COMPLETED, note=note, step=step, from_unit=step.unit, to_unit=to_unit
    )
    return step


@transaction.atomic
def return_step(
    *,
    step_id: int | None = None,
    actor: Staff,
    note: str,
    dossier_id: int | None = None,
    now: datetime | None = None,
) -> DossierStep:
    """Send the dossier back to the previous step (with the reason); that step opens again with
    a fresh budget. Returns the re-opened step."""
    reason = text(note, field="note", label=_("lý do trả lại"), max_length=2000)
    change, step = _step_change(
        policy.RETURN_STEP, dossier_id=dossier_id, step_id=step_id, actor=actor, now=now
    )
    previous = next(s for s in reversed(change.steps) if s.order < step.order)
    step.status = StepStatus.PENDING
    step.started_at = None
    step.due_at = None
    step.paused_working = timedelta(0)
    step.timeliness = ""
    step.save()
    activate(previous, at=change.at)
    change.record(
        EventKind.STEP_RETURNED, note=reason, step=step, from_unit=step.unit, to_unit=previous.unit
    )
    return previous
