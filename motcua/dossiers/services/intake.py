"""Reception: at the desk (counter, postal, or an online dossier entered by staff), online by
the citizen, and the desk's acceptance of an online or postal submission."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import GreenLaneGroup, Procedure, ProcedureStep
from motcua.catalog.rules import missing_papers
from motcua.catalog.selectors import accepts_online, get_procedure_to_receive
from motcua.core import keys
from motcua.core.clock import past_reception
from motcua.core.errors import InvalidInput
from motcua.core.people import Contact
from motcua.core.text import clean_email
from motcua.dossiers import notices, policy, rules
from motcua.dossiers.codes import next_code
from motcua.dossiers.errors import (
    MissingPapers,
    PapersWithoutFiles,
    ProcedureNotOffered,
    UnknownProcedure,
    UnknownUnit,
)
from motcua.dossiers.models import (
    Applicant,
    Channel,
    Dossier,
    DossierStep,
    Event,
    EventKind,
    Status,
)
from motcua.dossiers.search import search_text_of
from motcua.dossiers.selectors import actor_facts, labels
from motcua.dossiers.services.common import (
    DossierChange,
    begin,
    calendar_error,
    change_of,
    dues,
    fmt,
    lookup_secret_of,
    now_or,
    optional_text,
    text,
)
from motcua.org.models import Role, Staff, Unit
from motcua.workdays.rules import CalendarError, WorkCalendar
from motcua.workdays.services import calendar_for


@dataclass(frozen=True)
class ApplicantData(Contact):
    """The applicant as the desk or the portal takes them (the name is required)."""

    id_number: str = ""


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


def created_again(dossier_id: int) -> Created | None:
    """What an earlier request with the same Idempotency-Key created (`motcua.access`'s
    ``create_once`` replays it): the dossier and its look-up secret derived again from the
    stored nonce, without steps and events; None when the dossier no longer exists."""
    dossier = Dossier.objects.filter(pk=dossier_id).first()
    if dossier is None:
        return None
    return Created(dossier=dossier, lookup_secret=lookup_secret_of(dossier))


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
    name = text(applicant.name, field="applicant.name", label=_("họ tên người nộp"), max_length=200)
    email = clean_email(applicant.email, field="applicant.email")
    limits = {"id_number": 50, "phone": 30, "address": 500}
    values = {k: (getattr(applicant, k) or "").strip() for k in limits}
    for key, limit in limits.items():
        if len(values[key]) > limit:
            raise InvalidInput(
                _("Trường %(field)s dài quá %(n)s ký tự.") % {"field": key, "n": limit},
                field=f"applicant.{key}",
            )
    return ApplicantData(name=name, email=email, **values)


def _documents(
    documents: Iterable[DocumentData], procedure: Procedure, *, hint: str
) -> list[dict[str, object]]:
    """The papers handed in, cleaned; refused (422, naming each one) when a mandatory paper of
    the procedure is not among them. ``hint`` tells the person what to do then."""
    out: list[dict[str, object]] = []
    for doc in documents:
        name = text(doc.name, field="documents", label=_("tên giấy tờ"), max_length=500)
        if doc.copies < 1:
            raise InvalidInput(
                _("Số bản của “%(name)s” phải từ 1 trở lên.") % {"name": name}, field="documents"
            )
        out.append({"name": name, "copies": doc.copies})
    missing = missing_papers(
        [(d.name, d.mandatory) for d in procedure.documents.all()],
        [str(d["name"]) for d in out],
    )
    if missing:
        raise MissingPapers(
            _("Hồ sơ còn thiếu giấy tờ bắt buộc: %(docs)s.") % {"docs": "; ".join(missing)}
            + " "
            + hint,
            field="documents",
        )
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
        note=optional_text(note, field="note", label=_("ghi chú")),
        lookup_nonce=secrets.token_hex(16),
        **fields,
    )


def _store(dossier: Dossier, *, applicant: ApplicantData, on: date) -> Created:
    """Take the next code of the dossier's unit on ``on`` and insert the dossier and its
    applicant. Called last before the inserts, so the code counter's row lock is held briefly."""
    secret = rules.format_secret(rules.derive_secret(keys.lookup_key(), dossier.lookup_nonce))
    dossier.code = next_code(unit=dossier.unit, on=on)
    dossier.lookup_secret_hash = rules.hash_secret(dossier.code, secret)
    dossier.search_text = search_text_of(
        code=dossier.code, name=applicant.name, id_number=applicant.id_number, phone=applicant.phone
    )
    dossier.save(force_insert=True)
    Applicant.objects.create(dossier=dossier, **asdict(applicant))
    return Created(dossier=dossier, lookup_secret=secret)


def _set_clock(dossier: Dossier, cal: WorkCalendar, *, received_at: datetime, actor: Staff) -> None:
    """Reception proper, not yet written: the appointment (D3/D5) and the green-lane target (D6)
    on ``cal``, the calendar of the dossier's unit."""
    try:
        effective, due, green = dues(dossier, cal, received_at=received_at)
    except CalendarError as exc:
        raise calendar_error(exc, "received_at") from exc
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
    actor: policy.Actor,
    staff: Staff,
) -> list[DossierStep]:
    """The dossier's steps from its procedure's ``templates`` (in order), written in one insert;
    the first opens at the reception, assigned to the receptionist when they hold its role.
    ``actor`` is a receptionist of the dossier's unit (the caller checked)."""
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
        if (home and first.role == Role.RECEPTIONIST) or actor.has(first.unit_id, first.role):
            first.assignee = staff
        begin(first, at=received_at, cal=cal if home else calendar_for(first.unit))
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
    staff): code, appointment, steps; the first step opens at the reception. A dossier without
    a mandatory paper of its procedure is refused (422 naming the papers): the desk hands the
    citizen a Mẫu 02 instead.

    ``received_at`` enters a paper dossier received while the system was unreachable at its real
    time; it needs ``received_at_reason`` and can never be in the future. ``green_lane_group``
    None takes the procedure's own group; "" says "not green lane".
    """
    now = now_or(now)
    if channel not in Channel.values:
        raise InvalidInput(
            _("Hình thức nộp không hợp lệ: %(channel)s.") % {"channel": channel}, field="channel"
        )
    unit = _unit(unit_code)
    who = actor_facts(actor)
    policy.ensure_may_receive(who, unit_id=unit.pk, unit_name=unit.name, labels=labels())
    reason = ""
    if received_at is None:
        received_at = now
    else:
        past_reception(received_at, now=now)
        reason = text(
            received_at_reason,
            field="received_at_reason",
            label=_("lý do nhập lùi thời điểm tiếp nhận"),
            max_length=500,
        )
    cal = calendar_for(unit)
    on = received_at.astimezone(cal.tz).date()
    procedure = _offered_procedure(procedure_code, unit, on)
    papers = _documents(
        documents,
        procedure,
        hint=_(
            "Không tiếp nhận hồ sơ thiếu; hãy lập Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ "
            "(Mẫu 02) cho người nộp."
        ),
    )
    cleaned = _clean_applicant(applicant)
    dossier = _new_dossier(
        procedure=procedure,
        unit=unit,
        channel=channel,
        status=Status.RECEIVED,
        green_lane_group=_green_lane(green_lane_group, procedure),
        documents=papers,
        note=note,
        received_at_reason=reason,
    )
    _set_clock(dossier, cal, received_at=received_at, actor=actor)
    created = _store(dossier, applicant=cleaned, on=on)
    steps = _open_steps(
        dossier,
        list(procedure.steps.all()),
        cal,
        received_at=received_at,
        actor=who,
        staff=actor,
    )
    event_note = _("Hẹn trả kết quả %(due)s.") % {"due": fmt(dossier.due_at)}
    if reason:
        event_note += " " + _("Nhập lùi thời điểm tiếp nhận: %(reason)s") % {"reason": reason}
    change = DossierChange(dossier, actor=actor, at=now, steps=steps, from_status="")
    event = change.record(EventKind.RECEIVED, note=event_note, to_unit=unit)
    # A walk-in citizen gets the look-up secret with the receipt (the online one has it).
    notices.notify_receipt(dossier=dossier, secret=created.lookup_secret, now=now)
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
    clock starts when the desk accepts it (`accept_dossier`). Every mandatory paper must be
    attached (422 naming the missing ones)."""
    now = now_or(now)
    unit = _unit(unit_code)
    on = now.astimezone(calendar_for(unit).tz).date()
    procedure = _offered_procedure(procedure_code, unit, on)
    if not accepts_online(procedure, unit):
        raise ProcedureNotOffered(
            _(
                "Thủ tục %(code)s chưa cung cấp dịch vụ công trực tuyến; hãy nộp trực tiếp hoặc "
                "qua bưu chính tại %(unit)s."
            )
            % {"code": procedure.code, "unit": unit.name},
            field="procedure",
        )
    papers = _documents(
        documents, procedure, hint=_("Hãy đính kèm đủ các giấy tờ này rồi nộp lại.")
    )
    cleaned = _clean_applicant(applicant)
    dossier = _new_dossier(
        procedure=procedure,
        unit=unit,
        channel=Channel.ONLINE,
        status=Status.SUBMITTED,
        green_lane_group=_green_lane(green_lane_group, procedure),
        documents=papers,
        note=note,
        submitted_at=now,
    )
    created = _store(dossier, applicant=cleaned, on=on)
    DossierChange(dossier, actor=None, at=now, steps=[], from_status="").record(
        EventKind.SUBMITTED, to_unit=unit
    )
    return created


#: What a dossier must satisfy before the desk accepts it, beyond the policy: each check answers
#: the refusal (a sentence naming what is missing and what to do) or None. The documents app
#: registers "a mandatory paper has no file" from its AppConfig.ready(); this module imports
#: no app above it.
AcceptanceCheck = Callable[[Dossier], "str | None"]
_acceptance_checks: list[AcceptanceCheck] = []


def register_acceptance_check(check: AcceptanceCheck) -> AcceptanceCheck:
    """Add ``check`` to what `accept_dossier` asks (once, however often it is registered)."""
    if check not in _acceptance_checks:
        _acceptance_checks.append(check)
    return check


def acceptance_refusal(dossier: Dossier) -> str | None:
    """Why ``dossier`` cannot be accepted now (the first registered check that refuses), or
    None. The service enforces it; the office page and the API show it."""
    for check in _acceptance_checks:
        refusal = check(dossier)
        if refusal:
            return refusal
    return None


@transaction.atomic
def accept_dossier(*, dossier_id: int, actor: Staff, now: datetime | None = None) -> Dossier:
    """The desk's check passed: an online or postal submission becomes `received`; the clock
    starts at the effective reception (D5) of this moment."""
    change = change_of(policy.ACCEPT, dossier_id=dossier_id, actor=actor, now=now)
    dossier, at = change.dossier, change.at
    refusal = acceptance_refusal(dossier)
    if refusal:
        raise PapersWithoutFiles(refusal)
    dossier.status = Status.RECEIVED
    cal = calendar_for(dossier.unit)
    _set_clock(dossier, cal, received_at=at, actor=actor)
    dossier.save()
    templates = dossier.procedure.steps.select_related("responsible_unit").order_by("order")
    who = change.who or actor_facts(actor)
    _open_steps(dossier, list(templates), cal, received_at=at, actor=who, staff=actor)
    note = _("Hẹn trả kết quả %(due)s.") % {"due": fmt(dossier.due_at)}
    change.record(EventKind.ACCEPTED, note=note, to_unit=dossier.unit)
    notices.notify_receipt(dossier=dossier, now=at)
    return dossier
