"""The money path through the services: amount due, counter payment, receipts, refunds."""

from __future__ import annotations

import pytest
from django.db import transaction

from motcua.core.errors import DomainError
from motcua.dossiers.services import refuse_dossier
from motcua.notifications.models import Message
from motcua.payments.errors import (
    AlreadyPaid,
    LeaderApprovalRequired,
    NotReceptionist,
    RefundNotAllowed,
    WrongAmount,
)
from motcua.payments.models import (
    Charge,
    Payment,
    PaymentEvent,
    Receipt,
    ReceiptSeries,
)
from motcua.payments.services import (
    FeeSpec,
    cancel_receipt,
    charge_of,
    fix_amount_due,
    pay_at_counter,
    refund_payment,
    replace_receipt,
    set_fee_schedule,
)
from tests.dossiers.helpers import at, receive, submit


def test_the_amount_due_is_fixed_at_reception_from_the_procedure_version(office, dossier):
    charge = Charge.objects.get(dossier=dossier)
    assert charge.amount_due == 65_000
    assert [i["amount"] for i in charge.items] == [15_000, 50_000]
    assert charge.status == "due"
    assert PaymentEvent.objects.filter(charge=charge, kind="amount_fixed").count() == 1


def test_a_later_schedule_does_not_change_a_received_dossiers_amount(office, procedure, dossier):
    set_fee_schedule(procedure=procedure, items=[FeeSpec(name="Lệ phí", amount=99_000)], actor=None)
    assert fix_amount_due(dossier_id=dossier.pk, actor=None).amount_due == 65_000
    assert charge_of(dossier).amount_due == 65_000


def test_an_exemption_reduces_the_amount_due(office, procedure):
    d = receive(office, procedure, now=at(19, 9)).dossier
    charge = fix_amount_due(dossier_id=d.pk, actor=office.receptionist, exemption_code="ho-ngheo")
    assert (charge.gross, charge.discount, charge.amount_due) == (65_000, 32_500, 32_500)
    assert charge.exemption_reason == "Hộ nghèo"


def test_a_full_exemption_leaves_nothing_to_pay(office, procedure):
    d = receive(office, procedure, now=at(19, 9)).dossier
    charge = fix_amount_due(
        dossier_id=d.pk, actor=office.receptionist, exemption_code="nguoi-co-cong"
    )
    assert charge.amount_due == 0 and charge.status == "free"
    with pytest.raises(DomainError) as exc:
        pay_at_counter(dossier=d, method="cash", amount=0, actor=office.receptionist)
    assert exc.value.code == "nothing_to_pay"


def test_an_unknown_exemption_is_refused_with_a_message(office, procedure):
    d = receive(office, procedure, now=at(19, 9)).dossier
    with pytest.raises(DomainError) as exc:
        fix_amount_due(dossier_id=d.pk, actor=None, exemption_code="khong-co")
    assert exc.value.status == 422 and "miễn, giảm" in exc.value.message
    assert not Charge.objects.filter(dossier=d).exists()


def test_a_version_without_items_reads_its_single_catalog_fee(office, procedure):
    procedure.fee, procedure.fee_note = 20_000, "Lệ phí chứng thực"
    procedure.save(update_fields=["fee", "fee_note"])
    procedure.fee_items.all().delete()
    d = receive(office, procedure, now=at(19, 9)).dossier
    charge = charge_of(d)
    assert charge.amount_due == 20_000
    assert charge.items[0]["name"] == "Lệ phí chứng thực"


def test_a_counter_payment_issues_receipt_number_one_in_the_same_transaction(office, dossier):
    paid = pay_at_counter(
        dossier=dossier, method="cash", amount=65_000, actor=office.receptionist, now=at(19, 10)
    )
    receipt = paid.receipt
    assert receipt.number == 1
    assert receipt.series.template == "EBL01" and receipt.series.series == "26E"
    assert receipt.amount_in_words == "Sáu mươi lăm nghìn đồng"
    assert receipt.payer_name == "Nguyễn Văn An"
    assert receipt.issued_by == office.receptionist
    charge = Charge.objects.get(dossier=dossier)
    assert charge.status == "paid" and not charge.paid_online
    assert PaymentEvent.objects.filter(charge=charge, kind="paid").count() == 1
    assert (
        Message.objects.filter(template_code="payment_received", dossier_id=dossier.pk).count() == 1
    )


def test_the_wrong_amount_at_the_counter_is_refused_and_changes_nothing(office, dossier):
    with pytest.raises(WrongAmount) as exc:
        pay_at_counter(dossier=dossier, method="cash", amount=60_000, actor=office.receptionist)
    assert "65.000" in exc.value.message
    assert not Payment.objects.exists() and not Receipt.objects.exists()
    assert ReceiptSeries.objects.filter(last_number__gt=0).count() == 0


def test_paying_twice_is_refused(office, dossier):
    pay_at_counter(dossier=dossier, method="card", amount=65_000, actor=office.receptionist)
    with pytest.raises(AlreadyPaid):
        pay_at_counter(dossier=dossier, method="cash", amount=65_000, actor=office.receptionist)
    assert Receipt.objects.count() == 1


def test_only_the_units_receptionist_takes_money(office, dossier):
    with pytest.raises(NotReceptionist) as exc:
        pay_at_counter(dossier=dossier, method="cash", amount=65_000, actor=office.specialist)
    assert "Bộ phận Một cửa" in exc.value.message


def test_a_rolled_back_payment_consumes_no_number(office, procedure, dossier):
    other = receive(office, procedure, now=at(19, 9)).dossier
    fix_amount_due(dossier_id=other.pk, actor=None)
    with pytest.raises(RuntimeError), transaction.atomic():
        pay_at_counter(dossier=dossier, method="cash", amount=65_000, actor=office.receptionist)
        raise RuntimeError("the printer caught fire")
    paid = pay_at_counter(dossier=other, method="cash", amount=65_000, actor=office.receptionist)
    assert paid.receipt.number == 1


def test_cancelling_needs_the_leader_and_a_reason_and_keeps_the_number(office, dossier):
    paid = pay_at_counter(dossier=dossier, method="cash", amount=65_000, actor=office.receptionist)
    with pytest.raises(LeaderApprovalRequired) as exc:
        cancel_receipt(receipt_id=paid.receipt.pk, reason="Ghi sai tên", actor=office.receptionist)
    assert "Trần Văn Lãnh" in exc.value.message
    with pytest.raises(DomainError) as exc:
        cancel_receipt(receipt_id=paid.receipt.pk, reason="  ", actor=office.leader)
    assert exc.value.status == 422
    receipt = cancel_receipt(receipt_id=paid.receipt.pk, reason="Thu nhầm", actor=office.leader)
    assert receipt.status == "cancelled" and receipt.number == 1
    assert receipt.approved_by == office.leader and receipt.reason == "Thu nhầm"
    with pytest.raises(DomainError) as again:
        cancel_receipt(receipt_id=paid.receipt.pk, reason="Thu nhầm lần hai", actor=office.leader)
    assert again.value.code == "receipt_not_issued"


def test_replacing_a_receipt_keeps_the_original_and_links_both(office, dossier):
    paid = pay_at_counter(dossier=dossier, method="cash", amount=65_000, actor=office.receptionist)
    new = replace_receipt(
        receipt_id=paid.receipt.pk,
        reason="Sai tên người nộp",
        payer_name="Nguyễn Văn Ân",
        actor=office.leader,
    )
    old = Receipt.objects.get(pk=paid.receipt.pk)
    assert old.status == "replaced" and old.number == 1
    assert new.number == 2 and new.replaces == old and new.payer_name == "Nguyễn Văn Ân"
    assert old.replaced_by == new


def test_a_refund_is_allowed_only_after_a_refusal_and_by_the_leader(office, procedure):
    dossier = submit(office, procedure, now=at(19, 8)).dossier
    fix_amount_due(dossier_id=dossier.pk, actor=None)
    paid = pay_at_counter(dossier=dossier, method="cash", amount=65_000, actor=office.receptionist)
    with pytest.raises(RefundNotAllowed):
        refund_payment(payment_id=paid.payment.pk, reason="Người nộp đổi ý", actor=office.leader)
    refuse_dossier(dossier_id=dossier.pk, actor=office.receptionist, reason="Không đủ điều kiện")
    with pytest.raises(LeaderApprovalRequired):
        refund_payment(
            payment_id=paid.payment.pk, reason="Hồ sơ bị từ chối", actor=office.receptionist
        )
    refund = refund_payment(
        payment_id=paid.payment.pk, reason="Hồ sơ bị từ chối", actor=office.leader
    )
    assert refund.amount == 65_000
    assert Charge.objects.get(dossier=dossier).status == "refunded"
    assert Payment.objects.get(pk=paid.payment.pk).status == "refunded"
    assert Receipt.objects.get(pk=paid.receipt.pk).status == "issued"


def test_odd_input_is_refused_not_crashed(office, dossier):
    for amount in ("65000", 65_000.0, True, None, -1, "٦٥٠٠٠"):
        with pytest.raises(DomainError):
            pay_at_counter(dossier=dossier, method="cash", amount=amount, actor=office.receptionist)
    with pytest.raises(DomainError):
        pay_at_counter(dossier=dossier, method="bitcoin", amount=65_000, actor=office.receptionist)
    with pytest.raises(DomainError):
        cancel_receipt(receipt_id=0, reason="\ud800 lý do", actor=office.leader)
    assert not Payment.objects.exists()
