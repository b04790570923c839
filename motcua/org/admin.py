"""Units, staff and their roles, focal points.

Roles are given, changed and ended through ``motcua.org.services`` (grant_role, update_membership)
on both the role screen and the staff screen's inline, so a refusal of the service (a retired
unit, a role held twice) is an error on the form. Units, roles and focal points keep a history
(the "Lịch sử" page); staff accounts do not (they hold the password hash).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.admin import HistoryAdmin, ServiceRefusalsAsMessages
from motcua.core.errors import DomainError
from motcua.org import services
from motcua.org.models import FocalPoint, Membership, Staff, Unit
from motcua.org.requests import actor_of


class MembershipForm(forms.ModelForm):
    """Runs the services' checks of a role (retired unit, dates) on what is being saved."""

    class Meta:
        model = Membership
        fields = ("staff", "unit", "role", "active", "since_on", "until_on")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_changed() and data.get("unit") is not None and data.get("role"):
            adding = self.instance.pk is None
            try:
                services.check_membership(
                    unit=data["unit"],
                    role=data["role"],
                    # adding is granting: refused at a retired unit whatever the box says
                    active=bool(data.get("active")) or adding,
                    since_on=data.get("since_on"),
                    until_on=data.get("until_on"),
                )
            except DomainError as exc:
                if exc.field in self.fields:
                    raise ValidationError({exc.field: exc.message}) from exc
                raise ValidationError(exc.message) from exc
        return data


def save_membership(
    request: HttpRequest, membership: Membership, data: dict[str, Any], *, staff: Staff
) -> Membership:
    """An admin's add or change of a role, through the services (one history row each)."""
    actor: Staff = actor_of(request)
    active, since_on, until_on = (
        bool(data.get("active")),
        data.get("since_on"),
        data.get("until_on"),
    )
    if membership.pk is None:
        saved = services.grant_role(
            staff=staff, unit=data["unit"], role=data["role"], since_on=since_on, actor=actor
        )
        if active and until_on is None:
            return saved
        membership_id = saved.pk  # a role entered as already ended: granted, then ended
    else:
        membership_id = membership.pk
    return services.update_membership(
        membership_id=membership_id,
        unit=data["unit"],
        role=data["role"],
        active=active,
        since_on=since_on,
        until_on=until_on,
        actor=actor,
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 1
    autocomplete_fields = ("unit",)
    fields = ("unit", "role", "active", "since_on", "until_on")


@admin.register(Staff)
class StaffAdmin(ServiceRefusalsAsMessages, UserAdmin):
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

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool
    ) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)  # what the change message lists; nothing written yet
        staff: Staff = form.instance
        for row in formset.deleted_objects:
            row.delete()
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            saved = save_membership(
                request, inline_form.instance, inline_form.cleaned_data, staff=staff
            )
            inline_form.instance.pk = saved.pk


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
class UnitAdmin(HistoryAdmin):
    list_display = ("code", "name", "kind", "parent", "active", "retired_on")
    list_filter = ("kind", "active")
    search_fields = ("code", "name", "address")
    autocomplete_fields = ("parent", "successor")
    inlines = (ChildInline, FocalPointInline)
    actions = ("retire_today",)
    history_related = ((FocalPoint, "unit"),)

    def get_readonly_fields(self, request: HttpRequest, obj: Unit | None = None) -> tuple[str, ...]:
        # Retiring goes through the action (which checks children and closes memberships).
        return ("active", "retired_on", "successor") if obj else ()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # units are retired, never deleted: their history stays

    @admin.action(description=_("Ngừng hoạt động (giải thể / sáp nhập) từ hôm nay"))
    def retire_today(self, request: HttpRequest, queryset: QuerySet[Unit]) -> None:
        for unit in queryset:
            try:
                services.retire_unit(
                    unit_id=unit.pk,
                    on=timezone.localdate(),
                    actor=actor_of(request),
                )
            except DomainError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("Đã ngừng hoạt động: %s") % unit.name)


@admin.register(Membership)
class MembershipAdmin(ServiceRefusalsAsMessages, HistoryAdmin):
    form = MembershipForm
    list_display = ("staff", "unit", "role", "active")
    list_filter = ("role", "active", "unit__kind")
    search_fields = ("staff__username", "staff__full_name", "unit__name", "unit__code")
    autocomplete_fields = ("staff", "unit")

    def get_readonly_fields(
        self, request: HttpRequest, obj: Membership | None = None
    ) -> tuple[str, ...]:
        # A role belongs to one person: give the other person a role of their own.
        return ("staff",) if obj is not None else ()

    def save_model(
        self, request: HttpRequest, obj: Membership, form: forms.ModelForm, change: bool
    ) -> None:
        staff = obj.staff if change else form.cleaned_data["staff"]
        saved = save_membership(request, obj, form.cleaned_data, staff=staff)
        obj.pk = saved.pk


@admin.register(FocalPoint)
class FocalPointAdmin(HistoryAdmin):
    list_display = ("unit", "order", "title", "person", "phone", "zalo", "viber", "published")
    list_filter = ("published", "unit__kind")
    search_fields = ("title", "person", "phone", "email", "unit__name")
    autocomplete_fields = ("unit",)
