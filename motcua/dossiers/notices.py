"""The notices of a dossier's applicant (Mẫu 01, 02, 04 and the result, in words), queued in the
outbox (`motcua.notifications`) by the dossier services INSIDE their transaction, after their
event. Each has a dedupe key: a notice is written once per fact, whoever calls twice."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone

from motcua.dossiers.models import Apology, Dossier, SupplementRequest
from motcua.notifications import defaults
from motcua.notifications.channels import has_attachment_renderer
from motcua.notifications.models import Message
from motcua.notifications.services import (
    Recipient,
    applicant_channel,
    instant_key,
    queue_message,
    site_url,
)


def lookup_link(code: str) -> str:
    """The portal's look-up page with ``code`` filled in (never the secret: servers log URLs),
    absolute under the public base URL (`MOTCUA_SITE_URL`); "" when none is configured."""
    base = site_url("portal:lookup")
    return f"{base}?{urlencode({'ma': code})}" if base else ""


def dossier_context(dossier: Dossier) -> dict[str, Any]:
    """The variables every dossier notice may use (`motcua.notifications.defaults` names them)."""
    applicant = getattr(dossier, "applicant", None)
    unit = dossier.unit
    return {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "unit": unit.name,
        "unit_address": getattr(unit, "address", ""),
        "applicant_name": applicant.name if applicant is not None else "",
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "original_due_at": getattr(dossier, "original_due_at", None),
        "lookup_url": lookup_link(dossier.code),
        "office_url": site_url("office:dossier", dossier.code),
    }


def notify_applicant(
    *,
    dossier: Dossier,
    template_code: str,
    context: Mapping[str, Any] | None = None,
    channel: str | None = None,
    attachments: Sequence[Mapping[str, Any]] = (),
    dedupe_key: str | None = None,
) -> Message:
    """A notice about `dossier` to its applicant, through the channel they chose.

    `dossier` is a ``motcua.dossiers.models.Dossier`` (read: code, procedure.name, unit.name,
    unit.address, received_at, due_at, applicant.name/email/phone/notify_channel); `context` adds
    to (or overrides) :func:`dossier_context`.
    """
    applicant = getattr(dossier, "applicant", None)
    recipient = Recipient(
        name=getattr(applicant, "name", ""),
        email=getattr(applicant, "email", ""),
        phone=getattr(applicant, "phone", ""),
    )
    return queue_message(
        recipient=recipient,
        channel=channel or applicant_channel(applicant),
        template_code=template_code,
        context={**dossier_context(dossier), **(context or {})},
        dossier_id=dossier.pk,
        attachments=attachments,
        dedupe_key=dedupe_key,
    )


def notify_receipt(*, dossier: Dossier, secret: str = "", now: datetime | None = None) -> Message:
    """Mẫu 01 in words: the dossier was received; its code, look-up secret and appointment (an
    appointment already past — a dossier entered late — is not announced as one)."""
    due_at = dossier.due_at
    return notify_applicant(
        dossier=dossier,
        template_code=defaults.DOSSIER_RECEIVED,
        context={
            "secret": secret,
            "due_past": due_at is not None and due_at <= (now or timezone.now()),
        },
        dedupe_key=f"{defaults.DOSSIER_RECEIVED}:{dossier.pk}",
    )


def notify_supplement_request(*, dossier: Dossier, request: SupplementRequest) -> Message:
    """Mẫu 02 in words: what to bring, why. `request` is the SupplementRequest."""
    return notify_applicant(
        dossier=dossier,
        template_code=defaults.DOSSIER_SUPPLEMENT_REQUESTED,
        context={
            "items": list(request.items),
            "note": request.note,
            "requested_at": request.requested_at,
        },
        dedupe_key=f"{defaults.DOSSIER_SUPPLEMENT_REQUESTED}:{request.pk}",
    )


def notify_apology(
    *, dossier: Dossier, apology: Apology, signed_pdf: bytes | None = None
) -> Message:
    """Mẫu 04: the signed apology and, when it moved the appointment, the new date; by email the
    form goes along as a PDF: EXACTLY the stored signed bytes when given (kept in the outbox
    row, so that any worker on any machine sends them unchanged), else rendered by
    "dossier_form" (channels.py)."""
    extended = bool(apology.extension_applied)
    signer = apology.signed_by
    attachments: list[dict[str, Any]] = []
    if signed_pdf is not None:
        attachments.append(
            {
                "filename": f"mau-04-thu-xin-loi-{dossier.code}.pdf",
                "mimetype": "application/pdf",
                "content_b64": base64.b64encode(signed_pdf).decode("ascii"),
            }
        )
    elif has_attachment_renderer("dossier_form"):
        attachments.append(
            {
                "filename": f"mau-04-thu-xin-loi-{dossier.code}.pdf",
                "mimetype": "application/pdf",
                "renderer": "dossier_form",
                "params": {"dossier_id": dossier.pk, "form": "apology", "apology_id": apology.pk},
            }
        )
    return notify_applicant(
        dossier=dossier,
        template_code=defaults.DOSSIER_APOLOGY,
        context={
            "reason": apology.reason,
            # The appointment missed: before an extension, `original_due_at` (an extension moves
            # `due_at` only, once); otherwise the appointment the citizen holds.
            "due_at": dossier.original_due_at if extended else dossier.due_at,
            "new_due_at": apology.new_due_at if extended else None,
            "signed_by": signer.get_full_name() if signer is not None else "",
        },
        attachments=attachments,
        dedupe_key=f"{defaults.DOSSIER_APOLOGY}:{apology.pk}",
    )


def notify_result_ready(*, dossier: Dossier) -> Message:
    """The result (or the notice that the dossier is not eligible) is ready to collect; when
    an electronic copy of the result was issued (a ``result`` file of the dossier), the notice
    says it can be downloaded from the look-up."""
    electronic = dossier.files.filter(kind="result").exists()  # type: ignore[attr-defined]
    return notify_applicant(
        dossier=dossier,
        template_code=defaults.DOSSIER_READY,
        context={
            "ready_at": dossier.ready_at,
            "outcome": dossier.get_outcome_display(),
            "electronic_result": electronic,
        },
        dedupe_key=f"{defaults.DOSSIER_READY}:{dossier.pk}:{instant_key(dossier.ready_at)}",
    )
