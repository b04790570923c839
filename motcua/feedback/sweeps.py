"""The periodic sweep of complaints past their respond-by time (`motcua.feedback.tasks`)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.feedback.models import Feedback
from motcua.feedback.notices import notify_feedback_overdue
from motcua.feedback.selectors import list_overdue_unescalated
from motcua.feedback.services import escalate_feedback


def sweep_feedback_overdue(*, now: datetime | None = None) -> int:
    """Escalate each feedback item past its respond-by time to its unit's leader, once.

    The feedback service claims the item (row lock + its `escalated_at` flag), sets who was told
    and writes the event; the leader's notice is queued in the same transaction."""
    now = now or timezone.now()
    sent = 0
    for pk in list(
        list_overdue_unescalated(now).values_list("pk", flat=True)[
            : int(settings.MOTCUA_NOTIFY["SWEEP_BATCH"])
        ]
    ):
        with transaction.atomic():
            if not escalate_feedback(feedback_id=pk, now=now):
                continue
            item = Feedback.objects.select_related("unit", "intake_unit", "escalated_to").get(pk=pk)
            if notify_feedback_overdue(feedback=item) is not None:
                sent += 1
    return sent
