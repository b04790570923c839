"""The calendar in the admin: exceptions, office hours, and the read-only audit trail.

Every save and delete goes through ``motcua.workdays.services`` so the audit row, the revision
token and the recomputation of deadlines happen; the forms run the services' own checks first, so
a refusal comes back as a message on the form, never as an error page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.admin import HistoryAdmin
from motcua.core.errors import DomainError
from motcua.org.models import Unit
from motcua.org.requests import actor_of
from motcua.workdays import services
from motcua.workdays.models import (
    FIRST_YEAR,
    LAST_YEAR,
    CalendarChange,
    CalendarException,
    OfficeHours,
    OfficeSession,
    Weekday,
)
from motcua.workdays.selectors import (
    describe_hours_owner,
    list_exceptional_days,
    office_hours_for,
    week_of,
)


def _as_validation_error(exc: DomainError, fields: set[str]) -> ValidationError:
    if exc.field in fields:
        return ValidationError({exc.field: exc.message})
    return ValidationError(exc.message)


# ------------------------------------------------------------------------------------ exceptions
class YearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "nam"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarException.objects.dates("on", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isascii() and value.isdigit() and len(value) <= 4:
            return queryset.filter(on__year=int(value))
        return queryset


class CalendarExceptionForm(forms.ModelForm):
    # Vietnamese write day/month/year; without this the "vi" locale reads 04/03 as 3 April.
    on = forms.DateField(
        label=_("ngày"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=AdminDateWidget(format="%d/%m/%Y"),
        help_text=_("Ngày/tháng/năm, ví dụ 02/01/2026."),
    )

    class Meta:
        model = CalendarException
        fields = ("on", "kind", "name", "legal_reference", "note")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(f) is not None for f in ("on", "kind", "name", "legal_reference")):
            try:
                services.check_calendar_exception(
                    on=data["on"],
                    kind=data["kind"],
                    name=data["name"],
                    legal_reference=data["legal_reference"],
                )
            except DomainError as exc:
                raise _as_validation_error(exc, set(self.fields)) from exc
        return data


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    form = CalendarExceptionForm
    change_list_template = "workdays/admin/exception_change_list.html"
    list_display = ("on", "weekday", "kind", "name", "legal_reference", "updated_by", "updated_at")
    list_filter = (YearFilter, "kind")
    search_fields = ("name", "legal_reference", "note")
    date_hierarchy = "on"
    ordering = ("-on",)
    readonly_fields = ("created_by", "created_at", "updated_by", "updated_at")
    fieldsets = (
        (None, {"fields": ("on", "kind", "name", "legal_reference", "note")}),
        (_("Người nhập"), {"fields": readonly_fields}),
    )

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarException) -> str:
        return str(Weekday(obj.on.weekday()).label)

    def save_model(
        self, request: HttpRequest, obj: CalendarException, form: forms.ModelForm, change: bool
    ) -> None:
        data = form.cleaned_data
        if change:
            saved = services.change_calendar_exception(
                exception_id=obj.pk,
                actor=actor_of(request),
                on=data["on"],
                kind=data["kind"],
                name=data["name"],
                legal_reference=data["legal_reference"],
                note=data.get("note", ""),
            )
        else:
            saved = services.add_calendar_exception(
                on=data["on"],
                kind=data["kind"],
                name=data["name"],
                legal_reference=data["legal_reference"],
                note=data.get("note", ""),
                actor=actor_of(request),
            )
        obj.pk = saved.pk
        for name in ("created_at", "created_by_id", "updated_at", "updated_by_id"):
            setattr(obj, name, getattr(saved, name))

    def delete_model(self, request: HttpRequest, obj: CalendarException) -> None:
        services.remove_calendar_exception(exception_id=obj.pk, actor=actor_of(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarException]) -> None:
        for pk in list(queryset.values_list("pk", flat=True)):
            services.remove_calendar_exception(exception_id=pk, actor=actor_of(request))

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra = {"this_year": min(max(timezone.localdate().year, FIRST_YEAR), LAST_YEAR)}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "nam/<int:year>/",
                self.admin_site.admin_view(self.year_view),
                name="workdays_calendarexception_year",
            )
        ]
        return own + super().get_urls()

    def year_view(self, request: HttpRequest, year: int) -> HttpResponse:
        """For a year: every day that differs from the ordinary week, and where it comes from."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        code = request.GET.get("unit", "").strip()
        unit = Unit.objects.filter(code=code).first() if code else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Lịch làm việc năm %(year)s: nguồn của từng ngày") % {"year": year},
            "year": year,
            "unit": unit,
            "units": Unit.objects.filter(active=True).order_by("code").only("code", "name"),
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
        }
        status = 200
        if code and unit is None:
            context["message"] = _("Không có đơn vị mã “%(code)s”.") % {"code": code}
        elif not FIRST_YEAR <= year <= LAST_YEAR:
            context["message"] = _(
                "Lịch làm việc chỉ có các năm %(first)s–%(last)s; không có năm %(year)s."
            ) % {"first": FIRST_YEAR, "last": LAST_YEAR, "year": year}
        if "message" in context:
            status = 404
        else:
            context.update(
                days=list_exceptional_days(year=year, unit=unit),
                week=week_of(unit),
                hours_owner=describe_hours_owner(unit, office_hours_for(unit)),
            )
        return TemplateResponse(request, "workdays/admin/year.html", context, status=status)


# ---------------------------------------------------------------------------------- office hours
class OfficeSessionFormSet(BaseInlineFormSet):
    """Runs the services' check of the whole week (overlaps, at least one session)."""

    def sessions(self) -> dict[int, list[tuple[Any, Any]]]:
        week: dict[int, list[tuple[Any, Any]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            if data.get("weekday") is None or not data.get("starts_at") or not data.get("ends_at"):
                continue
            week.setdefault(int(data["weekday"]), []).append((data["starts_at"], data["ends_at"]))
        return week

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        try:
            services.check_office_sessions(self.sessions())
        except DomainError as exc:
            raise ValidationError(exc.message) from exc


class OfficeSessionInline(admin.TabularInline):
    model = OfficeSession
    formset = OfficeSessionFormSet
    extra = 0
    min_num = 1
    fields = ("weekday", "starts_at", "ends_at")


class OfficeHoursForm(forms.ModelForm):
    class Meta:
        model = OfficeHours
        fields = ("unit", "note")


@admin.register(OfficeHours)
class OfficeHoursAdmin(HistoryAdmin):
    form = OfficeHoursForm
    inlines = (OfficeSessionInline,)
    list_display = ("owner", "summary", "updated_by", "updated_at")
    search_fields = ("unit__code", "unit__name")
    autocomplete_fields = ("unit",)
    readonly_fields = ("updated_by", "updated_at")

    def get_readonly_fields(
        self, request: HttpRequest, obj: OfficeHours | None = None
    ) -> tuple[str, ...]:
        # The unit of a saved row is fixed: remove it and add another to move hours elsewhere.
        return ("unit", *self.readonly_fields) if obj is not None else self.readonly_fields

    @admin.display(description=_("áp dụng cho"))
    def owner(self, obj: OfficeHours) -> str:
        return str(obj.unit) if obj.unit_id else str(_("Mặc định của hệ thống"))

    @admin.display(description=_("ca làm việc"))
    def summary(self, obj: OfficeHours) -> str:
        return "; ".join(str(s) for s in obj.sessions.all())

    def get_queryset(self, request: HttpRequest) -> QuerySet[OfficeHours]:
        return super().get_queryset(request).select_related("unit").prefetch_related("sessions")

    def save_model(
        self, request: HttpRequest, obj: OfficeHours, form: forms.ModelForm, change: bool
    ) -> None:
        """Nothing yet: the whole week is saved at once, through the service, in save_related."""

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        formsets: list[Any],
        change: bool,
    ) -> None:
        week: dict[int, list[tuple[Any, Any]]] = {}
        for formset in formsets:
            if isinstance(formset, OfficeSessionFormSet):
                week = formset.sessions()
            # what construct_change_message reads; the service writes the rows itself
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        obj: OfficeHours = form.instance
        saved = services.set_office_hours(
            unit=obj.unit,
            sessions=week,
            actor=actor_of(request),
            note=form.cleaned_data.get("note", ""),
        )
        if saved is not None:
            obj.pk = saved.pk
            obj.updated_at, obj.updated_by_id = saved.updated_at, saved.updated_by_id

    def delete_model(self, request: HttpRequest, obj: OfficeHours) -> None:
        services.set_office_hours(unit=obj.unit, sessions=None, actor=actor_of(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OfficeHours]) -> None:
        for hours in list(queryset.select_related("unit")):
            services.set_office_hours(unit=hours.unit, sessions=None, actor=actor_of(request))


# --------------------------------------------------------------------------------------- audit
@admin.register(CalendarChange)
class CalendarChangeAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "what", "subject", "deadlines_recomputed", "revision")
    list_filter = ("what",)
    search_fields = ("subject", "actor_name", "note")
    date_hierarchy = "at"
    fields = (
        "at",
        "actor",
        "actor_name",
        "what",
        "subject",
        "on",
        "unit",
        "before",
        "after",
        "note",
        "revision",
        "deadlines_recomputed",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
