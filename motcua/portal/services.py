"""The portal's one write of its own: the citizen's rating of a dossier (D13)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, InvalidInput
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import Dossier, Status
from motcua.portal.models import Overall, Rating

MAX_COMMENT = 2000


class AlreadyRated(DomainError):
    """A dossier is rated once."""

    code = "already_rated"


class NotReadyToRate(DomainError):
    """Only a dossier whose result is ready or returned can be rated."""

    code = "not_ready"


def has_rating(*, dossier_id: int) -> bool:
    return Rating.objects.filter(dossier_id=dossier_id).exists()


@transaction.atomic
def rate_dossier(
    *, dossier_id: int, overall: str, comment: str = "", now: datetime | None = None
) -> Rating:
    """Record the citizen's rating of a dossier whose result is ready or returned, once.

    The caller has checked the look-up secret. ``overall`` is one of very_satisfied,
    satisfied, not_satisfied.
    """
    now = now or timezone.now()
    if overall not in Overall.values:
        raise InvalidInput(
            _("Hãy chọn một mức: Rất hài lòng, Hài lòng hoặc Không hài lòng."), field="overall"
        )
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(_("Góp ý dài tối đa %(n)s ký tự.") % {"n": MAX_COMMENT}, field="comment")
    dossier = Dossier.objects.select_for_update().filter(pk=dossier_id).first()
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ."))
    if Rating.objects.filter(dossier=dossier).exists():
        raise AlreadyRated(
            _(
                "Hồ sơ %(code)s đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần. Cảm ơn ông/bà "
                "đã góp ý."
            )
            % {"code": dossier.code}
        )
    if dossier.status not in (Status.READY, Status.RETURNED):
        raise NotReadyToRate(
            _(
                "Hồ sơ %(code)s chưa có kết quả; ông/bà có thể đánh giá khi kết quả đã có hoặc "
                "đã được trả."
            )
            % {"code": dossier.code}
        )
    try:
        with transaction.atomic():
            return Rating.objects.create(dossier=dossier, overall=overall, comment=comment, at=now)
    except IntegrityError:  # a concurrent second rating lost the race
        raise AlreadyRated(
            _(
                "Hồ sơ %(code)s đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần. Cảm ơn ông/bà "
                "đã góp ý."
            )
            % {"code": dossier.code}
        ) from None
