"""The leader's digital signature of a dossier's results (D14): when the leader's step
"Ký cấp kết quả" completes, every result PDF registered for the dossier and not yet signed is
signed (PAdES) with the leader's key, then sealed by the unit when its seal key is configured,
through `signatures.services.sign_pdf`. The signed bytes replace the draft's in the same
`Document` (kind ``result``, source ``issued``, ``signed``; its results-register line stays), and
their SHA-256 is registered for the verification page. A signed result is never rendered or
signed again.

Registered with `dossiers.services.register_step_completion` from `DocumentsConfig.ready()`: it
runs inside `complete_step`'s transaction, so a missing key or a failed signature (a
`DomainError` with its reason) leaves the step open and changes nothing. With a token or a
phone the signature is awaited inside that transaction (the dossier's row stays locked
meanwhile); a PKCS#12 key, SoftHSM2 and the fake remote signer answer within a second.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from motcua.core.text import fold
from motcua.documents import services, storage
from motcua.documents.models import Document, DocumentEvent, DocumentEventKind, Kind, Source
from motcua.dossiers.models import Dossier, DossierStep
from motcua.org.models import Role, Staff
from motcua.signatures import services as signing
from motcua.signatures.models import Kind as SignedKind

#: The leader's steps whose completion signs the results (folded names, as in the catalogue).
SIGNING_STEPS = (fold("Ký cấp kết quả"),)
PDF = "application/pdf"


def is_signing_step(step: DossierStep) -> bool:
    return step.role == Role.LEADER and fold(step.name) in SIGNING_STEPS


def _bytes_of(doc: Document) -> bytes:
    return b"".join(services.content_of(doc))


def _signed_name(name: str) -> str:
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    return f"{stem[:200]}-da-ky-so.pdf"


def _drop_blob(key: str) -> None:
    if not Document.objects.filter(storage_key=key).exists():
        storage.delete(key)


def sign_results_on_completion(
    *, dossier: Dossier, step: DossierStep, actor: Staff, at: datetime
) -> None:
    """The hook of `complete_step` (see the module's doc)."""
    if not is_signing_step(step):
        return
    drafts = list(
        Document.objects.filter(dossier=dossier, kind=Kind.RESULT, signed=False, media_type=PDF)
        .select_related("result")
        .order_by("added_at", "pk")
    )
    if not drafts:
        return  # no electronic result (a paper one, or none registered yet)
    signer = signing.identity_of_staff(
        actor, position=_("Thủ trưởng cơ quan, đơn vị"), unit=dossier.unit.name
    )
    seal = signing.seal_of_unit(dossier.unit)
    for doc in drafts:
        sign_result(doc, dossier=dossier, signer=signer, seal=seal, actor=actor, at=at)


def sign_result(
    doc: Document,
    *,
    dossier: Dossier,
    signer: signing.Identity,
    seal: signing.Identity | None,
    actor: Staff,
    at: datetime,
) -> Document:
    """Sign one result draft and record it (inside the caller's transaction): the signed bytes
    stored first under a new key, then the row updated, the hash registered, one event."""
    code = signing.new_verify_code()
    signed = signing.sign_pdf(
        _bytes_of(doc), signer=signer, seal=seal, box="chu-ky", verify_code=code
    )
    new_key = storage.save(storage.new_key(f"d/{dossier.pk}"), io.BytesIO(signed))
    transaction.on_commit(partial(_drop_blob, doc.storage_key))
    # The blob of a transaction that does not commit is left to the orphan sweep.
    stored = signing.register_signed(
        pdf=signed,
        code=code,
        kind=SignedKind.RESULT,
        signer_name=signer.name,
        dossier_code=dossier.code,
        subject_id=doc.pk,
        signed_by=actor,
        signed_at=at,
    )
    doc.storage_key = new_key
    doc.sha256 = stored.sha256
    doc.size = len(signed)
    doc.name = _signed_name(doc.name)
    doc.source = Source.ISSUED
    doc.signed = True
    doc.save(update_fields=["storage_key", "sha256", "size", "name", "source", "signed"])
    number = doc.result.number if hasattr(doc, "result") else ""
    DocumentEvent.objects.create(
        dossier=dossier,
        document=doc,
        at=at,
        actor=actor,
        kind=DocumentEventKind.ADDED,
        from_status=dossier.status,
        to_status=dossier.status,
        note=(
            _("%(name)s ký số kết quả %(number)s (mã xác thực %(code)s).")
            % {"name": signer.name, "number": number or doc.name, "code": code}
        ),
    )
    return doc


#: The signed forms filed among the dossier's papers (kind ``form``), with the paper's name.
FILED_FORMS = {
    SignedKind.APOLOGY: (
        "mau-04-phieu-xin-loi",
        _lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)"),
    ),
    SignedKind.RECEIPT: (
        "mau-01-giay-tiep-nhan",
        _lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)"),
    ),
}


def file_signed_form(*, signed: Any, pdf: bytes) -> Document | None:
    """The listener of `signatures.services.register_signed` (inside its transaction): a signed
    Mẫu 04 or Mẫu 01 becomes a Document of its dossier (kind ``form``, source ``issued``,
    ``signed``) holding exactly the signed bytes, so it shows among the dossier's papers. Not
    subject to the citizen's upload limits: the office issued it."""
    filed = FILED_FORMS.get(signed.kind)
    if filed is None or not signed.dossier_code:
        return None
    dossier = Dossier.objects.filter(code=signed.dossier_code).first()
    if dossier is None:
        return None
    stem, label = filed
    key = storage.save(storage.new_key(f"d/{dossier.pk}"), io.BytesIO(pdf))
    doc = Document.objects.create(
        dossier=dossier,
        paper_name=str(label),
        kind=Kind.FORM,
        source=Source.ISSUED,
        name=f"{stem}-{signed.code}.pdf",
        media_type=PDF,
        size=len(pdf),
        sha256=signed.sha256,
        storage_key=key,
        added_by=signed.signed_by,
        added_at=signed.signed_at,
        signed=True,
    )
    DocumentEvent.objects.create(
        dossier=dossier,
        document=doc,
        at=signed.signed_at,
        actor=signed.signed_by,
        kind=DocumentEventKind.ADDED,
        from_status=dossier.status,
        to_status=dossier.status,
        note=_("Lưu văn bản đã ký số “%(name)s” (mã xác thực %(code)s).")
        % {"name": doc.paper_name, "code": signed.code},
    )
    return doc


def signed_result_of(document_id: int) -> Any:
    """The registered signature of a result document (None when it was never signed)."""
    return signing.signed_file_for(SignedKind.RESULT, document_id)
