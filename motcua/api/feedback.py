"""Feedback (API.md "Feedback (staff)" and "Public"): the staff queue under /api/v1/feedback,
the citizen's form and look-up under /api/v1/public/feedback, and the published focal points
under /api/v1/public/focal-points. Thin: validate, call one service or selector, answer."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Schema
from ninja import Status as HttpStatus
from pydantic import AwareDatetime
from pydantic import Field as PydanticField

from motcua.access.selectors import idempotency_key_used
from motcua.api.problems import Problem, problem
from motcua.api.schemas import Paging
from motcua.feedback import policy, selectors, services, throttle
from motcua.feedback.errors import FeedbackNotFound
from motcua.feedback.models import Channel, Feedback, Status
from motcua.org.models import Staff
from motcua.org.requests import actor_of

router = Router(tags=["feedback"])
public_router = Router(tags=["public"])
focal_points_router = Router(tags=["public"])

MAX_ID = 2**63 - 1
ChannelName = Literal[
    "hotline", "zalo", "viber", "email", "web", "ihanoi", "letter", "in_person", "open311"
]
CategoryName = Literal[
    "harassment",
    "channel_obstruction",
    "delay",
    "extra_documents",
    "shirking",
    "unfairness",
    "conduct",
    "regulation",
    "other",
]
StatusName = Literal["new", "classified", "forwarded", "answered", "closed"]

ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


# --------------------------------------------------------------------------------- schemas
class AboutFields(Schema):
    """What a complaint says, and about whom and what, on every channel."""

    content: str = PydanticField(..., description="what the person said (at most 5,000 chars)")
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    dossier_code: str | None = PydanticField(None, max_length=64)
    category: CategoryName | None = None
    unit: str | None = PydanticField(
        None, max_length=40, description="code of the unit the complaint is about"
    )


class FeedbackIn(AboutFields):
    channel: ChannelName
    received_at: AwareDatetime | None = PydanticField(
        None,
        description="when the call, message or letter came in (ISO 8601 with offset); "
        "default: now. Never in the future.",
        examples=["2026-03-02T09:00:00+07:00"],
    )
    intake_unit: str | None = PydanticField(
        None,
        max_length=40,
        description="code of the unit whose hotline or mailbox received it; "
        "default: the operator's unit",
    )


class ClassifyIn(Schema):
    category: CategoryName
    in_scope: bool
    unit: str | None = PydanticField(
        None,
        max_length=40,
        description="the unit the complaint is about (default: the dossier's unit); a route may "
        "hand it to another responsible unit",
    )
    dossier_code: str | None = PydanticField(None, max_length=64)
    green_lane: bool | None = PydanticField(
        None, description="a green-lane delay; default: derived from the dossier"
    )
    note: str = PydanticField(
        "", description="for in_scope=false: the guidance to the competent body (required)"
    )


class AnswerIn(Schema):
    answer: str
    publish: bool = False


class FeedbackNoteIn(Schema):
    note: str = ""


class PublishIn(Schema):
    published: bool


class FocalPointOut(Schema):
    unit: str
    unit_name: str
    title: str
    person: str
    phone: str
    email: str
    zalo: str
    viber: str
    hours: str


class FeedbackEventOut(Schema):
    at: datetime
    actor: str | None
    kind: str
    from_status: str
    to_status: str
    note: str


class FeedbackOut(Schema):
    id: int
    channel: str
    received_at: datetime
    content: str
    status: str
    category: str | None
    in_scope: bool | None
    unit: str | None
    dossier_code: str | None
    respond_by: datetime | None
    overdue: bool
    answer: str | None
    answered_at: datetime | None
    published: bool
    # Beyond the contract's minimum:
    unit_name: str | None
    concerned_unit: str | None
    intake_unit: str | None
    green_lane: bool
    name: str
    phone: str
    email: str
    address: str
    entered_by: str | None
    assignee: str | None
    focal_point: FocalPointOut | None
    escalated_at: datetime | None
    escalated_to: str | None
    closed_at: datetime | None
    events: list[FeedbackEventOut] | None = None
    allowed_actions: Annotated[
        list[str] | None,
        PydanticField(
            description="in the answer about one item: what the caller may do with it now "
            "(classify, answer, close, return, publish: the action endpoints of the item)"
        ),
    ] = None


class FeedbackPage(Schema):
    count: int
    items: list[FeedbackOut]


class FeedbackFilters(Paging):
    status: StatusName | None = None
    overdue: bool | None = None
    unit: str | None = PydanticField(None, max_length=40, description="unit code (and below)")
    channel: ChannelName | None = None
    category: CategoryName | None = None
    green_lane: bool | None = None
    dossier_code: str | None = PydanticField(None, max_length=64)


class PublicFeedbackIn(AboutFields):
    name: str = PydanticField(..., description="required (Decree 20/2008 Art. 7)")


class PublicFeedbackCreated(Schema):
    id: int
    secret: str
    respond_by: datetime | None
    status: str


class PublicFeedbackOut(Schema):
    id: int
    status: str
    received_at: datetime
    respond_by: datetime | None
    category: str | None
    unit: str | None
    unit_name: str | None
    answer: str | None = PydanticField(
        description="the answer once the supervisor closed the item or it was published; "
        "for out-of-scope feedback the guidance to the competent body"
    )
    answered_at: datetime | None
    published: bool


class PublishedFeedbackOut(Schema):
    id: int
    category: str | None
    unit: str | None
    unit_name: str | None
    received_at: datetime
    content: str
    answer: str
    answered_at: datetime | None


class PublishedPage(Schema):
    count: int
    items: list[PublishedFeedbackOut]


class FocalPointPage(Schema):
    count: int
    items: list[FocalPointOut]


# -------------------------------------------------------------------------------- helpers
def _local(at: datetime | None) -> datetime | None:
    return timezone.localtime(at) if at is not None else None


def _name(staff: Staff | None) -> str | None:
    return staff.username if staff is not None else None


def _focal_point_out(fp: Any) -> FocalPointOut:
    contacts = ("title", "person", "phone", "email", "zalo", "viber", "hours")
    return FocalPointOut(
        unit=fp.unit.code, unit_name=fp.unit.name, **{f: getattr(fp, f) for f in contacts}
    )


def _about(payload: AboutFields) -> dict[str, Any]:
    """What a complaint says, as `receive_feedback` takes it, whatever its channel."""
    return {
        "content": payload.content,
        "sender": services.Sender(
            name=payload.name,
            phone=payload.phone,
            email=payload.email,
            address=payload.address,
        ),
        "dossier_code": payload.dossier_code or "",
        "category": payload.category or "",
        "unit_code": payload.unit or "",
    }


def feedback_out(item: Feedback, *, now: datetime, events: bool = False) -> FeedbackOut:
    out = FeedbackOut(
        id=item.pk,
        channel=item.channel,
        received_at=timezone.localtime(item.received_at),
        content=item.content,
        status=item.status,
        category=item.category or None,
        in_scope=item.in_scope,
        unit=item.unit.code if item.unit else None,
        dossier_code=item.dossier_code or None,
        respond_by=_local(item.respond_by),
        overdue=item.is_overdue(now),
        answer=item.answer or None,
        answered_at=_local(item.answered_at),
        published=item.published,
        unit_name=item.unit.name if item.unit else None,
        concerned_unit=item.concerned_unit.code if item.concerned_unit else None,
        intake_unit=item.intake_unit.code if item.intake_unit else None,
        green_lane=item.green_lane,
        name=item.name,
        phone=item.phone,
        email=item.email,
        address=item.address,
        entered_by=_name(item.entered_by),
        assignee=_name(item.assignee),
        focal_point=_focal_point_out(item.focal_point) if item.focal_point else None,
        escalated_at=_local(item.escalated_at),
        escalated_to=_name(item.escalated_to),
        closed_at=_local(item.closed_at),
    )
    if events:
        out.events = [
            FeedbackEventOut(
                at=timezone.localtime(e.at),
                actor=_name(e.actor),
                kind=e.kind,
                from_status=e.from_status,
                to_status=e.to_status,
                note=e.note,
            )
            for e in selectors.list_events(item)
        ]
    return out


def _visible(request: HttpRequest, feedback_id: int) -> Feedback:
    item = selectors.get_feedback_for(actor_of(request), feedback_id)
    if item is None:
        raise FeedbackNotFound(
            _("Không có phản ánh số %(id)s, hoặc bạn không có quyền xem.") % {"id": feedback_id}
        )
    return item


def _detail(request: HttpRequest, feedback_id: int) -> FeedbackOut:
    item = _visible(request, feedback_id)
    out = feedback_out(item, now=timezone.now(), events=True)
    out.allowed_actions = policy.allowed(selectors.facts_of(actor_of(request), item))
    return out


def _body_hash(payload: Schema) -> str:
    body = json.dumps(payload.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def client_address(request: HttpRequest) -> str:
    """The address rate limits count by (see motcua.feedback.throttle)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def too_many(retry_after: int) -> HttpResponse:
    return problem(
        429,
        _("Bạn đã gửi quá nhiều lần trong thời gian ngắn; hãy thử lại sau %(n)s giây.")
        % {"n": retry_after},
        "rate_limited",
        headers={"Retry-After": str(retry_after)},
    )


FeedbackId = Path(..., ge=1, le=MAX_ID, description="the feedback's id")


# ------------------------------------------------------------------------------- staff API
@router.post("", response={201: FeedbackOut, **ERRORS})
def create_feedback(
    request: HttpRequest,
    payload: FeedbackIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),
) -> object:
    """An operator types in a call, a chat, an email or a letter (one queue for every channel)."""
    staff = actor_of(request)
    key = (
        services.Idempotency(
            scope=f"feedback:staff:{staff.pk}",
            key=idempotency_key,
            request_hash=_body_hash(payload),
        )
        if idempotency_key
        else None
    )
    received = services.receive_feedback(
        actor=staff,
        channel=payload.channel,
        received_at=payload.received_at,
        intake_unit_code=payload.intake_unit or "",
        idempotency=key,
        **_about(payload),
    )
    return HttpStatus(201, _detail(request, received.feedback.pk))


@router.get("", response={200: FeedbackPage, 401: Problem, 422: Problem})
def list_feedback(request: HttpRequest, filters: Query[FeedbackFilters]) -> object:
    """The queue: overdue first, then the nearest respond-by time; only what the caller sees."""
    unit = None
    if filters.unit:
        unit = selectors.get_active_unit(filters.unit)
        if unit is None:
            return problem(
                422,
                _("Không có đơn vị đang hoạt động mã %(code)s.") % {"code": filters.unit},
                "unknown_unit",
                errors={"unit": [_("Mã đơn vị không tồn tại.")]},
            )
    now = timezone.now()
    qs = selectors.list_feedback(
        actor_of(request),
        now=now,
        status=filters.status,
        overdue=filters.overdue,
        unit=unit,
        channel=filters.channel,
        category=filters.category,
        green_lane=filters.green_lane,
        dossier_code=filters.dossier_code,
    ).select_related("focal_point__unit", "assignee", "escalated_to")
    count = qs.count()
    page = qs[filters.offset : filters.offset + filters.limit]
    return FeedbackPage(count=count, items=[feedback_out(f, now=now) for f in page])


@router.get("/{feedback_id}", response={200: FeedbackOut, 401: Problem, 404: Problem, 422: Problem})
def get_feedback(request: HttpRequest, feedback_id: int = FeedbackId) -> FeedbackOut:
    """One item with its history."""
    return _detail(request, feedback_id)


@router.post("/{feedback_id}/classify", response={200: FeedbackOut, **ERRORS})
def classify(request: HttpRequest, payload: ClassifyIn, feedback_id: int = FeedbackId) -> object:
    """Supervisor: category, in scope or not; in scope → routed with its respond-by time; out of
    scope → closed, `note` being the guidance to the competent body."""
    services.classify_feedback(
        feedback_id=feedback_id,
        actor=actor_of(request),
        category=payload.category,
        in_scope=payload.in_scope,
        unit_code=payload.unit or "",
        dossier_code=payload.dossier_code or "",
        green_lane=payload.green_lane,
        note=payload.note,
    )
    return _detail(request, feedback_id)


@router.post("/{feedback_id}/answer", response={200: FeedbackOut, **ERRORS})
def answer(request: HttpRequest, payload: AnswerIn, feedback_id: int = FeedbackId) -> object:
    """The responsible unit's head, leader or specialist answers."""
    services.answer_feedback(
        feedback_id=feedback_id,
        actor=actor_of(request),
        answer=payload.answer,
        publish=payload.publish,
    )
    return _detail(request, feedback_id)


@router.post("/{feedback_id}/close", response={200: FeedbackOut, **ERRORS})
def close(request: HttpRequest, payload: FeedbackNoteIn, feedback_id: int = FeedbackId) -> object:
    """Supervisor: the answer is good; the item is closed."""
    services.close_feedback(feedback_id=feedback_id, actor=actor_of(request), note=payload.note)
    return _detail(request, feedback_id)


@router.post("/{feedback_id}/return", response={200: FeedbackOut, **ERRORS})
def return_to_unit(
    request: HttpRequest, payload: FeedbackNoteIn, feedback_id: int = FeedbackId
) -> object:
    """Supervisor: the answer is not good enough; back to the unit with the reason (`note`)."""
    services.return_feedback(feedback_id=feedback_id, actor=actor_of(request), note=payload.note)
    return _detail(request, feedback_id)


@router.post("/{feedback_id}/publish", response={200: FeedbackOut, **ERRORS})
def publish(request: HttpRequest, payload: PublishIn, feedback_id: int = FeedbackId) -> object:
    """Show the answer on the portal (or stop showing it)."""
    services.publish_feedback(
        feedback_id=feedback_id, actor=actor_of(request), published=payload.published
    )
    return _detail(request, feedback_id)


# ------------------------------------------------------------------------------ public API
@public_router.post(
    "",
    auth=None,
    response={201: PublicFeedbackCreated, 422: Problem, 429: Problem},
)
def submit_feedback(
    request: HttpRequest,
    payload: PublicFeedbackIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),
) -> object:
    """A citizen's complaint through the portal's form. Keep `secret`: it shows the answer."""
    key = (
        services.Idempotency(
            scope="feedback:public", key=idempotency_key, request_hash=_body_hash(payload)
        )
        if idempotency_key
        else None
    )
    if key is None or not idempotency_key_used(
        kind=services.IDEMPOTENCY_KIND, scope=key.scope, key=key.key
    ):
        verdict = throttle.hit(
            f"feedback:{client_address(request)}", limit=throttle.feedback_limit()
        )
        if not verdict.allowed:
            return too_many(verdict.retry_after_seconds)
    received = services.receive_feedback(
        actor=None,
        channel=Channel.WEB,
        idempotency=key,
        require_contact=True,
        **_about(payload),
    )
    item = received.feedback
    return HttpStatus(
        201,
        PublicFeedbackCreated(
            id=item.pk,
            secret=received.secret,
            respond_by=_local(item.respond_by),
            status=item.status,
        ),
    )


@public_router.get("", auth=None, response={200: PublishedPage, 422: Problem})
def published_feedback(request: HttpRequest, paging: Query[Paging]) -> PublishedPage:
    """Answers published on the portal (no name, phone, email or address)."""
    qs = selectors.list_published_feedback()
    count = qs.count()
    items = [
        PublishedFeedbackOut(
            id=f.pk,
            category=f.category or None,
            unit=f.unit.code if f.unit else None,
            unit_name=f.unit.name if f.unit else None,
            received_at=timezone.localtime(f.received_at),
            content=f.content,
            answer=f.answer,
            answered_at=_local(f.answered_at),
        )
        for f in qs[paging.offset : paging.offset + paging.limit]
    ]
    return PublishedPage(count=count, items=items)


class FeedbackSecretIn(Schema):
    secret: str = PydanticField(..., max_length=40, description="the secret given on submission")


def _lookup_feedback(request: HttpRequest, feedback_id: int, secret: str) -> object:
    """The citizen's own item: status and answer. A wrong secret answers like an unknown id;
    every miss is counted (checked and counted under one lock), 429 past the limit."""
    bucket = f"lookup-miss:{client_address(request)}"
    blocked = throttle.is_blocked(bucket, limit=throttle.lookup_limit())
    if not blocked.allowed:
        return too_many(blocked.retry_after_seconds)
    item = selectors.get_feedback_by_secret(feedback_id, secret)
    if item is None:
        counted = throttle.hit(bucket, limit=throttle.lookup_limit())
        if not counted.allowed:
            return too_many(counted.retry_after_seconds)
        return problem(
            404,
            _("Không có phản ánh số %(id)s với mã tra cứu này; hãy kiểm tra lại cả hai.")
            % {"id": feedback_id},
            "not_found",
        )
    show_answer = item.published or item.status == Status.CLOSED
    return PublicFeedbackOut(
        id=item.pk,
        status=item.status,
        received_at=timezone.localtime(item.received_at),
        respond_by=_local(item.respond_by),
        category=item.category or None,
        unit=item.unit.code if item.unit else None,
        unit_name=item.unit.name if item.unit else None,
        answer=(item.answer or None) if show_answer else None,
        answered_at=_local(item.answered_at) if show_answer else None,
        published=item.published,
    )


@public_router.post(
    "/{feedback_id}/lookup",
    auth=None,
    response={200: PublicFeedbackOut, 404: Problem, 422: Problem, 429: Problem},
    summary="Look one's complaint up, the secret in the body (never in the URL)",
)
def lookup_feedback_by_post(
    request: HttpRequest, payload: FeedbackSecretIn, feedback_id: int = FeedbackId
) -> object:
    return _lookup_feedback(request, feedback_id, payload.secret)


@public_router.get(
    "/{feedback_id}",
    auth=None,
    response={200: PublicFeedbackOut, 404: Problem, 422: Problem, 429: Problem},
    summary="Look one's complaint up (kept for existing clients: prefer POST …/lookup)",
)
def lookup_feedback(
    request: HttpRequest,
    feedback_id: int = FeedbackId,
    secret: str = Query(..., max_length=40, description="the secret given on submission"),
) -> object:
    """The secret in the query string: logs scrub it (`motcua.access.logs`)."""
    return _lookup_feedback(request, feedback_id, secret)


@focal_points_router.get("", auth=None, response={200: FocalPointPage, 404: Problem, 422: Problem})
def focal_points(
    request: HttpRequest,
    unit: str | None = Query(None, max_length=40, description="unit code; empty: every unit"),
) -> object:
    """The published directory of who receives complaints (đầu mối tiếp nhận phản ánh)."""
    unit_obj = None
    if unit:
        unit_obj = selectors.get_active_unit(unit)
        if unit_obj is None:
            return problem(
                404, _("Không có đơn vị đang hoạt động mã %(code)s.") % {"code": unit}, "not_found"
            )
    items = [_focal_point_out(fp) for fp in selectors.list_public_focal_points(unit_obj)]
    return FocalPointPage(count=len(items), items=items)
