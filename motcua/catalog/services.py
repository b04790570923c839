"""Every write to the procedure catalog."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import Field, Procedure, ProcedureStep, RequiredDocument
from motcua.core.errors import InvalidInput
from motcua.org.models import Role, Unit


class StepDurationsMismatch(InvalidInput):
    code = "step_durations_mismatch"


@dataclass(frozen=True)
class StepSpec:
    name: str
    role: str
    duration_working_hours: Decimal
    responsible_unit: Unit | None = None
    responsible_unit_kind: str = ""


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    form: str = RequiredDocument.Form.ORIGINAL
    copies: int = 1
    mandatory: bool = True
    note: str = ""


@dataclass
class ProcedureSpec:
    code: str
    name: str
    field: Field
    target_working_hours: Decimal
    steps: Sequence[StepSpec]
    legal_working_days: Decimal | None = None
    legal_working_hours: Decimal | None = None
    effective_from: date = date(2025, 7, 1)
    documents: Sequence[DocumentSpec] = ()
    units: Iterable[Unit] = ()
    deadline_mode: str = Procedure.DeadlineMode.DAY
    cutoff_time: time | None = None
    supplement_policy: str = Procedure.SupplementPolicy.PAUSE
    green_lane_group: str = ""
    green_lane_working_hours: Decimal | None = None
    online_mode: str = Procedure.OnlineMode.NONE
    fee: int = 0
    fee_note: str = ""
    legal_basis: str = ""
    result_name: str = ""


def _hours(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def check_step_durations(
    *,
    target_working_hours: Decimal,
    durations: Sequence[Decimal],
    legal_working_days: Decimal | None,
    legal_working_hours: Decimal | None,
) -> None:
    """Refuse an internal procedure whose step budgets do not add up to its target time."""
    if (legal_working_days is None) == (legal_working_hours is None):
        raise InvalidInput(
            _(
                "Hãy điền đúng một trong hai: thời hạn theo ngày làm việc hoặc thời hạn theo giờ "
                "làm việc."
            ),
            field="legal_working_days",
        )
    if not durations:
        raise StepDurationsMismatch(
            _("Quy trình nội bộ cần ít nhất một bước xử lý."), field="steps"
        )
    total = sum(durations, Decimal(0))
    if total != target_working_hours:
        raise StepDurationsMismatch(
            _(
                "Tổng thời gian các bước là %(total)s giờ làm việc, nhưng thời gian giải quyết "
                "nội bộ là %(target)s giờ. Hãy sửa thời gian các bước (chênh %(diff)s giờ) hoặc "
                "thời gian giải quyết nội bộ cho khớp."
            )
            % {
                "total": _hours(total),
                "target": _hours(target_working_hours),
                "diff": _hours(abs(total - target_working_hours)),
            },
            field="steps",
        )
    legal = (
        legal_working_hours
        if legal_working_hours is not None
        else (legal_working_days or Decimal(0)) * 8
    )
    if legal > 0 and target_working_hours > legal:
        raise StepDurationsMismatch(
            _(
                "Thời gian giải quyết nội bộ (%(target)s giờ) vượt thời hạn theo quy định "
                "(%(legal)s giờ làm việc)."
            )
            % {"target": _hours(target_working_hours), "legal": _hours(legal)},
            field="target_working_hours",
        )


@transaction.atomic
def create_procedure(*, spec: ProcedureSpec) -> Procedure:
    """Create one version of a procedure with its steps, papers and offering units."""
    for step in spec.steps:
        if step.role not in Role.values:
            raise InvalidInput(
                _("Vai trò không hợp lệ ở bước %(name)s.") % {"name": step.name}, field="steps"
            )
        if step.duration_working_hours < 0:
            raise InvalidInput(
                _("Thời gian của bước %(name)s không được âm.") % {"name": step.name},
                field="steps",
            )
    check_step_durations(
        target_working_hours=spec.target_working_hours,
        durations=[s.duration_working_hours for s in spec.steps],
        legal_working_days=spec.legal_working_days,
        legal_working_hours=spec.legal_working_hours,
    )
    if Procedure.objects.filter(code=spec.code, effective_from=spec.effective_from).exists():
        raise InvalidInput(
            _("Thủ tục %(code)s đã có phiên bản áp dụng từ %(on)s.")
            % {"code": spec.code, "on": spec.effective_from.strftime("%d/%m/%Y")},
            code="duplicate",
            field="effective_from",
        )
    previous = (
        Procedure.objects.select_for_update()
        .filter(code=spec.code, effective_from__lt=spec.effective_from)
        .order_by("-effective_from")
        .first()
    )
    following = (
        Procedure.objects.filter(code=spec.code, effective_from__gt=spec.effective_from)
        .order_by("effective_from")
        .first()
    )
    procedure = Procedure(
        code=spec.code,
        effective_from=spec.effective_from,
        effective_to=following.effective_from - timedelta(days=1) if following else None,
        name=spec.name,
        field=spec.field,
        legal_working_days=spec.legal_working_days,
        legal_working_hours=spec.legal_working_hours,
        target_working_hours=spec.target_working_hours,
        deadline_mode=spec.deadline_mode,
        cutoff_time=spec.cutoff_time,
        supplement_policy=spec.supplement_policy,
        green_lane_group=spec.green_lane_group,
        green_lane_working_hours=spec.green_lane_working_hours,
        online_mode=spec.online_mode,
        fee=spec.fee,
        fee_note=spec.fee_note,
        legal_basis=spec.legal_basis,
        result_name=spec.result_name,
    )
    procedure.full_clean(exclude=["units"])
    procedure.save()
    if previous is not None:
        previous.effective_to = spec.effective_from - timedelta(days=1)
        previous.save(update_fields=["effective_to"])
    ProcedureStep.objects.bulk_create(
        ProcedureStep(
            procedure=procedure,
            order=i,
            name=s.name,
            role=s.role,
            responsible_unit=s.responsible_unit,
            responsible_unit_kind=s.responsible_unit_kind,
            duration_working_hours=s.duration_working_hours,
        )
        for i, s in enumerate(spec.steps, start=1)
    )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(
            procedure=procedure,
            order=i,
            name=d.name,
            form=d.form,
            copies=d.copies,
            mandatory=d.mandatory,
            note=d.note,
        )
        for i, d in enumerate(spec.documents, start=1)
    )
    procedure.units.set(list(spec.units))
    return procedure
