"""Reads the staff pages need beyond the dossier engine's selectors, always scoped to the viewer.

Each function builds on `motcua.dossiers.selectors` (the visibility rule lives there) and is a
bounded number of queries whatever the number of dossiers: counts are one aggregate query, lists
are sliced or paginated by the caller, related rows come with `select_related`.

Who may see what is decided once, in `motcua.dossiers.selectors` (dossiers) and
`motcua.feedback.selectors` (complaints); these reads only narrow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.dossiers import policy
from motcua.dossiers.models import (
    OPEN_STATUSES,
    Apology,
    ApologyStatus,
    Dossier,
    DossierStep,
    Status,
)
from motcua.dossiers.selectors import (
    actor_facts,
    dossiers_visible_to,
    overdue_q,
    rescheduled_late_q,
)
from motcua.org.models import Role, Staff, Unit
from motcua.org.selectors import current_memberships

#: The statuses a work list shows by default: waiting for the desk, or in hand.
WORK_STATUSES = (Status.SUBMITTED, *OPEN_STATUSES)


@dataclass(frozen=True)
class Viewer:
    """The person looking at a page and their roles (`policy.Actor`), read once per request."""

    staff: Staff
    actor: policy.Actor

    @property
    def roles(self) -> frozenset[tuple[int, str]]:
        return self.actor.roles

    @property
    def unit_ids(self) -> set[int]:
        return self.actor.unit_ids

    def has(self, unit_id: int | None, *roles: str) -> bool:
        return self.actor.has(unit_id, *roles)

    def units_with(self, *roles: str) -> set[int]:
        return self.actor.units_with(*roles)


def viewer_of(staff: Staff) -> Viewer:
    return Viewer(staff=staff, actor=actor_facts(staff))


def units_for(viewer: Viewer, *roles: str) -> list[Unit]:
    """The active units where the viewer holds one of ``roles`` (any role when none given)."""
    ids = viewer.units_with(*roles) if roles else viewer.unit_ids
    return list(Unit.objects.filter(pk__in=ids, active=True).order_by("code"))


# ---------------------------------------------------------------------------------- lists
def list_procedures_of(unit_ids: set[int]) -> QuerySet[Procedure]:
    """Procedure versions offered by the units (for the filters)."""
    return Procedure.objects.filter(units__in=unit_ids).distinct().order_by("name", "code")


def list_waiting_apologies(viewer: Viewer) -> QuerySet[Apology]:
    """Draft apologies the viewer may sign: of a step of a unit they lead, or of a dossier their
    unit received; only while the dossier is open."""
    led = viewer.units_with(Role.LEADER)
    qs = Apology.objects.filter(status=ApologyStatus.DRAFT, dossier__status__in=OPEN_STATUSES)
    if not viewer.staff.is_superuser:
        qs = qs.filter(Q(step__unit_id__in=led) | Q(dossier__unit_id__in=led))
    return qs.select_related(
        "dossier", "dossier__procedure", "dossier__unit", "step", "step__unit", "drafted_by"
    ).order_by("-dossier__green_lane", "drafted_at", "pk")


def leaders_who_can_sign(dossier: Dossier, step: DossierStep) -> list[Staff]:
    """The leaders of the step's unit and of the receiving unit (who can open the gate)."""
    ids = (
        current_memberships()
        .filter(
            unit_id__in={step.unit_id, dossier.unit_id},
            role=Role.LEADER,
            staff__is_active=True,
        )
        .values("staff_id")
    )
    return list(Staff.objects.filter(pk__in=ids).order_by("full_name", "username"))


def assignable_staff(step: DossierStep) -> list[Staff]:
    """Who may be named for a step: the active holders of its role in its unit."""
    ids = (
        current_memberships()
        .filter(unit_id=step.unit_id, role=step.role, staff__is_active=True)
        .values("staff_id")
    )
    return list(Staff.objects.filter(pk__in=ids).order_by("full_name", "username"))


# --------------------------------------------------------------------------------- boards
def local_day_bounds(on: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(on, time(0), tzinfo=tz)
    return start, start + timedelta(days=1)


#: The figures of a unit's row on the supervisor board (a subset of `board_figures`).
UNIT_FIGURES = ("received_today", "open", "overdue", "due_today", "green_open", "green_late")


def board_figures(now: datetime) -> dict[str, Count]:
    """Every figure of a board, as aggregates over dossiers at ``now``."""
    start, end = local_day_bounds(timezone.localdate(now))
    open_q = Q(status__in=OPEN_STATUSES)
    running = Q(status__in=[Status.RECEIVED, Status.IN_PROGRESS])
    return {
        "received_today": Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        "submitted": Count("pk", filter=Q(status=Status.SUBMITTED)),
        "open": Count("pk", filter=open_q),
        "overdue": Count("pk", filter=overdue_q(now)),
        "rescheduled_late": Count("pk", filter=rescheduled_late_q(now)),
        "due_today": Count("pk", filter=running & Q(due_at__gte=now, due_at__lt=end)),
        "paused": Count("pk", filter=Q(status=Status.AWAITING_SUPPLEMENT)),
        "green_open": Count("pk", filter=open_q & Q(green_lane=True)),
        "green_late": Count("pk", filter=running & Q(green_lane=True, green_lane_due_at__lt=now)),
        "ready_today": Count("pk", filter=Q(ready_at__gte=start, ready_at__lt=end)),
    }


def board_counts(qs: QuerySet[Dossier], *, now: datetime) -> dict[str, Any]:
    """The figures of a board, in one aggregate query."""
    return qs.aggregate(**board_figures(now))


def board_counts_by_unit(qs: QuerySet[Dossier], *, now: datetime) -> dict[int, dict[str, int]]:
    """The figures of `UNIT_FIGURES` per receiving unit, in one grouped query."""
    figures = board_figures(now)
    rows = qs.order_by().values("unit_id").annotate(**{k: figures[k] for k in UNIT_FIGURES})
    out: dict[int, dict[str, int]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        unit_id = int(values.pop("unit_id"))
        out[unit_id] = {k: int(v) for k, v in values.items()}
    return out


def count_waiting_apologies_by_unit(unit_ids: set[int] | None) -> dict[int, int]:
    qs = Apology.objects.filter(status=ApologyStatus.DRAFT, dossier__status__in=OPEN_STATUSES)
    if unit_ids is not None:
        qs = qs.filter(dossier__unit_id__in=unit_ids)
    rows = qs.order_by().values("dossier__unit_id").annotate(n=Count("pk"))
    return {row["dossier__unit_id"]: row["n"] for row in rows}


def unit_dossiers(viewer: Viewer, unit: Unit) -> QuerySet[Dossier]:
    """The dossiers of a unit's board: received there or with a step there, visible to the
    viewer."""
    step_here = DossierStep.objects.filter(dossier=OuterRef("pk"), unit_id=unit.pk)
    return dossiers_visible_to(viewer.staff).filter(Q(unit=unit) | Exists(step_here))


def list_logbook(viewer: Viewer, unit: Unit, first: date, last: date) -> QuerySet[Dossier]:
    """The dossier log book of a unit (Sổ theo dõi hồ sơ, DOMAIN §4.6): the dossiers it received
    from ``first`` to ``last`` (local dates, inclusive), in order of reception."""
    start, _ = local_day_bounds(first)
    _, end = local_day_bounds(last)
    return (
        dossiers_visible_to(viewer.staff)
        .filter(unit=unit, received_at__gte=start, received_at__lt=end)
        .select_related("procedure", "procedure__field", "unit", "applicant")
        .prefetch_related("steps__unit")
        .order_by("received_at", "code")
    )
