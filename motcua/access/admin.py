"""The administrator's unlock: the buckets of counted attempts (failed logins, missed look-ups,
submissions), how many count now, and an action that forgets them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.access import services
from motcua.access.models import RateLimitBucket, RateLimitHit


@admin.register(RateLimitBucket)
class RateLimitBucketAdmin(admin.ModelAdmin):
    list_display = ("name", "counted")
    search_fields = ("name",)
    actions = ("unlock",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("số lần thử đang tính"))
    def counted(self, obj: RateLimitBucket) -> int:
        return RateLimitHit.objects.filter(bucket=obj.name).count()

    @admin.action(description=gettext_lazy("Mở khóa (xóa các lần thử đang tính)"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[RateLimitBucket]) -> None:
        total = sum(services.unlock(bucket=b.name) for b in queryset)
        self.message_user(
            request,
            _("Đã mở khóa %(n)s nhóm (%(hits)s lần thử được xóa).")
            % {"n": queryset.count(), "hits": total},
            messages.SUCCESS,
        )
