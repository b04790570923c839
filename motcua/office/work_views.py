"""Work queues: the steps waiting for me, and the dossiers of my units. Green lane first, then the
nearest due; badges for overdue / due today / paused; the time left or overdue in words. Lists
are paginated, so a page is a bounded number of queries whatever the size of the unit."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.dossiers.models import Dossier, DossierStep, Status
from motcua.dossiers.search import search_dossiers
from motcua.dossiers.selectors import list_dossiers, list_work, overdue_q
from motcua.office.dossier_views import get_viewer, is_htmx
from motcua.office.forms import DUE_OVERDUE, DUE_TODAY, UnitWorkFilterForm, WorkFilterForm
from motcua.office.presenters import Calendars, dossier_clock, step_clock
from motcua.office.selectors import WORK_STATUSES, list_procedures_of, units_for
from motcua.org.models import Staff
from motcua.org.requests import actor_of

PAGE_SIZE = 50


def _status_filter(qs: QuerySet[Any], status: str, prefix: str = "") -> QuerySet[Any]:
    if status == "all":
        return qs
    if status:
        return qs.filter(**{f"{prefix}status": status})
    return qs.filter(**{f"{prefix}status__in": WORK_STATUSES})


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("trang", None)
    return params.urlencode()


def _worklist(request: HttpRequest, title: str, **ctx: Any) -> HttpResponse:
    """A work list page (the table alone for htmx), with the filters kept in its links."""
    ctx.update(title=title, query=_querystring(request))
    template = "office/_worklist_table.html" if is_htmx(request) else "office/worklist.html"
    return render(request, template, ctx)


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    """The open steps I may handle: assigned to me, or unassigned in a unit where I hold the
    step's role."""
    viewer = get_viewer(request)
    form = WorkFilterForm(request.GET or None, procedures=list(list_procedures_of(viewer.unit_ids)))
    qs: QuerySet[DossierStep] = list_work(actor_of(request))
    if form.is_valid():
        data = form.cleaned_data
        if data["status"] and data["status"] != "all":
            qs = qs.filter(dossier__status=data["status"])
        if data["procedure"]:
            qs = qs.filter(dossier__procedure__code=data["procedure"])
        if data["green_lane"]:
            qs = qs.filter(dossier__green_lane=data["green_lane"] == "1")
    qs = qs.select_related("dossier__unit", "dossier__applicant")
    page = _page(request, qs)
    now = timezone.now()
    cals = Calendars()
    rows = [
        {"dossier": s.dossier, "step": s, "clock": step_clock(s, cals, now=now)}
        for s in page.object_list
    ]
    return _worklist(request, _("Việc của tôi"), form=form, rows=rows, page=page, mine=True)


def unit_dossiers(
    staff: Staff,
    *,
    unit_code: str | None,
    status: str = "",
    procedure: str = "",
    green: bool | None = None,
    due: str = "",
    q: str = "",
    now: datetime,
) -> QuerySet[Dossier]:
    """The list of a unit's dossiers, filtered (the staff home counts with this same function,
    so a count and the list its link opens agree). ``unit_code`` None: every unit of mine
    (a search). ``due``: overdue, or due later today; a search ranks by `search_dossiers`."""
    qs = list_dossiers(staff, unit_code=unit_code, green_lane=green, now=now)
    qs = _status_filter(qs, status or ("all" if q else ""))
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if due == DUE_OVERDUE:
        qs = qs.filter(overdue_q(now))
    elif due == DUE_TODAY:
        tomorrow = datetime.combine(
            timezone.localdate(now) + timedelta(days=1),
            time(0),
            tzinfo=timezone.get_current_timezone(),
        )
        qs = qs.filter(
            status__in=[Status.RECEIVED, Status.IN_PROGRESS], due_at__gte=now, due_at__lt=tomorrow
        )
    if q:
        qs = search_dossiers(staff, q, qs=qs)
    return qs


@login_required
@require_GET
def unit_work(request: HttpRequest) -> HttpResponse:
    """The dossiers of one of my units (received there, or with a step there); with a search,
    of all my units unless one is chosen."""
    viewer = get_viewer(request)
    units = units_for(viewer)
    form = UnitWorkFilterForm(
        request.GET or None,
        units=units,
        procedures=list(list_procedures_of({u.pk for u in units})),
    )
    unit_code = units[0].code if units else None
    status = procedure = due = q = ""
    green: bool | None = None
    if form.is_bound:
        if not form.is_valid():
            if "unit" in form.errors:
                raise Http404(_("Không có đơn vị này trong các đơn vị của bạn."))
        else:
            data = form.cleaned_data
            q = data["q"].strip()
            unit_code = data["unit"] or (None if q else unit_code)
            status, procedure, due = data["status"], data["procedure"], data["han"]
            if data["green_lane"]:
                green = data["green_lane"] == "1"
    now = timezone.now()
    qs: QuerySet[Dossier]
    if not units and not viewer.staff.is_superuser:
        qs = Dossier.objects.none()
    else:
        qs = unit_dossiers(
            actor_of(request),
            unit_code=unit_code,
            status=status,
            procedure=procedure,
            green=green,
            due=due,
            q=q,
            now=now,
        )
    qs = qs.select_related("procedure", "unit", "applicant")
    page = _page(request, qs)
    cals = Calendars()
    rows = [
        {"dossier": d, "step": None, "clock": dossier_clock(d, cals, now=now)}
        for d in page.object_list
    ]
    return _worklist(
        request, _("Hồ sơ của đơn vị"), form=form, rows=rows, page=page, mine=False, units=units
    )
