"""The procedure catalog in the admin.

A procedure is added or changed with its steps and papers through ``catalog.services
.save_procedure`` (one transaction, the checks of create_procedure, a history row for each row
that changes, carrying the administrator); the forms run the same checks first, so a refusal is
an error on the form. The "Lịch sử" page of a procedure lists its steps' and papers' changes too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, Procedure, ProcedureStep, RequiredDocument
from motcua.catalog.services import DocumentSpec, StepSpec, check_step_durations, save_procedure
from motcua.core.admin import HistoryAdmin, ServiceRefusalsAsMessages
from motcua.core.errors import InvalidInput
from motcua.org.requests import actor_of


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


def _kept_forms(formset: Any) -> list[Any]:
    """The inline forms that stay: filled in and not ticked for deletion."""
    kept = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        kept.append(form)
    return kept


@admin.register(Procedure)
class ProcedureAdmin(ServiceRefusalsAsMessages, HistoryAdmin):
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
    history_related = ((ProcedureStep, "procedure"), (RequiredDocument, "procedure"))

    def save_model(
        self, request: HttpRequest, obj: Procedure, form: forms.ModelForm, change: bool
    ) -> None:
        """Nothing yet: the procedure is saved with its steps and papers in save_related."""

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: list[Any], change: bool
    ) -> None:
        steps: list[StepSpec] = []
        documents: list[DocumentSpec] = []
        for formset in formsets:
            formset.save(commit=False)  # what the change message lists; nothing written yet
            for inline in _kept_forms(formset):
                data = inline.cleaned_data
                if formset.model is ProcedureStep:
                    steps.append(
                        StepSpec(
                            id=inline.instance.pk,
                            order=data["order"],
                            name=data["name"],
                            role=data["role"],
                            responsible_unit=data.get("responsible_unit"),
                            responsible_unit_kind=data.get("responsible_unit_kind") or "",
                            duration_working_hours=data["duration_working_hours"],
                        )
                    )
                elif formset.model is RequiredDocument:
                    documents.append(
                        DocumentSpec(
                            id=inline.instance.pk,
                            order=data["order"],
                            name=data["name"],
                            form=data["form"],
                            copies=data["copies"],
                            mandatory=bool(data.get("mandatory")),
                            note=data.get("note") or "",
                        )
                    )
        save_procedure(
            procedure=form.instance,
            steps=steps,
            documents=documents,
            units=form.cleaned_data.get("units") or (),
            actor=actor_of(request),
        )


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
