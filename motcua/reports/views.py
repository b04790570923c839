"""The statistics pages: the board of a unit with charts (leaders, the city), the ranking, and
the public transparency page. Every figure comes from `reports.selectors` / `reports.quality`,
the same code as the API; the charts are drawn by the vendored Chart.js (no build step)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.org.models import Staff, Unit
from motcua.org.requests import actor_of
from motcua.org.selectors import subtree_ids, units_of
from motcua.reports import board766, quality
from motcua.reports.selectors import VN, Period, Row, Scope, next_month, report


def _month_start(on: date) -> date:
    return on.replace(day=1)


def _parse_period(request: HttpRequest) -> tuple[Period, str]:
    """The period of the query (default: this month); an error message when it is bad.

    The pages' form sends ``from`` and ``den`` ("Đến ngày"), both days included, as people read
    a period; links in the API's manner send ``from`` and ``to``, the day after the last (the API
    keeps its exclusive ``to``, API.md). Inside, a `Period` always ends the day after the last."""
    today = timezone.localtime(timezone.now(), VN).date()
    default = Period(_month_start(today), next_month(today))
    raw_from, raw_last, raw_to = (request.GET.get(k) for k in ("from", "den", "to"))
    if not raw_from and not raw_to and not raw_last:
        return default, ""
    try:
        start = date.fromisoformat(raw_from or "")
        if raw_last:
            end = date.fromisoformat(raw_last) + timedelta(days=1)
        else:
            end = date.fromisoformat(raw_to or "")
    except (ValueError, OverflowError):
        return default, _("Ngày không hợp lệ; hãy chọn lại (dạng năm-tháng-ngày).")
    if start >= end:
        return default, _("“Từ ngày” phải trước hoặc trùng “Đến ngày”.")
    if start.year < 1900 or end.year > 2200:
        return default, _("Ngày phải trong khoảng năm 1900–2200.")
    if (end - start).days > 3660:
        return default, _("Kỳ báo cáo dài tối đa 10 năm.")
    return Period(start, end), ""


def _chart_rows(rows: list[Row]) -> dict[str, list[Any]]:
    return {
        "labels": [r.name for r in rows],
        "received": [r.received for r in rows],
        "early": [r.resolved_early for r in rows],
        "on_time": [r.resolved_on_time for r in rows],
        "late": [r.resolved_late for r in rows],
        "in_progress": [r.in_progress for r in rows],
        "overdue": [r.in_progress_overdue for r in rows],
        "on_time_rate": [
            float(r.on_time_rate) if r.on_time_rate is not None else None for r in rows
        ],
    }


def _units_for(staff: Staff) -> list[Unit]:
    if staff.is_superuser:
        return list(Unit.objects.filter(active=True, parent__isnull=True).order_by("code")) or list(
            Unit.objects.filter(active=True).order_by("code")[:1]
        )
    return list(units_of(staff).order_by("code"))


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The board of a unit (and its subtree) for a period: figures, charts, the sub-units."""
    staff: Staff = actor_of(request)
    mine = _units_for(staff)
    code = request.GET.get("unit") or (mine[0].code if mine else "")
    if not code:
        return render(
            request,
            "reports/message.html",
            {
                "title": _("Thống kê"),
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
    scope = Scope(unit_ids=unit_ids)
    result = report(period=period, scope=scope, group_by="unit", now=now)
    # the last twelve months up to the period's end, month by month
    last = _month_start(period.end - timedelta(days=1))
    first = last
    for _i in range(11):
        first = _month_start(first - timedelta(days=1))
    months = report(period=Period(first, next_month(last)), scope=scope, group_by="month", now=now)
    children = list(Unit.objects.filter(parent=unit, active=True).order_by("code"))
    query = urlencode(
        {"from": period.start.isoformat(), "to": period.end.isoformat(), "unit": unit.code}
    )
    return render(
        request,
        "reports/board.html",
        {
            "unit": unit,
            "units": mine,
            "children": children,
            "period": period,
            "last_day": period.end - timedelta(days=1),
            "error": error,
            "report": result,
            "total": result.total,
            "months": months,
            "months_last_day": months.period.end - timedelta(days=1),
            "chart_months": _chart_rows(months.rows),
            "chart_units": _chart_rows(result.rows),
            "query": query,
            "now": now,
        },
    )


def _ranked_among_peers(staff: Staff, unit: Unit | None) -> Unit | None:
    """A unit with no unit below it (a ward, a department) is ranked among its peers — the
    units of the same parent and kind (`board766.peers`, the 766 board's rule) — not alone in
    its own subtree. The unit asked for, else the caller's only unit; None: rank the scope."""
    if unit is None:
        mine = _units_for(staff)
        unit = mine[0] if len(mine) == 1 else None
    if unit is None or unit.parent_id is None:
        return None
    if Unit.objects.filter(parent=unit, active=True).exists():
        return None
    return unit


@login_required
@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    """The units ranked on the documented score; small units listed apart."""
    staff: Staff = actor_of(request)
    code = request.GET.get("unit") or None
    try:
        unit, unit_ids = quality.unit_scope(staff, code)
    except quality.UnitNotFound as exc:
        raise Http404(str(exc)) from exc
    period, error = _parse_period(request)
    focus = _ranked_among_peers(staff, unit)
    if focus is not None:
        unit_ids = frozenset().union(*(subtree_ids(p) for p in board766.peers(focus)))
    ranked, apart = quality.ranking(period=period, unit_ids=unit_ids, now=timezone.now())
    return render(
        request,
        "reports/ranking.html",
        {
            "unit": unit,
            "focus": focus,
            "period": period,
            "last_day": period.end - timedelta(days=1),
            "error": error,
            "ranked": ranked,
            "apart": apart,
            "minimum": quality.minimum_volume(),
        },
    )


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    """The public transparency page: this year's figures of every unit (no personal data)."""
    today = timezone.localtime(timezone.now(), VN).date()
    period = Period(date(today.year, 1, 1), today + timedelta(days=1))
    result = report(period=period, scope=Scope(), group_by="unit")
    return render(
        request,
        "reports/public.html",
        {"report": result, "total": result.total, "period": period, "last_day": today},
    )
