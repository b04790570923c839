"""Every write of the surveys (STYLE §2): the rating of a dossier after its result (D13) and
the rating of the officer at the counter for one queue ticket (D19)."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import Dossier
from motcua.dossiers.policy import may_be_rated
from motcua.dossiers.selectors import actor_facts, may_see_personal_data
from motcua.dossiers.services import note_rating
from motcua.org.models import Staff
from motcua.surveys.errors import AlreadyRated, NotReadyToRate, TicketNotRateable
from motcua.surveys.models import CounterRating, CounterReason, Overall, Rating

MAX_COMMENT = 2000


def _already_rated(dossier: Dossier) -> AlreadyRated:
    return AlreadyRated(
        _(
            "Hồ sơ %(code)s đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần. Cảm ơn ông/bà "
            "đã góp ý."
        )
        % {"code": dossier.code}
    )


@transaction.atomic
def rate_dossier(
    *,
    dossier_id: int,
    actor: Staff | None,
    overall: str,
    comment: str = "",
    now: datetime | None = None,
) -> Rating:
    """Record the rating of a dossier whose result is ready or returned, once, and write it on
    the dossier's timeline (one `rated` event, `note_rating`).

    ``actor`` None is the citizen, whose look-up secret the caller has checked; a staff member
    of the dossier's units enters a paper survey (for anyone else the dossier is not found).
    ``overall`` is one of very_satisfied, satisfied, not_satisfied. Under the dossier's row
    lock, so two concurrent ratings give one rating and one `AlreadyRated`.
    """
    now = now or timezone.now()
    if overall not in Overall.values:
        raise InvalidInput(
            _("Hãy chọn một mức: Rất hài lòng, Hài lòng hoặc Không hài lòng."), field="overall"
        )
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(_("Góp ý dài tối đa %(n)s ký tự.") % {"n": MAX_COMMENT}, field="comment")
    if actor is not None and not actor.is_active:
        raise NotAllowed(_("Tài khoản %(user)s đã bị khóa.") % {"user": actor.username})
    dossier = Dossier.objects.select_for_update().filter(pk=dossier_id).first()
    if dossier is None or (
        actor is not None and not may_see_personal_data(actor_facts(actor), dossier)
    ):
        raise DossierNotFound(_("Không tìm thấy hồ sơ."))
    if Rating.objects.filter(dossier=dossier).exists():
        raise _already_rated(dossier)
    if not may_be_rated(dossier.status):
        raise NotReadyToRate(
            _(
                "Hồ sơ %(code)s chưa có kết quả; ông/bà có thể đánh giá khi kết quả đã có hoặc "
                "đã được trả."
            )
            % {"code": dossier.code}
        )
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier, overall=overall, comment=comment, at=now
            )
    except IntegrityError:  # a concurrent second rating lost the race
        raise _already_rated(dossier) from None
    note = _("Đánh giá: %(level)s.") % {"level": rating.get_overall_display()}
    if comment:
        note += " " + _("Góp ý: %(comment)s") % {"comment": comment}
    note_rating(dossier=dossier, actor=actor, at=now, note=note)
    return rating


#: How long after the service a ticket may still be rated on the tablet.
RATING_WINDOW = timedelta(hours=12)


@transaction.atomic
def rate_counter_ticket(
    *,
    ticket_id: int,
    token: str,
    overall: str,
    reasons: list[str] | None = None,
    now: datetime | None = None,
) -> CounterRating:
    """The citizen's rating of the officer who served a queue ticket (D19): once per ticket,
    with the ticket's token, within RATING_WINDOW of the service; tied to the ticket's officer,
    counter and dossier. Under the ticket's row lock: two ratings give one and an AlreadyRated."""
    now = now or timezone.now()
    if overall not in Overall.values:
        raise InvalidInput(
            _("Hãy chọn một mức: Rất hài lòng, Hài lòng hoặc Không hài lòng."), field="level"
        )
    chosen = list(dict.fromkeys(reasons or []))
    if any(r not in CounterReason.values for r in chosen):
        raise InvalidInput(_("Lý do không có trong danh sách."), field="reasons")
    # The queue ticket, by the rating's relation: surveys sits below queueing in the layers.
    ticket_model = CounterRating._meta.get_field("ticket").related_model
    ticket: Any = ticket_model._default_manager.select_for_update().filter(pk=ticket_id).first()
    if ticket is None or not hmac.compare_digest(ticket.token.encode(), (token or "").encode()):
        raise DossierNotFound(_("Không tìm thấy số thứ tự."), code="not_found")
    if CounterRating.objects.filter(ticket_id=ticket.pk).exists():
        raise AlreadyRated(
            _(
                "Số %(number)s đã được đánh giá; mỗi lượt phục vụ chỉ đánh giá một lần. Cảm ơn "
                "ông/bà đã góp ý."
            )
            % {"number": ticket.number}
        )
    if ticket.status != "served" or ticket.officer_id is None or ticket.counter_id is None:
        raise TicketNotRateable(
            _("Số %(number)s chưa được phục vụ xong; ông/bà đánh giá sau khi làm việc tại quầy.")
            % {"number": ticket.number}
        )
    if ticket.finished_at is not None and now - ticket.finished_at > RATING_WINDOW:
        raise TicketNotRateable(
            _("Đã quá thời gian đánh giá lượt phục vụ của số %(number)s.")
            % {"number": ticket.number}
        )
    try:
        with transaction.atomic():
            return CounterRating.objects.create(
                ticket_id=ticket.pk,
                unit_id=ticket.unit_id,
                counter_id=ticket.counter_id,
                officer_id=ticket.officer_id,
                dossier_id=ticket.dossier_id,
                overall=overall,
                reasons=chosen,
                at=now,
            )
    except IntegrityError:
        raise AlreadyRated(
            _("Số %(number)s đã được đánh giá.") % {"number": ticket.number}
        ) from None
