"""Keeping and reading the monthly roll-ups (`motcua.reports.models`).

* `refresh_facts` recomputes finished months from the raw tables with the report's own code
  (`selectors.grouped_counts` grouped by unit and procedure version, one month at a time so that
  memory stays small at any volume; the unit totals are the sums over the procedures) and
  replaces their rows in one transaction. The nightly task (`motcua.reports.tasks`) refreshes the
  last ``MOTCUA_REPORT_REFRESH_MONTHS`` finished months (default 2: a paper dossier entered late
  or a recomputed due lands in the month it belongs to) and every finished month never rolled up;
  ``motcua refresh_reports --all`` rebuilds everything. A roll-up is stale when a dossier was
  entered after it into one of its months (its id is above the month's watermark): such months
  are read from the raw tables until the next refresh.
* `report_with_facts` answers a report whose period starts on the first of a month from the
  roll-ups for its leading whole, rolled-up months and from the raw tables for the rest. When
  the two do not meet exactly (the raw tables changed after the roll-up: the identities would
  break at the seam), it answers None and the caller computes everything from the raw tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier
from motcua.reports.models import FactMonth, MonthlyFact
from motcua.reports.selectors import (
    FIGURES,
    STOCKS,
    VN,
    Period,
    Report,
    Row,
    Scope,
    _names,
    _report_by_month,
    chain_months,
    grouped_counts,
    local_midnight,
    month_key,
    month_name,
    next_month,
    raw_report,
    rounding_mode,
    sum_rows,
)

_FACT_KEYS = {"unit": "unit_id", "procedure": "procedure__code", "field": "procedure__field_id"}


def finished_months(now: datetime) -> list[date]:
    """Every month from the first received dossier's to the last one over at ``now``."""
    first = (
        Dossier.objects.filter(effective_received_at__isnull=False)
        .order_by("effective_received_at")
        .values_list("effective_received_at", flat=True)
        .first()
    )
    if first is None:
        return []
    month = timezone.localtime(first, VN).date().replace(day=1)
    out: list[date] = []
    while local_midnight(next_month(month)) <= now:
        out.append(month)
        month = next_month(month)
    return out


def months_to_refresh(now: datetime) -> list[date]:
    """The months the nightly task recomputes (see the module docstring)."""
    months = finished_months(now)
    recent = int(getattr(settings, "MOTCUA_REPORT_REFRESH_MONTHS", 2))
    done = set(FactMonth.objects.values_list("month", flat=True))
    return [m for i, m in enumerate(months) if m not in done or i >= len(months) - recent]


def refresh_facts(
    *, months: Iterable[date] | None = None, now: datetime | None = None
) -> list[date]:
    """Recompute the roll-ups of ``months`` (first days of finished months; default: the
    nightly choice) from the raw tables. Returns the months written."""
    now = now or timezone.now()
    wanted = sorted(
        {m.replace(day=1) for m in (months if months is not None else months_to_refresh(now))}
    )
    wanted = [m for m in wanted if local_midnight(next_month(m)) <= now]
    if not wanted:
        return []
    watermark = Dossier.objects.aggregate(m=Max("pk"))["m"] or 0
    with transaction.atomic():
        MonthlyFact.objects.filter(month__in=wanted).delete()
        for month in wanted:  # one month at a time: memory stays small at any volume
            per_procedure = grouped_counts(
                period=Period(month, next_month(month)),
                scope=Scope(),
                keys=("unit_id", "procedure_id"),
                now=now,
            )
            # the whole unit: the sum over its procedures (disjoint groups add up, stocks too)
            per_unit: dict[int, dict[str, int]] = {}
            rows: list[MonthlyFact] = []
            for (unit_id, procedure_id), counts in per_procedure.items():
                sums = per_unit.setdefault(unit_id, dict.fromkeys(FIGURES, 0))
                for fig in FIGURES:
                    sums[fig] += counts[fig]
                if any(counts.values()):
                    rows.append(
                        MonthlyFact(
                            month=month, unit_id=unit_id, procedure_id=procedure_id, **counts
                        )
                    )
            rows.extend(
                MonthlyFact(month=month, unit_id=unit_id, procedure_id=None, **counts)
                for unit_id, counts in per_unit.items()
                if any(counts.values())
            )
            MonthlyFact.objects.bulk_create(rows, batch_size=2000)
            FactMonth.objects.update_or_create(
                month=month, defaults={"refreshed_at": now, "dossier_watermark": watermark}
            )
    return wanted


def _covered(period: Period, now: datetime) -> list[date]:
    """The leading whole months of ``period`` that are rolled up."""
    if period.start.day != 1:
        return []
    marks = dict(
        FactMonth.objects.filter(month__gte=period.start, month__lt=period.end).values_list(
            "month", "dossier_watermark"
        )
    )
    done = set(marks)
    out: list[date] = []
    month = period.start
    while (
        month in done
        and next_month(month) <= period.end
        and local_midnight(next_month(month)) <= now
    ):
        out.append(month)
        month = next_month(month)
    if out:
        # A dossier entered after the roll-up into one of its months (a paper dossier received
        # while the system was down) makes it stale: read the raw tables until the next refresh.
        lowest = min(marks[m] for m in out)
        late = Dossier.objects.filter(
            pk__gt=lowest, received_at__lt=local_midnight(next_month(out[-1]))
        )
        if late.exists():
            return []
    return out


def _fact_rows(*, covered: list[date], scope: Scope, group_by: str) -> dict[Any, dict[str, int]]:
    qs = MonthlyFact.objects.filter(month__gte=covered[0], month__lte=covered[-1])
    if scope.unit_ids is not None:
        qs = qs.filter(unit_id__in=sorted(scope.unit_ids))
    by_procedure = bool(scope.procedure_code or scope.field_code) or group_by in (
        "procedure",
        "field",
    )
    qs = qs.filter(procedure__isnull=not by_procedure)
    if scope.procedure_code:
        qs = qs.filter(procedure__code=scope.procedure_code)
    if scope.field_code:
        qs = qs.filter(procedure__field__code=scope.field_code)
    key = "month" if group_by == "month" else _FACT_KEYS[group_by]
    first, last = covered[0], covered[-1]
    aggregates: dict[str, Any] = {}
    for fig in FIGURES:
        only: Q | None = None
        if group_by != "month" and fig == "carried_over":
            only = Q(month=first)
        elif group_by != "month" and fig in STOCKS:
            only = Q(month=last)
        aggregates[f"sum_{fig}"] = Coalesce(Sum(fig, filter=only), 0)
    out: dict[Any, dict[str, int]] = {}
    for values in qs.values(key).annotate(**aggregates).order_by():
        out[values[key]] = {fig: int(values[f"sum_{fig}"]) for fig in FIGURES}
    return out


def _holds(row: Row) -> bool:
    c = row.counts
    return (
        c["carried_over"] + c["received"] == c["resolved"] + c["in_progress"] + c["stopped"]
        and c["resolved"] == c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"]
    )


def report_with_facts(
    *, period: Period, scope: Scope, group_by: str, now: datetime
) -> Report | None:
    """The report from the roll-ups and the raw tables, or None (see the module docstring)."""
    covered = _covered(period, now)
    if not covered:
        return None
    mode = rounding_mode()
    split = next_month(covered[-1])
    facts = _fact_rows(covered=covered, scope=scope, group_by=group_by)
    tail: Report | None = None
    if split < period.end:
        tail_period = Period(split, period.end)
        if group_by == "month":
            tail = _report_by_month(tail_period, scope, now, mode)
        else:
            tail = raw_report(period=tail_period, scope=scope, group_by=group_by, now=now)

    if group_by == "month":
        rows: list[Row] = []
        for month in covered:
            row = Row(key=month_key(month), name=month_name(month), mode=mode)
            row.counts.update(facts.get(month, {}))
            rows.append(row)
        if tail is not None:
            if (
                rows
                and tail.rows
                and (rows[-1].counts["in_progress"] != tail.rows[0].counts["carried_over"])
            ):
                return None
            rows.extend(tail.rows)
        if not all(_holds(r) for r in rows):
            return None
        return Report(
            period=period,
            group_by=group_by,
            rows=rows,
            total=chain_months(rows, _("Tổng cộng"), mode),
            as_of=min(period.end_at, now),
        )

    names = _names(group_by, facts)
    merged: dict[str, tuple[str, Row]] = {}
    for raw_key, counts in facts.items():
        sort_key, public_key, name = names.get(raw_key, (str(raw_key), str(raw_key), "—"))
        row = Row(key=public_key, name=name, mode=mode)
        row.counts.update(counts)
        merged[public_key] = (sort_key, row)
    if tail is not None:
        for _sort, fact_row in merged.values():  # the stocks at the end come from the tail
            fact_row.counts["in_progress"] = 0
            fact_row.counts["in_progress_overdue"] = 0
        for tail_row in tail.rows:
            if tail_row.key not in merged:
                empty = Row(key=tail_row.key, name=tail_row.name, mode=mode)
                merged[tail_row.key] = (
                    tail_row.key if group_by != "field" else tail_row.name,
                    empty,
                )
            row = merged[tail_row.key][1]
            for fig in FIGURES:
                if fig == "carried_over":
                    continue
                if fig in STOCKS:
                    row.counts[fig] = tail_row.counts[fig]
                else:
                    row.counts[fig] += tail_row.counts[fig]
    ordered = [row for _sort, row in sorted(merged.values(), key=lambda pair: pair[0])]
    if not all(_holds(r) for r in ordered):
        return None
    return Report(
        period=period,
        group_by=group_by,
        rows=ordered,
        total=sum_rows(ordered, _("Tổng cộng"), mode),
        as_of=min(period.end_at, now),
    )
