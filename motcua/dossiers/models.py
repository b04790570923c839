"""Dossiers (hồ sơ), their steps, supplement requests, apologies and the append-only event log.

No workflow here: every change goes through `motcua.dossiers.services`. Times are stored in UTC
and counted in the working calendar of the unit (`motcua.workdays.services.calendar_for`).

Deadline fields of a dossier (DOMAIN §6, §7; decisions D3, D6–D9):
* `received_at` — the real moment of reception (a backdated paper reception keeps its real time);
  `effective_received_at` — the moment the clock starts (D5).
* `due_at` — the appointment the citizen holds now: the statutory due, moved by clock pauses
  (D8) and by the one extension of a signed apology (D9).
* `original_due_at` — the statutory due WITHOUT the apology extension: fixed at reception, moved
  only by clock pauses (a pause for the citizen's supplement is not the agency's delay). Statistics
  judge timeliness against it (D7).
* `green_lane_due_at` — the green-lane target (D6), moved by pauses, never by an extension.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import GreenLaneGroup, Procedure
from motcua.core.models import EventBase
from motcua.org.models import Role, Staff, Unit


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp tại Bộ phận Một cửa")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Qua dịch vụ bưu chính công ích")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang giải quyết")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Chờ bổ sung hồ sơ")
    READY = "ready", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    STOPPED = "stopped", _("Dừng giải quyết")


#: Statuses in which the processing clock runs or is paused (a dossier "in hand").
OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT)


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Giải quyết")
    NOT_ELIGIBLE = "not_eligible", _("Không đủ điều kiện giải quyết")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Dossier(models.Model):
    """One submission for one procedure version (hồ sơ thủ tục hành chính)."""

    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tiếp nhận"), on_delete=models.PROTECT, related_name="dossiers"
    )
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices)
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices, blank=True)
    green_lane_group = models.CharField(
        _("nhóm làn xanh"), max_length=30, choices=GreenLaneGroup.choices, blank=True
    )
    green_lane = models.BooleanField(_("làn xanh"), default=False)
    documents = models.JSONField(_("thành phần hồ sơ đã nộp"), default=list, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    submitted_at = models.DateTimeField(_("thời điểm nộp trực tuyến"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    received_at_reason = models.CharField(
        _("lý do nhập lùi thời điểm tiếp nhận"), max_length=500, blank=True
    )
    effective_received_at = models.DateTimeField(
        _("thời điểm bắt đầu tính thời hạn"), null=True, blank=True
    )
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hạn giải quyết theo quy định"), null=True, blank=True)
    green_lane_due_at = models.DateTimeField(_("hạn làn xanh"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng tính thời gian từ"), null=True, blank=True)
    paused_working = models.DurationField(
        _("tổng thời gian làm việc tạm dừng"), default=timedelta(0)
    )
    ready_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    refused_at = models.DateTimeField(_("thời điểm từ chối"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("thời điểm dừng giải quyết"), null=True, blank=True)
    timeliness = models.CharField(
        _("tiến độ"), max_length=10, choices=Timeliness.choices, blank=True
    )
    extension_used = models.BooleanField(_("đã gia hạn"), default=False)

    lookup_nonce = models.CharField(max_length=32, editable=False)
    lookup_secret_hash = models.CharField(max_length=64, editable=False)
    #: The code, the applicant's name, ID number and phone, folded (`dossiers.search`): what the
    #: staff's search box matches. Indexed (a trigram GIN index on PostgreSQL).
    search_text = models.CharField(max_length=400, blank=True, default="", editable=False)

    received_by = models.ForeignKey(
        Staff,
        verbose_name=_("người tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ("-received_at", "-pk")
        indexes = [
            models.Index(fields=("unit", "received_at"), name="dossier_unit_received"),
            models.Index(fields=("unit", "ready_at"), name="dossier_unit_ready"),
            models.Index(fields=("unit", "status", "due_at"), name="dossier_unit_status_due"),
            models.Index(fields=("status", "due_at"), name="dossier_status_due"),
            # The look-up by code in any case (finding 8 of issue 19).
            models.Index(Upper("code"), name="dossier_code_upper"),
        ]

    def __str__(self) -> str:
        return self.code


class Applicant(models.Model):
    """The applicant's personal data, kept apart from the dossier (never shown publicly)."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="applicant", verbose_name=_("hồ sơ")
    )
    name = models.CharField(_("họ và tên / tên tổ chức"), max_length=200)
    id_number = models.CharField(_("số định danh cá nhân / mã số"), max_length=50, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("người nộp hồ sơ")
        verbose_name_plural = _("người nộp hồ sơ")

    def __str__(self) -> str:
        return self.name


class DailySequence(models.Model):
    """The last sequence number given to a unit's dossiers on a day (D10, XXXX of the code)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số thứ tự hồ sơ trong ngày")
        verbose_name_plural = _("số thứ tự hồ sơ trong ngày")
        constraints = [
            models.UniqueConstraint(fields=("unit", "on"), name="daily_sequence_unit_on")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.on}: {self.last}"


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Chưa đến")
    ACTIVE = "active", _("Đang xử lý")
    PAUSED = "paused", _("Tạm dừng")
    DONE = "done", _("Đã xong")


OPEN_STEP_STATUSES = (StepStatus.ACTIVE, StepStatus.PAUSED)


class DossierStep(models.Model):
    """One step of the internal procedure for one dossier: who, where, by when."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="steps", verbose_name=_("hồ sơ")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=300)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    duration_working_hours = models.DecimalField(
        _("thời gian (giờ làm việc)"), max_digits=7, decimal_places=2
    )
    counted = models.BooleanField(
        _("tính thời gian"),
        default=True,
        help_text=_("Bước trả kết quả cuối quy trình không tính thời gian giải quyết."),
    )
    assignee = models.ForeignKey(
        Staff,
        verbose_name=_("người thụ lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_steps",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    paused_working = models.DurationField(_("thời gian tạm dừng"), default=timedelta(0))
    finished_at = models.DateTimeField(_("hoàn thành"), null=True, blank=True)
    timeliness = models.CharField(
        _("tiến độ"), max_length=10, choices=Timeliness.choices, blank=True
    )

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("các bước xử lý hồ sơ")
        ordering = ("dossier", "order")
        constraints = [
            models.UniqueConstraint(fields=("dossier", "order"), name="dossier_step_unique_order")
        ]
        indexes = [
            models.Index(
                fields=("unit", "assignee", "due_at"),
                condition=models.Q(status__in=["active", "paused"]),
                name="dossier_step_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class SupplementRequest(models.Model):
    """A request to supplement the dossier (Mẫu 02), at intake or during processing."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="supplement_requests"
    )
    step = models.ForeignKey(
        DossierStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at_intake = models.BooleanField(_("khi kiểm tra tiếp nhận"), default=False)
    items = models.JSONField(_("nội dung cần bổ sung"), default=list)
    note = models.TextField(_("lý do, ghi chú"), blank=True)
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("nhận bổ sung lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_note = models.TextField(_("ghi chú khi nhận bổ sung"), blank=True)
    paused_working = models.DurationField(_("thời gian tạm dừng"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung hồ sơ")
        verbose_name_plural = _("yêu cầu bổ sung hồ sơ")
        ordering = ("dossier", "requested_at", "pk")

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.requested_at:%d/%m/%Y %H:%M}"


class ApologyStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SIGNED = "signed", _("Đã ký")


class Apology(models.Model):
    """An apology letter (Mẫu 04), drafted by the responsible officer, signed by the leader."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    step = models.ForeignKey(DossierStep, on_delete=models.PROTECT, related_name="apologies")
    reason = models.TextField(_("lý do"))
    explanation = models.TextField(_("giải trình"), blank=True)
    new_due_at = models.DateTimeField(_("hẹn lại ngày trả kết quả"), null=True, blank=True)
    extension_applied = models.BooleanField(_("đã gia hạn theo phiếu này"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ApologyStatus.choices, default=ApologyStatus.DRAFT
    )
    drafted_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(_("dự thảo lúc"))
    signed_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiếu xin lỗi")
        verbose_name_plural = _("phiếu xin lỗi")
        ordering = ("dossier", "drafted_at", "pk")

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.get_status_display()}"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Nộp trực tuyến")
    RECEIVED = "received", _("Tiếp nhận")
    ACCEPTED = "accepted", _("Tiếp nhận hồ sơ trực tuyến")
    STEP_ASSIGNED = "step_assigned", _("Phân công thụ lý")
    STEP_COMPLETED = "step_completed", _("Hoàn thành bước, chuyển bước tiếp")
    STEP_RETURNED = "step_returned", _("Trả lại bước trước")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Nhận hồ sơ bổ sung")
    APOLOGY_DRAFTED = "apology_drafted", _("Dự thảo phiếu xin lỗi")
    APOLOGY_SIGNED = "apology_signed", _("Ký phiếu xin lỗi")
    REFUSED = "refused", _("Từ chối")
    RETURNED = "returned", _("Trả kết quả")
    STOPPED = "stopped", _("Dừng giải quyết")
    DEADLINE_RECOMPUTED = "deadline_recomputed", _("Tính lại thời hạn theo lịch làm việc")
    FEEDBACK = "feedback", _("Phản ánh, kiến nghị về hồ sơ")
    RATED = "rated", _("Công dân đánh giá mức độ hài lòng")


class Event(EventBase):
    """An immutable entry of the dossier's history (the electronic Phiếu kiểm soát, §4.5)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("việc"), max_length=30, choices=EventKind.choices)
    step = models.ForeignKey(
        DossierStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("nhật ký xử lý hồ sơ")
        verbose_name_plural = _("nhật ký xử lý hồ sơ")
        ordering = ("dossier", "at", "pk")
        indexes = [
            models.Index(fields=("dossier", "at"), name="event_dossier_at"),
            # The dossier's last event in one probe (the public look-up's snapshot check): with
            # the dossier index alone, MAX(id) walks the whole table backwards from the newest.
            models.Index(fields=("dossier", "id"), name="event_dossier_id"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.at:%d/%m/%Y %H:%M} {self.kind}"


class PublicSnapshot(models.Model):
    """The public look-up's answer for a dossier (JSON, without the procedure and the unit, which
    are read live), as of the dossier's event ``event_id``.

    Every change of a dossier writes an event, so a snapshot whose ``event_id`` is not the
    dossier's last event is stale: the look-up rebuilds it then (`motcua.api.public`). Nothing
    else writes it; deleting one is always safe.
    """

    dossier = models.OneToOneField(
        Dossier, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    event_id = models.BigIntegerField()
    body = models.TextField()

    class Meta:
        verbose_name = _("bản tra cứu công khai")
        verbose_name_plural = _("bản tra cứu công khai")

    def __str__(self) -> str:
        return f"{self.dossier_id} @ {self.event_id}"
