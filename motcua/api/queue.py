"""The counter floor (API.md, "Counter floor"): tickets from the kiosk, calls at a counter, the
unit's layout and live state, online bookings and the citizen's rating of the officer.

The state's event stream (`GET /api/v1/queue/units/{unit}/events`) is an async Django view,
`events` below, routed before this API in `motcua/urls.py`: it is served by the ASGI server and
holds no WSGI worker. django-ninja does not see it, so `EVENTS_OPENAPI` describes it for the
OpenAPI document (`api.MotCuaAPI`)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import AwareDatetime
from pydantic import Field as PydanticField

from motcua.api.problems import Problem, problem
from motcua.org.requests import actor_of
from motcua.queueing import services
from motcua.queueing.models import Ticket
from motcua.queueing.selectors import get_floor_unit, unit_layout
from motcua.queueing.streams import events as floor_events
from motcua.queueing.streams import sse, state_of
from motcua.surveys.services import rate_counter_ticket

router = Router(tags=["queue"])
public_router = Router(tags=["public"])
bookings_router = Router(tags=["public"])

NOT_FOUND = {404: Problem}


class TicketIn(Schema):
    unit: str = PydanticField(max_length=40)
    group: str = PydanticField("", max_length=20)
    priority: str | None = PydanticField(None, max_length=30)
    booking_code: str | None = PydanticField(None, max_length=40)


class TicketOut(Schema):
    id: int
    number: str
    group: str
    status: str
    issued_at: datetime
    waiting_before: int
    status_url: str
    counter: str | None = None


class TransferIn(Schema):
    group: str = PydanticField("", max_length=20)
    counter: int | None = None


class ServiceGroupOut(Schema):
    code: str
    name: str


class CounterOut(Schema):
    id: int
    name: str
    groups: list[str]
    officer: str | None


class FloorUnitOut(Schema):
    """The unit's floor layout (API.md keeps the field names; the OpenAPI component is named
    apart from the catalog's ``UnitOut``)."""

    groups: list[ServiceGroupOut]
    counters: list[CounterOut]


class Calling(Schema):
    number: str
    counter: str


class StateOut(Schema):
    calling: list[Calling]
    last_calls: list[Calling]
    waiting: dict[str, int]


class BookingIn(Schema):
    unit: str = PydanticField(max_length=40)
    procedure: str = PydanticField(max_length=60)
    slot_start: AwareDatetime = PydanticField(
        description="with offset (a time without one is refused with 422)"
    )
    name: str = PydanticField(max_length=200)
    phone: str = PydanticField("", max_length=30)
    email: str = PydanticField("", max_length=254)


class BookingOut(Schema):
    booking_code: str
    slot_start: datetime
    slot_end: datetime


class CounterRatingIn(Schema):
    token: str = PydanticField(max_length=40)
    level: Literal["very_satisfied", "satisfied", "not_satisfied"]
    reasons: list[str] = PydanticField(default_factory=list, max_length=10)


class CounterRatingOut(Schema):
    ticket: int
    level: str
    reasons: list[str]
    rated_at: datetime


def ticket_out(request: HttpRequest, ticket: Ticket, waiting_before: int = 0) -> TicketOut:
    return TicketOut(
        id=ticket.pk,
        number=ticket.number,
        group=ticket.group.code,
        status=ticket.status,
        issued_at=timezone.localtime(ticket.issued_at),
        waiting_before=waiting_before,
        status_url=request.build_absolute_uri(reverse("queueing:phone", args=[ticket.token])),
        counter=str(ticket.counter) if ticket.counter_id else None,
    )


@router.post(
    "/tickets",
    auth=None,
    response={201: TicketOut, 404: Problem, 409: Problem, 422: Problem},
    summary="Take a queue ticket (kiosk): walk-in, priority, or a booking checked in",
)
def take_ticket(request: HttpRequest, payload: TicketIn) -> Any:
    issued = services.issue_ticket(
        unit_code=payload.unit,
        group_code=payload.group,
        priority_code=payload.priority or None,
        booking_code=payload.booking_code or None,
    )
    return Status(201, ticket_out(request, issued.ticket, issued.waiting_before))


@router.post(
    "/counters/{counter_id}/call-next",
    response={200: TicketOut, 204: None, 403: Problem, 404: Problem, 409: Problem},
    summary="Call the next ticket at a counter (the caller becomes its officer)",
)
def call_next(request: HttpRequest, counter_id: int) -> Any:
    ticket = services.call_next(counter_id=counter_id, actor=actor_of(request))
    if ticket is None:
        return Status(204, None)
    return Status(200, ticket_out(request, ticket))


@router.post(
    "/tickets/{ticket_id}/recall",
    response={200: TicketOut, 403: Problem, 404: Problem, 409: Problem},
    summary="Call a ticket again",
)
def recall(request: HttpRequest, ticket_id: int) -> Any:
    ticket = services.recall_ticket(ticket_id=ticket_id, actor=actor_of(request))
    return Status(200, ticket_out(request, ticket))


@router.post(
    "/tickets/{ticket_id}/no-show",
    response={200: TicketOut, 403: Problem, 404: Problem, 409: Problem},
    summary="The called citizen did not come",
)
def no_show(request: HttpRequest, ticket_id: int) -> Any:
    ticket = services.mark_no_show(ticket_id=ticket_id, actor=actor_of(request))
    return Status(200, ticket_out(request, ticket))


@router.post(
    "/tickets/{ticket_id}/transfer",
    response={200: TicketOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    summary="Send a ticket to another group or counter",
)
def transfer(request: HttpRequest, ticket_id: int, payload: TransferIn) -> Any:
    ticket = services.transfer_ticket(
        ticket_id=ticket_id,
        actor=actor_of(request),
        group_code=payload.group,
        counter_id=payload.counter,
    )
    return Status(200, ticket_out(request, ticket))


def _no_floor(unit: str) -> HttpResponse:
    return problem(
        404, f"Đơn vị {unit[:40]} không có hoặc chưa cấu hình quầy tiếp nhận.", "not_found"
    )


@router.get(
    "/units/{unit}",
    auth=None,
    response={200: FloorUnitOut, 404: Problem},
    summary="The unit's service groups and counters",
)
def layout(request: HttpRequest, unit: str) -> Any:
    found = get_floor_unit(unit)
    if found is None:
        return _no_floor(unit)
    return Status(200, unit_layout(found))


@router.get(
    "/units/{unit}/state",
    auth=None,
    response={200: StateOut, 404: Problem},
    summary="The numbers being called and the waiting counts (the display's state)",
)
def state(request: HttpRequest, unit: str) -> Any:
    found = get_floor_unit(unit)
    if found is None:
        return _no_floor(unit)
    return Status(200, state_of(found.pk))


@bookings_router.post(
    "",
    auth=None,
    response={201: BookingOut, 404: Problem, 409: Problem, 422: Problem},
    summary="Book a slot at the unit's counters; the code goes by SMS or e-mail",
)
def book(request: HttpRequest, payload: BookingIn) -> Any:
    booking = services.book_slot(
        unit_code=payload.unit,
        procedure_code=payload.procedure,
        slot_start=payload.slot_start,
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
    )
    return Status(
        201,
        BookingOut(
            booking_code=booking.code,
            slot_start=timezone.localtime(booking.slot_start),
            slot_end=timezone.localtime(booking.slot_end),
        ),
    )


@public_router.post(
    "/tickets/{ticket_id}/rating",
    auth=None,
    response={201: CounterRatingOut, 404: Problem, 409: Problem, 422: Problem},
    summary="Rate the officer who served a ticket (once per ticket)",
)
def rate(request: HttpRequest, ticket_id: int, payload: CounterRatingIn) -> Any:
    rating = rate_counter_ticket(
        ticket_id=ticket_id, token=payload.token, overall=payload.level, reasons=payload.reasons
    )
    return Status(
        201,
        CounterRatingOut(
            ticket=ticket_id,
            level=rating.overall,
            reasons=list(rating.reasons),
            rated_at=timezone.localtime(rating.at),
        ),
    )


#: A WSGI worker held by an endless stream serves nobody else: there, `events` answers the state
#: once and asks the browser's EventSource to come back after this many milliseconds.
WSGI_RETRY_MS = 2000

#: The OpenAPI operation of `events` (a plain async view django-ninja does not list).
EVENTS_OPENAPI: dict[str, Any] = {
    "get": {
        "operationId": "motcua_api_queue_events",
        "summary": "The unit's state now, then again on every change (Server-Sent Events)",
        "tags": ["queue"],
        "parameters": [
            {"in": "path", "name": "unit", "required": True, "schema": {"type": "string"}}
        ],
        "responses": {
            200: {
                "description": "event: state / data: the JSON of GET /queue/units/{unit}/state",
                "content": {"text/event-stream": {"schema": {"type": "string"}}},
            },
            404: {
                "description": "Not Found",
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            },
        },
    }
}
EVENTS_PATH = "/api/v1/queue/units/{unit}/events"


async def events(request: HttpRequest, unit: str) -> HttpResponseBase:
    """`GET /api/v1/queue/units/{unit}/events`: the unit's state now, then on every change."""
    found = await sync_to_async(get_floor_unit)(unit)
    if found is None:
        return problem(404, _("Đơn vị này chưa có quầy tiếp nhận."), "not_found")
    response: HttpResponseBase
    if isinstance(request, ASGIRequest):
        response = StreamingHttpResponse(floor_events(found.pk), content_type="text/event-stream")
    else:
        # A WSGI worker held by an endless stream serves nobody else: there, the current state
        # once, and the browser's EventSource asks again after `retry` (a slower poll).
        state = await sync_to_async(state_of)(found.pk)
        body = f"retry: {WSGI_RETRY_MS}\n\n".encode() + sse(json.dumps(state, ensure_ascii=False))
        response = HttpResponse(body, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"
    # Numbers and counters only, no personal data: any page may listen (the stream origin may
    # differ from the pages' under `motcua serve`).
    response["Access-Control-Allow-Origin"] = "*"
    return response
