"""Admin: the per-category respond-by times (D11), the routes of feedback to responsible units
and persons, and a read-only view of the queue (every change goes through the services, from the
staff pages or the API)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.feedback.models import CategorySetting, Feedback, FeedbackEvent, Route


@admin.register(CategorySetting)
class CategorySettingAdmin(admin.ModelAdmin):
    list_display = ("category", "clock", "amount", "legal_basis")
    list_editable = ("clock", "amount")
    ordering = ("category",)


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = ("unit", "category", "responsible_unit", "focal_point", "assignee")
    list_filter = ("category",)
    search_fields = ("unit__code", "unit__name", "responsible_unit__name")
    autocomplete_fields = ("unit", "responsible_unit", "focal_point", "assignee")


class FeedbackEventInline(admin.TabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor", "kind", "from_status", "to_status", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "channel",
        "received_at",
        "status",
        "category",
        "in_scope",
        "green_lane",
        "unit",
        "respond_by",
        "published",
    )
    list_filter = ("status", "channel", "category", "in_scope", "green_lane", "published")
    search_fields = ("=id", "dossier_code", "name", "phone", "email")
    date_hierarchy = "received_at"
    inlines = (FeedbackEventInline,)
    exclude = (
        "secret_nonce",
        "secret_hash",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in Feedback._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # intake goes through the staff pages, the API, the portal and Open311

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # the register of feedback is kept (Decree 20/2008 Art. 9)


FeedbackAdmin.__doc__ = str(_("Sổ tiếp nhận phản ánh, kiến nghị (chỉ xem)."))
