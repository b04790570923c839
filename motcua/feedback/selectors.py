"""Reads of feedback, always scoped to what the caller may see (STYLE §1).

Who sees an item (another unit's item does not exist for the caller: 404, not 403):
* a supervisor (kiểm tra, giám sát) of unit U: every item received by, about, or routed to U or a
  unit below U; a supervisor of a top-level unit also sees the items nobody's desk received
  (public web form and Open311 without a unit) — the city's queue;
* a receptionist of U: the items received at U (they enter hotline calls, letters, emails);
* a head, leader or specialist of U: the items routed to U or a unit below it, and a leader the
  overdue items escalated to them;
* a superuser: everything.

Who may act: a supervisor of the receiving unit (or above) classifies, routes, closes and returns;
a head, leader or specialist of the responsible unit answers.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Case, Count, F, Q, QuerySet, Value, When

from motcua.feedback import policy, rules
from motcua.feedback.models import (
    OPEN_STATUSES,
    CategorySetting,
    Feedback,
    FeedbackEvent,
    Route,
    Status,
)
from motcua.org.models import FocalPoint, Role, Staff, Unit
from motcua.org.selectors import current_memberships, subtree_ids, supervised_unit_ids, units_of

SUPERVISING_ROLES = (Role.SUPERVISOR,)
INTAKE_ROLES = (Role.SUPERVISOR, Role.RECEPTIONIST)
ANSWERING_ROLES = (Role.HEAD, Role.LEADER, Role.SPECIALIST)


def _subtrees(units: Iterable[Unit]) -> set[int]:
    ids: set[int] = set()
    for unit in units:
        if unit.pk not in ids:
            ids |= subtree_ids(unit)
    return ids


def supervises_city_queue(staff: Staff) -> bool:
    """A supervisor of a top-level unit handles the items that reached no unit's desk."""
    return units_of(staff, SUPERVISING_ROLES).filter(parent__isnull=True).exists()


def intake_units(staff: Staff) -> QuerySet[Unit]:
    """Units whose hotline, mailbox or desk `staff` may enter feedback for."""
    return units_of(staff, INTAKE_ROLES).order_by("code")


def feedback_visible_to(staff: Staff) -> QuerySet[Feedback]:
    if not staff.is_active:
        return Feedback.objects.none()
    if staff.is_superuser:
        return Feedback.objects.all()
    supervised = supervised_unit_ids(staff)
    desk = list(units_of(staff, (Role.RECEPTIONIST,)).values_list("pk", flat=True))
    handling = _subtrees(units_of(staff, ANSWERING_ROLES))
    q = (
        Q(intake_unit_id__in=supervised)
        | Q(concerned_unit_id__in=supervised)
        | Q(unit_id__in=supervised)
        | Q(intake_unit_id__in=desk)
        | Q(unit_id__in=handling)
        | Q(escalated_to=staff)
    )
    if supervises_city_queue(staff):
        q |= Q(intake_unit__isnull=True)
    return Feedback.objects.filter(q)


def may_supervise(staff: Staff, feedback: Feedback) -> bool:
    """Classify, route, close, return: a supervisor of the receiving unit or above."""
    if not staff.is_active:
        return False
    if feedback.intake_unit_id is None:
        return supervises_city_queue(staff)
    return feedback.intake_unit_id in supervised_unit_ids(staff)


def may_answer(staff: Staff, feedback: Feedback) -> bool:
    """Answer: a head, leader or specialist of the responsible unit."""
    if not staff.is_active or feedback.unit_id is None:
        return False
    return units_of(staff, ANSWERING_ROLES).filter(pk=feedback.unit_id).exists()


def facts_of(staff: Staff, feedback: Feedback) -> policy.FeedbackFacts:
    """The policy's view of ``feedback`` for ``staff`` (`motcua.feedback.policy`)."""
    return policy.FeedbackFacts(
        id=feedback.pk,
        status=feedback.status,
        has_answer=bool(feedback.answer),
        unit_name=feedback.unit.name if feedback.unit is not None else "",
        active=staff.is_active,
        supervises=may_supervise(staff, feedback),
        answers=may_answer(staff, feedback),
    )


def overdue_q(now: datetime) -> Q:
    """Waiting for an answer past the respond-by time (out-of-scope items never are)."""
    return (
        Q(status__in=OPEN_STATUSES, respond_by__lt=now)
        & ~Q(in_scope=False)
        & Q(respond_by__isnull=False)
    )


def list_feedback(
    staff: Staff,
    *,
    now: datetime,
    status: str | Iterable[str] | None = None,
    overdue: bool | None = None,
    unit: Unit | None = None,
    channel: str | None = None,
    category: str | None = None,
    green_lane: bool | None = None,
    dossier_code: str | None = None,
) -> QuerySet[Feedback]:
    """The queue, as `staff` may see it: overdue first, then the nearest respond-by time."""
    qs = feedback_visible_to(staff).select_related(
        "unit", "intake_unit", "concerned_unit", "entered_by", "dossier"
    )
    if isinstance(status, str) and status:
        qs = qs.filter(status=status)
    elif status:
        qs = qs.filter(status__in=list(status))
    if overdue is True:
        qs = qs.filter(overdue_q(now))
    elif overdue is False:
        qs = qs.exclude(overdue_q(now))
    if unit is not None:
        ids = subtree_ids(unit)
        qs = qs.filter(
            Q(unit_id__in=ids) | Q(intake_unit_id__in=ids) | Q(concerned_unit_id__in=ids)
        )
    if channel:
        qs = qs.filter(channel=channel)
    if category:
        qs = qs.filter(category=category)
    if green_lane is not None:
        qs = qs.filter(green_lane=green_lane)
    if dossier_code:
        qs = qs.filter(dossier_code=dossier_code)
    return qs.annotate(
        open_rank=Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1))
    ).order_by("open_rank", F("respond_by").asc(nulls_last=True), "-received_at", "-pk")


def count_open_feedback(unit_ids: Iterable[int], *, now: datetime) -> dict[int, dict[str, int]]:
    """For a unit's board: per responsible unit, the items waiting for an answer, how many of
    them are overdue, and how many are green-lane delays (the caller scopes `unit_ids`)."""
    rows = (
        Feedback.objects.filter(unit_id__in=list(unit_ids), status__in=OPEN_STATUSES)
        .values("unit_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue_q(now)),
            green_lane=Count("pk", filter=Q(green_lane=True)),
        )
    )
    return {row["unit_id"]: {k: row[k] for k in ("open", "overdue", "green_lane")} for row in rows}


def get_feedback_for(staff: Staff, feedback_id: int) -> Feedback | None:
    return (
        feedback_visible_to(staff)
        .select_related(
            "unit",
            "intake_unit",
            "concerned_unit",
            "entered_by",
            "answered_by",
            "assignee",
            "focal_point",
            "escalated_to",
            "dossier",
        )
        .filter(pk=feedback_id)
        .first()
    )


def list_events(feedback: Feedback) -> QuerySet[FeedbackEvent]:
    return feedback.events.select_related("actor").order_by("at", "pk")


def list_feedback_for_dossier(dossier_id: int) -> QuerySet[Feedback]:
    """Feedback linked to a dossier (for the dossier's page; the caller checks the dossier)."""
    return Feedback.objects.filter(dossier_id=dossier_id).order_by("received_at", "pk")


def sla_for(category: str) -> rules.Sla:
    """D11: the category's admin setting, else the default."""
    setting = CategorySetting.objects.filter(category=category).first()
    if setting is not None:
        return setting.sla
    return rules.DEFAULT_SLA.get(category, rules.DEFAULT_SLA_OTHER)


def resolve_route(unit: Unit, category: str) -> Route | None:
    """The route of (unit, category), else the unit's route for every category."""
    routes = {
        r.category: r
        for r in Route.objects.filter(unit=unit, category__in=[category, ""]).select_related(
            "responsible_unit", "focal_point", "assignee"
        )
    }
    return routes.get(category) or routes.get("")


def leader_of(unit: Unit) -> Staff | None:
    """The person an overdue item escalates to: an active leader of the unit."""
    return (
        Staff.objects.filter(
            is_active=True,
            pk__in=current_memberships().filter(unit=unit, role=Role.LEADER).values("staff_id"),
        )
        .order_by("full_name", "pk")
        .first()
    )


def list_overdue_unescalated(now: datetime) -> QuerySet[Feedback]:
    """What the background sweep escalates (ids in a stable order)."""
    return Feedback.objects.filter(overdue_q(now), escalated_at__isnull=True).order_by(
        "respond_by", "pk"
    )


# ------------------------------------------------------------------------------------- public
def list_published_feedback() -> QuerySet[Feedback]:
    """Answers published on the portal (no name, phone or email is ever shown)."""
    return (
        Feedback.objects.filter(published=True, status__in=(Status.ANSWERED, Status.CLOSED))
        .select_related("unit")
        .order_by("-answered_at", "-pk")
    )


def get_feedback_by_secret(feedback_id: int, secret: str) -> Feedback | None:
    """The citizen's own item; a wrong secret finds nothing, exactly like an unknown id."""
    feedback = Feedback.objects.select_related("unit").filter(pk=feedback_id).first()
    if feedback is None or not feedback.secret_hash or not secret:
        return None
    expected = rules.hash_secret(feedback.secret_nonce, secret)
    if not hmac.compare_digest(expected, feedback.secret_hash):
        return None
    return feedback


def answer_shown_to_citizen(feedback: Feedback) -> bool:
    """Whether the citizen's own look-up shows the answer (`policy.answer_shown_to_citizen`)."""
    return policy.answer_shown_to_citizen(status=feedback.status, published=feedback.published)


def list_public_focal_points(unit: Unit | None = None) -> QuerySet[FocalPoint]:
    qs = FocalPoint.objects.filter(published=True, unit__active=True).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("unit__code", "order", "title")


def get_active_unit(code: str) -> Unit | None:
    return Unit.objects.filter(code=code, active=True).first() if code else None
