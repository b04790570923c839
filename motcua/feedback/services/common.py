"""What every feedback service shares: inputs, cleaning, the row lock, the one event, who may
act. Internal to `motcua.feedback.services`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from motcua.core import keys
from motcua.core.changes import Change
from motcua.core.clock import format_local, resolve_now
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.core.people import Contact
from motcua.core.text import clean_email, clean_line
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import note_feedback
from motcua.feedback import policy, rules
from motcua.feedback.errors import (
    FeedbackNotFound,
    UnitNotFound,
    UnknownCategory,
    UnknownDossier,
    UnknownUnit,
)
from motcua.feedback.models import Category, Feedback, FeedbackEvent, Status
from motcua.feedback.selectors import (
    facts_of,
    feedback_visible_to,
    get_active_unit,
    intake_units,
    sla_for,
)
from motcua.org.models import Staff, Unit
from motcua.workdays.rules import CalendarError
from motcua.workdays.services import calendar_for


@dataclass(frozen=True)
class Sender(Contact):
    """Who complained (Decree 20/2008 Art. 7: name, address, phone)."""


@dataclass(frozen=True)
class GeoReport:
    """The GeoReport v2 fields of an Open311 request."""

    lat: float | None = None
    long: float | None = None
    address_string: str = ""
    address_id: str = ""
    media_url: str = ""
    device_id: str = ""
    account_id: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Idempotency:
    scope: str
    key: str
    request_hash: str


@dataclass(frozen=True)
class Received:
    feedback: Feedback
    secret: str
    replayed: bool = False


now_or = resolve_now
fmt = format_local


def clean_sender(sender: Sender) -> Sender:
    return Sender(
        name=clean_line(sender.name, field="name", label=_("họ và tên"), max_length=200),
        phone=clean_line(sender.phone, field="phone", label=_("số điện thoại"), max_length=40),
        email=clean_email(sender.email, field="email"),
        address=clean_line(sender.address, field="address", label=_("địa chỉ"), max_length=500),
    )


def category_of(value: str, *, required: bool) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise UnknownCategory(_("Hãy chọn loại phản ánh."), field="category")
        return ""
    if value not in Category.values:
        raise UnknownCategory(
            _("Loại phản ánh không hợp lệ: %(value)s. Chọn một trong: %(all)s.")
            % {"value": value, "all": ", ".join(Category.values)},
            field="category",
        )
    return value


def unit_of(code: str, *, field: str) -> Unit:
    unit = get_active_unit(code.strip())
    if unit is None:
        raise UnknownUnit(
            _("Không có đơn vị đang hoạt động mã %(code)s.") % {"code": code}, field=field
        )
    return unit


def plain_code(code: str) -> str:
    """A typed dossier code as it is kept: trimmed, at most the field's 64 characters."""
    return "".join(code.split())[:64]


def known_dossier(code: str) -> Dossier | None:
    """The dossier of ``code`` (in any case), or None; never an error."""
    code = plain_code(code)
    if not code or "\x00" in code:
        return None
    return (
        Dossier.objects.select_related("unit").filter(code=code).first()
        or Dossier.objects.select_related("unit").filter(code__iexact=code).first()
    )


def dossier_of(code: str) -> Dossier:
    code = code.strip()
    dossier = known_dossier(code)
    if dossier is None:
        raise UnknownDossier(
            _("Không có hồ sơ mã %(code)s. Hãy đối chiếu mã trên phiếu tiếp nhận và hẹn trả.")
            % {"code": code},
            field="dossier_code",
        )
    return dossier


def respond_by_of(received_at: datetime, category: str, unit: Unit | None) -> datetime:
    sla = sla_for(category or Category.OTHER)
    try:
        return rules.respond_by(received_at=received_at, sla=sla, calendar=calendar_for(unit))
    except CalendarError as exc:
        raise InvalidInput(exc.message_vi, field="received_at") from None


def green_lane_of(category: str, dossier: Dossier | None) -> bool:
    return category == Category.DELAY and dossier is not None and dossier.green_lane


def assigned_status(feedback: Feedback) -> str:
    """In scope: `classified` when the receiving unit handles it, `forwarded` otherwise."""
    if feedback.unit_id is not None and feedback.unit_id == feedback.intake_unit_id:
        return Status.CLASSIFIED
    return Status.FORWARDED


class FeedbackChange(Change[FeedbackEvent]):
    """A change of a locked feedback item (`motcua.core.changes.Change`)."""

    event_model = FeedbackEvent
    subject = "feedback"

    def __init__(
        self,
        feedback: Feedback,
        *,
        actor: Staff | None,
        at: datetime,
        from_status: str | None = None,
    ) -> None:
        super().__init__(feedback, actor=actor, at=at, from_status=from_status)
        self.feedback = feedback


def excerpt(text: str, n: int = 200) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= n else one_line[: n - 1] + "…"


def link_dossier(
    feedback: Feedback, dossier: Dossier, *, actor: Staff | None, at: datetime
) -> None:
    feedback.dossier = dossier
    feedback.dossier_code = dossier.code
    note_feedback(
        dossier=dossier,
        actor=actor,
        at=at,
        note=_("Phản ánh, kiến nghị số %(id)s (%(channel)s): %(text)s")
        % {
            "id": feedback.pk,
            "channel": feedback.get_channel_display(),
            "text": excerpt(feedback.content),
        },
    )


def lock(feedback_id: int) -> Feedback:
    feedback = Feedback.objects.select_for_update().filter(pk=feedback_id).first()
    if feedback is None:
        raise FeedbackNotFound(_("Không có phản ánh số %(id)s.") % {"id": feedback_id})
    return feedback


def not_found(feedback_id: int) -> FeedbackNotFound:
    return FeedbackNotFound(
        _("Không có phản ánh số %(id)s, hoặc bạn không có quyền xem.") % {"id": feedback_id}
    )


def change_of(
    action: str, *, feedback_id: int, actor: Staff, now: datetime | None
) -> FeedbackChange:
    """Every staff service's first step: lock the item; another unit's item does not exist for
    ``actor`` (404); refuse ``action`` with the policy's DomainError unless it is allowed now
    (`motcua.feedback.policy`). The change to make."""
    at = now_or(now)
    feedback = lock(feedback_id)
    if not feedback_visible_to(actor).filter(pk=feedback.pk).exists():
        raise not_found(feedback.pk)
    policy.ensure(action, facts_of(actor, feedback))
    return FeedbackChange(feedback, actor=actor, at=at)


def secret_of(feedback: Feedback) -> str:
    """The citizen's look-up secret (derived again from the stored nonce)."""
    return keys.recover(
        lambda key: rules.derive_secret(key, feedback.secret_nonce),
        lambda secret: rules.hash_secret(feedback.secret_nonce, secret) == feedback.secret_hash,
    )


def pick_intake_unit(actor: Staff, code: str, concerned: Unit | None) -> Unit:
    allowed = list(intake_units(actor))
    if code:
        unit = get_active_unit(code.strip())
        if unit is None or all(u.pk != unit.pk for u in allowed):
            raise UnitNotFound(
                _("Không có đơn vị %(code)s trong các đơn vị bạn được nhập phản ánh.")
                % {"code": code}
            )
        return unit
    if not allowed:
        raise NotAllowed(
            _(
                "Chỉ công chức Bộ phận Một cửa hoặc cán bộ kiểm tra, giám sát mới được nhập "
                "phản ánh; hãy đề nghị quản trị viên giao vai trò."
            )
        )
    if len(allowed) == 1:
        return allowed[0]
    if concerned is not None and any(u.pk == concerned.pk for u in allowed):
        return concerned
    raise InvalidInput(
        _("Bạn nhập phản ánh cho nhiều đơn vị (%(units)s); hãy chọn đơn vị tiếp nhận.")
        % {"units": ", ".join(u.code for u in allowed)},
        field="intake_unit",
    )
