"""Mẫu 04 signed for real (issue 16): signed once with each kind of key, stored and registered,
the e-mail attaches exactly those bytes, the gate opens on the signed letter, a refused or
failed signature changes nothing."""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.dossiers.errors import ApologyRequired
from motcua.dossiers.models import Apology, Event
from motcua.dossiers.official_forms import render_form_pdf
from motcua.dossiers.selectors import with_details
from motcua.dossiers.services import (
    complete_step,
    draft_apology,
    request_apology_signature,
    sign_apology,
)
from motcua.notifications.models import Message
from motcua.signatures.backends import SigningKeyMissing
from motcua.signatures.fake_remote import FakeRemoteSigningServer
from motcua.signatures.models import SignedFile, SigningRequest
from motcua.signatures.services import run_signing_request
from motcua.signatures.verification import verify_pdf
from tests.dossiers.helpers import at, on_paper
from tests.factories import make_procedure
from tests.signatures.conftest import LEADER, remote_spec

pytestmark = pytest.mark.django_db

NOW = at(9, 10, month=2)
PICTURES = Path(__file__).parent / "pictures"


@pytest.fixture
def apology(office):
    procedure = make_procedure(units=[office.ward])
    late = on_paper(office, procedure, received_at=at(19, 9), now=NOW, reason="Mất điện")
    return draft_apology(
        dossier_id=late.pk,
        actor=office.specialist,
        reason="Cần xác minh thông tin tại địa phương khác",
        new_due_at=at(13, 17, month=2),
        now=NOW,
    )


def trusted(data: bytes, ca):
    from asn1crypto import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    root = x509.Certificate.load(ca.cert.public_bytes(Encoding.DER))
    (sig,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    return validate_pdf_signature(sig, ValidationContext(trust_roots=[root]))


def test_the_leader_signs_the_apology_with_each_kind_of_key_once_and_the_mail_carries_those_bytes(
    office, apology, leader_key, use_key, demo_ca
):
    use_key("lanhdao", leader_key)
    first = apology.step
    with pytest.raises(ApologyRequired):
        complete_step(step_id=first.pk, actor=office.receptionist, now=NOW)
    signed = sign_apology(apology_id=apology.pk, actor=office.leader, now=NOW)
    assert signed.status == "signed"
    stored = SignedFile.objects.get(kind="apology", subject_id=apology.pk)
    data = stored.file.read()
    assert hashlib.sha256(data).hexdigest() == stored.sha256
    status = trusted(data, demo_ca)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    report = verify_pdf(data)
    assert (report.intact, report.registered, report.dossier_code) == (
        True,
        True,
        apology.dossier.code,
    )
    # The e-mail attaches exactly the stored bytes.
    message = Message.objects.get(template_code="dossier_apology", dossier_id=apology.dossier_id)
    (attachment,) = message.attachments
    sent = base64.b64decode(attachment["content_b64"])
    assert hashlib.sha256(sent).hexdigest() == stored.sha256
    # The gate opens on the signed letter; the form is the stored file, never rendered again.
    complete_step(step_id=first.pk, actor=office.receptionist, now=NOW)
    dossier = with_details(type(apology.dossier).objects.filter(pk=apology.dossier_id)).get()
    assert render_form_pdf(dossier, "apology", item_id=apology.pk) == data
    assert Event.objects.filter(dossier=apology.dossier, kind="apology_signed").count() == 1


def test_the_vietnamese_signature_box_renders_with_its_diacritics(office, apology, tmp_path):
    sign_apology(apology_id=apology.pk, actor=office.leader, now=NOW)
    data = SignedFile.objects.get(subject_id=apology.pk).file.read()
    pdf = tmp_path / "mau04.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext") or "pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
    ).stdout.decode()
    assert f"Ký bởi: {LEADER}" in text
    assert "Thủ trưởng cơ quan, đơn vị" in text and "Phường Hoàn Kiếm Thử" in text
    assert "+07:00" in text
    PICTURES.mkdir(exist_ok=True)
    subprocess.run(  # noqa: S603
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(PICTURES / "mau04-signed"),
        ],
        check=True,
    )
    assert any(PICTURES.glob("mau04-signed*.png"))


def test_a_refusal_on_the_phone_changes_nothing_and_says_why(
    office, apology, use_key, demo_ca, leader_cert, tmp_path
):
    with FakeRemoteSigningServer(
        {"lanhdao": leader_cert.key}, token="tok-thu", mode="refuse"
    ) as server:
        use_key("lanhdao", remote_spec(server, leader_cert, demo_ca, tmp_path))
        request = request_apology_signature(apology_id=apology.pk, actor=office.leader)
        assert request.status == "pending"
        done = run_signing_request(request.pk)
    assert done.status == "failed" and "từ chối" in done.error
    apology.refresh_from_db()
    assert apology.status == "draft" and apology.signed_at is None
    assert not SignedFile.objects.exists()
    assert not Event.objects.filter(kind="apology_signed").exists()
    assert not Message.objects.filter(template_code="dossier_apology").exists()
    # A new request may follow the failed one.
    assert request_apology_signature(apology_id=apology.pk, actor=office.leader).status == "pending"


def test_a_signing_request_completes_in_the_worker_and_cannot_be_doubled(
    office, apology, use_key, remote_server, demo_ca, leader_cert, tmp_path
):
    from motcua.signatures.services import SigningInProgress

    use_key("lanhdao", remote_spec(remote_server, leader_cert, demo_ca, tmp_path))
    request = request_apology_signature(apology_id=apology.pk, actor=office.leader)
    with pytest.raises(SigningInProgress):
        request_apology_signature(apology_id=apology.pk, actor=office.leader)
    done = run_signing_request(request.pk)
    assert done.status == "done" and done.signed_file is not None
    assert Apology.objects.get(pk=apology.pk).status == "signed"
    assert run_signing_request(request.pk).status == "done"  # a second run does nothing
    assert SignedFile.objects.count() == 1 and SigningRequest.objects.count() == 1


def test_a_leader_without_a_key_is_told_who_can_fix_it(office, apology, settings):
    settings.SIGNATURES = {**settings.SIGNATURES, "demo_fallback": False, "keys": {}}
    with pytest.raises(SigningKeyMissing, match="quản trị viên"):
        sign_apology(apology_id=apology.pk, actor=office.leader, now=NOW)
    with pytest.raises(SigningKeyMissing):
        request_apology_signature(apology_id=apology.pk, actor=office.leader)
    apology.refresh_from_db()
    assert apology.status == "draft" and not SigningRequest.objects.exists()


def test_the_signed_letter_is_filed_among_the_dossiers_papers_with_the_same_bytes(office, apology):
    from motcua.documents import storage
    from motcua.documents.models import Document
    from motcua.documents.selectors import papers_with_files

    sign_apology(apology_id=apology.pk, actor=office.leader, now=NOW)
    stored = SignedFile.objects.get(kind="apology", subject_id=apology.pk)
    doc = Document.objects.get(dossier_id=apology.dossier_id, kind="form")
    assert (doc.source, doc.signed, doc.sha256) == ("issued", True, stored.sha256)
    assert doc.paper_name == "Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)"
    assert b"".join(storage.chunks(doc.storage_key)) == stored.file.read()
    shown = [f.pk for group in papers_with_files(doc.dossier) for f in group.files]
    assert doc.pk in shown
