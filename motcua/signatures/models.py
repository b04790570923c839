"""What MotCua signed (the registry the verification page reads: hash → dossier code, kind) and
the signing requests the office follows while a token or a phone signs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    APOLOGY = "apology", _("Phiếu xin lỗi (Mẫu 04)")
    RESULT = "result", _("Kết quả giải quyết")
    RECEIPT = "receipt", _("Giấy tiếp nhận (Mẫu 01)")
    FEE_RECEIPT = "fee_receipt", _("Biên lai thu phí, lệ phí")
    OTHER = "other", _("Văn bản khác")


class SignedFile(models.Model):
    """One signed PDF exactly as issued: its bytes (stored before this row commits), its SHA-256,
    the short code its QR links to, and what it is. Never re-rendered, never changed."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    code = models.CharField(_("mã xác thực"), max_length=24, unique=True)
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True, db_index=True)
    subject_id = models.BigIntegerField(_("mã đối tượng"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to="signed/%Y/%m/", max_length=200)
    size = models.PositiveIntegerField(_("kích thước (byte)"))
    signer_name = models.CharField(_("người ký"), max_length=200)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("ký lúc"))

    class Meta:
        verbose_name = _("văn bản đã ký số")
        verbose_name_plural = _("văn bản đã ký số")
        indexes = [models.Index(fields=["kind", "subject_id"], name="sig_file_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.dossier_code} ({self.code})"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ ký")
    DONE = "done", _("Đã ký")
    FAILED = "failed", _("Không ký được")


class SigningRequest(models.Model):
    """A leader confirmed a signature; the worker signs (a token or a phone may take a while)
    and the page follows ``status``. A failed request changes nothing but itself and says why."""

    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices)
    subject_id = models.BigIntegerField(_("mã đối tượng"))
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu ký"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    error = models.TextField(_("lý do không ký được"), blank=True)
    signed_file = models.ForeignKey(
        SignedFile,
        verbose_name=_("văn bản đã ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu ký số")
        verbose_name_plural = _("yêu cầu ký số")
        constraints = [
            # One pending request per document: two clicks cannot both sign.
            models.UniqueConstraint(
                fields=["kind", "subject_id"],
                condition=models.Q(status="pending"),
                name="sig_one_pending_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.dossier_code} ({self.get_status_display()})"
