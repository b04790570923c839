"""Read-mostly admin of dossiers: every change goes through the services (the office pages and the
API), so the admin shows and searches but never adds, edits or deletes a dossier or its history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import (
    Apology,
    Applicant,
    Dossier,
    DossierStep,
    Event,
    SupplementRequest,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ApplicantInline(ReadOnlyMixin, admin.StackedInline):
    model = Applicant
    can_delete = False
    verbose_name_plural = _("người nộp hồ sơ")


class StepInline(ReadOnlyMixin, admin.TabularInline):
    model = DossierStep
    fields = (
        "order",
        "name",
        "unit",
        "role",
        "assignee",
        "status",
        "started_at",
        "due_at",
        "finished_at",
        "timeliness",
    )
    readonly_fields = fields
    extra = 0


class SupplementInline(ReadOnlyMixin, admin.TabularInline):
    model = SupplementRequest
    fields = ("requested_at", "requested_by", "items", "answered_at", "paused_working")
    readonly_fields = fields
    extra = 0


class ApologyInline(ReadOnlyMixin, admin.TabularInline):
    model = Apology
    fields = ("step", "reason", "new_due_at", "status", "drafted_by", "signed_by", "signed_at")
    readonly_fields = fields
    extra = 0


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = Event
    fields = ("at", "actor", "kind", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0


@admin.register(Dossier)
class DossierAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "procedure",
        "unit",
        "status",
        "green_lane",
        "received_at",
        "due_at",
        "timeliness",
    )
    list_filter = ("status", "channel", "green_lane", "timeliness", "unit")
    search_fields = ("code", "procedure__code", "procedure__name")
    date_hierarchy = "received_at"
    list_select_related = ("procedure", "unit")
    exclude = ("lookup_nonce", "lookup_secret_hash")
    inlines = (ApplicantInline, StepInline, SupplementInline, ApologyInline, EventInline)
    show_full_result_count = False


@admin.register(Event)
class EventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("dossier", "at", "kind", "actor", "from_status", "to_status")
    list_filter = ("kind",)
    search_fields = ("dossier__code",)
    list_select_related = ("dossier", "actor")
    show_full_result_count = False
