"""Dossiers for staff (API.md, Dossiers): reception, lists, the dossier and its actions.

Each endpoint finds the dossier through `get_dossier_for` (another unit's dossier is 404), calls
one service, and answers the updated Dossier (an apology answers the Apology). Refusals are the
services' DomainErrors, answered as problem documents by the API's handlers: 403 with who may act,
409 with the `code` of the state rule, 422 with the field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from pydantic import AwareDatetime, conlist, field_validator
from pydantic import Field as PydanticField

from motcua.access import services as access
from motcua.api.problems import Problem
from motcua.api.schemas import Paging
from motcua.dossiers import policy, services
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import (
    OPEN_STEP_STATUSES,
    Apology,
    Dossier,
    DossierStep,
    Event,
    SupplementRequest,
)
from motcua.dossiers.official_forms import render_form_pdf
from motcua.dossiers.rules import mask_name
from motcua.dossiers.search import search_dossiers
from motcua.dossiers.selectors import (
    actor_facts,
    dossier_is_overdue,
    facts_of,
    get_dossier_for,
    list_dossiers,
    may_see_personal_data,
    step_is_overdue,
    with_details,
)
from motcua.org.models import Staff
from motcua.org.requests import actor_of
from motcua.payments.models import Charge, ChargeStatus, Payment
from motcua.payments.selectors import total_fee
from motcua.payments.services import fix_amount_due
from motcua.reports.attribution import control_sheet_extra
from motcua.reports.forecast import StepFigures

router = Router(tags=["dossiers"])

VN = ZoneInfo("Asia/Ho_Chi_Minh")

StatusName = Literal[
    "submitted",
    "received",
    "in_progress",
    "awaiting_supplement",
    "ready",
    "returned",
    "refused",
    "stopped",
]
ChannelName = Literal["counter", "online", "postal"]
GreenLaneName = Literal[
    "investment",
    "export_logistics",
    "finance_consumption",
    "talent_innovation",
    "digital_infrastructure",
]
TimelinessName = Literal["early", "on_time", "late"]
ActionName = Literal[
    "accept",
    "assign",
    "complete_step",
    "return_step",
    "request_supplement",
    "receive_supplement",
    "draft_apology",
    "sign_apology",
    "return",
    "refuse",
    "stop",
]
StepStatusName = Literal["pending", "active", "paused", "done"]
Text = PydanticField(default="", max_length=2000)


def local(at: datetime | None) -> datetime | None:
    """Times leave the API in +07:00 (API.md, Conventions)."""
    return at.astimezone(VN) if at is not None else None


# ------------------------------------------------------------------------------------- input
def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(_("Không được chứa ký tự NUL (\\u0000)."))
    if isinstance(value, list):
        for item in value:
            _no_nul(item)
    return value


class Input(Schema):
    """Input of the API: text never carries the NUL character (PostgreSQL cannot store it)."""

    @field_validator("*", mode="before")
    @classmethod
    def _reject_nul(cls, value: Any) -> Any:
        return _no_nul(value)


class ApplicantIn(Input):
    name: str = PydanticField(min_length=1, max_length=200)
    id_number: str = PydanticField("", max_length=50)
    phone: str = PydanticField("", max_length=30)
    email: str = PydanticField("", max_length=254)
    address: str = PydanticField("", max_length=500)


class DocumentIn(Input):
    name: str = PydanticField(min_length=1, max_length=500)
    copies: int = PydanticField(1, ge=1, le=100)


class DossierBase(Input):
    procedure: str = PydanticField(min_length=1, max_length=30, description="procedure code")
    unit: str = PydanticField(min_length=1, max_length=40, description="receiving unit code")
    applicant: ApplicantIn
    green_lane: GreenLaneName | None = PydanticField(
        None, description="a green-lane group; null takes the procedure's own group"
    )
    documents: list[DocumentIn] = PydanticField(default_factory=list, max_length=100)
    note: str = Text


class DossierIn(DossierBase):
    channel: ChannelName = "counter"
    received_at: AwareDatetime | None = PydanticField(
        None,
        description="only for a paper dossier entered late: its real reception time, with offset; "
        "needs received_at_reason; never in the future",
    )
    received_at_reason: str = PydanticField("", max_length=500)


def applicant_data(a: ApplicantIn) -> services.ApplicantData:
    return services.ApplicantData(
        name=a.name, id_number=a.id_number, phone=a.phone, email=a.email, address=a.address
    )


def document_data(docs: list[DocumentIn]) -> list[services.DocumentData]:
    return [services.DocumentData(name=d.name, copies=d.copies) for d in docs]


class AssignIn(Input):
    assignee: str = PydanticField(min_length=1, max_length=150, description="username")
    step: int | None = PydanticField(None, description="step id; default: the current step")


class StepActionIn(Input):
    note: str = Text
    step: int | None = PydanticField(
        None, description="the step id the caller saw; default: the current step"
    )


class ReturnStepIn(Input):
    note: str = PydanticField(min_length=1, max_length=2000, description="why it goes back")
    step: int | None = None


class SupplementRequestIn(Input):
    items: conlist(str, min_length=1, max_length=50)  # type: ignore[valid-type]
    note: str = Text


class NoteIn(Input):
    note: str = Text


class ApologyIn(Input):
    reason: str = PydanticField(min_length=1, max_length=2000)
    explanation: str = Text
    new_due_at: AwareDatetime | None = None
    step: int | None = PydanticField(None, description="step id; default: the current step")


class ReasonIn(Input):
    reason: str = PydanticField(min_length=1, max_length=2000)


class DossierFilters(Input):
    status: StatusName | None = None
    unit: str | None = PydanticField(None, max_length=40, description="receiving unit code")
    overdue: bool | None = None
    green_lane: bool | None = None
    assignee: str | None = PydanticField(
        None, max_length=150, description='"me", or a username: its open steps'
    )
    received_from: date | None = PydanticField(None, description="local date, inclusive")
    received_to: date | None = PydanticField(None, description="local date, inclusive")
    q: str | None = PydanticField(
        None,
        max_length=200,
        description="the code, the applicant's name (with or without diacritics, any case), "
        "the ID number or the phone; results ranked, best first",
    )


# ------------------------------------------------------------------------------------ output
class ProcedureRef(Schema):
    code: str
    name: str


class ApplicantOut(Schema):
    name: str
    id_number: str
    phone: str
    email: str
    address: str


class StepOut(Schema):
    id: int
    order: int
    name: str
    unit: str
    unit_name: str
    role: str
    assignee: str | None
    assignee_name: str | None
    status: StepStatusName
    counted: bool
    duration_working_hours: Decimal
    started_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    timeliness: TimelinessName | None
    overdue: bool
    overtime_working_hours: Decimal = PydanticField(
        Decimal(0), description="working hours past the step's own budget (0 when on time)"
    )
    late_risk: float | None = PydanticField(
        None, description="open step: probability 0.0–1.0 that it finishes late"
    )
    late_risk_reason: str | None = None


class ApologyOut(Schema):
    id: int
    step: int
    reason: str
    explanation: str
    new_due_at: datetime | None
    extension_applied: bool
    status: Literal["draft", "signed"]
    drafted_by: str
    drafted_at: datetime
    signed_by: str | None
    signed_at: datetime | None


class EventOut(Schema):
    at: datetime
    actor: str | None
    kind: str
    from_status: str | None
    to_status: str | None
    note: str


class SupplementOut(Schema):
    id: int
    at_intake: bool
    items: list[str]
    note: str
    requested_at: datetime
    answered_at: datetime | None


class DocumentOut(Schema):
    name: str
    copies: int


class PaymentRef(Schema):
    id: int
    method: Literal["cash", "card", "transfer", "online"]
    amount: int
    status: Literal["pending", "paid", "failed", "refund_due", "refunded"]
    created_at: datetime
    paid_at: datetime | None


class DossierItem(Schema):
    code: str
    procedure: ProcedureRef
    unit: str
    unit_name: str
    status: StatusName
    outcome: Literal["approved", "not_eligible"] | None
    channel: ChannelName
    green_lane: GreenLaneName | None
    submitted_at: datetime | None
    received_at: datetime | None
    effective_received_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None
    green_lane_due_at: datetime | None
    ready_at: datetime | None
    returned_at: datetime | None
    timeliness: TimelinessName | None
    overdue: bool
    extension_used: bool
    lookup_secret: str | None = PydanticField(
        None, description="only in the answer that created the dossier"
    )
    applicant: ApplicantOut
    current_step: StepOut | None
    steps: list[StepOut]
    apologies: list[ApologyOut]
    allowed_actions: list[ActionName] = PydanticField(
        description="what the caller may do now: the action endpoints of this dossier, named "
        "as the path with `-` written `_` (complete_step, return_step, assign, accept, refuse, "
        "return, stop), and request_supplement (supplement-requests), receive_supplement "
        "(supplements), draft_apology (apologies), sign_apology (apologies/{id}/sign)"
    )
    amount_due: int = PydanticField(
        description="fees and charges the applicant owes, in đồng, fixed at reception (0: none)"
    )
    paid: bool
    payments: list[PaymentRef]


class DossierOut(DossierItem):
    documents: list[DocumentOut]
    note: str
    supplement_requests: list[SupplementOut]
    events: list[EventOut]


class DossierPage(Schema):
    count: int
    items: list[DossierItem]


def step_out(
    s: DossierStep, now: datetime, figures: StepFigures | None = None, procedure_code: str = ""
) -> StepOut:
    over, risk, reason = (figures or StepFigures(now)).of(
        s, procedure_code=procedure_code or s.dossier.procedure.code
    )
    return StepOut(
        id=s.pk,
        order=s.order,
        name=s.name,
        unit=s.unit.code,
        unit_name=s.unit.name,
        role=s.role,
        assignee=s.assignee.username if s.assignee else None,
        assignee_name=s.assignee.get_full_name() if s.assignee else None,
        status=s.status,  # type: ignore[arg-type]
        counted=s.counted,
        duration_working_hours=s.duration_working_hours,
        started_at=local(s.started_at),
        due_at=local(s.due_at),
        finished_at=local(s.finished_at),
        timeliness=s.timeliness or None,  # type: ignore[arg-type]
        overdue=step_is_overdue(s, now),
        overtime_working_hours=over,
        late_risk=risk,
        late_risk_reason=reason,
    )


def apology_out(a: Apology) -> ApologyOut:
    return ApologyOut(
        id=a.pk,
        step=a.step_id,
        reason=a.reason,
        explanation=a.explanation,
        new_due_at=local(a.new_due_at),
        extension_applied=a.extension_applied,
        status=a.status,  # type: ignore[arg-type]
        drafted_by=a.drafted_by.username,
        drafted_at=local(a.drafted_at),  # type: ignore[arg-type]
        signed_by=a.signed_by.username if a.signed_by else None,
        signed_at=local(a.signed_at),
    )


def _event_out(e: Event) -> EventOut:
    return EventOut(
        at=local(e.at),  # type: ignore[arg-type]
        actor=e.actor.username if e.actor else None,
        kind=e.kind,
        from_status=e.from_status or None,
        to_status=e.to_status or None,
        note=e.note,
    )


def _supplement_out(r: SupplementRequest) -> SupplementOut:
    return SupplementOut(
        id=r.pk,
        at_intake=r.at_intake,
        items=list(r.items),
        note=r.note,
        requested_at=local(r.requested_at),  # type: ignore[arg-type]
        answered_at=local(r.answered_at),
    )


def _applicant_out(d: Dossier, viewer: policy.Actor) -> ApplicantOut:
    """The applicant for staff of the dossier's units; for a supervisor of a unit above, the
    masked name only (`dossiers.selectors.may_see_personal_data`)."""
    a = d.applicant
    if may_see_personal_data(viewer, d):
        return ApplicantOut(
            name=a.name, id_number=a.id_number, phone=a.phone, email=a.email, address=a.address
        )
    return ApplicantOut(name=mask_name(a.name), id_number="", phone="", email="", address="")


def _payment_ref(p: Payment) -> PaymentRef:
    return PaymentRef(
        id=p.pk,
        method=p.method,  # type: ignore[arg-type]
        amount=p.amount,
        status=p.status,  # type: ignore[arg-type]
        created_at=local(p.created_at),  # type: ignore[arg-type]
        paid_at=local(p.paid_at),
    )


def _money_fields(d: Dossier) -> dict[str, Any]:
    """``amount_due``, ``paid`` and ``payments`` of API.md "Fees and receipts": from the
    dossier's charge (select_related on a page); a dossier received before its charge was fixed
    owes its procedure version's schedule and has paid nothing."""
    try:
        charge: Charge | None = d.charge  # type: ignore[attr-defined]
    except Charge.DoesNotExist:
        charge = None
    if charge is None:
        return {"amount_due": total_fee(d.procedure), "paid": False, "payments": []}
    return {
        "amount_due": charge.amount_due,
        "paid": charge.status == ChargeStatus.PAID,
        "payments": [_payment_ref(p) for p in charge.payments.all()],
    }


def _item_fields(
    d: Dossier,
    now: datetime,
    secret: str | None,
    viewer: policy.Actor,
    *,
    steps: Sequence[DossierStep] | None = None,
    apologies: Sequence[Apology] | None = None,
    open_request: bool | None = None,
    figures: StepFigures | None = None,
) -> dict[str, Any]:
    """The fields of a dossier's item as ``viewer`` may see them; its steps and apologies from
    ``d``'s (prefetched) managers unless given; ``figures`` shared by the items of one page."""
    steps = list(d.steps.all()) if steps is None else steps
    apologies = list(d.apologies.all()) if apologies is None else apologies
    current = next((s for s in steps if s.status in OPEN_STEP_STATUSES), None)
    facts = facts_of(d, steps=steps, apologies=apologies, open_request=open_request)
    figures = figures or StepFigures(now)
    return {
        "code": d.code,
        "procedure": ProcedureRef(code=d.procedure.code, name=d.procedure.name),
        "unit": d.unit.code,
        "unit_name": d.unit.name,
        "status": d.status,
        "outcome": d.outcome or None,
        "channel": d.channel,
        "green_lane": d.green_lane_group or None,
        "submitted_at": local(d.submitted_at),
        "received_at": local(d.received_at),
        "effective_received_at": local(d.effective_received_at),
        "due_at": local(d.due_at),
        "original_due_at": local(d.original_due_at),
        "green_lane_due_at": local(d.green_lane_due_at),
        "ready_at": local(d.ready_at),
        "returned_at": local(d.returned_at),
        "timeliness": d.timeliness or None,
        "overdue": dossier_is_overdue(d, now),
        "extension_used": d.extension_used,
        "lookup_secret": secret,
        "applicant": _applicant_out(d, viewer),
        "current_step": (
            step_out(current, now, figures, d.procedure.code) if current is not None else None
        ),
        "steps": [step_out(s, now, figures, d.procedure.code) for s in steps],
        "apologies": [apology_out(x) for x in apologies],
        "allowed_actions": policy.allowed(facts, viewer, now=now),
        **_money_fields(d),
    }


def dossier_item(
    d: Dossier, now: datetime, viewer: policy.Actor, figures: StepFigures | None = None
) -> DossierItem:
    return DossierItem(**_item_fields(d, now, None, viewer, figures=figures))


def dossier_out(
    d: Dossier, now: datetime, viewer: policy.Actor, secret: str | None = None
) -> DossierOut:
    return DossierOut(
        **_item_fields(d, now, secret, viewer),
        documents=_documents_out(d),
        note=d.note,
        supplement_requests=[_supplement_out(r) for r in d.supplement_requests.all()],
        events=[_event_out(e) for e in d.events.all()],
    )


def received_out(created: services.Created, now: datetime, viewer: policy.Actor) -> DossierOut:
    """A dossier just received, from the rows its reception wrote (no query)."""
    d, steps, events = created.dossier, created.steps or (), created.events or ()
    return DossierOut(
        **_item_fields(
            d,
            now,
            created.lookup_secret,
            viewer,
            steps=steps,
            apologies=(),
            open_request=False,
        ),
        documents=_documents_out(d),
        note=d.note,
        supplement_requests=[],
        events=[_event_out(e) for e in events],
    )


def _documents_out(d: Dossier) -> list[DocumentOut]:
    return [DocumentOut(name=str(x["name"]), copies=int(x["copies"])) for x in d.documents]


# --------------------------------------------------------------------------------- endpoints
def create_dossier_once(
    create: Callable[[], services.Created], *, key: str | None, scope: str, payload: Schema
) -> services.Created:
    """``create()`` — once per Idempotency-Key of ``scope`` when the client sent one (API.md,
    Conventions): a retry with the same key and body gets the first dossier again."""
    if key is None:
        return create()
    created, _replayed = access.create_once(
        kind="dossier",
        scope=scope,
        key=key,
        body_hash=access.request_hash(payload.model_dump(mode="json")),
        create=create,
        result_id=lambda created: created.dossier.pk,
        replay=services.created_again,
    )
    return created


def _render(request: HttpRequest, code: str, secret: str | None = None) -> DossierOut:
    staff = actor_of(request)
    dossier = get_dossier_for(staff, code)
    return dossier_out(dossier, timezone.now(), actor_facts(staff), secret)


def _find(request: HttpRequest, code: str) -> Dossier:
    return get_dossier_for(actor_of(request), code)


def answers(ok: dict[int, Any], *failures: int) -> dict[int, Any]:
    """The responses of an endpoint for the OpenAPI document: ``ok`` and a problem document
    for each status of ``failures``."""
    return {**ok, **dict.fromkeys(failures, Problem)}


#: The responses of an action on a dossier.
ACTION = answers({200: DossierOut}, 400, 401, 403, 404, 409, 422)


@router.post(
    "",
    response={201: DossierOut, 400: Problem, 401: Problem, 403: Problem, 422: Problem},
    summary="Receive a dossier at the desk",
)
def create_dossier(
    request: HttpRequest,
    payload: DossierIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # noqa: B008
) -> Status[DossierOut]:
    staff = actor_of(request)

    @transaction.atomic
    def create() -> services.Created:
        created = services.receive_dossier(
            actor=staff,
            procedure_code=payload.procedure,
            unit_code=payload.unit,
            applicant=applicant_data(payload.applicant),
            channel=payload.channel,
            green_lane_group=payload.green_lane,
            documents=document_data(payload.documents),
            note=payload.note,
            received_at=payload.received_at,
            received_at_reason=payload.received_at_reason,
        )
        # the amount due is fixed at reception
        fix_amount_due(dossier_id=created.dossier.pk, actor=staff)
        return created

    created = create_dossier_once(
        create, key=idempotency_key, scope=f"staff:{staff.pk}", payload=payload
    )
    if created.steps is None or created.events is None:  # an idempotent replay
        return Status(201, _render(request, created.dossier.code, created.lookup_secret))
    return Status(201, received_out(created, timezone.now(), actor_facts(staff)))


@router.get("", response={200: DossierPage, 401: Problem, 422: Problem}, summary="List dossiers")
def dossiers(
    request: HttpRequest, paging: Query[Paging], filters: Query[DossierFilters]
) -> DossierPage:
    staff = actor_of(request)
    assignee: Staff | None = None
    if filters.assignee:
        if filters.assignee == "me":
            assignee = staff
        else:
            # An unknown username lists nothing, like a colleague with no step: the list never
            # tells whether an account exists.
            assignee = Staff.objects.filter(username=filters.assignee).first() or Staff(pk=0)
    now = timezone.now()
    qs = list_dossiers(
        staff,
        status=filters.status,
        unit_code=filters.unit,
        overdue=filters.overdue,
        green_lane=filters.green_lane,
        assignee=assignee,
        received_from=filters.received_from,
        received_to=filters.received_to,
        now=now,
    )
    if filters.q is not None and filters.q.strip():
        qs = search_dossiers(staff, filters.q, qs=qs)
    count = qs.count()
    viewer = actor_facts(staff)
    page = list(
        with_details(qs, events=False)
        .select_related("charge")
        .prefetch_related("charge__payments")[paging.offset : paging.offset + paging.limit]
    )
    figures = StepFigures(now)  # one history and one set of calendars for the whole page
    figures.forecaster.prepare([s for d in page for s in d.steps.all()])
    return DossierPage(count=count, items=[dossier_item(d, now, viewer, figures) for d in page])


@router.get("/{code}", response={200: DossierOut, 401: Problem, 404: Problem})
def dossier(request: HttpRequest, code: str) -> DossierOut:
    return _render(request, code)


@router.post("/{code}/assign", response=ACTION, summary="Assign the current step")
def assign(request: HttpRequest, code: str, payload: AssignIn) -> DossierOut:
    d = _find(request, code)
    services.assign_step(
        dossier_id=d.pk, actor=actor_of(request), assignee=payload.assignee, step_id=payload.step
    )
    return _render(request, code)


@router.post("/{code}/complete-step", response=ACTION, summary="Complete the current step")
def complete(request: HttpRequest, code: str, payload: StepActionIn) -> DossierOut:
    d = _find(request, code)
    services.complete_step(
        dossier_id=d.pk, step_id=payload.step, actor=actor_of(request), note=payload.note
    )
    return _render(request, code)


@router.post("/{code}/return-step", response=ACTION, summary="Send back to the previous step")
def return_step(request: HttpRequest, code: str, payload: ReturnStepIn) -> DossierOut:
    d = _find(request, code)
    services.return_step(
        dossier_id=d.pk, step_id=payload.step, actor=actor_of(request), note=payload.note
    )
    return _render(request, code)


@router.post(
    "/{code}/supplement-requests", response=ACTION, summary="Request a supplement (Mẫu 02)"
)
def supplement_request(request: HttpRequest, code: str, payload: SupplementRequestIn) -> DossierOut:
    d = _find(request, code)
    services.request_supplement(
        dossier_id=d.pk, actor=actor_of(request), items=payload.items, note=payload.note
    )
    return _render(request, code)


@router.post("/{code}/supplements", response=ACTION, summary="The supplement arrived")
def supplement(request: HttpRequest, code: str, payload: NoteIn) -> DossierOut:
    d = _find(request, code)
    services.receive_supplement(dossier_id=d.pk, actor=actor_of(request), note=payload.note)
    return _render(request, code)


@router.post(
    "/{code}/apologies",
    response=answers({201: ApologyOut}, 400, 401, 403, 404, 409, 422),
    summary="Draft an apology (Mẫu 04)",
)
def apologise(request: HttpRequest, code: str, payload: ApologyIn) -> Status[ApologyOut]:
    d = _find(request, code)
    apology = services.draft_apology(
        dossier_id=d.pk,
        actor=actor_of(request),
        reason=payload.reason,
        explanation=payload.explanation,
        new_due_at=payload.new_due_at,
        step_id=payload.step,
    )
    return Status(
        201,
        apology_out(Apology.objects.select_related("drafted_by", "signed_by").get(pk=apology.pk)),
    )


@router.post(
    "/{code}/apologies/{apology_id}/sign",
    response=answers({200: ApologyOut}, 401, 403, 404, 409, 422),
    summary="Sign an apology (unit leader)",
)
def sign(request: HttpRequest, code: str, apology_id: int) -> ApologyOut:
    d = _find(request, code)
    if all(a.pk != apology_id for a in d.apologies.all()):
        raise DossierNotFound(_("Hồ sơ %(code)s không có phiếu xin lỗi này.") % {"code": code})
    apology = services.sign_apology(apology_id=apology_id, actor=actor_of(request))
    return apology_out(Apology.objects.select_related("drafted_by", "signed_by").get(pk=apology.pk))


@router.post("/{code}/accept", response=ACTION, summary="Accept an online or postal submission")
def accept(request: HttpRequest, code: str) -> DossierOut:
    d = _find(request, code)
    services.accept_dossier(dossier_id=d.pk, actor=actor_of(request))
    return _render(request, code)


@router.post("/{code}/refuse", response=ACTION, summary="Refuse, or declare not eligible")
def refuse(request: HttpRequest, code: str, payload: ReasonIn) -> DossierOut:
    d = _find(request, code)
    services.refuse_dossier(dossier_id=d.pk, actor=actor_of(request), reason=payload.reason)
    return _render(request, code)


@router.post("/{code}/return", response=ACTION, summary="Hand the result to the applicant")
def return_result(request: HttpRequest, code: str) -> DossierOut:
    d = _find(request, code)
    services.return_to_applicant(dossier_id=d.pk, actor=actor_of(request))
    return _render(request, code)


@router.post("/{code}/stop", response=ACTION, summary="Stop at the applicant's request")
def stop(request: HttpRequest, code: str, payload: ReasonIn) -> DossierOut:
    d = _find(request, code)
    services.stop_dossier(dossier_id=d.pk, actor=actor_of(request), reason=payload.reason)
    return _render(request, code)


@router.get(
    "/{code}/forms/{form}",
    response=answers({200: None}, 401, 404, 409, 422),
    summary="An official form of the dossier as PDF (Mẫu 01–04, the process control sheet)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The form as application/pdf",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def form_pdf(request: HttpRequest, code: str, form: str, id: int | None = None) -> HttpResponse:
    dossier = get_dossier_for(actor_of(request), code, personal=True)
    content = render_form_pdf(dossier, form, item_id=id, extra=control_sheet_extra(dossier, form))
    answer = HttpResponse(content, content_type="application/pdf")
    answer["Content-Disposition"] = f'inline; filename="{dossier.code}-{form}.pdf"'
    return answer
