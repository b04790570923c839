"""Reconciliation (đối soát): the day's online payments against the gateway's own list.

Differences are flagged, never fixed silently: a transaction the gateway counts as paid that we
do not (a callback that never came), one we count as paid that the gateway does not know, and a
different amount. Run by the nightly task for yesterday; an officer may run it for any day.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.core.clock import resolve_now
from motcua.payments.gateway import GatewayUnavailable, get_gateway
from motcua.payments.models import Method, Payment, PaymentStatus, Reconciliation
from motcua.payments.selectors import _span
from motcua.payments.services.common import as_int

PAID_HERE = (PaymentStatus.PAID, PaymentStatus.REFUND_DUE, PaymentStatus.REFUNDED)


def reconcile_day(*, gateway: str, on: date, now: datetime | None = None) -> Reconciliation:
    at = resolve_now(now)
    adapter = get_gateway(gateway)
    try:
        theirs = adapter.list_transactions(on)
    except GatewayUnavailable as exc:
        return Reconciliation.objects.create(
            gateway=gateway, on=on, run_at=at, error=str(exc)[:300]
        )
    first, after = _span(on, on)
    ours = {
        p.order_id: p
        for p in Payment.objects.filter(method=Method.ONLINE, gateway=gateway).filter(
            Q(paid_at__gte=first, paid_at__lt=after)
            | Q(created_at__gte=first, created_at__lt=after)
        )
    }
    differences: list[dict[str, object]] = []
    matched = 0
    seen: set[str] = set()
    for item in theirs:
        order_id = str(item.get("order_id") or "")[:40]
        seen.add(order_id)
        paid_there = item.get("status") == "success"
        payment = ours.get(order_id) or Payment.objects.filter(order_id=order_id).first()
        paid_here = payment is not None and payment.status in PAID_HERE
        if not paid_there and not paid_here:
            continue
        if payment is None or paid_there != paid_here:
            differences.append(
                {
                    "order_id": order_id,
                    "kind": "paid_at_gateway_only" if paid_there else "paid_here_only",
                    "note": _("Cổng thanh toán ghi nhận đã thu, hệ thống chưa ghi nhận.")
                    if paid_there
                    else _("Hệ thống ghi nhận đã thu, cổng thanh toán báo chưa thu."),
                    "amount": as_int(item.get("amount")),
                }
            )
        elif as_int(item.get("amount")) != payment.amount:
            differences.append(
                {
                    "order_id": order_id,
                    "kind": "amount_differs",
                    "note": _("Số tiền khác nhau."),
                    "amount": as_int(item.get("amount")),
                    "ours": payment.amount,
                }
            )
        else:
            matched += 1
    for order_id, payment in ours.items():
        if order_id not in seen and payment.status in PAID_HERE:
            differences.append(
                {
                    "order_id": order_id,
                    "kind": "paid_here_only",
                    "note": _("Hệ thống ghi nhận đã thu, cổng thanh toán không có giao dịch."),
                    "amount": payment.amount,
                }
            )
    with transaction.atomic():
        return Reconciliation.objects.create(
            gateway=gateway, on=on, run_at=at, matched=matched, differences=differences
        )
