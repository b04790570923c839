"""Every write to feedback: intake from any channel, classification and routing, the answer,
closing and returning, publication, and escalation of overdue items (STYLE §2).

Each service: keyword-only arguments, an `actor` (None for the public web form and Open311), an
injectable `now`, one transaction, the item re-read under a row lock, one `FeedbackEvent` per
change, and a named `DomainError` with a Vietnamese sentence when it refuses.

A complaint about a dossier is linked to it (`Feedback.dossier`) and written on the dossier's
timeline by the dossier app's `note_feedback`, in the same transaction.

A package by action family: `intake`, `routing` (classify), `answers` (answer, close, return,
publish), `escalation`, `recompute`; `common` holds what they share.
"""

from motcua.feedback.services.answers import (
    answer_feedback,
    close_feedback,
    publish_feedback,
    return_feedback,
)
from motcua.feedback.services.common import GeoReport, Idempotency, Received, Sender, secret_of
from motcua.feedback.services.escalation import escalate_feedback, escalate_overdue_feedback
from motcua.feedback.services.intake import IDEMPOTENCY_KIND, receive_feedback
from motcua.feedback.services.recompute import recompute_respond_by
from motcua.feedback.services.routing import classify_feedback

__all__ = [
    "IDEMPOTENCY_KIND",
    "GeoReport",
    "Idempotency",
    "Received",
    "Sender",
    "answer_feedback",
    "classify_feedback",
    "close_feedback",
    "escalate_feedback",
    "escalate_overdue_feedback",
    "publish_feedback",
    "receive_feedback",
    "recompute_respond_by",
    "return_feedback",
    "secret_of",
]
