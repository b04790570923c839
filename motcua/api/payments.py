"""Fees and receipts (API.md "Fees and receipts"): the desk's payment, the citizen's online
payment, the gateway's callback, receipts (JSON, PDF, XML) and their cancellation.

Receipts carry the payer's name: only staff of the dossier's units read them (another unit's
receipt is 404) and the answers are never cached.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field as PydanticField
from pydantic import StrictInt

from motcua.api.problems import Problem, problem
from motcua.api.public import _verified
from motcua.core.errors import InvalidInput
from motcua.dossiers.selectors import get_dossier_for
from motcua.org.requests import actor_of
from motcua.payments import services
from motcua.payments.documents import receipt_xml, render_receipt_pdf
from motcua.payments.errors import CallbackRefused
from motcua.payments.gateway import default_gateway
from motcua.payments.models import Receipt
from motcua.payments.selectors import get_receipt_for

router = Router(tags=["payments"])


def answers(ok: dict[int, Any], *failures: int) -> dict[int, Any]:
    return {**ok, **dict.fromkeys(failures, Problem)}


class ReceiptItem(Schema):
    name: str
    kind: Literal["fee", "charge"]
    amount: int
    legal_basis: str


class ReceiptOut(Schema):
    id: int
    template: str
    series: str
    number: int
    issued_at: datetime
    payer: str
    items: list[ReceiptItem]
    amount: int
    amount_in_words: str
    method: Literal["cash", "card", "transfer", "online"]
    status: Literal["issued", "cancelled", "replaced"]
    replaces: int | None
    dossier: str


class PaymentIn(Schema):
    method: Literal["cash", "card", "transfer"]
    amount: StrictInt = PydanticField(..., ge=0, le=10**15)


class PaymentOut(Schema):
    id: int
    status: Literal["paid"]
    receipt: ReceiptOut


class OnlinePaymentIn(Schema):
    secret: str = PydanticField(..., max_length=64)
    return_url: str = PydanticField(..., max_length=500)


class OnlinePaymentOut(Schema):
    id: int
    redirect_url: str


class CallbackOut(Schema):
    status: Literal["accepted", "duplicate"]


class CancelIn(Schema):
    reason: str = PydanticField(..., max_length=500)


def receipt_out(r: Receipt) -> ReceiptOut:
    return ReceiptOut(
        id=r.pk,
        template=r.series.template,
        series=r.series.series,
        number=r.number,
        issued_at=timezone.localtime(r.issued_at),
        payer=r.payer_name,
        items=[ReceiptItem(**i) for i in r.items],
        amount=r.amount,
        amount_in_words=r.amount_in_words,
        method=r.method,  # type: ignore[arg-type]
        status=r.status,  # type: ignore[arg-type]
        replaces=r.replaces_id,
        dossier=r.dossier.code,
    )


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


@router.post(
    "/dossiers/{code}/payments",
    response=answers({201: PaymentOut}, 400, 401, 403, 404, 409, 422),
    summary="Record a payment at the counter and issue its receipt",
)
def pay_at_counter(request: HttpRequest, code: str, payload: PaymentIn) -> Any:
    staff = actor_of(request)
    dossier = get_dossier_for(staff, code, personal=True)
    paid = services.pay_at_counter(
        dossier=dossier, method=payload.method, amount=payload.amount, actor=staff
    )
    receipt = Receipt.objects.select_related("series", "dossier").get(pk=paid.receipt.pk)
    return Status(201, PaymentOut(id=paid.payment.pk, status="paid", receipt=receipt_out(receipt)))


def _return_url(request: HttpRequest, url: str) -> str:
    """Only back to this site (the host asked, or the configured SITE_URL): the gateway sends
    the citizen there, so it must not become an open redirect."""
    parts = urlsplit(url)
    site = urlsplit(str(settings.MOTCUA_NOTIFY.get("SITE_URL") or "")).netloc.lower()
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in {
        request.get_host().lower(),
        site,
    }:
        raise InvalidInput(
            _("Địa chỉ quay lại phải là một trang của cổng dịch vụ công này (http hoặc https)."),
            field="return_url",
        )
    return url


def notify_url(request: HttpRequest, gateway: str) -> str:
    return request.build_absolute_uri(reverse("api-1:payment_callback", args=[gateway]))


@router.post(
    "/public/dossiers/{code}/payments",
    auth=None,
    response=answers({201: OnlinePaymentOut}, 404, 409, 422, 429, 503),
    summary="Start paying a dossier's fees online; send the citizen to redirect_url",
)
def pay_online(request: HttpRequest, code: str, payload: OnlinePaymentIn) -> Any:
    found = _verified(request, code, payload.secret)
    if isinstance(found, HttpResponse):
        return found
    gateway = default_gateway()
    payment = services.start_online_payment(
        dossier=found,
        gateway=gateway,
        return_url=_return_url(request, payload.return_url),
        notify_url=notify_url(request, gateway),
    )
    return Status(201, OnlinePaymentOut(id=payment.pk, redirect_url=payment.redirect_url))


@router.post(
    "/payments/callbacks/{gateway}",
    auth=None,
    url_name="payment_callback",
    response=answers({200: CallbackOut}, 400, 404),
    summary="The gateway's signed server-to-server notice (idempotent)",
)
def callback(request: HttpRequest, gateway: str) -> Any:
    try:
        result = services.handle_callback(
            gateway=gateway[:30],
            body=request.body,
            signature=request.headers.get("X-Signature", "")[:200],
        )
    except CallbackRefused as exc:
        return problem(400, exc.message, exc.code)
    return CallbackOut(status=result.outcome)  # type: ignore[arg-type]


@router.get(
    "/receipts/{receipt_id}",
    response=answers({200: ReceiptOut}, 401, 404),
    summary="A receipt (staff of the dossier's units)",
)
def receipt(request: HttpRequest, receipt_id: int, response: HttpResponse) -> ReceiptOut:
    found = get_receipt_for(actor_of(request), receipt_id)
    _private(response)
    return receipt_out(found)


@router.get(
    "/receipts/{receipt_id}/pdf",
    response=answers({200: None}, 401, 404),
    summary="A receipt as PDF",
)
def receipt_pdf(request: HttpRequest, receipt_id: int) -> HttpResponse:
    found = get_receipt_for(actor_of(request), receipt_id)
    response = HttpResponse(render_receipt_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{found.number:07d}.pdf"'
    return _private(response)


@router.get(
    "/receipts/{receipt_id}/xml",
    response=answers({200: None}, 401, 404),
    summary="A receipt as structured XML",
)
def receipt_as_xml(request: HttpRequest, receipt_id: int) -> HttpResponse:
    found = get_receipt_for(actor_of(request), receipt_id)
    response = HttpResponse(receipt_xml(found), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{found.number:07d}.xml"'
    return _private(response)


@router.post(
    "/receipts/{receipt_id}/cancel",
    response=answers({200: ReceiptOut}, 400, 401, 403, 404, 409, 422),
    summary="Cancel a receipt (the unit's leader)",
)
def cancel(request: HttpRequest, receipt_id: int, payload: CancelIn) -> ReceiptOut:
    staff = actor_of(request)
    found = get_receipt_for(staff, receipt_id)
    services.cancel_receipt(receipt_id=found.pk, reason=payload.reason, actor=staff)
    return receipt_out(get_receipt_for(staff, receipt_id))
