"""Units (a tree of any depth), staff, their roles in units, and the focal-point directory."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.history import ConfigHistory

unit_code_validator = RegexValidator(
    r"^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$",
    _("Mã đơn vị chỉ gồm chữ cái không dấu, chữ số và dấu chấm, ví dụ H26.74."),
)


class StaffManager(BaseUserManager["Staff"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra: object) -> Staff:
        if not username:
            raise ValueError("username is required")
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, username: str, password: str | None = None, **extra: object
    ) -> Staff:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra)


class Staff(AbstractBaseUser, PermissionsMixin):
    """A person who works in one or more units (cán bộ, công chức)."""

    username = models.CharField(
        _("tên đăng nhập"),
        max_length=150,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9_.@+-]+$",
                _("Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các dấu . _ @ + -"),
            )
        ],
    )
    full_name = models.CharField(_("họ và tên"), max_length=200)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_staff = models.BooleanField(
        _("vào trang quản trị"),
        default=False,
        help_text=_("Cho phép đăng nhập trang quản trị /admin/."),
    )
    date_joined = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    objects = StaffManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ("full_name", "username")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.username


class Unit(models.Model):
    """An organisation unit: city/province, department, service centre, commune/ward, division.

    The tree is data, not code (two-level local government since 1 July 2025: no districts are
    assumed). A unit is retired, never deleted, so its dossiers and statistics keep their history.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh / thành phố")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        SERVICE_CENTER = "service_center", _("Trung tâm Phục vụ hành chính công")
        COMMUNE = "commune", _("Xã / phường / đặc khu")
        DIVISION = "division", _("Phòng, bộ phận")

    code = models.CharField(
        _("mã đơn vị"),
        max_length=40,
        unique=True,
        validators=[unit_code_validator],
        help_text=_("Mã định danh theo chuẩn kết nối, dùng làm tiền tố mã hồ sơ, ví dụ H26.74."),
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    retired_on = models.DateField(_("ngày giải thể / sáp nhập"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    history = ConfigHistory(verbose_name=_("lịch sử thay đổi đơn vị"))

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ("code",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active=True) | models.Q(retired_on__isnull=False),
                name="unit_retired_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def ancestors(self) -> list[Unit]:
        """Parents from the nearest to the root (one query per level; trees are shallow)."""
        chain: list[Unit] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def clean(self) -> None:
        super().clean()
        if self.parent_id is not None and self.pk is not None:
            if self.parent_id == self.pk or any(a.pk == self.pk for a in self.parent.ancestors()):  # type: ignore[union-attr]
                raise ValidationError(
                    {"parent": _("Không thể chọn đơn vị này làm cấp trên: sẽ tạo vòng lặp.")}
                )
        if not self.active and self.retired_on is None:
            raise ValidationError(
                {"retired_on": _("Đơn vị ngừng hoạt động phải có ngày giải thể / sáp nhập.")}
            )


class Role(models.TextChoices):
    RECEPTIONIST = "receptionist", _("Công chức Bộ phận Một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    HEAD = "head", _("Lãnh đạo phòng")
    LEADER = "leader", _("Lãnh đạo đơn vị")
    SUPERVISOR = "supervisor", _("Kiểm tra, giám sát")
    ADMIN = "admin", _("Quản trị")


class Membership(models.Model):
    """A person's role in a unit; one person may hold several."""

    staff = models.ForeignKey(
        Staff, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    active = models.BooleanField(_("đang hiệu lực"), default=True)
    since_on = models.DateField(_("từ ngày"), null=True, blank=True)
    until_on = models.DateField(_("đến ngày"), null=True, blank=True)

    history = ConfigHistory(verbose_name=_("lịch sử thay đổi vai trò của cán bộ"))

    class Meta:
        verbose_name = _("vai trò của cán bộ")
        verbose_name_plural = _("vai trò của cán bộ")
        ordering = ("unit__code", "role", "staff__full_name")
        constraints = [
            models.UniqueConstraint(
                fields=("staff", "unit", "role"), name="membership_unique_staff_unit_role"
            )
        ]
        indexes = [models.Index(fields=("unit", "role"), name="membership_unit_role")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.get_role_display()} — {self.unit.name}"


class FocalPoint(models.Model):
    """A published contact who receives complaints for a unit (đầu mối tiếp nhận phản ánh)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="focal_points"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("chức danh"), max_length=200)
    person = models.CharField(_("họ và tên"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    zalo = models.CharField(_("Zalo"), max_length=40, blank=True)
    viber = models.CharField(_("Viber"), max_length=40, blank=True)
    hours = models.CharField(_("thời gian tiếp nhận"), max_length=200, blank=True)
    published = models.BooleanField(_("công khai"), default=True)

    history = ConfigHistory(verbose_name=_("lịch sử thay đổi đầu mối tiếp nhận phản ánh"))

    class Meta:
        verbose_name = _("đầu mối tiếp nhận phản ánh")
        verbose_name_plural = _("đầu mối tiếp nhận phản ánh")
        ordering = ("unit__code", "order", "title")

    def __str__(self) -> str:
        return f"{self.title} — {self.person}" if self.person else self.title

    def clean(self) -> None:
        super().clean()
        if not (self.phone or self.email or self.zalo or self.viber):
            raise ValidationError(
                _("Cần ít nhất một cách liên hệ: điện thoại, thư điện tử, Zalo hoặc Viber.")
            )
