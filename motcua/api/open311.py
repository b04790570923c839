"""Open311 GeoReport v2 at /open311/v2/ — plain Django views in the specification's own formats.

Follows http://wiki.open311.org/GeoReport_v2 (and its Service Discovery page) so that civic apps
written for other cities work unchanged, in XML (required by the spec) and JSON (the Spark
convention: the same document, lists as arrays):

* ``discovery.{json,xml}`` — changeset, contact, key_service, endpoints;
* ``services.{json,xml}`` — the feedback categories (API.md) as services;
* ``services/{service_code}.{json,xml}`` — the service definition: two optional attributes,
  ``dossier_code`` (string) and ``unit`` (singlevaluelist of unit codes);
* ``requests.{json,xml}`` — GET with ``service_request_id``, ``service_code``, ``start_date``,
  ``end_date``, ``status`` (open/closed); POST form-encoded (``service_code``, a location:
  ``lat`` & ``long`` or ``address_string`` or ``address_id``, ``description``, ``email``,
  ``first_name``, ``last_name``, ``phone``, ``device_id``, ``account_id``, ``media_url``,
  ``attribute[code]``) — a posted request becomes a Feedback with channel ``open311``;
* ``requests/{service_request_id}.{json,xml}``.

Choices where the spec leaves room (documented in discovery's ``key_service`` too):
* One jurisdiction: ``jurisdiction_id`` is accepted and ignored; no ``api_key`` is required (the
  POST is rate limited per client address instead, motcua.feedback.throttle).
* ``description`` is required here: a complaint without content cannot be handled (Decree
  20/2008 Art. 7); at most 4,000 characters (the spec's limit).
* GET requests lists the requests posted through Open311 and the items whose answer was
  published on the portal — never hotline calls or letters nobody agreed to publish, and never a
  name, phone number or email address. ``status_notes`` carries the answer only when it is
  published (or, for out-of-scope feedback, the guidance to the competent body).
* ``expected_datetime`` is the respond-by time (D11), ``agency_responsible`` the unit that
  answers, ``status`` is ``closed`` once the item is closed, ``open`` before.
* Errors: the spec's ``errors`` document (``code``, ``description``), 404 for what does not
  exist, 400 for other bad input, 429 when rate limited; descriptions in Vietnamese.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET  # noqa: S405 — we only build XML, never parse it

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, re_path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from motcua.api.feedback import client_address
from motcua.core import bounds
from motcua.core.errors import DomainError
from motcua.feedback import rules, services, throttle
from motcua.feedback.models import CATEGORY_DESCRIPTIONS, Category, Channel, Feedback, Status
from motcua.org.models import Unit

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-03-01 00:00"
FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
MAX_RESULTS = 1000
MAX_SPAN = timedelta(days=90)
MAX_ATTRIBUTES = 20
MAX_ATTRIBUTE_CHARS = 500
MAX_ID = 2**63 - 1

#: XML element of each item of a list (the Spark convention's inverse).
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]{1,100})\](\[\])?$")
_SPACE_FOR_PLUS = re.compile(r"^(.*[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")

IN_SCOPE_CATEGORIES = (
    Category.HARASSMENT,
    Category.CHANNEL_OBSTRUCTION,
    Category.DELAY,
    Category.EXTRA_DOCUMENTS,
    Category.SHIRKING,
    Category.UNFAIRNESS,
    Category.CONDUCT,
)


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# --------------------------------------------------------------------------------- rendering
def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_INVALID.sub("", str(value))


def _xml(tag: str, value: Any) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_xml(key, child))
    elif isinstance(value, list):
        item_tag = ITEM_TAGS[tag]
        for child in value:
            element.append(_xml(item_tag, child))
    else:
        text = _text(value)
        if text:
            element.text = text
    return element


def render(fmt: str, root: str, document: Any, *, status: int = 200) -> HttpResponse:
    """One document in the requested format: XML with its declaration, or the JSON mapping."""
    if fmt == "json":
        body = json.dumps(document, ensure_ascii=False)
    else:
        tree = ET.tostring(_xml(root, document), encoding="unicode")
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + tree
    return HttpResponse(body.encode("utf-8"), status=status, content_type=FORMATS[fmt])


def error(fmt: str, status: int, description: str, **headers: str) -> HttpResponse:
    response = render(
        fmt if fmt in FORMATS else "xml",
        "errors",
        [{"code": status, "description": description}],
        status=status,
    )
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return response


def _w3(at: datetime | None) -> str | None:
    return timezone.localtime(at).isoformat(timespec="seconds") if at is not None else None


def open311_view(
    methods: Iterable[str], *, write: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Format check, allowed methods, and every refusal in the spec's error document."""
    allowed = tuple(methods)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                return error(
                    "xml",
                    404,
                    _("Định dạng .%(fmt)s không được hỗ trợ; dùng .xml hoặc .json.")
                    % {"fmt": fmt[:20]},
                )
            if request.method not in allowed:
                return error(
                    fmt,
                    405,
                    _("Phương thức %(method)s không được hỗ trợ ở địa chỉ này.")
                    % {"method": request.method},
                    Allow=", ".join(allowed),
                )
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                return error(fmt, exc.status, exc.description)
            except SuspiciousOperation:
                return error(fmt, 400, _("Yêu cầu quá lớn hoặc không đọc được."))

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return csrf_exempt(wrapped) if write else wrapped

    return decorate


# -------------------------------------------------------------------------------- discovery
@open311_view(("GET", "HEAD"))
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Service Discovery: where the GeoReport v2 endpoint is and which formats it speaks."""
    contact = getattr(
        settings,
        "MOTCUA_OPEN311_CONTACT",
        _("Liên hệ quản trị hệ thống một cửa điện tử của địa phương."),
    )
    document = {
        "changeset": CHANGESET,
        "contact": str(contact),
        "key_service": _(
            "Không cần khóa API: api_key được bỏ qua; yêu cầu gửi phản ánh được giới hạn số lần "
            "theo địa chỉ gửi."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", document)


# --------------------------------------------------------------------------------- services
def _group(category: str) -> str:
    if category in IN_SCOPE_CATEGORIES:
        return _("Hành vi trong giải quyết thủ tục hành chính")
    if category == Category.REGULATION:
        return _("Quy định hành chính")
    return _("Khác")


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.value,
        "service_name": str(category.label),
        "description": str(CATEGORY_DESCRIPTIONS[category]),
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join([category.value, str(category.label)]),
        "group": _group(category.value),
    }


@open311_view(("GET", "HEAD"))
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET Service List: the feedback categories."""
    return render(fmt, "services", [_service(c) for c in Category])


def _unit_values() -> list[dict[str, str]]:
    units = Unit.objects.filter(active=True).order_by("code").only("code", "name")
    return [{"key": u.code, "name": u.name} for u in units]


@open311_view(("GET", "HEAD"))
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    """GET Service Definition: the two optional attributes every category takes."""
    if service_code not in Category.values:
        raise Open311Error(
            404, _("Không có dịch vụ (loại phản ánh) mã %(code)s.") % {"code": service_code[:100]}
        )
    document = {
        "service_code": service_code,
        "attributes": [
            {
                "variable": True,
                "code": "dossier_code",
                "datatype": "string",
                "required": False,
                "datatype_description": _(
                    "Mã hồ sơ in trên phiếu tiếp nhận và hẹn trả kết quả, ví dụ TP.01-260302-0001."
                ),
                "order": 1,
                "description": _("Mã hồ sơ liên quan (nếu có)."),
                "values": [],
            },
            {
                "variable": True,
                "code": "unit",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": None,
                "order": 2,
                "description": _("Cơ quan, đơn vị bị phản ánh."),
                "values": _unit_values(),
            },
        ],
    }
    return render(fmt, "service_definition", document)


# --------------------------------------------------------------------------------- requests
def _public_requests() -> QuerySet[Feedback]:
    return Feedback.objects.filter(
        Q(channel=Channel.OPEN311) | Q(published=True, status__in=(Status.ANSWERED, Status.CLOSED))
    ).select_related("unit")


def _status_notes(item: Feedback) -> str | None:
    if item.answer and (item.published or item.in_scope is False):
        return item.answer
    if item.status == Status.NEW:
        return _("Đã tiếp nhận, đang phân loại.")
    if item.status in (Status.CLASSIFIED, Status.FORWARDED) and item.unit is not None:
        return _("Đã chuyển %(unit)s xử lý.") % {"unit": item.unit.name}
    if item.status == Status.ANSWERED:
        return _("Đơn vị đã trả lời, đang được kiểm tra.")
    if item.status == Status.CLOSED:
        return _("Đã kết thúc.")
    return None


def _request_out(item: Feedback) -> dict[str, Any]:
    category = item.category or Category.OTHER
    closed = item.status == Status.CLOSED
    return {
        "service_request_id": str(item.pk),
        "status": "closed" if closed else "open",
        "status_notes": _status_notes(item),
        "service_name": str(Category(category).label),
        "service_code": category,
        "description": item.content or None,
        "agency_responsible": item.unit.name if item.unit is not None else None,
        "service_notice": _notice(item),
        "requested_datetime": _w3(item.received_at),
        "updated_datetime": _w3(item.closed_at if closed and item.closed_at else item.updated_at),
        "expected_datetime": _w3(item.respond_by),
        "address": item.address_string or None,
        "address_id": item.address_id or None,
        "zipcode": None,
        "lat": item.lat,
        "long": item.long,
        "media_url": item.media_url or None,
    }


def _notice(item: Feedback) -> str | None:
    if item.respond_by is None:
        return None
    return _("Cơ quan có trách nhiệm trả lời trước %(at)s.") % {
        "at": timezone.localtime(item.respond_by).strftime("%H:%M %d/%m/%Y")
    }


def _parse_time(name: str, raw: str) -> datetime:
    value = raw.strip()
    match = _SPACE_FOR_PLUS.match(value)
    if match:  # an unencoded "+07:00" arrives as " 07:00"
        value = f"{match.group(1)}+{match.group(2)}"
    try:
        parsed = datetime.fromisoformat(value)
        if len(value) == 10:  # a date alone: midnight in Vietnam
            parsed = timezone.make_aware(parsed)
    except ValueError:
        raise Open311Error(
            400,
            _("%(name)s không đúng định dạng W3C, ví dụ 2026-03-01T00:00:00+07:00.")
            % {"name": name},
        ) from None
    if timezone.is_naive(parsed):
        raise Open311Error(
            400,
            _("%(name)s phải có múi giờ (Z hoặc +07:00), ví dụ 2026-03-01T00:00:00+07:00.")
            % {"name": name},
        )
    if not bounds.in_range(parsed):
        raise Open311Error(
            400,
            _("%(name)s phải nằm trong khoảng %(range)s.")
            % {"name": name, "range": bounds.range_text()},
        )
    return parsed


def _is_id(text: str) -> bool:
    """ASCII digits only: "²".isdigit() is true, but int("²") fails."""
    return text.isascii() and text.isdigit()


def _csv(request: HttpRequest, name: str) -> list[str]:
    values: list[str] = []
    for raw in request.GET.getlist(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return values


def _query(request: HttpRequest) -> QuerySet[Feedback]:
    qs = _public_requests()
    ids = _csv(request, "service_request_id")
    if ids:  # "This overrides all other arguments."
        wanted = [int(i) for i in ids[:MAX_RESULTS] if _is_id(i) and 0 < int(i) <= MAX_ID]
        return qs.filter(pk__in=wanted).order_by("-received_at", "-pk")
    codes = _csv(request, "service_code")
    if codes:
        wanted_codes = Q(category__in=codes)
        if Category.OTHER in codes:  # an item not yet classified is shown as "other"
            wanted_codes |= Q(category="")
        qs = qs.filter(wanted_codes)
    statuses = _csv(request, "status")
    if statuses:
        unknown = sorted(set(statuses) - {"open", "closed"})
        if unknown:
            raise Open311Error(
                400,
                _("Trạng thái không hợp lệ: %(value)s; chỉ có open hoặc closed.")
                % {"value": ", ".join(s[:20] for s in unknown)},
            )
        if statuses.count("open") and not statuses.count("closed"):
            qs = qs.exclude(status=Status.CLOSED)
        elif statuses.count("closed") and not statuses.count("open"):
            qs = qs.filter(status=Status.CLOSED)
    start_raw = request.GET.get("start_date", "").strip()
    end_raw = request.GET.get("end_date", "").strip()
    start = _parse_time("start_date", start_raw) if start_raw else None
    end = _parse_time("end_date", end_raw) if end_raw else None
    if start is not None and end is not None:
        if end < start:
            raise Open311Error(400, _("end_date phải sau start_date."))
        if end - start > MAX_SPAN:
            raise Open311Error(400, _("Khoảng start_date – end_date không được quá 90 ngày."))
    elif start is not None:
        end = start + MAX_SPAN
    elif end is not None:
        start = end - MAX_SPAN
    else:
        end = timezone.now()
        start = end - MAX_SPAN
    return qs.filter(received_at__gte=start, received_at__lte=end).order_by("-received_at", "-pk")


def _get_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    items = [_request_out(f) for f in _query(request)[:MAX_RESULTS]]
    return render(fmt, "service_requests", items)


def _form_text(request: HttpRequest, name: str, max_length: int) -> str:
    value = rules.clean_text(request.POST.get(name, ""))
    if len(value) > max_length:
        raise Open311Error(
            400,
            _("%(name)s dài quá %(n)s ký tự.")
            % {"name": name, "n": f"{max_length:,}".replace(",", ".")},
        )
    return value


def _coordinate(request: HttpRequest, name: str, bound: float) -> float | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not (-bound <= value <= bound):  # also refuses nan and inf
        raise Open311Error(
            400,
            _("%(name)s phải là số trong khoảng -%(b)s đến %(b)s (WGS84).")
            % {"name": name, "b": int(bound)},
        )
    return value


def _attributes(request: HttpRequest) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, values in request.POST.lists():
        match = _ATTRIBUTE_KEY.match(key)
        if not match:
            continue
        code = match.group(1)
        cleaned = [rules.clean_text(v)[:MAX_ATTRIBUTE_CHARS] for v in values]
        found[code] = cleaned if match.group(2) else (cleaned[-1] if cleaned else "")
        if len(found) > MAX_ATTRIBUTES:
            raise Open311Error(
                400, _("Quá nhiều thuộc tính (tối đa %(n)s).") % {"n": MAX_ATTRIBUTES}
            )
    return found


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    verdict = throttle.hit(f"feedback:{client_address(request)}", limit=throttle.feedback_limit())
    if not verdict.allowed:
        return error(
            fmt,
            429,
            _("Đã gửi quá nhiều yêu cầu; hãy thử lại sau %(n)s giây.")
            % {"n": verdict.retry_after_seconds},
            Retry_After=str(verdict.retry_after_seconds),
        )
    service_code = request.POST.get("service_code", "").strip()
    if not service_code:
        raise Open311Error(400, _("Thiếu service_code: hãy chọn một loại phản ánh (services)."))
    if service_code not in Category.values:
        raise Open311Error(
            404, _("Không có dịch vụ (loại phản ánh) mã %(code)s.") % {"code": service_code[:100]}
        )
    lat = _coordinate(request, "lat", 90)
    long = _coordinate(request, "long", 180)
    if (lat is None) != (long is None):
        raise Open311Error(400, _("Cần gửi cả lat và long."))
    address_string = _form_text(request, "address_string", 500)
    address_id = _form_text(request, "address_id", 100)
    if lat is None and not address_string and not address_id:
        raise Open311Error(
            400,
            _("Thiếu vị trí: hãy gửi lat và long, hoặc address_string, hoặc address_id."),
        )
    description = _form_text(request, "description", rules.OPEN311_MAX_DESCRIPTION)
    if not description:
        raise Open311Error(400, _("Thiếu description: hãy mô tả nội dung phản ánh."))
    media_url = _form_text(request, "media_url", 500)
    if media_url and urlsplit(media_url).scheme not in ("http", "https"):
        raise Open311Error(400, _("media_url phải là địa chỉ http hoặc https."))
    attributes = _attributes(request)
    first = _form_text(request, "first_name", 100)
    last = _form_text(request, "last_name", 100)
    account_id = _form_text(request, "account_id", 100)

    try:
        received = services.receive_feedback(
            actor=None,
            channel=Channel.OPEN311,
            content=description,
            sender=services.Sender(
                name=" ".join(p for p in (last, first) if p),  # Vietnamese order: family first
                phone=_form_text(request, "phone", 40),
                email=_form_text(request, "email", 254),
            ),
            category=service_code,
            dossier_code=str(attributes.get("dossier_code") or ""),
            unit_code=str(attributes.get("unit") or ""),
            geo=services.GeoReport(
                lat=lat,
                long=long,
                address_string=address_string,
                address_id=address_id,
                media_url=media_url,
                device_id=_form_text(request, "device_id", 100),
                account_id=account_id,
                attributes=attributes,
            ),
        )
    except DomainError as exc:
        raise Open311Error(404 if exc.status == 404 else 400, exc.message) from None
    item = received.feedback
    return render(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": str(item.pk),
                "service_notice": _notice(item),
                "account_id": account_id or None,
            }
        ],
    )


@open311_view(("GET", "HEAD", "POST"), write=True)
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET Service Requests (filters) or POST Service Request (form-encoded)."""
    if request.method == "POST":
        return _post_request(request, fmt)
    return _get_requests(request, fmt)


@open311_view(("GET", "HEAD"))
def service_request(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    """GET Service Request: one request, in the same list document as GET Service Requests."""
    item = None
    if _is_id(request_id) and 0 < int(request_id) <= MAX_ID:
        item = _public_requests().filter(pk=int(request_id)).first()
    if item is None:
        raise Open311Error(404, _("Không có yêu cầu số %(id)s.") % {"id": request_id[:40]})
    return render(fmt, "service_requests", [_request_out(item)])


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    fmt = "json" if rest.endswith(".json") else "xml"
    return error(fmt, 404, _("Không có tài nguyên này trong GeoReport v2; xem discovery.xml."))


def root(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("discovery.xml")


FMT = r"(?P<fmt>[A-Za-z0-9]{1,10})"
urlpatterns: list[URLPattern] = [
    path("", root, name="open311-root"),
    re_path(rf"^discovery\.{FMT}$", discovery, name="open311-discovery"),
    re_path(rf"^services\.{FMT}$", service_list, name="open311-services"),
    re_path(
        rf"^services/(?P<service_code>[^/]{{1,100}})\.{FMT}$",
        service_definition,
        name="open311-service",
    ),
    re_path(rf"^requests\.{FMT}$", service_requests, name="open311-requests"),
    re_path(
        rf"^requests/(?P<request_id>[^/]{{1,40}})\.{FMT}$",
        service_request,
        name="open311-request",
    ),
    re_path(r"^(?P<rest>.*)$", not_found),
]
