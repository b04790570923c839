"""The faces of signatures: the office's preview → confirm → follow flow, the public page
/xac-thuc/ and POST /api/v1/public/verify (over real HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest
from django.urls import reverse

from motcua.dossiers.models import Apology
from motcua.signatures.models import SignedFile, SigningRequest
from motcua.signatures.services import run_signing_request
from tests.dossiers.helpers import at, on_paper
from tests.factories import make_procedure

NOW = at(9, 10, month=2)
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def apology(db, office):
    from motcua.dossiers.services import draft_apology

    late = on_paper(
        office,
        make_procedure(units=[office.ward]),
        received_at=at(19, 9),
        now=NOW,
        reason="Mất điện",
    )
    return draft_apology(
        dossier_id=late.pk, actor=office.specialist, reason="Chờ xác minh", now=NOW
    )


def urls(apology):
    code = apology.dossier.code
    return (
        reverse("office:sign_apology_digitally", args=[code, apology.pk]),
        reverse("office:apology_preview", args=[code, apology.pk]),
    )


def test_the_leader_previews_confirms_and_follows_the_signature(client, office, apology):
    page_url, preview_url = urls(apology)
    client.force_login(office.leader)
    page = client.get(page_url)
    assert page.status_code == 200 and preview_url in page.text
    preview = client.get(preview_url)
    assert preview["Content-Type"] == "application/pdf" and preview.content.startswith(b"%PDF-")
    assert "no-store" in preview["Cache-Control"] and preview["X-Frame-Options"] == "SAMEORIGIN"
    answer = client.post(page_url)
    assert answer.status_code == 303
    req = SigningRequest.objects.get()
    state = client.get(answer["Location"], **HX)
    assert 'data-status="pending"' in state.text and 'hx-trigger="every 1s"' in state.text
    assert Apology.objects.get(pk=apology.pk).status == "draft"  # nothing until the worker signs
    run_signing_request(req.pk)  # what the Huey task does
    state = client.get(answer["Location"], **HX)
    assert 'data-status="done"' in state.text and "hx-trigger" not in state.text
    assert SignedFile.objects.get().code in state.text
    assert Apology.objects.get(pk=apology.pk).status == "signed"


def test_others_cannot_preview_sign_or_follow(client, office, apology):
    page_url, preview_url = urls(apology)
    client.force_login(office.outsider)
    assert client.get(page_url).status_code == 404
    assert client.get(preview_url).status_code == 404
    assert client.post(page_url).status_code == 404
    client.force_login(office.specialist)
    refused = client.post(page_url)
    assert refused.status_code == 403 and "Lãnh đạo đơn vị" in refused.text
    assert not SigningRequest.objects.exists()
    client.force_login(office.leader)
    client.post(page_url)
    client.force_login(office.head)
    follow = reverse("office:signing_request", args=[SigningRequest.objects.get().pk])
    assert client.get(follow).status_code == 404


def test_the_public_page_verifies_an_issued_letter_and_its_qr_code(client, office, apology):
    from motcua.dossiers.services import sign_apology

    sign_apology(apology_id=apology.pk, actor=office.leader, now=NOW)
    stored = SignedFile.objects.get()
    data = stored.file.read()
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(
        "/xac-thuc/", {"tep": SimpleUploadedFile("mau04.pdf", data, "application/pdf")}
    )
    assert answer.status_code == 200
    assert 'data-result="intact"' in answer.text and 'data-check="registered"' in answer.text
    assert apology.dossier.code in answer.text and "Trần Văn Lãnh" in answer.text
    assert "no-store" in answer["Cache-Control"] or "max-age=0" in answer["Cache-Control"]
    by_code = client.get(f"/xac-thuc/?ma={stored.code}")
    assert 'data-check="issued"' in by_code.text and stored.sha256 in by_code.text
    assert "Không có văn bản nào" in client.get("/xac-thuc/?ma=%F0%9F%98%80").text
    bad = client.post(
        "/xac-thuc/", {"tep": SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")}
    )
    assert bad.status_code == 422 and "không phải là PDF" in bad.text
    assert client.post("/xac-thuc/", {}).status_code == 422


def post_file(url: str, data: bytes) -> tuple[int, dict]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    req = urllib.request.Request(  # noqa: S310 (the live server on 127.0.0.1)
        url,
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_the_api_verifies_over_http(live_server, office, apology):
    from motcua.dossiers.services import sign_apology

    sign_apology(apology_id=apology.pk, actor=office.leader, now=NOW)
    data = SignedFile.objects.get().file.read()
    url = f"{live_server.url}/api/v1/public/verify"
    status, body = post_file(url, data)
    assert status == 200
    assert (body["intact"], body["registered"], body["dossier_code"]) == (
        True,
        True,
        apology.dossier.code,
    )
    (sig,) = body["signatures"]
    assert (sig["signer"], sig["valid"], sig["trusted"], sig["covers_whole_file"]) == (
        "Trần Văn Lãnh",
        True,
        True,
        True,
    )
    assert "revocation" in body["checks_not_done"]
    changed = bytearray(data)
    changed[len(data) // 3] ^= 0x01
    status, body = post_file(url, bytes(changed))
    assert status == 200 and body["intact"] is False and body["registered"] is False
    status, body = post_file(url, b"GIF89a")
    assert status == 422 and body["code"] == "not_a_pdf"
