"""Every write of fees, payments and receipts (STYLE §2): keyword-only, one transaction, one
`PaymentEvent` per change, a named DomainError (`motcua.payments.errors`) for each refusal.

* `schedule` — a procedure version's fee items and exemptions (`set_fee_schedule`).
* `charges` — the amount due, fixed at reception (`fix_amount_due`; `charge_of` for a dossier
  received before).
* `collect` — at the counter (`pay_at_counter`), online (`start_online_payment`, the gateway's
  `handle_callback`).
* `receipts` — `cancel_receipt`, `replace_receipt`, `refund_payment` (the leader approves).
* `reconcile` — `reconcile_day`, the day's payments against the gateway's list.
"""

from motcua.payments.services.charges import charge_of, fix_amount_due
from motcua.payments.services.collect import (
    CallbackResult,
    Paid,
    handle_callback,
    pay_at_counter,
    start_online_payment,
)
from motcua.payments.services.receipts import cancel_receipt, refund_payment, replace_receipt
from motcua.payments.services.reconcile import reconcile_day
from motcua.payments.services.schedule import ExemptionSpec, FeeSpec, set_fee_schedule

__all__ = [
    "CallbackResult",
    "ExemptionSpec",
    "FeeSpec",
    "Paid",
    "cancel_receipt",
    "charge_of",
    "fix_amount_due",
    "handle_callback",
    "pay_at_counter",
    "reconcile_day",
    "refund_payment",
    "replace_receipt",
    "set_fee_schedule",
    "start_online_payment",
]
