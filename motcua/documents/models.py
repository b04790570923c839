"""The files of dossiers: every paper, scan, supplement, result and form is a Document row whose
bytes live in the document storage (`documents.storage`) under a random key, stored BEFORE the
row commits. A result also has its line in the unit's results register (`ResultRecord`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.core.models import EventBase
from motcua.dossiers.models import Dossier
from motcua.org.models import Unit


class Kind(models.TextChoices):
    SUBMITTED = "submitted", _("Nộp kèm hồ sơ")
    SCAN = "scan", _("Bản quét tại quầy")
    SUPPLEMENT = "supplement", _("Bổ sung")
    RESULT = "result", _("Kết quả")
    FORM = "form", _("Biểu mẫu")


class Source(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Tại quầy")
    REUSED = "reused", _("Dùng lại")
    ISSUED = "issued", _("Cơ quan cấp")


class Document(models.Model):
    """One file of a dossier."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="files", verbose_name=_("hồ sơ")
    )
    paper = models.ForeignKey(
        RequiredDocument,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("thành phần hồ sơ"),
    )
    paper_name = models.CharField(_("tên giấy tờ"), max_length=500, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices)
    name = models.CharField(_("tên tệp"), max_length=255)
    media_type = models.CharField(_("kiểu tệp"), max_length=100)
    size = models.BigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    storage_key = models.CharField(max_length=300, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người thêm"),
    )
    added_at = models.DateTimeField(_("thêm lúc"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người đối chiếu bản chính"),
    )
    checked_at = models.DateTimeField(_("đối chiếu bản chính lúc"), null=True, blank=True)
    reused_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed = models.BooleanField(_("có chữ ký số"), default=False)

    class Meta:
        verbose_name = _("tệp giấy tờ")
        verbose_name_plural = _("tệp giấy tờ")
        indexes = [
            models.Index(fields=("dossier", "kind"), name="document_dossier_kind"),
            models.Index(fields=("storage_key",), name="document_storage_key"),
            models.Index(fields=("source", "added_at"), name="document_source_added"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.dossier_id})"


class ResultRecord(models.Model):
    """A line of the results register of a unit (sổ theo dõi kết quả): the number, issue date,
    holder and expiry of a result; its file is `document`."""

    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, related_name="result", verbose_name=_("tệp kết quả")
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("tên kết quả"), max_length=500)
    number = models.CharField(_("số kết quả"), max_length=100)
    issued_on = models.DateField(_("ngày cấp"))
    expires_on = models.DateField(_("có giá trị đến"), null=True, blank=True)
    holder = models.CharField(_("người được cấp"), max_length=200)
    holder_id_number = models.CharField(_("số định danh"), max_length=50, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("vào sổ lúc"))

    class Meta:
        verbose_name = _("kết quả đã cấp")
        verbose_name_plural = _("sổ theo dõi kết quả")
        constraints = [
            models.UniqueConstraint(fields=("unit", "number"), name="result_unit_number")
        ]
        indexes = [models.Index(fields=("unit", "issued_on"), name="result_unit_issued")]

    def __str__(self) -> str:
        return self.number


class DocumentEventKind(models.TextChoices):
    ADDED = "added", _("Thêm tệp")
    CHECKED = "checked", _("Đối chiếu bản chính")
    RESULT = "result_registered", _("Vào sổ kết quả")
    REUSED = "reused", _("Dùng lại giấy tờ đã có")
    REUSED_ELSEWHERE = "reused_elsewhere", _("Giấy tờ được dùng lại cho hồ sơ khác")
    OFFERS_VIEWED = "offers_viewed", _("Xem giấy tờ đã có của người nộp")
    MIGRATED = "migrated", _("Chuyển từ tệp kê khai cũ")


class DocumentEvent(EventBase):
    """The history of a dossier's files (append-only)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="file_events")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )

    class Meta:
        verbose_name = _("nhật ký tệp")
        verbose_name_plural = _("nhật ký tệp")
        indexes = [models.Index(fields=("dossier", "id"), name="document_event_dossier")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class StagedFile(models.Model):
    """A file the citizen chose on the online form, stored (any web process finds it) and kept
    with the form until the submission, an edit, or the sweep after the grace period."""

    token = models.CharField(max_length=64, db_index=True)
    paper_name = models.CharField(max_length=500)
    paper_id_hint = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(null=True, blank=True)
    storage_key = models.CharField(max_length=300)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("tệp đang chờ nộp")
        verbose_name_plural = _("tệp đang chờ nộp")

    def __str__(self) -> str:
        return self.name


class ProcedureDocumentRules(models.Model):
    """Per procedure: whether the originals of mandatory papers may be brought later (an online
    dossier may then be accepted with a paper that has no file)."""

    procedure = models.OneToOneField(
        Procedure, on_delete=models.CASCADE, related_name="document_rules"
    )
    originals_later = models.BooleanField(
        _("cho phép nộp bản giấy sau"),
        default=False,
        help_text=_("Hồ sơ trực tuyến thiếu tệp của giấy tờ bắt buộc vẫn được tiếp nhận."),
    )

    class Meta:
        verbose_name = _("quy định về giấy tờ của thủ tục")
        verbose_name_plural = _("quy định về giấy tờ của thủ tục")

    def __str__(self) -> str:
        return str(self.procedure_id)
