"""Feedback and complaints (phản ánh, kiến nghị — PAKN), DOMAIN §12, decision D11.

One queue for every channel: a hotline call typed by an operator, a Zalo or Viber conversation,
an email, a letter, the public web form and Open311. A supervisor classifies each item (in scope
or not, category) and routes it to the responsible unit with a respond-by time; the unit answers;
the supervisor closes it or returns it. Every change goes through `motcua.feedback.services` and
writes one `FeedbackEvent`.

Statuses (API.md): `new` (received, not classified) → `classified` (in scope, handled by the unit
that received it) or `forwarded` (in scope, handed to another unit) → `answered` → `closed`.
Out-of-scope feedback goes from `new` straight to `closed`, the guidance to the competent body
being its answer; it has no respond-by time and is never overdue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.models import EventBase
from motcua.dossiers.models import Dossier
from motcua.feedback import rules
from motcua.org.models import FocalPoint, Staff, Unit


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Đường dây nóng")
    ZALO = "zalo", _("Zalo")
    VIBER = "viber", _("Viber")
    EMAIL = "email", _("Thư điện tử")
    WEB = "web", _("Cổng thông tin (biểu mẫu trực tuyến)")
    IHANOI = "ihanoi", _("iHanoi")
    LETTER = "letter", _("Thư, văn bản")
    IN_PERSON = "in_person", _("Trực tiếp")
    OPEN311 = "open311", _("Ứng dụng Open311")


class Category(models.TextChoices):
    """API.md's categories; the first seven are the hotline's scope (seed 004, DOMAIN §12.2)."""

    HARASSMENT = "harassment", _("Cửa quyền, sách nhiễu, gây phiền hà")
    CHANNEL_OBSTRUCTION = (
        "channel_obstruction",
        _("Cản trở lựa chọn hình thức nộp hồ sơ, nhận kết quả"),
    )
    DELAY = "delay", _("Từ chối, kéo dài thời gian giải quyết")
    EXTRA_DOCUMENTS = "extra_documents", _("Yêu cầu giấy tờ ngoài quy định")
    SHIRKING = "shirking", _("Đùn đẩy trách nhiệm, thiếu hợp tác")
    UNFAIRNESS = "unfairness", _("Không công bằng, không khách quan")
    CONDUCT = "conduct", _("Ứng xử, giao tiếp không đúng quy chế văn hóa công sở")
    REGULATION = "regulation", _("Phản ánh, kiến nghị về quy định hành chính")
    OTHER = "other", _("Khác")


CATEGORY_DESCRIPTIONS: dict[str, Any] = {
    Category.HARASSMENT: _(
        "Cán bộ cửa quyền, sách nhiễu, gây phiền hà cho tổ chức, cá nhân khi giải quyết thủ tục."
    ),
    Category.CHANNEL_OBSTRUCTION: _(
        "Cản trở việc lựa chọn nộp hồ sơ trực tiếp, trực tuyến hoặc qua bưu chính, "
        "hoặc cách nhận kết quả."
    ),
    Category.DELAY: _(
        "Từ chối thực hiện, kéo dài thời gian, trễ hẹn giải quyết hồ sơ, kể cả hồ sơ làn xanh."
    ),
    Category.EXTRA_DOCUMENTS: _("Tự ý yêu cầu bổ sung hồ sơ, giấy tờ ngoài quy định."),
    Category.SHIRKING: _("Đùn đẩy trách nhiệm, thiếu hợp tác giữa các cơ quan, bộ phận."),
    Category.UNFAIRNESS: _("Không công bằng, không khách quan khi tiếp nhận, giải quyết hồ sơ."),
    Category.CONDUCT: _("Ứng xử, giao tiếp không phù hợp với quy chế văn hóa công sở."),
    Category.REGULATION: _(
        "Vướng mắc, bất cập của quy định hành chính; đề xuất sửa đổi (Nghị định 20/2008/NĐ-CP)."
    ),
    Category.OTHER: _("Phản ánh, kiến nghị khác về việc giải quyết thủ tục hành chính."),
}


class Status(models.TextChoices):
    NEW = "new", _("Mới tiếp nhận")
    CLASSIFIED = "classified", _("Đã phân loại, đơn vị xử lý")
    FORWARDED = "forwarded", _("Đã chuyển đơn vị xử lý")
    ANSWERED = "answered", _("Đã trả lời, chờ kết thúc")
    CLOSED = "closed", _("Đã kết thúc")


OPEN_STATUSES = (Status.NEW, Status.CLASSIFIED, Status.FORWARDED)
ASSIGNED_STATUSES = (Status.CLASSIFIED, Status.FORWARDED)


class Clock(models.TextChoices):
    CLOCK_HOURS = rules.Clock.CLOCK_HOURS.value, _("Giờ đồng hồ (kể cả ngày nghỉ)")
    WORKING_HOURS = rules.Clock.WORKING_HOURS.value, _("Giờ làm việc")
    WORKING_DAYS = rules.Clock.WORKING_DAYS.value, _("Ngày làm việc (hết giờ làm việc)")


class CategorySetting(models.Model):
    """D11: how long the responsible unit has to answer, per category (admin-editable).

    A category without a row uses `rules.DEFAULT_SLA`; the initial migration writes one row per
    category with those defaults, so the administrator sees and edits them.
    """

    category = models.CharField(_("loại phản ánh"), max_length=30, choices=Category.choices)
    clock = models.CharField(_("cách tính thời hạn"), max_length=20, choices=Clock.choices)
    amount = models.PositiveSmallIntegerField(
        _("thời hạn"),
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("Số giờ hoặc số ngày làm việc, tùy cách tính."),
    )
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("thời hạn trả lời phản ánh")
        verbose_name_plural = _("thời hạn trả lời phản ánh")
        ordering = ("category",)
        constraints = [
            models.UniqueConstraint(fields=("category",), name="feedback_setting_one_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount} {self.get_clock_display()}"

    @property
    def sla(self) -> rules.Sla:
        return rules.Sla(rules.Clock(self.clock), self.amount)


class Route(models.Model):
    """Who answers feedback about a unit, per category (blank category: every category).

    Without a row the unit concerned answers itself. The focal point is the published contact
    (org.FocalPoint) the citizen sees; the assignee, if any, the member of staff who drafts.
    """

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị bị phản ánh"),
        on_delete=models.CASCADE,
        related_name="feedback_routes",
    )
    category = models.CharField(
        _("loại phản ánh"),
        max_length=30,
        choices=Category.choices,
        blank=True,
        help_text=_("Để trống: áp dụng cho mọi loại."),
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị chịu trách nhiệm trả lời"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    focal_point = models.ForeignKey(
        FocalPoint,
        verbose_name=_("đầu mối"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee = models.ForeignKey(
        Staff,
        verbose_name=_("cán bộ được giao"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("phân công trả lời phản ánh")
        verbose_name_plural = _("phân công trả lời phản ánh")
        ordering = ("unit__code", "category")
        constraints = [
            models.UniqueConstraint(fields=("unit", "category"), name="feedback_route_unique")
        ]

    def __str__(self) -> str:
        category = self.get_category_display() if self.category else _("mọi loại")
        return f"{self.unit.code} / {category} → {self.responsible_unit.code}"


class Feedback(models.Model):
    """One complaint or recommendation, whatever the channel it came through."""

    channel = models.CharField(_("kênh tiếp nhận"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    entered_by = models.ForeignKey(
        Staff,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("nhập lúc"))
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    # Who spoke (Decree 20/2008 Art. 7) and what they said.
    name = models.CharField(_("họ và tên người phản ánh"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), max_length=254, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    content = models.TextField(_("nội dung"))

    # What it is about.
    dossier_code = models.CharField(_("mã hồ sơ liên quan"), max_length=64, blank=True)
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ liên quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    intake_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Đơn vị có đường dây nóng, hộp thư đã nhận phản ánh; để trống: cấp thành phố."),
    )
    concerned_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị bị phản ánh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Classification and routing.
    category = models.CharField(
        _("loại phản ánh"), max_length=30, choices=Category.choices, blank=True
    )
    in_scope = models.BooleanField(_("thuộc phạm vi tiếp nhận"), null=True, blank=True)
    green_lane = models.BooleanField(_("chậm trễ hồ sơ làn xanh"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    focal_point = models.ForeignKey(
        FocalPoint,
        verbose_name=_("đầu mối"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee = models.ForeignKey(
        Staff,
        verbose_name=_("cán bộ được giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    classified_at = models.DateTimeField(_("phân loại lúc"), null=True, blank=True)
    respond_by = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)

    # The answer (for out-of-scope feedback: the guidance to the competent body).
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        Staff,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published = models.BooleanField(_("công khai trên cổng thông tin"), default=False)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("báo lãnh đạo lúc"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        Staff,
        verbose_name=_("lãnh đạo được báo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # The citizen's look-up secret (public web form): only a nonce and a hash are stored.
    secret_nonce = models.CharField(max_length=32, blank=True, editable=False)
    secret_hash = models.CharField(max_length=64, blank=True, editable=False)

    # GeoReport v2 fields of a request posted through Open311.
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True)
    long = models.FloatField(_("kinh độ"), null=True, blank=True)
    address_string = models.CharField(_("địa điểm"), max_length=500, blank=True)
    address_id = models.CharField(max_length=100, blank=True)
    media_url = models.CharField(_("đường dẫn ảnh"), max_length=500, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    attributes = models.JSONField(_("thuộc tính Open311"), default=dict, blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ("-received_at", "-pk")
        indexes = [
            models.Index(fields=("status", "respond_by"), name="feedback_status_respond"),
            models.Index(fields=("unit", "status"), name="feedback_unit_status"),
            models.Index(fields=("intake_unit", "status"), name="feedback_intake_status"),
            models.Index(fields=("dossier_code",), name="feedback_dossier_code"),
            models.Index(fields=("channel", "received_at"), name="feedback_channel_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(in_scope=False) | models.Q(respond_by__isnull=True),
                name="feedback_out_of_scope_has_no_clock",
            ),
        ]

    def __str__(self) -> str:
        at = timezone.localtime(self.received_at)
        return f"#{self.pk} {self.get_channel_display()} {at:%d/%m/%Y %H:%M}"

    def is_overdue(self, now: datetime) -> bool:
        return rules.is_overdue(
            status=self.status, in_scope=self.in_scope, respond_by=self.respond_by, now=now
        )

    @property
    def answered_late(self) -> bool | None:
        """On-time flag of an answered item (feeds the 766 formulas); None while unanswered."""
        if self.answered_at is None or self.respond_by is None:
            return None
        return self.answered_at > self.respond_by


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận")
    CLASSIFIED = "classified", _("Phân loại, giao đơn vị xử lý")
    OUT_OF_SCOPE = "out_of_scope", _("Không thuộc phạm vi: hướng dẫn, kết thúc")
    DOSSIER_LINKED = "dossier_linked", _("Gắn với hồ sơ")
    ANSWERED = "answered", _("Trả lời")
    RETURNED = "returned", _("Trả lại để trả lời lại")
    CLOSED = "closed", _("Kết thúc")
    PUBLISHED = "published", _("Công khai câu trả lời")
    UNPUBLISHED = "unpublished", _("Thôi công khai")
    ESCALATED = "escalated", _("Quá hạn: báo lãnh đạo đơn vị")
    RESPOND_BY_RECOMPUTED = "respond_by_recomputed", _("Tính lại hạn trả lời theo lịch làm việc")


class FeedbackEvent(EventBase):
    """An immutable line of a feedback item's history."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("việc"), max_length=30, choices=EventKind.choices)

    class Meta:
        verbose_name = _("nhật ký xử lý phản ánh")
        verbose_name_plural = _("nhật ký xử lý phản ánh")
        ordering = ("feedback", "at", "pk")
        indexes = [models.Index(fields=("feedback", "at"), name="feedback_event_at")]

    def __str__(self) -> str:
        return f"#{self.feedback_id} {timezone.localtime(self.at):%d/%m/%Y %H:%M} {self.kind}"
