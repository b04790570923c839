"""Satisfaction, feedback figures and the ranking of units (issue 8, items 2–4; DOMAIN §10, §11,
§12; D13). Aggregate SQL through the ORM, grouped by unit; nothing is counted in Python.

Who sees what: `visible_unit_ids` — a staff member sees the statistics of the units where they
hold an active role and of every unit below them (a city leader sees the wards); a superuser
sees all. Another unit is "not found" (404), never "forbidden".

Satisfaction (§11.1, D13), per unit that received the dossiers, over the ratings GIVEN in the
period (`surveys.Rating.at`, `surveys.selectors.count_ratings_by_unit`): ``rated``, ``very_satisfied``, ``satisfied``, ``not_satisfied`` and
their shares; ``satisfaction_rate = (very_satisfied + satisfied) / rated``. Circular 01
indicators 1–3 are the mean points (0–2) over the dossiers RESOLVED in the period: 1 from the
dossier's class (early 2, on time 1, late 0); 2 from its counted steps' classes (mean over the
steps that were judged); 3 from the number of supplement requests (none 2, one 1, more 0; the
applicant's own fault is not recorded, so every request counts).

Feedback (§12, D11), per handling unit (or, before it is routed, the unit that took it in), over
the feedback RECEIVED in the period: by channel, by category, ``in_scope`` / ``out_of_scope`` /
``unclassified``; ``due`` = in-scope items whose respond-by time fell in the period and has
passed (``min(to, now)``), of which ``answered_on_time`` (answered by the respond-by time),
``answered_late`` and ``overdue`` (still unanswered). The 766 formulas (§10.2):
* PAKN handled on time = ``answered_on_time / due``;
* satisfaction in PAKN handling = ``(in_scope - answered_late - overdue) / in_scope`` — no rating
  of an answer is recorded yet, so "not satisfied or complained about late handling" counts the
  late ones;
* satisfaction in receiving and resolving TTHC = ``(resolved - rated not satisfied - resolved
  with in-scope feedback about it) / resolved``, over the dossiers resolved in the period.

Ranking (`rules.score`): on-time rate 40, online rate 20, satisfaction 20, feedback answered on
time 20, re-weighted over the components with data; units with fewer than
``settings.MOTCUA_RANKING_MIN_VOLUME`` (default 30) dossiers to resolve are listed apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, DossierStep, SupplementRequest, Timeliness
from motcua.feedback.models import Category, Channel, Feedback
from motcua.feedback.models import Status as FeedbackStatus
from motcua.org.models import Staff, Unit
from motcua.org.selectors import subtree_ids, units_of
from motcua.reports import rules
from motcua.reports.selectors import Period, Scope, report, rounding_mode
from motcua.surveys.models import Overall, Rating
from motcua.surveys.selectors import count_ratings_by_unit


class UnitNotFound(DomainError):
    code = "not_found"
    status = 404


# ------------------------------------------------------------------------------ visibility
def visible_unit_ids(staff: Staff) -> frozenset[int] | None:
    """The units whose statistics ``staff`` may read (None: every unit)."""
    if staff.is_superuser:
        return None
    ids: set[int] = set()
    for unit in units_of(staff):
        ids |= subtree_ids(unit)
    return frozenset(ids)


def unit_scope(staff: Staff, unit_code: str | None) -> tuple[Unit | None, frozenset[int] | None]:
    """The unit asked for (or None: all the caller's units) and the unit ids of its subtree."""
    visible = visible_unit_ids(staff)
    if not unit_code:
        return None, visible
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None or (visible is not None and unit.pk not in visible):
        raise UnitNotFound(
            f"Không tìm thấy đơn vị {unit_code}, hoặc đơn vị không thuộc phạm vi bạn được xem."
        )
    return unit, frozenset(subtree_ids(unit))


def _in(qs: Any, path: str, unit_ids: frozenset[int] | None) -> Any:
    return qs if unit_ids is None else qs.filter(**{f"{path}__in": sorted(unit_ids)})


# ------------------------------------------------------------------------------ satisfaction
@dataclass
class Satisfaction:
    unit_id: int
    rated: int = 0
    very_satisfied: int = 0
    satisfied: int = 0
    not_satisfied: int = 0
    resolved: int = 0
    indicator_1: Decimal | None = None
    indicator_2: Decimal | None = None
    indicator_3: Decimal | None = None
    mode: rules.Rounding = rules.Rounding.HALF_UP

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rules.rate(self.very_satisfied + self.satisfied, self.rated, self.mode)

    def share(self, level: str) -> Decimal | None:
        return rules.rate(int(getattr(self, level)), self.rated, self.mode)


def _mean(points: int | None, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(points or 0) / Decimal(count)).quantize(Decimal("0.01"))


def satisfaction(*, period: Period, unit_ids: frozenset[int] | None) -> dict[int, Satisfaction]:
    """Per unit: the ratings given in the period and Circular 01 indicators 1–3."""
    mode = rounding_mode()
    start_at, end_at = period.start_at, period.end_at
    out: dict[int, Satisfaction] = {}
    for r in count_ratings_by_unit(start_at=start_at, end_at=end_at, unit_ids=unit_ids):
        out[r.unit_id] = Satisfaction(
            unit_id=r.unit_id,
            rated=r.rated,
            very_satisfied=r.very_satisfied,
            satisfied=r.satisfied,
            not_satisfied=r.not_satisfied,
            mode=mode,
        )
    supplements = (
        SupplementRequest.objects.filter(dossier=OuterRef("pk"))
        .order_by()
        .values("dossier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    resolved = (
        _in(Dossier.objects, "unit_id", unit_ids)
        .filter(ready_at__gte=start_at, ready_at__lt=end_at)
        .annotate(n_supp=Coalesce(Subquery(supplements, output_field=IntegerField()), 0))
        .values("unit_id")
        .annotate(
            resolved=Count("pk"),
            p1=Sum(
                Case(
                    When(timeliness=Timeliness.EARLY, then=Value(2)),
                    When(timeliness=Timeliness.ON_TIME, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            ),
            p3=Sum(
                Case(
                    When(n_supp=0, then=Value(2)),
                    When(n_supp=1, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            ),
        )
        .order_by()
    )
    for r in resolved:
        s = out.setdefault(r["unit_id"], Satisfaction(unit_id=r["unit_id"], mode=mode))
        s.resolved = r["resolved"]
        s.indicator_1 = _mean(r["p1"], r["resolved"])
        s.indicator_3 = _mean(r["p3"], r["resolved"])
    steps = (
        _in(DossierStep.objects, "dossier__unit_id", unit_ids)
        .filter(
            dossier__ready_at__gte=start_at,
            dossier__ready_at__lt=end_at,
            counted=True,
            timeliness__in=[Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE],
        )
        .values("dossier__unit_id")
        .annotate(
            judged=Count("pk"),
            p2=Sum(
                Case(
                    When(timeliness=Timeliness.EARLY, then=Value(2)),
                    When(timeliness=Timeliness.ON_TIME, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            ),
        )
        .order_by()
    )
    for r in steps:
        s = out.setdefault(
            r["dossier__unit_id"], Satisfaction(unit_id=r["dossier__unit_id"], mode=mode)
        )
        s.indicator_2 = _mean(r["p2"], r["judged"])
    return out


# ------------------------------------------------------------------------------ feedback
@dataclass
class FeedbackFigures:
    key: str
    name: str
    received: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    in_scope: int = 0
    out_of_scope: int = 0
    unclassified: int = 0
    due: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    overdue: int = 0
    mode: rules.Rounding = rules.Rounding.HALF_UP

    @property
    def on_time_rate(self) -> Decimal | None:
        return rules.rate(self.answered_on_time, self.due, self.mode)

    @property
    def handling_satisfaction_rate(self) -> Decimal | None:
        bad = self.answered_late + self.overdue
        return rules.rate(max(self.in_scope - bad, 0), self.in_scope, self.mode)


def _feedback_unit_q(unit_ids: frozenset[int] | None) -> Q:
    if unit_ids is None:
        return Q()
    ids = sorted(unit_ids)
    return Q(unit_id__in=ids) | Q(unit__isnull=True, intake_unit_id__in=ids)


def feedback_figures(
    *, period: Period, unit_ids: frozenset[int] | None, now: datetime
) -> tuple[list[FeedbackFigures], FeedbackFigures]:
    """Per unit (handling unit, or the intake unit before routing) and a total."""
    mode = rounding_mode()
    start_at, end_at = period.start_at, period.end_at
    cut = min(end_at, now)
    base: Any = Feedback.objects.filter(_feedback_unit_q(unit_ids))
    received: Any = base.filter(received_at__gte=start_at, received_at__lt=end_at).annotate(
        _unit=Coalesce("unit_id", "intake_unit_id")
    )
    per_unit: dict[Any, FeedbackFigures] = {}

    def get(unit_id: Any) -> FeedbackFigures:
        return per_unit.setdefault(unit_id, FeedbackFigures(key="", name="", mode=mode))

    channel_counts = {f"ch_{c}": Count("pk", filter=Q(channel=c)) for c in Channel.values}
    category_counts = {f"cat_{c}": Count("pk", filter=Q(category=c)) for c in Category.values}
    r: dict[str, Any]
    for r in (
        received.values("_unit")
        .annotate(
            n=Count("pk"),
            scope_in=Count("pk", filter=Q(in_scope=True)),
            scope_out=Count("pk", filter=Q(in_scope=False)),
            **channel_counts,
            **category_counts,
        )
        .order_by()
    ):
        f = get(r["_unit"])
        f.received = r["n"]
        f.in_scope = r["scope_in"]
        f.out_of_scope = r["scope_out"]
        f.unclassified = r["n"] - r["scope_in"] - r["scope_out"]
        f.by_channel = {c: r[f"ch_{c}"] for c in Channel.values if r[f"ch_{c}"]}
        f.by_category = {c: r[f"cat_{c}"] for c in Category.values if r[f"cat_{c}"]}
    open_statuses = [FeedbackStatus.NEW, FeedbackStatus.CLASSIFIED, FeedbackStatus.FORWARDED]
    for r in (
        base.filter(in_scope=True, respond_by__gte=start_at, respond_by__lt=cut)
        .annotate(_unit=Coalesce("unit_id", "intake_unit_id"))
        .values("_unit")
        .annotate(
            due=Count("pk"),
            on_time=Count(
                "pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("respond_by"))
            ),
            late=Count("pk", filter=Q(answered_at__isnull=False, answered_at__gt=F("respond_by"))),
            overdue=Count("pk", filter=Q(answered_at__isnull=True, status__in=open_statuses)),
        )
        .order_by()
    ):
        f = get(r["_unit"])
        f.due, f.answered_on_time = r["due"], r["on_time"]
        f.answered_late, f.overdue = r["late"], r["overdue"]
    units = {
        pk: (code, name)
        for pk, code, name in Unit.objects.filter(
            pk__in=[k for k in per_unit if k is not None]
        ).values_list("pk", "code", "name")
    }
    rows: list[FeedbackFigures] = []
    total = FeedbackFigures(key="total", name="Tổng cộng", mode=mode)
    for unit_id, f in per_unit.items():
        f.key, f.name = units.get(unit_id, ("", "Cấp thành phố (chưa phân loại)"))
        rows.append(f)
        for attr in ("received", "in_scope", "out_of_scope", "unclassified", "due"):
            setattr(total, attr, getattr(total, attr) + getattr(f, attr))
        for attr in ("answered_on_time", "answered_late", "overdue"):
            setattr(total, attr, getattr(total, attr) + getattr(f, attr))
        for c, n in f.by_channel.items():
            total.by_channel[c] = total.by_channel.get(c, 0) + n
        for c, n in f.by_category.items():
            total.by_category[c] = total.by_category.get(c, 0) + n
    rows.sort(key=lambda f: f.key)
    return rows, total


def tthc_satisfaction_rate(*, period: Period, unit_ids: frozenset[int] | None) -> Decimal | None:
    """766: (resolved − rated not satisfied − with in-scope feedback) / resolved (§10.2)."""
    good, resolved = tthc_satisfaction_counts(period=period, unit_ids=unit_ids)
    return rules.rate(good, resolved, rounding_mode())


def tthc_satisfaction_counts(*, period: Period, unit_ids: frozenset[int] | None) -> tuple[int, int]:
    """(resolved − rated not satisfied − with in-scope feedback, resolved) over the dossiers
    resolved in ``period`` (§10.2)."""
    start_at, end_at = period.start_at, period.end_at
    resolved = _in(Dossier.objects, "unit_id", unit_ids).filter(
        ready_at__gte=start_at, ready_at__lt=end_at
    )
    figures = resolved.aggregate(
        n=Count("pk", distinct=True),
        bad=Count(
            "pk",
            distinct=True,
            filter=Q(
                Exists(Rating.objects.filter(dossier=OuterRef("pk"), overall=Overall.NOT_SATISFIED))
            )
            | Q(feedback__in_scope=True),
        ),
    )
    return int(figures["n"] - figures["bad"]), int(figures["n"])


# ------------------------------------------------------------------------------ ranking
@dataclass
class RankedUnit:
    code: str
    name: str
    volume: int
    resolved: int
    rates: dict[str, Decimal | None]
    score: Decimal | None
    rank: int | None = None
    tied: bool = False


def minimum_volume() -> int:
    return int(getattr(settings, "MOTCUA_RANKING_MIN_VOLUME", 30))


def ranking(
    *, period: Period, unit_ids: frozenset[int] | None, now: datetime, min_volume: int | None = None
) -> tuple[list[RankedUnit], list[RankedUnit]]:
    """(ranked units, units listed apart), over the units of ``unit_ids`` that receive
    dossiers (communes, departments, service centres) or have any figure in the period."""
    mode = rounding_mode()
    minimum = minimum_volume() if min_volume is None else min_volume
    dossiers = report(period=period, scope=Scope(unit_ids=unit_ids), group_by="unit", now=now)
    by_code = {row.key: row for row in dossiers.rows}
    sat = satisfaction(period=period, unit_ids=unit_ids)
    fb_rows, _total = feedback_figures(period=period, unit_ids=unit_ids, now=now)
    fb = {f.key: f for f in fb_rows}
    units = _in(Unit.objects.filter(active=True), "pk", unit_ids)
    receiving = Q(kind__in=[Unit.Kind.COMMUNE, Unit.Kind.DEPARTMENT, Unit.Kind.SERVICE_CENTER])
    listed = units.filter(receiving | Q(code__in=list(by_code))).values_list("pk", "code", "name")
    entries: list[RankedUnit] = []
    for pk, code, name in listed.order_by("code"):
        row = by_code.get(code)
        s = sat.get(pk)
        f = fb.get(code)
        rates: dict[str, Decimal | None] = {
            "on_time_rate": row.on_time_rate if row else None,
            "online_rate": row.online_rate if row else None,
            "satisfaction_rate": s.satisfaction_rate if s else None,
            "feedback_on_time_rate": f.on_time_rate if f else None,
        }
        entries.append(
            RankedUnit(
                code=code,
                name=name,
                volume=row.to_resolve if row else 0,
                resolved=row.resolved if row else 0,
                rates=rates,
                score=rules.score(rates, mode=mode),
            )
        )
    kept_codes, _apart = rules.split_by_volume(((e.code, e.volume) for e in entries), minimum)
    kept = [e for e in entries if e.code in set(kept_codes) and e.score is not None]
    apart = [e for e in entries if e not in kept]
    kept.sort(key=lambda e: (-e.volume, e.code))  # among equal scores: the larger volume first
    order = {e.code: e for e in kept}
    ranked: list[RankedUnit] = []
    for r in rules.rank([(e.code, e.score or Decimal(0)) for e in kept]):
        e = order[r.key]
        e.rank, e.tied = r.rank, r.tied
        ranked.append(e)
    apart.sort(key=lambda e: (-e.volume, e.code))
    return ranked, apart
