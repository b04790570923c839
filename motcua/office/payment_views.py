"""Fees at the desk: the counter payment, the receipt to print (PDF) or to file
(XML), the leader's cancellation, replacement and refund, and the figures with their Excel
export. Every view finds its object through the one scope (`get_dossier_for`,
`payments.selectors.get_receipt_for`) and calls one service."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import DomainError
from motcua.office.dossier_views import find_dossier
from motcua.office.pdf_views import pdf_response
from motcua.org.requests import actor_of
from motcua.org.selectors import units_of
from motcua.payments import services
from motcua.payments.documents import receipt_xml, render_receipt_pdf
from motcua.payments.errors import ReceiptNotFound
from motcua.payments.models import Payment, Receipt, Reconciliation
from motcua.payments.selectors import collected, get_receipt_for, online_payment_figures
from motcua.payments.services.common import receipt_label
from motcua.payments.xlsx import figures_workbook


def _back(code: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("office:dossier", args=[code]) + "#thanh-toan", status=303)


def _receipt(request: HttpRequest, receipt_id: int) -> Receipt:
    try:
        return get_receipt_for(actor_of(request), receipt_id)
    except ReceiptNotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_POST
def collect(request: HttpRequest, code: str) -> HttpResponse:
    dossier = find_dossier(request, code, personal=True)
    amount_text = request.POST.get("amount", "").strip()
    amount: object = (
        int(amount_text) if amount_text.isascii() and amount_text.isdigit() else amount_text
    )
    try:
        paid = services.pay_at_counter(
            dossier=dossier,
            method=request.POST.get("method", ""),
            amount=amount,
            actor=actor_of(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(code)
    messages.success(
        request,
        _("Đã thu tiền và cấp biên lai %(r)s.") % {"r": receipt_label(paid.receipt)},
    )
    return _back(code)


@never_cache
@login_required
@require_GET
def receipt_pdf(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = _receipt(request, receipt_id)
    response = pdf_response(render_receipt_pdf(receipt), f"bien-lai-{receipt.number:07d}.pdf")
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@login_required
@require_GET
def receipt_as_xml(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = _receipt(request, receipt_id)
    response = HttpResponse(receipt_xml(receipt), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bien-lai-{receipt.number:07d}.xml"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_POST
def receipt_change(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = _receipt(request, receipt_id)
    staff = actor_of(request)
    reason = request.POST.get("reason", "")
    try:
        if request.POST.get("action") == "replace":
            new = services.replace_receipt(
                receipt_id=receipt.pk,
                reason=reason,
                payer_name=request.POST.get("payer_name", ""),
                actor=staff,
            )
            messages.success(
                request,
                _("Đã cấp biên lai %(new)s thay thế biên lai %(old)s.")
                % {"new": receipt_label(new), "old": receipt_label(receipt)},
            )
        else:
            services.cancel_receipt(receipt_id=receipt.pk, reason=reason, actor=staff)
            messages.success(request, _("Đã hủy biên lai %(r)s.") % {"r": receipt_label(receipt)})
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(receipt.dossier.code)


@login_required
@require_POST
def refund(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = Payment.objects.select_related("charge__dossier").filter(pk=payment_id).first()
    if payment is None:
        raise Http404
    dossier = find_dossier(request, payment.charge.dossier.code, personal=True)
    try:
        services.refund_payment(
            payment_id=payment.pk, reason=request.POST.get("reason", ""), actor=actor_of(request)
        )
        messages.success(request, _("Đã duyệt hoàn trả giao dịch %(o)s.") % {"o": payment.order_id})
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(dossier.code)


def _period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("tu", ""))
    except ValueError:
        start = today.replace(day=1)
    try:
        end = date.fromisoformat(request.GET.get("den", ""))
    except ValueError:
        end = today
    if end < start or (end - start) > timedelta(days=3660):
        start, end = today.replace(day=1), today
    return start, end


@never_cache
@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """Collected per unit, procedure, method and day; the online-payment rate; the last
    reconciliations — for the staff member's own units."""
    staff = actor_of(request)
    unit_ids = None if staff.is_superuser else list(units_of(staff).values_list("pk", flat=True))
    start, end = _period(request)
    groups = {
        by: collected(unit_ids, start, end, by=by) for by in ("unit", "procedure", "method", "day")
    }
    online = online_payment_figures(unit_ids, start, end)
    if request.GET.get("xuat") == "xlsx":
        body = figures_workbook(start=start, end=end, groups=groups, online=online)
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="thu-phi-{start}-{end}.xlsx"'
        return response
    return render(
        request,
        "office/payment_figures.html",
        {
            "start": start,
            "end": end,
            "groups": groups,
            "online": online,
            "reconciliations": Reconciliation.objects.order_by("-on", "-run_at")[:14],
        },
    )
