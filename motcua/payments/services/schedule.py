"""The fee schedule of a procedure version: its fee and charge items and its exemptions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core.errors import InvalidInput
from motcua.core.text import clean_line
from motcua.org.models import Staff
from motcua.payments import rules
from motcua.payments.models import Exemption, FeeItem, FeeKind


@dataclass(frozen=True)
class FeeSpec:
    name: str
    amount: int
    kind: str = FeeKind.CHARGE
    legal_basis: str = ""


@dataclass(frozen=True)
class ExemptionSpec:
    code: str
    reason: str
    percent: int = 100
    legal_basis: str = ""


@transaction.atomic
def set_fee_schedule(
    *,
    procedure: Procedure,
    items: Sequence[FeeSpec],
    exemptions: Sequence[ExemptionSpec] = (),
    actor: Staff | None,
) -> list[FeeItem]:
    """Replace the schedule of ONE procedure version (dossiers already received keep the
    amounts fixed on their charge)."""
    rows = []
    for n, item in enumerate(items):
        if item.kind not in FeeKind.values:
            raise InvalidInput(_("Loại khoản thu phải là phí hoặc lệ phí."), field="kind")
        if not 0 <= item.amount <= rules.MAX_AMOUNT:
            raise InvalidInput(_("Số tiền không hợp lệ."), field="amount")
        rows.append(
            FeeItem(
                procedure=procedure,
                kind=item.kind,
                name=clean_line(item.name, field="name", label=_("tên khoản thu"), max_length=300),
                amount=item.amount,
                legal_basis=item.legal_basis[:500],
                order=n,
            )
        )
    ex_rows = []
    for e in exemptions:
        if not 1 <= e.percent <= 100:
            raise InvalidInput(_("Tỷ lệ miễn giảm phải từ 1 đến 100%."), field="percent")
        ex_rows.append(
            Exemption(
                procedure=procedure,
                code=e.code[:40],
                reason=clean_line(e.reason, field="reason", label=_("lý do"), max_length=300),
                percent=e.percent,
                legal_basis=e.legal_basis[:500],
            )
        )
    FeeItem.objects.filter(procedure=procedure).delete()
    Exemption.objects.filter(procedure=procedure).delete()
    Exemption.objects.bulk_create(ex_rows)
    return FeeItem.objects.bulk_create(rows)
