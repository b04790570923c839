"""Every write to a dossier: one function per action of API.md (STYLE §2).

Each service takes keyword-only arguments, an ``actor`` (None only for the citizen's own online
submission), an injectable ``now``; it runs in one transaction, locks the dossier row first,
checks the actor's role IN THE UNIT concerned, refuses illegal states with a named DomainError
(`motcua.dossiers.errors`) and writes exactly one Event.

Who may do what (a staff member acts only for units where they hold the role):
* receive, accept, refuse, return the result, stop: a receptionist of the receiving unit;
* assign a step: a head of the step's unit;
* complete or return a step: the step's assignee, or anyone holding the step's role in the
  step's unit;
* request / receive a supplement: those who may complete the current step, or a receptionist of
  the receiving unit (intake requests, before acceptance: the receptionist);
* draft an apology: those who may complete the step, or a specialist or head of the step's unit;
* sign an apology: a leader of the step's unit or of the receiving unit.

Decisions (DOMAIN §17 leaves them to us; the tests name each one):
* Status `received` lasts until the first step is completed; then `in_progress`.
* The trailing steps of 0 hours ("Trả kết quả") are the return itself (`rules.counted_steps`):
  completing the last counted step makes the dossier `ready` (outcome approved, timeliness
  judged) and opens the return step; `return_to_applicant` closes it.
* D8 PAUSE_CLOCK: from the request to the supplement the dossier and its current step stop
  counting; on resume `due_at`, `original_due_at`, `green_lane_due_at` and the step's due each
  move by exactly the paused WORKING time (a due already passed when the pause began does not
  move: the clock never lends time). `original_due_at` moves with pauses — a pause for the
  citizen is not the agency's delay — but never with an apology extension, so D7 statistics
  judge the agency against the statute plus the citizen's time. RESTART_ON_RESUBMIT: the clock
  restarts at the supplement (a new effective reception); CONTINUE: nothing moves.
* D9: the first signed apology carrying `new_due_at` moves `due_at` (the citizen's appointment)
  once; `original_due_at` stays. The gate applies to completing and returning an overdue step
  and is opened by an apology for that step signed after the step (re)started.
* A backdated paper reception keeps its real time (and the code of its real date); its reason is
  required and it can never lie in the future.
* An online submission gets its code at submission; the clock starts when the desk accepts it,
  at the effective reception (D5) of the acceptance.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import GreenLaneGroup, Procedure, ProcedureStep
from motcua.catalog.selectors import get_procedure_to_receive
from motcua.core.clock import format_local, past_reception, resolve_now
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers import rules
from motcua.dossiers.codes import next_code
from motcua.dossiers.errors import (
    ApologyAlreadySigned,
    ApologyRequired,
    AwaitingSupplement,
    DecisionAlreadyIssued,
    DossierNotFound,
    ExtensionAlreadyUsed,
    InvalidStatus,
    NoPreviousStep,
    NoSupplementPending,
    ProcedureNotOffered,
    StepAlreadyFinished,
    StepNotActive,
    SupplementPending,
    UnknownProcedure,
    UnknownUnit,
)
from motcua.dossiers.models import (
    OPEN_STATUSES,
    Apology,
    ApologyStatus,
    Applicant,
    Channel,
    Dossier,
    DossierStep,
    Event,
    EventKind,
    Outcome,
    Status,
    StepStatus,
    SupplementRequest,
)
from motcua.notifications import services as notices
from motcua.org.models import Role, Staff, Unit
from motcua.org.selectors import has_role
from motcua.workdays.rules import CalendarError, WorkCalendar
from motcua.workdays.services import calendar_for

__all__ = [
    "ApplicantData",
    "Created",
    "DocumentData",
    "accept_dossier",
    "assign_step",
    "complete_step",
    "draft_apology",
    "lookup_secret_of",
    "receive_dossier",
    "receive_supplement",
    "recompute_deadlines",
    "refuse_dossier",
    "request_supplement",
    "return_step",
    "return_to_applicant",
    "sign_apology",
    "stop_dossier",
    "submit_online",
]


@dataclass(frozen=True)
class ApplicantData:
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class DocumentData:
    name: str
    copies: int = 1


@dataclass(frozen=True)
class Created:
    """A new dossier and its look-up secret in plain text (stored only as a hash); the steps and
    the event its reception wrote, when known (an idempotent replay reads them again)."""

    dossier: Dossier
    lookup_secret: str
    steps: tuple[DossierStep, ...] | None = None
    events: tuple[Event, ...] | None = None


# ------------------------------------------------------------------------------------ helpers
_now = resolve_now
_fmt = format_local


def _text(value: str, *, field: str, label: str, max_length: int | None = None) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise InvalidInput(_("Hãy nhập %(label)s.") % {"label": label}, field=field)
    if max_length is not None and len(cleaned) > max_length:
        raise InvalidInput(
            _("%(label)s dài quá %(n)s ký tự.") % {"label": label.capitalize(), "n": max_length},
            field=field,
        )
    return cleaned


def _hours(fraction: Fraction) -> timedelta:
    return timedelta(microseconds=round(fraction * 3_600_000_000))


def _calendar_error(exc: CalendarError, field: str) -> InvalidInput:
    return InvalidInput(exc.message_vi, field=field)


def _ensure_active(actor: Staff) -> None:
    if not actor.is_active:
        raise NotAllowed(_("Tài khoản %(user)s đã bị khóa.") % {"user": actor.username})


def _roles_text(roles: Iterable[str]) -> str:
    return _(" hoặc ").join(str(Role(r).label) for r in roles)


def _require(actor: Staff, unit: Unit, roles: Sequence[str], action: str) -> None:
    """Refuse (403) unless ``actor`` holds one of ``roles`` in ``unit``, saying who can."""
    _ensure_active(actor)
    if not has_role(actor, unit, *roles):
        raise NotAllowed(
            _("Chỉ %(who)s của %(unit)s mới được %(action)s.")
            % {"who": _roles_text(roles), "unit": unit.name, "action": action}
        )


def _may_act_on_step(actor: Staff, step: DossierStep) -> bool:
    return actor.is_active and (
        step.assignee_id == actor.pk or has_role(actor, step.unit, step.role)
    )


def _require_step_actor(
    actor: Staff, step: DossierStep, action: str, *, also: Sequence[tuple[Unit, str]] = ()
) -> None:
    _ensure_active(actor)
    if _may_act_on_step(actor, step):
        return
    if any(has_role(actor, unit, role) for unit, role in also):
        return
    who = _("người được phân công thụ lý hoặc %(role)s của %(unit)s") % {
        "role": Role(step.role).label,
        "unit": step.unit.name,
    }
    for unit, role in also:
        who += _(", hoặc %(role)s của %(unit)s") % {"role": Role(role).label, "unit": unit.name}
    raise NotAllowed(
        _("Chỉ %(who)s mới được %(action)s ở bước “%(step)s”.")
        % {"who": who, "action": action, "step": step.name}
    )


def _lock(dossier_id: int) -> Dossier:
    try:
        return (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "unit")
            .get(pk=dossier_id)
        )
    except Dossier.DoesNotExist:
        raise DossierNotFound(_("Không tìm thấy hồ sơ.")) from None


def _lock_step(step_id: int) -> tuple[Dossier, DossierStep]:
    dossier_id = DossierStep.objects.filter(pk=step_id).values_list("dossier_id", flat=True).first()
    if dossier_id is None:
        raise DossierNotFound(_("Không tìm thấy bước xử lý."))
    dossier = _lock(dossier_id)
    step = DossierStep.objects.select_related("unit", "assignee").get(pk=step_id)
    return dossier, step


def _steps(dossier: Dossier) -> list[DossierStep]:
    return list(dossier.steps.select_related("unit", "assignee").order_by("order"))


def _open_step(steps: Sequence[DossierStep]) -> DossierStep | None:
    return next((s for s in steps if s.status in (StepStatus.ACTIVE, StepStatus.PAUSED)), None)


def _pick_step(steps: Sequence[DossierStep], step_id: int | None) -> DossierStep | None:
    """Step ``step_id`` of the dossier (422 when it is another dossier's), or its open step."""
    if step_id is None:
        return _open_step(steps)
    step = next((s for s in steps if s.pk == step_id), None)
    if step is None:
        raise InvalidInput(_("Bước xử lý không thuộc hồ sơ này."), field="step")
    return step


def _record(
    dossier: Dossier,
    *,
    actor: Staff | None,
    kind: str,
    at: datetime,
    from_status: str,
    note: str = "",
    step: DossierStep | None = None,
    from_unit: Unit | None = None,
    to_unit: Unit | None = None,
) -> Event:
    return Event.objects.create(
        dossier=dossier,
        at=at,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=dossier.status,
        note=note,
        step=step,
        from_unit=from_unit,
        to_unit=to_unit,
    )


def _classify(finished_at: datetime, due_at: datetime | None, cal: WorkCalendar) -> str:
    if due_at is None:
        return ""
    return str(rules.classify_timeliness(finished_at=finished_at, due_at=due_at, tz=cal.tz))


def _activate(step: DossierStep, *, at: datetime) -> None:
    """Open ``step`` at ``at`` with its budget counted in Mode H on its unit's calendar."""
    _begin(step, at=at, cal=calendar_for(step.unit))
    step.save()


def _begin(step: DossierStep, *, at: datetime, cal: WorkCalendar) -> None:
    """`_activate` without the write, ``cal`` being the calendar of the step's unit."""
    step.status = StepStatus.ACTIVE
    step.started_at = at
    step.finished_at = None
    step.timeliness = ""
    step.paused_at = None
    step.paused_working = timedelta(0)
    try:
        step.due_at = cal.add_working_hours(at, step.duration_working_hours)
    except CalendarError as exc:
        raise _calendar_error(exc, "received_at") from exc


def _finish(step: DossierStep, *, at: datetime) -> None:
    step.status = StepStatus.DONE
    step.finished_at = at
    step.timeliness = _classify(at, step.due_at, calendar_for(step.unit)) if step.counted else ""
    step.paused_at = None
    step.save()


def _make_ready(
    dossier: Dossier, steps: Sequence[DossierStep], *, outcome: str, at: datetime
) -> DossierStep | None:
    """The result (or the not-eligible notice) exists: judge timeliness (D7), open the return."""
    dossier.status = Status.READY
    dossier.outcome = outcome
    dossier.ready_at = at
    dossier.timeliness = _classify(at, dossier.original_due_at, calendar_for(dossier.unit))
    dossier.save()
    notices.notify_result_ready(dossier=dossier)
    return_step = next((s for s in steps if not s.counted and s.status == StepStatus.PENDING), None)
    if return_step is not None:
        _activate(return_step, at=at)
    return return_step


def _gate(step: DossierStep, *, now: datetime) -> None:
    """D9 (b): an overdue step moves on only with a signed apology for it."""
    if step.due_at is None or now <= step.due_at or not step.counted:
        return
    signed = Apology.objects.filter(step=step, status=ApologyStatus.SIGNED)
    if step.started_at is not None:
        signed = signed.filter(signed_at__gte=step.started_at)
    if not signed.exists():
        raise ApologyRequired(
            _(
                "Bước “%(step)s” đã quá hạn (hạn %(due)s). Người thụ lý cần giải trình, dự thảo "
                "phiếu xin lỗi và Lãnh đạo đơn vị ký phiếu trước khi chuyển tiếp hoặc trả lại "
                "hồ sơ."
            )
            % {"step": step.name, "due": _fmt(step.due_at)}
        )


def lookup_secret_of(dossier: Dossier) -> str:
    """The dossier's look-up secret, derived again from its nonce (for an idempotent replay)."""
    return rules.format_secret(
        rules.derive_secret(settings.SECRET_KEY.encode(), dossier.lookup_nonce)
    )


# ---------------------------------------------------------------------------------- reception
def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise UnknownUnit(_("Không có đơn vị mã %(code)s.") % {"code": code}, field="unit")
    if not unit.active:
        raise UnknownUnit(
            _("Đơn vị %(name)s đã ngừng hoạt động, không tiếp nhận hồ sơ.") % {"name": unit.name},
            field="unit",
        )
    return unit


def _offered_procedure(code: str, unit: Unit, on: date) -> Procedure:
    """The version of ``code`` in force on ``on``, offered by ``unit``, its steps prefetched."""
    procedure = get_procedure_to_receive(code, unit, on)
    if procedure is None:
        if Procedure.objects.filter(code=code).exists():
            raise UnknownProcedure(
                _("Thủ tục %(code)s không có phiên bản áp dụng vào ngày %(on)s.")
                % {"code": code, "on": on.strftime("%d/%m/%Y")},
                field="procedure",
            )
        raise UnknownProcedure(
            _("Không có thủ tục mã %(code)s trong danh mục.") % {"code": code}, field="procedure"
        )
    if not procedure.offered:  # type: ignore[attr-defined]
        raise ProcedureNotOffered(
            _("%(unit)s không tiếp nhận thủ tục %(code)s — %(name)s.")
            % {"unit": unit.name, "code": procedure.code, "name": procedure.name},
            field="procedure",
        )
    return procedure


def _green_lane(group: str | None, procedure: Procedure) -> str:
    if group is None:
        return procedure.green_lane_group or ""
    if group and group not in GreenLaneGroup.values:
        raise InvalidInput(
            _("Nhóm làn xanh không hợp lệ: %(group)s.") % {"group": group}, field="green_lane"
        )
    return group


def _clean_applicant(applicant: ApplicantData) -> ApplicantData:
    name = _text(
        applicant.name, field="applicant.name", label=_("họ tên người nộp"), max_length=200
    )
    email = (applicant.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(
                _("Địa chỉ thư điện tử %(email)s không hợp lệ.") % {"email": email},
                field="applicant.email",
            ) from None
    limits = {"id_number": 50, "phone": 30, "address": 500}
    values = {k: (getattr(applicant, k) or "").strip() for k in limits}
    for key, limit in limits.items():
        if len(values[key]) > limit:
            raise InvalidInput(
                _("Trường %(field)s dài quá %(n)s ký tự.") % {"field": key, "n": limit},
                field=f"applicant.{key}",
            )
    return ApplicantData(name=name, email=email, **values)


def _documents(documents: Iterable[DocumentData]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for doc in documents:
        name = _text(doc.name, field="documents", label=_("tên giấy tờ"), max_length=500)
        if doc.copies < 1:
            raise InvalidInput(
                _("Số bản của “%(name)s” phải từ 1 trở lên.") % {"name": name}, field="documents"
            )
        out.append({"name": name, "copies": doc.copies})
    return out


def _new_dossier(
    *,
    procedure: Procedure,
    unit: Unit,
    channel: str,
    status: str,
    green_lane_group: str,
    documents: list[dict[str, object]],
    note: str,
    **fields: object,
) -> Dossier:
    """A dossier not yet stored: `_store` gives it its code."""
    return Dossier(
        procedure=procedure,
        unit=unit,
        channel=channel,
        status=status,
        green_lane_group=green_lane_group,
        green_lane=bool(green_lane_group),
        documents=documents,
        note=(note or "").strip(),
        lookup_nonce=secrets.token_hex(16),
        **fields,
    )


def _store(dossier: Dossier, *, applicant: ApplicantData, on: date) -> Created:
    """Take the next code of the dossier's unit on ``on`` and insert the dossier and its
    applicant. Called last before the inserts, so the code counter's row lock is held briefly."""
    secret = rules.format_secret(
        rules.derive_secret(settings.SECRET_KEY.encode(), dossier.lookup_nonce)
    )
    dossier.code = next_code(unit=dossier.unit, on=on)
    dossier.lookup_secret_hash = rules.hash_secret(dossier.code, secret)
    dossier.save(force_insert=True)
    Applicant.objects.create(
        dossier=dossier,
        name=applicant.name,
        id_number=applicant.id_number,
        phone=applicant.phone,
        email=applicant.email,
        address=applicant.address,
    )
    return Created(dossier=dossier, lookup_secret=secret)


def _dues(
    dossier: Dossier, cal: WorkCalendar, *, received_at: datetime
) -> tuple[datetime, datetime, datetime | None]:
    """The effective reception, the appointment (D3/D5) and the green-lane target (D6) of a
    dossier received at ``received_at`` under its procedure version."""
    procedure = dossier.procedure
    effective, due = rules.appointment(
        cal,
        received_at=received_at,
        legal_working_days=procedure.legal_working_days,
        legal_working_hours=procedure.legal_working_hours,
        deadline_mode=procedure.deadline_mode,
        cutoff=procedure.cutoff_time,
    )
    green = (
        rules.green_lane_due(
            cal, effective_received_at=effective, hours=procedure.green_lane_hours, due_at=due
        )
        if dossier.green_lane
        else None
    )
    return effective, due, green


def _set_clock(dossier: Dossier, cal: WorkCalendar, *, received_at: datetime, actor: Staff) -> None:
    """Reception proper, not yet written: the appointment (D3/D5) and the green-lane target (D6)
    on ``cal``, the calendar of the dossier's unit."""
    try:
        effective, due, green = _dues(dossier, cal, received_at=received_at)
    except CalendarError as exc:
        raise _calendar_error(exc, "received_at") from exc
    dossier.received_at = received_at
    dossier.received_by = actor
    dossier.effective_received_at = effective
    dossier.due_at = due
    dossier.original_due_at = due
    dossier.green_lane_due_at = green


def _open_steps(
    dossier: Dossier,
    templates: Sequence[ProcedureStep],
    cal: WorkCalendar,
    *,
    received_at: datetime,
    actor: Staff,
) -> list[DossierStep]:
    """The dossier's steps from its procedure's ``templates`` (in order), written in one insert;
    the first opens at the reception, assigned to ``actor`` when they hold its role. ``actor``
    is a receptionist of the dossier's unit (the caller checked)."""
    counted = rules.counted_steps([t.duration_working_hours for t in templates])
    steps = [
        DossierStep(
            dossier=dossier,
            order=t.order,
            name=t.name,
            unit=t.resolve_unit(dossier.unit),
            role=t.role,
            duration_working_hours=t.duration_working_hours,
            counted=i < counted,
        )
        for i, t in enumerate(templates)
    ]
    if steps:
        first = steps[0]
        home = first.unit_id == dossier.unit_id
        if (home and first.role == Role.RECEPTIONIST) or has_role(actor, first.unit, first.role):
            first.assignee = actor
        _begin(first, at=received_at, cal=cal if home else calendar_for(first.unit))
    return DossierStep.objects.bulk_create(steps)


@transaction.atomic
def receive_dossier(
    *,
    actor: Staff,
    procedure_code: str,
    unit_code: str,
    applicant: ApplicantData,
    channel: str = Channel.COUNTER,
    green_lane_group: str | None = None,
    documents: Iterable[DocumentData] = (),
    note: str = "",
    received_at: datetime | None = None,
    received_at_reason: str = "",
    now: datetime | None = None,
) -> Created:
    """Receive a complete dossier at the desk (counter, postal, or an online one entered by
    staff): code, appointment, steps; the first step opens at the reception.

    ``received_at`` enters a paper dossier received while the system was unreachable at its real
    time; it needs ``received_at_reason`` and can never be in the future. ``green_lane_group``
    None takes the procedure's own group; "" says "not green lane".
    """
    now = _now(now)
    if channel not in Channel.values:
        raise InvalidInput(
            _("Hình thức nộp không hợp lệ: %(channel)s.") % {"channel": channel}, field="channel"
        )
    unit = _unit(unit_code)
    _require(actor, unit, [Role.RECEPTIONIST], _("tiếp nhận hồ sơ"))
    reason = ""
    if received_at is None:
        received_at = now
    else:
        past_reception(received_at, now=now)
        reason = _text(
            received_at_reason,
            field="received_at_reason",
            label=_("lý do nhập lùi thời điểm tiếp nhận"),
            max_length=500,
        )
    cal = calendar_for(unit)
    on = received_at.astimezone(cal.tz).date()
    procedure = _offered_procedure(procedure_code, unit, on)
    cleaned = _clean_applicant(applicant)
    dossier = _new_dossier(
        procedure=procedure,
        unit=unit,
        channel=channel,
        status=Status.RECEIVED,
        green_lane_group=_green_lane(green_lane_group, procedure),
        documents=_documents(documents),
        note=note,
        received_at_reason=reason,
    )
    _set_clock(dossier, cal, received_at=received_at, actor=actor)
    created = _store(dossier, applicant=cleaned, on=on)
    steps = _open_steps(
        dossier, list(procedure.steps.all()), cal, received_at=received_at, actor=actor
    )
    event_note = _("Hẹn trả kết quả %(due)s.") % {"due": _fmt(dossier.due_at)}
    if reason:
        event_note += " " + _("Nhập lùi thời điểm tiếp nhận: %(reason)s") % {"reason": reason}
    event = _record(
        dossier,
        actor=actor,
        kind=EventKind.RECEIVED,
        at=now,
        from_status="",
        note=event_note,
        to_unit=unit,
    )
    notices.notify_receipt(dossier=dossier)
    return replace(created, steps=tuple(steps), events=(event,))


@transaction.atomic
def submit_online(
    *,
    procedure_code: str,
    unit_code: str,
    applicant: ApplicantData,
    green_lane_group: str | None = None,
    documents: Iterable[DocumentData] = (),
    note: str = "",
    now: datetime | None = None,
) -> Created:
    """The citizen's online submission: a code and a look-up secret, status `submitted`; the
    clock starts when the desk accepts it (`accept_dossier`)."""
    now = _now(now)
    unit = _unit(unit_code)
    on = now.astimezone(calendar_for(unit).tz).date()
    procedure = _offered_procedure(procedure_code, unit, on)
    if procedure.online_mode == Procedure.OnlineMode.NONE:
        raise ProcedureNotOffered(
            _(
                "Thủ tục %(code)s chưa cung cấp dịch vụ công trực tuyến; hãy nộp trực tiếp hoặc "
                "qua bưu chính tại %(unit)s."
            )
            % {"code": procedure.code, "unit": unit.name},
            field="procedure",
        )
    cleaned = _clean_applicant(applicant)
    dossier = _new_dossier(
        procedure=procedure,
        unit=unit,
        channel=Channel.ONLINE,
        status=Status.SUBMITTED,
        green_lane_group=_green_lane(green_lane_group, procedure),
        documents=_documents(documents),
        note=note,
        submitted_at=now,
    )
    created = _store(dossier, applicant=cleaned, on=on)
    _record(
        created.dossier,
        actor=None,
        kind=EventKind.SUBMITTED,
        at=now,
        from_status="",
        to_unit=unit,
    )
    return created


@transaction.atomic
def accept_dossier(*, dossier_id: int, actor: Staff, now: datetime | None = None) -> Dossier:
    """The desk's check passed: an online or postal submission becomes `received`; the clock
    starts at the effective reception (D5) of this moment."""
    now = _now(now)
    dossier = _lock(dossier_id)
    _require(actor, dossier.unit, [Role.RECEPTIONIST], _("tiếp nhận hồ sơ"))
    if dossier.status != Status.SUBMITTED:
        raise InvalidStatus(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”, không còn chờ tiếp nhận.")
            % {"code": dossier.code, "status": Status(dossier.status).label}
        )
    if dossier.supplement_requests.filter(answered_at__isnull=True).exists():
        raise SupplementPending(
            _(
                "Hồ sơ %(code)s còn yêu cầu bổ sung chưa được đáp ứng; hãy ghi nhận hồ sơ bổ "
                "sung trước khi tiếp nhận."
            )
            % {"code": dossier.code}
        )
    dossier.status = Status.RECEIVED
    cal = calendar_for(dossier.unit)
    _set_clock(dossier, cal, received_at=now, actor=actor)
    dossier.save()
    templates = dossier.procedure.steps.select_related("responsible_unit").order_by("order")
    _open_steps(dossier, list(templates), cal, received_at=now, actor=actor)
    _record(
        dossier,
        actor=actor,
        kind=EventKind.ACCEPTED,
        at=now,
        from_status=Status.SUBMITTED,
        note=_("Hẹn trả kết quả %(due)s.") % {"due": _fmt(dossier.due_at)},
        to_unit=dossier.unit,
    )
    notices.notify_receipt(dossier=dossier)
    return dossier


# ----------------------------------------------------------------------------------- workflow
def _check_step_can_move(dossier: Dossier, step: DossierStep) -> None:
    if step.status == StepStatus.DONE:
        raise StepAlreadyFinished(
            _("Bước “%(step)s” của hồ sơ %(code)s đã hoàn thành lúc %(at)s.")
            % {"step": step.name, "code": dossier.code, "at": _fmt(step.finished_at)}
        )
    if dossier.status == Status.AWAITING_SUPPLEMENT or step.status == StepStatus.PAUSED:
        raise AwaitingSupplement(
            _(
                "Hồ sơ %(code)s đang chờ công dân bổ sung; hãy ghi nhận hồ sơ bổ sung trước khi "
                "xử lý tiếp."
            )
            % {"code": dossier.code}
        )
    if dossier.status not in (Status.RECEIVED, Status.IN_PROGRESS) or not step.counted:
        raise InvalidStatus(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; không thể chuyển bước.")
            % {"code": dossier.code, "status": Status(dossier.status).label}
        )
    if step.status != StepStatus.ACTIVE:
        raise StepNotActive(
            _("Hồ sơ %(code)s chưa đến bước “%(step)s”.")
            % {"code": dossier.code, "step": step.name}
        )


@transaction.atomic
def assign_step(
    *,
    dossier_id: int,
    actor: Staff,
    assignee: str,
    step_id: int | None = None,
    now: datetime | None = None,
) -> DossierStep:
    """The head of the step's unit names who handles the current step (or a later one)."""
    now = _now(now)
    dossier = _lock(dossier_id)
    if dossier.status not in OPEN_STATUSES:
        raise InvalidStatus(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; không thể phân công.")
            % {"code": dossier.code, "status": Status(dossier.status).label}
        )
    step = _pick_step(_steps(dossier), step_id)
    if step is None:  # pragma: no cover - an open dossier always has an open step
        raise InvalidStatus(_("Hồ sơ không có bước đang xử lý."))
    if step.status == StepStatus.DONE:
        raise StepAlreadyFinished(
            _("Bước “%(step)s” đã hoàn thành; không phân công lại được.") % {"step": step.name}
        )
    _require(actor, step.unit, [Role.HEAD], _("phân công thụ lý"))
    person = Staff.objects.filter(username=assignee, is_active=True).first()
    if person is None:
        raise InvalidInput(
            _("Không có cán bộ đang hoạt động với tên đăng nhập %(user)s.") % {"user": assignee},
            field="assignee",
        )
    if not has_role(person, step.unit, step.role):
        raise InvalidInput(
            _("%(name)s không giữ vai trò %(role)s tại %(unit)s nên không thể thụ lý bước này.")
            % {
                "name": person.get_full_name(),
                "role": Role(step.role).label,
                "unit": step.unit.name,
            },
            field="assignee",
        )
    step.assignee = person
    step.save(update_fields=["assignee"])
    _record(
        dossier,
        actor=actor,
        kind=EventKind.STEP_ASSIGNED,
        at=now,
        from_status=dossier.status,
        step=step,
        note=_("Giao %(name)s (%(user)s) thụ lý bước “%(step)s”.")
        % {"name": person.get_full_name(), "user": person.username, "step": step.name},
        to_unit=step.unit,
    )
    return step


@transaction.atomic
def complete_step(
    *, step_id: int, actor: Staff, note: str = "", now: datetime | None = None
) -> DossierStep:
    """Finish the current step and hand the dossier to the next step's unit; the last counted
    step makes the dossier `ready` (outcome approved). Overdue without a signed apology → 409."""
    now = _now(now)
    dossier, step = _lock_step(step_id)
    _check_step_can_move(dossier, step)
    _require_step_actor(actor, step, _("hoàn thành bước xử lý"))
    _gate(step, now=now)
    steps = _steps(dossier)
    from_status = dossier.status
    _finish(step, at=now)
    following = next((s for s in steps if s.order > step.order), None)
    if following is None or not following.counted:
        opened = _make_ready(dossier, steps, outcome=Outcome.APPROVED, at=now)
        to_unit = opened.unit if opened is not None else dossier.unit
    else:
        _activate(following, at=now)
        dossier.status = Status.IN_PROGRESS
        dossier.save(update_fields=["status"])
        to_unit = following.unit
    _record(
        dossier,
        actor=actor,
        kind=EventKind.STEP_COMPLETED,
        at=now,
        from_status=from_status,
        step=step,
        note=(note or "").strip(),
        from_unit=step.unit,
        to_unit=to_unit,
    )
    return step


@transaction.atomic
def return_step(
    *, step_id: int, actor: Staff, note: str, now: datetime | None = None
) -> DossierStep:
    """Send the dossier back to the previous step (with the reason); that step opens again with
    a fresh budget. Returns the re-opened step."""
    now = _now(now)
    reason = _text(note, field="note", label=_("lý do trả lại"), max_length=2000)
    dossier, step = _lock_step(step_id)
    _check_step_can_move(dossier, step)
    _require_step_actor(actor, step, _("trả lại bước trước"))
    _gate(step, now=now)
    steps = _steps(dossier)
    previous = next((s for s in reversed(steps) if s.order < step.order), None)
    if previous is None:
        raise NoPreviousStep(
            _("“%(step)s” là bước đầu tiên; không có bước trước để trả lại.") % {"step": step.name}
        )
    step.status = StepStatus.PENDING
    step.started_at = None
    step.due_at = None
    step.paused_working = timedelta(0)
    step.timeliness = ""
    step.save()
    _activate(previous, at=now)
    _record(
        dossier,
        actor=actor,
        kind=EventKind.STEP_RETURNED,
        at=now,
        from_status=dossier.status,
        step=step,
        note=reason,
        from_unit=step.unit,
        to_unit=previous.unit,
    )
    return previous


# -------------------------------------------------------------------------------- supplements
def _clean_items(items: Sequence[str]) -> list[str]:
    cleaned = [i.strip() for i in items if i and i.strip()]
    if not cleaned:
        raise InvalidInput(
            _("Hãy ghi ít nhất một nội dung cần bổ sung, hoàn thiện (Mẫu 02)."), field="items"
        )
    if any(len(i) > 1000 for i in cleaned):
        raise InvalidInput(_("Mỗi nội dung cần bổ sung dài tối đa 1000 ký tự."), field="items")
    return cleaned


@transaction.atomic
def request_supplement(
    *,
    dossier_id: int,
    actor: Staff,
    items: Sequence[str],
    note: str = "",
    now: datetime | None = None,
) -> SupplementRequest:
    """Mẫu 02. Before acceptance (status `submitted`): the desk's one written guidance; during
    processing: the dossier waits (`awaiting_supplement`) and, under PAUSE_CLOCK, stops counting."""
    now = _now(now)
    cleaned = _clean_items(items)
    dossier = _lock(dossier_id)
    if dossier.status == Status.AWAITING_SUPPLEMENT or (
        dossier.status == Status.SUBMITTED
        and dossier.supplement_requests.filter(answered_at__isnull=True).exists()
    ):
        raise SupplementPending(
            _("Hồ sơ %(code)s đã có yêu cầu bổ sung chưa được đáp ứng.") % {"code": dossier.code}
        )
    from_status = dossier.status
    step: DossierStep | None = None
    if dossier.status == Status.SUBMITTED:
        _require(actor, dossier.unit, [Role.RECEPTIONIST], _("yêu cầu bổ sung hồ sơ"))
    elif dossier.status in (Status.RECEIVED, Status.IN_PROGRESS):
        step = _open_step(_steps(dossier))
        if step is None:  # pragma: no cover - an open dossier always has an open step
            raise InvalidStatus(_("Hồ sơ không có bước đang xử lý."))
        _require_step_actor(
            actor, step, _("yêu cầu bổ sung hồ sơ"), also=[(dossier.unit, Role.RECEPTIONIST)]
        )
        dossier.status = Status.AWAITING_SUPPLEMENT
        step.status = StepStatus.PAUSED
        if dossier.procedure.supplement_policy != Procedure.SupplementPolicy.CONTINUE:
            dossier.paused_at = now
            step.paused_at = now
        dossier.save()
        step.save()
    else:
        raise InvalidStatus(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; không thể yêu cầu bổ sung.")
            % {"code": dossier.code, "status": Status(dossier.status).label}
        )
    request = SupplementRequest.objects.create(
        dossier=dossier,
        step=step,
        at_intake=from_status == Status.SUBMITTED,
        items=cleaned,
        note=(note or "").strip(),
        requested_at=now,
        requested_by=actor,
    )
    _record(
        dossier,
        actor=actor,
        kind=EventKind.SUPPLEMENT_REQUESTED,
        at=now,
        from_status=from_status,
        step=step,
        note="; ".join(cleaned),
    )
    notices.notify_supplement_request(dossier=dossier, request=request)
    return request


def _shift(
    cal: WorkCalendar, due: datetime | None, paused_from: datetime, now: datetime
) -> datetime | None:
    if due is None or paused_from >= due:
        return due  # a due already passed when the pause began does not move
    return cal.shift_by_paused_time(due, paused_from, now)


def _resume_clock(dossier: Dossier, step: DossierStep | None, *, now: datetime) -> timedelta:
    """End the clock's pause at ``now`` per the procedure's supplement policy (D8); returns the
    paused working time of the dossier's calendar."""
    policy = dossier.procedure.supplement_policy
    cal = calendar_for(dossier.unit)
    paused = timedelta(0)
    try:
        if policy == Procedure.SupplementPolicy.PAUSE and dossier.paused_at is not None:
            start = dossier.paused_at
            paused = _hours(cal.working_hours_between(start, now))
            dossier.due_at = _shift(cal, dossier.due_at, start, now)
            dossier.original_due_at = _shift(cal, dossier.original_due_at, start, now)
            dossier.green_lane_due_at = _shift(cal, dossier.green_lane_due_at, start, now)
            dossier.paused_working += paused
            if step is not None and step.paused_at is not None:
                step_cal = calendar_for(step.unit)
                step.due_at = _shift(step_cal, step.due_at, step.paused_at, now)
                step.paused_working += _hours(step_cal.working_hours_between(step.paused_at, now))
        elif policy == Procedure.SupplementPolicy.RESTART and dossier.paused_at is not None:
            effective, due, green = _dues(dossier, cal, received_at=now)
            paused = _hours(cal.working_hours_between(dossier.paused_at, now))
            dossier.effective_received_at = effective
            dossier.due_at = (
                max(due, dossier.due_at) if dossier.extension_used and dossier.due_at else due
            )
            dossier.original_due_at = due
            if dossier.green_lane:
                dossier.green_lane_due_at = green
            if step is not None:
                step.started_at = now
                step.due_at = calendar_for(step.unit).add_working_hours(
                    now, step.duration_working_hours
                )
    except CalendarError as exc:
        raise _calendar_error(exc, "now") from exc
    dossier.paused_at = None
    if step is not None:
        step.status = StepStatus.ACTIVE
        step.paused_at = None
        step.save()
    return paused


@transaction.atomic
def receive_supplement(
    *, dossier_id: int, actor: Staff, note: str = "", now: datetime | None = None
) -> SupplementRequest:
    """The citizen's supplement arrived at the desk: the request is answered and the clock
    resumes, every due moved by the paused working time (D8)."""
    return _answer_supplement(dossier_id=dossier_id, actor=actor, note=note, now=now)


@transaction.atomic
def submit_supplement_online(
    *, dossier_id: int, note: str = "", now: datetime | None = None
) -> SupplementRequest:
    """The applicant sent the supplement online (the portal checked the code AND the secret):
    the request is answered and the clock resumes exactly as when the desk records it (D8)."""
    return _answer_supplement(dossier_id=dossier_id, actor=None, note=note, now=now)


def _answer_supplement(
    *, dossier_id: int, actor: Staff | None, note: str, now: datetime | None
) -> SupplementRequest:
    now = _now(now)
    dossier = _lock(dossier_id)
    request = (
        dossier.supplement_requests.filter(answered_at__isnull=True)
        .order_by("-requested_at")
        .first()
    )
    if request is None or dossier.status not in (Status.SUBMITTED, Status.AWAITING_SUPPLEMENT):
        raise NoSupplementPending(
            _("Hồ sơ %(code)s không có yêu cầu bổ sung nào đang chờ.") % {"code": dossier.code}
        )
    from_status = dossier.status
    step: DossierStep | None = None
    if dossier.status == Status.SUBMITTED:
        if actor is not None:
            _require(actor, dossier.unit, [Role.RECEPTIONIST], _("nhận hồ sơ bổ sung"))
    else:
        steps = _steps(dossier)
        step = _open_step(steps)
        if actor is None:
            pass  # the applicant answers their own request online
        elif step is not None:
            _require_step_actor(
                actor, step, _("nhận hồ sơ bổ sung"), also=[(dossier.unit, Role.RECEPTIONIST)]
            )
        else:  # pragma: no cover - a paused dossier always has its paused step
            _require(actor, dossier.unit, [Role.RECEPTIONIST], _("nhận hồ sơ bổ sung"))
        request.paused_working = _resume_clock(dossier, step, now=now)
        started = any(s.status == StepStatus.DONE for s in steps)
        dossier.status = Status.IN_PROGRESS if started else Status.RECEIVED
        dossier.save()
    request.answered_at = now
    request.answered_by = actor
    request.answer_note = (note or "").strip()
    request.save()
    event_note = request.answer_note
    if dossier.status != Status.SUBMITTED:
        event_note = (
            _("Hẹn trả kết quả %(due)s.") % {"due": _fmt(dossier.due_at)} + " " + event_note
        ).strip()
    _record(
        dossier,
        actor=actor,
        kind=EventKind.SUPPLEMENT_RECEIVED,
        at=now,
        from_status=from_status,
        step=step,
        note=event_note,
    )
    return request


# ---------------------------------------------------------------------------------- apologies
@transaction.atomic
def draft_apology(
    *,
    dossier_id: int,
    actor: Staff,
    reason: str,
    explanation: str = "",
    new_due_at: datetime | None = None,
    step_id: int | None = None,
    now: datetime | None = None,
) -> Apology:
    """The responsible officer explains a delay (foreseen, or the step is overdue) and drafts
    the apology letter (Mẫu 04), optionally proposing the one new appointment (D9)."""
    now = _now(now)
    reason = _text(reason, field="reason", label=_("lý do chậm trễ"), max_length=2000)
    dossier = _lock(dossier_id)
    if dossier.status not in OPEN_STATUSES:
        raise InvalidStatus(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; không lập phiếu xin lỗi được.")
            % {"code": dossier.code, "status": Status(dossier.status).label}
        )
    step = _pick_step(_steps(dossier), step_id)
    if step is None or step.status not in (StepStatus.ACTIVE, StepStatus.PAUSED):
        raise StepNotActive(_("Chỉ lập phiếu xin lỗi cho bước đang xử lý."))
    _require_step_actor(
        actor,
        step,
        _("lập phiếu xin lỗi"),
        also=[(step.unit, Role.SPECIALIST), (step.unit, Role.HEAD)],
    )
    if new_due_at is not None:
        if timezone.is_naive(new_due_at):
            raise InvalidInput(
                _("Ngày hẹn mới phải kèm múi giờ, ví dụ 2026-02-26T17:00:00+07:00."),
                field="new_due_at",
            )
        if dossier.extension_used:
            raise ExtensionAlreadyUsed(
                _(
                    "Hồ sơ %(code)s đã được hẹn lại một lần (hẹn hiện tại %(due)s); theo quy "
                    "định chỉ được gia hạn một lần."
                )
                % {"code": dossier.code, "due": _fmt(dossier.due_at)}
            )
        if new_due_at > now + timedelta(days=366):
            raise InvalidInput(
                _("Ngày hẹn mới quá xa (hơn một năm kể từ hôm nay); hãy chọn ngày gần hơn."),
                field="new_due_at",
            )
        if new_due_at <= now or (dossier.due_at is not None and new_due_at <= dossier.due_at):
            raise InvalidInput(
                _("Ngày hẹn mới phải sau thời điểm hiện tại và sau hẹn hiện tại (%(due)s).")
                % {"due": _fmt(dossier.due_at)},
                field="new_due_at",
            )
    apology = Apology.objects.create(
        dossier=dossier,
        step=step,
        reason=reason,
        explanation=(explanation or "").strip(),
        new_due_at=new_due_at,
        drafted_by=actor,
        drafted_at=now,
    )
    _record(
        dossier,
        actor=actor,
        kind=EventKind.APOLOGY_DRAFTED,
        at=now,
        from_status=dossier.status,
        step=step,
        note=reason,
    )
    return apology


@transaction.atomic
def sign_apology(*, apology_id: int, actor: Staff, now: datetime | None = None) -> Apology:
    """The leader signs the apology: the gate of its step opens; the first signed apology with a
    new date moves the citizen's appointment (`due_at`), never `original_due_at`."""
    now = _now(now)
    dossier_id = Apology.objects.filter(pk=apology_id).values_list("dossier_id", flat=True).first()
    if dossier_id is None:
        raise DossierNotFound(_("Không tìm thấy phiếu xin lỗi."))
    dossier = _lock(dossier_id)
    apology = Apology.objects.select_related("step__unit").get(pk=apology_id)
    step = apology.step
    _ensure_active(actor)
    if not (has_role(actor, step.unit, Role.LEADER) or has_role(actor, dossier.unit, Role.LEADER)):
        units = step.unit.name
        if step.unit_id != dossier.unit_id:
            units += _(" hoặc ") + dossier.unit.name
        raise NotAllowed(
            _("Chỉ Lãnh đạo đơn vị của %(units)s mới được ký phiếu xin lỗi.") % {"units": units}
        )
    if apology.status == ApologyStatus.SIGNED:
        raise ApologyAlreadySigned(
            _("Phiếu xin lỗi này đã được ký lúc %(at)s.") % {"at": _fmt(apology.signed_at)}
        )
    if dossier.status not in OPEN_STATUSES:
        raise InvalidStatus(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; không ký phiếu xin lỗi được.")
            % {"code": dossier.code, "status": Status(dossier.status).label}
        )
    note = _("Phiếu xin lỗi: %(reason)s") % {"reason": apology.reason}
    if apology.new_due_at is not None:
        if dossier.extension_used:
            raise ExtensionAlreadyUsed(
                _(
                    "Hồ sơ %(code)s đã được hẹn lại một lần (hẹn hiện tại %(due)s); phiếu này "
                    "không thể gia hạn thêm. Hãy lập phiếu không kèm ngày hẹn mới."
                )
                % {"code": dossier.code, "due": _fmt(dossier.due_at)}
            )
        if dossier.due_at is not None and apology.new_due_at <= dossier.due_at:
            raise InvalidStatus(
                _("Ngày hẹn mới %(new)s không sau hẹn hiện tại %(due)s; hãy lập phiếu mới.")
                % {"new": _fmt(apology.new_due_at), "due": _fmt(dossier.due_at)}
            )
        dossier.due_at = apology.new_due_at
        dossier.extension_used = True
        dossier.save(update_fields=["due_at", "extension_used"])
        apology.extension_applied = True
        note += " " + _("Hẹn lại ngày trả kết quả: %(due)s.") % {"due": _fmt(dossier.due_at)}
    apology.status = ApologyStatus.SIGNED
    apology.signed_by = actor
    apology.signed_at = now
    apology.save()
    _record(
        dossier,
        actor=actor,
        kind=EventKind.APOLOGY_SIGNED,
        at=now,
        from_status=dossier.status,
        step=step,
        note=note,
    )
    notices.notify_apology(dossier=dossier, apology=apology)
    return apology


# --------------------------------------------------------------------------- end of processing
def _close_open_steps(steps: Sequence[DossierStep], *, at: datetime, judged: bool) -> None:
    for step in steps:
        if step.status in (StepStatus.ACTIVE, StepStatus.PAUSED):
            if judged:
                _finish(step, at=at)
            else:
                step.status = StepStatus.DONE
                step.finished_at = at
                step.paused_at = None
                step.save()


@transaction.atomic
def refuse_dossier(
    *, dossier_id: int, actor: Staff, reason: str, now: datetime | None = None
) -> Dossier:
    """From `submitted`: refused at intake (Mẫu 03). In processing: the written notice that the
    dossier is not eligible — `ready` with outcome `not_eligible`, timeliness judged."""
    now = _now(now)
    reason = _text(reason, field="reason", label=_("lý do từ chối"), max_length=2000)
    dossier = _lock(dossier_id)
    _require(actor, dossier.unit, [Role.RECEPTIONIST], _("từ chối hồ sơ"))
    from_status = dossier.status
    if dossier.status == Status.SUBMITTED:
        dossier.status = Status.REFUSED
        dossier.refused_at = now
        dossier.save()
    elif dossier.status in OPEN_STATUSES:
        steps = _steps(dossier)
        current = _open_step(steps)
        if dossier.status == Status.AWAITING_SUPPLEMENT:
            _resume_clock(dossier, current, now=now)
        _close_open_steps([current] if current else [], at=now, judged=True)
        _make_ready(dossier, steps, outcome=Outcome.NOT_ELIGIBLE, at=now)
    elif dossier.status in (Status.READY, Status.RETURNED):
        raise DecisionAlreadyIssued(
            _("Hồ sơ %(code)s đã có kết quả giải quyết; không thể từ chối.")
            % {"code": dossier.code}
        )
    else:
        raise InvalidStatus(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; không thể từ chối.")
            % {"code": dossier.code, "status": Status(dossier.status).label}
        )
    _record(
        dossier, actor=actor, kind=EventKind.REFUSED, at=now, from_status=from_status, note=reason
    )
    return dossier


@transaction.atomic
def return_to_applicant(
    *, dossier_id: int, actor: Staff, note: str = "", now: datetime | None = None
) -> Dossier:
    """The result is handed to the applicant (trả kết quả); the return step, if any, closes."""
    now = _now(now)
    dossier = _lock(dossier_id)
    _require(actor, dossier.unit, [Role.RECEPTIONIST], _("trả kết quả"))
    if dossier.status != Status.READY:
        raise InvalidStatus(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; chỉ trả được hồ sơ đã có kết quả.")
            % {"code": dossier.code, "status": Status(dossier.status).label}
        )
    _close_open_steps(_steps(dossier), at=now, judged=False)
    dossier.status = Status.RETURNED
    dossier.returned_at = now
    dossier.save()
    _record(
        dossier,
        actor=actor,
        kind=EventKind.RETURNED,
        at=now,
        from_status=Status.READY,
        note=(note or "").strip(),
    )
    return dossier


@transaction.atomic
def stop_dossier(
    *, dossier_id: int, actor: Staff, reason: str, now: datetime | None = None
) -> Dossier:
    """The applicant asked to stop (Decree 118 Art. 21): possible only before a decision."""
    now = _now(now)
    reason = _text(reason, field="reason", label=_("lý do dừng giải quyết"), max_length=2000)
    dossier = _lock(dossier_id)
    _require(actor, dossier.unit, [Role.RECEPTIONIST], _("dừng giải quyết hồ sơ"))
    if dossier.status in (Status.READY, Status.RETURNED, Status.REFUSED):
        raise DecisionAlreadyIssued(
            _(
                "Hồ sơ %(code)s đã có kết quả hoặc thông báo từ chối (%(status)s); không thể dừng "
                "giải quyết."
            )
            % {"code": dossier.code, "status": Status(dossier.status).label}
        )
    if dossier.status == Status.STOPPED:
        raise InvalidStatus(_("Hồ sơ %(code)s đã dừng giải quyết.") % {"code": dossier.code})
    from_status = dossier.status
    _close_open_steps(_steps(dossier), at=now, judged=False)
    dossier.status = Status.STOPPED
    dossier.stopped_at = now
    dossier.paused_at = None
    dossier.save()
    _record(
        dossier, actor=actor, kind=EventKind.STOPPED, at=now, from_status=from_status, note=reason
    )
    return dossier


# ------------------------------------------------------------------------ calendar recomputing
def _replay_dues(dossier: Dossier, steps: Sequence[DossierStep]) -> bool:
    """Recompute the dues of an open dossier from its facts on the current calendar: the
    reception, the answered supplement requests (pauses or restarts), the extension. Returns
    True when a due moved."""
    procedure = dossier.procedure
    policy = procedure.supplement_policy
    if dossier.received_at is None:
        return False
    cal = calendar_for(dossier.unit)
    pauses = [
        (r.requested_at, r.answered_at, r.step_id)
        for r in dossier.supplement_requests.filter(
            at_intake=False, answered_at__isnull=False
        ).order_by("requested_at")
        if r.answered_at is not None
    ]
    start = dossier.received_at
    if policy == Procedure.SupplementPolicy.RESTART and pauses:
        start = pauses[-1][1]
    effective, due, green = _dues(dossier, cal, received_at=start)
    if policy == Procedure.SupplementPolicy.PAUSE:
        for paused_at, resumed_at, _step in pauses:
            due = cal.shift_by_paused_time(due, paused_at, resumed_at) if paused_at < due else due
            green = _shift(cal, green, paused_at, resumed_at)
    fields = ("effective_received_at", "original_due_at", "due_at", "green_lane_due_at")
    before = tuple(getattr(dossier, f) for f in fields)
    dossier.effective_received_at = effective
    dossier.original_due_at = due
    if not dossier.extension_used:
        dossier.due_at = due
    dossier.green_lane_due_at = green
    changed = before != tuple(getattr(dossier, f) for f in fields)
    for step in steps:
        if step.status != StepStatus.ACTIVE or step.started_at is None:
            continue
        step_cal = calendar_for(step.unit)
        step_due = step_cal.add_working_hours(step.started_at, step.duration_working_hours)
        if policy == Procedure.SupplementPolicy.PAUSE:
            for paused_at, resumed_at, step_id in pauses:
                if step_id == step.pk and paused_at >= step.started_at and paused_at < step_due:
                    step_due = step_cal.shift_by_paused_time(step_due, paused_at, resumed_at)
        if step_due != step.due_at:
            step.due_at = step_due
            step.save(update_fields=["due_at"])
            changed = True
    if changed:
        dossier.save()
    return changed


def recompute_deadlines(
    *,
    dates: Iterable[date] | None,
    unit_ids: Iterable[int] | None,
    actor: Staff | None,
    reason: str,
    now: datetime | None = None,
) -> int:
    """The recomputer registered with `workdays.services.register_recomputer`: after the working
    calendar changed, recompute the dues of the running dossiers (received, in progress) received
    by ``unit_ids`` or with a step there (all units when None), whose due is on or after the first
    changed date (any when ``dates`` is None). Each dossier is locked and recomputed from its
    facts; each one whose dues moved gets one `deadline_recomputed` event. Returns how many
    dossiers moved. Paused dossiers are left alone: their dues move when the clock resumes."""
    now = _now(now)
    qs = Dossier.objects.filter(
        status__in=[Status.RECEIVED, Status.IN_PROGRESS], due_at__isnull=False
    )
    if dates is not None:
        changed_dates = sorted(dates)
        if not changed_dates:
            return 0
        first = datetime.combine(
            changed_dates[0], datetime.min.time(), tzinfo=timezone.get_current_timezone()
        )
        qs = qs.filter(due_at__gte=first)
    if unit_ids is not None:
        ids = list(unit_ids)
        qs = qs.filter(Q(unit_id__in=ids) | Q(steps__unit_id__in=ids))
    count = 0
    for dossier_id in qs.values_list("pk", flat=True).distinct().order_by("pk"):
        with transaction.atomic():
            dossier = _lock(dossier_id)
            if dossier.status not in (Status.RECEIVED, Status.IN_PROGRESS):
                continue
            try:
                moved = _replay_dues(dossier, _steps(dossier))
            except CalendarError:
                continue  # outside the calendar's years: nothing this change can fix
            if moved:
                count += 1
                _record(
                    dossier,
                    actor=actor,
                    kind=EventKind.DEADLINE_RECOMPUTED,
                    at=now,
                    from_status=dossier.status,
                    note=(
                        (reason or "").strip()
                        + " "
                        + _("Hẹn trả kết quả %(due)s.") % {"due": _fmt(dossier.due_at)}
                    ).strip(),
                )
    return count
