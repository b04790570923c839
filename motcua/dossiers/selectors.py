"""Reads of dossiers, always scoped to what the caller may see (STYLE §1).

Visibility: a staff member sees the dossiers received by a unit where they hold any active role,
and those with a step handled by such a unit (an inter-agency step at a department makes the
ward's dossier visible to that department). Another unit's dossier does not exist for them
(404, not 403). Superusers see every dossier.

Work lists put the green lane first, then the nearest due. Every list is a bounded number of
queries: the related rows come with `select_related` / `prefetch_related`, never in a loop.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import (
    OPEN_STATUSES,
    OPEN_STEP_STATUSES,
    Apology,
    Dossier,
    DossierStep,
    Event,
    Status,
    StepStatus,
    SupplementRequest,
)
from motcua.org.models import Membership, Staff


def _my_unit_ids(staff: Staff) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(staff=staff, active=True, unit__active=True).values("unit_id")


def dossiers_visible_to(staff: Staff) -> QuerySet[Dossier]:
    if not staff.is_active:
        return Dossier.objects.none()
    if staff.is_superuser:
        return Dossier.objects.all()
    units = _my_unit_ids(staff)
    step_here = DossierStep.objects.filter(dossier=OuterRef("pk"), unit_id__in=units)
    return Dossier.objects.filter(Q(unit_id__in=units) | Exists(step_here))


def with_details(qs: QuerySet[Dossier], *, events: bool = True) -> QuerySet[Dossier]:
    """Everything a Dossier document shows, in a fixed number of queries."""
    qs = qs.select_related("procedure", "unit", "applicant").prefetch_related(
        Prefetch(
            "steps",
            queryset=DossierStep.objects.select_related("unit", "assignee").order_by("order"),
        ),
        Prefetch(
            "apologies",
            queryset=Apology.objects.select_related("drafted_by", "signed_by").order_by(
                "drafted_at", "pk"
            ),
        ),
    )
    if events:
        qs = qs.prefetch_related(
            Prefetch("events", queryset=Event.objects.select_related("actor").order_by("at", "pk")),
            Prefetch(
                "supplement_requests",
                queryset=SupplementRequest.objects.order_by("requested_at", "pk"),
            ),
        )
    return qs


def get_dossier_for(staff: Staff, code: str) -> Dossier:
    """The dossier ``code`` with its details, or DossierNotFound (404) when it is not visible."""
    dossier = None
    if "\x00" not in code:
        dossier = with_details(dossiers_visible_to(staff)).filter(code=code).first()
    if dossier is None:
        raise DossierNotFound(
            _("Không tìm thấy hồ sơ %(code)s, hoặc hồ sơ không thuộc đơn vị của bạn.")
            % {"code": code}
        )
    return dossier


def get_public_dossier(code: str) -> Dossier | None:
    """For the public look-up (the caller checks the secret): steps and signed apologies."""
    if "\x00" in code:
        return None
    return (
        Dossier.objects.select_related("procedure", "unit", "applicant")
        .prefetch_related(
            Prefetch("steps", queryset=DossierStep.objects.order_by("order")),
            Prefetch(
                "apologies",
                queryset=Apology.objects.filter(status="signed").order_by("signed_at", "pk"),
            ),
        )
        .filter(code=code)
        .first()
    )


def work_order(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Green lane first, then the nearest due (dossiers without a due last), then the code."""
    return qs.order_by("-green_lane", F("due_at").asc(nulls_last=True), "code")


def overdue_q(now: datetime) -> Q:
    """Open dossiers past their current appointment (a paused one: past it when it paused)."""
    return Q(status__in=[Status.RECEIVED, Status.IN_PROGRESS], due_at__lt=now) | Q(
        status=Status.AWAITING_SUPPLEMENT, due_at__lt=F("paused_at")
    )


def _local_midnight(on: date) -> datetime:
    return datetime.combine(on, time(0), tzinfo=timezone.get_current_timezone())


def list_dossiers(
    staff: Staff,
    *,
    status: str | None = None,
    unit_code: str | None = None,
    overdue: bool | None = None,
    green_lane: bool | None = None,
    assignee: Staff | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    now: datetime | None = None,
) -> QuerySet[Dossier]:
    """The visible dossiers, filtered, in work order. ``received_from``/``received_to`` are local
    dates, both inclusive. ``assignee``: dossiers whose open step is assigned to that person."""
    now = now or timezone.now()
    qs = dossiers_visible_to(staff)
    if status:
        qs = qs.filter(status=status)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if overdue is not None:
        qs = qs.filter(overdue_q(now)) if overdue else qs.exclude(overdue_q(now))
    if green_lane is not None:
        qs = qs.filter(green_lane=green_lane)
    if assignee is not None:
        mine = DossierStep.objects.filter(
            dossier=OuterRef("pk"), assignee=assignee, status__in=OPEN_STEP_STATUSES
        )
        qs = qs.filter(Exists(mine))
    if received_from is not None:
        qs = qs.filter(received_at__gte=_local_midnight(received_from))
    if received_to is not None:
        qs = qs.filter(received_at__lt=_local_midnight(received_to + timedelta(days=1)))
    return work_order(qs)


def list_work(staff: Staff) -> QuerySet[DossierStep]:
    """The open steps the person may handle: assigned to them, or unassigned in a unit where
    they hold the step's role. Green lane first, then the nearest due."""
    roles = Membership.objects.filter(
        staff=staff,
        active=True,
        unit__active=True,
        unit_id=OuterRef("unit_id"),
        role=OuterRef("role"),
    )
    return (
        DossierStep.objects.filter(status__in=OPEN_STEP_STATUSES, dossier__status__in=OPEN_STATUSES)
        .filter(Q(assignee=staff) | (Q(assignee__isnull=True) & Exists(roles)))
        .select_related("dossier", "dossier__procedure", "unit", "assignee")
        .order_by("-dossier__green_lane", F("due_at").asc(nulls_last=True), "dossier__code")
    )


# ----------------------------------------------------------------------- derived, per instance
def current_step(dossier: Dossier) -> DossierStep | None:
    """The step the dossier is at (from the prefetched steps): the first active or paused one."""
    return next(
        (s for s in dossier.steps.all() if s.status in (StepStatus.ACTIVE, StepStatus.PAUSED)),
        None,
    )


def dossier_is_overdue(dossier: Dossier, now: datetime) -> bool:
    if dossier.due_at is None or dossier.status not in OPEN_STATUSES:
        return False
    at = dossier.paused_at if dossier.paused_at is not None else now
    return at > dossier.due_at


def step_is_overdue(step: DossierStep, now: datetime) -> bool:
    if step.due_at is None or not step.counted:
        return False
    if step.status == StepStatus.ACTIVE:
        return now > step.due_at
    if step.status == StepStatus.PAUSED and step.paused_at is not None:
        return step.paused_at > step.due_at
    return False
