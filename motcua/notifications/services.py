"""Every write to the outbox, and the rendering of notices: a generic outbox that knows no
domain app (the notices of a dossier are in `motcua.dossiers.notices`, of a complaint in
`motcua.feedback.notices`).

Callers (the domain services, their sweeps) call :func:`queue_message` — or the helper
:func:`notify_staff` — INSIDE their own transaction: the row
commits or rolls back with the state change that caused it, and delivery is scheduled only once
that transaction has committed. Nothing is sent from a request thread: the worker
(`tasks.deliver_task`) calls :func:`deliver_message`.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, Engine, TemplateSyntaxError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, InvalidInput
from motcua.core.text import sms_text
from motcua.notifications import defaults
from motcua.notifications.channels import (
    DeliveryError,
    Outgoing,
    check_attachment_spec,
    get_channel,
    resolve_attachments,
)
from motcua.notifications.models import (
    Channel,
    Language,
    Message,
    Template,
    UnitNoticeSettings,
)
from motcua.org.models import Staff, Unit

logger = logging.getLogger("motcua.notifications")

__all__ = [
    "DeliveryOutcome",
    "Recipient",
    "Rendered",
    "UnknownTemplate",
    "applicant_channel",
    "deliver_message",
    "due_soon_threshold",
    "ensure_templates",
    "instant_key",
    "notify_staff",
    "queue_message",
    "render",
    "render_text",
    "resend_message",
    "site_url",
]

Status = Message.Status


class UnknownTemplate(InvalidInput):
    code = "unknown_template"


class OutsideTransaction(RuntimeError):
    """queue_message() was called in autocommit mode: the notice would not share the fate of the
    state change that caused it."""


# ------------------------------------------------------------------------------- recipients
@dataclass(frozen=True)
class Recipient:
    """Who a notice goes to, with every address we know of them."""

    name: str = ""
    email: str = ""
    phone: str = ""
    zalo: str = ""  # the phone number registered with Zalo; defaults to `phone`
    staff_id: int | None = None
    language: str = Language.VI

    @classmethod
    def for_staff(cls, staff: Staff) -> Recipient:
        return cls(
            name=staff.get_full_name(), email=staff.email, phone=staff.phone, staff_id=staff.pk
        )

    def address_for(self, channel: str) -> str:
        if channel == Channel.EMAIL:
            return self.email
        if channel == Channel.SMS:
            return self.phone
        if channel == Channel.ZALO:
            return self.zalo or self.phone
        return self.email or self.phone or self.name


# -------------------------------------------------------------------------------- rendering
@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    short: str


#: Plain text: no HTML escaping; no loaders, so {% include %} and {% extends %} cannot read files.
_engine = Engine(autoescape=False, loaders=[], libraries={})


def ensure_templates() -> None:
    """Create the shipped templates that have no row yet (an administrator's edits are kept)."""
    have = set(Template.objects.values_list("code", flat=True))
    missing = [_template_from_default(d) for d in defaults.DEFAULTS if d.code not in have]
    if missing:
        Template.objects.bulk_create(missing, ignore_conflicts=True)


def _template_from_default(d: defaults.DefaultTemplate) -> Template:
    return Template(
        code=d.code,
        name=d.name,
        description=d.description,
        subject_vi=d.subject_vi,
        body_vi=d.body_vi,
        short_vi=d.short_vi,
        subject_en=d.subject_en,
        body_en=d.body_en,
        short_en=d.short_en,
    )


def _template(code: str) -> Template:
    row = Template.objects.filter(code=code).first()
    if row is not None:
        return row
    default = defaults.BY_CODE.get(code)
    if default is None:
        raise UnknownTemplate(
            _("Không có mẫu thông báo “%(code)s”.") % {"code": code}, field="template_code"
        )
    with transaction.atomic():  # a savepoint: a concurrent first use must not break the caller
        Template.objects.bulk_create([_template_from_default(default)], ignore_conflicts=True)
    return Template.objects.get(code=code)


@lru_cache(maxsize=256)
def _compiled(source: str) -> Any:
    """A template compiled once per process per text (the text is the key: an edit is a miss)."""
    return _engine.from_string(source)


def render_text(
    *, subject: str, body: str, short: str, context: Mapping[str, Any], language: str
) -> Rendered:
    """Render template text with `context`, dates in Asia/Ho_Chi_Minh. Raises
    TemplateSyntaxError on bad template text."""
    ctx = Context(dict(context), autoescape=False, use_tz=True)
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        return Rendered(
            subject=" ".join(_compiled(subject).render(ctx).split())[:300],
            body=_compiled(body).render(ctx).strip(),
            short=_compiled(short).render(ctx).strip() if short else "",
        )


def render(template_code: str, context: Mapping[str, Any], language: str = Language.VI) -> Rendered:
    """The notice `template_code` in `language` (Vietnamese when the English text is empty)."""
    row = _template(template_code)
    en = language == Language.EN and bool(row.body_en.strip())
    try:
        return render_text(
            subject=row.subject_en if en else row.subject_vi,
            body=row.body_en if en else row.body_vi,
            short=row.short_en if en else row.short_vi,
            context=context,
            language=Language.EN if en else Language.VI,
        )
    except TemplateSyntaxError as exc:
        raise InvalidInput(
            _("Mẫu thông báo “%(code)s” có lỗi cú pháp: %(error)s")
            % {"code": template_code, "error": exc},
            code="template_error",
        ) from exc


# ---------------------------------------------------------------------------------- queueing
def queue_message(
    *,
    recipient: Recipient,
    channel: str,
    template_code: str,
    context: Mapping[str, Any],
    dossier_id: int | None = None,
    feedback_id: int | None = None,
    attachments: Sequence[Mapping[str, Any]] = (),
    dedupe_key: str | None = None,
    language: str | None = None,
) -> Message:
    """Write one notice to the outbox, rendered now, and deliver it once the caller commits.

    MUST be called inside the caller's transaction (raises OutsideTransaction otherwise). With a
    `dedupe_key`, a second call with the same key returns the first row and queues nothing. A
    recipient without an address for `channel` gets a row marked given up, with the reason, so
    the notice that could not go is still on record.
    """
    if not transaction.get_connection().in_atomic_block:
        raise OutsideTransaction(
            "queue_message() must be called inside the transaction of the state change"
        )
    if channel not in Channel.values:
        raise InvalidInput(
            _("Kênh thông báo không hợp lệ: %(channel)s.") % {"channel": channel}, field="channel"
        )
    for spec in attachments:
        check_attachment_spec(spec)
    language = language or recipient.language or Language.VI
    rendered = render(template_code, context, language)
    address = recipient.address_for(channel)
    now = timezone.now()
    message = Message(
        channel=channel,
        recipient_name=recipient.name[:200],
        address=address[:254],
        staff_id=recipient.staff_id,
        template_code=template_code,
        language=language,
        subject=rendered.subject,
        # One rule per channel: an SMS is plain GSM-7 text (`sms_text`), e-mail and Zalo are
        # full Vietnamese.
        body=sms_text(rendered.short or rendered.body) if channel == Channel.SMS else rendered.body,
        attachments=[dict(a) for a in attachments],
        dossier_id=dossier_id,
        feedback_id=feedback_id,
        dedupe_key=dedupe_key,
        status=Status.QUEUED,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    if not address and channel != Channel.CONSOLE:
        message.status = Status.GIVEN_UP
        message.next_attempt_at = None
        message.last_error = _("Người nhận không có địa chỉ cho kênh %(channel)s.") % {
            "channel": Channel(channel).label
        }
    try:
        # A savepoint: a duplicate dedupe_key (a second call, or a lost race) keeps the caller's
        # transaction, and the first row is the answer.
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first() if dedupe_key else None
        if existing is None:
            raise
        return existing
    if message.status == Status.QUEUED:
        message_id = message.pk
        transaction.on_commit(lambda: enqueue_delivery(message_id), robust=True)
    return message


def enqueue_delivery(message_id: int, *, delay: float | None = None) -> None:
    """Hand a message to the worker. A queue that is down loses nothing: the row stays queued and
    the stuck sweep enqueues it again."""
    from motcua.notifications.tasks import deliver_task

    try:
        if delay:
            deliver_task.schedule(args=(message_id,), delay=delay)
        else:
            deliver_task(message_id)
    except Exception:
        logger.exception("could not enqueue message %s; the stuck sweep will", message_id)


def notify_staff(
    *,
    staff: Staff,
    template_code: str,
    context: Mapping[str, Any],
    dossier_id: int | None = None,
    feedback_id: int | None = None,
    dedupe_key: str | None = None,
    attachments: Sequence[Mapping[str, Any]] = (),
) -> Message:
    """A notice to an officer: by email, or to the log when they have no email address."""
    channel = Channel.EMAIL if staff.email else Channel.CONSOLE
    return queue_message(
        recipient=Recipient.for_staff(staff),
        channel=channel,
        template_code=template_code,
        context={"recipient": staff.get_full_name(), **context},
        dossier_id=dossier_id,
        feedback_id=feedback_id,
        dedupe_key=dedupe_key,
        attachments=attachments,
    )


def applicant_channel(applicant: Any) -> str:
    """The channel an applicant chose at reception (``notify_channel``), else the first one we
    have an address for: email, then SMS, else the log."""
    chosen = getattr(applicant, "notify_channel", "") or ""
    if chosen in Channel.values:
        return str(chosen)
    if getattr(applicant, "email", ""):
        return Channel.EMAIL
    if getattr(applicant, "phone", ""):
        return Channel.SMS
    return Channel.CONSOLE


def site_url(viewname: str, *args: Any) -> str:
    """An absolute link to a page of the site for a notice; "" when SITE_URL is empty or the page
    does not exist (yet)."""
    base = str(settings.MOTCUA_NOTIFY.get("SITE_URL") or "").rstrip("/")
    if not base:
        return ""
    try:
        return base + reverse(viewname, args=args)
    except NoReverseMatch:
        return ""


def instant_key(at: datetime | None) -> str:
    """An instant for a dedupe key, in UTC: the same fact gives the same key whatever zone the
    caller holds."""
    return f"{at.astimezone(UTC):%Y%m%d%H%M%S}" if at is not None else "-"


def due_soon_threshold(unit: Unit | None) -> Decimal:
    """Working hours before a step's due at which its officer is reminded: the unit's own
    setting, else its nearest ancestor's, else the system default (2 working hours)."""
    if unit is not None:
        chain = [unit, *unit.ancestors()]
        found = dict(
            UnitNoticeSettings.objects.filter(unit__in=chain).values_list(
                "unit_id", "due_soon_working_hours"
            )
        )
        for candidate in chain:
            if candidate.pk in found:
                return Decimal(found[candidate.pk])
    return Decimal(str(settings.MOTCUA_NOTIFY["DUE_SOON_WORKING_HOURS"]))


@transaction.atomic
def resend_message(*, message_id: int, actor: Staff | None) -> Message:
    """Send a notice again as a new outbox row (a new idempotency key, so the provider delivers
    it); the original stays as it was. A row still queued or being sent is not copied."""
    original = Message.objects.select_for_update().get(pk=message_id)
    if original.status in (Status.QUEUED, Status.SENDING):
        raise DomainError(
            _("Thông báo #%(id)s đang chờ gửi; không cần gửi lại.") % {"id": original.pk},
            code="message_pending",
        )
    now = timezone.now()
    copy = Message.objects.create(
        channel=original.channel,
        recipient_name=original.recipient_name,
        address=original.address,
        staff_id=original.staff_id,
        template_code=original.template_code,
        language=original.language,
        subject=original.subject,
        body=original.body,
        attachments=original.attachments,
        dossier_id=original.dossier_id,
        feedback_id=original.feedback_id,
        resent_from=original,
        status=Status.QUEUED
        if original.address or original.channel == Channel.CONSOLE
        else Status.GIVEN_UP,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
        last_error=(
            "" if actor is None else _("Gửi lại theo yêu cầu của %(who)s") % {"who": actor}
        ),
    )
    if copy.status == Status.QUEUED:
        copy_id = copy.pk
        transaction.on_commit(lambda: enqueue_delivery(copy_id), robust=True)
    return copy


# ---------------------------------------------------------------------------------- delivery
@dataclass(frozen=True)
class DeliveryOutcome:
    """What one call of :func:`deliver_message` did."""

    status: str  # "sent", "failed", "given_up", or "skipped" (not ours to send now)
    retry_at: datetime | None = None  # failed: when to try again; skipped: when it becomes due
    error: str = ""


def _claimable(now: datetime) -> Q:
    return Q(status__in=(Status.QUEUED, Status.FAILED), next_attempt_at__lte=now) | Q(
        status=Status.SENDING, lease_until__lt=now
    )


def retry_delay(attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: exponential from RETRY_BASE_SECONDS, capped at
    RETRY_MAX_SECONDS, with up to 20 % jitter so a provider that comes back is not stampeded."""
    conf = settings.MOTCUA_NOTIFY
    base = float(conf["RETRY_BASE_SECONDS"]) * 2 ** max(attempts - 1, 0)
    capped = min(base, float(conf["RETRY_MAX_SECONDS"]))
    return capped * (0.8 + 0.2 * random.random())  # noqa: S311 — jitter, not a secret


def deliver_message(message_id: int) -> DeliveryOutcome:
    """Claim the row, send it through its channel, record the outcome. Safe to call any number of
    times, from any number of workers: only the worker whose conditional UPDATE claimed the row
    sends it, and the finishing UPDATE counts only while that claim holds."""
    conf = settings.MOTCUA_NOTIFY
    now = timezone.now()
    token = uuid.uuid4().hex
    claimed = (
        Message.objects.filter(_claimable(now), pk=message_id).update(
            status=Status.SENDING,
            lease_until=now + timedelta(seconds=float(conf["LEASE_SECONDS"])),
            claim_token=token,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        == 1
    )
    if not claimed:
        row = Message.objects.filter(pk=message_id).values("status", "next_attempt_at").first()
        due = None
        if row and row["status"] in (Status.QUEUED, Status.FAILED):
            due = row["next_attempt_at"]
        return DeliveryOutcome("skipped", retry_at=due)
    message = Message.objects.get(pk=message_id)
    try:
        adapter = get_channel(message.channel)
        outgoing = Outgoing(
            message_id=message.pk,
            idempotency_key=message.idempotency_key,
            address=message.address,
            recipient_name=message.recipient_name,
            subject=message.subject,
            body=message.body,
            attachments=resolve_attachments(message.attachments),
        )
        provider_id = adapter.send(outgoing)
    except DeliveryError as exc:
        return _record_failure(message, token, str(exc), permanent=exc.permanent)
    except Exception as exc:  # a bug or an unexpected answer: retried like a transient failure
        logger.exception("message %s: unexpected error while sending", message_id)
        return _record_failure(message, token, repr(exc), permanent=False)
    done = timezone.now()
    updated = Message.objects.filter(pk=message_id, claim_token=token).update(
        status=Status.SENT,
        provider_id=provider_id[:200],
        sent_at=done,
        lease_until=None,
        next_attempt_at=None,
        last_error="",
        updated_at=done,
    )
    if not updated:
        logger.warning("message %s was sent but its claim had been taken over", message_id)
    return DeliveryOutcome("sent")


def _record_failure(
    message: Message, token: str, error: str, *, permanent: bool
) -> DeliveryOutcome:
    now = timezone.now()
    max_attempts = int(settings.MOTCUA_NOTIFY["MAX_ATTEMPTS"])
    give_up = permanent or message.attempts >= max_attempts
    retry_at = None if give_up else now + timedelta(seconds=retry_delay(message.attempts))
    Message.objects.filter(pk=message.pk, claim_token=token).update(
        status=Status.GIVEN_UP if give_up else Status.FAILED,
        lease_until=None,
        next_attempt_at=retry_at,
        last_error=error[:2000],
        updated_at=now,
    )
    if give_up:
        logger.warning(
            "message %s given up after %s attempts: %s", message.pk, message.attempts, error
        )
        return DeliveryOutcome("given_up", error=error)
    logger.info(
        "message %s attempt %s failed, retry at %s: %s",
        message.pk,
        message.attempts,
        retry_at,
        error,
    )
    return DeliveryOutcome("failed", retry_at=retry_at, error=error)


# ------------------------------------------------------------------------------ stuck sweep
def sweep_stuck_messages(*, now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Find what the queue lost and hand it back to the worker; the ids re-enqueued.

    * a ``sending`` row whose lease expired (its worker died mid-send) goes back to ``queued``;
    * a ``queued`` or ``failed`` row due for STUCK_AFTER_SECONDS and more (its task was lost: the
      worker was killed, the queue was down at commit) is enqueued again.

    Each row is claimed with a conditional UPDATE (its ``next_attempt_at`` moves on only if it is
    still what this sweep read), so two sweeps running at once enqueue it once.
    """
    conf = settings.MOTCUA_NOTIFY
    now = now or timezone.now()
    limit = limit or int(conf["SWEEP_BATCH"])
    stuck_before = now - timedelta(seconds=float(conf["STUCK_AFTER_SECONDS"]))
    picked: list[int] = []
    expired = Message.objects.filter(status=Status.SENDING, lease_until__lt=now).values_list(
        "pk", "lease_until"
    )[:limit]
    for pk, lease_until in list(expired):
        if Message.objects.filter(pk=pk, status=Status.SENDING, lease_until=lease_until).update(
            status=Status.QUEUED,
            lease_until=None,
            claim_token="",
            next_attempt_at=now,
            updated_at=now,
        ):
            picked.append(pk)
    lost = (
        Message.objects.filter(
            status__in=(Status.QUEUED, Status.FAILED), next_attempt_at__lte=stuck_before
        )
        .order_by("next_attempt_at")
        .values_list("pk", "status", "next_attempt_at")[: max(limit - len(picked), 0)]
    )
    for pk, status, due in list(lost):
        # Restamp the row's due time: a second sweep that read the same row finds it changed and
        # leaves it; the task enqueued below claims it.
        if Message.objects.filter(pk=pk, status=status, next_attempt_at=due).update(
            next_attempt_at=now, updated_at=now
        ):
            picked.append(pk)
    for pk in picked:
        enqueue_delivery(pk)
    if picked:
        logger.info("stuck sweep: %s message(s) handed back to the worker", len(picked))
    return picked
