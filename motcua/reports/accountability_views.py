"""The accountability pages (issue 22): who consumed the time (with the drill-down to the
dossiers and their apologies, and the Excel export) and the Decision 766 board. Every figure
comes from `reports.attribution` / `reports.board766`, the same code as the API."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from motcua.org.models import Staff
from motcua.org.requests import actor_of
from motcua.reports import board766, quality, xlsx
from motcua.reports.accountability_xlsx import overtime_workbook
from motcua.reports.attribution import GROUPS, drill_down, overtime_report
from motcua.reports.views import _parse_period, _units_for

GROUP_LABELS = {
    "unit": gettext_lazy("Đơn vị"),
    "division": gettext_lazy("Phòng, bộ phận"),
    "officer": gettext_lazy("Cán bộ"),
    "procedure": gettext_lazy("Thủ tục"),
    "step": gettext_lazy("Bước xử lý"),
}


def _scope(request: HttpRequest, staff: Staff) -> tuple[object, frozenset[int] | None]:
    code = request.GET.get("unit") or None
    try:
        return quality.unit_scope(staff, code)
    except quality.UnitNotFound as exc:
        raise Http404(str(exc)) from exc


@login_required
@require_GET
def overtime(request: HttpRequest) -> HttpResponse:
    """Late steps and overtime per unit, division, officer, procedure or step; ``key`` opens
    the late steps of one group with their dossiers and apologies; ``format=xlsx`` exports."""
    staff: Staff = actor_of(request)
    unit, unit_ids = _scope(request, staff)
    period, error = _parse_period(request)
    group_by = request.GET.get("group_by") or "unit"
    if group_by not in GROUPS:
        group_by, error = "unit", _("Cách nhóm không hợp lệ; đã nhóm theo đơn vị.")
    result = overtime_report(
        period=period, unit_ids=unit_ids, group_by=group_by, now=timezone.now()
    )
    if request.GET.get("format") == "xlsx":
        answer = HttpResponse(overtime_workbook(result), content_type=xlsx.CONTENT_TYPE)
        name = f"cham-muon-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
        answer["Content-Disposition"] = f'attachment; filename="{name}"'
        return answer
    key = request.GET.get("key") or ""
    base = {"from": period.start.isoformat(), "to": period.end.isoformat(), "group_by": group_by}
    if unit is not None:
        base["unit"] = unit.code  # type: ignore[attr-defined]
    return render(
        request,
        "reports/overtime.html",
        {
            "unit": unit,
            "units": _units_for(staff),
            "period": period,
            "last_day": period.end - timedelta(days=1),
            "error": error,
            "result": result,
            "group_by": group_by,
            "groups": [(g, GROUP_LABELS[g]) for g in GROUPS],
            "group_label": GROUP_LABELS[group_by],
            "key": key,
            "details": drill_down(result, key) if key else [],
            "query": urlencode(base),
        },
    )


@login_required
@require_GET
def board_766(request: HttpRequest) -> HttpResponse:
    """The 766 board of a unit for a period, its trend per month and its rank among its peers."""
    staff: Staff = actor_of(request)
    mine = _units_for(staff)
    code = request.GET.get("unit") or (mine[0].code if mine else "")
    if not code:
        return render(
            request,
            "reports/message.html",
            {
                "title": _("Bộ chỉ số 766"),
                "message": _("Bạn chưa thuộc đơn vị nào nên chưa có số liệu để xem."),
            },
            status=403,
        )
    try:
        unit, unit_ids = quality.unit_scope(staff, code)
    except quality.UnitNotFound as exc:
        raise Http404(str(exc)) from exc
    assert unit is not None  # noqa: S101 - a code was given
    period, error = _parse_period(request)
    now = timezone.now()
    result = board766.board(period=period, unit_ids=unit_ids, now=now)
    rank, peers, scores = board766.rank_among_peers(unit=unit, period=period, now=now)
    trend = board766.trend(end=period.end, unit_ids=unit_ids, now=now)
    return render(
        request,
        "reports/board766.html",
        {
            "unit": unit,
            "units": mine,
            "period": period,
            "last_day": period.end - timedelta(days=1),
            "error": error,
            "board": result,
            "weights": board766.weights_total(),
            "rank": rank,
            "peers": peers,
            "scores": scores,
            "trend": trend,
        },
    )
