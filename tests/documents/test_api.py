"""The documents endpoints of API.md ("Documents") over real HTTP requests through Django's
test client, on both storages; the citizen's results through the secret."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.documents.models import Document, DocumentEvent, ProcedureDocumentRules
from motcua.dossiers.services import accept_dossier, lookup_secret_of
from tests.documents.conftest import PNG, online_dossier, pdf_bytes
from tests.documents.test_services import _ready

pytestmark = pytest.mark.django_db
API = "/api/v1"


def staff_client(staff) -> Client:
    c = Client()
    c.force_login(staff)
    return c


def upload(client, code, data=PNG, name="quet.png", **form):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"{API}/dossiers/{code}/documents",
        {"file": SimpleUploadedFile(name, data), "kind": "scan", **form},
    )


def test_upload_list_content_and_check(doc_storage, office, procedure):
    d = online_dossier(procedure, office.ward)
    desk = staff_client(office.receptionist)
    paper = procedure.documents.get(name="Giấy khai sinh")
    answer = upload(desk, d.code, pdf_bytes(2), "Giấy khai sinh của bé.pdf", paper=paper.pk)
    assert answer.status_code == 201, answer.content
    doc = answer.json()
    assert doc["paper"] == {"id": paper.pk, "name": "Giấy khai sinh"}
    assert (doc["kind"], doc["source"], doc["pages"], doc["checked"]) == (
        "scan",
        "counter",
        2,
        None,
    )
    listed = desk.get(f"{API}/dossiers/{d.code}/documents").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == doc["id"]
    content = desk.get(f"{API}/dossiers/{d.code}/documents/{doc['id']}/content")
    assert content.status_code == 200
    body = b"".join(
        desk.get(f"{API}/dossiers/{d.code}/documents/{doc['id']}/content").streaming_content
    )
    assert body.startswith(b"%PDF") and len(body) == doc["size"]
    assert content["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''Gi%E1%BA%A5y%20khai%20sinh" in content["Content-Disposition"]
    assert "no-store" in content["Cache-Control"]
    checked = desk.post(f"{API}/dossiers/{d.code}/documents/{doc['id']}/check")
    assert checked.status_code == 200 and checked.json()["checked"]["by"] == "tiepnhan"
    assert desk.post(f"{API}/dossiers/{d.code}/documents/{doc['id']}/check").status_code == 409


def test_bad_files_answer_422_naming_the_file(doc_storage, office, procedure):
    d = online_dossier(procedure, office.ward)
    desk = staff_client(office.receptionist)
    for data, name, why in [
        (b"", "rong.pdf", "0 byte"),
        (b"MZ\x90 not a pdf", "a.pdf", "không phải tệp PDF"),
        (b"%PDF-1.7 broken", "hong.pdf", "bị hỏng"),
    ]:
        answer = upload(desk, d.code, data, name)
        assert answer.status_code == 422
        problem = answer.json()
        assert (
            problem["code"] == "file_refused"
            and name in problem["detail"]
            and why in problem["detail"]
        )
    assert not Document.objects.exists()


def test_another_units_staff_get_404_on_list_content_and_upload(doc_storage, office, procedure):
    d = online_dossier(procedure, office.ward)
    desk = staff_client(office.receptionist)
    doc = upload(desk, d.code).json()
    outsider = staff_client(office.outsider)
    assert outsider.get(f"{API}/dossiers/{d.code}/documents").status_code == 404
    assert outsider.get(f"{API}/dossiers/{d.code}/documents/{doc['id']}/content").status_code == 404
    assert upload(outsider, d.code).status_code == 404
    assert outsider.post(f"{API}/dossiers/{d.code}/documents/{doc['id']}/check").status_code == 404
    assert Client().get(f"{API}/dossiers/{d.code}/documents").status_code == 401


@pytest.fixture
def with_result(doc_storage, office, procedure):
    ProcedureDocumentRules.objects.create(procedure=procedure, originals_later=True)
    d = online_dossier(procedure, office.ward)
    accept_dossier(dossier_id=d.pk, actor=office.receptionist)
    leader = staff_client(office.leader)
    answer = leader.post(
        f"{API}/dossiers/{d.code}/results",
        {
            "file": __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
                "Giấy khai sinh.pdf", pdf_bytes()
            ),
            "issued_on": "2026-12-01",
            "title": "Giấy khai sinh",
        },
    )
    assert answer.status_code == 201, answer.content
    return d, answer.json()


def test_the_citizen_gets_the_result_only_when_ready_and_with_the_secret(with_result, office):
    d, result = with_result
    secret = lookup_secret_of(d)
    public = Client()
    url = f"{API}/public/dossiers/{d.code}/results"
    assert public.post(url, {"secret": secret}, content_type="application/json").status_code == 404
    _ready(d, office)
    assert (
        public.post(url, {"secret": "SAI0-SAI0-SAI0"}, content_type="application/json").status_code
        == 404
    )
    assert (
        public.post(
            f"{API}/public/dossiers/H00-000000-0000/results",
            {"secret": secret},
            content_type="application/json",
        ).status_code
        == 404
    )
    listed = public.post(url, {"secret": secret}, content_type="application/json")
    assert listed.status_code == 200
    item = listed.json()["items"][0]
    assert item["number"] == f"{d.code}-KQ1" and secret not in item["content_url"]
    got = public.get(item["content_url"].replace("http://testserver", ""))
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    assert public.get(item["content_url"].replace("http://testserver", "") + "x").status_code == 404


def test_a_content_link_expires(with_result, office, settings):
    d, _result = with_result
    _ready(d, office)
    settings.MOTCUA_DOCUMENTS = {**settings.MOTCUA_DOCUMENTS, "LINK_SECONDS": -1}
    item = (
        Client()
        .post(
            f"{API}/public/dossiers/{d.code}/results",
            {"secret": lookup_secret_of(d)},
            content_type="application/json",
        )
        .json()["items"][0]
    )
    assert Client().get(item["content_url"].replace("http://testserver", "")).status_code == 404


def test_reuse_through_the_api_is_for_the_receiving_desk_and_logged(with_result, office, procedure):
    first, result = with_result
    _ready(first, office)
    second = online_dossier(procedure, office.ward)
    desk = staff_client(office.receptionist)
    url = f"{API}/people/001090000001/documents?for_dossier={second.code}"
    offers = desk.get(url)
    assert offers.status_code == 200
    item = offers.json()["items"][0]
    assert item["title"] == "Giấy khai sinh" and item["dossier_code"] == first.code
    assert DocumentEvent.objects.filter(dossier=second, kind="offers_viewed").count() == 1
    assert staff_client(office.leader).get(url).status_code == 404  # not the desk
    assert (
        desk.get(f"{API}/people/079000000999/documents?for_dossier={second.code}").status_code
        == 404
    )
    assert staff_client(office.outsider).get(url).status_code == 404
    reused = desk.post(
        f"{API}/dossiers/{second.code}/documents/reuse",
        {"document": item["document"]["id"], "paper": item["for_paper"]["id"]},
        content_type="application/json",
    )
    assert reused.status_code == 201 and reused.json()["source"] == "reused"
    assert DocumentEvent.objects.filter(dossier=first, kind="reused_elsewhere").count() == 1


def test_a_file_whose_bytes_are_gone_answers_404_with_why_never_a_broken_stream(
    doc_storage, office, procedure, caplog
):
    from django.urls import reverse

    from motcua.documents import storage

    d = online_dossier(procedure, office.ward)
    desk = staff_client(office.receptionist)
    doc = upload(desk, d.code, pdf_bytes(1), "mat.pdf").json()
    storage.delete(Document.objects.get(pk=doc["id"]).storage_key)  # lost outside MotCua
    answer = desk.get(f"{API}/dossiers/{d.code}/documents/{doc['id']}/content")
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("application/problem+json")
    assert "Không đọc được nội dung tệp “mat.pdf” trong kho lưu trữ" in answer.json()["detail"]
    assert "bytes are missing from the storage" in caplog.text
    page = desk.get(reverse("documents:content", args=[d.code, doc["id"]]), follow=True)
    assert page.status_code == 200
    assert "Không đọc được nội dung tệp “mat.pdf”" in page.content.decode()
    picture = desk.get(reverse("documents:page", args=[d.code, doc["id"], 1]))
    assert picture.status_code == 404
