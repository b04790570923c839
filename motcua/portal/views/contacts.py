"""Who to call: the published focal points of each unit, the public complaint form (it files
a feedback item through the feedback app's intake service, channel "web"), and the page where the
citizen follows the complaint with its number and look-up secret.

The follow-up page takes the secret in a POST body only (a GET link may prefill the number, never
the secret). A wrong secret answers exactly like an unknown number; misses are counted per client
address in the same bucket as the API's ``POST /public/feedback/{id}/lookup``
(`motcua.feedback.throttle.lookup_key`), 429 past the limit."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.errors import DomainError
from motcua.feedback import throttle
from motcua.feedback.models import OPEN_STATUSES, Channel, Status
from motcua.feedback.selectors import answer_shown_to_citizen, get_feedback_by_secret
from motcua.feedback.services import Sender, receive_feedback
from motcua.org.models import FocalPoint, Unit
from motcua.org.selectors import list_focal_points
from motcua.portal.forms import FeedbackForm, FeedbackLookupForm
from motcua.portal.views.common import page


def _directory() -> list[tuple[Unit, list[FocalPoint]]]:
    groups: dict[int, tuple[Unit, list[FocalPoint]]] = {}
    for point in list_focal_points():
        groups.setdefault(point.unit_id, (point.unit, []))[1].append(point)
    return list(groups.values())


@require_GET
def contacts(request: HttpRequest) -> HttpResponse:
    directory = _directory()
    chosen = request.GET.get("don_vi", "")
    shown = [(u, pts) for u, pts in directory if not chosen or u.code == chosen]
    return page(
        request,
        "portal/contacts.html",
        {
            "units": [u for u, _pts in directory],
            "chosen": chosen,
            "directory": shown,
        },
        section="contacts",
    )


def _unit_choices() -> list[tuple[str, str]]:
    return [(u.code, u.name) for u, _pts in _directory()]


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = FeedbackForm(
            units=_unit_choices(), initial={"dossier_code": request.GET.get("ma", "")[:64]}
        )
        return page(request, "portal/feedback.html", {"form": form}, section="contacts")
    verdict = throttle.hit(
        f"feedback:{request.META.get('REMOTE_ADDR') or 'unknown'}",
        limit=throttle.feedback_limit(),
    )
    if not verdict.allowed:
        response = page(
            request,
            "portal/too_many.html",
            {"minutes": max(1, (verdict.retry_after_seconds + 59) // 60), "feedback": True},
            section="contacts",
            status=429,
        )
        response["Retry-After"] = str(verdict.retry_after_seconds)
        return response
    form = FeedbackForm(request.POST, units=_unit_choices())
    if not form.is_valid():
        return page(request, "portal/feedback.html", {"form": form}, section="contacts", status=400)
    data = form.cleaned_data
    try:
        received = receive_feedback(
            actor=None,
            channel=Channel.WEB,
            content=data["content"],
            sender=Sender(name=data["name"], phone=data["phone"], email=data["email"]),
            dossier_code=data["dossier_code"],
            unit_code=data["unit"],
            require_contact=True,
        )
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return page(
            request, "portal/feedback.html", {"form": form}, section="contacts", status=exc.status
        )
    return page(
        request,
        "portal/feedback_done.html",
        {
            "number": received.feedback.pk,
            "secret": received.secret,
            "respond_by": received.feedback.respond_by,
            "note": _(
                "Hãy ghi lại số phản ánh và mã tra cứu: nhập cả hai ở trang theo dõi phản ánh để "
                "xem tình trạng và câu trả lời."
            ),
        },
        section="contacts",
        status=201,
    )


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    response = page(
        request,
        "portal/too_many.html",
        {"minutes": max(1, (wait + 59) // 60)},
        section="contacts",
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_lookup(request: HttpRequest) -> HttpResponse:
    """Follow a complaint: its status, the unit handling it, the answer once it may be shown."""
    if request.method == "GET":
        number = request.GET.get("so", "")[:20].strip()
        form = FeedbackLookupForm(initial={"number": number if number.isdigit() else ""})
        return page(request, "portal/feedback_lookup.html", {"form": form}, section="contacts")
    bucket = throttle.lookup_key(str(request.META.get("REMOTE_ADDR") or ""))
    blocked = throttle.is_blocked(bucket, limit=throttle.lookup_limit())
    if not blocked.allowed:
        return _too_many(request, blocked.retry_after_seconds)
    form = FeedbackLookupForm(request.POST)
    if not form.is_valid():
        return page(
            request, "portal/feedback_lookup.html", {"form": form}, section="contacts", status=400
        )
    number = form.cleaned_data["number"]
    item = get_feedback_by_secret(number, form.cleaned_data["secret"])
    if item is None:
        counted = throttle.hit(bucket, limit=throttle.lookup_limit())
        if not counted.allowed:
            return _too_many(request, counted.retry_after_seconds)
        return page(
            request,
            "portal/feedback_lookup.html",
            {"form": FeedbackLookupForm(initial={"number": number}), "missed": True},
            section="contacts",
            status=404,
        )
    return page(
        request,
        "portal/feedback_status.html",
        {
            "item": item,
            "status_label": Status(item.status).label,
            "answered": answer_shown_to_citizen(item),
            "open": item.status in OPEN_STATUSES,
        },
        section="contacts",
    )
