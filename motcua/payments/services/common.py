"""What the payment services share: the charge's change and event, the receipt numbering, the
checks of who may act."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.changes import Change
from motcua.dossiers.models import Dossier
from motcua.org.models import Role, Staff
from motcua.org.selectors import has_role, unit_leaders
from motcua.payments import rules
from motcua.payments.errors import LeaderApprovalRequired, NotReceptionist
from motcua.payments.models import (
    Charge,
    Payment,
    PaymentEvent,
    Receipt,
    ReceiptSeries,
)

DEFAULT_TEMPLATE = "EBL01"


class ChargeChange(Change[PaymentEvent]):
    event_model = PaymentEvent
    subject = "charge"


def new_order_id() -> str:
    """A transaction id the gateway and the citizen see: no personal data, not guessable."""
    return f"TT{timezone.now():%y%m%d}{secrets.token_hex(6).upper()}"


def leader_names(unit_id: int) -> str:
    names = [s.get_full_name() or s.get_username() for s in unit_leaders(unit_id)]
    return ", ".join(names) or _("lãnh đạo đơn vị")


def ensure_receptionist(actor: Staff, dossier: Dossier) -> None:
    if actor.is_superuser or has_role(actor, dossier.unit, Role.RECEPTIONIST):
        return
    raise NotReceptionist(
        _(
            "Chỉ công chức Bộ phận Một cửa của %(unit)s được thu phí, lệ phí của hồ sơ này; "
            "hãy chuyển người nộp đến Bộ phận Một cửa."
        )
        % {"unit": dossier.unit.name}
    )


def ensure_leader(actor: Staff, dossier: Dossier, what: str) -> None:
    if actor.is_superuser or has_role(actor, dossier.unit, Role.LEADER):
        return
    raise LeaderApprovalRequired(
        _("%(what)s cần lãnh đạo %(unit)s phê duyệt; hãy đề nghị %(leaders)s thực hiện.")
        % {"what": what, "unit": dossier.unit.name, "leaders": leader_names(dossier.unit_id)}
    )


def series_for(unit_id: int, year: int) -> ReceiptSeries:
    """The unit's receipt series of ``year``, LOCKED (created with the defaults of D16 when the
    administrator has set none): the numbering's one row lock."""
    found = ReceiptSeries.objects.select_for_update().filter(unit_id=unit_id, year=year).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            ReceiptSeries.objects.create(
                unit_id=unit_id,
                year=year,
                template=DEFAULT_TEMPLATE,
                series=f"{year % 100:02d}E",
            )
    except IntegrityError:
        pass  # a concurrent first receipt of the year created it
    return ReceiptSeries.objects.select_for_update().get(unit_id=unit_id, year=year)


def issue_receipt(
    *,
    payment: Payment,
    charge: Charge,
    actor: Staff | None,
    at: datetime,
    replaces: Receipt | None = None,
    payer: dict[str, str] | None = None,
) -> Receipt:
    """The next number of the unit's series, in the caller's transaction: a rolled-back payment
    takes its number back with it (no gap), the series row lock serialises concurrent payments
    (no duplicate; the unique constraint would refuse one anyway)."""
    year = timezone.localtime(at).year
    series = series_for(charge.unit_id, year)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    dossier = charge.dossier
    applicant = getattr(dossier, "applicant", None)
    who = payer or {
        "name": getattr(applicant, "name", ""),
        "id_number": getattr(applicant, "id_number", ""),
        "address": getattr(applicant, "address", ""),
    }
    return Receipt.objects.create(
        series=series,
        number=series.last_number,
        payment=payment,
        dossier=dossier,
        unit_id=charge.unit_id,
        payer_name=who["name"][:200] or "—",
        payer_id_number=who["id_number"][:50],
        payer_address=who["address"][:500],
        items=charge.items,
        amount=payment.amount,
        amount_in_words=rules.amount_in_words(payment.amount),
        method=payment.method,
        issued_at=at,
        issued_by=actor,
        replaces=replaces,
    )


def receipt_label(receipt: Receipt) -> str:
    return f"{receipt.series.template} {receipt.series.series} {receipt.number:07d}"


def lock_charge(charge_id: int) -> Charge:
    return Charge.objects.select_for_update().select_related("dossier", "unit").get(pk=charge_id)


def as_int(value: Any) -> int | None:
    """An amount as sent: a JSON integer (not a bool, not a float, not a string)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value
