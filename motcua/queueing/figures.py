"""The floor's figures (issue 17 §7): per group, counter, officer and hour of the day — tickets,
average and 90th-percentile wait and service time, no-shows, booking use and ratings — as a page
with bar charts and as an Excel workbook. Aggregate SQL; the 90th percentile is one ordered
single-row query per line (a handful of lines per unit), on both databases."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.org.models import Unit
from motcua.org.requests import actor_of
from motcua.org.selectors import units_of
from motcua.queueing.models import Booking, BookingStatus, Ticket, TicketStatus
from motcua.surveys.models import CounterRating, Overall

DIMENSIONS: dict[str, tuple[str, Any]] = {
    "group": ("group__name", gettext_lazy("Nhóm dịch vụ")),
    "counter": ("counter__number", gettext_lazy("Quầy")),
    "officer": ("officer__full_name", gettext_lazy("Công chức")),
    "hour": ("hour", gettext_lazy("Giờ trong ngày")),
}


@dataclass
class Line:
    key: Any
    label: str
    tickets: int = 0
    served: int = 0
    no_shows: int = 0
    booked: int = 0
    avg_wait: float | None = None
    p90_wait: int | None = None
    avg_service: float | None = None
    p90_service: int | None = None
    ratings: dict[str, int] = field(default_factory=dict)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfied_pct(self) -> float | None:
        n = self.rated
        if not n:
            return None
        good = self.ratings.get(Overall.VERY_SATISFIED, 0) + self.ratings.get(Overall.SATISFIED, 0)
        return round(100 * good / n, 2)


def _tickets(unit: Unit, start: date, end: date) -> QuerySet[Ticket]:
    return Ticket.objects.filter(unit=unit, day__gte=start, day__lte=end).annotate(
        hour=ExtractHour("issued_at")
    )


def _p90(qs: QuerySet[Ticket], column: str, n: int) -> int | None:
    if n <= 0:
        return None
    index = (9 * (n - 1) + 9) // 10  # nearest rank: ceil(0.9 n) - 1
    index = min(max(index, 0), n - 1)
    value = (
        qs.filter(**{f"{column}__isnull": False})
        .order_by(column)
        .values_list(column, flat=True)[index : index + 1]
    )
    found = list(value)
    return int(found[0]) if found else None


def figures_of(unit: Unit, start: date, end: date, by: str) -> list[Line]:
    column, _label = DIMENSIONS[by]
    qs = _tickets(unit, start, end)
    rows = (
        qs.values(column)
        .annotate(
            tickets=Count("pk"),
            served=Count("pk", filter=Q(status=TicketStatus.SERVED)),
            no_shows=Count("pk", filter=Q(status=TicketStatus.NO_SHOW)),
            booked=Count("pk", filter=Q(booked=True)),
            avg_wait=Avg("wait_seconds"),
            avg_service=Avg("service_seconds"),
            waits=Count("wait_seconds"),
            services=Count("service_seconds"),
        )
        .order_by(column)
    )
    lines: list[Line] = []
    for row in rows:
        key = row[column]
        sub = (
            qs.filter(**{column: key})
            if key is not None
            else qs.filter(**{f"{column}__isnull": True})
        )
        line = Line(
            key=key,
            label=_label_of(by, key),
            tickets=row["tickets"],
            served=row["served"],
            no_shows=row["no_shows"],
            booked=row["booked"],
            avg_wait=round(row["avg_wait"], 1) if row["avg_wait"] is not None else None,
            avg_service=round(row["avg_service"], 1) if row["avg_service"] is not None else None,
            p90_wait=_p90(sub, "wait_seconds", row["waits"]),
            p90_service=_p90(sub, "service_seconds", row["services"]),
        )
        lines.append(line)
    rating_column = {
        "group": "ticket__group__name",
        "counter": "counter__number",
        "officer": "officer__full_name",
        "hour": "hour",
    }[by]
    ratings = CounterRating.objects.filter(
        unit=unit, ticket__day__gte=start, ticket__day__lte=end
    ).annotate(hour=ExtractHour("ticket__issued_at"))
    by_key = {line.key: line for line in lines}
    for row in ratings.values(rating_column, "overall").annotate(n=Count("pk")):
        rated = by_key.get(row[rating_column])
        if rated is not None:
            rated.ratings[row["overall"]] = row["n"]
    return lines


def _label_of(by: str, key: Any) -> str:
    if key is None:
        return "—"
    if by == "counter":
        return _("Quầy %(n)s") % {"n": key}
    if by == "hour":  # ExtractHour works in the current (local) time zone
        return f"{int(key):02d}:00–{int(key):02d}:59"
    return str(key)


@dataclass
class BookingFigures:
    booked: int
    checked_in: int
    cancelled: int
    no_shows: int


def booking_figures(unit: Unit, start: date, end: date, now: Any = None) -> BookingFigures:
    now = now or timezone.now()
    qs = Booking.objects.filter(unit=unit, slot_start__date__gte=start, slot_start__date__lte=end)
    agg = qs.aggregate(
        booked=Count("pk"),
        checked_in=Count("pk", filter=Q(status=BookingStatus.CHECKED_IN)),
        cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
        no_shows=Count("pk", filter=Q(status=BookingStatus.BOOKED, slot_end__lt=now)),
    )
    return BookingFigures(**agg)


# ------------------------------------------------------------------------------------ faces
def _unit_for(request: HttpRequest, code: str) -> Unit:
    actor = actor_of(request)
    unit = units_of(actor).filter(code=code[:40]).first()
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị, hoặc bạn không làm việc tại đơn vị này."))
    return unit


def _period(request: HttpRequest) -> tuple[date, date, str]:
    today = timezone.localdate()

    def parse(name: str, default: date) -> date:
        text = request.GET.get(name, "")
        try:
            value = date.fromisoformat(text) if text.isascii() and len(text) == 10 else default
        except ValueError:
            return default
        return value if date(2000, 1, 1) <= value <= date(2100, 12, 31) else default

    start = parse("from", today - timedelta(days=30))
    end = parse("to", today)
    if end < start:
        start, end = end, start
    by = request.GET.get("by", "group")
    return start, end, by if by in DIMENSIONS else "group"


@never_cache
@login_required
@require_GET
def figures_page(request: HttpRequest, unit: str) -> HttpResponse:
    found = _unit_for(request, unit)
    start, end, by = _period(request)
    lines = figures_of(found, start, end, by)
    top = max((line.tickets for line in lines), default=0) or 1
    for line in lines:
        line.bar = round(100 * line.tickets / top)  # type: ignore[attr-defined]
    return render(
        request,
        "queueing/figures.html",
        {
            "unit": found,
            "start": start,
            "end": end,
            "by": by,
            "dimensions": [(k, v[1]) for k, v in DIMENSIONS.items()],
            "lines": lines,
            "bookings": booking_figures(found, start, end),
            "levels": Overall.choices,
        },
    )


@never_cache
@login_required
@require_GET
def figures_xlsx(request: HttpRequest, unit: str) -> HttpResponse:
    from openpyxl import Workbook

    found = _unit_for(request, unit)
    start, end, _by = _period(request)
    book = Workbook()
    book.remove(book.active)
    headers = [
        _("Số đã cấp"),
        _("Đã phục vụ"),
        _("Vắng mặt"),
        _("Đặt lịch"),
        _("Chờ trung bình (giây)"),
        _("Chờ P90 (giây)"),
        _("Phục vụ trung bình (giây)"),
        _("Phục vụ P90 (giây)"),
        *[str(label) for _v, label in Overall.choices],
        _("Tỷ lệ hài lòng (%)"),
    ]
    for by, (_column, title) in DIMENSIONS.items():
        sheet = book.create_sheet(str(title)[:31])
        sheet.append([str(title), *headers])
        for line in figures_of(found, start, end, by):
            sheet.append(
                [
                    line.label,
                    line.tickets,
                    line.served,
                    line.no_shows,
                    line.booked,
                    line.avg_wait,
                    line.p90_wait,
                    line.avg_service,
                    line.p90_service,
                    *[line.ratings.get(v, 0) for v, _label in Overall.choices],
                    line.satisfied_pct,
                ]
            )
    b = booking_figures(found, start, end)
    sheet = book.create_sheet(_("Đặt lịch")[:31])
    sheet.append([_("Đã đặt"), _("Đã đến"), _("Đã hủy"), _("Không đến")])
    sheet.append([b.booked, b.checked_in, b.cancelled, b.no_shows])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="so-lieu-quay-{found.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    )
    return response
