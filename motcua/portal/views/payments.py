"""The citizen pays from the look-up page: the pay button opens an order at the
gateway and sends the browser there; the gateway sends it back to the return page, which only
READS the state (the gateway's signed server-to-server notice is what marks a dossier paid);
the receipt is downloaded from the same page. Every view needs the look-up session of the
dossier (`portal.session`), as the supplement and rating forms do."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import DomainError
from motcua.dossiers.selectors import get_public_dossier
from motcua.payments.documents import render_receipt_pdf
from motcua.payments.gateway import default_gateway
from motcua.payments.models import ChargeStatus, Payment, PaymentStatus, Receipt
from motcua.payments.selectors import charge_of_dossier
from motcua.payments.services import start_online_payment
from motcua.portal import session
from motcua.portal.views.lookup import to_lookup


def _back(code: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("portal:dossier", args=[code]) + "#thanh-toan", status=303)


@require_POST
def pay(request: HttpRequest, code: str) -> HttpResponse:
    if not session.allowed(request, code):
        return to_lookup(code)
    dossier = get_public_dossier(code)
    if dossier is None:
        return to_lookup(code)
    gateway = default_gateway()
    try:
        payment = start_online_payment(
            dossier=dossier,
            gateway=gateway,
            return_url=request.build_absolute_uri(reverse("portal:payment_return", args=[code])),
            notify_url=request.build_absolute_uri(
                reverse("api-1:payment_callback", args=[gateway])
            ),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(code)
    return _to_gateway(request, code, payment)


def _to_gateway(request: HttpRequest, code: str, payment: Payment) -> HttpResponse:
    """A page of ours that sends the browser on to the gateway (``Refresh`` header, and a link
    for a browser that does not follow it). A redirect answering the pay form would be refused
    by the browser: the look-up page's Content-Security-Policy lets its forms post to this site
    only (form-action 'self', redirects included), and the gateway is another site."""
    response = render(
        request,
        "payments/to_gateway.html",
        {"code": code, "amount": payment.amount, "url": payment.redirect_url, "section": "lookup"},
    )
    response["Refresh"] = f"0;url={payment.redirect_url}"
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@require_GET
def payment_return(request: HttpRequest, code: str) -> HttpResponse:
    """Where the gateway sends the citizen back. What the query string says is not believed:
    the page tells what the gateway's signed notice has recorded so far."""
    if not session.allowed(request, code):
        return to_lookup(code)
    dossier = get_public_dossier(code)
    if dossier is None:
        return to_lookup(code)
    charge = charge_of_dossier(dossier.pk)
    order_id = request.GET.get("order_id", "")[:40]
    payment = (
        Payment.objects.filter(charge__dossier_id=dossier.pk, order_id=order_id).first()
        if order_id
        else None
    )
    if charge is not None and charge.status == ChargeStatus.PAID:
        messages.success(request, _("Đã thanh toán. Ông/Bà có thể tải biên lai điện tử bên dưới."))
    elif payment is not None and payment.status == PaymentStatus.FAILED:
        messages.error(
            request, _("Giao dịch không thành công. Hồ sơ vẫn chờ thanh toán; hãy thử lại.")
        )
    else:
        messages.info(
            request,
            _(
                "Cổng thanh toán chưa báo kết quả giao dịch. Khi cổng thanh toán xác nhận, hồ sơ "
                "sẽ chuyển sang “đã thanh toán”; hãy tải lại trang sau ít phút."
            ),
        )
    return _back(code)


@never_cache
@require_GET
def receipt_pdf(request: HttpRequest, code: str, receipt_id: int) -> HttpResponse:
    if not session.allowed(request, code):
        return to_lookup(code)
    receipt = (
        Receipt.objects.select_related("series", "dossier__procedure", "unit", "payment")
        .filter(pk=receipt_id, dossier__code=code)
        .first()
    )
    if receipt is None:
        raise Http404
    response = HttpResponse(render_receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-lai-{receipt.number:07d}.pdf"'
    response["Cache-Control"] = "no-store, private"
    return response
