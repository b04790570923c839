"""The floor's pages: the kiosk and its printed ticket, the call display, the citizen's phone
page, the counter's rating tablet, the officer's counter panel actions, online booking, and the
live event stream they all listen to (an async view: served by the ASGI server)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.handlers.asgi import ASGIRequest
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.core.errors import DomainError, InvalidInput
from motcua.org.models import Unit
from motcua.org.requests import actor_of
from motcua.queueing import selectors, services
from motcua.queueing.models import TicketStatus
from motcua.queueing.streams import state_of
from motcua.surveys.models import CounterReason, Overall
from motcua.surveys.services import rate_counter_ticket

#: How soon a browser asks again for the state when the streams are reached through WSGI.


def _floor(code: str) -> Unit:
    unit = selectors.get_floor_unit(code)
    if unit is None:
        raise Http404(_("Đơn vị này chưa có quầy tiếp nhận."))
    return unit


def stream_origin(request: HttpRequest) -> str:
    """Where the browser reaches the ASGI server of the streams (settings QUEUE_STREAM_*): the
    configured origin, else under `motcua serve` this host at the stream port, else ``""`` (this
    origin: the page itself is served by the ASGI server, or a proxy routes the streams)."""
    if settings.QUEUE_STREAM_ORIGIN:
        return str(settings.QUEUE_STREAM_ORIGIN)
    port = settings.QUEUE_STREAM_PORT
    if not port or isinstance(request, ASGIRequest):
        return ""
    host = request.get_host()
    if ":" in host and not host.endswith("]"):
        host = host.rsplit(":", 1)[0]
    return f"{request.scheme}://{host}:{port}"


def stream_url(request: HttpRequest, unit: Unit) -> str:
    return stream_origin(request) + reverse("queueing_events", args=[unit.code])


def floor_page(
    request: HttpRequest, template: str, ctx: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A floor page listening to its unit's stream: its Content-Security-Policy lets it connect
    to the streams' origin when that is not the page's own."""
    response = render(request, template, ctx, status=status)
    origin = stream_origin(request)
    if origin:
        response._csp_update = {"connect-src": [origin]}  # type: ignore[attr-defined]
    return response


# ----------------------------------------------------------------------------------- kiosk
@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, unit: str) -> HttpResponse:
    found = _floor(unit)
    ctx: dict[str, Any] = {
        "unit": found,
        "groups": list(selectors.list_groups(found)),
        "priorities": list(selectors.list_priorities(found)),
        "open": services.floor_is_open(found, timezone.now()),
        "opening": services.next_opening(found, timezone.now()),
        "error": "",
        "stream_url": stream_url(request, found),
    }
    if request.method == "GET":
        return floor_page(request, "queueing/kiosk.html", ctx)
    try:
        issued = services.issue_ticket(
            unit_code=found.code,
            group_code=request.POST.get("group", ""),
            priority_code=request.POST.get("priority") or None,
            booking_code=request.POST.get("booking_code") or None,
        )
    except DomainError as exc:
        ctx["error"] = exc.message
        return floor_page(request, "queueing/kiosk.html", ctx, status=exc.status)
    return HttpResponseRedirect(
        reverse("queueing:printed", args=[found.code, issued.ticket.token]), status=303
    )


@never_cache
@require_GET
def printed(request: HttpRequest, unit: str, token: str) -> HttpResponse:
    """The 80 mm ticket the kiosk prints through the browser's print dialog."""
    found = _floor(unit)
    ticket = selectors.get_ticket_by_token(token)
    if ticket is None or ticket.unit_id != found.pk:
        raise Http404
    import segno

    phone_url = request.build_absolute_uri(reverse("queueing:phone", args=[ticket.token]))
    qr = segno.make(phone_url, error="m").svg_data_uri(scale=4, border=1)
    return render(
        request,
        "queueing/ticket.html",
        {
            "unit": found,
            "ticket": ticket,
            "view": selectors.ticket_view(ticket),
            "qr": qr,
            "phone_url": phone_url,
            "issued_at": timezone.localtime(ticket.issued_at),
        },
    )


# --------------------------------------------------------------------------------- display
@require_GET
def display(request: HttpRequest, unit: str) -> HttpResponse:
    found = _floor(unit)
    state = state_of(found.pk)
    waiting = [(g["code"], g["name"], state["waiting"].get(g["code"], 0)) for g in state["groups"]]
    return floor_page(
        request,
        "queueing/display.html",
        {
            "unit": found,
            "state": state,
            "waiting": waiting,
            "stream_url": stream_url(request, found),
        },
    )


# ----------------------------------------------------------------------------------- phone
@never_cache
@require_GET
def phone(request: HttpRequest, token: str) -> HttpResponse:
    ticket = selectors.get_ticket_by_token(token)
    if ticket is None:
        raise Http404(_("Không tìm thấy số thứ tự."))
    view = selectors.ticket_view(ticket)
    if request.GET.get("format") == "json":
        return JsonResponse(view)
    return floor_page(
        request,
        "queueing/phone.html",
        {"ticket": ticket, "view": view, "stream_url": stream_url(request, ticket.unit)},
    )


# ---------------------------------------------------------------------------------- tablet
@never_cache
@require_http_methods(["GET", "POST"])
def tablet(request: HttpRequest, unit: str, counter: int) -> HttpResponse:
    found = _floor(unit)
    desk = selectors.get_counter(found, counter)
    if desk is None:
        raise Http404
    ctx: dict[str, Any] = {
        "unit": found,
        "counter": desk,
        "levels": Overall.choices,
        "reasons": CounterReason.choices,
        "stream_url": stream_url(request, found),
        "error": "",
        "thanks": False,
    }
    status = 200
    if request.method == "POST":
        try:
            rate_counter_ticket(
                ticket_id=int(request.POST.get("ticket", "0") or 0)
                if request.POST.get("ticket", "").isdigit()
                else 0,
                token=request.POST.get("token", ""),
                overall=request.POST.get("level", ""),
                reasons=request.POST.getlist("reasons"),
            )
            ctx["thanks"] = True
        except DomainError as exc:
            ctx["error"] = exc.message
            status = exc.status
    ctx["ticket"] = selectors.ticket_to_rate(desk)
    template = "queueing/_tablet.html" if request.GET.get("fragment") else "queueing/tablet.html"
    return floor_page(request, template, ctx, status=status)


# --------------------------------------------------------------------------- counter panel
def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("office:home")


def _panel(request: HttpRequest, message: str = "", status: int = 200) -> HttpResponse:
    if request.headers.get("HX-Request"):
        from motcua.queueing.templatetags.floor import panel_context

        ctx = panel_context(request, message=message)
        return render(request, "queueing/_panel.html", ctx, status=status)
    if message:
        from django.contrib import messages

        (messages.error if status >= 400 else messages.info)(request, message)
    return HttpResponseRedirect(_back(request), status=303)


@login_required
@require_GET
def panel(request: HttpRequest) -> HttpResponse:
    return _panel(request)


@login_required
@require_POST
def act(request: HttpRequest, action: str) -> HttpResponse:
    actor = actor_of(request)
    raw = request.POST.get("ticket", "")
    ticket_id = int(raw) if raw.isdigit() and len(raw) < 12 else 0
    try:
        if action == "next":
            raw_counter = request.POST.get("counter", "")
            counter_id = int(raw_counter) if raw_counter.isdigit() and len(raw_counter) < 12 else 0
            ticket = services.call_next(counter_id=counter_id, actor=actor)
            message = (
                _("Đang gọi số %(number)s.") % {"number": ticket.number}
                if ticket
                else _("Không còn ai chờ ở các nhóm của quầy này.")
            )
        elif action == "recall":
            ticket = services.recall_ticket(ticket_id=ticket_id, actor=actor)
            message = _("Đã gọi lại số %(number)s.") % {"number": ticket.number}
        elif action == "no-show":
            ticket = services.mark_no_show(ticket_id=ticket_id, actor=actor)
            message = _("Số %(number)s vắng mặt.") % {"number": ticket.number}
        elif action == "done":
            ticket = services.finish_ticket(ticket_id=ticket_id, actor=actor)
            message = _("Đã phục vụ xong số %(number)s.") % {"number": ticket.number}
        elif action == "transfer":
            target = request.POST.get("target", "")
            kind, _sep, value = target.partition(":")
            ticket = services.transfer_ticket(
                ticket_id=ticket_id,
                actor=actor,
                group_code=value if kind == "group" else "",
                counter_id=int(value) if kind == "counter" and value.isdigit() else None,
            )
            message = _("Đã chuyển số %(number)s.") % {"number": ticket.number}
        else:
            raise Http404
    except DomainError as exc:
        return _panel(request, exc.message, exc.status)
    return _panel(request, message)


# ---------------------------------------------------------------------------------- booking
def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text and len(text) == 10 and text.isascii() else None
    except ValueError:
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def booking(request: HttpRequest) -> HttpResponse:
    """Choose a unit and a procedure, a working day and a slot; get the code."""
    from motcua.catalog.selectors import list_procedures

    units = list(
        Unit.objects.filter(active=True, service_groups__active=True).distinct().order_by("code")
    )
    data = request.POST if request.method == "POST" else request.GET
    unit = next((u for u in units if u.code == data.get("unit")), units[0] if units else None)
    now = timezone.now()
    ctx: dict[str, Any] = {"units": units, "unit": unit, "error": "", "booked": None}
    if unit is None:
        return render(request, "queueing/booking.html", ctx)
    procedures = [
        p for p in list_procedures(unit=unit) if services.group_for_procedure(unit, p) is not None
    ]
    procedure = next((p for p in procedures if p.code == data.get("procedure")), None)
    days = services.bookable_days(unit, now)
    day = _parse_day(data.get("day", ""))
    ctx |= {"procedures": procedures, "procedure": procedure, "days": days, "day": day}
    status = 200
    if request.method == "POST":
        raw = data.get("slot", "")
        try:
            slot = datetime.fromisoformat(raw) if raw.isascii() and len(raw) < 40 else None
        except ValueError:
            slot = None
        try:
            if slot is None:
                raise InvalidInput(_("Hãy chọn một khung giờ."), field="slot")
            ctx["booked"] = services.book_slot(
                unit_code=unit.code,
                procedure_code=procedure.code if procedure else "",
                slot_start=slot,
                name=data.get("name", ""),
                phone=data.get("phone", ""),
                email=data.get("email", ""),
            )
        except DomainError as exc:
            ctx["error"] = exc.message
            status = exc.status
    if procedure is not None and day is not None and day in days:
        group = services.group_for_procedure(unit, procedure)
        ctx["slots"] = services.slots_of(group, day, now) if group else []
    return render(request, "queueing/booking.html", ctx, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def cancel_booking(request: HttpRequest) -> HttpResponse:
    ctx: dict[str, Any] = {"error": "", "cancelled": None}
    status = 200
    if request.method == "POST":
        try:
            ctx["cancelled"] = services.cancel_booking(code=request.POST.get("code", ""))
        except DomainError as exc:
            ctx["error"] = exc.message
            status = exc.status
    return render(request, "queueing/cancel.html", ctx, status=status)


# ----------------------------------------------------------------- reception from a ticket
SESSION_TICKET = "queueing_ticket"


@login_required
@require_POST
def receive_from_ticket(request: HttpRequest) -> HttpResponse:
    """ "Tiếp nhận hồ sơ" on the panel: the reception form opens linked to the called ticket; the
    dossier it receives records the ticket (`link_ticket_from_session`)."""
    actor = actor_of(request)
    raw = request.POST.get("ticket", "")
    ticket = selectors.get_ticket(int(raw)) if raw.isdigit() and len(raw) < 12 else None
    if ticket is None or ticket.officer_id != actor.pk or ticket.status != TicketStatus.CALLED:
        return _panel(request, _("Chỉ tiếp nhận hồ sơ từ số bạn đang gọi tại quầy."), 409)
    request.session[SESSION_TICKET] = ticket.pk
    return HttpResponseRedirect(
        reverse("office:reception") + f"?unit={ticket.unit.code}", status=303
    )


def link_ticket_from_session(request: HttpRequest, dossier: Any) -> None:
    """After the desk received ``dossier``: link it to the ticket the officer opened the form
    from, if that ticket is still being served by them (else nothing: the reception stands)."""
    ticket_id = request.session.pop(SESSION_TICKET, None)
    if not isinstance(ticket_id, int):
        return
    ticket = selectors.get_ticket(ticket_id)
    actor = actor_of(request)
    if ticket is None or ticket.officer_id != actor.pk or ticket.status != TicketStatus.CALLED:
        return
    services.link_dossier(ticket_id=ticket.pk, dossier_id=dossier.pk, actor=actor)
