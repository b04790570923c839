"""Staff pages. Thin: find through selectors, call services, render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.dossiers.models import Status
from motcua.dossiers.selectors import list_work
from motcua.feedback.models import ASSIGNED_STATUSES
from motcua.feedback.models import Status as FeedbackStatus
from motcua.feedback.selectors import ANSWERING_ROLES, list_feedback, supervises_city_queue
from motcua.office.dossier_views import get_viewer
from motcua.office.feedback_views import AWAITING_ANSWER
from motcua.office.forms import DUE_OVERDUE, DUE_TODAY
from motcua.office.selectors import list_waiting_apologies, units_for
from motcua.office.work_views import unit_dossiers
from motcua.org.models import Role
from motcua.org.requests import actor_of
from motcua.org.selectors import list_memberships, supervised_unit_ids, units_of


@dataclass(frozen=True)
class WorkItem:
    """One line of the staff home: what waits, how many, and the list that shows them."""

    label: str
    count: int
    url: str
    urgent: bool = False


def _link(name: str, **params: str) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse(name) + (f"?{query}" if query else "")


def work_items(request: HttpRequest, *, now: datetime) -> list[dict[str, Any]]:
    """What waits for the signed-in person, by unit and for them alone: each count is the length
    of the list its link opens (the same functions build both)."""
    viewer = get_viewer(request)
    staff = viewer.staff
    mine = [
        WorkItem(_("Bước xử lý đang chờ tôi"), list_work(staff).count(), reverse("office:my_work"))
    ]
    if viewer.units_with(Role.LEADER) or staff.is_superuser:
        mine.append(
            WorkItem(
                _("Phiếu xin lỗi chờ ký"),
                list_waiting_apologies(viewer).count(),
                reverse("office:apologies"),
                urgent=True,
            )
        )
    # Complaints: to classify (a supervisor of the receiving unit), to answer (the responsible
    # unit's head, leader or specialist) — each the queue's list its link opens.
    if staff.is_superuser or supervised_unit_ids(staff) or supervises_city_queue(staff):
        n = list_feedback(staff, now=now, status=FeedbackStatus.NEW).count()
        mine.append(
            WorkItem(
                _("Phản ánh, kiến nghị chờ phân loại"),
                n,
                _link("office:feedback_list", status=FeedbackStatus.NEW),
            )
        )
    if staff.is_superuser or units_of(staff, ANSWERING_ROLES).exists():
        n = list_feedback(staff, now=now, status=ASSIGNED_STATUSES).count()
        mine.append(
            WorkItem(
                _("Phản ánh, kiến nghị chờ trả lời"),
                n,
                _link("office:feedback_list", status=AWAITING_ANSWER),
            )
        )
    groups: list[dict[str, Any]] = [{"title": _("Việc của tôi"), "items": mine}]
    receiving = viewer.units_with(Role.RECEPTIONIST)
    for unit in units_for(viewer):

        def item(label: str, urgent: bool = False, **f: str) -> WorkItem:
            qs = unit_dossiers(
                staff,
                unit_code=unit.code,  # noqa: B023 - called inside this iteration
                status=f.get("status", ""),
                due=f.get("han", ""),
                now=now,
            )
            return WorkItem(
                label,
                qs.count(),
                _link("office:unit_work", unit=unit.code, **f),  # noqa: B023
                urgent=urgent,
            )

        items = []
        if unit.pk in receiving:
            items.append(item(_("Hồ sơ trực tuyến chờ tiếp nhận"), status=Status.SUBMITTED))
        items += [
            item(_("Hồ sơ quá hạn"), urgent=True, han=DUE_OVERDUE),
            item(_("Hồ sơ đến hạn hôm nay"), han=DUE_TODAY),
            item(_("Hồ sơ đang giải quyết"), status=Status.IN_PROGRESS),
            item(_("Hồ sơ chờ công dân bổ sung"), status=Status.AWAITING_SUPPLEMENT),
        ]
        if unit.pk in receiving:
            items.append(item(_("Hồ sơ có kết quả, chờ trả"), status=Status.READY))
        groups.append({"title": unit.name, "unit": unit, "items": items})
    return groups


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The staff home is their work: counts and lists of what waits, each linked to its list."""
    memberships = list(list_memberships(actor_of(request)))
    units: dict[int, dict[str, object]] = {}
    for m in memberships:
        entry = units.setdefault(m.unit_id, {"unit": m.unit, "roles": []})
        entry["roles"].append(m.get_role_display())  # type: ignore[attr-defined]
    groups = (
        work_items(request, now=timezone.now()) if memberships or request.user.is_superuser else []
    )
    return render(request, "office/home.html", {"units": list(units.values()), "groups": groups})
