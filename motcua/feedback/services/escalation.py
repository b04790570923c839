"""Escalation of complaints past their respond-by time to their unit's leader."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.feedback.models import (
    EventKind,
)
from motcua.feedback.selectors import (
    leader_of,
    list_overdue_unescalated,
)
from motcua.feedback.services.common import (
    FeedbackChange,
    fmt,
    lock,
    now_or,
)


@transaction.atomic
def escalate_feedback(*, feedback_id: int, now: datetime | None = None) -> bool:
    """An overdue item is reported to the leader of its unit, once. False when the item is not
    (or no longer) overdue, or was escalated already."""
    now = now_or(now)
    feedback = lock(feedback_id)
    if feedback.escalated_at is not None or not feedback.is_overdue(now):
        return False
    unit = feedback.unit or feedback.intake_unit
    leader = leader_of(unit) if unit is not None else None
    feedback.escalated_at = now
    feedback.escalated_to = leader
    feedback.updated_at = now
    feedback.save(update_fields=["escalated_at", "escalated_to", "updated_at"])
    if leader is not None:
        note = _("Quá hạn trả lời (hạn %(due)s); đã báo %(leader)s.") % {
            "due": fmt(feedback.respond_by),
            "leader": leader.get_full_name(),
        }
    else:
        note = _("Quá hạn trả lời (hạn %(due)s); đơn vị chưa có lãnh đạo trên hệ thống.") % {
            "due": fmt(feedback.respond_by)
        }
    FeedbackChange(feedback, actor=None, at=now).record(EventKind.ESCALATED, note=note)
    return True


def escalate_overdue_feedback(*, now: datetime | None = None) -> int:
    """The sweep (run by the background worker): escalate every overdue item not yet reported.
    Each item in its own transaction; returns how many were escalated."""
    now = now_or(now)
    ids = list(list_overdue_unescalated(now).values_list("pk", flat=True))
    return sum(1 for pk in ids if escalate_feedback(feedback_id=pk, now=now))
