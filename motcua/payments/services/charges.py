"""A dossier's amount due, fixed at reception from its procedure version's fee schedule."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.core.clock import resolve_now
from motcua.core.errors import InvalidInput
from motcua.dossiers.models import Dossier
from motcua.org.models import Staff
from motcua.payments import rules
from motcua.payments.models import Charge, ChargeStatus, Exemption, PaymentEventKind
from motcua.payments.selectors import schedule_of
from motcua.payments.services.common import ChargeChange


def _build(dossier: Dossier, exemption_code: str, at: datetime) -> Charge:
    lines = schedule_of(dossier.procedure)
    items = [line.as_dict() for line in lines]
    gross = rules.total(line.amount for line in lines)
    exemption = None
    if exemption_code:
        exemption = Exemption.objects.filter(
            procedure_id=dossier.procedure_id, code=exemption_code
        ).first()
        if exemption is None:
            raise InvalidInput(
                _("Thủ tục này không có trường hợp miễn, giảm “%(code)s”.")
                % {"code": exemption_code[:40]},
                field="exemption",
            )
    discount, due = rules.amount_due(gross, exemption.percent if exemption else 0)
    return Charge(
        dossier=dossier,
        unit_id=dossier.unit_id,
        procedure_id=dossier.procedure_id,
        items=items,
        gross=gross,
        exemption_code=exemption.code if exemption else "",
        exemption_reason=exemption.reason if exemption else "",
        discount=discount,
        amount_due=due,
        status=ChargeStatus.DUE if due > 0 else ChargeStatus.FREE,
        fixed_at=at,
    )


@transaction.atomic
def fix_amount_due(
    *,
    dossier_id: int,
    actor: Staff | None,
    exemption_code: str = "",
    now: datetime | None = None,
) -> Charge:
    """The dossier's charge: created once, at reception (the desk, the online submission) from
    the schedule of the procedure VERSION the dossier was received under, with the exemption
    the desk applied; later calls return it unchanged."""
    at = resolve_now(now)
    existing = Charge.objects.filter(dossier_id=dossier_id).first()
    if existing is not None:
        return existing
    dossier = Dossier.objects.select_related("procedure", "unit").get(pk=dossier_id)
    charge = _build(dossier, exemption_code, at)
    try:
        with transaction.atomic():
            charge.save(force_insert=True)
    except IntegrityError:
        return Charge.objects.get(dossier_id=dossier_id)  # a concurrent first call won
    note = _("Phải nộp %(amount)s đồng") % {"amount": rules.format_vnd(charge.amount_due)}
    if charge.exemption_reason:
        note += _(" (miễn, giảm: %(reason)s)") % {"reason": charge.exemption_reason}
    ChargeChange(charge, actor=actor, at=at, from_status="").record(
        PaymentEventKind.AMOUNT_FIXED, note=note
    )
    return charge


def charge_of(dossier: Dossier) -> Charge:
    """The dossier's charge; one received before fees were recorded (or through a path that did
    not fix it) gets it now, from its own version's schedule."""
    found = Charge.objects.filter(dossier_id=dossier.pk).first()
    if found is not None:
        return found
    return fix_amount_due(dossier_id=dossier.pk, actor=None)
