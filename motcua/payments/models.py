"""Fees and charges (phí, lệ phí), what a dossier owes, payments and electronic receipts.

No workflow here: every change goes through `motcua.payments.services`. A dossier's money lives
on these tables (`Charge` is one-to-one with the dossier), never on the dossier itself.

* `FeeItem`, `Exemption` — the fee schedule of ONE procedure version (a dossier points at the
  version it was received under, so a later schedule never rewrites an old dossier).
* `Charge` — the amount a dossier owes, fixed at reception from its version's schedule (items,
  the exemption applied and the amount due copied, so a later edit of the schedule changes
  nothing), and its payment state.
* `Payment` — one attempt to pay a charge: at the counter (cash, card, transfer by QR) or online
  through a gateway (an order the gateway confirms by a signed callback).
* `ReceiptSeries`, `Receipt` — a unit's receipt form and series per year (D16) and the receipts
  numbered in it without gap or reuse; a cancelled or replaced receipt keeps its number.
* `Refund` — money given back (a dossier refused after payment), approved by the leader.
* `CallbackLog` — every notice a gateway sent, accepted or refused, with the reason.
* `Reconciliation` — a day's payments compared with the gateway's own list.
* `PaymentEvent` — the one event of every change of a charge (`core.models.EventBase`).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core.models import EventBase
from motcua.dossiers.models import Dossier
from motcua.org.models import Staff, Unit

CURRENCY = "VND"


class FeeKind(models.TextChoices):
    FEE = "fee", _("Phí")
    CHARGE = "charge", _("Lệ phí")


class FeeItem(models.Model):
    """One fee (phí) or charge (lệ phí) of a procedure version, in VND."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="fee_items"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=FeeKind.choices)
    name = models.CharField(_("tên khoản thu"), max_length=300)
    amount = models.PositiveBigIntegerField(
        _("số tiền (đồng)"), validators=[MaxValueValidator(10**13)]
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("khoản phí, lệ phí")
        verbose_name_plural = _("biểu phí, lệ phí")
        ordering = ("procedure", "order", "pk")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount:,} đ"


class Exemption(models.Model):
    """A reason that exempts or reduces a procedure version's fees (miễn, giảm), by percent."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="exemptions"
    )
    code = models.SlugField(_("mã"), max_length=40)
    reason = models.CharField(_("đối tượng, lý do miễn giảm"), max_length=300)
    percent = models.PositiveSmallIntegerField(
        _("tỷ lệ miễn giảm (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("miễn, giảm phí, lệ phí")
        verbose_name_plural = _("miễn, giảm phí, lệ phí")
        ordering = ("procedure", "code")
        constraints = [
            models.UniqueConstraint(fields=("procedure", "code"), name="exemption_procedure_code")
        ]

    def __str__(self) -> str:
        return f"{self.reason} (−{self.percent}%)"


class ChargeStatus(models.TextChoices):
    DUE = "due", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FREE = "free", _("Không phải nộp phí, lệ phí")
    REFUNDED = "refunded", _("Đã hoàn trả")


class Charge(models.Model):
    """What one dossier owes, fixed at reception (items, exemption and amount copied)."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="charge"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(_("các khoản thu"), default=list)
    gross = models.PositiveBigIntegerField(_("tổng phí, lệ phí (đồng)"))
    exemption_code = models.CharField(_("mã miễn giảm"), max_length=40, blank=True)
    exemption_reason = models.CharField(_("miễn giảm"), max_length=300, blank=True)
    discount = models.PositiveBigIntegerField(_("số tiền miễn giảm (đồng)"), default=0)
    amount_due = models.PositiveBigIntegerField(_("số tiền phải nộp (đồng)"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=ChargeStatus.choices)
    fixed_at = models.DateTimeField(_("xác định lúc"))
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    paid_online = models.BooleanField(_("thanh toán trực tuyến"), default=False)

    class Meta:
        verbose_name = _("phí, lệ phí của hồ sơ")
        verbose_name_plural = _("phí, lệ phí của hồ sơ")
        indexes = [
            models.Index(fields=("unit", "fixed_at"), name="charge_unit_fixed"),
            models.Index(fields=("unit", "paid_at"), name="charge_unit_paid"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.amount_due:,} đ ({self.status})"


class Method(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    CARD = "card", _("Thẻ")
    TRANSFER = "transfer", _("Chuyển khoản (mã QR)")
    ONLINE = "online", _("Trực tuyến qua cổng thanh toán")


COUNTER_METHODS = (Method.CASH, Method.CARD, Method.TRANSFER)


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ cổng thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    REFUND_DUE = "refund_due", _("Nộp thừa, cần hoàn trả")
    REFUNDED = "refunded", _("Đã hoàn trả")


class Payment(models.Model):
    """One attempt to pay a dossier's charge."""

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("hình thức"), max_length=10, choices=Method.choices)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    currency = models.CharField(max_length=3, default=CURRENCY)
    status = models.CharField(_("trạng thái"), max_length=12, choices=PaymentStatus.choices)
    gateway = models.CharField(_("cổng thanh toán"), max_length=30, blank=True)
    order_id = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    gateway_ref = models.CharField(_("mã của cổng thanh toán"), max_length=80, blank=True)
    redirect_url = models.URLField(max_length=500, blank=True)
    return_url = models.URLField(max_length=500, blank=True)
    failure = models.CharField(_("lý do không thành công"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần thanh toán")
        verbose_name_plural = _("các lần thanh toán")
        ordering = ("charge", "created_at", "pk")
        indexes = [
            models.Index(fields=("gateway", "paid_at"), name="payment_gateway_paid"),
            models.Index(fields=("gateway", "created_at"), name="payment_gateway_created"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.amount:,} đ ({self.status})"


class ReceiptSeries(models.Model):
    """A unit's receipt form (ký hiệu mẫu) and series (ký hiệu) of one year, with its last number
    (D16: continuous per unit, form and series; no gap, no reuse)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị thu"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    template = models.CharField(
        _("ký hiệu mẫu biên lai"),
        max_length=11,
        validators=[RegexValidator(r"^[0-9A-Z/.\-]+$", _("Ký hiệu mẫu không hợp lệ."))],
    )
    series = models.CharField(
        _("ký hiệu biên lai"),
        max_length=8,
        validators=[RegexValidator(r"^[0-9A-Z/.\-]+$", _("Ký hiệu không hợp lệ."))],
    )
    tax_code = models.CharField(_("mã số thuế đơn vị thu"), max_length=14, blank=True)
    collector_name = models.CharField(_("tên đơn vị thu"), max_length=300, blank=True)
    last_number = models.PositiveIntegerField(_("số biên lai đã cấp gần nhất"), default=0)

    class Meta:
        verbose_name = _("ký hiệu biên lai")
        verbose_name_plural = _("ký hiệu biên lai")
        constraints = [
            models.UniqueConstraint(
                fields=("unit", "template", "series"), name="receipt_series_unique"
            ),
            models.UniqueConstraint(fields=("unit", "year"), name="receipt_series_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.series} ({self.year})"


class ReceiptStatus(models.TextChoices):
    ISSUED = "issued", _("Đã cấp")
    CANCELLED = "cancelled", _("Đã hủy")
    REPLACED = "replaced", _("Đã bị thay thế")


class Receipt(models.Model):
    """An electronic fee receipt (biên lai thu phí, lệ phí điện tử)."""

    series = models.ForeignKey(ReceiptSeries, on_delete=models.PROTECT, related_name="receipts")
    number = models.PositiveIntegerField(_("số biên lai"))
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="receipts")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    payer_name = models.CharField(_("người nộp tiền"), max_length=200)
    payer_id_number = models.CharField(_("số định danh"), max_length=50, blank=True)
    payer_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    items = models.JSONField(_("các khoản thu"), default=list)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    amount_in_words = models.CharField(_("số tiền bằng chữ"), max_length=500)
    method = models.CharField(_("hình thức thanh toán"), max_length=10, choices=Method.choices)
    issued_at = models.DateTimeField(_("ngày lập"))
    issued_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.ISSUED
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("thay thế biên lai"),
    )
    reason = models.CharField(_("lý do hủy, thay thế"), max_length=500, blank=True)
    approved_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("biên lai điện tử")
        verbose_name_plural = _("biên lai điện tử")
        ordering = ("series", "number")
        constraints = [
            models.UniqueConstraint(fields=("series", "number"), name="receipt_series_number")
        ]
        indexes = [models.Index(fields=("unit", "issued_at"), name="receipt_unit_issued")]

    def __str__(self) -> str:
        return f"{self.series.template} {self.series.series} {self.number:07d}"


class Refund(models.Model):
    """Money given back for a payment (a dossier refused or stopped after payment, a payment
    made twice), approved by the unit's leader."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="refund")
    amount = models.PositiveBigIntegerField(_("số tiền hoàn trả (đồng)"))
    reason = models.CharField(_("lý do"), max_length=500)
    approved_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    refunded_at = models.DateTimeField(_("hoàn trả lúc"))

    class Meta:
        verbose_name = _("hoàn trả phí, lệ phí")
        verbose_name_plural = _("hoàn trả phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.amount:,} đ"


class CallbackOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Đã ghi nhận")
    DUPLICATE = "duplicate", _("Trùng lặp, bỏ qua")
    REFUSED = "refused", _("Từ chối")


class CallbackLog(models.Model):
    """A notice a gateway sent (server to server), whatever became of it."""

    gateway = models.CharField(max_length=30)
    received_at = models.DateTimeField()
    order_id = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=10, choices=CallbackOutcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="callbacks"
    )

    class Meta:
        verbose_name = _("thông báo của cổng thanh toán")
        verbose_name_plural = _("thông báo của cổng thanh toán")
        ordering = ("-received_at", "-pk")

    def __str__(self) -> str:
        return f"{self.gateway} {self.order_id} {self.outcome}"


class Reconciliation(models.Model):
    """The day's online payments compared with the gateway's own list (đối soát)."""

    gateway = models.CharField(max_length=30)
    on = models.DateField(_("ngày"))
    run_at = models.DateTimeField(_("đối soát lúc"))
    matched = models.PositiveIntegerField(_("khớp"), default=0)
    differences = models.JSONField(_("chênh lệch"), default=list)
    error = models.CharField(_("lỗi"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("đối soát thanh toán")
        verbose_name_plural = _("đối soát thanh toán")
        ordering = ("-on", "-run_at")

    def __str__(self) -> str:
        return f"{self.gateway} {self.on}: {len(self.differences)}"


class PaymentEventKind(models.TextChoices):
    AMOUNT_FIXED = "amount_fixed", _("Xác định phí, lệ phí phải nộp")
    PAYMENT_STARTED = "payment_started", _("Bắt đầu thanh toán trực tuyến")
    PAID = "paid", _("Thanh toán và cấp biên lai")
    PAYMENT_FAILED = "payment_failed", _("Thanh toán không thành công")
    PAID_TWICE = "paid_twice", _("Nộp thừa, cần hoàn trả")
    RECEIPT_CANCELLED = "receipt_cancelled", _("Hủy biên lai")
    RECEIPT_REPLACED = "receipt_replaced", _("Thay thế biên lai")
    REFUNDED = "refunded", _("Hoàn trả phí, lệ phí")


class PaymentEvent(EventBase):
    """An immutable line of a charge's history."""

    charge = models.ForeignKey(Charge, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("việc"), max_length=30, choices=PaymentEventKind.choices)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("nhật ký thu phí, lệ phí")
        verbose_name_plural = _("nhật ký thu phí, lệ phí")
        ordering = ("charge", "at", "pk")

    def __str__(self) -> str:
        return f"{self.charge_id} {self.kind}"
