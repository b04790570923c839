"""Apologies (Mẫu 04): the responsible officer explains and drafts, the leader signs (D9)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput
from motcua.dossiers import notices, policy
from motcua.dossiers.errors import DossierNotFound, ExtensionAlreadyUsed
from motcua.dossiers.models import Apology, ApologyStatus, Dossier, EventKind
from motcua.dossiers.services.common import change_of, chosen_step, fmt, optional_text, text
from motcua.org.models import Staff


def _check_new_due(dossier: Dossier, new_due_at: datetime, *, now: datetime) -> None:
    """The one new appointment an apology may propose (D9): with its zone, unused so far,
    later than now and than the current appointment, within a year."""
    if timezone.is_naive(new_due_at):
        raise InvalidInput(
            _("Ngày hẹn mới phải kèm múi giờ, ví dụ 2026-02-26T17:00:00+07:00."),
            field="new_due_at",
        )
    if dossier.extension_used:
        raise ExtensionAlreadyUsed(
            _(
                "Hồ sơ %(code)s đã được hẹn lại một lần (hẹn hiện tại %(due)s); theo quy "
                "định chỉ được gia hạn một lần."
            )
            % {"code": dossier.code, "due": fmt(dossier.due_at)}
        )
    if new_due_at > now + timedelta(days=366):
        raise InvalidInput(
            _("Ngày hẹn mới quá xa (hơn một năm kể từ hôm nay); hãy chọn ngày gần hơn."),
            field="new_due_at",
        )
    if new_due_at <= now or (dossier.due_at is not None and new_due_at <= dossier.due_at):
        raise InvalidInput(
            _("Ngày hẹn mới phải sau thời điểm hiện tại và sau hẹn hiện tại (%(due)s).")
            % {"due": fmt(dossier.due_at)},
            field="new_due_at",
        )


@transaction.atomic
def draft_apology(
    *,
    dossier_id: int,
    actor: Staff,
    reason: str,
    explanation: str = "",
    new_due_at: datetime | None = None,
    step_id: int | None = None,
    now: datetime | None = None,
) -> Apology:
    """The responsible officer explains a delay (foreseen, or the step is overdue) and drafts
    the apology letter (Mẫu 04), optionally proposing the one new appointment (D9)."""
    reason = text(reason, field="reason", label=_("lý do chậm trễ"), max_length=2000)
    explanation = optional_text(explanation, field="explanation", label=_("giải trình"))
    change = change_of(
        policy.DRAFT_APOLOGY, dossier_id=dossier_id, actor=actor, now=now, step_id=step_id
    )
    step = chosen_step(change.steps, step_id)
    if new_due_at is not None:
        _check_new_due(change.dossier, new_due_at, now=change.at)
    apology = Apology.objects.create(
        dossier=change.dossier,
        step=step,
        reason=reason,
        explanation=explanation,
        new_due_at=new_due_at,
        drafted_by=actor,
        drafted_at=change.at,
    )
    change.record(EventKind.APOLOGY_DRAFTED, note=reason, step=step)
    return apology


@transaction.atomic
def sign_apology(*, apology_id: int, actor: Staff, now: datetime | None = None) -> Apology:
    """The leader signs the apology: the gate of its step opens; the first signed apology with a
    new date moves the citizen's appointment (`due_at`), never `original_due_at`."""
    dossier_id = Apology.objects.filter(pk=apology_id).values_list("dossier_id", flat=True).first()
    if dossier_id is None:
        raise DossierNotFound(_("Không tìm thấy phiếu xin lỗi."))
    change = change_of(
        policy.SIGN_APOLOGY, dossier_id=dossier_id, actor=actor, now=now, apology_id=apology_id
    )
    dossier = change.dossier
    apology = Apology.objects.select_related("step__unit").get(pk=apology_id)
    note = _("Phiếu xin lỗi: %(reason)s") % {"reason": apology.reason}
    if apology.new_due_at is not None:
        dossier.due_at = apology.new_due_at
        dossier.extension_used = True
        dossier.save(update_fields=["due_at", "extension_used"])
        apology.extension_applied = True
        note += " " + _("Hẹn lại ngày trả kết quả: %(due)s.") % {"due": fmt(dossier.due_at)}
    apology.status = ApologyStatus.SIGNED
    apology.signed_by = actor
    apology.signed_at = change.at
    apology.save()
    change.record(EventKind.APOLOGY_SIGNED, note=note, step=apology.step)
    notices.notify_apology(dossier=dossier, apology=apology)
    return apology
