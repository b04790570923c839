"""Pictures of a PDF's pages in the staff viewer (every browser shows them, also one without a
PDF viewer): rendered by PDFium from the stored bytes on both storages, only for the staff of
the dossier's unit, only for the pages the document has, never cached."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from motcua.documents import pictures
from motcua.documents.models import Document
from tests.documents.conftest import PNG, online_dossier, pdf_bytes, text_pdf

pytestmark = pytest.mark.django_db


def upload(client, dossier, name: str, data: bytes) -> Document:
    client.post(
        reverse("documents:upload", args=[dossier.code]),
        {"files": [SimpleUploadedFile(name, data)]},
    )
    return Document.objects.filter(dossier=dossier).latest("pk")


def dark_share(png: bytes) -> float:
    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    return sum(histogram[:128]) / (image.width * image.height)


def test_the_viewer_shows_every_page_as_a_picture_with_the_text_on_it(
    client, doc_storage, office, procedure
):
    d = online_dossier(procedure, office.ward)
    client.force_login(office.receptionist)
    doc = upload(client, d, "to-khai.pdf", text_pdf(2))
    assert doc.pages == 2
    viewer = client.get(reverse("documents:viewer", args=[d.code, doc.pk])).text
    for n in (1, 2):
        assert reverse("documents:page", args=[d.code, doc.pk, n]) in viewer
        assert f"Trang {n}/2 của to-khai.pdf" in viewer
    assert reverse("documents:page", args=[d.code, doc.pk, 3]) not in viewer
    answer = client.get(reverse("documents:page", args=[d.code, doc.pk, 2]))
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    assert "no-store" in answer["Cache-Control"]
    png = answer.content
    assert Image.open(io.BytesIO(png)).width == pictures.WIDTH
    assert 0.002 < dark_share(png) < 0.5  # the text is drawn: neither blank nor black


def test_pages_it_does_not_have_other_units_and_pictures_of_images_are_404(
    client, doc_storage, office, procedure
):
    d = online_dossier(procedure, office.ward)
    client.force_login(office.receptionist)
    doc = upload(client, d, "ks.pdf", pdf_bytes(1))
    image = upload(client, d, "anh.png", PNG)
    for page in (0, 2, 10**6):
        assert client.get(reverse("documents:page", args=[d.code, doc.pk, page])).status_code == 404
    assert client.get(reverse("documents:page", args=[d.code, image.pk, 1])).status_code == 404
    assert client.get(reverse("documents:page", args=[d.code, doc.pk, 1])).status_code == 200
    client.force_login(office.outsider)
    assert client.get(reverse("documents:page", args=[d.code, doc.pk, 1])).status_code == 404
    client.logout()
    assert client.get(reverse("documents:page", args=[d.code, doc.pk, 1])).status_code == 302


def test_a_long_pdf_shows_its_first_pages_and_says_how_many_are_left(
    client, doc_storage, office, procedure
):
    d = online_dossier(procedure, office.ward)
    client.force_login(office.receptionist)
    doc = upload(client, d, "dai.pdf", pdf_bytes(pictures.PAGES_SHOWN + 4))
    viewer = client.get(reverse("documents:viewer", args=[d.code, doc.pk])).text
    assert viewer.count('class="doc-page"') == pictures.PAGES_SHOWN
    assert "Còn 4 trang nữa: hãy mở bằng trình xem PDF của trình duyệt." in viewer
    last = reverse("documents:page", args=[d.code, doc.pk, pictures.PAGES_SHOWN + 1])
    assert client.get(last).status_code == 404


def test_stored_bytes_pdfium_cannot_open_answer_404_not_500(client, doc_storage, office, procedure):
    from motcua.documents import storage

    d = online_dossier(procedure, office.ward)
    client.force_login(office.receptionist)
    doc = upload(client, d, "hong.pdf", pdf_bytes(1))
    storage.document_storage().delete(doc.storage_key)
    storage.save(doc.storage_key, io.BytesIO(b"%PDF-1.7 this is not a PDF any more"))
    assert client.get(reverse("documents:page", args=[d.code, doc.pk, 1])).status_code == 404
    assert client.get(reverse("documents:viewer", args=[d.code, doc.pk])).status_code == 200
