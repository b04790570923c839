"""Every write to the procedure catalog.

Each function takes the ``actor`` (None: the system — the demo loader, a command, a migration)
and leaves a history row on every procedure, step and paper it changes, carrying the actor and a
reason in Vietnamese (``motcua.core.history``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from motcua.catalog.models import Field, Procedure, ProcedureStep, RequiredDocument
from motcua.core.errors import InvalidInput
from motcua.core.history import reason, save_with_history, stamp
from motcua.org.models import Role, Staff, Unit


class StepDurationsMismatch(InvalidInput):
    code = "step_durations_mismatch"


@dataclass(frozen=True)
class StepSpec:
    name: str
    role: str
    duration_working_hours: Decimal
    responsible_unit: Unit | None = None
    responsible_unit_kind: str = ""
    order: int | None = None  # None: its place in the list (1, 2, ...)
    id: int | None = None  # the step being changed (save_procedure); None: a new step


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    form: str = RequiredDocument.Form.ORIGINAL
    copies: int = 1
    mandatory: bool = True
    note: str = ""
    order: int | None = None  # None: its place in the list (1, 2, ...)
    id: int | None = None  # the paper being changed (save_procedure); None: a new paper


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


Spec = TypeVar("Spec", StepSpec, DocumentSpec)


def _numbered(specs: Sequence[Spec]) -> list[Spec]:
    return [s if s.order is not None else replace(s, order=i) for i, s in enumerate(specs, 1)]


def check_procedure(*, procedure: Procedure, steps: Sequence[StepSpec]) -> None:
    """The checks of one version of a procedure and its internal procedure, before it is saved:
    valid roles, no negative time, steps that add up (:func:`check_step_durations`), a coherent
    validity period, distinct step numbers, one version per (code, effective_from)."""
    for step in steps:
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
        target_working_hours=procedure.target_working_hours,
        durations=[s.duration_working_hours for s in steps],
        legal_working_days=procedure.legal_working_days,
        legal_working_hours=procedure.legal_working_hours,
    )
    if procedure.effective_to is not None and procedure.effective_to < procedure.effective_from:
        raise InvalidInput(
            _("Ngày hết hiệu lực phải sau ngày bắt đầu áp dụng."), field="effective_to"
        )
    orders = [s.order for s in _numbered(steps)]
    for order in orders:
        if orders.count(order) > 1:
            raise InvalidInput(
                _("Hai bước xử lý cùng có thứ tự %(order)s.") % {"order": order}, field="steps"
            )
    if (
        Procedure.objects.filter(code=procedure.code, effective_from=procedure.effective_from)
        .exclude(pk=procedure.pk)
        .exists()
    ):
        raise InvalidInput(
            _("Thủ tục %(code)s đã có phiên bản áp dụng từ %(on)s.")
            % {"code": procedure.code, "on": procedure.effective_from.strftime("%d/%m/%Y")},
            code="duplicate",
            field="effective_from",
        )


@transaction.atomic
def create_procedure(*, spec: ProcedureSpec, actor: Staff | None) -> Procedure:
    """Create one version of a procedure with its steps, papers and offering units."""
    procedure = Procedure(
        code=spec.code,
        effective_from=spec.effective_from,
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
    return save_procedure(
        procedure=procedure,
        steps=spec.steps,
        documents=spec.documents,
        units=spec.units,
        actor=actor,
    )


@transaction.atomic
def save_procedure(
    *,
    procedure: Procedure,
    steps: Sequence[StepSpec],
    documents: Sequence[DocumentSpec],
    units: Iterable[Unit],
    actor: Staff | None,
) -> Procedure:
    """Save one version of a procedure (new when ``procedure.pk`` is None) with exactly these
    steps, papers and offering units, after the checks of :func:`check_procedure`.

    A step or paper with an ``id`` changes that row, one without is added, and a row of the
    procedure not listed is removed; only what changes gets a history row. A new version closes
    the version before it (its last day becomes the day before) and ends the day before the next.
    """
    steps, documents, units = _numbered(steps), _numbered(documents), list(units)
    check_procedure(procedure=procedure, steps=steps)
    created = procedure.pk is None
    why = reason(
        gettext_lazy("Tạo thủ tục %(code)s") if created else gettext_lazy("Sửa thủ tục %(code)s"),
        code=procedure.code,
    )
    previous: Procedure | None = None
    if created:
        previous = (
            Procedure.objects.select_for_update()
            .filter(code=procedure.code, effective_from__lt=procedure.effective_from)
            .order_by("-effective_from")
            .first()
        )
        following = (
            Procedure.objects.filter(
                code=procedure.code, effective_from__gt=procedure.effective_from
            )
            .order_by("effective_from")
            .first()
        )
        if procedure.effective_to is None and following is not None:
            procedure.effective_to = following.effective_from - timedelta(days=1)
        changed = True
    else:
        before = Procedure.objects.select_for_update().get(pk=procedure.pk)
        changed = any(
            getattr(before, f.attname) != getattr(procedure, f.attname)
            for f in Procedure._meta.concrete_fields
        ) or {u.pk for u in units} != set(before.units.values_list("pk", flat=True))
    procedure.full_clean(exclude=["units"])
    if changed:
        stamp(procedure, actor=actor, reason=why)
        save_with_history(procedure, set_related=lambda p: p.units.set(units))
    if previous is not None:
        last_day = procedure.effective_from - timedelta(days=1)
        if previous.effective_to != last_day:
            previous.effective_to = last_day
            stamp(previous, actor=actor, reason=why)
            previous.save(update_fields=["effective_to"])
    step_rows = [(s.id, _step_values(s)) for s in steps]
    paper_rows = [(d.id, _document_values(d)) for d in documents]
    _sync_rows(ProcedureStep, procedure, step_rows, actor=actor, why=why, unique_order=True)
    _sync_rows(RequiredDocument, procedure, paper_rows, actor=actor, why=why, unique_order=False)
    return procedure


def _step_values(spec: StepSpec) -> dict[str, Any]:
    return {
        "order": spec.order,
        "name": spec.name,
        "role": spec.role,
        "responsible_unit_id": spec.responsible_unit.pk if spec.responsible_unit else None,
        "responsible_unit_kind": spec.responsible_unit_kind,
        "duration_working_hours": spec.duration_working_hours,
    }


def _document_values(spec: DocumentSpec) -> dict[str, Any]:
    return {
        "order": spec.order,
        "name": spec.name,
        "form": spec.form,
        "copies": spec.copies,
        "mandatory": spec.mandatory,
        "note": spec.note,
    }


Row = TypeVar("Row", ProcedureStep, RequiredDocument)


def _sync_rows(
    model: type[Row],
    procedure: Procedure,
    wanted: list[tuple[int | None, dict[str, Any]]],
    *,
    actor: Staff | None,
    why: str,
    unique_order: bool,
) -> None:
    """Make the procedure's rows of ``model`` exactly ``wanted`` ((id or None, field values)),
    one history row per row added, changed or removed."""
    manager: models.Manager[Row] = model._default_manager
    existing: dict[int, Row] = {
        row.pk: row for row in manager.select_for_update().filter(procedure=procedure)
    }
    kept = {pk for pk, _values in wanted if pk is not None}
    if kept - existing.keys():
        raise InvalidInput(
            _("Có dòng đã bị xoá hoặc không thuộc thủ tục này; hãy tải lại trang rồi sửa lại."),
            field="steps" if model is ProcedureStep else "documents",
        )
    for gone_pk in existing.keys() - kept:
        gone = existing.pop(gone_pk)
        stamp(gone, actor=actor, reason=why)
        gone.delete()
    changed: list[tuple[Row, dict[str, Any]]] = []
    for pk, values in wanted:
        if pk is not None and any(getattr(existing[pk], k) != v for k, v in values.items()):
            changed.append((existing[pk], values))
    if unique_order:
        # Two steps may swap numbers: park the renumbered ones above every number first (no
        # history: the real change is written just below, in the same transaction).
        moving = [row for row, values in changed if row.order != values["order"]]
        top = max([0, *(r.order for r in existing.values()), *(v["order"] for _p, v in wanted)])
        for i, row in enumerate(moving, start=1):
            row.order = top + i
            row.save_without_historical_record(update_fields=["order"])  # type: ignore[attr-defined]
    for row, values in changed:
        for name, value in values.items():
            setattr(row, name, value)
        stamp(row, actor=actor, reason=why)
        row.save()
    added = [
        stamp(model(procedure=procedure, **values), actor=actor, reason=why)
        for pk, values in wanted
        if pk is None
    ]
    if added:
        bulk_create_with_history(added, model, default_user=actor, default_change_reason=why)
