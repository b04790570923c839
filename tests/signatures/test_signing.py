"""sign_pdf with each kind of key, checked by pyHanko's own validator; verification of a
changed byte, of another CA's certificate and of bad input."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from weasyprint import HTML

from motcua.core.errors import InvalidInput
from motcua.signatures import pki
from motcua.signatures.backends import SigningFailed
from motcua.signatures.fake_remote import FakeRemoteSigningServer
from motcua.signatures.services import Identity, sign_pdf
from motcua.signatures.verification import verify_pdf
from tests.signatures.conftest import LEADER, pkcs12_spec, remote_spec

pytestmark = pytest.mark.django_db

PAGE = (
    "<html><body><p>Kết quả giải quyết thủ tục hành chính</p>"
    '<div id="chu-ky" style="margin-top:60mm;width:76mm;height:29mm"></div></body></html>'
)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return bytes(HTML(string=PAGE).write_pdf())


def leader(spec: dict) -> Identity:
    return Identity(key=spec, name=LEADER, position="Chủ tịch UBND", unit="Phường Hoàn Kiếm Thử")


def pyhanko_status(data: bytes, ca: pki.Issued):
    from asn1crypto import x509
    from pyhanko.keys import load_cert_from_pemder  # noqa: F401  (same loader as the service)

    (sig,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    root = x509.Certificate.load(ca.cert.public_bytes(pki.serialization.Encoding.DER))
    return validate_pdf_signature(sig, ValidationContext(trust_roots=[root]))


def test_each_kind_of_key_signs_a_pdf_that_pyhanko_finds_intact_valid_trusted_and_whole(
    pdf, leader_key, demo_ca
):
    signed = sign_pdf(pdf, signer=leader(leader_key), verify_code="ABCDEF0123456789")
    status = pyhanko_status(signed, demo_ca)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == LEADER
    report = verify_pdf(signed)
    assert report.intact and [
        (s.signer, s.valid, s.trusted, s.covers_whole_file) for s in report.signatures
    ] == [(LEADER, True, True, True)]


def test_one_changed_byte_makes_the_file_modified(pdf, demo_ca, leader_cert, tmp_path):
    signed = bytearray(sign_pdf(pdf, signer=leader(pkcs12_spec(leader_cert, demo_ca, tmp_path))))
    at = signed.index(b"Contents") // 2  # inside the signed range, well before the signature
    signed[at] = signed[at] ^ 0x01
    report = verify_pdf(bytes(signed))
    assert not report.intact
    assert not report.signatures[0].valid


def test_bytes_added_after_the_signature_are_reported(pdf, demo_ca, leader_cert, tmp_path):
    signed = sign_pdf(pdf, signer=leader(pkcs12_spec(leader_cert, demo_ca, tmp_path)))
    report = verify_pdf(signed + b"\n% appended\n")
    assert not report.intact and not report.signatures[0].covers_whole_file


def test_a_certificate_of_another_ca_is_valid_but_not_trusted(pdf, tmp_path):
    other = pki.make_ca("Some Other CA")
    spec = pkcs12_spec(pki.issue(other, "Người Lạ"), other, tmp_path)
    report = verify_pdf(sign_pdf(pdf, signer=leader(spec)))
    assert report.intact
    assert [(s.valid, s.trusted) for s in report.signatures] == [(True, False)]
    assert "revocation" in report.checks_not_done


def test_an_unsigned_pdf_and_a_file_that_is_not_a_pdf(pdf):
    report = verify_pdf(pdf)
    assert (report.intact, report.signatures, report.registered) == (False, [], False)
    for junk in (b"", b"GIF89a", "\ud800".encode("utf-8", "surrogatepass"), b"%PDF-1.7\n garbage"):
        with pytest.raises(InvalidInput) as error:
            verify_pdf(junk)
        assert error.value.status == 422 and "PDF" in error.value.message


def test_a_wrong_passphrase_says_so_and_never_shows_it(pdf, demo_ca, leader_cert, tmp_path):
    spec = {**pkcs12_spec(leader_cert, demo_ca, tmp_path), "passphrase": "sai-mat-khau"}
    with pytest.raises(SigningFailed) as error:
        sign_pdf(pdf, signer=leader(spec))
    assert "mật khẩu" in error.value.message and "sai-mat-khau" not in error.value.message
    assert "sai-mat-khau" not in repr(leader(spec))


def test_a_refusal_on_the_phone_is_a_signing_failure_with_the_reason(
    pdf, demo_ca, leader_cert, tmp_path
):
    with FakeRemoteSigningServer({"lanhdao": leader_cert.key}, token="t", mode="refuse") as server:
        spec = {**remote_spec(server, leader_cert, demo_ca, tmp_path), "token": "t"}
        with pytest.raises(SigningFailed, match="từ chối"):
            sign_pdf(pdf, signer=leader(spec))
        assert (
            len(server.seen_hashes) == 1 and len(server.seen_hashes[0]) == 32
        )  # a hash, not the PDF


def test_a_wrong_token_for_the_remote_service_is_refused(
    pdf, demo_ca, leader_cert, tmp_path, remote_server
):
    spec = {**remote_spec(remote_server, leader_cert, demo_ca, tmp_path), "token": "sai"}
    with pytest.raises(SigningFailed, match="dịch vụ ký từ xa"):
        sign_pdf(pdf, signer=leader(spec))
