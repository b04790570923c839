"""Taking the money: at the counter, or online through the gateway and its signed callback.

Either way the payment, the charge, the receipt (numbered in the same transaction), the one
event and the citizen's notice (outbox) commit together or not at all.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.clock import resolve_now
from motcua.core.errors import InvalidInput
from motcua.dossiers.models import Dossier
from motcua.dossiers.notices import notify_applicant
from motcua.notifications import defaults
from motcua.notifications.services import notify_staff
from motcua.org.models import Staff
from motcua.org.selectors import unit_leaders
from motcua.payments import rules
from motcua.payments.errors import AlreadyPaid, CallbackRefused, NothingToPay, WrongAmount
from motcua.payments.gateway import get_gateway
from motcua.payments.models import (
    COUNTER_METHODS,
    CURRENCY,
    CallbackLog,
    CallbackOutcome,
    Charge,
    ChargeStatus,
    Method,
    Payment,
    PaymentEventKind,
    PaymentStatus,
    Receipt,
)
from motcua.payments.services.charges import charge_of
from motcua.payments.services.common import (
    ChargeChange,
    as_int,
    ensure_receptionist,
    issue_receipt,
    lock_charge,
    new_order_id,
    receipt_label,
)

logger = logging.getLogger("motcua.payments")


def _payable(charge: Charge, dossier: Dossier) -> None:
    if charge.status == ChargeStatus.PAID:
        raise AlreadyPaid(
            _("Phí, lệ phí của hồ sơ %(code)s đã được thanh toán.") % {"code": dossier.code}
        )
    if charge.status != ChargeStatus.DUE:
        raise NothingToPay(_("Hồ sơ %(code)s không phải nộp phí, lệ phí.") % {"code": dossier.code})
    if rules.dossier_closed(dossier.status, dossier.outcome):
        raise NothingToPay(
            _("Hồ sơ %(code)s đã bị từ chối hoặc dừng giải quyết; không thu phí, lệ phí.")
            % {"code": dossier.code}
        )


def _notify_paid(charge: Charge, receipt: Receipt) -> None:
    notify_applicant(
        dossier=charge.dossier,
        template_code=defaults.PAYMENT_RECEIVED,
        context={"amount": rules.format_vnd(receipt.amount), "receipt": receipt_label(receipt)},
        dedupe_key=f"{defaults.PAYMENT_RECEIVED}:{receipt.pk}",
    )


def _mark_paid(
    charge: Charge, payment: Payment, *, actor: Staff | None, at: datetime, online: bool
) -> Receipt:
    before = charge.status
    payment.status = PaymentStatus.PAID
    payment.paid_at = at
    payment.save(update_fields=["status", "paid_at"])
    charge.status = ChargeStatus.PAID
    charge.paid_at = at
    charge.paid_online = online
    charge.save(update_fields=["status", "paid_at", "paid_online"])
    receipt = issue_receipt(payment=payment, charge=charge, actor=actor, at=at)
    ChargeChange(charge, actor=actor, at=at, from_status=before).record(
        PaymentEventKind.PAID,
        note=_("%(amount)s đồng, %(method)s; biên lai %(receipt)s")
        % {
            "amount": rules.format_vnd(payment.amount),
            "method": Method(payment.method).label,
            "receipt": receipt_label(receipt),
        },
        payment=payment,
        receipt=receipt,
    )
    _notify_paid(charge, receipt)
    return receipt


@dataclass(frozen=True)
class Paid:
    payment: Payment
    receipt: Receipt


@transaction.atomic
def pay_at_counter(
    *,
    dossier: Dossier,
    method: str,
    amount: Any,
    actor: Staff,
    now: datetime | None = None,
) -> Paid:
    """The receptionist records cash, card or a QR transfer; the receipt is issued in the same
    transaction. ``amount`` must be exactly the amount due (422 otherwise)."""
    at = resolve_now(now)
    ensure_receptionist(actor, dossier)
    if method not in COUNTER_METHODS:
        raise InvalidInput(
            _("Hình thức thanh toán tại quầy phải là tiền mặt, thẻ hoặc chuyển khoản."),
            field="method",
        )
    charge = lock_charge(charge_of(dossier).pk)
    _payable(charge, dossier)
    value = as_int(amount)
    if value != charge.amount_due:
        raise WrongAmount(
            _("Số tiền phải nộp của hồ sơ %(code)s là %(due)s đồng, không phải %(amount)s.")
            % {
                "code": dossier.code,
                "due": rules.format_vnd(charge.amount_due),
                "amount": str(amount)[:20],
            },
            field="amount",
        )
    payment = Payment.objects.create(
        charge=charge,
        method=method,
        amount=charge.amount_due,
        status=PaymentStatus.PENDING,
        order_id=new_order_id(),
        recorded_by=actor,
        created_at=at,
    )
    receipt = _mark_paid(charge, payment, actor=actor, at=at, online=False)
    return Paid(payment=payment, receipt=receipt)


@transaction.atomic
def _open_online_payment(
    *, dossier: Dossier, gateway: str, return_url: str, at: datetime
) -> Payment:
    charge = lock_charge(charge_of(dossier).pk)
    _payable(charge, dossier)
    payment = Payment.objects.create(
        charge=charge,
        method=Method.ONLINE,
        amount=charge.amount_due,
        status=PaymentStatus.PENDING,
        gateway=gateway,
        order_id=new_order_id(),
        return_url=return_url[:500],
        created_at=at,
    )
    ChargeChange(charge, actor=None, at=at).record(
        PaymentEventKind.PAYMENT_STARTED,
        note=_("Giao dịch %(order)s qua %(gateway)s")
        % {"order": payment.order_id, "gateway": gateway},
        payment=payment,
    )
    return payment


@transaction.atomic
def _fail(payment_id: int, reason: str, at: datetime) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.status != PaymentStatus.PENDING:
        return payment
    charge = lock_charge(payment.charge_id)
    payment.status = PaymentStatus.FAILED
    payment.failure = reason[:300]
    payment.save(update_fields=["status", "failure"])
    ChargeChange(charge, actor=None, at=at).record(
        PaymentEventKind.PAYMENT_FAILED, note=reason[:300], payment=payment
    )
    return payment


def start_online_payment(
    *,
    dossier: Dossier,
    gateway: str,
    return_url: str,
    notify_url: str,
    now: datetime | None = None,
) -> Payment:
    """Open an order at the gateway and give back the payment with the URL to send the citizen
    to. The pending payment commits before the gateway is called (no transaction is held open
    over the network); a gateway that does not answer fails it, and the dossier still waits
    "chờ thanh toán" (GatewayUnavailable, 503)."""
    at = resolve_now(now)
    adapter = get_gateway(gateway)
    payment = _open_online_payment(dossier=dossier, gateway=gateway, return_url=return_url, at=at)
    try:
        ref, url = adapter.create_order(
            order_id=payment.order_id,
            amount=payment.amount,
            description=_("Phí, lệ phí hồ sơ %(code)s") % {"code": dossier.code},
            return_url=return_url,
            notify_url=notify_url,
        )
    except Exception as exc:
        _fail(payment.pk, str(exc), resolve_now(None))
        raise
    Payment.objects.filter(pk=payment.pk).update(gateway_ref=ref[:80], redirect_url=url[:500])
    payment.gateway_ref, payment.redirect_url = ref[:80], url[:500]
    return payment


# --------------------------------------------------------------------------------- callbacks
@dataclass(frozen=True)
class CallbackResult:
    outcome: str
    payment: Payment | None


def _refuse(reason: str) -> CallbackRefused:
    return CallbackRefused(
        _("Thông báo thanh toán bị từ chối: %(reason)s. Không có khoản thu nào được ghi nhận.")
        % {"reason": reason}
    )


def _parse(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _refuse(_("nội dung không phải JSON")) from exc
    if not isinstance(data, dict):
        raise _refuse(_("nội dung không phải JSON"))
    return data


def _apply_callback(gateway: str, data: dict[str, Any], at: datetime) -> CallbackResult:
    adapter = get_gateway(gateway)
    order_id = data.get("order_id")
    if not isinstance(order_id, str) or not order_id or len(order_id) > 40:
        raise _refuse(_("thiếu mã giao dịch"))
    payment = (
        Payment.objects.select_for_update()
        .filter(order_id=order_id, method=Method.ONLINE, gateway=gateway)
        .first()
    )
    if payment is None:
        raise _refuse(_("không có giao dịch %(order)s") % {"order": order_id})
    if data.get("merchant") != adapter.merchant:
        raise _refuse(_("sai mã đơn vị chấp nhận thanh toán"))
    if as_int(data.get("amount")) != payment.amount:
        raise _refuse(
            _("số tiền %(got)s khác số tiền của giao dịch (%(want)s đồng)")
            % {"got": str(data.get("amount"))[:20], "want": rules.format_vnd(payment.amount)}
        )
    if data.get("currency") != CURRENCY:
        raise _refuse(_("đơn vị tiền tệ không phải VND"))
    status = data.get("status")
    if status not in ("success", "failed"):
        raise _refuse(_("trạng thái giao dịch không hợp lệ"))
    ref = data.get("gateway_ref")
    if payment.gateway_ref and isinstance(ref, str) and ref and ref != payment.gateway_ref:
        raise _refuse(_("mã tham chiếu của cổng thanh toán không khớp"))

    if status == "failed":
        if payment.status != PaymentStatus.PENDING:
            return CallbackResult(CallbackOutcome.DUPLICATE, payment)
        return CallbackResult(
            CallbackOutcome.ACCEPTED,
            _fail(payment.pk, _("Cổng thanh toán báo giao dịch không thành công."), at),
        )
    if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUND_DUE, PaymentStatus.REFUNDED):
        return CallbackResult(CallbackOutcome.DUPLICATE, payment)
    # PENDING, or FAILED earlier and paid after all (a late success): the money was taken.
    charge = lock_charge(payment.charge_id)
    if charge.status == ChargeStatus.PAID:
        payment.status = PaymentStatus.REFUND_DUE
        payment.paid_at = at
        payment.save(update_fields=["status", "paid_at"])
        ChargeChange(charge, actor=None, at=at).record(
            PaymentEventKind.PAID_TWICE,
            note=_("Giao dịch %(order)s đến sau khi hồ sơ đã được thanh toán; cần hoàn trả.")
            % {"order": payment.order_id},
            payment=payment,
        )
        _alert_leaders(charge.unit_id, gateway, payment.order_id, _("nộp thừa, cần hoàn trả"), at)
        return CallbackResult(CallbackOutcome.ACCEPTED, payment)
    _mark_paid(charge, payment, actor=None, at=at, online=True)
    return CallbackResult(CallbackOutcome.ACCEPTED, payment)


def _alert_leaders(unit_id: int, gateway: str, order_id: str, reason: str, at: datetime) -> None:
    for leader in unit_leaders(unit_id):
        notify_staff(
            staff=leader,
            template_code=defaults.PAYMENT_CALLBACK_REFUSED,
            context={"gateway": gateway, "order_id": order_id, "reason": reason, "at": at},
            dedupe_key=f"{defaults.PAYMENT_CALLBACK_REFUSED}:{order_id}:{reason[:60]}:{leader.pk}",
        )


@transaction.atomic
def _record_refusal(gateway: str, body: bytes, order_id: str, reason: str, at: datetime) -> None:
    payment = Payment.objects.filter(order_id=order_id).select_related("charge").first()
    CallbackLog.objects.create(
        gateway=gateway[:30],
        received_at=at,
        order_id=order_id[:40],
        outcome=CallbackOutcome.REFUSED,
        reason=reason[:300],
        body=body.decode("utf-8", "replace")[:4000],
        payment=payment,
    )
    logger.warning(
        "payment callback refused", extra={"gateway": gateway[:30], "order_id": order_id[:40]}
    )
    if payment is not None:
        _alert_leaders(payment.charge.unit_id, gateway, order_id[:40], reason, at)


def handle_callback(
    *, gateway: str, body: bytes, signature: str, now: datetime | None = None
) -> CallbackResult:
    """A gateway's server-to-server notice: signature, merchant, order, amount and currency
    checked before anything changes; a replay answers "duplicate" and changes nothing; a forged
    or mismatched one raises CallbackRefused (400) after it is logged and the unit's leaders
    alerted. The citizen's return page never comes here."""
    at = resolve_now(now)
    adapter = get_gateway(gateway)
    order_id = ""
    try:
        if not adapter.verify(body, signature):
            raise _refuse(_("chữ ký không hợp lệ"))
        data = _parse(body)
        order_id = str(data.get("order_id") or "")[:40]
        with transaction.atomic():
            result = _apply_callback(gateway, data, at)
            CallbackLog.objects.create(
                gateway=gateway,
                received_at=at,
                order_id=order_id,
                outcome=result.outcome,
                body=body.decode("utf-8", "replace")[:4000],
                payment=result.payment,
            )
        return result
    except CallbackRefused as exc:
        if not order_id:
            try:
                parsed = json.loads(body.decode("utf-8", "replace"))
                order_id = (
                    str(parsed.get("order_id") or "")[:40] if isinstance(parsed, dict) else ""
                )
            except ValueError:
                order_id = ""
        reason = exc.message.split(": ", 1)[-1].rsplit(". ", 1)[0]
        _record_refusal(gateway, body, order_id, reason, at)
        raise
