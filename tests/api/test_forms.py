"""GET /api/v1/dossiers/{code}/forms/{form}: the official forms as PDF, read back."""

import io

import pytest
from pypdf import PdfReader

from motcua.access.services import issue_token
from tests.dossiers.helpers import receive
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def _get(client, staff, path):
    token = issue_token(staff=staff)[0]
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_receipt_is_a_pdf_with_the_code_the_applicant_and_the_appointment(client, office):
    procedure = make_procedure(units=[office.ward])
    created = receive(office, procedure)
    answer = _get(
        client, office.receptionist, f"/api/v1/dossiers/{created.dossier.code}/forms/receipt"
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    assert created.dossier.code in text
    assert "Nguyễn Văn An" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text.upper()


def test_an_unknown_form_is_404_and_another_units_dossier_is_404(client, office):
    procedure = make_procedure(units=[office.ward])
    code = receive(office, procedure).dossier.code
    unknown = _get(client, office.receptionist, f"/api/v1/dossiers/{code}/forms/mau-99")
    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/problem+json"
    outsider = _get(client, office.outsider, f"/api/v1/dossiers/{code}/forms/receipt")
    assert outsider.status_code == 404


def test_a_form_that_does_not_exist_yet_is_409_with_the_reason(client, office):
    procedure = make_procedure(units=[office.ward])
    code = receive(office, procedure).dossier.code
    answer = _get(client, office.receptionist, f"/api/v1/dossiers/{code}/forms/apology")
    assert answer.status_code == 409
    assert answer.json()["detail"]
