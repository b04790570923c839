"""What a page shows about a dossier or a step: badges, the remaining or overdue working time
in words, and the actions the viewer may take — rendered from `motcua.dossiers.policy`, which
the services enforce: a button shown is an action the service accepts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from django.utils import timezone

from motcua.dossiers import policy
from motcua.dossiers.models import (
    OPEN_STATUSES,
    Dossier,
    DossierStep,
    Status,
    StepStatus,
)
from motcua.dossiers.selectors import dossier_is_overdue, step_is_overdue
from motcua.office.selectors import Viewer
from motcua.org.models import Unit
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
@dataclass(frozen=True)
class Actions:
    """The buttons the viewer sees on a dossier: exactly the actions the policy allows now
    (`motcua.dossiers.policy.allowed`), so a button shown is an action the service accepts."""

    allowed: frozenset[str]  # names of `policy.ACTIONS`
    sign: frozenset[int]  # the draft apologies the viewer may sign

    @property
    def any(self) -> bool:
        return bool(self.allowed)


def allowed_actions(viewer: Viewer, facts: policy.DossierFacts, *, now: datetime) -> Actions:
    return Actions(
        allowed=frozenset(policy.allowed(facts, viewer.actor, now=now)),
        sign=frozenset(policy.signable(facts, viewer.actor, now=now)),
    )
