"""The report's counts of every day of a period, per unit, in a fixed number of queries (for the
daily roll-ups, `motcua.reports.models.DailyFact`).

The same definitions as `motcua.reports.selectors` (module docstring), each day ``[d, d + 1)``
being a period of its own: the flows (received, resolved, stopped, apologies, green lane) are
grouped in SQL by the local day (Asia/Ho_Chi_Minh) of their instant; the stocks are chained from
the stock open at the period's start — ``in_progress(d) = carried_over(d) + received(d) -
resolved(d) - stopped(d)`` and ``carried_over(d + 1) = in_progress(d)`` — and the overdue part
from ``overdue(T) = #{due < T} - #{max(due, t) < T}`` (both cumulative counts, grouped by day too).
Only finished days are computed (a day that is not over would be judged at ``now``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Greatest, TruncDay
from django.utils import timezone

from motcua.dossiers.models import Apology, ApologyStatus, Channel, Outcome, Timeliness
from motcua.reports.selectors import (
    FIGURES,
    OVERDUE_ELIGIBLE,
    VN,
    Period,
    Scope,
    _grouped,
    annotated,
)


def days_of(period: Period) -> list[date]:
    out: list[date] = []
    day = period.start
    while day < period.end:
        out.append(day)
        day += timedelta(days=1)
    return out


def _by_day(
    qs: QuerySet[Any], expr: Any, keys: tuple[str, ...], **aggregates: Any
) -> dict[tuple[Any, ...], dict[str, int]]:
    """``aggregates`` grouped by ``keys`` and the local day of ``expr``: {(*keys, day): …}."""
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    grouped = (
        qs.annotate(_d=TruncDay(expr, tzinfo=VN))
        .values(*keys, "_d")
        .annotate(**aggregates)
        .order_by()
    )
    for values in grouped:
        day = values.pop("_d")
        if day is None:
            continue
        on = timezone.localtime(day, VN).date() if isinstance(day, datetime) else day
        key = tuple(values.pop(k) for k in keys)
        out[(*key, on)] = {k: int(v) for k, v in values.items()}
    return out


def daily_counts(
    *, period: Period, scope: Scope, keys: tuple[str, ...], now: datetime
) -> dict[tuple[Any, ...], list[dict[str, int]]]:
    """For each group of ``keys`` (Dossier value paths): the counts of each day of ``period``
    (finished by ``now``), in order; groups with nothing in the period are left out."""
    if period.end_at > now:
        raise ValueError("only finished days are rolled up")
    start_at, end_at = period.start_at, period.end_at
    days = days_of(period)
    base = annotated(scope)
    open_at_start = Q(_r__lt=start_at) & (Q(_t__isnull=True) | Q(_t__gte=start_at))
    first = _grouped(
        base.filter(open_at_start),
        keys,
        carried=Count("pk"),
        overdue=Count("pk", filter=Q(_due__lt=start_at) & OVERDUE_ELIGIBLE),
    )
    flows_r = _by_day(
        base.filter(_r__gte=start_at, _r__lt=end_at),
        F("_r"),
        keys,
        received=Count("pk"),
        received_online=Count("pk", filter=Q(channel=Channel.ONLINE)),
        received_counter=Count("pk", filter=Q(channel=Channel.COUNTER)),
        received_postal=Count("pk", filter=Q(channel=Channel.POSTAL)),
        green_lane_received=Count("pk", filter=Q(green_lane=True)),
    )
    early_or_on_time = Q(timeliness__in=[Timeliness.EARLY, Timeliness.ON_TIME])
    flows_ready = _by_day(
        base.filter(ready_at__gte=start_at, ready_at__lt=end_at),
        F("ready_at"),
        keys,
        resolved=Count("pk"),
        resolved_early=Count("pk", filter=Q(timeliness=Timeliness.EARLY)),
        resolved_on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
        resolved_late=Count("pk", filter=~early_or_on_time),
        resolved_not_eligible=Count("pk", filter=Q(outcome=Outcome.NOT_ELIGIBLE)),
        green_lane_resolved=Count("pk", filter=Q(green_lane=True)),
        green_lane_met_statutory=Count("pk", filter=Q(green_lane=True) & early_or_on_time),
        green_lane_met_target=Count(
            "pk", filter=Q(green_lane=True, ready_at__lte=F("green_lane_due_at"))
        ),
    )
    flows_stop = _by_day(
        base.filter(ready_at__isnull=True, stopped_at__gte=start_at, stopped_at__lt=end_at),
        F("stopped_at"),
        keys,
        stopped=Count("pk"),
    )
    due_in = _by_day(
        base.filter(OVERDUE_ELIGIBLE, _due__gte=start_at, _due__lt=end_at),
        F("_due"),
        keys,
        n=Count("pk"),
    )
    settled = base.filter(OVERDUE_ELIGIBLE, _t__isnull=False).annotate(
        _settled=Greatest(F("_due"), F("_t"))
    )
    settled_in = _by_day(
        settled.filter(_settled__gte=start_at, _settled__lt=end_at),
        F("_settled"),
        keys,
        n=Count("pk"),
    )
    apology_keys = tuple(f"dossier__{k}" for k in keys)
    apologies = _by_day(
        scope.filter(
            Apology.objects.filter(
                status=ApologyStatus.SIGNED, signed_at__gte=start_at, signed_at__lt=end_at
            ),
            prefix="dossier__",
        ),
        F("signed_at"),
        apology_keys,
        n=Count("pk"),
    )
    groups: set[tuple[Any, ...]] = {g for g, v in first.items() if any(v.values())}
    for flows in (flows_r, flows_ready, flows_stop, due_in, settled_in, apologies):
        groups.update(k[:-1] for k in flows)
    out: dict[tuple[Any, ...], list[dict[str, int]]] = {}
    for group in groups:
        carried = first.get(group, {}).get("carried", 0)
        overdue = first.get(group, {}).get("overdue", 0)
        rows: list[dict[str, int]] = []
        for day in days:
            c = dict.fromkeys(FIGURES, 0)
            for flows in (flows_r, flows_ready, flows_stop):
                c.update(flows.get((*group, day), {}))
            c["apologies"] = apologies.get((*group, day), {}).get("n", 0)
            c["carried_over"] = carried
            c["in_progress"] = carried + c["received"] - c["resolved"] - c["stopped"]
            overdue += due_in.get((*group, day), {}).get("n", 0)
            overdue -= settled_in.get((*group, day), {}).get("n", 0)
            c["in_progress_overdue"] = overdue
            carried = c["in_progress"]
            rows.append(c)
        out[group] = rows
    return out
