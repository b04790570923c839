"""What the configuration screens of the admin share: the "Lịch sử" page of a tracked model
(``motcua.core.history``), and refusals of the services shown to the administrator, never a 500.

``HistoryAdmin`` lists an object's history rows, newest first: when, what kind of change, who, why
and the fields that changed (old → new). ``history_related`` adds the rows of the objects edited
inline on the same page (a procedure's steps and papers, a unit's focal points). The history is
read-only: a change goes through the services, never by reverting to an old row here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from motcua.core.errors import DomainError

CHANGE_KINDS = {
    "+": gettext_lazy("Tạo mới"),
    "~": gettext_lazy("Sửa"),
    "-": gettext_lazy("Xoá"),
}


class ServiceRefusalsAsMessages(admin.ModelAdmin):
    """For an admin whose saves call the services: the forms run the services' checks first, so
    a refusal is normally an error on the form; one the checks could not foresee (the state
    changed between the check and the save) rolls the save back and comes back as an error
    message on the same page."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadableChanges(HistoricalRecordContextHelper):
    """Old and new values as the admin's forms show them: choice labels, Có/Không, numbers and
    dates in the Vietnamese way (simple-history's default is the raw value)."""

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        if value is None or value == "":
            return "—"
        if getattr(field, "flatchoices", None):
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("Có") if value else _("Không")
        if isinstance(value, Decimal):
            return formats.number_format(Decimal(f"{value.normalize():f}"))
        if isinstance(value, datetime):
            return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        if isinstance(value, date):
            return formats.date_format(value, "SHORT_DATE_FORMAT")
        return value


def _annotate(model: type[models.Model], records: Sequence[Any]) -> None:
    """Give each history row (newest first) its kind in words and its changes against the row
    before it of the same object (``history_delta_changes``: field, old, new)."""
    previous: dict[Any, Any] = {}
    for record in reversed(records):
        record.change_kind = CHANGE_KINDS.get(record.history_type, record.history_type)
        before = previous.get(record.id)
        if before is not None:
            delta = record.diff_against(before, foreign_keys_are_objs=True)
            helper = ReadableChanges(model, record)
            record.history_delta_changes = helper.context_for_delta_changes(delta)
        previous[record.id] = record


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_template: Any = "admin/motcua/object_history.html"
    object_history_list_template: Any = "admin/motcua/history_table.html"
    # (model, name of its foreign key to this admin's model) of the inlines whose history shows
    # on this object's history page too.
    history_related: Sequence[tuple[type[models.Model], str]] = ()
    history_related_limit = 300

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: Any
    ) -> ReadableChanges:
        return ReadableChanges(self.model, historical_record)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_view_title(self, request: HttpRequest, obj: Any) -> str:
        return _("Lịch sử thay đổi: %(object)s") % {"object": obj}

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied  # read-only: changes go through the services
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        sections = []
        if obj is not None and self.has_view_history_or_change_history_permission(request, obj):
            for model, fk in self.history_related:
                history = model.history  # type: ignore[attr-defined]
                records = list(
                    history.filter(**{f"{fk}_id": obj.pk})
                    .select_related("history_user")
                    .order_by("-history_date", "-history_id")[: self.history_related_limit]
                )
                _annotate(model, records)
                sections.append(
                    {"title": capfirst(str(model._meta.verbose_name_plural)), "records": records}
                )
        response: HttpResponse = super().history_view(
            request, object_id, {"related_history": sections, **(extra_context or {})}
        )
        return response

    def render_history_view(
        self, request: HttpRequest, template: str, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponse:
        page = context.get("page_obj")
        if page is not None:
            for record in page.object_list:
                record.change_kind = CHANGE_KINDS.get(record.history_type, record.history_type)
        response: HttpResponse = super().render_history_view(request, template, context, **kwargs)
        return response
