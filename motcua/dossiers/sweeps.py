"""The periodic sweeps that watch a dossier's deadlines around the clock (`run_all`, every minute,
in the worker: `motcua.dossiers.tasks`).

What they watch (each a function below; `run_all` runs them all, every minute, in the worker):

* a step due soon — within its unit's threshold (2 working hours by default, `due_soon_threshold`)
  of its due: a reminder to its assignee (to the unit's heads while nobody is assigned);
* a step that became overdue: to its assignee and to the leaders of its unit (D9b);
* a dossier past its appointment: to the leaders of the receiving unit;
* a foreseen delay (D9a): one working day before the appointment, a dossier whose remaining steps
  cannot fit in the time left and that has no apology yet: a reminder to the assignee of its
  current step to draft the apology;

Idempotent: every sweep may run in several workers at the same moment; a notice is written only
by the sweep that claims its step or dossier (`motcua.notifications.claims`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from motcua.dossiers.models import Apology, Dossier, DossierStep, StepStatus
from motcua.dossiers.models import Status as DossierStatus
from motcua.dossiers.notices import dossier_context
from motcua.notifications import defaults
from motcua.notifications.claims import claim_mark, marked, notify_each
from motcua.notifications.models import SweepMark, UnitNoticeSettings
from motcua.notifications.services import due_soon_threshold
from motcua.org.models import Role, Staff, Unit
from motcua.org.selectors import unit_leaders, unit_staff_with_role
from motcua.workdays.models import OfficeHours
from motcua.workdays.rules import HOURS_PER_DAY, WorkCalendar
from motcua.workdays.services import calendar_for

logger = logging.getLogger("motcua.dossiers")

M = TypeVar("M", Dossier, DossierStep)

__all__ = [
    "run_all",
    "sweep_dossiers_overdue",
    "sweep_foreseen_delays",
    "sweep_steps_due_soon",
    "sweep_steps_overdue",
]

STEP_DUE_SOON = "step_due_soon"
STEP_OVERDUE = "step_overdue"
DOSSIER_OVERDUE = "dossier_overdue"
APOLOGY_DRAFT_DUE = "apology_draft_due"


# ----------------------------------------------------------------------------------- helpers
@dataclass
class _Cache:
    """Per-run caches: thresholds, calendars, leaders and heads of units."""

    thresholds: dict[int, Decimal] = field(default_factory=dict)
    staff: dict[tuple[int, str], list[Staff]] = field(default_factory=dict)

    def threshold(self, unit: Unit) -> Decimal:
        if unit.pk not in self.thresholds:
            self.thresholds[unit.pk] = due_soon_threshold(unit)
        return self.thresholds[unit.pk]

    def with_role(self, unit_id: int, role: str) -> list[Staff]:
        key = (unit_id, role)
        if key not in self.staff:
            self.staff[key] = (
                unit_leaders(unit_id)
                if role == Role.LEADER
                else unit_staff_with_role(unit_id, role)
            )
        return self.staff[key]


def _handlers(step: DossierStep, cache: _Cache) -> list[Staff]:
    """Who handles a step: its assignee, else the heads of its unit (who assign it)."""
    if step.assignee is not None and step.assignee.is_active:
        return [step.assignee]
    return cache.with_role(step.unit_id, Role.HEAD)


def _step_context(step: DossierStep) -> dict[str, Any]:
    return {
        **dossier_context(step.dossier),
        "step": step.name,
        "step_due_at": step.due_at,
        "assignee": step.assignee.get_full_name() if step.assignee else "",
    }


def _claimed_notice(
    kind: str,
    object_id: int,
    due_at: datetime,
    people: Iterable[Staff],
    template: str,
    context: dict[str, Any],
    *,
    dossier_id: int,
    now: datetime,
) -> int:
    """In one transaction: claim the deadline ``due_at`` of ``object_id`` for the sweep ``kind``
    and, if this call won the claim, notify each of ``people``; how many notices were written."""
    with transaction.atomic():
        if not claim_mark(kind, object_id, due_at, now=now):
            return 0
        return notify_each(
            people,
            template=template,
            context=context,
            key=f"{kind}:{object_id}:{due_at:%Y%m%d%H%M%S}",
            dossier_id=dossier_id,
        )


def _newly_past(qs: models.QuerySet[M], kind: str, *, now: datetime) -> models.QuerySet[M]:
    """The rows of ``qs`` whose ``due_at`` passed (since the look-back) and that the sweep
    ``kind`` has not announced yet, oldest first, one batch."""
    qs = qs.filter(due_at__lte=now, due_at__gt=_lookback(now)).exclude(marked(kind, "due_at"))
    return qs.order_by("due_at", "pk")[: _batch()]


def _batch() -> int:
    return int(settings.MOTCUA_NOTIFY["SWEEP_BATCH"])


def _lookback(now: datetime) -> datetime:
    """The oldest deadline still announced as newly passed."""
    return now - timedelta(days=float(settings.MOTCUA_NOTIFY["OVERDUE_LOOKBACK_DAYS"]))


def _open_steps() -> models.QuerySet[DossierStep]:
    return DossierStep.objects.filter(
        status=StepStatus.ACTIVE,
        counted=True,
        due_at__isnull=False,
        dossier__status__in=(DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS),
    ).select_related(
        "dossier__unit", "dossier__procedure", "dossier__applicant", "unit", "assignee"
    )


def _horizon(now: datetime, hours: Decimal) -> datetime:
    """The latest clock time that is `hours` working hours from now on any calendar in use (the
    system's and those of the units with office hours of their own)."""
    calendars: dict[int, WorkCalendar] = {id(c): c for c in [calendar_for(None)]}
    for unit in Unit.objects.filter(
        pk__in=OfficeHours.objects.filter(unit__isnull=False).values("unit_id")
    ):
        cal = calendar_for(unit)
        calendars[id(cal)] = cal
    return max(cal.add_working_hours(now, hours) for cal in calendars.values())


# ------------------------------------------------------------------------------------ sweeps
def sweep_steps_due_soon(*, now: datetime | None = None, cache: _Cache | None = None) -> int:
    """Remind the officer of each step that comes within its unit's threshold of its due."""
    now = now or timezone.now()
    cache = cache or _Cache()
    widest = max(
        [
            due_soon_threshold(None),
            *UnitNoticeSettings.objects.values_list("due_soon_working_hours", flat=True),
        ]
    )
    candidates = (
        _open_steps()
        .filter(due_at__gt=now, due_at__lte=_horizon(now, widest))
        .exclude(marked(STEP_DUE_SOON, "due_at"))
        .order_by("due_at", "pk")[: _batch()]
    )
    sent = 0
    for step in candidates:
        if step.due_at is None:  # excluded by the query; this tells the type checker
            continue
        left = calendar_for(step.unit).working_hours_between(now, step.due_at)
        if left > Fraction(cache.threshold(step.unit)):
            continue
        sent += _claimed_notice(
            STEP_DUE_SOON,
            step.pk,
            step.due_at,
            _handlers(step, cache),
            defaults.STEP_DUE_SOON,
            _step_context(step),
            dossier_id=step.dossier_id,
            now=now,
        )
    return sent


def sweep_steps_overdue(*, now: datetime | None = None, cache: _Cache | None = None) -> int:
    """Tell the officer and the unit's leaders of each step that became overdue."""
    now = now or timezone.now()
    cache = cache or _Cache()
    candidates = _newly_past(_open_steps(), STEP_OVERDUE, now=now)
    sent = 0
    for step in candidates:
        if step.due_at is None:  # excluded by the query; this tells the type checker
            continue
        sent += _claimed_notice(
            STEP_OVERDUE,
            step.pk,
            step.due_at,
            [*_handlers(step, cache), *cache.with_role(step.unit_id, Role.LEADER)],
            defaults.STEP_OVERDUE,
            _step_context(step),
            dossier_id=step.dossier_id,
            now=now,
        )
    return sent


def _running_dossiers() -> models.QuerySet[Dossier]:
    """Dossiers whose clock runs (awaiting a supplement, the clock is paused)."""
    return Dossier.objects.filter(
        status__in=(DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS), due_at__isnull=False
    ).select_related("unit", "procedure", "applicant")


def sweep_dossiers_overdue(*, now: datetime | None = None, cache: _Cache | None = None) -> int:
    """Tell the leaders of the receiving unit of each dossier that passed its appointment."""
    now = now or timezone.now()
    cache = cache or _Cache()
    candidates = _newly_past(_running_dossiers(), DOSSIER_OVERDUE, now=now)
    sent = 0
    for dossier in candidates:
        if dossier.due_at is None:
            continue
        sent += _claimed_notice(
            DOSSIER_OVERDUE,
            dossier.pk,
            dossier.due_at,
            cache.with_role(dossier.unit_id, Role.LEADER),
            defaults.DOSSIER_OVERDUE,
            dossier_context(dossier),
            dossier_id=dossier.pk,
            now=now,
        )
    return sent


def sweep_foreseen_delays(*, now: datetime | None = None, cache: _Cache | None = None) -> int:
    """D9a: one working day before the appointment, remind the officer of the current step of a
    dossier that cannot be ready in time (and has no apology yet) to draft the apology."""
    now = now or timezone.now()
    cache = cache or _Cache()
    window_end = _horizon(now, Decimal(HOURS_PER_DAY))
    has_apology = Exists(Apology.objects.filter(dossier_id=OuterRef("dossier_id")))
    candidates = (
        _open_steps()
        .filter(dossier__due_at__gt=now, dossier__due_at__lte=window_end)
        .filter(dossier__extension_used=False)
        .exclude(has_apology)
        .exclude(
            Exists(
                SweepMark.objects.filter(
                    kind=APOLOGY_DRAFT_DUE,
                    object_id=OuterRef("dossier_id"),
                    ref_at=OuterRef("dossier__due_at"),
                )
            )
        )
        .order_by("dossier__due_at", "pk")[: _batch()]
    )
    sent = 0
    for step in candidates:
        dossier = step.dossier
        if dossier.due_at is None or step.due_at is None:
            continue
        cal = calendar_for(dossier.unit)
        available = cal.working_hours_between(now, dossier.due_at)
        if available > HOURS_PER_DAY:
            continue  # the window opens one working day before the appointment, by its calendar
        later = list(
            DossierStep.objects.filter(
                dossier_id=dossier.pk, order__gt=step.order, counted=True, status=StepStatus.PENDING
            ).only("duration_working_hours")
        )
        # What the dossier still needs: the rest of the current step's budget (nothing once it
        # is overdue: its time is already spent) plus the budgets of the counted steps after it.
        own_left = max(calendar_for(step.unit).working_hours_between(now, step.due_at), Fraction(0))
        needed = own_left + sum((Fraction(s.duration_working_hours) for s in later), Fraction(0))
        if needed <= available:
            continue  # on course
        sent += _claimed_notice(
            APOLOGY_DRAFT_DUE,
            dossier.pk,
            dossier.due_at,
            _handlers(step, cache),
            defaults.APOLOGY_DRAFT_DUE,
            _step_context(step),
            dossier_id=dossier.pk,
            now=now,
        )
    return sent


SWEEPS: dict[str, Callable[..., int]] = {
    "steps_due_soon": sweep_steps_due_soon,
    "steps_overdue": sweep_steps_overdue,
    "dossiers_overdue": sweep_dossiers_overdue,
    "foreseen_delays": sweep_foreseen_delays,
}


def run_all(now: datetime | None = None) -> dict[str, Any]:
    """Run every deadline sweep once; how many notices each wrote. A sweep that fails is logged
    and does not stop the others (the next minute tries again)."""
    now = now or timezone.now()
    cache = _Cache()
    done: dict[str, Any] = {}
    for name, sweep in SWEEPS.items():
        try:
            done[name] = sweep(now=now, cache=cache)
        except Exception:
            logger.exception("sweep %s failed", name)
            done[name] = "error"
    return done
