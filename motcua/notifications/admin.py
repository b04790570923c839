"""Admin: the notice templates (edited with a preview), the outbox (read-only, with a re-send
action) and the units' reminder thresholds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template import TemplateSyntaxError
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from motcua.core.admin import HistoryAdmin
from motcua.core.errors import DomainError
from motcua.notifications import defaults
from motcua.notifications.models import Message, Template, UnitNoticeSettings
from motcua.notifications.services import Rendered, ensure_templates, render_text, resend_message
from motcua.org.requests import actor_of

_TEXT_FIELDS = ("subject_vi", "body_vi", "short_vi", "subject_en", "body_en", "short_en")


def _sample(code: str) -> dict[str, Any]:
    default = defaults.BY_CODE.get(code)
    return dict(default.sample) if default is not None else {}


def preview(data: dict[str, Any], code: str) -> dict[str, Rendered | None]:
    """The template text in `data` rendered with the sample context of `code`, per language."""
    sample = _sample(code)
    out: dict[str, Rendered | None] = {}
    for lang in ("vi", "en"):
        body = data.get(f"body_{lang}") or ""
        out[lang] = (
            render_text(
                subject=data.get(f"subject_{lang}") or "",
                body=body,
                short=data.get(f"short_{lang}") or "",
                context=sample,
                language=lang,
            )
            if body.strip()
            else None
        )
    return out


class TemplateForm(forms.ModelForm):
    class Meta:
        model = Template
        fields = ("name", *_TEXT_FIELDS)
        widgets = {
            "body_vi": forms.Textarea(attrs={"rows": 14, "cols": 100}),
            "body_en": forms.Textarea(attrs={"rows": 10, "cols": 100}),
            "short_vi": forms.Textarea(attrs={"rows": 3, "cols": 100}),
            "short_en": forms.Textarea(attrs={"rows": 3, "cols": 100}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            preview(data, self.instance.code)
        except TemplateSyntaxError as exc:
            raise ValidationError(
                _("Mẫu có lỗi cú pháp: %(error)s. Biến viết {{ ten_bien }}, lệnh viết {%% if %%}…")
                % {"error": exc}
            ) from exc
        except Exception as exc:  # a filter failing on the sample data
            raise ValidationError(
                _("Không hiển thị được mẫu với dữ liệu mẫu: %(error)s") % {"error": exc}
            ) from exc
        return data


@admin.register(Template)
class TemplateAdmin(HistoryAdmin):
    form = TemplateForm
    list_display = ("code", "name", "updated_at", "updated_by")
    search_fields = ("code", "name", "subject_vi", "body_vi")
    readonly_fields = ("code", "description", "updated_at", "updated_by")
    fieldsets = (
        (None, {"fields": ("code", "name", "description")}),
        (_lazy("Tiếng Việt"), {"fields": ("subject_vi", "body_vi", "short_vi")}),
        (_lazy("Tiếng Anh"), {"fields": ("subject_en", "body_en", "short_en")}),
        (_lazy("Lần sửa gần nhất"), {"fields": ("updated_at", "updated_by")}),
    )
    change_form_template = "admin/notifications/template/change_form.html"
    actions = ("restore_defaults",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the codes are what the services send; the shipped set is complete

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        ensure_templates()
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: Template, form: Any, change: bool) -> None:
        obj.updated_by = actor_of(request)
        super().save_model(request, obj, form, change)

    @admin.action(description=_lazy("Khôi phục nội dung mặc định"), permissions=["change"])
    def restore_defaults(self, request: HttpRequest, queryset: QuerySet[Template]) -> None:
        codes = [
            code for code in queryset.values_list("code", flat=True) if code in defaults.BY_CODE
        ]
        queryset.filter(code__in=codes).delete()
        ensure_templates()
        self.message_user(
            request, _("Đã khôi phục %(n)s mẫu về nội dung mặc định.") % {"n": len(codes)}
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="notifications_template_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The text being edited (POST, from the change form's "Xem trước" button) or the saved
        text (GET), rendered with the template's sample data."""
        template = get_object_or_404(Template, pk=object_id)
        if not self.has_view_or_change_permission(request, template):
            raise PermissionDenied
        if request.method == "POST":
            data = {f: request.POST.get(f, "") for f in _TEXT_FIELDS}
        else:
            data = {f: getattr(template, f) for f in _TEXT_FIELDS}
        error = ""
        rendered: dict[str, Rendered | None] = {}
        try:
            rendered = preview(data, template.code)
        except Exception as exc:
            error = str(exc)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": template,
            "title": _("Xem trước: %(name)s") % {"name": template.name},
            "rendered_vi": rendered.get("vi"),
            "rendered_en": rendered.get("en"),
            "sample": _sample(template.code),
            "error": error,
        }
        return TemplateResponse(request, "admin/notifications/template/preview.html", context)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "created_at",
        "template_code",
        "channel",
        "recipient_name",
        "address",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "channel", "template_code")
    search_fields = ("address", "recipient_name", "provider_id", "=dossier_id", "=feedback_id")
    date_hierarchy = "created_at"
    list_select_related = ("staff",)
    actions = ("resend",)
    readonly_fields = [f.name for f in Message._meta.fields if f.name != "claim_token"]
    exclude = ("claim_token",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # read-only: a notice is changed only by delivering it

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.view_message") and bool(request.user.is_staff)

    @admin.action(description=_lazy("Gửi lại các thông báo đã chọn"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        done, refused = 0, []
        for pk in queryset.values_list("pk", flat=True):
            try:
                resend_message(message_id=pk, actor=actor_of(request))
                done += 1
            except DomainError as exc:
                refused.append(str(exc))
        if done:
            self.message_user(
                request, _("Đã xếp %(n)s thông báo vào hàng đợi gửi lại.") % {"n": done}
            )
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)


@admin.register(UnitNoticeSettings)
class UnitNoticeSettingsAdmin(admin.ModelAdmin):
    list_display = ("unit", "due_soon_working_hours")
    autocomplete_fields = ("unit",)
    search_fields = ("unit__code", "unit__name")
