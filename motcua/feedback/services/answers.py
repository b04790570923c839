"""The responsible unit's answer, and the supervisor's follow-up: close, return, publish."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.text import clean_text
from motcua.dossiers.services import note_feedback
from motcua.feedback import notices, policy, rules
from motcua.feedback.models import (
    EventKind,
    Feedback,
    Status,
)
from motcua.feedback.services.common import (
    assigned_status,
    change_of,
)
from motcua.org.models import Staff


@transaction.atomic
def answer_feedback(
    *,
    feedback_id: int,
    actor: Staff,
    answer: str,
    publish: bool = False,
    now: datetime | None = None,
) -> Feedback:
    """The responsible unit's answer; the supervisor then closes the item or returns it."""
    change = change_of(policy.ANSWER, feedback_id=feedback_id, actor=actor, now=now)
    feedback, now = change.feedback, change.at
    text = clean_text(
        answer,
        field="answer",
        label=_("nội dung trả lời"),
        required=True,
        max_length=rules.MAX_CONTENT_CHARS,
    )
    feedback.answer = text
    feedback.answered_at = now
    feedback.answered_by = actor
    feedback.status = Status.ANSWERED
    feedback.published = publish
    feedback.published_at = now if publish else None
    feedback.updated_at = now
    feedback.save()
    late = feedback.answered_late
    change.record(EventKind.ANSWERED, note=(_("Trả lời quá hạn. ") if late else "") + text)
    if feedback.dossier_id is not None:
        note_feedback(
            dossier=feedback.dossier,  # type: ignore[arg-type]
            actor=actor,
            at=now,
            note=_("Đã trả lời phản ánh số %(id)s.") % {"id": feedback.pk},
        )
    notices.notify_feedback_answered(feedback=feedback)
    return feedback


@transaction.atomic
def close_feedback(
    *, feedback_id: int, actor: Staff, note: str = "", now: datetime | None = None
) -> Feedback:
    change = change_of(policy.CLOSE, feedback_id=feedback_id, actor=actor, now=now)
    feedback, now = change.feedback, change.at
    note = clean_text(
        note, field="note", label=_("ghi chú"), required=False, max_length=rules.MAX_CONTENT_CHARS
    )
    feedback.status = Status.CLOSED
    feedback.closed_at = now
    feedback.updated_at = now
    feedback.save(update_fields=["status", "closed_at", "updated_at"])
    change.record(EventKind.CLOSED, note=note)
    return feedback


@transaction.atomic
def return_feedback(
    *, feedback_id: int, actor: Staff, note: str, now: datetime | None = None
) -> Feedback:
    """The answer is not good enough: back to the unit, with the reason. The respond-by time
    does not move (the citizen still waits)."""
    change = change_of(policy.RETURN, feedback_id=feedback_id, actor=actor, now=now)
    feedback, now = change.feedback, change.at
    note = clean_text(
        note,
        field="note",
        label=_("lý do trả lại"),
        required=True,
        max_length=rules.MAX_CONTENT_CHARS,
    )
    feedback.status = assigned_status(feedback)
    feedback.answered_at = None
    feedback.answered_by = None
    feedback.published = False
    feedback.published_at = None
    feedback.updated_at = now
    feedback.save()
    change.record(EventKind.RETURNED, note=note)
    return feedback


@transaction.atomic
def publish_feedback(
    *, feedback_id: int, actor: Staff, published: bool, now: datetime | None = None
) -> Feedback:
    """Show (or stop showing) the answer on the portal; never the sender's name or contacts."""
    change = change_of(policy.PUBLISH, feedback_id=feedback_id, actor=actor, now=now)
    feedback, now = change.feedback, change.at
    if feedback.published == published:
        return feedback
    feedback.published = published
    feedback.published_at = now if published else None
    feedback.updated_at = now
    feedback.save(update_fields=["published", "published_at", "updated_at"])
    change.record(EventKind.PUBLISHED if published else EventKind.UNPUBLISHED)
    return feedback
