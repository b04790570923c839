"""The payment parts of other apps' pages, as inclusion tags (`{% load payments %}`), so a page
owned by another app gains them with one line and imports nothing of this app:

* ``{% fee_schedule procedure %}`` — the fee and charge items, legal basis and exemptions (the
  portal's procedure page, the reception form; ``choose=True`` adds the exemption select);
* ``{% citizen_payment code %}`` — the look-up page: "chờ thanh toán" with the pay button, or
  "đã thanh toán" with the receipts to download;
* ``{% office_payment dossier user %}`` — the office dossier page: amount due, the counter
  payment form, receipts to print, cancel/replace/refund for the leader;
* ``{% online_payment_rate %}`` — the transparency page's online-payment rate (Decision 766).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.org.models import Role
from motcua.org.selectors import has_role
from motcua.payments import rules
from motcua.payments.models import COUNTER_METHODS, ChargeStatus, Method, PaymentStatus
from motcua.payments.selectors import (
    charge_of_dossier,
    exemptions_of,
    online_payment_figures,
    payments_of_dossier,
    receipts_of_dossier,
    schedule_of,
)

register = template.Library()


@register.filter
def vnd(amount: Any) -> str:
    try:
        return rules.format_vnd(int(amount))
    except (TypeError, ValueError):
        return ""


@register.inclusion_tag("payments/_fee_schedule.html")
def fee_schedule(procedure: Procedure, choose: bool = False, chosen: str = "") -> dict[str, Any]:
    items = schedule_of(procedure)
    return {
        "items": items,
        "total": sum(i.amount for i in items),
        "exemptions": exemptions_of(procedure.pk),
        "choose": choose,
        "chosen": chosen,
    }


def _dossier(code: str) -> Dossier | None:
    return Dossier.objects.select_related("procedure", "unit").filter(code=code).first()


@register.inclusion_tag("payments/_citizen_payment.html", takes_context=True)
def citizen_payment(context: template.Context, code: str) -> dict[str, Any]:
    """Shown only on the look-up page of a dossier the visitor proved the secret of."""
    dossier = _dossier(code)
    charge = charge_of_dossier(dossier.pk) if dossier is not None else None
    if dossier is None or (charge is None and not schedule_of(dossier.procedure)):
        return {"show": False}
    receipts = receipts_of_dossier(dossier.pk)
    payments = payments_of_dossier(dossier.pk)
    pending = any(p.status == PaymentStatus.PENDING for p in payments)
    request = context.get("request")
    return {
        "show": True,
        "code": code,
        "charge": charge,
        "amount": charge.amount_due
        if charge
        else sum(i.amount for i in schedule_of(dossier.procedure)),
        "paid": charge is not None and charge.status == ChargeStatus.PAID,
        "due": charge is None or charge.status == ChargeStatus.DUE,
        "pending": pending,
        "receipts": receipts,
        "csrf_token": get_token(request) if request is not None else "",
    }


@register.inclusion_tag("payments/_office_payment.html", takes_context=True)
def office_payment(context: template.Context, dossier: Dossier, user: Any) -> dict[str, Any]:
    charge = charge_of_dossier(dossier.pk)
    if charge is None and not schedule_of(dossier.procedure):
        return {"show": False}
    request = context.get("request")
    payments = payments_of_dossier(dossier.pk)
    return {
        "show": True,
        "dossier": dossier,
        "charge": charge,
        "amount": charge.amount_due
        if charge
        else sum(i.amount for i in schedule_of(dossier.procedure)),
        "due": charge is None or charge.status == ChargeStatus.DUE,
        "payments": payments,
        "refundable": [
            p for p in payments if rules.refundable(p.status, dossier.status, dossier.outcome)
        ],
        "receipts": receipts_of_dossier(dossier.pk),
        "methods": [(m, Method(m).label) for m in COUNTER_METHODS],
        "may_collect": user.is_superuser or has_role(user, dossier.unit, Role.RECEPTIONIST),
        "may_approve": user.is_superuser or has_role(user, dossier.unit, Role.LEADER),
        "csrf_token": get_token(request) if request is not None else "",
    }


@register.inclusion_tag("payments/_online_rate.html")
def online_payment_rate(days: int = 365) -> dict[str, Any]:
    today = timezone.localdate()
    figures = online_payment_figures(None, today - timedelta(days=days - 1), today)
    return {"figures": figures, "days": days}
