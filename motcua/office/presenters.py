"""What a page shows about a dossier or a step: badges, the remaining or overdue working time
in words, and the actions the viewer's roles allow. No writes: the services stay the judges (a
button shown here may still be refused, with the service's reason; a button hidden here is also
refused by the service when its URL is posted)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from django.utils import timezone

from motcua.dossiers.models import (
    OPEN_STATUSES,
    ApologyStatus,
    Dossier,
    DossierStep,
    Status,
    StepStatus,
)
from motcua.dossiers.selectors import current_step, dossier_is_overdue, step_is_overdue
from motcua.office.selectors import Viewer
from motcua.org.models import Role, Unit
from motcua.workdays.rules import CalendarError, WorkCalendar, describe_working_hours
from motcua.workdays.services import calendar_for


class Calendars:
    """The working calendars of the units a page needs, each asked for once per request."""

    def __init__(self) -> None:
        self._by_unit: dict[int, WorkCalendar] = {}

    def of(self, unit: Unit) -> WorkCalendar:
        cal = self._by_unit.get(unit.pk)
        if cal is None:
            cal = self._by_unit[unit.pk] = calendar_for(unit)
        return cal


def remaining_words(
    cal: WorkCalendar, due_at: datetime | None, *, now: datetime, paused_at: datetime | None = None
) -> str:
    """ "còn 2 giờ", "quá hạn 1 ngày 3 giờ" — working time from now (or from the pause) to the
    due; empty when there is no due."""
    if due_at is None:
        return ""
    at = paused_at or now
    try:
        hours: Fraction = cal.working_hours_between(at, due_at)
    except CalendarError:
        return ""
    return describe_working_hours(hours)


@dataclass
class Clock:
    """The state of a due for a list row or the dossier page."""

    due_at: datetime | None
    words: str = ""
    overdue: bool = False
    due_today: bool = False
    paused: bool = False


def dossier_clock(dossier: Dossier, cals: Calendars, *, now: datetime) -> Clock:
    clock = Clock(due_at=dossier.due_at)
    if dossier.status not in OPEN_STATUSES or dossier.due_at is None:
        return clock
    clock.paused = dossier.status == Status.AWAITING_SUPPLEMENT
    clock.overdue = dossier_is_overdue(dossier, now)
    clock.due_today = not clock.overdue and (
        timezone.localdate(dossier.due_at) == timezone.localdate(now)
    )
    clock.words = remaining_words(
        cals.of(dossier.unit), dossier.due_at, now=now, paused_at=dossier.paused_at
    )
    return clock


def step_clock(step: DossierStep, cals: Calendars, *, now: datetime) -> Clock:
    clock = Clock(due_at=step.due_at)
    if step.status not in (StepStatus.ACTIVE, StepStatus.PAUSED) or not step.counted:
        return clock
    clock.paused = step.status == StepStatus.PAUSED
    clock.overdue = step_is_overdue(step, now)
    if step.due_at is not None:
        clock.due_today = not clock.overdue and (
            timezone.localdate(step.due_at) == timezone.localdate(now)
        )
    clock.words = remaining_words(
        cals.of(step.unit), step.due_at, now=now, paused_at=step.paused_at
    )
    return clock


# ----------------------------------------------------------------------------------- actions
@dataclass
class Actions:
    """The buttons the viewer may see on a dossier (mirrors the services' role checks)."""

    accept: bool = False
    refuse: bool = False
    request_supplement: bool = False
    receive_supplement: bool = False
    assign: bool = False
    complete: bool = False
    return_step: bool = False
    draft_apology: bool = False
    sign: set[int] = field(default_factory=set)  # apology ids the viewer may sign
    return_result: bool = False
    stop: bool = False

    @property
    def any(self) -> bool:
        return any(
            (
                self.accept,
                self.refuse,
                self.request_supplement,
                self.receive_supplement,
                self.assign,
                self.complete,
                self.return_step,
                self.draft_apology,
                self.sign,
                self.return_result,
                self.stop,
            )
        )


def may_act_on_step(viewer: Viewer, step: DossierStep) -> bool:
    return step.assignee_id == viewer.staff.pk or viewer.has(step.unit_id, step.role)


def allowed_actions(viewer: Viewer, dossier: Dossier) -> Actions:
    """From the prefetched steps, apologies and supplement requests of ``dossier``."""
    acts = Actions()
    if not viewer.staff.is_active:
        return acts
    desk = viewer.has(dossier.unit_id, Role.RECEPTIONIST)
    step = current_step(dossier)
    steps = list(dossier.steps.all())
    open_request = any(r.answered_at is None for r in dossier.supplement_requests.all())
    status = dossier.status
    if status == Status.SUBMITTED:
        acts.accept = desk and not open_request
        acts.refuse = desk
        acts.request_supplement = desk and not open_request
        acts.receive_supplement = desk and open_request
    if status in OPEN_STATUSES:
        acts.refuse = desk
        step_actor = step is not None and may_act_on_step(viewer, step)
        if status in (Status.RECEIVED, Status.IN_PROGRESS) and step is not None:
            movable = step.status == StepStatus.ACTIVE and step.counted
            acts.complete = movable and step_actor
            acts.return_step = movable and step_actor and any(s.order < step.order for s in steps)
            acts.request_supplement = step.counted and (step_actor or desk)
        if status == Status.AWAITING_SUPPLEMENT:
            acts.receive_supplement = step_actor or desk
        if step is not None:
            acts.assign = viewer.has(step.unit_id, Role.HEAD)
            acts.draft_apology = step.counted and (
                step_actor or viewer.has(step.unit_id, Role.SPECIALIST, Role.HEAD)
            )
        for apology in dossier.apologies.all():
            if apology.status == ApologyStatus.DRAFT and (
                viewer.has(apology.step.unit_id, Role.LEADER)
                or viewer.has(dossier.unit_id, Role.LEADER)
            ):
                acts.sign.add(apology.pk)
    if status == Status.READY:
        acts.return_result = desk
    if status not in (Status.READY, Status.RETURNED, Status.REFUSED, Status.STOPPED):
        acts.stop = desk
    return acts


@dataclass
class Gate:
    """D9 (b): the current step is overdue; what is missing and who must act."""

    step: DossierStep
    drafted: bool
    leaders: list[str]


def gate_of(dossier: Dossier, *, now: datetime) -> Gate | None:
    """The gate of the current step, or None when it is not overdue or an apology for it was
    signed since it (re)started (the rule of `services.complete_step`)."""
    step = current_step(dossier)
    if step is None or not step_is_overdue(step, now):
        return None
    started = step.started_at
    mine = [a for a in dossier.apologies.all() if a.step_id == step.pk]
    if any(
        a.status == ApologyStatus.SIGNED
        and a.signed_at is not None
        and (started is None or a.signed_at >= started)
        for a in mine
    ):
        return None
    drafted = any(a.status == ApologyStatus.DRAFT for a in mine)
    return Gate(step=step, drafted=drafted, leaders=[])
