"""Intake of a complaint from any channel (hotline, Zalo, Viber, email, web, Open311...)."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.access.services import IdempotencyKeyReused, create_once
from motcua.core import keys
from motcua.core.clock import past_reception
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.core.text import clean_text
from motcua.dossiers.models import Dossier
from motcua.feedback import notices, rules
from motcua.feedback.errors import (
    IdempotencyConflict,
    UnknownChannel,
)
from motcua.feedback.models import (
    Channel,
    EventKind,
    Feedback,
    Status,
)
from motcua.feedback.services.common import (
    FeedbackChange,
    GeoReport,
    Idempotency,
    Received,
    Sender,
    category_of,
    clean_sender,
    dossier_of,
    fmt,
    green_lane_of,
    known_dossier,
    link_dossier,
    now_or,
    pick_intake_unit,
    plain_code,
    respond_by_of,
    secret_of,
    unit_of,
)
from motcua.org.models import Staff, Unit
from motcua.workdays.models import FIRST_YEAR

#: The kind of the feedback's idempotency records (`motcua.access`).
IDEMPOTENCY_KIND = "feedback"


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
    With ``idempotency`` (an Idempotency-Key, kept by `motcua.access`), a repeat with the same
    body gets the first item back (``replayed``), one with another body `IdempotencyConflict`.
    """
    now = now_or(now)
    if actor is not None and not actor.is_active:
        raise NotAllowed(_("Tài khoản %(user)s đã bị khóa.") % {"user": actor.username})
    if channel not in Channel.values:
        raise UnknownChannel(
            _("Kênh tiếp nhận không hợp lệ: %(value)s. Chọn một trong: %(all)s.")
            % {"value": channel, "all": ", ".join(Channel.values)},
            field="channel",
        )

    def create() -> Received:
        return _receive_new(
            actor=actor,
            channel=channel,
            content=content,
            sender=sender,
            received_at=received_at,
            dossier_code=dossier_code,
            category=category,
            unit_code=unit_code,
            intake_unit_code=intake_unit_code,
            geo=geo,
            require_contact=require_contact,
            now=now,
        )

    if idempotency is None or not idempotency.key:
        return create()
    try:
        received, _replayed = create_once(
            kind=IDEMPOTENCY_KIND,
            scope=idempotency.scope,
            key=idempotency.key,
            body_hash=idempotency.request_hash,
            create=create,
            result_id=lambda received: received.feedback.pk,
            replay=received_again,
        )
    except IdempotencyKeyReused as exc:
        raise IdempotencyConflict(
            _(
                "Khóa Idempotency-Key này đã được dùng cho một phản ánh khác (số %(id)s); "
                "hãy dùng khóa mới cho nội dung mới."
            )
            % {"id": exc.first_id},
            field="Idempotency-Key",
        ) from None
    return received


def received_again(feedback_id: int) -> Received | None:
    """The item an earlier request with the same Idempotency-Key created, with its look-up
    secret derived again (a replay); None when it no longer exists."""
    earlier = Feedback.objects.filter(pk=feedback_id).first()
    if earlier is None:
        return None
    return Received(earlier, secret_of(earlier), replayed=True)


def _receive_new(
    *,
    actor: Staff | None,
    channel: str,
    content: str,
    sender: Sender | None,
    received_at: datetime | None,
    dossier_code: str,
    category: str,
    unit_code: str,
    intake_unit_code: str,
    geo: GeoReport | None,
    require_contact: bool,
    now: datetime,
) -> Received:
    """A new item (`receive_feedback` has checked the actor, the channel and the key)."""
    text = clean_text(
        content,
        field="content",
        label=_("nội dung phản ánh"),
        required=True,
        max_length=rules.MAX_CONTENT_CHARS,
    )
    who = clean_sender(sender or Sender())
    if require_contact and not who.name:
        raise InvalidInput(
            _("Hãy nhập họ và tên người phản ánh (Nghị định 20/2008/NĐ-CP, Điều 7)."), field="name"
        )
    if require_contact and not (who.phone or who.email):
        raise InvalidInput(
            _("Hãy để lại số điện thoại hoặc thư điện tử để cơ quan trả lời phản ánh."),
            field="phone",
        )
    category = category_of(category, required=False)

    if actor is None or received_at is None:
        received_at = now
    elif past_reception(received_at, now=now).year < FIRST_YEAR:
        raise InvalidInput(
            _("Thời điểm tiếp nhận %(at)s nằm ngoài lịch làm việc của hệ thống (từ năm %(year)s).")
            % {"at": fmt(received_at), "year": FIRST_YEAR},
            field="received_at",
        )

    typed_code = plain_code(dossier_code)
    dossier: Dossier | None = None
    if actor is not None:
        dossier = dossier_of(typed_code) if typed_code else None
    elif typed_code:
        # Anonymous (the web form, the public API, Open311): the answer never tells whether
        # the code exists. The item is linked for staff, its unit is not taken from the
        # dossier (a look-up would show it), and nothing is written on the dossier's timeline.
        dossier = known_dossier(typed_code)
    concerned: Unit | None = None
    if unit_code.strip():
        concerned = unit_of(unit_code, field="unit")
    elif dossier is not None and actor is not None:
        concerned = dossier.unit

    intake: Unit | None = concerned
    if actor is not None:
        intake = pick_intake_unit(actor, intake_unit_code, concerned)

    nonce = secrets.token_hex(16)
    feedback = Feedback(
        channel=channel,
        received_at=received_at,
        entered_by=actor,
        created_at=now,
        updated_at=now,
        content=text,
        intake_unit=intake,
        concerned_unit=concerned,
        category=category,
        green_lane=green_lane_of(category, dossier),
        status=Status.NEW,
        respond_by=respond_by_of(received_at, category, concerned or intake),
        secret_nonce=nonce,
        **asdict(who),  # name, phone, email, address: the model's own fields
        **asdict(geo or GeoReport()),  # the GeoReport v2 fields, likewise
    )
    secret = rules.derive_secret(keys.lookup_key(), nonce)
    feedback.secret_hash = rules.hash_secret(nonce, secret)
    feedback.save()
    FeedbackChange(feedback, actor=actor, at=now, from_status="").record(
        EventKind.RECEIVED,
        note=_("Qua %(channel)s, tiếp nhận lúc %(at)s.")
        % {"channel": feedback.get_channel_display(), "at": fmt(received_at)},
    )
    if dossier is not None and actor is not None:
        link_dossier(feedback, dossier, actor=actor, at=now)
        feedback.save(update_fields=["dossier", "dossier_code"])
    elif typed_code:
        feedback.dossier, feedback.dossier_code = dossier, dossier.code if dossier else typed_code
        feedback.save(update_fields=["dossier", "dossier_code"])
    notices.notify_feedback_received(feedback=feedback)
    return Received(feedback, secret)
