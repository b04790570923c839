"""The procedure catalog (danh mục thủ tục hành chính), versioned by effective date.

A procedure's code (e.g. 1.001612) names it; each row of `Procedure` is one VERSION of it, in
force from `effective_from` until the next version's date. A dossier points at the version it was
received under, so a later change of time, steps or papers never rewrites an old dossier.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.history import ConfigHistory
from motcua.org.models import Role, Unit

HOURS_PER_WORKING_DAY = Decimal(8)


class Field(models.Model):
    """A field of administrative procedures (lĩnh vực), e.g. construction, civil status."""

    code = models.CharField(_("mã lĩnh vực"), max_length=20, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class GreenLaneGroup(models.TextChoices):
    """The five priority groups of Hanoi document 991/UBND-TH (DOMAIN §13)."""

    INVESTMENT = "investment", _("Đầu tư, phát triển hạ tầng")
    EXPORT_LOGISTICS = "export_logistics", _("Xuất khẩu, logistics, thương mại quốc tế")
    FINANCE_CONSUMPTION = "finance_consumption", _("Hỗ trợ tài chính, kích cầu tiêu dùng")
    TALENT_INNOVATION = "talent_innovation", _("Nhân lực chất lượng cao, đổi mới sáng tạo")
    DIGITAL_INFRASTRUCTURE = "digital_infrastructure", _("Chuyển đổi số, hạ tầng thông minh")


class Procedure(models.Model):
    """One version of an administrative procedure (thủ tục hành chính)."""

    class DeadlineMode(models.TextChoices):
        DAY = "day", _("Theo ngày làm việc (hẹn cuối giờ làm việc của ngày thứ N)")
        HOUR = "hour", _("Theo giờ làm việc")

    class OnlineMode(models.TextChoices):
        FULL = "full", _("Dịch vụ công trực tuyến toàn trình")
        PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
        NONE = "none", _("Không trực tuyến")

    class SupplementPolicy(models.TextChoices):
        PAUSE = "pause", _("Tạm dừng tính thời gian trong khi chờ bổ sung")
        RESTART = "restart", _("Tính lại từ khi nhận đủ hồ sơ")
        CONTINUE = "continue", _("Vẫn tính thời gian")

    code = models.CharField(
        _("mã thủ tục"),
        max_length=30,
        validators=[RegexValidator(r"^[0-9A-Za-z.\-]+$", _("Mã thủ tục không hợp lệ."))],
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về thủ tục hành chính, ví dụ 1.001612."),
    )
    effective_from = models.DateField(_("áp dụng từ ngày"))
    effective_to = models.DateField(
        _("áp dụng đến ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày cuối cùng phiên bản này còn hiệu lực; để trống nếu đang áp dụng."),
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    legal_working_days = models.DecimalField(
        _("thời hạn theo quy định (ngày làm việc)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("0 nghĩa là trả kết quả trong ngày."),
    )
    legal_working_hours = models.DecimalField(
        _("thời hạn theo quy định (giờ làm việc)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Chỉ điền khi văn bản quy định thời hạn theo giờ."),
    )
    target_working_hours = models.DecimalField(
        _("thời gian giải quyết nội bộ (giờ làm việc)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Tổng thời gian các bước của quy trình nội bộ; 1 ngày làm việc = 8 giờ."),
    )
    deadline_mode = models.CharField(
        _("cách tính ngày hẹn trả"),
        max_length=4,
        choices=DeadlineMode.choices,
        default=DeadlineMode.DAY,
    )
    cutoff_time = models.TimeField(
        _("giờ chốt tiếp nhận"),
        null=True,
        blank=True,
        help_text=_("Nhận sau giờ này thì tính từ ngày làm việc tiếp theo, ví dụ 15:00."),
    )
    supplement_policy = models.CharField(
        _("khi yêu cầu bổ sung"),
        max_length=10,
        choices=SupplementPolicy.choices,
        default=SupplementPolicy.PAUSE,
    )
    green_lane_group = models.CharField(
        _("nhóm làn xanh"), max_length=30, choices=GreenLaneGroup.choices, blank=True
    )
    green_lane_working_hours = models.DecimalField(
        _("thời gian làn xanh (giờ làm việc)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Để trống: 40% thời hạn theo quy định."),
    )
    online_mode = models.CharField(
        _("mức độ trực tuyến"), max_length=10, choices=OnlineMode.choices, default=OnlineMode.NONE
    )
    fee = models.PositiveIntegerField(_("phí, lệ phí (đồng)"), default=0)
    fee_note = models.CharField(_("ghi chú phí, lệ phí"), max_length=500, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    result_name = models.CharField(_("kết quả thực hiện"), max_length=300, blank=True)
    units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị tiếp nhận"), related_name="procedures", blank=True
    )

    history = ConfigHistory(
        verbose_name=_("lịch sử thay đổi thủ tục hành chính"),
        m2m_fields=[units],
        m2m_verbose_name=_("lịch sử đơn vị tiếp nhận thủ tục"),
    )

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ("code", "-effective_from")
        constraints = [
            models.UniqueConstraint(
                fields=("code", "effective_from"), name="procedure_unique_code_version"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(legal_working_days__isnull=False, legal_working_hours__isnull=True)
                    | models.Q(legal_working_days__isnull=True, legal_working_hours__isnull=False)
                ),
                name="procedure_legal_time_days_xor_hours",
            ),
        ]
        indexes = [models.Index(fields=("code", "effective_from"), name="procedure_code_from")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def legal_hours(self) -> Decimal:
        """The statutory time in working hours (1 working day = 8 working hours, D4)."""
        if self.legal_working_hours is not None:
            return self.legal_working_hours
        return (self.legal_working_days or Decimal(0)) * HOURS_PER_WORKING_DAY

    @property
    def green_lane_hours(self) -> Decimal:
        """The green-lane target (D6): the procedure's own, or 40 % of the statutory time."""
        if self.green_lane_working_hours is not None:
            return self.green_lane_working_hours
        return (self.legal_hours * Decimal("0.4")).quantize(Decimal("0.01"))


class RequiredDocument(models.Model):
    """A paper the applicant must bring (thành phần hồ sơ)."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Bản chính")
        COPY = "copy", _("Bản sao")
        CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
        ORIGINAL_OR_COPY = "original_or_copy", _("Bản chính hoặc bản sao")

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="documents", verbose_name=_("thủ tục")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    form = models.CharField(
        _("hình thức"), max_length=20, choices=Form.choices, default=Form.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    history = ConfigHistory(verbose_name=_("lịch sử thay đổi thành phần hồ sơ"))

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ("procedure", "order", "pk")

    def __str__(self) -> str:
        return self.name


class ProcedureStep(models.Model):
    """A step of the internal procedure (quy trình nội bộ) with its budget in working hours.

    The step is handled at the receiving unit, unless `responsible_unit` names another unit
    (an inter-agency step) or `responsible_unit_kind` asks for the nearest unit of that kind
    above the receiving unit (e.g. the city for a ward's dossier).
    """

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="steps", verbose_name=_("thủ tục")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=300)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: đơn vị tiếp nhận hồ sơ. Điền khi bước do cơ quan khác thực hiện."),
    )
    responsible_unit_kind = models.CharField(
        _("cấp thực hiện"),
        max_length=20,
        choices=Unit.Kind.choices,
        blank=True,
        help_text=_("Đơn vị gần nhất thuộc loại này, tính từ đơn vị tiếp nhận lên cấp trên."),
    )
    duration_working_hours = models.DecimalField(
        _("thời gian (giờ làm việc)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    history = ConfigHistory(verbose_name=_("lịch sử thay đổi bước xử lý"))

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("các bước xử lý")
        ordering = ("procedure", "order")
        constraints = [
            models.UniqueConstraint(fields=("procedure", "order"), name="step_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def resolve_unit(self, receiving_unit: Unit) -> Unit:
        """The unit that handles this step for a dossier received at `receiving_unit`."""
        if self.responsible_unit_id is not None:
            return self.responsible_unit  # type: ignore[return-value]
        if self.responsible_unit_kind:
            for unit in [receiving_unit, *receiving_unit.ancestors()]:
                if unit.kind == self.responsible_unit_kind:
                    return unit
        return receiving_unit
