from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, Procedure, ProcedureStep, RequiredDocument
from motcua.catalog.services import check_step_durations
from motcua.core.errors import InvalidInput


class StepFormSet(forms.BaseInlineFormSet):
    """Refuses steps whose budgets do not add up to the procedure's internal target time."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        durations: list[Decimal] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            if data.get("duration_working_hours") is not None:
                durations.append(data["duration_working_hours"])
        procedure: Procedure = self.instance
        if procedure.target_working_hours is None:
            return
        try:
            check_step_durations(
                target_working_hours=procedure.target_working_hours,
                durations=durations,
                legal_working_days=procedure.legal_working_days,
                legal_working_hours=procedure.legal_working_hours,
            )
        except InvalidInput as exc:
            raise ValidationError(str(exc)) from exc


class StepInline(admin.TabularInline):
    model = ProcedureStep
    formset = StepFormSet
    extra = 0
    min_num = 1
    fields = (
        "order",
        "name",
        "role",
        "responsible_unit",
        "responsible_unit_kind",
        "duration_working_hours",
    )
    autocomplete_fields = ("responsible_unit",)


class DocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ("order", "name", "form", "copies", "mandatory", "note")


class ProcedureForm(forms.ModelForm):
    """The admin builds the fields from the fieldsets; this adds the checks across fields."""

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        days, hours = data.get("legal_working_days"), data.get("legal_working_hours")
        if (days is None) == (hours is None):
            raise ValidationError(
                _(
                    "Hãy điền đúng một trong hai: thời hạn theo ngày làm việc hoặc thời hạn theo "
                    "giờ làm việc."
                )
            )
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            raise ValidationError(
                {"effective_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu áp dụng.")}
            )
        return data


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    form = ProcedureForm
    list_display = (
        "code",
        "name",
        "field",
        "legal_working_days",
        "legal_working_hours",
        "online_mode",
        "green_lane_group",
        "effective_from",
        "effective_to",
    )
    list_filter = ("field", "online_mode", "deadline_mode", "green_lane_group", "units__kind")
    search_fields = ("code", "name", "legal_basis")
    filter_horizontal = ("units",)
    inlines = (DocumentInline, StepInline)
    date_hierarchy = "effective_from"
    fieldsets = (
        (None, {"fields": ("code", "name", "field", "effective_from", "effective_to")}),
        (
            _("Thời hạn giải quyết"),
            {
                "fields": (
                    "legal_working_days",
                    "legal_working_hours",
                    "target_working_hours",
                    "deadline_mode",
                    "cutoff_time",
                    "supplement_policy",
                )
            },
        ),
        (_("Làn xanh"), {"fields": ("green_lane_group", "green_lane_working_hours")}),
        (
            _("Cách thực hiện"),
            {"fields": ("online_mode", "fee", "fee_note", "legal_basis", "result_name", "units")},
        ),
    )


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
