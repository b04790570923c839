"""Statistics (API.md, Statistics): the dossier report as JSON and as Excel, the ranking of
units, the feedback figures and satisfaction. Thin: validate, call one selector, answer.

Staff only (the API's bearer token or session). ``unit`` is a unit code: the figures of that
unit's subtree; without it, of every unit the caller may see (`reports.quality.visible_unit_ids`).
A unit outside the caller's units is 404. ``from`` is inclusive, ``to`` exclusive, both local
dates in Asia/Ho_Chi_Minh; a bad date or ``from >= to`` is 422. Definitions of every figure:
`motcua.reports.selectors` (dossiers) and `motcua.reports.quality` (the rest).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field as PydanticField

from motcua.api.dossiers import local
from motcua.api.problems import Problem
from motcua.core.errors import InvalidInput
from motcua.org.requests import actor_of
from motcua.reports import quality, xlsx
from motcua.reports.selectors import FIGURES, Period, Row, Scope, report

router = Router(tags=["stats"])

MAX_DAYS = 3660  # ten years
ERRORS: dict[int, Any] = {401: Problem, 404: Problem, 422: Problem}


# ------------------------------------------------------------------------------- input
class PeriodIn(Schema):
    from_: date = PydanticField(
        ..., alias="from", description="first day, inclusive (YYYY-MM-DD, Asia/Ho_Chi_Minh)"
    )
    to: date = PydanticField(..., description="day after the last, exclusive (YYYY-MM-DD)")
    unit: str | None = PydanticField(
        None, max_length=40, description="unit code: that unit and every unit below it"
    )


class DossierStatsIn(PeriodIn):
    group_by: Literal["unit", "procedure", "field", "month"] = "unit"
    procedure: str | None = PydanticField(None, max_length=30, description="procedure code")
    field: str | None = PydanticField(None, max_length=20, description="field code")


class RankingIn(PeriodIn):
    min_volume: int | None = PydanticField(
        None, ge=0, le=1_000_000, description="minimum dossiers to resolve to be ranked"
    )


def _period(payload: PeriodIn) -> Period:
    if payload.from_ >= payload.to:
        raise InvalidInput(
            _("“from” (%(start)s) phải trước “to” (%(end)s); “to” là ngày sau ngày cuối kỳ.")
            % {"start": payload.from_.isoformat(), "end": payload.to.isoformat()},
            field="to",
        )
    if payload.from_.year < 1900 or payload.to.year > 2200:
        raise InvalidInput(_("Ngày phải trong khoảng năm 1900–2200."), field="from")
    if (payload.to - payload.from_).days > MAX_DAYS:
        raise InvalidInput(_("Kỳ báo cáo dài tối đa 10 năm."), field="to")
    return Period(payload.from_, payload.to)


# ------------------------------------------------------------------------------ output
class StatsRow(Schema):
    key: str
    name: str
    carried_over: int
    received: int
    received_online: int
    received_counter: int
    received_postal: int
    resolved: int
    resolved_early: int
    resolved_on_time: int
    resolved_late: int
    resolved_not_eligible: int
    in_progress: int
    in_progress_in_time: int
    in_progress_overdue: int
    stopped: int
    apologies: int
    green_lane_received: int
    green_lane_resolved: int
    green_lane_met_statutory: int
    green_lane_met_target: int
    to_resolve: int = PydanticField(description="carried_over + received")
    resolution_rate: float | None = PydanticField(description="% resolved / to_resolve")
    on_time_rate: float | None = PydanticField(description="% (early + on time) / resolved")
    online_rate: float | None = PydanticField(description="% received online / received")
    green_lane_target_rate: float | None


class DossierStats(Schema):
    from_: date = PydanticField(alias="from")
    to: date
    unit: str | None
    group_by: str
    as_of: datetime = PydanticField(description="when in-progress dossiers are judged overdue")
    rounding: Literal["half_up", "truncate"]
    items: list[StatsRow]
    total: StatsRow


def _row(row: Row) -> dict[str, Any]:
    data = row.as_dict()
    for key, value in data.items():
        if isinstance(value, Decimal):
            data[key] = float(value)
    return data


def _dossier_report(request: HttpRequest, q: DossierStatsIn) -> tuple[Any, str]:
    period = _period(q)
    unit, unit_ids = quality.unit_scope(actor_of(request), q.unit)
    scope = Scope(unit_ids=unit_ids, procedure_code=q.procedure, field_code=q.field)
    result = report(period=period, scope=scope, group_by=q.group_by)
    if unit is not None:
        title = unit.name
    elif unit_ids is None:
        title = _("Toàn hệ thống")
    else:
        title = _("Các đơn vị của bạn")
    return result, title


@router.get(
    "/dossiers",
    response={200: DossierStats, **ERRORS},
    summary="The dossier report",
    description="Carried over, received, resolved (early / on time / late), in progress "
    "(in time / overdue), stopped, apologies, green lane, and the rates, per group and in "
    "total. Always: carried_over + received = resolved + in_progress + stopped, and "
    "resolved = resolved_early + resolved_on_time + resolved_late.",
    by_alias=True,
)
def dossier_stats(request: HttpRequest, q: Query[DossierStatsIn]) -> dict[str, Any]:
    result, _title = _dossier_report(request, q)
    return {
        "from": result.period.start,
        "to": result.period.end,
        "unit": q.unit,
        "group_by": result.group_by,
        "as_of": local(result.as_of),
        "rounding": result.total.mode.value,
        "items": [_row(r) for r in result.rows],
        "total": _row(result.total),
    }


@router.get(
    "/dossiers.xlsx",
    response=ERRORS,
    summary="The dossier report as an Excel workbook",
    openapi_extra={
        "responses": {
            200: {
                "description": "The report in the layout of an official periodic report",
                "content": {xlsx.CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def dossier_stats_xlsx(request: HttpRequest, q: Query[DossierStatsIn]) -> HttpResponse:
    result, title = _dossier_report(request, q)
    content = xlsx.build_workbook(result, unit_name=title)
    answer = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    name = f"bao-cao-ho-so-{result.period.start:%Y%m%d}-{result.period.end:%Y%m%d}.xlsx"
    answer["Content-Disposition"] = f'attachment; filename="{name}"'
    return answer


# ------------------------------------------------------------------------------ ranking
class Rates(Schema):
    on_time_rate: float | None
    online_rate: float | None
    satisfaction_rate: float | None
    feedback_on_time_rate: float | None


class RankedOut(Schema):
    rank: int | None = PydanticField(description="null for a unit listed apart")
    tied: bool
    unit: str
    name: str
    volume: int = PydanticField(description="dossiers to resolve in the period")
    resolved: int
    score: float | None
    rates: Rates


class RankingOut(Schema):
    from_: date = PydanticField(alias="from")
    to: date
    min_volume: int
    weights: dict[str, int]
    items: list[RankedOut]
    apart: list[RankedOut] = PydanticField(
        description="units under the minimum volume or without any rate: listed, not ranked"
    )


def _ranked(e: quality.RankedUnit) -> dict[str, Any]:
    return {
        "rank": e.rank,
        "tied": e.tied,
        "unit": e.code,
        "name": e.name,
        "volume": e.volume,
        "resolved": e.resolved,
        "score": float(e.score) if e.score is not None else None,
        "rates": {k: float(v) if v is not None else None for k, v in e.rates.items()},
    }


@router.get(
    "/ranking",
    response={200: RankingOut, **ERRORS},
    summary="Units ranked on the documented score",
    description="score = weighted mean of on-time rate (40), online rate (20), satisfaction "
    "(20) and feedback answered on time (20), over the components with data. Equal scores "
    "share a rank (tied). Units under the minimum volume are listed apart.",
    by_alias=True,
)
def ranking(request: HttpRequest, q: Query[RankingIn]) -> dict[str, Any]:
    from motcua.reports.rules import DEFAULT_WEIGHTS

    period = _period(q)
    _unit, unit_ids = quality.unit_scope(actor_of(request), q.unit)
    minimum = quality.minimum_volume() if q.min_volume is None else q.min_volume
    ranked, apart = quality.ranking(
        period=period, unit_ids=unit_ids, now=timezone.now(), min_volume=minimum
    )
    return {
        "from": period.start,
        "to": period.end,
        "min_volume": minimum,
        "weights": dict(DEFAULT_WEIGHTS),
        "items": [_ranked(e) for e in ranked],
        "apart": [_ranked(e) for e in apart],
    }


# ------------------------------------------------------------------------------ feedback
class FeedbackRow(Schema):
    key: str
    name: str
    received: int
    by_channel: dict[str, int]
    by_category: dict[str, int]
    in_scope: int
    out_of_scope: int
    unclassified: int
    due: int = PydanticField(description="in scope, respond-by time in the period and passed")
    answered_on_time: int
    answered_late: int
    overdue: int
    on_time_rate: float | None = PydanticField(description="766: answered on time / due")
    handling_satisfaction_rate: float | None


class FeedbackStats(Schema):
    from_: date = PydanticField(alias="from")
    to: date
    unit: str | None
    items: list[FeedbackRow]
    total: FeedbackRow
    tthc_satisfaction_rate: float | None = PydanticField(
        description="766: (resolved - rated not satisfied - with in-scope feedback) / resolved"
    )


def _feedback_row(f: quality.FeedbackFigures) -> dict[str, Any]:
    return {
        "key": f.key,
        "name": f.name,
        "received": f.received,
        "by_channel": f.by_channel,
        "by_category": f.by_category,
        "in_scope": f.in_scope,
        "out_of_scope": f.out_of_scope,
        "unclassified": f.unclassified,
        "due": f.due,
        "answered_on_time": f.answered_on_time,
        "answered_late": f.answered_late,
        "overdue": f.overdue,
        "on_time_rate": _float(f.on_time_rate),
        "handling_satisfaction_rate": _float(f.handling_satisfaction_rate),
    }


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


@router.get(
    "/feedback",
    response={200: FeedbackStats, **ERRORS},
    summary="Feedback figures and the 766 satisfaction formulas",
    by_alias=True,
)
def feedback_stats(request: HttpRequest, q: Query[PeriodIn]) -> dict[str, Any]:
    period = _period(q)
    _unit, unit_ids = quality.unit_scope(actor_of(request), q.unit)
    rows, total = quality.feedback_figures(period=period, unit_ids=unit_ids, now=timezone.now())
    return {
        "from": period.start,
        "to": period.end,
        "unit": q.unit,
        "items": [_feedback_row(f) for f in rows],
        "total": _feedback_row(total),
        "tthc_satisfaction_rate": _float(
            quality.tthc_satisfaction_rate(period=period, unit_ids=unit_ids)
        ),
    }


# ------------------------------------------------------------------------------ satisfaction
class SatisfactionRow(Schema):
    unit: str
    name: str
    rated: int
    very_satisfied: int
    satisfied: int
    not_satisfied: int
    very_satisfied_share: float | None
    satisfied_share: float | None
    not_satisfied_share: float | None
    satisfaction_rate: float | None
    resolved: int
    indicator_1: float | None = PydanticField(description="Circular 01, mean points 0–2")
    indicator_2: float | None
    indicator_3: float | None


class SatisfactionStats(Schema):
    from_: date = PydanticField(alias="from")
    to: date
    unit: str | None
    items: list[SatisfactionRow]


@router.get(
    "/satisfaction",
    response={200: SatisfactionStats, **ERRORS},
    summary="Ratings per unit and Circular 01 indicators 1–3",
    by_alias=True,
)
def satisfaction_stats(request: HttpRequest, q: Query[PeriodIn]) -> dict[str, Any]:
    from motcua.org.models import Unit

    period = _period(q)
    _unit, unit_ids = quality.unit_scope(actor_of(request), q.unit)
    figures = quality.satisfaction(period=period, unit_ids=unit_ids)
    units = dict(Unit.objects.filter(pk__in=list(figures)).values_list("pk", "code"))
    names = dict(Unit.objects.filter(pk__in=list(figures)).values_list("pk", "name"))
    items = []
    for pk, s in sorted(figures.items(), key=lambda pair: units.get(pair[0], "")):
        items.append(
            {
                "unit": units.get(pk, ""),
                "name": names.get(pk, ""),
                "rated": s.rated,
                "very_satisfied": s.very_satisfied,
                "satisfied": s.satisfied,
                "not_satisfied": s.not_satisfied,
                "very_satisfied_share": _float(s.share("very_satisfied")),
                "satisfied_share": _float(s.share("satisfied")),
                "not_satisfied_share": _float(s.share("not_satisfied")),
                "satisfaction_rate": _float(s.satisfaction_rate),
                "resolved": s.resolved,
                "indicator_1": _float(s.indicator_1),
                "indicator_2": _float(s.indicator_2),
                "indicator_3": _float(s.indicator_3),
            }
        )
    return {"from": period.start, "to": period.end, "unit": q.unit, "items": items}


assert set(FIGURES) <= set(StatsRow.model_fields)  # noqa: S101 - the schema lists every figure


# ------------------------------------------------------------------ accountability (issue 22)
class OvertimeIn(PeriodIn):
    group_by: Literal["unit", "officer", "procedure", "step"] = "unit"


class OvertimeRowOut(Schema):
    key: str
    name: str
    late_steps: int
    overtime_working_hours: float = PydanticField(description="sum, working hours (8 a day)")
    dossiers_late: int = PydanticField(description="distinct dossiers with a late step")


class OvertimeStats(Schema):
    from_: date = PydanticField(alias="from")
    to: date
    unit: str | None
    group_by: str
    items: list[OvertimeRowOut]
    total: OvertimeRowOut


def _overtime(request: HttpRequest, q: OvertimeIn) -> Any:
    from motcua.reports.attribution import overtime_report

    period = _period(q)
    _unit, unit_ids = quality.unit_scope(actor_of(request), q.unit)
    return overtime_report(
        period=period, unit_ids=unit_ids, group_by=q.group_by, now=timezone.now()
    )


@router.get(
    "/overtime",
    response={200: OvertimeStats, **ERRORS},
    summary="Who consumed the time: late steps and overtime per group",
    description="The late steps whose own due fell in the period (finished after it, or still "
    "open past it), per unit, officer, procedure or procedure step: how many, the working hours "
    "past each step's own budget, and the dossiers concerned. Definitions: "
    "`motcua.reports.attribution`.",
    by_alias=True,
)
def overtime_stats(request: HttpRequest, q: Query[OvertimeIn]) -> dict[str, Any]:
    result = _overtime(request, q)
    return {
        "from": result.period.start,
        "to": result.period.end,
        "unit": q.unit,
        "group_by": result.group_by,
        "items": [r.as_dict() for r in result.rows],
        "total": result.total.as_dict(),
    }


@router.get(
    "/overtime.xlsx",
    response=ERRORS,
    summary="Late steps and overtime as an Excel workbook",
    openapi_extra={
        "responses": {
            200: {
                "description": "The groups and every late step with its dossier",
                "content": {xlsx.CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def overtime_stats_xlsx(request: HttpRequest, q: Query[OvertimeIn]) -> HttpResponse:
    from motcua.reports.accountability_xlsx import overtime_workbook

    result = _overtime(request, q)
    answer = HttpResponse(overtime_workbook(result), content_type=xlsx.CONTENT_TYPE)
    name = f"cham-muon-{result.period.start:%Y%m%d}-{result.period.end:%Y%m%d}.xlsx"
    answer["Content-Disposition"] = f'attachment; filename="{name}"'
    return answer


class IndicatorOut(Schema):
    code: str
    name: str
    points: int
    value: float | None = PydanticField(description="percentage; null: no data in MotCua")
    numerator: int | None
    denominator: int | None
    formula: str


class GroupOut(Schema):
    code: str
    name: str
    weight: int
    score: float | None = PydanticField(description="null: no indicator of the group has data")
    indicators: list[IndicatorOut]


class Board766(Schema):
    groups: list[GroupOut]
    total: float
    max_available: int = PydanticField(description="points of the indicators that have data")


@router.get(
    "/766",
    response={200: Board766, **ERRORS},
    summary="The Decision 766 board",
    description="The five groups of Decision 766/QĐ-TTg with their weights (sum 100) and every "
    "indicator MotCua can compute; `null` where MotCua has no data. Formulas: "
    "`motcua.reports.board766`.",
)
def board_766(request: HttpRequest, q: Query[PeriodIn]) -> dict[str, Any]:
    from motcua.reports.board766 import board

    period = _period(q)
    _unit, unit_ids = quality.unit_scope(actor_of(request), q.unit)
    return board(period=period, unit_ids=unit_ids, now=timezone.now()).as_dict()
