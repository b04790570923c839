"""Keeping and reading the roll-ups of the reports (`motcua.reports.models`).

* `refresh_facts` recomputes finished months from the raw tables with the report's own code
  (`selectors.grouped_counts` grouped by unit and procedure version, one month at a time so that
  memory stays small at any volume; the unit totals are the sums over the procedures), and the
  daily rows of every unit for the days of those months (`daily.daily_counts`, a fixed number of
  queries a month), replaces their rows in one transaction and gives the planner fresh statistics
  of them (`_analyze`). Two runs at once take turns (a locked row, `core.periodic.exclusive`)
  and a second run replaces the first's rows: refreshing is idempotent. The nightly task
  (`motcua.reports.tasks`) refreshes the last ``MOTCUA_REPORT_REFRESH_MONTHS`` finished months
  (default 2: a paper dossier entered late or a recomputed due lands in the month it belongs to)
  and every finished month never rolled up (or rolled up before the daily rows existed);
  ``motcua refresh_reports --all`` rebuilds everything.
  A roll-up is stale when a dossier was entered after it into one of its months (its id is above
  the month's watermark): such months are read from the raw tables until the next refresh.
* `report_with_facts` answers a report from the roll-ups for the leading part of its period that
  they cover, cut into pieces — the whole months it holds (`MonthlyFact`) and, where it starts
  or ends inside a month, the days of that month (`DailyFact`, whole units only: a report by
  procedure or field, or of one procedure or field, uses the months alone and must start on a
  first) — and from the raw tables for the rest. Flows add up over the pieces; the stock carried
  over is the first piece's, the stocks at the end the last piece's. So a 17-day period costs
  about what a month costs. When the roll-ups and the raw tail do not meet exactly (the raw
  tables changed after the roll-up: the identities would break at the seam), it answers None and
  the caller computes everything from the raw tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Model, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.periodic import exclusive
from motcua.dossiers.models import Dossier
from motcua.reports.daily import daily_counts, days_of
from motcua.reports.models import DailyFact, FactMonth, MonthlyFact
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
    # a month rolled up before the daily rows existed counts as never rolled up
    done = set(FactMonth.objects.filter(days=True).values_list("month", flat=True))
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
    with transaction.atomic():
        # two runs at once (two workers, or the task beside `refresh_reports`) take turns: the
        # second replaces the first's rows instead of colliding on the unique constraint
        exclusive("reports.refresh_facts")
        watermark = Dossier.objects.aggregate(m=Max("pk"))["m"] or 0
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
            _refresh_days(month, now)
            FactMonth.objects.update_or_create(
                month=month,
                defaults={"refreshed_at": now, "dossier_watermark": watermark, "days": True},
            )
        _analyze((FactMonth, MonthlyFact, DailyFact))
    return wanted


def _analyze(models: Iterable[type[Model]]) -> None:
    """Fresh statistics for the roll-up tables (plain ``ANALYZE``: PostgreSQL and SQLite both).

    The rows were just replaced in bulk, in one transaction, and the reports read them at once:
    without statistics the planner guesses. On PostgreSQL at 1,000,000 dossiers a guess that
    reads the 17 days of a period with a sequential scan of ``reports_dailyfact`` (a row per unit
    and day: a million rows) costs ~220 ms instead of ~3 ms; autovacuum comes too late, if at all.
    Inside refresh's transaction: a second run waits for the first (`exclusive`), and PostgreSQL
    samples this transaction's own rows."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _refresh_days(month: date, now: datetime) -> None:
    """The daily rows of every unit for the days of ``month`` (inside refresh's transaction)."""
    period = Period(month, next_month(month))
    DailyFact.objects.filter(day__gte=period.start, day__lt=period.end).delete()
    days = days_of(period)
    rows: list[DailyFact] = []
    for (unit_id,), per_day in daily_counts(
        period=period, scope=Scope(), keys=("unit_id",), now=now
    ).items():
        rows.extend(
            DailyFact(day=day, unit_id=unit_id, **counts)
            for day, counts in zip(days, per_day, strict=True)
            if any(counts.values())
        )
    # written day by day (at most units × 31 rows a month): a run of days is a run of pages
    rows.sort(key=lambda row: (row.day, row.unit_id))
    DailyFact.objects.bulk_create(rows, batch_size=2000)


@dataclass(frozen=True)
class _Piece:
    """``[start, end)`` read from the roll-ups: whole months (`MonthlyFact`) or the days of one
    month (`DailyFact`)."""

    start: date
    end: date
    whole_months: bool

    def months(self) -> list[date]:
        out, month = [], self.start
        while month < self.end:
            out.append(month)
            month = next_month(month)
        return out


def _pieces(period: Period, now: datetime, *, days_ok: bool) -> list[_Piece]:
    """The leading part of ``period`` that the roll-ups cover, cut into pieces: whole months
    where the period holds them, the days of a rolled-up month where it starts or ends inside
    it (``days_ok``: the daily rows hold whole units only)."""
    marks = {
        m: (watermark, days)
        for m, watermark, days in FactMonth.objects.filter(
            month__gte=period.start.replace(day=1), month__lt=period.end
        ).values_list("month", "dossier_watermark", "days")
    }
    pieces: list[_Piece] = []
    cursor = period.start
    while cursor < period.end:
        month = cursor.replace(day=1)
        after = next_month(month)
        if month not in marks or local_midnight(after) > now:
            break
        if cursor == month and after <= period.end:
            if pieces and pieces[-1].whole_months:
                pieces[-1] = _Piece(pieces[-1].start, after, whole_months=True)
            else:
                pieces.append(_Piece(month, after, whole_months=True))
            cursor = after
        elif days_ok and marks[month][1]:
            end = min(after, period.end)
            pieces.append(_Piece(cursor, end, whole_months=False))
            cursor = end
        else:
            break
    if pieces:
        # A dossier entered after the roll-up into one of its months (a paper dossier received
        # while the system was down) makes it stale: read the raw tables until the next refresh.
        used = [
            m for piece in pieces for m in (piece.months() if piece.whole_months else [piece.start])
        ]
        lowest = min(marks[m.replace(day=1)][0] for m in used)
        late = Dossier.objects.filter(pk__gt=lowest, received_at__lt=local_midnight(cursor))
        if late.exists():
            return []
    return pieces


def _stock_aggregates(first: Q | None, last: Q | None) -> dict[str, Sum]:
    """A sum of each figure; ``carried_over`` only over ``first``, the stocks at the end only
    over ``last`` (None: over every row). A sum over no row is NULL: read it with `_counts_of`."""
    aggregates: dict[str, Sum] = {}
    for fig in FIGURES:
        only = first if fig == "carried_over" else last if fig in STOCKS else None
        aggregates[f"sum_{fig}"] = Sum(fig, filter=only)
    return aggregates


def _counts_of(sums: Iterable[Any]) -> dict[str, int]:
    """The figures of one row of `_stock_aggregates` sums, in `FIGURES` order."""
    return {fig: int(value or 0) for fig, value in zip(FIGURES, sums, strict=True)}


def _fact_rows(*, piece: _Piece, scope: Scope, group_by: str) -> dict[Any, dict[str, int]]:
    """The counts of ``piece`` per group (per month when grouping by month): one aggregate query
    over the roll-up rows it covers."""
    if not piece.whole_months:
        days = DailyFact.objects.filter(day__gte=piece.start, day__lt=piece.end)
        if scope.unit_ids is not None:
            days = days.filter(unit_id__in=sorted(scope.unit_ids))
        last = date.fromordinal(piece.end.toordinal() - 1)
        aggregates = _stock_aggregates(Q(day=piece.start), Q(day=last))
        if group_by == "month":
            values = days.aggregate(**aggregates)
            counts = _counts_of(values[name] for name in aggregates)
            return {piece.start.replace(day=1): counts} if any(counts.values()) else {}
        return {
            unit_id: _counts_of(sums)
            for unit_id, *sums in days.values_list("unit_id").annotate(**aggregates).order_by()
        }
    months = piece.months()
    qs = MonthlyFact.objects.filter(month__gte=months[0], month__lte=months[-1])
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
    if group_by == "month" or len(months) == 1:  # a row per month: its own stocks
        aggregates = _stock_aggregates(None, None)
    else:
        aggregates = _stock_aggregates(Q(month=months[0]), Q(month=months[-1]))
    return {
        group: _counts_of(sums)
        for group, *sums in qs.values_list(key).annotate(**aggregates).order_by()
    }


def _chain(parts: list[dict[Any, dict[str, int]]]) -> dict[Any, dict[str, int]]:
    """Consecutive pieces of one group: the flows add up, ``carried_over`` is the first piece's
    and the stocks at the end are the last piece's (a group absent from a piece had nothing)."""
    if len(parts) == 1:  # one piece: its counts as they are
        return parts[0]
    out: dict[Any, dict[str, int]] = {}
    for key in {k for part in parts for k in part}:
        counts = dict.fromkeys(FIGURES, 0)
        for part in parts:
            for fig, value in part.get(key, {}).items():
                if fig not in STOCKS:
                    counts[fig] += value
        counts["carried_over"] = parts[0].get(key, {}).get("carried_over", 0)
        for fig in ("in_progress", "in_progress_overdue"):
            counts[fig] = parts[-1].get(key, {}).get(fig, 0)
        out[key] = counts
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
    days_ok = not (scope.procedure_code or scope.field_code) and group_by in ("unit", "month")
    pieces = _pieces(period, now, days_ok=days_ok)
    if not pieces:
        return None
    mode = rounding_mode()
    split = pieces[-1].end
    parts = [_fact_rows(piece=piece, scope=scope, group_by=group_by) for piece in pieces]
    tail: Report | None = None
    if split < period.end:
        tail_period = Period(split, period.end)
        if group_by == "month":
            tail = _report_by_month(tail_period, scope, now, mode)
        else:
            tail = raw_report(period=tail_period, scope=scope, group_by=group_by, now=now)

    if group_by == "month":
        by_month: dict[Any, dict[str, int]] = {}
        for part in parts:
            by_month.update(part)
        rows: list[Row] = []
        for piece in pieces:
            for month in piece.months() if piece.whole_months else [piece.start.replace(day=1)]:
                row = Row(key=month_key(month), name=month_name(month), mode=mode)
                row.counts.update(by_month.get(month, {}))
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

    facts = _chain(parts)
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
