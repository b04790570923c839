"""Cancelling and replacing a receipt, refunding a payment: each needs a reason and the unit
leader's approval (the leader acts), and keeps the original (D16: a cancelled or replaced
receipt keeps its number and shows its successor)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.clock import resolve_now
from motcua.core.errors import InvalidInput
from motcua.core.text import clean_text, strip_controls
from motcua.org.models import Staff
from motcua.payments import rules
from motcua.payments.errors import ReceiptNotFound, ReceiptNotIssued, RefundNotAllowed
from motcua.payments.models import (
    ChargeStatus,
    Payment,
    PaymentEventKind,
    PaymentStatus,
    Receipt,
    ReceiptStatus,
    Refund,
)
from motcua.payments.services.common import (
    ChargeChange,
    ensure_leader,
    issue_receipt,
    lock_charge,
    receipt_label,
)


def _reason(reason: str) -> str:
    text = clean_text(reason, field="reason", label=_("lý do"), max_length=500)
    if len(text) < 5:
        raise InvalidInput(_("Hãy ghi rõ lý do (ít nhất 5 ký tự)."), field="reason")
    return text


def _locked_receipt(receipt_id: int) -> Receipt:
    receipt = (
        Receipt.objects.select_for_update()
        .select_related("series", "dossier", "dossier__unit")
        .filter(pk=receipt_id)
        .first()
    )
    if receipt is None:
        raise ReceiptNotFound(_("Không tìm thấy biên lai %(id)s.") % {"id": receipt_id})
    if receipt.status != ReceiptStatus.ISSUED:
        raise ReceiptNotIssued(
            _("Biên lai %(r)s đã %(status)s; không thể hủy hoặc thay thế lần nữa.")
            % {"r": receipt_label(receipt), "status": receipt.get_status_display().lower()}
        )
    return receipt


@transaction.atomic
def cancel_receipt(
    *, receipt_id: int, reason: str, actor: Staff, now: datetime | None = None
) -> Receipt:
    """The leader cancels a receipt issued in error; it keeps its number, status "cancelled"."""
    at = resolve_now(now)
    why = _reason(reason)
    receipt = _locked_receipt(receipt_id)
    ensure_leader(actor, receipt.dossier, _("Hủy biên lai"))
    charge = lock_charge(receipt.payment.charge_id)
    receipt.status = ReceiptStatus.CANCELLED
    receipt.reason = why
    receipt.approved_by = actor
    receipt.cancelled_at = at
    receipt.save(update_fields=["status", "reason", "approved_by", "cancelled_at"])
    ChargeChange(charge, actor=actor, at=at).record(
        PaymentEventKind.RECEIPT_CANCELLED,
        note=_("Hủy biên lai %(r)s: %(why)s") % {"r": receipt_label(receipt), "why": why},
        receipt=receipt,
    )
    return receipt


@transaction.atomic
def replace_receipt(
    *,
    receipt_id: int,
    reason: str,
    actor: Staff,
    payer_name: str = "",
    payer_id_number: str = "",
    payer_address: str = "",
    now: datetime | None = None,
) -> Receipt:
    """The leader replaces a receipt (e.g. a wrong payer's name): a new receipt with the next
    number, pointing at the original, which keeps its number with status "replaced"."""
    at = resolve_now(now)
    why = _reason(reason)
    old = _locked_receipt(receipt_id)
    ensure_leader(actor, old.dossier, _("Thay thế biên lai"))
    charge = lock_charge(old.payment.charge_id)
    old.status = ReceiptStatus.REPLACED
    old.reason = why
    old.approved_by = actor
    old.cancelled_at = at
    old.save(update_fields=["status", "reason", "approved_by", "cancelled_at"])
    new = issue_receipt(
        payment=old.payment,
        charge=charge,
        actor=actor,
        at=at,
        replaces=old,
        payer={
            "name": strip_controls(payer_name)[:200] or old.payer_name,
            "id_number": strip_controls(payer_id_number)[:50] or old.payer_id_number,
            "address": strip_controls(payer_address)[:500] or old.payer_address,
        },
    )
    ChargeChange(charge, actor=actor, at=at).record(
        PaymentEventKind.RECEIPT_REPLACED,
        note=_("Biên lai %(new)s thay thế biên lai %(old)s: %(why)s")
        % {"new": receipt_label(new), "old": receipt_label(old), "why": why},
        receipt=new,
    )
    return new


@transaction.atomic
def refund_payment(
    *, payment_id: int, reason: str, actor: Staff, now: datetime | None = None
) -> Refund:
    """The leader approves giving the money back: for a dossier refused or stopped after it was
    paid, or a payment made twice. The receipt stays as issued and shows the refund."""
    at = resolve_now(now)
    why = _reason(reason)
    payment = (
        Payment.objects.select_for_update()
        .select_related("charge__dossier__unit")
        .get(pk=payment_id)
    )
    dossier = payment.charge.dossier
    ensure_leader(actor, dossier, _("Hoàn trả phí, lệ phí"))
    charge = lock_charge(payment.charge_id)
    if not rules.refundable(payment.status, dossier.status, dossier.outcome):
        raise RefundNotAllowed(
            _(
                "Chỉ hoàn trả khoản đã thu của hồ sơ bị từ chối hoặc dừng giải quyết, hoặc khoản "
                "nộp thừa; giao dịch %(order)s không thuộc trường hợp này."
            )
            % {"order": payment.order_id}
        )
    was_paying = payment.status == PaymentStatus.PAID
    payment.status = PaymentStatus.REFUNDED
    payment.save(update_fields=["status"])
    refund = Refund.objects.create(
        payment=payment, amount=payment.amount, reason=why, approved_by=actor, refunded_at=at
    )
    before = charge.status
    if was_paying:
        charge.status = ChargeStatus.REFUNDED
        charge.save(update_fields=["status"])
    ChargeChange(charge, actor=actor, at=at, from_status=before).record(
        PaymentEventKind.REFUNDED,
        note=_("Hoàn trả %(amount)s đồng (giao dịch %(order)s): %(why)s")
        % {"amount": rules.format_vnd(refund.amount), "order": payment.order_id, "why": why},
        payment=payment,
    )
    return refund
