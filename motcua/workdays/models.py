"""The working calendar as data an administrator edits (D1, D2).

* :class:`CalendarException` — an announced day off or make-up working day. It wins over the
  ``holidays`` library and over ``official.OFFICIAL_EXCEPTIONS`` (those stay code data).
* :class:`OfficeHours` and its :class:`OfficeSession` rows — the office sessions of a unit; the row
  without a unit is the system default (D1 when there is none). A unit without its own uses its
  nearest ancestor's.
* :class:`CalendarChange` — the audit trail: one row per change, written by the services.
* :class:`CalendarRevision` — one row whose ``token`` changes with every calendar write, so that
  every process sees a change made in any other (``services.calendar_for``).

Every write goes through ``motcua.workdays.services``; nothing here has workflow.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.history import ConfigHistory
from motcua.org.models import Unit

FIRST_YEAR = 2020
LAST_YEAR = 2030


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Thứ Hai")
    TUESDAY = 1, _("Thứ Ba")
    WEDNESDAY = 2, _("Thứ Tư")
    THURSDAY = 3, _("Thứ Năm")
    FRIDAY = 4, _("Thứ Sáu")
    SATURDAY = 5, _("Thứ Bảy")
    SUNDAY = 6, _("Chủ nhật")


class CalendarException(models.Model):
    """One announced exception to the weekly calendar (D2), entered by an administrator."""

    class Kind(models.TextChoices):
        # The values are those of official.ExceptionKind.
        HOLIDAY = "HOLIDAY", _("Ngày nghỉ lễ")
        SWAP_OFF = "SWAP_OFF", _("Ngày nghỉ hoán đổi")
        MAKEUP_WORKDAY = "MAKEUP_WORKDAY", _("Ngày làm bù")

    on = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("tên"),
        max_length=200,
        help_text=_("Tên người đọc thấy, ví dụ “Nghỉ bù Tết Dương lịch”."),
    )
    legal_reference = models.CharField(
        _("căn cứ"),
        max_length=500,
        help_text=_(
            "Văn bản quyết định ngày này, ví dụ “Công văn 12729/VPCP-KGVX ngày 25/12/2025”."
        ),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("sửa lúc"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("ngày ngoại lệ của lịch")
        verbose_name_plural = _("ngày ngoại lệ của lịch")
        ordering = ("on",)

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} — {self.name}"

    @property
    def working(self) -> bool:
        return self.kind == self.Kind.MAKEUP_WORKDAY


class OfficeHours(models.Model):
    """The office sessions of a unit, or of the whole system when ``unit`` is empty (D1)."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="office_hours",
        help_text=_(
            "Để trống: giờ làm việc mặc định của hệ thống. Đơn vị không có giờ riêng dùng giờ "
            "của đơn vị cấp trên gần nhất, rồi giờ mặc định."
        ),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(_("sửa lúc"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    history = ConfigHistory(verbose_name=_("lịch sử thay đổi giờ làm việc"))

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ("unit__code",)
        constraints = [
            # One row per unit and a single system default (unit ids start at 1).
            models.UniqueConstraint(
                Coalesce("unit", models.Value(0)),
                name="office_hours_one_per_unit",
                violation_error_message=_("Đơn vị này đã có giờ làm việc; hãy sửa bản đã có."),
            ),
        ]

    def __str__(self) -> str:
        if self.unit_id is None:
            return str(_("Giờ làm việc mặc định của hệ thống"))
        return str(_("Giờ làm việc của %(unit)s") % {"unit": self.unit})


class OfficeSession(models.Model):
    """One office session of a weekday, e.g. Monday 08:00–12:00."""

    hours = models.ForeignKey(
        OfficeHours,
        verbose_name=_("giờ làm việc"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    starts_at = models.TimeField(_("từ"))
    ends_at = models.TimeField(_("đến"))

    class Meta:
        verbose_name = _("ca làm việc")
        verbose_name_plural = _("ca làm việc")
        ordering = ("hours", "weekday", "starts_at")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="office_session_starts_before_it_ends",
                violation_error_message=_("Giờ bắt đầu phải trước giờ kết thúc."),
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6),
                name="office_session_weekday_0_6",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class CalendarChange(models.Model):
    """What an administrator (or a command) changed in the calendar: the audit trail."""

    class What(models.TextChoices):
        EXCEPTION_ADDED = "exception_added", _("Thêm ngày ngoại lệ")
        EXCEPTION_CHANGED = "exception_changed", _("Sửa ngày ngoại lệ")
        EXCEPTION_REMOVED = "exception_removed", _("Xoá ngày ngoại lệ")
        OFFICE_HOURS_SET = "office_hours_set", _("Đặt giờ làm việc")
        OFFICE_HOURS_CLEARED = "office_hours_cleared", _("Bỏ giờ làm việc riêng")

    at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=200, blank=True)
    what = models.CharField(_("thay đổi"), max_length=30, choices=What.choices)
    subject = models.CharField(_("đối tượng"), max_length=300)
    on = models.DateField(_("ngày"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    revision = models.PositiveBigIntegerField(_("phiên bản lịch"), default=0)
    deadlines_recomputed = models.PositiveIntegerField(_("số hạn đã tính lại"), default=0)

    class Meta:
        verbose_name = _("lịch sử thay đổi lịch")
        verbose_name_plural = _("lịch sử thay đổi lịch")
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} — {self.get_what_display()} — {self.subject}"


class CalendarRevision(models.Model):
    """A single row (pk 1): its ``token`` is renewed by every calendar write, in the same
    transaction, so a process compares it with the token its cached calendars were built from.

    A random token rather than a counter alone: a write that is rolled back never leaves a token
    that a later write could reuse, so a calendar built inside a transaction that then rolled back
    is never taken for current. ``number`` counts the changes, for people.
    """

    number = models.PositiveBigIntegerField(_("số phiên bản"), default=0)
    token = models.CharField(_("mã phiên bản"), max_length=32, default="initial")
    changed_at = models.DateTimeField(_("thay đổi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản lịch")
        verbose_name_plural = _("phiên bản lịch")

    def __str__(self) -> str:
        return f"#{self.number}"
