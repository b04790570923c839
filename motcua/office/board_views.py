"""For leaders and supervisors: the apologies waiting for a signature, the unit board and the
supervisor board across units. Figures are aggregate queries; lists are short and sliced."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.dossiers import policy
from motcua.dossiers.models import OPEN_STATUSES, OPEN_STEP_STATUSES, Dossier, DossierStep, Status
from motcua.dossiers.selectors import (
    dossiers_supervised_by,
    facts_of,
    overdue_q,
    with_details,
    work_order,
)
from motcua.office.dossier_views import get_viewer
from motcua.office.presenters import Calendars, dossier_clock
from motcua.office.selectors import (
    UNIT_FIGURES,
    assignable_staff,
    board_counts,
    board_counts_by_unit,
    count_waiting_apologies_by_unit,
    list_waiting_apologies,
    local_day_bounds,
    unit_dossiers,
    units_for,
)
from motcua.org.models import Role, Unit
from motcua.org.selectors import supervised_unit_ids
from motcua.reports.forecast import at_risk_steps

LIST_LIMIT = 30


def _forbidden(request: HttpRequest, title: str, message: str) -> HttpResponse:
    return render(request, "office/message.html", {"title": title, "message": message}, status=403)


def _rows(dossiers: list[Dossier]) -> list[dict[str, object]]:
    now = timezone.now()
    cals = Calendars()
    return [{"dossier": d, "clock": dossier_clock(d, cals, now=now)} for d in dossiers]


@login_required
@require_GET
def apologies(request: HttpRequest) -> HttpResponse:
    """The leader's desk: every draft apology they may sign, green lane first."""
    viewer = get_viewer(request)
    if not (viewer.units_with(Role.LEADER) or viewer.staff.is_superuser):
        return _forbidden(
            request,
            _("Phiếu xin lỗi chờ ký"),
            _("Chỉ Lãnh đạo đơn vị mới ký phiếu xin lỗi; trang này dành cho Lãnh đạo đơn vị."),
        )
    waiting = list(list_waiting_apologies(viewer)[:100])
    dossiers = {
        d.pk: d
        for d in with_details(
            Dossier.objects.filter(pk__in={a.dossier_id for a in waiting}), events=False
        )
    }
    now = timezone.now()
    rows = []
    for apology in waiting:
        refusal = policy.refusal(
            policy.SIGN_APOLOGY,
            facts_of(dossiers[apology.dossier_id]),
            viewer.actor,
            now=now,
            apology_id=apology.pk,
        )
        rows.append({"apology": apology, "refusal": refusal.message if refusal else ""})
    return render(request, "office/apologies.html", {"rows": rows})


def _at_risk(viewer: Any, qs: Any, now: Any) -> list[dict[str, object]]:
    """The open steps of the board's dossiers flagged by the forecast ("nguy cơ trễ hạn": due
    within a working day, risk at least 50 %, `motcua.reports.forecast`), with who may take
    them over; the head reassigns from here."""
    candidates = list(
        DossierStep.objects.filter(
            dossier__in=qs,
            status__in=OPEN_STEP_STATUSES,
            counted=True,
            due_at__gt=now,
            due_at__lte=now + timedelta(days=5),  # a working day ahead is never further
        )
        .select_related("dossier__procedure", "unit", "assignee")
        .order_by("due_at")[:200]
    )
    rows: list[dict[str, object]] = []
    for step, risk in at_risk_steps(candidates, now=now)[:LIST_LIMIT]:
        facts = facts_of(step.dossier)
        can_assign = policy.ASSIGN in policy.allowed(facts, viewer.actor, now=now)
        rows.append(
            {
                "step": step,
                "risk": risk,
                "percent": round(risk.late_risk * 100),
                "assignees": assignable_staff(step) if can_assign else [],
            }
        )
    return rows


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The unit board: today's intake, overdue, due today, green lane, apologies waiting."""
    viewer = get_viewer(request)
    roles = (Role.LEADER, Role.HEAD, Role.SUPERVISOR)
    units = units_for(viewer, *roles) if not viewer.staff.is_superuser else units_for(viewer)
    if not units:
        return _forbidden(
            request,
            _("Bảng điều hành"),
            _(
                "Bảng điều hành dành cho Lãnh đạo đơn vị, Lãnh đạo phòng và cán bộ kiểm tra, "
                "giám sát của đơn vị."
            ),
        )
    code = request.GET.get("unit") or units[0].code
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404(_("Không có đơn vị này trong các đơn vị bạn điều hành."))
    now = timezone.now()
    qs = unit_dossiers(viewer, unit)
    counts = board_counts(qs, now=now)
    waiting = list(list_waiting_apologies(viewer).filter(dossier__in=qs)[:LIST_LIMIT])
    related = ("procedure", "unit", "applicant")
    overdue = list(work_order(qs.filter(overdue_q(now))).select_related(*related)[:LIST_LIMIT])
    _start, end = local_day_bounds(timezone.localdate(now))
    due_today = list(
        work_order(
            qs.filter(
                status__in=[Status.RECEIVED, Status.IN_PROGRESS], due_at__gte=now, due_at__lt=end
            )
        ).select_related(*related)[:LIST_LIMIT]
    )
    green = list(
        work_order(qs.filter(status__in=OPEN_STATUSES, green_lane=True)).select_related(*related)[
            :LIST_LIMIT
        ]
    )
    ctx = {
        "at_risk": _at_risk(viewer, qs, now),
        "unit": unit,
        "units": units,
        "counts": counts,
        "waiting": waiting,
        "waiting_count": len(waiting),
        "overdue": _rows(overdue),
        "due_today": _rows(due_today),
        "green": _rows(green),
        "limit": LIST_LIMIT,
        "now": now,
    }
    return render(request, "office/board.html", ctx)


@login_required
@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    """The supervisor board: every unit overseen, its figures, and the overdue dossiers."""
    viewer = get_viewer(request)
    if not (viewer.units_with(Role.SUPERVISOR) or viewer.staff.is_superuser):
        return _forbidden(
            request,
            _("Giám sát"),
            _("Trang giám sát dành cho cán bộ kiểm tra, giám sát."),
        )
    now = timezone.now()
    ids = None if viewer.staff.is_superuser else supervised_unit_ids(viewer.staff)
    qs = dossiers_supervised_by(viewer.staff)
    by_unit = board_counts_by_unit(qs, now=now)
    apologies = count_waiting_apologies_by_unit(ids)
    unit_qs = Unit.objects.filter(active=True).order_by("code")
    if ids is not None:
        unit_qs = unit_qs.filter(pk__in=ids)
    zero = dict.fromkeys(UNIT_FIGURES, 0)
    rows: list[dict[str, Any]] = [
        {"unit": u, **by_unit.get(u.pk, zero), "apologies": apologies.get(u.pk, 0)}
        for u in unit_qs
        if u.pk in by_unit or ids is not None
    ]
    totals = {k: sum(int(r[k]) for r in rows) for k in (*UNIT_FIGURES, "apologies")}
    overdue = list(
        work_order(qs.filter(overdue_q(now))).select_related("procedure", "unit", "applicant")[
            : LIST_LIMIT * 2
        ]
    )
    ctx = {
        "rows": rows,
        "totals": totals,
        "overdue": _rows(overdue),
        "overdue_count": totals["overdue"],
        "limit": LIST_LIMIT * 2,
        "now": now,
    }
    return render(request, "office/supervision.html", ctx)
