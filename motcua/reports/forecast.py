"""Warnings before lateness (issue 22, item 3): the probability that an open step finishes late.

The model is deliberately transparent — an empirical distribution, conditioned on the time
already used:

* the history of a step is the finished, counted steps of the same procedure step (procedure
  code and step order) at the same unit, finished before ``history_before`` (default: now); each
  gives its *duration* D = working hours from start to finish less its pause for the citizen, and
  its *budget* B (the step's own working hours); we keep the ratio R = D / B so that steps whose
  budget changed between versions still compare;
* for an open step with budget b that has used e working hours so far (on its unit's calendar,
  less its pauses), the risk is the share of the history that ran past its budget among those
  that were still running at the same point:

      late_risk = #{R > 1 and R > e/b} / #{R > e/b}          (Laplace-smoothed: (k + 1) / (n + 2))

* the history is also split by whether the dossier was already *behind* when the step started:
  an earlier counted step of the same dossier had finished after its own due. A step of a dossier
  that is behind is judged first on the history of steps that started behind too (a dossier that
  overran one step tends to overrun the next: a hard case, a missing document), a step of a
  dossier on time on the history of steps that started on time;
* the history used is the first of: this unit's steps in the same situation (behind or not), every
  unit's steps in the same situation, this unit's steps, every unit's steps — the first with at
  least ``MIN_HISTORY`` comparable steps still running at the same point (else the last with any),
  and the reason says which; with no history at all the risk is 0.5 and the reason says there is
  none. A step already past its due has risk 1.

The reason names the history used (how many comparable steps, how many ran late), the working
time left before the due and the officer's open load (open steps assigned to them): the head
reads why, and decides. The officer's load is shown, not multiplied in: it is the head's to
weigh. `tools/forecast_eval.py` measures precision and recall on the demo history held out by
time (train on months 1–9, test on 10–12).

A step is *flagged* ("nguy cơ trễ hạn") when it is open, not yet overdue, its due is at most one
working day (8 working hours) away, it has comparable history, and its risk is at least
``FLAG_AT`` (0.5). Heads see the
flagged steps of their unit on the board (`motcua.office.board_views`), reassign from there, and
are pointed to the foreseen-delay apology of D9 (which must be drafted at the latest one working
day before the due).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.dossiers.models import OPEN_STEP_STATUSES, DossierStep, StepStatus
from motcua.reports.attribution import Calendars, describe_overtime
from motcua.workdays.rules import HOURS_PER_DAY, CalendarError

MIN_HISTORY = 8
FLAG_AT = 0.5
HISTORY_LIMIT = 400  # the most recent finished steps of one key are enough


@dataclass
class Risk:
    step_id: int
    late_risk: float
    reason: str
    hours_left: Fraction | None
    flagged: bool
    #: comparable steps of the history still running at the same point (0: nothing to go on)
    history: int = 0


def _ratio(
    cals: Calendars, unit_id: int, start: datetime, end: datetime, paused_s: float, budget: Any
) -> float | None:
    b = float(budget or 0)
    if b <= 0:
        return None
    try:
        used = float(cals.of(unit_id).working_hours_between(start, end)) - paused_s / 3600
    except CalendarError:
        return None
    return max(used, 0.0) / b


class Forecaster:
    """The history of the procedure steps asked for, loaded once; `risk` per open step."""

    def __init__(
        self, *, history_before: datetime, cals: Calendars | None = None, by_behind: bool = True
    ) -> None:
        self.history_before = history_before
        #: False: the history is not split by "behind" (the first model, kept to measure against)
        self.by_behind = by_behind
        self.cals = cals or Calendars()
        # the ratios of each key, over all its history (None) and split by "behind" (True/False)
        self._local: dict[tuple[str, int, int], dict[bool | None, list[float]]] = {}
        self._wide: dict[tuple[str, int], dict[bool | None, list[float]]] = {}
        #: per dossier: (order, finished_at) of its counted steps that finished after their due
        self._overran: dict[int, list[tuple[int, datetime]]] = {}

    def _load(self, keys: Iterable[tuple[str, int, int]]) -> None:
        wanted = {k for k in keys if k not in self._local}
        if not wanted:
            return
        q = Q()
        for code, order, _unit in wanted:
            q |= Q(dossier__procedure__code=code, order=order)
        behind = DossierStep.objects.filter(
            dossier_id=OuterRef("dossier_id"),
            order__lt=OuterRef("order"),
            counted=True,
            finished_at__gt=F("due_at"),
            finished_at__lte=OuterRef("started_at"),
        )
        rows = (
            DossierStep.objects.filter(q)
            .filter(
                counted=True,
                status=StepStatus.DONE,
                started_at__isnull=False,
                finished_at__lt=self.history_before,
            )
            .annotate(behind=Exists(behind))
            .order_by("-finished_at")
            .values_list(
                "dossier__procedure__code",
                "order",
                "unit_id",
                "started_at",
                "finished_at",
                "paused_working",
                "duration_working_hours",
                "behind",
            )
        )
        wide_seen = {(c, o) for c, o, _u in wanted if (c, o) not in self._wide}
        for code, order, _unit in wanted:
            self._local[(code, order, _unit)] = {None: [], True: [], False: []}
        for c in wide_seen:
            self._wide[c] = {None: [], True: [], False: []}
        for code, order, unit_id, start, end, paused, budget, was_behind in rows.iterator():
            if start is None or end is None:  # filtered out above; the types do not know it
                continue
            wide = self._wide.get((code, order))
            local = self._local.get((code, order, unit_id))
            lists = [
                lst
                for split in (wide, local)
                if split is not None
                for lst in (split[None], split[bool(was_behind)])
                if len(lst) < HISTORY_LIMIT
            ]
            if not lists:
                continue
            r = _ratio(self.cals, unit_id, start, end, paused.total_seconds(), budget)
            if r is None:
                continue
            for lst in lists:
                lst.append(r)
        for split in (*self._local.values(), *self._wide.values()):
            for lst in split.values():
                lst.sort()

    def _load_overran(self, dossier_ids: Iterable[int]) -> None:
        wanted = sorted({i for i in dossier_ids if i not in self._overran})
        if not wanted:
            return
        for i in wanted:
            self._overran[i] = []
        for dossier_id, order, finished in (
            DossierStep.objects.filter(
                dossier_id__in=wanted, counted=True, finished_at__gt=F("due_at")
            )
            .values_list("dossier_id", "order", "finished_at")
            .order_by()
        ):
            if finished is not None:  # filtered above; the types do not know it
                self._overran[dossier_id].append((order, finished))

    def behind(self, step: DossierStep, at: datetime) -> bool:
        """Whether an earlier counted step of the step's dossier had finished after its due
        (by ``at`` and by the step's start)."""
        self._load_overran([step.dossier_id])
        start = step.started_at or at
        return any(
            order < step.order and finished <= min(at, start)
            for order, finished in self._overran[step.dossier_id]
        )

    def prepare(self, steps: Sequence[DossierStep]) -> None:
        """Load the history of every (procedure step, unit) among ``steps`` in one query."""
        open_steps = [s for s in steps if s.status in OPEN_STEP_STATUSES and s.counted]
        self._load((s.dossier.procedure.code, s.order, s.unit_id) for s in open_steps)
        self._load_overran(s.dossier_id for s in open_steps)

    @staticmethod
    def _conditional(ratios: list[float], elapsed: float) -> tuple[int, int]:
        """(still running past ``elapsed`` and late, still running past ``elapsed``)."""
        i = bisect_right(ratios, elapsed)
        alive = ratios[i:]
        late = len(alive) - bisect_right(alive, 1.0)
        return late, len(alive)

    def risk(
        self,
        step: DossierStep,
        *,
        at: datetime,
        open_load: int | None = None,
        procedure_code: str | None = None,
    ) -> Risk | None:
        """The risk that ``step`` (open, counted) finishes after its due, seen at ``at``."""
        if step.status not in OPEN_STEP_STATUSES or not step.counted or step.due_at is None:
            return None
        if step.started_at is None:
            return None
        code = procedure_code or step.dossier.procedure.code
        cal = self.cals.of(step.unit_id)
        end = step.paused_at if step.status == StepStatus.PAUSED and step.paused_at else at
        try:
            left = cal.working_hours_between(end, step.due_at)
        except CalendarError:
            return None
        load_words = ""
        if open_load is not None:
            load_words = " " + ngettext(
                "Người thụ lý đang có %(n)d bước mở.",
                "Người thụ lý đang có %(n)d bước mở.",
                open_load,
            ) % {"n": open_load}
        if left <= 0:
            return Risk(
                step.pk,
                1.0,
                _("Đã quá hạn của bước %(over)s.") % {"over": describe_overtime(-left)},
                left,
                False,
                0,
            )
        budget = float(step.duration_working_hours or 0)
        ratio = _ratio(
            self.cals,
            step.unit_id,
            step.started_at,
            end,
            step.paused_working.total_seconds(),
            budget,
        )
        elapsed = ratio if ratio is not None else 0.0
        key = (code, step.order, step.unit_id)
        self._load([key])
        behind = self.by_behind and self.behind(step, at)
        local = self._local.get(key, {})
        wide = self._wide.get((code, step.order), {})
        if behind:
            same = _("bắt đầu khi hồ sơ đã có bước trước trễ hạn")
        else:
            same = _("bắt đầu khi hồ sơ chưa có bước nào trễ hạn")
        candidates: tuple[tuple[list[float], str], ...] = (
            (local.get(None, []), _("tại đơn vị này")),
            (wide.get(None, []), _("tại mọi đơn vị")),
        )
        if self.by_behind:
            candidates = (
                (local.get(behind, []), _("tại đơn vị này") + ", " + same),
                (wide.get(behind, []), _("tại mọi đơn vị") + ", " + same),
                *candidates,
            )
        late, alive, where = 0, 0, candidates[-1][1]
        for ratios, words in candidates:
            k, n = self._conditional(ratios, elapsed)
            if n >= MIN_HISTORY:
                late, alive, where = k, n, words
                break
            if n > alive:
                late, alive, where = k, n, words
        value = (late + 1) / (alive + 2)
        if alive == 0:
            history = _("Chưa có lịch sử của bước này để so sánh.")
        else:
            history = _(
                "%(late)d trên %(alive)d bước cùng loại %(where)s, khi đã dùng ngần ấy thời gian, "
                "đã trễ hạn."
            ) % {"late": late, "alive": alive, "where": where}
        reason = (
            _("Còn %(left)s làm việc đến hạn bước.") % {"left": describe_overtime(left)}
            + " "
            + history
            + load_words
        )
        flagged = alive > 0 and value >= FLAG_AT and left <= HOURS_PER_DAY
        return Risk(step.pk, round(value, 4), reason, left, flagged, alive)


def open_loads(assignee_ids: Iterable[int]) -> dict[int, int]:
    """Open steps assigned to each officer."""
    ids = sorted({i for i in assignee_ids if i})
    return dict(
        DossierStep.objects.filter(assignee_id__in=ids, status__in=OPEN_STEP_STATUSES)
        .values("assignee_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("assignee_id", "n")
    )


def at_risk_steps(
    steps: Sequence[DossierStep], *, now: datetime, forecaster: Forecaster | None = None
) -> list[tuple[DossierStep, Risk]]:
    """The flagged steps among ``steps`` (open steps with their dossier and procedure), most
    at risk first."""
    f = forecaster or Forecaster(history_before=now)
    f.prepare(steps)
    loads = open_loads(s.assignee_id for s in steps if s.assignee_id)
    out: list[tuple[DossierStep, Risk]] = []
    for s in steps:
        r = f.risk(s, at=now, open_load=loads.get(s.assignee_id or 0))
        if r is not None and r.flagged:
            out.append((s, r))
    out.sort(key=lambda pair: (-pair[1].late_risk, pair[0].due_at))
    return out


@dataclass
class Evaluation:
    tested: int
    predicted_late: int
    actually_late: int
    true_positives: int

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.predicted_late if self.predicted_late else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.actually_late if self.actually_late else None


def evaluate(*, train_before: datetime, test_until: datetime, by_behind: bool = True) -> Evaluation:
    """Hold out by time: the history is the steps finished before ``train_before``; the test is
    every counted step started from ``train_before`` and finished before ``test_until``, judged
    one working day (8 working hours) before its due: predicted late when, as on the board, the
    risk then is at least ``FLAG_AT`` with comparable history; actually late when it finished
    after its due. Steps whose budget is at most one working day are judged at their start.
    ``by_behind=False`` measures the first model (history not split by "behind")."""
    f = Forecaster(history_before=train_before, by_behind=by_behind)
    tested = predicted = actual = tp = 0
    steps = list(
        DossierStep.objects.filter(
            counted=True,
            status=StepStatus.DONE,
            started_at__gte=train_before,
            finished_at__lt=test_until,
            due_at__isnull=False,
        ).select_related("dossier__procedure")
    )
    f.prepare([_as_open(s) for s in steps])
    for s in steps:
        if s.due_at is None or s.started_at is None or s.finished_at is None:
            continue  # filtered out above; the types do not know it
        cal = f.cals.of(s.unit_id)
        try:
            budget = Fraction(s.duration_working_hours)
            paused = Fraction(int(s.paused_working.total_seconds()), 3600)
            moment = cal.add_working_hours(
                s.started_at, max(budget + paused - HOURS_PER_DAY, Fraction(0))
            )
        except CalendarError:
            continue
        if s.finished_at <= moment:
            continue  # finished before the warning moment: nothing to forecast
        probe = _as_open(s)
        r = f.risk(probe, at=moment, procedure_code=s.dossier.procedure.code)
        if r is None:
            continue
        tested += 1
        late = s.finished_at > s.due_at
        actual += late
        if r.history > 0 and r.late_risk >= FLAG_AT:  # as the board flags: with history
            predicted += 1
            tp += late
    return Evaluation(tested, predicted, actual, tp)


def _as_open(s: DossierStep) -> DossierStep:
    """A copy of a finished step as it stood while it was open (pauses not replayed)."""
    probe = DossierStep(
        pk=s.pk,
        dossier=s.dossier,
        order=s.order,
        name=s.name,
        unit_id=s.unit_id,
        role=s.role,
        duration_working_hours=s.duration_working_hours,
        counted=True,
        assignee_id=s.assignee_id,
        status=StepStatus.ACTIVE,
        started_at=s.started_at,
        due_at=s.due_at,
        paused_working=s.paused_working,
    )
    return probe


class StepFigures:
    """`overtime_working_hours` and `late_risk` of the steps of one page or answer, with the
    calendars and the history each asked for once."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.cals = Calendars()
        self.forecaster = Forecaster(history_before=now, cals=self.cals)

    def of(self, step: DossierStep, *, procedure_code: str) -> tuple[Any, float | None, str | None]:
        from motcua.reports.attribution import step_overtime_hours

        over = step_overtime_hours(step, self.now, self.cals)
        risk = self.forecaster.risk(step, at=self.now, procedure_code=procedure_code)
        if risk is None:
            return over, None, None
        return over, risk.late_risk, risk.reason
