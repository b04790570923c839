"""The supervisor's classification and routing of a complaint (seed 004)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput
from motcua.core.text import clean_text
from motcua.feedback import policy, rules
from motcua.feedback.models import (
    EventKind,
    Feedback,
    Status,
)
from motcua.feedback.selectors import (
    resolve_route,
)
from motcua.feedback.services.common import (
    assigned_status,
    category_of,
    change_of,
    dossier_of,
    fmt,
    green_lane_of,
    link_dossier,
    respond_by_of,
    unit_of,
)
from motcua.org.models import Staff, Unit


@transaction.atomic
def classify_feedback(
    *,
    feedback_id: int,
    actor: Staff,
    category: str,
    in_scope: bool,
    unit_code: str = "",
    dossier_code: str = "",
    green_lane: bool | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Feedback:
    """The supervisor's decision (seed 004): in scope → routed to the responsible unit with
    its respond-by time; out of scope → `note` is the guidance to the competent body, given as
    the answer, and the item is closed (never overdue).

    ``unit_code`` is the unit the complaint is about (default: the dossier's unit); a `Route`
    of that unit and category may hand it to another responsible unit and person. Classifying
    again before the answer re-routes the item and counts its time again from reception.
    """
    change = change_of(policy.CLASSIFY, feedback_id=feedback_id, actor=actor, now=now)
    feedback, now = change.feedback, change.at
    category = category_of(category, required=True)
    note = clean_text(
        note, field="note", label=_("ghi chú"), required=False, max_length=rules.MAX_CONTENT_CHARS
    )

    if dossier_code.strip() and dossier_code.strip() != feedback.dossier_code:
        linked = dossier_of(dossier_code)
        link_dossier(feedback, linked, actor=actor, at=now)
        change.record(
            EventKind.DOSSIER_LINKED, note=_("Gắn với hồ sơ %(code)s.") % {"code": linked.code}
        )
    dossier = feedback.dossier

    concerned: Unit | None = None
    if unit_code.strip():
        concerned = unit_of(unit_code, field="unit")
    elif dossier is not None:
        concerned = dossier.unit
    else:
        concerned = feedback.concerned_unit

    feedback.category = category
    feedback.in_scope = in_scope
    feedback.classified_at = now
    feedback.updated_at = now
    if concerned is not None:
        feedback.concerned_unit = concerned

    if not in_scope:
        if not note:
            raise InvalidInput(
                _(
                    "Phản ánh không thuộc phạm vi: hãy ghi hướng dẫn cơ quan có thẩm quyền để "
                    "trả lời người phản ánh."
                ),
                field="note",
            )
        feedback.unit = concerned
        feedback.status = Status.CLOSED
        feedback.respond_by = None
        feedback.green_lane = False
        feedback.answer = note
        feedback.answered_at = now
        feedback.answered_by = actor
        feedback.closed_at = now
        feedback.save()
        change.record(EventKind.OUT_OF_SCOPE, note=note)
        return feedback

    if concerned is None:
        raise InvalidInput(
            _("Hãy chọn đơn vị bị phản ánh (hoặc nhập mã hồ sơ) để chuyển đơn vị xử lý."),
            field="unit",
        )
    route = resolve_route(concerned, category)
    feedback.unit = route.responsible_unit if route is not None else concerned
    feedback.focal_point = route.focal_point if route is not None else None
    feedback.assignee = route.assignee if route is not None else None
    feedback.respond_by = respond_by_of(feedback.received_at, category, feedback.unit)
    if feedback.escalated_at is not None and feedback.respond_by > now:
        feedback.escalated_at = None
        feedback.escalated_to = None
    feedback.green_lane = green_lane if green_lane is not None else green_lane_of(category, dossier)
    feedback.status = assigned_status(feedback)
    feedback.save()
    summary = _("Loại: %(category)s; đơn vị xử lý: %(unit)s; hạn trả lời: %(due)s.") % {
        "category": feedback.get_category_display(),
        "unit": feedback.unit.name,
        "due": fmt(feedback.respond_by),
    }
    if feedback.green_lane:
        summary += " " + _("Chậm trễ hồ sơ làn xanh.")
    change.record(EventKind.CLASSIFIED, note=f"{summary} {note}".strip())
    return feedback
