"""Who consumed the time (issue 22, item 1; seed 002; DOMAIN §6, §7.2, D4, D9).

A step's overtime is judged against the step's own budget on the calendar of the step's unit
(working time, Mode H): the step's ``due_at`` is its start plus its budget, moved by the time it
was paused for the citizen's supplement (D8: not the agency's time), so

    overtime_working_hours = working_hours_between(step.due_at, end)   when end > due_at, else 0

where ``end`` is when the step finished, or — still open — when it was paused, or now. A step
that is not counted (the return of the result) has no overtime. A *late step* is a step with
overtime > 0.

For one dossier (`dossier_attribution`): each counted step's budget, the working time it used
(start to end, less its pause), its pause, its unit and officer, whether it ran at another unit
than the dossier's (inter-agency), its overtime, and the step that crossed the dossier's
statutory due (the step open at ``original_due_at``). The line on the dossier page names the
*responsible* step: the crossing step when it ran over its own budget, otherwise the step with
the largest overtime ("Chậm do bước 2 — Kiểm tra, ghi sổ — Nguyễn Văn A, vượt 1 ngày 3 giờ";
1 day = 8 working hours).

Aggregates (`overtime_report`, `/api/v1/stats/overtime`): the late steps whose due fell in the
period ``[from, to)`` (local dates) — finished after their due, or still open past it — grouped
by the step's ``unit`` (the agency: the nearest unit above the step's unit that is not a
division, or the unit itself), ``division`` (the step's own unit), ``officer`` (the assignee),
``procedure`` (the dossier's procedure code) or ``step`` (procedure code and step order):
``late_steps``, ``overtime_working_hours`` (sum, 2 decimals) and ``dossiers_late`` (distinct
dossiers with a late step in the group); the total row counts each dossier once. Scope: the steps
held by the given units, or of dossiers received by them. Only the late steps are read (the
filter is SQL); their working time is counted on each unit's calendar in Python, since the
calendar is not in the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext as _

from motcua.dossiers.models import (
    OPEN_STEP_STATUSES,
    Apology,
    Dossier,
    DossierStep,
    StepStatus,
)
from motcua.org.models import Staff, Unit
from motcua.reports.selectors import Period
from motcua.workdays.rules import HOURS_PER_DAY, CalendarError, WorkCalendar
from motcua.workdays.services import calendar_for

GROUPS = ("unit", "division", "officer", "procedure", "step")
API_GROUPS = ("unit", "officer", "procedure", "step")
CENT = Decimal("0.01")


class Calendars:
    """One calendar per unit, asked for once."""

    def __init__(self) -> None:
        self._by_unit: dict[int, WorkCalendar] = {}

    def of(self, unit_id: int) -> WorkCalendar:
        cal = self._by_unit.get(unit_id)
        if cal is None:
            cal = self._by_unit[unit_id] = calendar_for(Unit.objects.get(pk=unit_id))
        return cal


def hours_decimal(value: Fraction) -> Decimal:
    """Working hours as a Decimal with two decimals (half-up)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def describe_overtime(hours: Fraction | Decimal) -> str:
    """ "1 ngày 3 giờ", "2 giờ 30 phút", "45 phút" (1 day = 8 working hours)."""
    minutes = int(Fraction(hours) * 60)
    days, rest = divmod(minutes, HOURS_PER_DAY * 60)
    hrs, mins = divmod(rest, 60)
    parts: list[str] = []
    if days:
        parts.append(_("%(n)d ngày") % {"n": days})
    if hrs:
        parts.append(_("%(n)d giờ") % {"n": hrs})
    if mins and not days:
        parts.append(_("%(n)d phút") % {"n": mins})
    return " ".join(parts) or _("dưới 1 phút")


def step_end(
    *, finished_at: datetime | None, paused_at: datetime | None, status: str, now: datetime
) -> datetime | None:
    """Where the step's clock stands: its finish, its pause, now (open), or None (not begun)."""
    if finished_at is not None:
        return finished_at
    if status == StepStatus.PAUSED and paused_at is not None:
        return paused_at
    if status in OPEN_STEP_STATUSES:
        return now
    return None


def overtime_of(
    cal: WorkCalendar,
    *,
    counted: bool,
    due_at: datetime | None,
    finished_at: datetime | None,
    paused_at: datetime | None,
    status: str,
    now: datetime,
) -> Fraction:
    """The working hours a step ran past its own budget (0 when on time)."""
    if not counted or due_at is None:
        return Fraction(0)
    end = step_end(finished_at=finished_at, paused_at=paused_at, status=status, now=now)
    if end is None or end <= due_at:
        return Fraction(0)
    try:
        return max(cal.working_hours_between(due_at, end), Fraction(0))
    except CalendarError:
        return Fraction(0)


def step_overtime_hours(step: DossierStep, now: datetime, cals: Calendars | None = None) -> Decimal:
    """`overtime_of` for one step row, in hours with two decimals (the API's Step field)."""
    if not step.counted or step.due_at is None:
        return Decimal("0.00")
    cal = (cals or Calendars()).of(step.unit_id)
    return hours_decimal(
        overtime_of(
            cal,
            counted=step.counted,
            due_at=step.due_at,
            finished_at=step.finished_at,
            paused_at=step.paused_at,
            status=step.status,
            now=now,
        )
    )


# ------------------------------------------------------------------------------ one dossier
@dataclass
class StepUse:
    step: DossierStep
    budget_hours: Decimal
    used_hours: Decimal
    paused_hours: Decimal
    overtime_hours: Decimal
    other_unit: bool
    crossed_due: bool

    @property
    def late(self) -> bool:
        return self.overtime_hours > 0

    @property
    def officer(self) -> str:
        a = self.step.assignee
        return (a.get_full_name() or a.username) if a is not None else ""


@dataclass
class Attribution:
    steps: list[StepUse] = field(default_factory=list)
    responsible: StepUse | None = None
    crossing: StepUse | None = None
    other_units_hours: Decimal = Decimal("0.00")
    citizen_paused_hours: Decimal = Decimal("0.00")

    @property
    def line(self) -> str:
        """ "Chậm do bước 2 — Kiểm tra, ghi sổ — Nguyễn Văn A, vượt 1 ngày 3 giờ" or ""."""
        r = self.responsible
        if r is None:
            return ""
        who = r.officer or r.step.unit.name
        return _("Chậm do bước %(order)d — %(name)s — %(who)s, vượt %(over)s") % {
            "order": r.step.order,
            "name": r.step.name,
            "who": who,
            "over": describe_overtime(r.overtime_hours),
        }


def dossier_attribution(
    dossier: Dossier, steps: Sequence[DossierStep], *, now: datetime
) -> Attribution:
    """Each counted step's use of time, and who made the dossier or a step late (see above)."""
    cals = Calendars()
    out = Attribution()
    due = dossier.original_due_at
    agencies = _agencies({s.unit_id for s in steps})
    for s in steps:
        if not s.counted or s.started_at is None:
            continue
        cal = cals.of(s.unit_id)
        end = step_end(finished_at=s.finished_at, paused_at=s.paused_at, status=s.status, now=now)
        paused = Fraction(s.paused_working.total_seconds()) / 3600
        used = Fraction(0)
        if end is not None:
            try:
                used = max(cal.working_hours_between(s.started_at, end) - paused, Fraction(0))
            except CalendarError:
                used = Fraction(0)
        over = overtime_of(
            cal,
            counted=s.counted,
            due_at=s.due_at,
            finished_at=s.finished_at,
            paused_at=s.paused_at,
            status=s.status,
            now=now,
        )
        crossed = bool(
            due is not None
            and s.started_at <= due
            and (end is None or end > due)
            and (dossier.ready_at is None or dossier.ready_at > due)
        )
        use = StepUse(
            step=s,
            budget_hours=s.duration_working_hours,
            used_hours=hours_decimal(used),
            paused_hours=hours_decimal(paused),
            overtime_hours=hours_decimal(over),
            other_unit=agencies[s.unit_id].pk != dossier.unit_id,
            crossed_due=crossed,
        )
        out.steps.append(use)
        if use.other_unit:
            out.other_units_hours += use.used_hours
        out.citizen_paused_hours += use.paused_hours
        if crossed and out.crossing is None:
            out.crossing = use
    if out.crossing is not None and out.crossing.late:
        out.responsible = out.crossing
    else:
        late = [u for u in out.steps if u.late]
        if late:
            out.responsible = max(late, key=lambda u: (u.overtime_hours, -u.step.order))
    return out


# ------------------------------------------------------------------------------ aggregates
@dataclass
class LateStep:
    step_id: int
    dossier_id: int
    dossier_code: str
    procedure_code: str
    procedure_name: str
    order: int
    name: str
    unit_id: int
    assignee_id: int | None
    due_at: datetime
    end_at: datetime
    overtime: Fraction
    open: bool


@dataclass
class OvertimeRow:
    key: str
    name: str
    late_steps: int = 0
    overtime: Fraction = Fraction(0)
    dossier_ids: set[int] = field(default_factory=set)

    @property
    def overtime_working_hours(self) -> Decimal:
        return hours_decimal(self.overtime)

    @property
    def dossiers_late(self) -> int:
        return len(self.dossier_ids)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "late_steps": self.late_steps,
            "overtime_working_hours": float(self.overtime_working_hours),
            "dossiers_late": self.dossiers_late,
        }


@dataclass
class OvertimeReport:
    period: Period
    group_by: str
    rows: list[OvertimeRow]
    total: OvertimeRow
    steps: list[LateStep]


def late_steps(*, period: Period, unit_ids: frozenset[int] | None, now: datetime) -> list[LateStep]:
    """The late steps whose due fell in ``period`` (see the module docstring)."""
    start_at, end_at = period.start_at, min(period.end_at, now)
    qs = DossierStep.objects.filter(
        counted=True, due_at__gte=start_at, due_at__lt=end_at, started_at__isnull=False
    ).filter(
        Q(finished_at__gt=F("due_at"))
        | Q(finished_at__isnull=True, status=StepStatus.ACTIVE)
        | Q(finished_at__isnull=True, status=StepStatus.PAUSED, paused_at__gt=F("due_at"))
    )
    if unit_ids is not None:
        ids = sorted(unit_ids)
        qs = qs.filter(Q(unit_id__in=ids) | Q(dossier__unit_id__in=ids))
    cals = Calendars()
    out: list[LateStep] = []
    for r in qs.values(
        "pk",
        "dossier_id",
        "dossier__code",
        "dossier__procedure__code",
        "dossier__procedure__name",
        "order",
        "name",
        "unit_id",
        "assignee_id",
        "due_at",
        "finished_at",
        "paused_at",
        "status",
    ).order_by("due_at", "pk"):
        over = overtime_of(
            cals.of(r["unit_id"]),
            counted=True,
            due_at=r["due_at"],
            finished_at=r["finished_at"],
            paused_at=r["paused_at"],
            status=r["status"],
            now=now,
        )
        due = r["due_at"]
        if over <= 0 or due is None:
            continue
        end = step_end(
            finished_at=r["finished_at"], paused_at=r["paused_at"], status=r["status"], now=now
        )
        if end is None:  # a late step has an end; the types do not know it
            continue
        out.append(
            LateStep(
                step_id=r["pk"],
                dossier_id=r["dossier_id"],
                dossier_code=r["dossier__code"],
                procedure_code=r["dossier__procedure__code"],
                procedure_name=r["dossier__procedure__name"],
                order=r["order"],
                name=r["name"],
                unit_id=r["unit_id"],
                assignee_id=r["assignee_id"],
                due_at=due,
                end_at=end,
                overtime=over,
                open=r["finished_at"] is None,
            )
        )
    return out


def _agencies(unit_ids: Iterable[int]) -> dict[int, Unit]:
    """For each unit id, the nearest unit at or above it that is not a division."""
    out: dict[int, Unit] = {}
    for unit in Unit.objects.filter(pk__in=set(unit_ids)).select_related("parent"):
        node: Unit | None = unit
        while node is not None and node.kind == Unit.Kind.DIVISION and node.parent is not None:
            node = node.parent
        out[unit.pk] = node or unit
    return out


def group_key(group_by: str, s: LateStep, agencies: dict[int, Unit]) -> Any:
    if group_by == "unit":
        return agencies[s.unit_id].pk
    if group_by == "division":
        return s.unit_id
    if group_by == "officer":
        return s.assignee_id
    if group_by == "procedure":
        return s.procedure_code
    return (s.procedure_code, s.order)


def overtime_report(
    *, period: Period, unit_ids: frozenset[int] | None, group_by: str, now: datetime
) -> OvertimeReport:
    """Late steps and overtime per group, and the total (see the module docstring)."""
    if group_by not in GROUPS:
        raise ValueError(group_by)
    steps = late_steps(period=period, unit_ids=unit_ids, now=now)
    agencies = _agencies({s.unit_id for s in steps})
    units = {u.pk: u for u in Unit.objects.filter(pk__in={s.unit_id for s in steps})}
    officers = {
        st.pk: st
        for st in Staff.objects.filter(pk__in={s.assignee_id for s in steps if s.assignee_id})
    }
    rows: dict[Any, OvertimeRow] = {}
    total = OvertimeRow(key="total", name=_("Tổng cộng"))
    for s in steps:
        k = group_key(group_by, s, agencies)
        row = rows.get(k)
        if row is None:
            row = rows[k] = OvertimeRow(key="", name="")
            if group_by == "unit":
                row.key, row.name = agencies[s.unit_id].code, agencies[s.unit_id].name
            elif group_by == "division":
                row.key, row.name = units[s.unit_id].code, units[s.unit_id].name
            elif group_by == "officer":
                who = officers.get(s.assignee_id) if s.assignee_id else None
                row.key = who.username if who else "-"
                row.name = (who.get_full_name() or who.username) if who else _("Chưa phân công")
            elif group_by == "procedure":
                row.key, row.name = s.procedure_code, s.procedure_name
            else:
                row.key = f"{s.procedure_code}#{s.order}"
                row.name = f"{s.procedure_name} — {_('bước')} {s.order}. {s.name}"
        for r in (row, total):
            r.late_steps += 1
            r.overtime += s.overtime
            r.dossier_ids.add(s.dossier_id)
    ordered = sorted(rows.values(), key=lambda r: (-r.overtime, r.key))
    return OvertimeReport(period=period, group_by=group_by, rows=ordered, total=total, steps=steps)


def drill_down(report: OvertimeReport, key: str) -> list[dict[str, Any]]:
    """The late steps of one group of ``report`` with their dossiers' apologies."""
    agencies = _agencies({s.unit_id for s in report.steps})
    units = {u.pk: u for u in Unit.objects.filter(pk__in={s.unit_id for s in report.steps})}
    officers = {
        st.pk: st
        for st in Staff.objects.filter(
            pk__in={s.assignee_id for s in report.steps if s.assignee_id}
        )
    }

    def public_key(s: LateStep) -> str:
        g = report.group_by
        if g == "unit":
            return agencies[s.unit_id].code
        if g == "division":
            return units[s.unit_id].code
        if g == "officer":
            who = officers.get(s.assignee_id) if s.assignee_id else None
            return who.username if who else "-"
        if g == "procedure":
            return s.procedure_code
        return f"{s.procedure_code}#{s.order}"

    chosen = [s for s in report.steps if public_key(s) == key]
    apologies: dict[int, list[Apology]] = {}
    for a in Apology.objects.filter(dossier_id__in={s.dossier_id for s in chosen}).select_related(
        "signed_by", "drafted_by"
    ):
        apologies.setdefault(a.dossier_id, []).append(a)
    out = []
    for s in chosen:
        who = officers.get(s.assignee_id) if s.assignee_id else None
        out.append(
            {
                "step": s,
                "unit": units[s.unit_id],
                "officer": (who.get_full_name() or who.username) if who else "",
                "overtime_working_hours": hours_decimal(s.overtime),
                "overtime_words": describe_overtime(s.overtime),
                "apologies": apologies.get(s.dossier_id, []),
            }
        )
    return out


def control_sheet_extra(dossier: Dossier, form: str) -> dict[str, Any]:
    """What the control sheet adds from here: the attribution of the dossier (now)."""
    if form != "control-sheet":
        return {}
    from django.utils import timezone

    steps = list(dossier.steps.select_related("unit", "assignee").order_by("order"))
    return {"attribution": dossier_attribution(dossier, steps, now=timezone.now())}
