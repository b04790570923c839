"""What a page shows about a dossier or a step: badges, the remaining or overdue working time
in words, and the actions the viewer may take — rendered from `motcua.dossiers.policy`, which
the services enforce: a button shown is an action the service accepts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext, ngettext

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
from motcua.workdays.rules import HOURS_PER_DAY, CalendarError, WorkCalendar
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


def working_span(hours: Fraction) -> str:
    """The size of a working time, labelled as such: "1 ngày 7 giờ làm việc", "30 phút làm
    việc" (1 day = 8 working hours; minutes truncated; days and hours from a day up, hours and
    minutes below), in the active language — the same cut as
    `motcua.workdays.rules.describe_working_hours`."""
    minutes = math.floor(abs(hours) * 60)
    if minutes == 0:
        return gettext("dưới 1 phút làm việc")
    days, rest = divmod(minutes, HOURS_PER_DAY * 60)
    hrs, mins = divmod(rest, 60)
    parts: list[str] = []
    if days:
        parts.append(ngettext("%(n)d ngày", "%(n)d ngày", days) % {"n": days})
        if hrs:
            parts.append(ngettext("%(n)d giờ", "%(n)d giờ", hrs) % {"n": hrs})
    else:
        if hrs:
            parts.append(ngettext("%(n)d giờ", "%(n)d giờ", hrs) % {"n": hrs})
        if mins:
            parts.append(ngettext("%(n)d phút", "%(n)d phút", mins) % {"n": mins})
    return gettext("%(time)s làm việc") % {"time": " ".join(parts)}


def _working_hours(
    cal: WorkCalendar, due_at: datetime | None, *, now: datetime, paused_at: datetime | None
) -> Fraction | None:
    if due_at is None:
        return None
    try:
        return cal.working_hours_between(paused_at or now, due_at)
    except CalendarError:
        return None


def remaining_words(
    cal: WorkCalendar, due_at: datetime | None, *, now: datetime, paused_at: datetime | None = None
) -> str:
    """ "còn 2 giờ làm việc", "quá hạn 1 ngày 3 giờ làm việc", "đến hạn" — working time from now
    (or from the pause) to the due, in the active language; empty when there is no due."""
    hours = _working_hours(cal, due_at, now=now, paused_at=paused_at)
    return "" if hours is None else working_time_words(hours)


def working_time_words(hours: Fraction) -> str:
    """ "còn …", "quá hạn …" or "đến hạn" for a signed working time (hours; negative: overdue)."""
    if hours == 0:
        return gettext("đến hạn")
    span = working_span(hours)
    if hours > 0:
        return gettext("còn %(span)s") % {"span": span}
    return gettext("quá hạn %(span)s") % {"span": span}


@dataclass
class Clock:
    """The state of a due for a list row or the dossier page."""

    due_at: datetime | None
    words: str = ""  # "còn 2 giờ làm việc", "quá hạn 1 ngày làm việc"
    span: str = ""  # "1 ngày làm việc": beside a "Quá hạn" badge, which already says overdue
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
    _tell(clock, cals.of(dossier.unit), now=now, paused_at=dossier.paused_at)
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
    _tell(clock, cals.of(step.unit), now=now, paused_at=step.paused_at)
    return clock


def _tell(clock: Clock, cal: WorkCalendar, *, now: datetime, paused_at: datetime | None) -> None:
    hours = _working_hours(cal, clock.due_at, now=now, paused_at=paused_at)
    if hours is not None:
        clock.words = working_time_words(hours)
        clock.span = working_span(hours) if hours else clock.words


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
