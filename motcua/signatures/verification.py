"""Verification of a signed PDF (the page /xac-thuc/ and ``POST /api/v1/public/verify``): is it
intact, who signed and when, does each chain reach a configured trust root, does the last
signature cover the whole file, and did MotCua issue it (its SHA-256 is registered)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import InvalidInput
from motcua.signatures import demo
from motcua.signatures.backends import config, outside_event_loop
from motcua.signatures.models import SignedFile

MAX_BYTES = 20 * 1024 * 1024
CHECKS = {
    "revocation": gettext_lazy("tình trạng thu hồi chứng thư (OCSP/CRL)"),
    "timestamp": gettext_lazy("dấu thời gian của bên thứ ba"),
}


class NotAPdf(InvalidInput):
    code = "not_a_pdf"


@dataclass
class SignatureReport:
    signer: str
    signed_at: datetime | None
    valid: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool


@dataclass
class Verification:
    sha256: str
    intact: bool
    registered: bool
    dossier_code: str | None
    kind: str | None
    signatures: list[SignatureReport] = field(default_factory=list)
    checks_not_done: list[str] = field(default_factory=list)

    @property
    def checks_not_done_labels(self) -> list[str]:
        return [str(CHECKS.get(c, c)) for c in self.checks_not_done]

    def as_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "registered": self.registered,
            "dossier_code": self.dossier_code,
            "signatures": [
                {
                    "signer": s.signer,
                    "signed_at": s.signed_at,
                    "valid": s.valid,
                    "trusted": s.trusted,
                    "covers_whole_file": s.covers_whole_file,
                }
                for s in self.signatures
            ],
            "checks_not_done": self.checks_not_done,
        }


def trust_roots() -> list[Any]:
    from pyhanko.keys import load_cert_from_pemder

    conf = config()
    paths = list(conf.get("trust_roots") or [])
    if conf.get("trust_demo"):
        paths.append(str(demo.ca_pem_path()))
    return [load_cert_from_pemder(p) for p in paths]


def _validation_context() -> Any:
    from pyhanko_certvalidator import ValidationContext

    online = bool(config().get("revocation"))
    return ValidationContext(
        trust_roots=trust_roots(),
        allow_fetching=online,
        revocation_mode="hard-fail" if online else "soft-fail",
    )


def _signer_name(status: Any) -> str:
    cert = status.signing_cert
    if cert is None:
        return ""
    try:
        return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)
    except Exception:  # a malformed name must not turn into a 500
        return ""


def verify_pdf(data: bytes) -> Verification:
    """The report of ``data`` (see the module's doc). NotAPdf (422) for anything that is not a
    readable PDF."""
    if not data.startswith(b"%PDF-") or len(data) > MAX_BYTES:
        raise NotAPdf(_("Tệp không phải là PDF (hoặc lớn hơn 20 MB); hãy chọn tệp PDF đã ký."))
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        raise NotAPdf(_("Không đọc được tệp PDF: tệp bị hỏng hoặc không phải PDF.")) from exc
    digest = hashlib.sha256(data).hexdigest()
    row = SignedFile.objects.filter(sha256=digest).values("dossier_code", "kind").first()
    report = Verification(
        sha256=digest,
        intact=bool(embedded),
        registered=row is not None,
        dossier_code=(row["dossier_code"] or None) if row else None,
        kind=row["kind"] if row else None,
    )
    if not config().get("revocation"):
        report.checks_not_done.append("revocation")
    report.checks_not_done.append("timestamp")
    context = _validation_context()
    for sig in embedded:
        try:
            status = outside_event_loop(
                validate_pdf_signature, sig, signer_validation_context=context
            )
        except Exception:  # a broken signature dictionary is "not intact", never a 500
            report.intact = False
            report.signatures.append(
                SignatureReport(
                    "", None, valid=False, intact=False, trusted=False, covers_whole_file=False
                )
            )
            continue
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        item = SignatureReport(
            signer=_signer_name(status),
            signed_at=getattr(status, "signer_reported_dt", None),
            valid=bool(status.valid and status.intact),
            intact=bool(status.intact),
            trusted=bool(status.trusted),
            covers_whole_file=whole,
        )
        report.signatures.append(item)
        if not status.intact or not status.valid:
            report.intact = False
    if report.signatures and not report.signatures[-1].covers_whole_file:
        # Bytes were added after the last signature: what is shown is not what was signed.
        report.intact = False
    return report


def lookup_code(code: str) -> SignedFile | None:
    """The signed file a QR code's ``ma`` names (its hash, kind and dossier code)."""
    code = (code or "").strip().upper()
    if not code or len(code) > 24 or not code.isascii() or not code.isalnum():
        return None
    return SignedFile.objects.filter(code=code).first()
