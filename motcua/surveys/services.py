"""Every write of the surveys (STYLE §2): the rating of a dossier after its result (D13)."""

from __future__ import annotations

from datetime import datetime

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
from motcua.surveys.errors import AlreadyRated, NotReadyToRate
from motcua.surveys.models import Overall, Rating

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
