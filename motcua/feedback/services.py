"""Every write to feedback: intake from any channel, classification and routing, the answer,
closing and returning, publication, and escalation of overdue items (STYLE §2).

Each service: keyword-only arguments, an `actor` (None for the public web form and Open311), an
injectable `now`, one transaction, the item re-read under a row lock, one `FeedbackEvent` per
change, and a named `DomainError` with a Vietnamese sentence when it refuses.

A complaint about a dossier is linked to it (`Feedback.dossier`) and written on the dossier's
timeline as a `dossiers.Event` of kind "feedback", in the same transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.clock import format_local, past_reception, resolve_now
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import Dossier, Event
from motcua.feedback import rules
from motcua.feedback.errors import (
    ContentTooLong,
    FeedbackAlreadyAnswered,
    FeedbackClosed,
    FeedbackNotAnswered,
    FeedbackNotClassified,
    FeedbackNotFound,
    IdempotencyConflict,
    UnitNotFound,
    UnknownCategory,
    UnknownChannel,
    UnknownDossier,
    UnknownUnit,
)
from motcua.feedback.models import (
    OPEN_STATUSES,
    Category,
    Channel,
    EventKind,
    Feedback,
    FeedbackEvent,
    Status,
)
from motcua.feedback.selectors import (
    feedback_visible_to,
    get_active_unit,
    intake_units,
    leader_of,
    list_overdue_unescalated,
    may_answer,
    may_supervise,
    resolve_route,
    sla_for,
)
from motcua.notifications import services as notices
from motcua.org.models import Staff, Unit
from motcua.workdays.models import FIRST_YEAR
from motcua.workdays.rules import CalendarError
from motcua.workdays.services import calendar_for

#: The kind of the dossier Event that puts a complaint on the dossier's timeline.
DOSSIER_EVENT_KIND = "feedback"


# ------------------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class Sender:
    """Who complained (Decree 20/2008 Art. 7: name, address, phone)."""

    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


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


# ------------------------------------------------------------------------------------ helpers
_now = resolve_now
_fmt = format_local


def _thousands(n: int) -> str:
    """5000 → 5.000 (Vietnamese digit grouping)."""
    return f"{n:,}".replace(",", ".")


def _text(value: str, *, field: str, label: str, required: bool, max_length: int) -> str:
    cleaned = rules.clean_text(value or "")
    if required and not cleaned:
        raise InvalidInput(_("Hãy nhập %(label)s.") % {"label": label}, field=field)
    if len(cleaned) > max_length:
        raise ContentTooLong(
            _("%(label)s dài %(n)s ký tự, quá giới hạn %(max)s ký tự; hãy rút gọn.")
            % {
                "label": label.capitalize(),
                "n": _thousands(len(cleaned)),
                "max": _thousands(max_length),
            },
            field=field,
        )
    return cleaned


def _line(value: str, *, field: str, label: str, max_length: int) -> str:
    """A one-line field: new lines become spaces."""
    return " ".join(
        _text(value, field=field, label=label, required=False, max_length=max_length).split()
    )


def _clean_sender(sender: Sender) -> Sender:
    email = _line(sender.email, field="email", label=_("thư điện tử"), max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(
                _("Địa chỉ thư điện tử %(email)s không hợp lệ.") % {"email": email},
                field="email",
            ) from None
    return Sender(
        name=_line(sender.name, field="name", label=_("họ và tên"), max_length=200),
        phone=_line(sender.phone, field="phone", label=_("số điện thoại"), max_length=40),
        email=email,
        address=_line(sender.address, field="address", label=_("địa chỉ"), max_length=500),
    )


def _category(value: str, *, required: bool) -> str:
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


def _unit(code: str, *, field: str) -> Unit:
    unit = get_active_unit(code.strip())
    if unit is None:
        raise UnknownUnit(
            _("Không có đơn vị đang hoạt động mã %(code)s.") % {"code": code}, field=field
        )
    return unit


def _dossier(code: str) -> Dossier:
    code = code.strip()
    dossier = (
        Dossier.objects.select_related("unit").filter(code=code).first()
        or Dossier.objects.select_related("unit").filter(code__iexact=code).first()
    )
    if dossier is None:
        raise UnknownDossier(
            _("Không có hồ sơ mã %(code)s. Hãy đối chiếu mã trên phiếu tiếp nhận và hẹn trả.")
            % {"code": code},
            field="dossier_code",
        )
    return dossier


def _respond_by(received_at: datetime, category: str, unit: Unit | None) -> datetime:
    sla = sla_for(category or Category.OTHER)
    try:
        return rules.respond_by(received_at=received_at, sla=sla, calendar=calendar_for(unit))
    except CalendarError as exc:
        raise InvalidInput(exc.message_vi, field="received_at") from None


def _green_lane(category: str, dossier: Dossier | None) -> bool:
    return category == Category.DELAY and dossier is not None and dossier.green_lane


def _assigned_status(feedback: Feedback) -> str:
    """In scope: `classified` when the receiving unit handles it, `forwarded` otherwise."""
    if feedback.unit_id is not None and feedback.unit_id == feedback.intake_unit_id:
        return Status.CLASSIFIED
    return Status.FORWARDED


def _record(
    feedback: Feedback, *, actor: Staff | None, kind: str, at: datetime, from_status: str, note: str
) -> FeedbackEvent:
    return FeedbackEvent.objects.create(
        feedback=feedback,
        at=at,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=feedback.status,
        note=note,
    )


def _dossier_event(dossier: Dossier, *, actor: Staff | None, at: datetime, note: str) -> None:
    """The complaint on the dossier's timeline (an append-only dossiers.Event)."""
    Event.objects.create(
        dossier=dossier,
        at=at,
        actor=actor,
        kind=DOSSIER_EVENT_KIND,
        from_status=dossier.status,
        to_status=dossier.status,
        note=note,
    )


def _excerpt(text: str, n: int = 200) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= n else one_line[: n - 1] + "…"


def _link_dossier(
    feedback: Feedback, dossier: Dossier, *, actor: Staff | None, at: datetime
) -> None:
    feedback.dossier = dossier
    feedback.dossier_code = dossier.code
    _dossier_event(
        dossier,
        actor=actor,
        at=at,
        note=_("Phản ánh, kiến nghị số %(id)s (%(channel)s): %(text)s")
        % {
            "id": feedback.pk,
            "channel": feedback.get_channel_display(),
            "text": _excerpt(feedback.content),
        },
    )


def _lock(feedback_id: int) -> Feedback:
    feedback = Feedback.objects.select_for_update().filter(pk=feedback_id).first()
    if feedback is None:
        raise FeedbackNotFound(_("Không có phản ánh số %(id)s.") % {"id": feedback_id})
    return feedback


def _not_found(feedback_id: int) -> FeedbackNotFound:
    return FeedbackNotFound(
        _("Không có phản ánh số %(id)s, hoặc bạn không có quyền xem.") % {"id": feedback_id}
    )


def _require_supervisor(actor: Staff, feedback: Feedback, action: str) -> None:
    if not feedback_visible_to(actor).filter(pk=feedback.pk).exists():
        raise _not_found(feedback.pk)
    if not may_supervise(actor, feedback):
        raise NotAllowed(
            _("Chỉ cán bộ kiểm tra, giám sát của đơn vị tiếp nhận mới được %(action)s.")
            % {"action": action}
        )


def _require_answerer(actor: Staff, feedback: Feedback) -> None:
    if not feedback_visible_to(actor).filter(pk=feedback.pk).exists():
        raise _not_found(feedback.pk)
    if not may_answer(actor, feedback):
        unit = feedback.unit.name if feedback.unit is not None else _("đơn vị được giao")
        raise NotAllowed(
            _("Chỉ lãnh đạo, chuyên viên của %(unit)s mới được trả lời phản ánh này.")
            % {"unit": unit}
        )


def secret_of(feedback: Feedback) -> str:
    """The citizen's look-up secret (derived again from the stored nonce)."""
    return rules.derive_secret(settings.SECRET_KEY.encode(), feedback.secret_nonce)


def _pick_intake_unit(actor: Staff, code: str, concerned: Unit | None) -> Unit:
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


# ------------------------------------------------------------------------------------- intake
@transaction.atomic
def receive_feedback(
    *,
    actor: Staff | None,
    channel: str,
    content: str,
    sender: Sender | None = None,
    received_at: datetime | None = None,
    dossier_code: str = "",
    category: str = "",
    unit_code: str = "",
    intake_unit_code: str = "",
    geo: GeoReport | None = None,
    idempotency: Idempotency | None = None,
    require_contact: bool = False,
    now: datetime | None = None,
) -> Received:
    """Put one complaint into the queue, whatever its channel.

    ``actor`` is the operator who typed it (a receptionist or supervisor of the receiving unit),
    or None for the public web form and Open311, whose time of reception is always `now`.
    ``unit_code`` names the unit the complaint is about (taken from the dossier when there is
    one); ``intake_unit_code`` the unit whose hotline or mailbox received it (the operator's own
    unit by default). The respond-by time runs from reception (D11) and is set again when the
    supervisor classifies the item. ``require_contact`` (the public web form): a name and a phone
    number or an email address are required (Decree 20/2008 Art. 7), so that someone can answer.
    """
    now = _now(now)
    if actor is not None and not actor.is_active:
        raise NotAllowed(_("Tài khoản %(user)s đã bị khóa.") % {"user": actor.username})
    if channel not in Channel.values:
        raise UnknownChannel(
            _("Kênh tiếp nhận không hợp lệ: %(value)s. Chọn một trong: %(all)s.")
            % {"value": channel, "all": ", ".join(Channel.values)},
            field="channel",
        )
    if idempotency is not None and idempotency.key:
        earlier = Feedback.objects.filter(
            idempotency_scope=idempotency.scope, idempotency_key=idempotency.key
        ).first()
        if earlier is not None:
            if earlier.request_hash != idempotency.request_hash:
                raise IdempotencyConflict(
                    _(
                        "Khóa Idempotency-Key này đã được dùng cho một phản ánh khác (số %(id)s); "
                        "hãy dùng khóa mới cho nội dung mới."
                    )
                    % {"id": earlier.pk},
                    field="Idempotency-Key",
                )
            return Received(earlier, secret_of(earlier), replayed=True)

    text = _text(
        content,
        field="content",
        label=_("nội dung phản ánh"),
        required=True,
        max_length=rules.MAX_CONTENT_CHARS,
    )
    who = _clean_sender(sender or Sender())
    if require_contact and not who.name:
        raise InvalidInput(
            _("Hãy nhập họ và tên người phản ánh (Nghị định 20/2008/NĐ-CP, Điều 7)."), field="name"
        )
    if require_contact and not (who.phone or who.email):
        raise InvalidInput(
            _("Hãy để lại số điện thoại hoặc thư điện tử để cơ quan trả lời phản ánh."),
            field="phone",
        )
    category = _category(category, required=False)

    if actor is None or received_at is None:
        received_at = now
    elif past_reception(received_at, now=now).year < FIRST_YEAR:
        raise InvalidInput(
            _("Thời điểm tiếp nhận %(at)s nằm ngoài lịch làm việc của hệ thống (từ năm %(year)s).")
            % {"at": _fmt(received_at), "year": FIRST_YEAR},
            field="received_at",
        )

    dossier = _dossier(dossier_code) if dossier_code.strip() else None
    concerned: Unit | None = None
    if unit_code.strip():
        concerned = _unit(unit_code, field="unit")
    elif dossier is not None:
        concerned = dossier.unit

    intake: Unit | None = concerned
    if actor is not None:
        intake = _pick_intake_unit(actor, intake_unit_code, concerned)

    geo = geo or GeoReport()
    nonce = secrets.token_hex(16)
    feedback = Feedback(
        channel=channel,
        received_at=received_at,
        entered_by=actor,
        created_at=now,
        updated_at=now,
        name=who.name,
        phone=who.phone,
        email=who.email,
        address=who.address,
        content=text,
        intake_unit=intake,
        concerned_unit=concerned,
        category=category,
        green_lane=_green_lane(category, dossier),
        status=Status.NEW,
        respond_by=_respond_by(received_at, category, concerned or intake),
        secret_nonce=nonce,
        lat=geo.lat,
        long=geo.long,
        address_string=geo.address_string,
        address_id=geo.address_id,
        media_url=geo.media_url,
        device_id=geo.device_id,
        account_id=geo.account_id,
        attributes=geo.attributes,
    )
    secret = rules.derive_secret(settings.SECRET_KEY.encode(), nonce)
    feedback.secret_hash = rules.hash_secret(nonce, secret)
    if idempotency is not None and idempotency.key:
        feedback.idempotency_scope = idempotency.scope
        feedback.idempotency_key = idempotency.key
        feedback.request_hash = idempotency.request_hash
    feedback.save()
    _record(
        feedback,
        actor=actor,
        kind=EventKind.RECEIVED,
        at=now,
        from_status="",
        note=_("Qua %(channel)s, tiếp nhận lúc %(at)s.")
        % {"channel": feedback.get_channel_display(), "at": _fmt(received_at)},
    )
    if dossier is not None:
        _link_dossier(feedback, dossier, actor=actor, at=now)
        feedback.save(update_fields=["dossier", "dossier_code"])
    notices.notify_feedback_received(feedback=feedback)
    return Received(feedback, secret)


# ------------------------------------------------------------------------ classify and route
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
    now = _now(now)
    feedback = _lock(feedback_id)
    _require_supervisor(actor, feedback, _("phân loại, chuyển xử lý phản ánh"))
    if feedback.status == Status.CLOSED:
        raise FeedbackClosed(
            _("Phản ánh số %(id)s đã kết thúc; không phân loại lại được.") % {"id": feedback.pk}
        )
    if feedback.status == Status.ANSWERED:
        raise FeedbackAlreadyAnswered(
            _(
                "Phản ánh số %(id)s đã được trả lời; hãy kết thúc, hoặc trả lại cho đơn vị "
                "trước khi phân loại lại."
            )
            % {"id": feedback.pk}
        )
    category = _category(category, required=True)
    note = _text(
        note, field="note", label=_("ghi chú"), required=False, max_length=rules.MAX_CONTENT_CHARS
    )
    from_status = feedback.status

    if dossier_code.strip() and dossier_code.strip() != feedback.dossier_code:
        linked = _dossier(dossier_code)
        _link_dossier(feedback, linked, actor=actor, at=now)
        _record(
            feedback,
            actor=actor,
            kind=EventKind.DOSSIER_LINKED,
            at=now,
            from_status=from_status,
            note=_("Gắn với hồ sơ %(code)s.") % {"code": linked.code},
        )
    dossier = feedback.dossier

    concerned: Unit | None = None
    if unit_code.strip():
        concerned = _unit(unit_code, field="unit")
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
        _record(
            feedback,
            actor=actor,
            kind=EventKind.OUT_OF_SCOPE,
            at=now,
            from_status=from_status,
            note=note,
        )
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
    feedback.respond_by = _respond_by(feedback.received_at, category, feedback.unit)
    if feedback.escalated_at is not None and feedback.respond_by > now:
        feedback.escalated_at = None
        feedback.escalated_to = None
    feedback.green_lane = green_lane if green_lane is not None else _green_lane(category, dossier)
    feedback.status = _assigned_status(feedback)
    feedback.save()
    summary = _("Loại: %(category)s; đơn vị xử lý: %(unit)s; hạn trả lời: %(due)s.") % {
        "category": feedback.get_category_display(),
        "unit": feedback.unit.name,
        "due": _fmt(feedback.respond_by),
    }
    if feedback.green_lane:
        summary += " " + _("Chậm trễ hồ sơ làn xanh.")
    _record(
        feedback,
        actor=actor,
        kind=EventKind.CLASSIFIED,
        at=now,
        from_status=from_status,
        note=f"{summary} {note}".strip(),
    )
    return feedback


# ------------------------------------------------------------------------- answer and follow-up
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
    now = _now(now)
    feedback = _lock(feedback_id)
    _require_answerer(actor, feedback)
    if feedback.status == Status.NEW:
        raise FeedbackNotClassified(
            _("Phản ánh số %(id)s chưa được phân loại, chuyển xử lý.") % {"id": feedback.pk}
        )
    if feedback.status == Status.ANSWERED:
        raise FeedbackAlreadyAnswered(
            _("Phản ánh số %(id)s đã được trả lời, đang chờ cán bộ giám sát kết thúc.")
            % {"id": feedback.pk}
        )
    if feedback.status == Status.CLOSED:
        raise FeedbackClosed(_("Phản ánh số %(id)s đã kết thúc.") % {"id": feedback.pk})
    text = _text(
        answer,
        field="answer",
        label=_("nội dung trả lời"),
        required=True,
        max_length=rules.MAX_CONTENT_CHARS,
    )
    from_status = feedback.status
    feedback.answer = text
    feedback.answered_at = now
    feedback.answered_by = actor
    feedback.status = Status.ANSWERED
    feedback.published = publish
    feedback.published_at = now if publish else None
    feedback.updated_at = now
    feedback.save()
    late = feedback.answered_late
    _record(
        feedback,
        actor=actor,
        kind=EventKind.ANSWERED,
        at=now,
        from_status=from_status,
        note=(_("Trả lời quá hạn. ") if late else "") + text,
    )
    if feedback.dossier_id is not None:
        _dossier_event(
            feedback.dossier,  # type: ignore[arg-type]
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
    now = _now(now)
    feedback = _lock(feedback_id)
    _require_supervisor(actor, feedback, _("kết thúc phản ánh"))
    if feedback.status == Status.CLOSED:
        raise FeedbackClosed(_("Phản ánh số %(id)s đã kết thúc.") % {"id": feedback.pk})
    if feedback.status != Status.ANSWERED:
        raise FeedbackNotAnswered(
            _("Phản ánh số %(id)s chưa được đơn vị trả lời; chưa kết thúc được.")
            % {"id": feedback.pk}
        )
    note = _text(
        note, field="note", label=_("ghi chú"), required=False, max_length=rules.MAX_CONTENT_CHARS
    )
    feedback.status = Status.CLOSED
    feedback.closed_at = now
    feedback.updated_at = now
    feedback.save(update_fields=["status", "closed_at", "updated_at"])
    _record(
        feedback,
        actor=actor,
        kind=EventKind.CLOSED,
        at=now,
        from_status=Status.ANSWERED,
        note=note,
    )
    return feedback


@transaction.atomic
def return_feedback(
    *, feedback_id: int, actor: Staff, note: str, now: datetime | None = None
) -> Feedback:
    """The answer is not good enough: back to the unit, with the reason. The respond-by time
    does not move (the citizen still waits)."""
    now = _now(now)
    feedback = _lock(feedback_id)
    _require_supervisor(actor, feedback, _("trả lại phản ánh cho đơn vị"))
    if feedback.status == Status.CLOSED:
        raise FeedbackClosed(_("Phản ánh số %(id)s đã kết thúc.") % {"id": feedback.pk})
    if feedback.status != Status.ANSWERED:
        raise FeedbackNotAnswered(
            _("Phản ánh số %(id)s chưa được trả lời; không có gì để trả lại.") % {"id": feedback.pk}
        )
    note = _text(
        note,
        field="note",
        label=_("lý do trả lại"),
        required=True,
        max_length=rules.MAX_CONTENT_CHARS,
    )
    feedback.status = _assigned_status(feedback)
    feedback.answered_at = None
    feedback.answered_by = None
    feedback.published = False
    feedback.published_at = None
    feedback.updated_at = now
    feedback.save()
    _record(
        feedback,
        actor=actor,
        kind=EventKind.RETURNED,
        at=now,
        from_status=Status.ANSWERED,
        note=note,
    )
    return feedback


@transaction.atomic
def publish_feedback(
    *, feedback_id: int, actor: Staff, published: bool, now: datetime | None = None
) -> Feedback:
    """Show (or stop showing) the answer on the portal; never the sender's name or contacts."""
    now = _now(now)
    feedback = _lock(feedback_id)
    if not feedback_visible_to(actor).filter(pk=feedback.pk).exists():
        raise _not_found(feedback.pk)
    if not (may_supervise(actor, feedback) or may_answer(actor, feedback)):
        raise NotAllowed(
            _("Chỉ cán bộ giám sát hoặc đơn vị trả lời mới được công khai câu trả lời.")
        )
    if feedback.status not in (Status.ANSWERED, Status.CLOSED) or not feedback.answer:
        raise FeedbackNotAnswered(
            _("Phản ánh số %(id)s chưa có câu trả lời để công khai.") % {"id": feedback.pk}
        )
    if feedback.published == published:
        return feedback
    feedback.published = published
    feedback.published_at = now if published else None
    feedback.updated_at = now
    feedback.save(update_fields=["published", "published_at", "updated_at"])
    _record(
        feedback,
        actor=actor,
        kind=EventKind.PUBLISHED if published else EventKind.UNPUBLISHED,
        at=now,
        from_status=feedback.status,
        note="",
    )
    return feedback


# -------------------------------------------------------------------------------- escalation
@transaction.atomic
def escalate_feedback(*, feedback_id: int, now: datetime | None = None) -> bool:
    """An overdue item is reported to the leader of its unit, once. False when the item is not
    (or no longer) overdue, or was escalated already."""
    now = _now(now)
    feedback = _lock(feedback_id)
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
            "due": _fmt(feedback.respond_by),
            "leader": leader.get_full_name(),
        }
    else:
        note = _("Quá hạn trả lời (hạn %(due)s); đơn vị chưa có lãnh đạo trên hệ thống.") % {
            "due": _fmt(feedback.respond_by)
        }
    _record(
        feedback,
        actor=None,
        kind=EventKind.ESCALATED,
        at=now,
        from_status=feedback.status,
        note=note,
    )
    return True


def _clock_unit(feedback: Feedback) -> Unit | None:
    """The unit whose calendar counts the item's time (as at intake and classification)."""
    return feedback.unit or feedback.concerned_unit or feedback.intake_unit


def recompute_respond_by(
    *,
    dates: Iterable[date] | None,
    unit_ids: Iterable[int] | None,
    actor: Staff | None,
    reason: str,
    now: datetime | None = None,
) -> int:
    """The recomputer registered with `workdays.services.register_recomputer`: after the working
    calendar changed, count again the respond-by times of the open items whose category is
    counted in working hours or days (clock hours do not depend on the calendar), for
    ``unit_ids`` (all when None) and due on or after the first changed date (any when ``dates``
    is None). One event per item that moved; returns how many moved."""
    now = _now(now)
    working = [c for c in Category.values if sla_for(c).clock != rules.Clock.CLOCK_HOURS]
    if not working:
        return 0
    in_categories = Q(category__in=working)
    if Category.OTHER in working:
        in_categories |= Q(category="")
    qs = Feedback.objects.filter(
        in_categories, status__in=OPEN_STATUSES, respond_by__isnull=False
    ).exclude(in_scope=False)
    if dates is not None:
        changed = sorted(dates)
        if not changed:
            return 0
        first = datetime.combine(changed[0], time.min, tzinfo=timezone.get_current_timezone())
        qs = qs.filter(respond_by__gte=first)
    if unit_ids is not None:
        ids = list(unit_ids)
        qs = qs.filter(
            Q(unit_id__in=ids)
            | Q(unit__isnull=True, concerned_unit_id__in=ids)
            | Q(unit__isnull=True, concerned_unit__isnull=True, intake_unit_id__in=ids)
        )
    moved = 0
    for pk in qs.values_list("pk", flat=True).order_by("pk"):
        with transaction.atomic():
            feedback = _lock(pk)
            if feedback.status not in OPEN_STATUSES or feedback.respond_by is None:
                continue
            try:
                due = _respond_by(feedback.received_at, feedback.category, _clock_unit(feedback))
            except InvalidInput:
                continue  # outside the calendar's years: nothing this change can fix
            if due == feedback.respond_by:
                continue
            feedback.respond_by = due
            feedback.updated_at = now
            if feedback.escalated_at is not None and due > now:
                feedback.escalated_at = None
                feedback.escalated_to = None
            feedback.save(
                update_fields=["respond_by", "updated_at", "escalated_at", "escalated_to"]
            )
            _record(
                feedback,
                actor=actor,
                kind=EventKind.RESPOND_BY_RECOMPUTED,
                at=now,
                from_status=feedback.status,
                note=(
                    (reason or "").strip()
                    + " "
                    + _("Hạn trả lời mới: %(due)s.") % {"due": _fmt(due)}
                ).strip(),
            )
            moved += 1
    return moved


def escalate_overdue_feedback(*, now: datetime | None = None) -> int:
    """The sweep (run by the background worker): escalate every overdue item not yet reported.
    Each item in its own transaction; returns how many were escalated."""
    now = _now(now)
    ids = list(list_overdue_unescalated(now).values_list("pk", flat=True))
    return sum(1 for pk in ids if escalate_feedback(feedback_id=pk, now=now))
