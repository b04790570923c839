"""Recounting respond-by times after the working calendar changed."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput
from motcua.feedback import rules
from motcua.feedback.models import (
    OPEN_STATUSES,
    Category,
    EventKind,
    Feedback,
)
from motcua.feedback.selectors import (
    sla_for,
)
from motcua.feedback.services.common import (
    FeedbackChange,
    fmt,
    lock,
    now_or,
    respond_by_of,
)
from motcua.org.models import Unit
from motcua.workdays.services import CalendarChanged, register_recomputer


def _clock_unit(feedback: Feedback) -> Unit | None:
    """The unit whose calendar counts the item's time (as at intake and classification)."""
    return feedback.unit or feedback.concerned_unit or feedback.intake_unit


@register_recomputer
def recompute_respond_by(change: CalendarChanged, *, now: datetime | None = None) -> int:
    """The recomputer registered with `workdays.services.register_recomputer`: after the working
    calendar changed, count again the respond-by times of the open items whose category is
    counted in working hours or days (clock hours do not depend on the calendar), for the
    changed units (all when None) and due on or after the first changed date (any when the dates
    are None). One event per item that moved; returns how many moved."""
    now = now_or(now)
    working = [c for c in Category.values if sla_for(c).clock != rules.Clock.CLOCK_HOURS]
    if not working or change.nothing:
        return 0
    in_categories = Q(category__in=working)
    if Category.OTHER in working:
        in_categories |= Q(category="")
    qs = Feedback.objects.filter(
        in_categories, status__in=OPEN_STATUSES, respond_by__isnull=False
    ).exclude(in_scope=False)
    first = change.first_moment()
    if first is not None:
        qs = qs.filter(respond_by__gte=first)
    if change.unit_ids is not None:
        ids = list(change.unit_ids)
        qs = qs.filter(
            Q(unit_id__in=ids)
            | Q(unit__isnull=True, concerned_unit_id__in=ids)
            | Q(unit__isnull=True, concerned_unit__isnull=True, intake_unit_id__in=ids)
        )
    moved = 0
    for pk in qs.values_list("pk", flat=True).order_by("pk"):
        with transaction.atomic():
            feedback = lock(pk)
            if feedback.status not in OPEN_STATUSES or feedback.respond_by is None:
                continue
            try:
                due = respond_by_of(feedback.received_at, feedback.category, _clock_unit(feedback))
            except InvalidInput:
                continue  # outside the calendar's years: nothing this change can fix
            if due == feedback.respond_by:
                continue
            feedback.respond_by = due
            feedback.updated_at = now
            if feedback.escalated_at is not None and due > now:
                feedback.escalated_at = None
                feedback.escalated_to = None
            feedback.save(
                update_fields=["respond_by", "updated_at", "escalated_at", "escalated_to"]
            )
            FeedbackChange(feedback, actor=change.actor, at=now).record(
                EventKind.RESPOND_BY_RECOMPUTED,
                note=(
                    change.reason.strip() + " " + _("Hạn trả lời mới: %(due)s.") % {"due": fmt(due)}
                ).strip(),
            )
            moved += 1
    return moved
