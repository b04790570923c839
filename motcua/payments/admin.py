"""Admin screens: a procedure version's fee schedule, the units' receipt series, and read-only
views of charges, receipts, callbacks and reconciliations (money is changed by the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.payments.models import (
    CallbackLog,
    Charge,
    Exemption,
    FeeItem,
    Receipt,
    ReceiptSeries,
    Reconciliation,
)


@admin.register(FeeItem)
class FeeItemAdmin(admin.ModelAdmin):
    list_display = ("procedure", "kind", "name", "amount", "legal_basis")
    list_filter = ("kind",)
    search_fields = ("procedure__code", "procedure__name", "name")
    autocomplete_fields = ("procedure",)


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = ("procedure", "code", "reason", "percent")
    search_fields = ("procedure__code", "reason")
    autocomplete_fields = ("procedure",)


@admin.register(ReceiptSeries)
class ReceiptSeriesAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "template", "series", "tax_code", "last_number")
    readonly_fields = ("last_number",)
    list_filter = ("year",)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Charge)
class ChargeAdmin(ReadOnly):
    list_display = ("dossier", "unit", "amount_due", "status", "paid_online", "paid_at")
    list_filter = ("status", "paid_online")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnly):
    list_display = ("__str__", "unit", "dossier", "amount", "method", "status", "issued_at")
    list_filter = ("status", "method")


@admin.register(CallbackLog)
class CallbackLogAdmin(ReadOnly):
    list_display = ("received_at", "gateway", "order_id", "outcome", "reason")
    list_filter = ("outcome",)


@admin.register(Reconciliation)
class ReconciliationAdmin(ReadOnly):
    list_display = ("on", "gateway", "run_at", "matched", "error")
