"""``POST /api/v1/public/verify`` (API.md "Signatures"): is a signed PDF intact, who signed it
and when, is each chain trusted, and did MotCua issue it (its hash is registered)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from motcua.api.dossiers import answers
from motcua.signatures.verification import MAX_BYTES, NotAPdf, verify_pdf

router = Router(tags=["public"])


class SignatureOut(Schema):
    signer: str
    signed_at: datetime | None
    valid: bool
    trusted: bool
    covers_whole_file: bool


class VerificationOut(Schema):
    intact: bool
    registered: bool
    dossier_code: str | None
    signatures: list[SignatureOut]
    checks_not_done: list[str]


@router.post(
    "/verify",
    auth=None,
    response=answers({200: VerificationOut}, 422),
    summary="Verify a signed PDF (intact, signers, trust, issued by MotCua)",
)
def verify(request: HttpRequest, file: File[UploadedFile]) -> Any:
    if (file.size or 0) > MAX_BYTES:
        raise NotAPdf(_("Tệp lớn hơn 20 MB; hãy gửi tệp PDF đã ký."))
    return verify_pdf(file.read()).as_dict()
