from django.contrib import admin
from django.http import HttpRequest

from motcua.surveys.models import CounterRating, Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """The ratings, read only (written by the citizen or through `rate_dossier`, never here)."""

    list_display = ("dossier", "overall", "at")
    list_filter = ("overall",)
    search_fields = ("dossier__code",)
    readonly_fields = ("dossier", "overall", "comment", "at")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CounterRating)
class CounterRatingAdmin(admin.ModelAdmin):
    """The ratings of the officers at the counter, read only: no staff can alter them (D19)."""

    list_display = ("ticket", "unit", "counter", "officer", "overall", "at")
    list_filter = ("overall", "unit")
    readonly_fields = (
        "ticket",
        "unit",
        "counter",
        "officer",
        "dossier",
        "overall",
        "reasons",
        "at",
    )
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
