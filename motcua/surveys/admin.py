from django.contrib import admin
from django.http import HttpRequest

from motcua.surveys.models import Rating


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
