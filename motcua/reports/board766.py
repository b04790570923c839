"""The Decision 766 board (issue 22, item 2; DOMAIN §9.3, §10): five groups, 100 points.

A configurable scorecard (DOMAIN §10.3 [DESIGN]): each indicator is a percentage (numerator /
denominator × 100, D12 rounding) worth ``points``; it scores ``value / 100 × points`` (linear: the
official mapping from a percentage to points was not found). A group scores the sum of its
indicators that have data; a group with no indicator with data scores ``None`` ("chưa có dữ
liệu"), never a made-up number; the total is the sum of the groups with data and
``max_available`` says out of how many points. The weights (group maxima of §10.1) sum to 100.

All figures over the dossiers received by the units in scope (a unit and every unit below it);
the period ``[from, to)`` in local dates; "offered procedures" are the procedure versions in force
on the period's last day that one of the units receives.

I. Công khai, minh bạch — 18
  t_catalog   (10) procedures offered with a complete public entry (at least one paper, at least
                   one step, a statutory time and a legal basis) / procedures offered
  t_lookup    (4)  dossiers received in the period that the applicant can follow by code and
                   secret (a look-up secret was issued) / dossiers received in the period
  t_sync      (4)  dossiers synchronised to the National Public Service Portal — no data in MotCua
II. Tiến độ, kết quả giải quyết — 20
  p_on_time   (12) dossiers resolved early or on time / dossiers resolved in the period (D7:
                   against the original due)
  p_in_time   (4)  dossiers in progress at the end of the period and not overdue / in progress
  p_steps     (4)  counted steps finished in the period by their own due / counted steps
                   finished in the period
III. Số hóa hồ sơ — 22
  d_digitised (11) dossiers received with a digitised paper (a file submitted, scanned or
                   supplemented) / dossiers received — provider ``digitisation`` (documents)
  d_e_result  (11) dossiers resolved with a digitally signed electronic result (a result file
                   marked signed, or a result in the registry of signed files) / dossiers
                   resolved — provider ``electronic_results`` (documents, signatures)
IV. Cung cấp dịch vụ trực tuyến — 22
  o_offered   (4)  offered procedures with an online service (full or partial) / offered
  o_used      (4)  online services with at least one online dossier received in the period /
                   online services offered
  o_share     (4)  dossiers received online / dossiers received
  o_paid      (10) dossiers paid online / dossiers whose fees were paid in the period —
                   provider ``online_payment`` (payments)
V. Mức độ hài lòng — 18 (§10.2)
  s_pakn_on_time   (6) in-scope feedback answered by its respond-by time / in-scope feedback due
  s_pakn_satisfied (6) (in-scope feedback − answered late − overdue) / in-scope feedback
  s_tthc_satisfied (6) (resolved − rated not satisfied − with in-scope feedback) / resolved

Providers — the one place where another app's figures come into the board: `provider(name)` is
a function ``f(*, start_at, end_at, unit_ids) -> (numerator, denominator) | None``. By default it
is an adapter (`ADAPTERS`) over that app's data, found by name (`SOURCES`; reports does not import
documents or payments): ``documents.selectors.digitisation_figures`` → ``digitised_dossiers``
over the dossiers received; the result files of the dossiers resolved (``signed``) and the
signatures registry's results; ``payments.selectors.online_payment_figures`` → ``paid_online`` /
``with_fees``. The setting ``MOTCUA_766_PROVIDERS`` (name → dotted path) replaces one.

"Chưa có dữ liệu" (None, never a number) when the app is not installed, or when it holds nothing
for the units and the period: no file at all of the dossiers received (digitisation), no result
file and no signed result of the dossiers resolved (electronic results), no fee paid (online
payment) — a unit that does not keep its files, results or fees in MotCua is not scored 0 % on
them. Once the app holds data, the figure is computed, 0 % included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, ProcedureStep, RequiredDocument
from motcua.dossiers.models import Channel, Dossier, DossierStep, StepStatus, Timeliness
from motcua.org.models import Unit
from motcua.org.selectors import subtree_ids
from motcua.reports import quality, rules
from motcua.reports.selectors import Period, Scope, next_month, report, rounding_mode
from motcua.signatures.models import Kind as SignedKind
from motcua.signatures.models import SignedFile

#: Where the figures of the other apps are found, by name (looked up when asked, so that the
#: board works before those apps exist and reports never imports them at module level).
#: The kinds of `documents.Document` that are the citizen's papers digitised (not issued forms).
DIGITISED_KINDS = ("submitted", "scan", "supplement")

SOURCES: dict[str, str] = {
    "digitisation": "motcua.documents.selectors.digitisation_figures",
    "electronic_results": "motcua.documents.selectors.results_of",
    "online_payment": "motcua.payments.selectors.online_payment_figures",
}

Figures = tuple[int, int]


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: Any
    points: int
    formula: Any


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: Any
    weight: int
    indicators: tuple[IndicatorSpec, ...]


GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        "transparency",
        _("Công khai, minh bạch"),
        18,
        (
            IndicatorSpec(
                "t_catalog",
                _("Thủ tục công khai đầy đủ thông tin"),
                10,
                _(
                    "Số thủ tục đơn vị tiếp nhận có đủ thành phần hồ sơ, quy trình, thời hạn và "
                    "căn cứ pháp lý / số thủ tục đơn vị tiếp nhận × 100%"
                ),
            ),
            IndicatorSpec(
                "t_lookup",
                _("Hồ sơ tra cứu được tiến độ"),
                4,
                _(
                    "Số hồ sơ tiếp nhận trong kỳ có mã tra cứu cấp cho người nộp / số hồ sơ "
                    "tiếp nhận trong kỳ × 100%"
                ),
            ),
            IndicatorSpec(
                "t_sync",
                _("Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia"),
                4,
                _(
                    "Số hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia / số hồ sơ tiếp nhận × "
                    "100% — MotCua chưa kết nối Cổng quốc gia"
                ),
            ),
        ),
    ),
    GroupSpec(
        "timeliness",
        _("Tiến độ, kết quả giải quyết"),
        20,
        (
            IndicatorSpec(
                "p_on_time",
                _("Hồ sơ giải quyết trước hạn, đúng hạn"),
                12,
                _(
                    "(Số hồ sơ giải quyết trước hạn + đúng hạn) / số hồ sơ đã giải quyết trong "
                    "kỳ × 100% (so với hạn theo quy định)"
                ),
            ),
            IndicatorSpec(
                "p_in_time",
                _("Hồ sơ đang giải quyết còn trong hạn"),
                4,
                _(
                    "Số hồ sơ đang giải quyết cuối kỳ chưa quá hạn / số hồ sơ đang giải quyết "
                    "cuối kỳ × 100%"
                ),
            ),
            IndicatorSpec(
                "p_steps",
                _("Bước xử lý hoàn thành đúng hạn"),
                4,
                _(
                    "Số bước xử lý hoàn thành trong kỳ trước hoặc đúng hạn của bước / số bước "
                    "hoàn thành trong kỳ × 100%"
                ),
            ),
        ),
    ),
    GroupSpec(
        "digitisation",
        _("Số hóa hồ sơ"),
        22,
        (
            IndicatorSpec(
                "d_digitised",
                _("Hồ sơ được số hóa"),
                11,
                _(
                    "Số hồ sơ tiếp nhận trong kỳ có giấy tờ được số hóa (nộp kèm, quét tại quầy, "
                    "bổ sung) / số hồ sơ tiếp nhận trong kỳ × 100%"
                ),
            ),
            IndicatorSpec(
                "d_e_result",
                _("Hồ sơ có kết quả điện tử"),
                11,
                _(
                    "Số hồ sơ giải quyết có kết quả điện tử được ký số / số hồ sơ đã giải quyết "
                    "trong kỳ × 100%"
                ),
            ),
        ),
    ),
    GroupSpec(
        "online",
        _("Cung cấp dịch vụ trực tuyến"),
        22,
        (
            IndicatorSpec(
                "o_offered",
                _("Thủ tục cung cấp dịch vụ công trực tuyến"),
                4,
                _(
                    "Số thủ tục có dịch vụ công trực tuyến (toàn trình hoặc một phần) / số thủ "
                    "tục đơn vị tiếp nhận × 100%"
                ),
            ),
            IndicatorSpec(
                "o_used",
                _("Dịch vụ công trực tuyến có phát sinh hồ sơ"),
                4,
                _(
                    "Số dịch vụ công trực tuyến có ít nhất một hồ sơ trực tuyến trong kỳ / số "
                    "dịch vụ công trực tuyến × 100%"
                ),
            ),
            IndicatorSpec(
                "o_share",
                _("Hồ sơ nộp trực tuyến"),
                4,
                _("Số hồ sơ tiếp nhận trực tuyến / số hồ sơ tiếp nhận trong kỳ × 100%"),
            ),
            IndicatorSpec(
                "o_paid",
                _("Hồ sơ thanh toán trực tuyến"),
                10,
                _(
                    "Số hồ sơ thanh toán phí, lệ phí trực tuyến / số hồ sơ đã nộp phí, lệ phí "
                    "trong kỳ × 100%"
                ),
            ),
        ),
    ),
    GroupSpec(
        "satisfaction",
        _("Mức độ hài lòng"),
        18,
        (
            IndicatorSpec(
                "s_pakn_on_time",
                _("Phản ánh, kiến nghị xử lý đúng hạn"),
                6,
                _(
                    "Số PAKN trong thẩm quyền trả lời đúng hạn / số PAKN trong thẩm quyền đến "
                    "hạn trả lời trong kỳ × 100%"
                ),
            ),
            IndicatorSpec(
                "s_pakn_satisfied",
                _("Hài lòng trong xử lý phản ánh, kiến nghị"),
                6,
                _(
                    "(Tổng số PAKN − số PAKN trả lời trễ hạn hoặc quá hạn) / tổng số PAKN trong "
                    "thẩm quyền × 100%"
                ),
            ),
            IndicatorSpec(
                "s_tthc_satisfied",
                _("Hài lòng trong tiếp nhận, giải quyết TTHC"),
                6,
                _(
                    "(Số hồ sơ đã giải quyết − số hồ sơ bị đánh giá không hài lòng hoặc có PAKN) "
                    "/ số hồ sơ đã giải quyết × 100%"
                ),
            ),
        ),
    ),
)

#: Indicators whose figures come from another app (the provider's name).
PROVIDED = {
    "d_digitised": "digitisation",
    "d_e_result": "electronic_results",
    "o_paid": "online_payment",
}


def _source(name: str) -> Callable[..., Any] | None:
    """The other app's selector named in `SOURCES`, or None when that app is not installed."""
    path = SOURCES[name]
    app = ".".join(path.split(".")[:2])
    if not django_apps.is_installed(app):
        return None
    try:
        fn: Callable[..., Any] = import_string(path)
    except ImportError:
        return None
    return fn


def _unit_list(unit_ids: frozenset[int] | None) -> list[int]:
    if unit_ids is not None:
        return sorted(unit_ids)
    return list(Unit.objects.values_list("pk", flat=True))


def _files() -> Any:
    """The documents app's file model (looked up by name: reports does not import it)."""
    return django_apps.get_model("documents", "Document")


def _digitisation(
    *, start_at: datetime, end_at: datetime, unit_ids: frozenset[int] | None
) -> Figures | None:
    """documents: dossiers received in the period with a digitised paper (a file submitted,
    scanned or supplemented: `documents.selectors.digitisation_figures`) / dossiers received.
    No data when the documents app keeps no file at all of these dossiers."""
    fn = _source("digitisation")
    if fn is None:
        return None
    units = _unit_list(unit_ids)
    received = Dossier.objects.filter(
        unit_id__in=units, received_at__gte=start_at, received_at__lt=end_at
    )
    # the citizen's papers only: a form the office issued (a signed Mẫu 01 or Mẫu 04 is filed as
    # a Document too) says nothing about whether the unit digitises what it receives
    papers = _files().objects.filter(dossier__in=received, kind__in=DIGITISED_KINDS)
    if not papers.exists():
        return None
    figs = fn(units, start_at, end_at)
    return int(figs.digitised_dossiers), received.count()


def _electronic_results(
    *, start_at: datetime, end_at: datetime, unit_ids: frozenset[int] | None
) -> Figures | None:
    """documents and signatures: dossiers resolved in the period with a digitally signed result
    (a result file marked signed, or a result in the registry of signed files) / dossiers
    resolved in the period. No data when neither app holds any result of these dossiers."""
    if _source("electronic_results") is None:
        return None
    resolved = _dossiers(unit_ids).filter(ready_at__gte=start_at, ready_at__lt=end_at)
    results = _files().objects.filter(dossier__in=resolved, kind="result")
    signed_files = SignedFile.objects.filter(
        kind=SignedKind.RESULT, dossier_code__in=resolved.values("code")
    )
    if not results.exists() and not signed_files.exists():
        return None
    signed = resolved.filter(
        Q(pk__in=results.filter(signed=True).values("dossier_id"))
        | Q(code__in=signed_files.values("dossier_code"))
    )
    return signed.count(), resolved.count()


def _online_payment(
    *, start_at: datetime, end_at: datetime, unit_ids: frozenset[int] | None
) -> Figures | None:
    """payments: dossiers paid online / dossiers whose fees were paid in the period
    (`payments.selectors.online_payment_figures`). No data when no fee was paid."""
    fn = _source("online_payment")
    if fn is None:
        return None
    first = timezone.localtime(start_at).date()
    last = timezone.localtime(end_at - timedelta(microseconds=1)).date()  # inclusive there
    figs = fn(unit_ids, first, last)
    if not figs.with_fees:
        return None
    return int(figs.paid_online), int(figs.with_fees)


#: name → f(*, start_at, end_at, unit_ids) -> (numerator, denominator) | None.
ADAPTERS: dict[str, Callable[..., Figures | None]] = {
    "digitisation": _digitisation,
    "electronic_results": _electronic_results,
    "online_payment": _online_payment,
}


def provider(name: str) -> Callable[..., Figures | None] | None:
    """The function for ``name``: the setting ``MOTCUA_766_PROVIDERS`` (a dotted path) if it
    names one, else the adapter over the app's data; None when nothing provides it."""
    path = getattr(settings, "MOTCUA_766_PROVIDERS", {}).get(name)
    if path:
        try:
            fn: Callable[..., Figures | None] = import_string(path)
        except ImportError:
            return None
        return fn
    return ADAPTERS.get(name)


# ------------------------------------------------------------------------------ the figures
@dataclass
class Indicator:
    spec: IndicatorSpec
    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None

    @property
    def score(self) -> Decimal | None:
        if self.value is None:
            return None
        return (self.value * self.spec.points / Decimal(100)).quantize(Decimal("0.01"))


@dataclass
class Group:
    spec: GroupSpec
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        scores = [i.score for i in self.indicators if i.score is not None]
        return sum(scores, Decimal(0)) if scores else None

    @property
    def max_available(self) -> int:
        return sum(i.spec.points for i in self.indicators if i.value is not None)


@dataclass
class Board:
    period: Period
    groups: list[Group]

    @property
    def total(self) -> Decimal:
        return sum((g.score for g in self.groups if g.score is not None), Decimal(0))

    @property
    def max_available(self) -> int:
        return sum(g.max_available for g in self.groups)

    def value(self, code: str) -> Decimal | None:
        for g in self.groups:
            for i in g.indicators:
                if i.spec.code == code:
                    return i.value
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "groups": [
                {
                    "code": g.spec.code,
                    "name": str(g.spec.name),
                    "weight": g.spec.weight,
                    "score": float(g.score) if g.score is not None else None,
                    "indicators": [
                        {
                            "code": i.spec.code,
                            "name": str(i.spec.name),
                            "points": i.spec.points,
                            "value": float(i.value) if i.value is not None else None,
                            "numerator": i.numerator,
                            "denominator": i.denominator,
                            "formula": str(i.spec.formula),
                        }
                        for i in g.indicators
                    ],
                }
                for g in self.groups
            ],
            "total": float(self.total),
            "max_available": self.max_available,
        }


def _offered(unit_ids: frozenset[int] | None, on: date) -> Any:
    qs = Procedure.objects.filter(effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )
    if unit_ids is not None:
        qs = qs.filter(units__in=sorted(unit_ids))
    return qs.distinct()


def _dossiers(unit_ids: frozenset[int] | None) -> Any:
    qs = Dossier.objects.all()
    return qs if unit_ids is None else qs.filter(unit_id__in=sorted(unit_ids))


def figures(
    *, period: Period, unit_ids: frozenset[int] | None, now: datetime
) -> dict[str, Figures | None]:
    """(numerator, denominator) of every indicator, or None where there is no data."""
    start_at, end_at = period.start_at, period.end_at
    last_day = date.fromordinal(period.end.toordinal() - 1)
    out: dict[str, Figures | None] = {"t_sync": None}

    offered = _offered(unit_ids, last_day)
    complete = offered.filter(
        Exists(RequiredDocument.objects.filter(procedure=OuterRef("pk"))),
        Exists(ProcedureStep.objects.filter(procedure=OuterRef("pk"))),
        Q(legal_working_days__isnull=False) | Q(legal_working_hours__isnull=False),
    ).exclude(legal_basis="")
    n_offered = offered.count()
    out["t_catalog"] = (complete.count(), n_offered)
    online = offered.exclude(online_mode=Procedure.OnlineMode.NONE)
    n_online = online.count()
    out["o_offered"] = (n_online, n_offered)
    received = _dossiers(unit_ids).filter(received_at__gte=start_at, received_at__lt=end_at)
    used = (
        received.filter(channel=Channel.ONLINE, procedure__in=online.values("pk"))
        .values("procedure_id")
        .distinct()
        .count()
    )
    out["o_used"] = (used, n_online)
    counts = received.aggregate(
        n=Count("pk"),
        online=Count("pk", filter=Q(channel=Channel.ONLINE)),
        lookup=Count("pk", filter=~Q(lookup_secret_hash="")),
    )
    out["o_share"] = (counts["online"], counts["n"])
    out["t_lookup"] = (counts["lookup"], counts["n"])

    total = report(period=period, scope=Scope(unit_ids=unit_ids), now=now).total
    out["p_on_time"] = (total.resolved_early + total.resolved_on_time, total.resolved)
    out["p_in_time"] = (total.in_progress - total.in_progress_overdue, total.in_progress)
    steps = DossierStep.objects.filter(
        counted=True, status=StepStatus.DONE, finished_at__gte=start_at, finished_at__lt=end_at
    )
    if unit_ids is not None:
        steps = steps.filter(dossier__unit_id__in=sorted(unit_ids))
    s = steps.aggregate(
        n=Count("pk"),
        good=Count("pk", filter=Q(timeliness__in=[Timeliness.EARLY, Timeliness.ON_TIME])),
    )
    out["p_steps"] = (s["good"], s["n"])

    _rows, fb = quality.feedback_figures(period=period, unit_ids=unit_ids, now=now)
    out["s_pakn_on_time"] = (fb.answered_on_time, fb.due)
    bad = fb.answered_late + fb.overdue
    out["s_pakn_satisfied"] = (max(fb.in_scope - bad, 0), fb.in_scope)
    out["s_tthc_satisfied"] = quality.tthc_satisfaction_counts(period=period, unit_ids=unit_ids)

    for code, name in PROVIDED.items():
        fn = provider(name)
        out[code] = fn(start_at=start_at, end_at=end_at, unit_ids=unit_ids) if fn else None
    return out


def board(*, period: Period, unit_ids: frozenset[int] | None, now: datetime) -> Board:
    """The 766 board of the units ``unit_ids`` (None: all) over ``period``."""
    mode = rounding_mode()
    raw = figures(period=period, unit_ids=unit_ids, now=now)
    groups: list[Group] = []
    for g in GROUPS:
        group = Group(spec=g)
        for spec in g.indicators:
            ind = Indicator(spec=spec)
            pair = raw.get(spec.code)
            if pair is not None:
                ind.numerator, ind.denominator = pair
                ind.value = rules.rate(pair[0], pair[1], mode)
            group.indicators.append(ind)
        groups.append(group)
    return Board(period=period, groups=groups)


def weights_total() -> int:
    return sum(g.weight for g in GROUPS)


def trend(
    *, end: date, unit_ids: frozenset[int] | None, now: datetime, months: int = 6
) -> list[tuple[date, Board]]:
    """The board of each of the ``months`` whole months up to the one holding ``end - 1``."""
    last = date.fromordinal(end.toordinal() - 1).replace(day=1)
    firsts = [last]
    while len(firsts) < months:
        prev = firsts[-1]
        firsts.append(date(prev.year - (prev.month == 1), (prev.month - 2) % 12 + 1, 1))
    return [
        (m, board(period=Period(m, next_month(m)), unit_ids=unit_ids, now=now))
        for m in reversed(firsts)
    ]


def peers(unit: Unit) -> list[Unit]:
    """The units ranked with ``unit``: same parent and same kind (itself included)."""
    return list(
        Unit.objects.filter(parent_id=unit.parent_id, kind=unit.kind, active=True).order_by("code")
    )


def rank_among_peers(
    *, unit: Unit, period: Period, now: datetime
) -> tuple[int, int, list[tuple[Unit, Decimal]]]:
    """(rank of ``unit``, number of peers, every peer's total), rank 1 = best score; equal
    scores share a rank."""
    scores = [
        (p, board(period=period, unit_ids=frozenset(subtree_ids(p)), now=now).total)
        for p in peers(unit)
    ]
    scores.sort(key=lambda pair: (-pair[1], pair[0].code))
    rank = 1 + sum(1 for _p, s in scores if s > next(s2 for p2, s2 in scores if p2.pk == unit.pk))
    return rank, len(scores), scores


__all__ = [
    "GROUPS",
    "SOURCES",
    "Board",
    "board",
    "figures",
    "provider",
    "rank_among_peers",
    "trend",
    "weights_total",
]
