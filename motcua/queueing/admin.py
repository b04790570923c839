"""The floor's configuration per unit (issue 17 §1): service groups and what they serve, the
counters and their groups, the priority list. Tickets, bookings and events are read only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from motcua.queueing.models import (
    Booking,
    Counter,
    FloorEvent,
    PriorityCategory,
    ServiceGroup,
    Ticket,
)


@admin.register(ServiceGroup)
class ServiceGroupAdmin(admin.ModelAdmin):
    list_display = ("unit", "letter", "code", "name", "slot_minutes", "slot_capacity", "active")
    list_filter = ("unit", "active")
    search_fields = ("code", "name", "unit__code")
    filter_horizontal = ("procedures", "fields")
    autocomplete_fields = ("unit",)


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ("unit", "number", "name", "officer", "active")
    list_filter = ("unit", "active")
    filter_horizontal = ("groups",)
    readonly_fields = ("officer",)
    autocomplete_fields = ("unit",)


@admin.register(PriorityCategory)
class PriorityCategoryAdmin(admin.ModelAdmin):
    list_display = ("unit", "order", "code", "name", "active")
    list_filter = ("unit", "active")
    autocomplete_fields = ("unit",)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnly):
    list_display = ("number", "unit", "group", "day", "status", "counter", "officer", "issued_at")
    list_filter = ("unit", "status", "day")
    search_fields = ("number",)
    exclude = ("token",)


@admin.register(Booking)
class BookingAdmin(ReadOnly):
    list_display = ("code", "unit", "group", "slot_start", "status")
    list_filter = ("unit", "status")
    search_fields = ("code",)


@admin.register(FloorEvent)
class FloorEventAdmin(ReadOnly):
    list_display = ("at", "unit", "kind", "ticket", "booking", "counter", "actor")
    list_filter = ("unit", "kind")
