from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError
from motcua.org import services
from motcua.org.models import FocalPoint, Membership, Staff, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("unit",)
    fields = ("unit", "role", "active", "since_on", "until_on")


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    model = Staff
    list_display = ("username", "full_name", "phone", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "memberships__role", "memberships__unit__kind")
    search_fields = ("username", "full_name", "phone", "email")
    ordering = ("full_name",)
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "phone", "email")}),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "phone", "email", "password1", "password2"),
            },
        ),
    )


class ChildInline(admin.TabularInline):
    model = Unit
    fk_name = "parent"
    extra = 0
    fields = ("code", "name", "kind", "active")
    readonly_fields = ("code", "name", "kind", "active")
    show_change_link = True
    can_delete = False
    verbose_name = _("đơn vị trực thuộc")
    verbose_name_plural = _("đơn vị trực thuộc")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    extra = 0
    fields = ("order", "title", "person", "phone", "email", "zalo", "viber", "hours", "published")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "active", "retired_on")
    list_filter = ("kind", "active")
    search_fields = ("code", "name", "address")
    autocomplete_fields = ("parent", "successor")
    inlines = (ChildInline, FocalPointInline)
    actions = ("retire_today",)

    def get_readonly_fields(self, request: HttpRequest, obj: Unit | None = None) -> tuple[str, ...]:
        # Retiring goes through the action (which checks children and closes memberships).
        return ("active", "retired_on", "successor") if obj else ()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # units are retired, never deleted: their history stays

    @admin.action(description=_("Ngừng hoạt động (giải thể / sáp nhập) từ hôm nay"))
    def retire_today(self, request: HttpRequest, queryset: QuerySet[Unit]) -> None:
        for unit in queryset:
            try:
                services.retire_unit(unit_id=unit.pk, on=timezone.localdate())
            except DomainError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("Đã ngừng hoạt động: %s") % unit.name)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("staff", "unit", "role", "active")
    list_filter = ("role", "active", "unit__kind")
    search_fields = ("staff__username", "staff__full_name", "unit__name", "unit__code")
    autocomplete_fields = ("staff", "unit")


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ("unit", "order", "title", "person", "phone", "zalo", "viber", "published")
    list_filter = ("published", "unit__kind")
    search_fields = ("title", "person", "phone", "email", "unit__name")
    autocomplete_fields = ("unit",)
