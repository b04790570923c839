"""The calendar page: a year of exceptional days with their sources, for any staff member (D2)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.org.models import Unit
from motcua.workdays.models import FIRST_YEAR, LAST_YEAR
from motcua.workdays.selectors import (
    describe_hours_owner,
    list_exceptional_days,
    office_hours_for,
    week_of,
)


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "workdays/not_found.html",
        {"message": message, "this_year": timezone.localdate().year},
        status=404,
    )


@login_required
@require_GET
def this_year(request: HttpRequest) -> HttpResponse:
    year = min(max(timezone.localdate().year, FIRST_YEAR), LAST_YEAR)
    return redirect("workdays:year", year=year)


@login_required
@require_GET
def year_page(request: HttpRequest, year: int) -> HttpResponse:
    code = request.GET.get("unit", "").strip()
    unit = None
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            return _not_found(
                request,
                _("Không có đơn vị mã “%(code)s”. Hãy chọn một đơn vị trong danh sách.")
                % {"code": code},
            )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return _not_found(
            request,
            _("Lịch làm việc chỉ có các năm %(first)s–%(last)s; không có năm %(year)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR, "year": year},
        )
    days = list_exceptional_days(year=year, unit=unit)
    hours = office_hours_for(unit)
    return render(
        request,
        "workdays/year.html",
        {
            "year": year,
            "unit": unit,
            "units": Unit.objects.filter(active=True).order_by("code").only("code", "name"),
            "days": days,
            "days_off": sum(1 for d in days if not d.working),
            "days_worked": sum(1 for d in days if d.working),
            "week": week_of(unit),
            "hours_owner": describe_hours_owner(unit, hours),
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
        },
    )
