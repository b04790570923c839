"""The outbox (Message), the notice templates an administrator edits, and per-unit notice settings.

The outbox (DESIGN.md): a Message row is written in the SAME transaction as the state change that
causes it, with its text already rendered; the worker only delivers rows. Its life:

    queued ──claim──▶ sending ──▶ sent
       ▲                 │
       │                 ├──▶ failed (next_attempt_at = now + backoff) ──claim──▶ sending …
       │                 └──▶ given_up (attempts exhausted, permanent error, or no address)
       └── stuck sweep: a `sending` row whose lease expired (its worker died) goes back to queued

A row is claimed with a conditional UPDATE (status and lease in the WHERE clause), so two workers
never send the same row at the same moment; the provider call carries the message id as an
idempotency key, so a send repeated after a crash is not delivered twice by a provider that honours
the key (channels.py).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.history import ConfigHistory
from motcua.org.models import Staff, Unit


class Channel(models.TextChoices):
    CONSOLE = "console", _("Nhật ký hệ thống (không gửi ra ngoài)")
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo OA")


class Language(models.TextChoices):
    VI = "vi", _("Tiếng Việt")
    EN = "en", _("English")


class Template(models.Model):
    """The text of one kind of notice, in Vietnamese and in English (Django template syntax).

    The defaults ship in `defaults.py`; a missing row is created from them on first use, so an
    administrator's edits win and a deleted template comes back as the default.
    """

    code = models.CharField(_("mã mẫu"), max_length=60, unique=True, editable=False)
    name = models.CharField(_("tên mẫu"), max_length=200)
    description = models.TextField(
        _("dùng khi nào, các biến có thể dùng"), blank=True, editable=False
    )
    subject_vi = models.CharField(_("tiêu đề (tiếng Việt)"), max_length=300)
    body_vi = models.TextField(_("nội dung (tiếng Việt)"))
    short_vi = models.TextField(
        _("nội dung SMS (tiếng Việt)"),
        blank=True,
        help_text=_("Ngắn, thường viết không dấu; để trống thì SMS dùng nội dung đầy đủ."),
    )
    subject_en = models.CharField(_("tiêu đề (tiếng Anh)"), max_length=300, blank=True)
    body_en = models.TextField(_("nội dung (tiếng Anh)"), blank=True)
    short_en = models.TextField(_("nội dung SMS (tiếng Anh)"), blank=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        Staff,
        verbose_name=_("người sửa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = ConfigHistory(verbose_name=_("lịch sử thay đổi mẫu thông báo"))

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Message(models.Model):
    """One notice to one recipient through one channel: the outbox row."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi, sẽ gửi lại")
        GIVEN_UP = "given_up", _("Ngừng gửi")

    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    recipient_name = models.CharField(_("người nhận"), max_length=200, blank=True)
    address = models.CharField(
        _("địa chỉ nhận"),
        max_length=254,
        blank=True,
        help_text=_("Thư điện tử hoặc số điện thoại."),
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("cán bộ nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    template_code = models.CharField(_("mẫu"), max_length=60)
    language = models.CharField(
        _("ngôn ngữ"), max_length=5, choices=Language.choices, default=Language.VI
    )
    subject = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    body = models.TextField(_("nội dung"))
    attachments = models.JSONField(_("tệp đính kèm"), default=list, blank=True)
    # Loose references (no foreign key): the outbox is a log that outlives and never blocks the
    # rows it is about, and it does not tie the notifications migrations to other apps'.
    dossier_id = models.BigIntegerField(_("hồ sơ"), null=True, blank=True, db_index=True)
    feedback_id = models.BigIntegerField(_("phản ánh, kiến nghị"), null=True, blank=True)
    dedupe_key = models.CharField(
        _("khóa chống gửi trùng"),
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Một thông báo cho một sự việc: lần ghi thứ hai với cùng khóa bị bỏ qua."),
    )
    resent_from = models.ForeignKey(
        "self",
        verbose_name=_("gửi lại của"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resends",
    )

    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi (lại) từ"), null=True, blank=True)
    lease_until = models.DateTimeField(_("đang gửi đến hạn"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    provider_id = models.CharField(_("mã của nhà cung cấp"), max_length=200, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    sent_at = models.DateTimeField(_("gửi được lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("thông báo đã gửi")
        verbose_name_plural = _("hộp thư đi (thông báo)")
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(
                fields=("next_attempt_at",),
                condition=models.Q(status__in=["queued", "failed"]),
                name="message_pending",
            ),
            models.Index(
                fields=("lease_until",),
                condition=models.Q(status="sending"),
                name="message_in_flight",
            ),
            models.Index(
                fields=("feedback_id",),
                condition=models.Q(feedback_id__isnull=False),
                name="message_feedback",
            ),
            models.Index(fields=("staff", "created_at"), name="message_staff_created"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.template_code} → {self.recipient_name or self.address}"

    @property
    def idempotency_key(self) -> str:
        """The key every provider call for this row carries (the same on every attempt)."""
        return f"motcua-message-{self.pk}"


class UnitNoticeSettings(models.Model):
    """A unit's notice thresholds; units without a row use their nearest ancestor's, else the
    system default (settings.MOTCUA_NOTIFY["DUE_SOON_WORKING_HOURS"], 2 working hours)."""

    unit = models.OneToOneField(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="notice_settings",
    )
    due_soon_working_hours = models.DecimalField(
        _("nhắc bước sắp đến hạn trước (giờ làm việc)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(2),
        validators=[MinValueValidator(Decimal("0.25"))],
    )

    class Meta:
        verbose_name = _("ngưỡng nhắc việc của đơn vị")
        verbose_name_plural = _("ngưỡng nhắc việc của đơn vị")

    def __str__(self) -> str:
        return f"{self.unit}: {self.due_soon_working_hours} h"


class SweepMark(models.Model):
    """That a sweep has acted on one deadline of an object of another app (a claim).

    The sweeps claim an object (a step, a dossier) for one of its deadlines by inserting this row
    in the same transaction as the notices they queue; the unique (kind, object, deadline) makes a
    second, concurrent sweep's insert fail, so the notices are written once. A deadline that moves
    (a pause, an extension) is a new deadline: it gets its own notice when it comes.
    """

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    ref_at = models.DateTimeField(_("hạn được nhắc"))
    at = models.DateTimeField(_("nhắc lúc"))

    class Meta:
        verbose_name = _("dấu đã nhắc")
        verbose_name_plural = _("dấu đã nhắc")
        constraints = [
            models.UniqueConstraint(
                fields=("kind", "object_id", "ref_at"), name="sweep_mark_kind_object_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}@{self.ref_at:%Y-%m-%d %H:%M}"
