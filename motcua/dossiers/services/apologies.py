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
from motcua.signatures import services as signing
from motcua.signatures.models import Kind as SignedKind
from motcua.signatures.models import SignedFile, SigningRequest


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


def _dossier_of(apology_id: int) -> int:
    dossier_id = Apology.objects.filter(pk=apology_id).values_list("dossier_id", flat=True).first()
    if dossier_id is None:
        raise DossierNotFound(_("Không tìm thấy phiếu xin lỗi."))
    return int(dossier_id)


def _identity(actor: Staff, dossier: Dossier) -> signing.Identity:
    return signing.identity_of_staff(
        actor, position=_("Thủ trưởng cơ quan, đơn vị"), unit=dossier.unit.name
    )


def prepare_apology_signature(
    *, subject_id: int, actor: Staff, now: datetime | None = None
) -> signing.Prepared:
    """Before a signature: may ``actor`` sign this apology now (the policy's refusal, or
    SigningKeyMissing), and the Mẫu 04 exactly as it will be signed (the preview the leader
    sees). Changes nothing."""
    from motcua.dossiers.official_forms import render_apology_to_sign

    dossier_id = _dossier_of(subject_id)
    with transaction.atomic():
        change = change_of(
            policy.SIGN_APOLOGY, dossier_id=dossier_id, actor=actor, now=now, apology_id=subject_id
        )
    identity = _identity(actor, change.dossier)
    pdf = render_apology_to_sign(
        dossier_id=dossier_id, apology_id=subject_id, signer=actor, at=change.at
    )
    return signing.Prepared(
        pdf=pdf, signer=identity, seal=signing.seal_of_unit(change.dossier.unit), box="chu-ky"
    )


def request_apology_signature(*, apology_id: int, actor: Staff) -> SigningRequest:
    """The leader confirmed the preview: a signing request the worker completes (a token or
    a phone may take a while); the page follows it. Refused at once when the leader may not
    sign or has no key."""
    dossier_id = _dossier_of(apology_id)
    with transaction.atomic():
        change = change_of(
            policy.SIGN_APOLOGY, dossier_id=dossier_id, actor=actor, now=None, apology_id=apology_id
        )
    _identity(actor, change.dossier)
    return signing.request_signature(
        kind=SignedKind.APOLOGY,
        subject_id=apology_id,
        actor=actor,
        dossier_code=change.dossier.code,
    )


def complete_apology_signature(
    *, subject_id: int, actor: Staff, pdf: bytes, code: str, now: datetime | None = None
) -> SignedFile:
    """The signed Mẫu 04 is back: store it (bytes before the row) and register its hash, open
    the gate of the step, move the appointment when the apology proposes one, e-mail EXACTLY the
    stored bytes. One transaction, one event; the policy is asked again under the lock."""
    return _record_signature(apology_id=subject_id, actor=actor, pdf=pdf, code=code, now=now)[1]


@transaction.atomic
def _record_signature(
    *, apology_id: int, actor: Staff, pdf: bytes, code: str, now: datetime | None
) -> tuple[Apology, SignedFile]:
    change = change_of(
        policy.SIGN_APOLOGY,
        dossier_id=_dossier_of(apology_id),
        actor=actor,
        now=now,
        apology_id=apology_id,
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
    stored = signing.register_signed(
        pdf=pdf,
        code=code,
        kind=SignedKind.APOLOGY,
        signer_name=actor.get_full_name() or actor.get_username(),
        dossier_code=dossier.code,
        subject_id=apology.pk,
        signed_by=actor,
        signed_at=change.at,
    )
    change.record(EventKind.APOLOGY_SIGNED, note=note, step=apology.step)
    notices.notify_apology(dossier=dossier, apology=apology, signed_pdf=pdf)
    return apology, stored


def sign_apology(*, apology_id: int, actor: Staff, now: datetime | None = None) -> Apology:
    """The leader signs the apology, at once (PKCS#12, or a token/phone that answers while the
    caller waits; the office page goes through `request_apology_signature` instead): the Mẫu 04
    is signed digitally (PAdES), stored and registered; the gate of its step opens on the
    SIGNED letter; the first signed apology with a new date moves the citizen's appointment
    (`due_at`), never `original_due_at`. A refused or failed signature changes nothing."""
    prepared = prepare_apology_signature(subject_id=apology_id, actor=actor, now=now)
    code = signing.new_verify_code()
    pdf = signing.sign_pdf(
        prepared.pdf,
        signer=prepared.signer,
        seal=prepared.seal,
        box=prepared.box,
        verify_code=code,
        now=now,
    )
    return _record_signature(apology_id=apology_id, actor=actor, pdf=pdf, code=code, now=now)[0]
