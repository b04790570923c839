"""The result of a dossier signed for real (issue 16, D14): the leader's step "Ký cấp kết quả"
signs every result PDF of the dossier with each kind of key (and the unit's seal when it has
one); the signed bytes are the result Document, registered for verification, never signed
again. A missing key or a failed signature leaves the step open and the draft unchanged."""

from __future__ import annotations

import hashlib
import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from weasyprint import HTML

from motcua.documents import storage
from motcua.documents.models import Document, ResultRecord
from motcua.documents.services import register_result
from motcua.dossiers.models import DossierStep, StepStatus
from motcua.dossiers.services import complete_step
from motcua.signatures import pki
from motcua.signatures.backends import SigningFailed, SigningKeyMissing
from motcua.signatures.models import SignedFile
from motcua.signatures.verification import verify_pdf
from tests.dossiers.helpers import at, procedure_with, receive
from tests.signatures.conftest import LEADER, pkcs12_spec

pytestmark = pytest.mark.django_db

NOW = at(19, 10)
RESULT_HTML = (
    "<html><body><h1>Giấy chứng nhận kết quả</h1><p>Cấp cho Ông Nguyễn Văn Dân.</p>"
    '<div id="chu-ky" style="margin-top:60mm;width:76mm;height:29mm"></div></body></html>'
)


@pytest.fixture(scope="module")
def result_pdf() -> bytes:
    return bytes(HTML(string=RESULT_HTML).write_pdf())


@pytest.fixture
def dossier(office):
    procedure = procedure_with(
        units=[office.ward],
        code="9.990016",
        steps=[
            ("Tiếp nhận hồ sơ", "receptionist", "0.5"),
            ("Thẩm định hồ sơ", "specialist", "2"),
            ("Ký cấp kết quả", "leader", "1"),
            ("Đóng dấu, chuyển Bộ phận Một cửa", "receptionist", "0.5"),
            ("Trả kết quả", "receptionist", "0"),
        ],
    )
    dossier = receive(office, procedure, now=at(19, 8)).dossier
    complete_step(dossier_id=dossier.pk, actor=office.receptionist, now=at(19, 8, 30))
    complete_step(dossier_id=dossier.pk, actor=office.specialist, now=at(19, 9))
    return dossier


@pytest.fixture
def draft(office, dossier, result_pdf) -> Document:
    return register_result(
        dossier_id=dossier.pk,
        data=result_pdf,
        name="giay-chung-nhan.pdf",
        issued_on=NOW.date(),
        actor=office.specialist,
    )


def validate(data: bytes, ca: pki.Issued) -> list:
    from asn1crypto import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    root = x509.Certificate.load(ca.cert.public_bytes(Encoding.DER))
    return [
        validate_pdf_signature(sig, ValidationContext(trust_roots=[root]))
        for sig in PdfFileReader(io.BytesIO(data)).embedded_signatures
    ]


def stored_bytes(doc: Document) -> bytes:
    return b"".join(storage.chunks(doc.storage_key))


def leader_step(dossier) -> DossierStep:
    return DossierStep.objects.get(dossier=dossier, name="Ký cấp kết quả")


def test_the_leaders_step_signs_the_result_with_each_kind_of_key(
    office, dossier, draft, leader_key, use_key, demo_ca, django_capture_on_commit_callbacks
):
    use_key("lanhdao", leader_key)
    unsigned_key = draft.storage_key
    with django_capture_on_commit_callbacks(execute=True):
        complete_step(dossier_id=dossier.pk, actor=office.leader, now=NOW)

    doc = Document.objects.get(pk=draft.pk)
    assert (doc.kind, doc.source, doc.signed) == ("result", "issued", True)
    data = stored_bytes(doc)
    assert hashlib.sha256(data).hexdigest() == doc.sha256 and doc.size == len(data)
    (status,) = validate(data, demo_ca)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == LEADER
    registered = SignedFile.objects.get(kind="result", subject_id=doc.pk)
    assert registered.sha256 == doc.sha256 and registered.dossier_code == dossier.code
    report = verify_pdf(data)
    assert report.registered and report.dossier_code == dossier.code and report.kind == "result"
    assert [(s.signer, s.trusted, s.covers_whole_file) for s in report.signatures] == [
        (LEADER, True, True)
    ]
    # the register line keeps pointing at the result, now signed; the draft's bytes are gone
    assert ResultRecord.objects.get(dossier=dossier).document_id == doc.pk
    assert not storage.exists(unsigned_key)
    assert leader_step(dossier).status == StepStatus.DONE


def test_the_units_seal_is_a_second_signature_both_trusted(
    office, dossier, draft, use_key, settings, demo_ca, leader_cert, tmp_path
):
    use_key("lanhdao", pkcs12_spec(leader_cert, demo_ca, tmp_path))
    seal_dir = tmp_path / "seal"
    seal_dir.mkdir()
    seal = pki.issue(demo_ca, office.ward.name, org=office.ward.name)
    settings.SIGNATURES = {
        **settings.SIGNATURES,
        "keys": {
            **settings.SIGNATURES["keys"],
            f"unit:{office.ward.code}": pkcs12_spec(seal, demo_ca, seal_dir),
        },
    }
    complete_step(dossier_id=dossier.pk, actor=office.leader, now=NOW)
    data = stored_bytes(Document.objects.get(pk=draft.pk))
    first, second = validate(data, demo_ca)
    assert all(s.intact and s.valid and s.trusted for s in (first, second))
    assert first.signing_cert.subject.native["common_name"] == LEADER
    assert second.signing_cert.subject.native["common_name"] == office.ward.name
    assert second.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_a_leader_without_a_key_cannot_complete_the_step_and_nothing_changes(
    office, dossier, draft, settings
):
    settings.SIGNATURES = {**settings.SIGNATURES, "demo_fallback": False}
    with pytest.raises(SigningKeyMissing):
        complete_step(dossier_id=dossier.pk, actor=office.leader, now=NOW)
    doc = Document.objects.get(pk=draft.pk)
    assert (doc.signed, doc.storage_key, doc.sha256) == (False, draft.storage_key, draft.sha256)
    assert storage.exists(draft.storage_key)
    assert leader_step(dossier).status == StepStatus.ACTIVE
    assert not SignedFile.objects.exists()


def test_a_failed_signature_leaves_the_step_open(office, dossier, draft, use_key, tmp_path):
    use_key("lanhdao", {"backend": "pkcs12", "path": str(tmp_path / "none.p12")})
    with pytest.raises(SigningFailed):
        complete_step(dossier_id=dossier.pk, actor=office.leader, now=NOW)
    assert not Document.objects.get(pk=draft.pk).signed
    assert leader_step(dossier).status == StepStatus.ACTIVE


def test_only_the_signing_step_signs_and_a_signed_result_is_never_signed_again(
    office, dossier, draft, result_pdf
):
    # the specialist's step already completed without signing anything (fixture)
    assert not Document.objects.get(pk=draft.pk).signed
    complete_step(dossier_id=dossier.pk, actor=office.leader, now=NOW)
    signed = Document.objects.get(pk=draft.pk)
    assert signed.signed
    # a later step (the desk stamping and handing on the result) signs nothing again
    complete_step(dossier_id=dossier.pk, actor=office.receptionist, now=at(19, 10, 10))
    assert Document.objects.get(pk=draft.pk).sha256 == signed.sha256
    assert SignedFile.objects.filter(kind="result").count() == 1


def test_a_dossier_without_an_electronic_result_completes_the_step_unsigned(office, dossier):
    complete_step(dossier_id=dossier.pk, actor=office.leader, now=NOW)
    assert leader_step(dossier).status == StepStatus.DONE
    assert not SignedFile.objects.exists()
