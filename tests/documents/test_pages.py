"""The office's document parts: the papers on the dossier page, the viewer, the counter's scans,
the check, the acceptance refusal, the reuse offer, the result form and the results register."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.documents.models import Document, DocumentEvent, ProcedureDocumentRules
from motcua.dossiers.services import accept_dossier
from tests.documents.conftest import PNG, online_dossier, pdf_bytes
from tests.documents.test_services import _ready

pytestmark = pytest.mark.django_db


def dossier_page(client, d):
    return client.get(reverse("office:dossier", args=[d.code]))


def test_the_desk_scans_papers_sees_them_previews_and_checks_them(
    client, doc_storage, office, procedure
):
    d = online_dossier(procedure, office.ward)
    client.force_login(office.receptionist)
    page = dossier_page(client, d).text
    assert (
        "Giấy tờ và tệp của hồ sơ" in page
        and 'capture="environment"' in page
        and "multiple" in page
    )
    assert "các giấy tờ bắt buộc sau chưa có tệp" in page  # what blocks the acceptance
    paper = procedure.documents.get(name="Giấy khai sinh")
    answer = client.post(
        reverse("documents:upload", args=[d.code]),
        {
            "paper": paper.pk,
            "files": [
                SimpleUploadedFile("trang1.png", PNG),
                SimpleUploadedFile("ks.pdf", pdf_bytes(2)),
            ],
        },
    )
    assert answer.status_code == 302
    docs = list(Document.objects.filter(dossier=d).order_by("pk"))
    assert [(x.name, x.kind, x.source, x.paper_id) for x in docs] == [
        ("trang1.png", "scan", "counter", paper.pk),
        ("ks.pdf", "scan", "counter", paper.pk),
    ]
    page = dossier_page(client, d).text
    assert "ks.pdf" in page and "2 trang" in page
    viewer = client.get(reverse("documents:viewer", args=[d.code, docs[1].pk]))
    assert (
        viewer.status_code == 200
        and reverse("documents:page", args=[d.code, docs[1].pk, 1]) in viewer.text
        and "no-store" in viewer["Cache-Control"]
    )
    inline = client.get(reverse("documents:content", args=[d.code, docs[1].pk]))
    assert (
        inline["Content-Disposition"].startswith("inline")
        and inline["X-Frame-Options"] == "SAMEORIGIN"
    )
    client.post(reverse("documents:check", args=[d.code, docs[1].pk]))
    assert Document.objects.get(pk=docs[1].pk).checked_by == office.receptionist
    assert "đã đối chiếu bản chính (" in dossier_page(client, d).text


def test_a_bad_scan_is_refused_with_its_name_and_nothing_stored(
    client, doc_storage, office, procedure
):
    d = online_dossier(procedure, office.ward)
    client.force_login(office.receptionist)
    answer = client.post(
        reverse("documents:upload", args=[d.code]),
        {"files": [SimpleUploadedFile("tot.png", PNG), SimpleUploadedFile("virus.pdf", b"MZ\x90")]},
        follow=True,
    )
    assert "Tệp “virus.pdf”: không phải tệp PDF" in answer.text
    assert not Document.objects.exists()


def test_another_unit_gets_404_everywhere(client, doc_storage, office, procedure):
    d = online_dossier(procedure, office.ward)
    client.force_login(office.receptionist)
    client.post(
        reverse("documents:upload", args=[d.code]), {"files": [SimpleUploadedFile("a.png", PNG)]}
    )
    doc = Document.objects.get()
    client.force_login(office.outsider)
    assert client.get(reverse("documents:viewer", args=[d.code, doc.pk])).status_code == 404
    assert client.get(reverse("documents:content", args=[d.code, doc.pk])).status_code == 404
    assert (
        client.post(
            reverse("documents:upload", args=[d.code]),
            {"files": [SimpleUploadedFile("b.png", PNG)]},
        ).status_code
        == 404
    )
    assert Document.objects.count() == 1


def test_the_result_goes_in_the_register_which_exports_to_excel(
    client, doc_storage, office, procedure
):
    from openpyxl import load_workbook

    ProcedureDocumentRules.objects.create(procedure=procedure, originals_later=True)
    d = online_dossier(procedure, office.ward)
    accept_dossier(dossier_id=d.pk, actor=office.receptionist)
    client.force_login(office.leader)
    answer = client.post(
        reverse("documents:result", args=[d.code]),
        {
            "file": SimpleUploadedFile("kq.pdf", pdf_bytes()),
            "issued_on": "2026-12-01",
            "expires_on": "2031-12-01",
            "title": "Giấy khai sinh",
        },
    )
    assert answer.status_code == 302
    assert f'href="{reverse("documents:register")}"' in dossier_page(client, d).text  # in the menu
    register = client.get(reverse("documents:register"), {"q": "khai sinh"})
    assert f"{d.code}-KQ1" in register.text and "Nguyễn Văn An" in register.text
    assert f"{d.code}-KQ1" not in client.get(reverse("documents:register"), {"q": "không có"}).text
    xlsx = client.get(reverse("documents:register"), {"xuat": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.cell(row=2, column=1).value == f"{d.code}-KQ1"
    bad = client.post(
        reverse("documents:result", args=[d.code]),
        {"file": SimpleUploadedFile("kq.pdf", pdf_bytes()), "issued_on": "9999-99-99"},
        follow=True,
    )
    assert "ngày cấp" in bad.text and Document.objects.filter(kind="result").count() == 1


def test_the_same_persons_result_is_offered_and_reused_with_one_click(
    client, doc_storage, office, procedure
):
    from datetime import date

    from motcua.documents.services import register_result

    ProcedureDocumentRules.objects.create(procedure=procedure, originals_later=True)
    first = online_dossier(procedure, office.ward)
    accept_dossier(dossier_id=first.pk, actor=office.receptionist)
    register_result(
        dossier_id=first.pk,
        data=pdf_bytes(),
        name="kq.pdf",
        issued_on=date(2026, 12, 1),
        actor=office.leader,
        title="Giấy khai sinh",
    )
    _ready(first, office)
    second = online_dossier(procedure, office.ward)
    client.force_login(office.receptionist)
    page = dossier_page(client, second).text
    assert f"đã có: Giấy khai sinh — kết quả hồ sơ {first.code}" in page
    assert DocumentEvent.objects.filter(dossier=second, kind="offers_viewed").exists()
    client.force_login(office.specialist)
    assert "đã có: Giấy khai sinh" not in dossier_page(client, second).text
    client.force_login(office.receptionist)
    doc = Document.objects.get(dossier=first, kind="result")
    client.post(
        reverse("documents:reuse", args=[second.code]),
        {"document": doc.pk, "paper": procedure.documents.get(name="Giấy khai sinh").pk},
    )
    assert Document.objects.get(dossier=second, source="reused").reused_from == doc
    assert "Dùng lại “Giấy khai sinh” từ hồ sơ" in dossier_page(client, second).text
    client.force_login(office.leader)
    assert "được dùng lại cho hồ sơ" in dossier_page(client, first).text


def test_odd_digits_and_far_dates_answer_with_a_message_never_a_500(
    client, doc_storage, office, procedure
):
    d = online_dossier(procedure, office.ward)
    client.force_login(office.receptionist)
    scan = client.post(
        reverse("documents:upload", args=[d.code]),
        {"paper": "²", "files": [SimpleUploadedFile("a.png", PNG)]},
    )
    assert scan.status_code == 302 and Document.objects.get().paper_id is None
    assert (
        client.post(reverse("documents:reuse", args=[d.code]), {"document": "²"}).status_code == 404
    )
    assert (
        client.post(reverse("documents:reuse", args=[d.code]), {"document": "١٢"}).status_code
        == 404
    )
    register = client.get(
        reverse("documents:register") + "?tu=0001-01-01&den=9999-12-31&q=%ED%A0%80"
    )
    assert register.status_code == 200
    client.force_login(office.leader)
    far = client.post(
        reverse("documents:result", args=[d.code]),
        {
            "file": SimpleUploadedFile("kq.pdf", pdf_bytes()),
            "issued_on": "9999-12-31",
            "expires_on": "0001-01-01",
        },
        follow=True,
    )
    assert far.status_code == 200 and "không được trước ngày cấp" in far.text
    assert not Document.objects.filter(kind="result").exists()
