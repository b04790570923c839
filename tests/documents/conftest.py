"""The document storages the tests run against: the filesystem (a temporary folder) and a real
S3-compatible server (moto's server mode, a process on 127.0.0.1 at a free port, stopped at the
end of the session)."""

from __future__ import annotations

import io
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from motcua.catalog.services import DocumentSpec
from motcua.dossiers.services import ApplicantData, submit_online
from tests.factories import make_procedure

ACCESS = "motcua-test"
SECRET = "motcua-test-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server on 127.0.0.1 (a free port, retried if taken meanwhile)."""
    for _attempt in range(5):
        port = _free_port()
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        if proc.poll() is None:
            try:
                yield url
            finally:
                proc.terminate()
                proc.wait(timeout=10)
            return
    pytest.fail("moto's S3 server did not start")


def s3_settings(endpoint: str, bucket: str) -> dict[str, object]:
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY": ACCESS,
        "S3_SECRET_KEY": SECRET,
    }


def make_bucket(endpoint: str) -> str:
    import boto3

    bucket = f"motcua-{secrets.token_hex(6)}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS,
        aws_secret_access_key=SECRET,
    ).create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture(params=["filesystem", "s3"])
def doc_storage(request, settings, tmp_path) -> str:
    """Every document test runs on both storages."""
    cfg = dict(settings.MOTCUA_DOCUMENTS)
    cfg["ROOT"] = str(tmp_path / "documents")
    cfg["S3_BUCKET"] = ""
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        cfg.update(s3_settings(endpoint, make_bucket(endpoint)))
    settings.MOTCUA_DOCUMENTS = cfg
    return str(request.param)


def pdf_bytes(pages: int = 1, text: str = "MotCua") -> bytes:
    """A small real PDF of ``pages`` pages."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_pdf(pages: int = 2, title: str = "TỜ KHAI ĐĂNG KÝ KHAI SINH") -> bytes:
    """A PDF whose pages carry dark Vietnamese text on white (WeasyPrint, as the forms)."""
    from weasyprint import HTML

    body = "".join(
        f'<section style="page-break-after: always; font-size: 40pt">{title} — trang {n}</section>'
        for n in range(1, pages + 1)
    )
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)

PAPERS = ["Tờ khai đăng ký", "Giấy khai sinh", "Giấy tờ chứng minh nơi cư trú"]


@pytest.fixture
def procedure(office):
    return make_procedure(
        units=[office.ward],
        documents=[DocumentSpec(name=n) for n in PAPERS],
        online_mode="full",
    )


def online_dossier(
    procedure, unit, *, id_number: str = "001090000001", name: str = "Nguyễn Văn An"
):
    from tests.factories import papers

    return submit_online(
        procedure_code=procedure.code,
        unit_code=unit.code,
        applicant=ApplicantData(name=name, id_number=id_number, phone="0912345678"),
        documents=papers(procedure),
    ).dossier
