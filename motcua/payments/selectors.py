"""Reads of fees, payments and receipts, scoped to what the reader may see; and the figures.

* `schedule_of`, `exemptions_of` — a procedure version's fee schedule.
* `get_receipt_for(staff, id)` — a receipt of a dossier the staff member may see WITH personal
  data (the payer's name is personal data): another unit's receipt is 404.
* `online_payment_figures(unit_ids, start, end)` — Decision 766's "tỷ lệ hồ sơ thanh toán trực
  tuyến": dossiers paid online / dossiers with fees paid, received in [start, end).
* `collected(unit_ids, start, end, by)` — collected per unit, procedure, method or day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.dossiers.selectors import actor_facts, dossiers_visible_to, may_see_personal_data
from motcua.org.models import Staff
from motcua.payments.errors import ReceiptNotFound
from motcua.payments.models import (
    Charge,
    ChargeStatus,
    Exemption,
    FeeKind,
    Method,
    Payment,
    PaymentStatus,
    Receipt,
)


@dataclass(frozen=True)
class FeeLine:
    name: str
    kind: str
    amount: int
    legal_basis: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "amount": self.amount,
            "legal_basis": self.legal_basis,
        }


def schedule_of(procedure: Procedure) -> list[FeeLine]:
    """A procedure version's fee items; a version with none but the catalog's single ``fee``
    amount (entered before the schedule existed) reads as one charge item of that amount."""
    items = [
        FeeLine(name=i.name, kind=i.kind, amount=i.amount, legal_basis=i.legal_basis)
        # through the relation, so a page of procedures reads them prefetched (Meta orders them)
        for i in procedure.fee_items.all()
    ]
    if not items and procedure.fee:
        items = [
            FeeLine(
                name=procedure.fee_note or str(_("Phí, lệ phí")),
                kind=FeeKind.CHARGE,
                amount=int(procedure.fee),
                legal_basis=procedure.legal_basis[:500],
            )
        ]
    return items


def exemptions_of(procedure_id: int) -> list[Exemption]:
    return list(Exemption.objects.filter(procedure_id=procedure_id).order_by("code"))


def total_fee(procedure: Procedure) -> int:
    return sum(i.amount for i in schedule_of(procedure))


def receipts_visible_to(staff: Staff) -> QuerySet[Receipt]:
    return Receipt.objects.filter(dossier__in=dossiers_visible_to(staff)).select_related(
        "series", "dossier", "unit", "payment", "issued_by", "approved_by", "replaces"
    )


def get_receipt_for(staff: Staff, receipt_id: int) -> Receipt:
    """A receipt of a dossier ``staff`` handles (the payer is personal data), else 404."""
    receipt = receipts_visible_to(staff).filter(pk=receipt_id).first()
    if receipt is not None and not may_see_personal_data(actor_facts(staff), receipt.dossier):
        receipt = None
    if receipt is None:
        raise ReceiptNotFound(
            _("Không tìm thấy biên lai %(id)s, hoặc biên lai không thuộc đơn vị của bạn.")
            % {"id": receipt_id}
        )
    return receipt


def receipts_of_dossier(dossier_id: int) -> list[Receipt]:
    return list(
        Receipt.objects.filter(dossier_id=dossier_id)
        .select_related("series", "replaces", "approved_by", "issued_by")
        .order_by("issued_at", "pk")
    )


def payments_of_dossier(dossier_id: int) -> list[Payment]:
    return list(
        Payment.objects.filter(charge__dossier_id=dossier_id)
        .select_related("refund")
        .order_by("created_at", "pk")
    )


def charge_of_dossier(dossier_id: int) -> Charge | None:
    return Charge.objects.filter(dossier_id=dossier_id).first()


def replaced_by(receipt: Receipt) -> Receipt | None:
    return Receipt.objects.filter(replaces_id=receipt.pk).select_related("series").first()


# ----------------------------------------------------------------------------------- figures
def _span(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end] local days as aware instants [start 00:00, end+1 00:00)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


@dataclass(frozen=True)
class OnlineFigures:
    with_fees: int  # dossiers with fees whose charge was paid in the period
    paid_online: int
    rate: Decimal | None  # percent, half-up to 2 decimals (D12); None when no dossier paid


def online_payment_figures(unit_ids: Any, start: date, end: date) -> OnlineFigures:
    """Decision 766 "tỷ lệ hồ sơ thanh toán trực tuyến" for the units ``unit_ids`` (None: all),
    over the dossiers whose fees were paid on local days [start, end]: paid online / paid.
    Aggregate SQL: one query."""
    first, after = _span(start, end)
    qs = Charge.objects.filter(
        paid_at__gte=first, paid_at__lt=after, status__in=[ChargeStatus.PAID, ChargeStatus.REFUNDED]
    )
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    row = qs.aggregate(n=Count("pk"), online=Count("pk", filter=Q(paid_online=True)))
    n, online = int(row["n"] or 0), int(row["online"] or 0)
    rate = None
    if n:
        rate = (Decimal(online) * 100 / Decimal(n)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    return OnlineFigures(with_fees=n, paid_online=online, rate=rate)


GROUPS = {
    "unit": ("charge__unit__code", "charge__unit__name"),
    "procedure": ("charge__procedure__code", "charge__procedure__name"),
    "method": ("method", "method"),
}


def collected(unit_ids: Any, start: date, end: date, *, by: str) -> list[dict[str, Any]]:
    """Money collected (paid payments, refunds not deducted) on local days [start, end] grouped
    ``by`` unit, procedure, method or day: ``[{"key", "name", "payments", "amount"}]``."""
    first, after = _span(start, end)
    qs = Payment.objects.filter(
        paid_at__gte=first,
        paid_at__lt=after,
        status__in=[PaymentStatus.PAID, PaymentStatus.REFUNDED, PaymentStatus.REFUND_DUE],
    )
    if unit_ids is not None:
        qs = qs.filter(charge__unit_id__in=list(unit_ids))
    if by == "day":
        rows = (
            qs.annotate(day=TruncDate("paid_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
            .values("day")
            .annotate(payments=Count("pk"), amount=Sum("amount"))
            .order_by("day")
        )
        return [
            {
                "key": r["day"].isoformat(),
                "name": r["day"].strftime("%d/%m/%Y"),
                "payments": r["payments"],
                "amount": int(r["amount"] or 0),
            }
            for r in rows
        ]
    key, name = GROUPS[by]
    rows = qs.values(key, name).annotate(payments=Count("pk"), amount=Sum("amount")).order_by(key)
    labels = dict(Method.choices)
    return [
        {
            "key": r[key],
            "name": str(labels.get(r[name], r[name])) if by == "method" else r[name],
            "payments": r["payments"],
            "amount": int(r["amount"] or 0),
        }
        for r in rows
    ]
