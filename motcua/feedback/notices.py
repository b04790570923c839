"""The notices of a complaint: to the person who complained (acknowledgement, answer) and to
the leader an overdue item is escalated to, queued in the outbox (`motcua.notifications`) by the
feedback services inside their transaction."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from motcua.feedback.models import Feedback
from motcua.notifications import defaults
from motcua.notifications.models import Channel, Message
from motcua.notifications.services import (
    Recipient,
    instant_key,
    notify_staff,
    queue_message,
    site_url,
)


def lookup_url(feedback_id: int) -> str:
    """The portal page where the citizen follows the item: the link prefills its number, never
    the secret (URLs end up in server logs); "" without a public base URL."""
    base = site_url("portal:feedback_lookup")
    return f"{base}?{urlencode({'so': feedback_id})}" if base else ""


def feedback_context(feedback: Feedback) -> dict[str, Any]:
    """The variables of the feedback notices (defaults.py names them). `feedback` is a
    ``motcua.feedback.models.Feedback``."""
    content = " ".join(str(feedback.content).split())
    unit = feedback.unit or feedback.intake_unit
    return {
        "code": f"#{feedback.pk}",
        "title": content[:80] + ("…" if len(content) > 80 else ""),
        "citizen_name": feedback.name,
        "unit": unit.name if unit is not None else "",
        "received_at": feedback.received_at,
        "respond_by": feedback.respond_by,
        "answer": feedback.answer,
        "lookup_url": lookup_url(feedback.pk),
        "office_url": site_url("office:feedback_detail", feedback.pk),
    }


def _notify_citizen(*, feedback: Feedback, template_code: str, dedupe_key: str) -> Message | None:
    """A notice to the person who gave feedback: by email, else SMS; None without either."""
    if not (feedback.email or feedback.phone):
        return None
    return queue_message(
        recipient=Recipient(name=feedback.name, email=feedback.email, phone=feedback.phone),
        channel=Channel.EMAIL if feedback.email else Channel.SMS,
        template_code=template_code,
        context=feedback_context(feedback),
        feedback_id=feedback.pk,
        dedupe_key=dedupe_key,
    )


def notify_feedback_received(*, feedback: Feedback) -> Message | None:
    """The acknowledgement of a complaint, with its respond-by time."""
    return _notify_citizen(
        feedback=feedback,
        template_code=defaults.FEEDBACK_RECEIVED,
        dedupe_key=f"{defaults.FEEDBACK_RECEIVED}:{feedback.pk}",
    )


def notify_feedback_answered(*, feedback: Feedback) -> Message | None:
    """The answer, sent to the person who complained."""
    return _notify_citizen(
        feedback=feedback,
        template_code=defaults.FEEDBACK_ANSWERED,
        dedupe_key=f"{defaults.FEEDBACK_ANSWERED}:{feedback.pk}:{instant_key(feedback.answered_at)}",
    )


def notify_feedback_overdue(*, feedback: Feedback) -> Message | None:
    """The escalation of an unanswered complaint to the leader it was escalated to
    (`escalated_to`); None when there is nobody."""
    leader = feedback.escalated_to
    if leader is None:
        return None
    return notify_staff(
        staff=leader,
        template_code=defaults.FEEDBACK_OVERDUE,
        context=feedback_context(feedback),
        feedback_id=feedback.pk,
        dedupe_key=f"{defaults.FEEDBACK_OVERDUE}:{feedback.pk}:{leader.pk}",
    )
