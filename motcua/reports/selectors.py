"""The dossier report (API.md, Statistics; DOMAIN §7.3, §9.3; D7, D12): aggregate SQL through the
ORM, the same code on SQLite and PostgreSQL. Rows of dossiers never come into Python: every figure
is a conditional ``Count`` in the database, grouped by unit, procedure, field or month.

A period is ``[from, to)`` of local dates in Asia/Ho_Chi_Minh: from the local midnight that
starts ``from`` (inclusive) to the local midnight that starts ``to`` (exclusive). The scope is a
set of units (a unit's subtree, `org.selectors.subtree_ids`), optionally one procedure (every
version of its code) or one field. A dossier belongs to the unit that RECEIVED it (`Dossier.unit`).

Definitions (each figure counts dossiers of the scope):
* A dossier is RECEIVED once it has an effective reception (`effective_received_at`, D5): the
  desk accepted it. Online or postal submissions still waiting for the desk's check, and those
  refused at intake (Mẫu 03), were never received and appear in no figure.
* Its reception instant ``r`` is `effective_received_at`; its closing instant ``t`` is `ready_at`
  (the result or the not-eligible notice is issued: "resolved") or `stopped_at` ("stopped"), none
  while it is open. Should a dossier be closed before its effective reception (worked on outside
  office hours before the next working period opened), ``r`` is taken as ``t``: a dossier is never
  closed before it is received, so every identity below is exact. A dossier whose clock restarts
  at a supplement (procedure policy RESTART) has a new effective reception and counts there.
* ``received``: ``from <= r < to``; split by channel (``received_online``, ``received_counter``,
  ``received_postal``) and ``green_lane_received``.
* ``carried_over``: ``r < from`` and not closed before ``from`` (``t`` none or ``t >= from``).
* ``resolved``: ``from <= ready_at < to`` (outcome approved or not eligible, D7 judged at ready
  time against `original_due_at`): ``resolved_early`` / ``resolved_on_time`` / ``resolved_late``
  by the stored `timeliness` (a resolved dossier without a class counts as late, so the three always
  add up); ``resolved_not_eligible`` is the part with the not-eligible notice.
* ``stopped``: ``from <= stopped_at < to`` (Circular 03/2025 Art. 7 stop notice).
* ``in_progress``: received before ``to`` and still open at ``to`` (``t`` none or ``t >= to``);
  ``in_progress_overdue`` is the part whose `original_due_at` (D7: the statutory due, moved only by
  the citizen's supplement pauses, never by an apology extension) lies before the moment judged,
  ``min(to, now)``; a dossier paused for a supplement is overdue only if it was already past due
  when the pause began. ``in_progress_in_time`` = ``in_progress - in_progress_overdue``.
* ``apologies``: apology letters (Mẫu 04) SIGNED in the period, for dossiers of the scope.
* green lane (D6): ``green_lane_resolved``; ``green_lane_met_statutory`` (early or on time against
  the statutory due) and ``green_lane_met_target`` (ready by `green_lane_due_at`).
* ``to_resolve`` = ``carried_over + received`` ("tổng số hồ sơ phải giải quyết", seed 000).

Identities that always hold (tested): ``carried_over + received = resolved + in_progress +
stopped`` and ``resolved = resolved_early + resolved_on_time + resolved_late``.

Rates (percentages, two decimals, D12 rounding: ``settings.MOTCUA_REPORT_ROUNDING``, "half_up" by
default or "truncate"; None over nothing): ``resolution_rate = resolved / to_resolve``
(seed 001: 54,513 / 55,582 = 98.08 %), ``on_time_rate = (early + on_time) / resolved``,
``online_rate = received_online / received``.

Grouping by month: each month of the period is a period of its own (its carried_over is the
previous month's in_progress). The flows are grouped in SQL with ``TruncMonth`` in
Asia/Ho_Chi_Minh; the stocks come from the identity and, for the overdue part, from
``overdue(T) = #{due < T} - #{max(due, t) < T}`` over the received dossiers — both cumulative
counts, grouped by month too — so a report of N months is a fixed number of queries.

Daily or monthly roll-ups (`motcua.reports.models.MonthlyFact`) make the same figures faster at
scale; `report` reads them for the whole months they cover and the raw tables for the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Field, Procedure
from motcua.dossiers.models import (
    Apology,
    ApologyStatus,
    Channel,
    Dossier,
    Outcome,
    Timeliness,
)
from motcua.org.models import Unit
from motcua.reports import rules

VN = ZoneInfo("Asia/Ho_Chi_Minh")

GROUPS = ("unit", "procedure", "field", "month")

#: Every count of a report row, in the order of the official layout.
FIGURES = (
    "carried_over",
    "received",
    "received_online",
    "received_counter",
    "received_postal",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_not_eligible",
    "in_progress",
    "in_progress_overdue",
    "stopped",
    "apologies",
    "green_lane_received",
    "green_lane_resolved",
    "green_lane_met_statutory",
    "green_lane_met_target",
)
#: The stocks: a sum over months is not their value over the months.
STOCKS = ("carried_over", "in_progress", "in_progress_overdue")


def rounding_mode() -> rules.Rounding:
    return rules.Rounding(getattr(settings, "MOTCUA_REPORT_ROUNDING", rules.Rounding.HALF_UP))


# ------------------------------------------------------------------------------ the period
@dataclass(frozen=True)
class Period:
    """``[start, end)`` of local dates (Asia/Ho_Chi_Minh)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError("a period needs start < end")

    @property
    def start_at(self) -> datetime:
        return local_midnight(self.start)

    @property
    def end_at(self) -> datetime:
        return local_midnight(self.end)

    def months(self) -> list[Period]:
        """The period cut at each first of a month (the first and last pieces may be partial)."""
        out: list[Period] = []
        cursor = self.start
        while cursor < self.end:
            nxt = min(next_month(cursor), self.end)
            out.append(Period(cursor, nxt))
            cursor = nxt
        return out


def local_midnight(on: date) -> datetime:
    return datetime.combine(on, time(0), tzinfo=VN)


def next_month(on: date) -> date:
    return date(on.year + on.month // 12, on.month % 12 + 1, 1)


def month_key(on: date) -> str:
    return f"{on.year:04d}-{on.month:02d}"


# ------------------------------------------------------------------------------- the rows
@dataclass
class Row:
    """One line of a report: a key, a name, the counts; the rates are derived."""

    key: str
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    mode: rules.Rounding = rules.Rounding.HALF_UP

    def __getattr__(self, name: str) -> Any:
        counts = self.__dict__.get("counts")
        if counts is not None and name in counts:
            return counts[name]
        raise AttributeError(name)

    @property
    def to_resolve(self) -> int:
        return self.counts["carried_over"] + self.counts["received"]

    @property
    def in_progress_in_time(self) -> int:
        return self.counts["in_progress"] - self.counts["in_progress_overdue"]

    @property
    def resolution_rate(self) -> Decimal | None:
        return rules.rate(self.counts["resolved"], self.to_resolve, self.mode)

    @property
    def on_time_rate(self) -> Decimal | None:
        c = self.counts
        return rules.rate(c["resolved_early"] + c["resolved_on_time"], c["resolved"], self.mode)

    @property
    def online_rate(self) -> Decimal | None:
        return rules.rate(self.counts["received_online"], self.counts["received"], self.mode)

    @property
    def green_lane_target_rate(self) -> Decimal | None:
        c = self.counts
        return rules.rate(c["green_lane_met_target"], c["green_lane_resolved"], self.mode)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            **self.counts,
            "to_resolve": self.to_resolve,
            "in_progress_in_time": self.in_progress_in_time,
            "resolution_rate": self.resolution_rate,
            "on_time_rate": self.on_time_rate,
            "online_rate": self.online_rate,
            "green_lane_target_rate": self.green_lane_target_rate,
        }


@dataclass
class Report:
    period: Period
    group_by: str
    rows: list[Row]
    total: Row
    as_of: datetime


# ------------------------------------------------------------------------------ the scope
@dataclass(frozen=True)
class Scope:
    """Which dossiers: received by one of ``unit_ids`` (None: every unit), optionally of one
    procedure code or one field code."""

    unit_ids: frozenset[int] | None = None
    procedure_code: str | None = None
    field_code: str | None = None

    def filter(self, qs: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
        if self.unit_ids is not None:
            qs = qs.filter(**{f"{prefix}unit_id__in": sorted(self.unit_ids)})
        if self.procedure_code:
            qs = qs.filter(**{f"{prefix}procedure__code": self.procedure_code})
        if self.field_code:
            qs = qs.filter(**{f"{prefix}procedure__field__code": self.field_code})
        return qs


# ------------------------------------------------------------------ expressions of a dossier
def _closed_at() -> Coalesce:
    """``t``: when the result / not-eligible notice was issued, or the dossier stopped."""
    return Coalesce(F("ready_at"), F("stopped_at"))


def _received_at() -> Least:
    """``r``: the effective reception, or the closing if that came first (see the docstring)."""
    return Least(
        F("effective_received_at"),
        Coalesce(F("ready_at"), F("stopped_at"), F("effective_received_at")),
    )


def _due_at() -> Greatest:
    """The statutory due of D7, never before ``r``."""
    return Greatest(Coalesce(F("original_due_at"), _received_at()), _received_at())


#: A dossier paused for a supplement is overdue only if it was past due when the pause began.
OVERDUE_ELIGIBLE = Q(paused_at__isnull=True) | Q(original_due_at__lt=F("paused_at"))


def annotated(scope: Scope) -> Any:
    """The received dossiers of the scope with ``_r``, ``_t``, ``_due`` as SQL expressions."""
    qs: Any = scope.filter(Dossier.objects.filter(effective_received_at__isnull=False))
    return qs.annotate(_r=_received_at(), _t=_closed_at()).annotate(_due=_due_at())


def _alive(qs: Any, start_at: datetime, end_at: datetime) -> Any:
    """Dossiers that appear in some figure of ``[start_at, end_at)``: received before the end and
    not closed before the start."""
    # received_at <= r always: the plain column lets the database use its (unit, received_at) index
    return qs.filter(
        Q(received_at__lt=end_at), Q(_r__lt=end_at), Q(_t__isnull=True) | Q(_t__gte=start_at)
    )


def _counts(start_at: datetime, end_at: datetime, as_of: datetime) -> dict[str, Count]:
    received = Q(_r__gte=start_at)
    ready = Q(ready_at__gte=start_at, ready_at__lt=end_at)
    open_at_end = Q(_t__isnull=True) | Q(_t__gte=end_at)
    early_or_on_time = Q(timeliness__in=[Timeliness.EARLY, Timeliness.ON_TIME])
    return {
        "carried_over": Count("pk", filter=Q(_r__lt=start_at)),
        "received": Count("pk", filter=received),
        "received_online": Count("pk", filter=received & Q(channel=Channel.ONLINE)),
        "received_counter": Count("pk", filter=received & Q(channel=Channel.COUNTER)),
        "received_postal": Count("pk", filter=received & Q(channel=Channel.POSTAL)),
        "resolved": Count("pk", filter=ready),
        "resolved_early": Count("pk", filter=ready & Q(timeliness=Timeliness.EARLY)),
        "resolved_on_time": Count("pk", filter=ready & Q(timeliness=Timeliness.ON_TIME)),
        "resolved_late": Count("pk", filter=ready & ~early_or_on_time),
        "resolved_not_eligible": Count("pk", filter=ready & Q(outcome=Outcome.NOT_ELIGIBLE)),
        "in_progress": Count("pk", filter=open_at_end),
        "in_progress_overdue": Count(
            "pk", filter=open_at_end & Q(_due__lt=as_of) & OVERDUE_ELIGIBLE
        ),
        "stopped": Count(
            "pk", filter=Q(ready_at__isnull=True, stopped_at__gte=start_at, stopped_at__lt=end_at)
        ),
        "green_lane_received": Count("pk", filter=received & Q(green_lane=True)),
        "green_lane_resolved": Count("pk", filter=ready & Q(green_lane=True)),
        "green_lane_met_statutory": Count(
            "pk", filter=ready & Q(green_lane=True) & early_or_on_time
        ),
        "green_lane_met_target": Count(
            "pk", filter=ready & Q(green_lane=True, ready_at__lte=F("green_lane_due_at"))
        ),
    }


# ------------------------------------------------------------------------------ group keys
_DOSSIER_KEYS = {"unit": "unit_id", "procedure": "procedure__code", "field": "procedure__field_id"}


def _names(group_by: str, keys: Iterable[Any]) -> dict[Any, tuple[str, str, str]]:
    """For each raw key: (sort key, public key, name), in a bounded number of queries."""
    keys = [k for k in keys if k is not None]
    if group_by == "unit":
        units = Unit.objects.filter(pk__in=keys).values_list("pk", "code", "name")
        return {pk: (code, code, name) for pk, code, name in units}
    if group_by == "procedure":
        names: dict[Any, tuple[str, str, str]] = {}
        for code, name in (
            Procedure.objects.filter(code__in=keys)
            .order_by("code", "effective_from")
            .values_list("code", "name")
        ):
            names[code] = (code, code, name)  # the latest version's name wins
        return names
    fields = Field.objects.filter(pk__in=keys).values_list("pk", "code", "name")
    return {pk: (name, code, name) for pk, code, name in fields}


def _blank_row(key: str, name: str, mode: rules.Rounding) -> Row:
    return Row(key=key, name=name, mode=mode)


# -------------------------------------------------------------------------------- the report
def report(
    *,
    period: Period,
    scope: Scope | None = None,
    group_by: str = "unit",
    now: datetime | None = None,
    use_facts: bool = True,
) -> Report:
    """The dossier report of ``period`` over ``scope``, one row per group and a total row."""
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {GROUPS}")
    scope = scope or Scope()
    now = now or timezone.now()
    mode = rounding_mode()
    if use_facts:
        from motcua.reports import facts

        combined = facts.report_with_facts(period=period, scope=scope, group_by=group_by, now=now)
        if combined is not None:
            return combined
    if group_by == "month":
        return _report_by_month(period, scope, now, mode)
    return raw_report(period=period, scope=scope, group_by=group_by, now=now)


def grouped_counts(
    *, period: Period, scope: Scope, keys: tuple[str, ...], now: datetime
) -> dict[tuple[Any, ...], dict[str, int]]:
    """The counts of ``period`` for each group of ``keys`` (Dossier value paths): one aggregate
    query over the dossiers, one over the apologies."""
    start_at, end_at = period.start_at, period.end_at
    as_of = min(end_at, now)
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    alive = _alive(annotated(scope), start_at, end_at)
    if not keys:
        values = alive.aggregate(**_counts(start_at, end_at, as_of))
        grouped: Iterable[dict[str, Any]] = [values] if any(values.values()) else []
    else:
        grouped = alive.values(*keys).annotate(**_counts(start_at, end_at, as_of)).order_by()
    for values in grouped:
        group = tuple(values.pop(k) for k in keys)
        counts = dict.fromkeys(FIGURES, 0)
        counts.update({k: int(v) for k, v in values.items()})
        out[group] = counts
    apology_keys = tuple(f"dossier__{k}" for k in keys)
    signed = scope.filter(
        Apology.objects.filter(
            status=ApologyStatus.SIGNED, signed_at__gte=start_at, signed_at__lt=end_at
        ),
        prefix="dossier__",
    )
    if not keys:
        n = signed.count()
        if n:
            out.setdefault((), dict.fromkeys(FIGURES, 0))["apologies"] = n
        return out
    for a in signed.values(*apology_keys).annotate(n=Count("pk")).order_by():
        group = tuple(a[k] for k in apology_keys)
        out.setdefault(group, dict.fromkeys(FIGURES, 0))["apologies"] = int(a["n"])
    return out


def raw_report(*, period: Period, scope: Scope, group_by: str, now: datetime) -> Report:
    """The report from the transactional tables alone (unit, procedure or field grouping)."""
    mode = rounding_mode()
    by_key = grouped_counts(period=period, scope=scope, keys=(_DOSSIER_KEYS[group_by],), now=now)
    names = _names(group_by, (k[0] for k in by_key))
    rows: list[tuple[str, Row]] = []
    for (raw_key,), counts in by_key.items():
        sort_key, public_key, name = names.get(raw_key, (str(raw_key), str(raw_key), "—"))
        row = _blank_row(public_key, name, mode)
        row.counts.update(counts)
        rows.append((sort_key, row))
    rows.sort(key=lambda pair: pair[0])
    ordered = [row for _sort, row in rows]
    return Report(
        period=period,
        group_by=group_by,
        rows=ordered,
        total=sum_rows(ordered, _("Tổng cộng"), mode),
        as_of=min(period.end_at, now),
    )


def sum_rows(rows: Iterable[Row], name: str, mode: rules.Rounding, key: str = "total") -> Row:
    """Rows of disjoint groups over the same period add up, stocks included."""
    total = _blank_row(key, name, mode)
    for row in rows:
        for fig in FIGURES:
            total.counts[fig] += row.counts[fig]
    return total


def chain_months(rows: list[Row], name: str, mode: rules.Rounding) -> Row:
    """Consecutive months of one scope: flows add up, the stocks are the first carried_over and
    the last in_progress."""
    total = sum_rows(rows, name, mode)
    if rows:
        total.counts["carried_over"] = rows[0].counts["carried_over"]
        total.counts["in_progress"] = rows[-1].counts["in_progress"]
        total.counts["in_progress_overdue"] = rows[-1].counts["in_progress_overdue"]
    return total


def _by_month(
    qs: QuerySet[Any], expr: Any, keys: tuple[str, ...], **aggregates: Any
) -> dict[tuple[Any, ...], dict[str, int]]:
    """``aggregates`` grouped by ``keys`` and the local month of ``expr``: {(*keys, month): …}."""
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    grouped = (
        qs.annotate(_m=TruncMonth(expr, tzinfo=VN))
        .values(*keys, "_m")
        .annotate(**aggregates)
        .order_by()
    )
    for values in grouped:
        month = values.pop("_m")
        if month is None:
            continue
        on = timezone.localtime(month, VN).date() if isinstance(month, datetime) else month
        key = tuple(values.pop(k) for k in keys)
        out[(*key, on.replace(day=1))] = {k: int(v) for k, v in values.items()}
    return out


def _grouped(
    qs: QuerySet[Any], keys: tuple[str, ...], **aggregates: Any
) -> dict[tuple[Any, ...], dict[str, int]]:
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    if not keys:
        values = qs.aggregate(**aggregates)
        return {(): {k: int(v or 0) for k, v in values.items()}}
    for values in qs.values(*keys).annotate(**aggregates).order_by():
        key = tuple(values.pop(k) for k in keys)
        out[key] = {k: int(v) for k, v in values.items()}
    return out


def monthly_counts(
    *, period: Period, scope: Scope, keys: tuple[str, ...], now: datetime
) -> dict[tuple[Any, ...], list[dict[str, int]]]:
    """For each group of ``keys`` (Dossier value paths, () for one group): the counts of each
    month-piece of ``period`` (`Period.months`), in a fixed number of queries whatever the
    number of months (see the module docstring)."""
    start_at, end_at = period.start_at, period.end_at
    pieces = period.months()
    base = annotated(scope)
    open_at_start = Q(_r__lt=start_at) & (Q(_t__isnull=True) | Q(_t__gte=start_at))
    first = _grouped(
        base.filter(open_at_start),
        keys,
        carried=Count("pk"),
        overdue=Count("pk", filter=Q(_due__lt=start_at) & OVERDUE_ELIGIBLE),
    )
    flows_r = _by_month(
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
    flows_ready = _by_month(
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
    flows_stop = _by_month(
        base.filter(ready_at__isnull=True, stopped_at__gte=start_at, stopped_at__lt=end_at),
        F("stopped_at"),
        keys,
        stopped=Count("pk"),
    )
    # overdue(T) = #{due < T} - #{max(due, t) < T}: the increments of each finished month.
    cut = min(end_at, now)
    due_in = _by_month(
        base.filter(OVERDUE_ELIGIBLE, _due__gte=start_at, _due__lt=cut),
        F("_due"),
        keys,
        n=Count("pk"),
    )
    settled = base.filter(OVERDUE_ELIGIBLE, _t__isnull=False).annotate(
        _settled=Greatest(F("_due"), F("_t"))
    )
    settled_in = _by_month(
        settled.filter(_settled__gte=start_at, _settled__lt=cut), F("_settled"), keys, n=Count("pk")
    )
    apology_keys = tuple(f"dossier__{k}" for k in keys)
    apologies = _by_month(
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
    unfinished = {
        piece.start: _grouped(
            base.filter(
                Q(_r__lt=piece.end_at),
                Q(_t__isnull=True) | Q(_t__gte=piece.end_at),
                OVERDUE_ELIGIBLE,
                _due__lt=min(piece.end_at, now),
            ),
            keys,
            n=Count("pk"),
        )
        for piece in pieces
        if piece.end_at > now
    }
    groups: set[tuple[Any, ...]] = set(first)
    for flows in (flows_r, flows_ready, flows_stop, due_in, settled_in, apologies):
        groups.update(k[:-1] for k in flows)
    out: dict[tuple[Any, ...], list[dict[str, int]]] = {}
    for group in groups:
        carried = first.get(group, {}).get("carried", 0)
        overdue = first.get(group, {}).get("overdue", 0)
        months: list[dict[str, int]] = []
        for piece in pieces:
            month = piece.start.replace(day=1)
            c = dict.fromkeys(FIGURES, 0)
            for flows in (flows_r, flows_ready, flows_stop):
                c.update(flows.get((*group, month), {}))
            c["apologies"] = apologies.get((*group, month), {}).get("n", 0)
            c["carried_over"] = carried
            c["in_progress"] = carried + c["received"] - c["resolved"] - c["stopped"]
            overdue += due_in.get((*group, month), {}).get("n", 0)
            overdue -= settled_in.get((*group, month), {}).get("n", 0)
            if piece.end_at <= now:
                c["in_progress_overdue"] = overdue
            else:  # not over yet: judged now, among what is open at its end
                c["in_progress_overdue"] = unfinished[piece.start].get(group, {}).get("n", 0)
            carried = c["in_progress"]
            months.append(c)
        out[group] = months
    return out


def month_name(month: date) -> str:
    return _("Tháng %(m)02d/%(y)d") % {"m": month.month, "y": month.year}


def _report_by_month(period: Period, scope: Scope, now: datetime, mode: rules.Rounding) -> Report:
    """One row per month: its own carried_over, flows and stocks."""
    counts: list[dict[str, int]] | None
    if len(period.months()) == 1:  # one month: the direct query is cheaper than the chain
        one = grouped_counts(period=period, scope=scope, keys=(), now=now).get(())
        counts = [one] if one is not None else None
    else:
        counts = monthly_counts(period=period, scope=scope, keys=(), now=now).get(())
    rows: list[Row] = []
    for i, piece in enumerate(period.months()):
        month = piece.start.replace(day=1)
        row = _blank_row(month_key(month), month_name(month), mode)
        if counts is not None:
            row.counts.update(counts[i])
        rows.append(row)
    return Report(
        period=period,
        group_by="month",
        rows=rows,
        total=chain_months(rows, _("Tổng cộng"), mode),
        as_of=min(period.end_at, now),
    )
