"""The reception receipt (Mẫu 01) sealed by the unit (issue 16) when a seal key ``unit:<code>``
is configured, with each kind of key: signed once, stored, registered, served as stored; without
a seal it stays unsigned; a seal that fails leaves the desk a receipt, unsigned."""

from __future__ import annotations

import hashlib

import pytest
from pyhanko.sign.validation.status import SignatureCoverageLevel

from motcua.documents.models import Document
from motcua.dossiers.models import Dossier
from motcua.dossiers.official_forms import render_form_pdf
from motcua.dossiers.selectors import with_details
from motcua.signatures.models import SignedFile
from motcua.signatures.verification import verify_pdf
from tests.dossiers.helpers import at, receive
from tests.factories import make_procedure
from tests.signatures.conftest import LEADER
from tests.signatures.test_result import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(office):
    procedure = make_procedure(units=[office.ward])
    created = receive(office, procedure, now=at(19, 9)).dossier
    return with_details(Dossier.objects.filter(pk=created.pk)).get()


@pytest.fixture
def use_seal(settings, office):
    def configure(spec: dict) -> None:
        settings.SIGNATURES = {
            **settings.SIGNATURES,
            "keys": {**settings.SIGNATURES.get("keys", {}), f"unit:{office.ward.code}": spec},
        }

    return configure


def test_the_receipt_is_sealed_once_with_each_kind_of_key(dossier, leader_key, use_seal, demo_ca):
    use_seal(leader_key)  # the certificate of the fixtures' key (its name is the leader's)
    first = render_form_pdf(dossier, "receipt")
    (status,) = validate(first, demo_ca)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == LEADER
    stored = SignedFile.objects.get(kind="receipt", subject_id=dossier.pk)
    assert stored.sha256 == hashlib.sha256(first).hexdigest()
    assert stored.dossier_code == dossier.code
    report = verify_pdf(first)
    assert report.registered and report.kind == "receipt" and report.dossier_code == dossier.code
    # filed among the dossier's papers with exactly those bytes
    (doc,) = Document.objects.filter(dossier=dossier, kind="form")
    assert (doc.source, doc.signed, doc.sha256) == ("issued", True, stored.sha256)
    # never signed or rendered again: the same bytes, one registered file
    assert render_form_pdf(dossier, "receipt") == first
    assert SignedFile.objects.filter(kind="receipt").count() == 1
    assert Document.objects.filter(dossier=dossier, kind="form").count() == 1


def test_without_a_seal_the_receipt_is_unsigned(dossier):
    pdf = render_form_pdf(dossier, "receipt")
    assert b"/ByteRange" not in pdf and not SignedFile.objects.exists()


def test_a_failing_seal_still_gives_the_desk_an_unsigned_receipt(dossier, use_seal, tmp_path):
    use_seal({"backend": "pkcs12", "path": str(tmp_path / "none.p12")})
    pdf = render_form_pdf(dossier, "receipt")
    assert pdf.startswith(b"%PDF-") and b"/ByteRange" not in pdf
    assert not SignedFile.objects.exists()


def test_a_sealed_receipt_is_not_offered_for_reuse_in_the_same_persons_next_dossier(
    office, dossier, use_seal, demo_ca, leader_cert, tmp_path
):
    from motcua.documents.selectors import reuse_offers
    from tests.signatures.conftest import pkcs12_spec

    use_seal(pkcs12_spec(leader_cert, demo_ca, tmp_path))
    render_form_pdf(dossier, "receipt")
    assert Document.objects.filter(dossier=dossier, kind="form").exists()
    second = receive(office, dossier.procedure, now=at(20, 9)).dossier
    assert [o.document.kind for o in reuse_offers(second) if o.document.kind == "form"] == []
