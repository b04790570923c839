"""A real web process (gunicorn on 127.0.0.1, a free port) killed with SIGKILL between storing a
file's bytes and committing its row: no row without bytes is left, only an orphan blob, which
the sweep removes after the grace period. On the filesystem and on S3 (moto's server)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from motcua.access.services import issue_token
from motcua.documents import services, storage
from motcua.documents.models import Document
from tests.documents.conftest import PNG, online_dossier

pytestmark = [pytest.mark.server, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "motcua-crash-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nscan\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


PAUSE = """
import time
from pathlib import Path


def post_worker_init(worker):
    # Inside the upload's transaction, just after its row is written (the bytes are stored):
    # note the key and wait there, to be killed before the commit.
    from motcua.documents import services

    event = services._event

    def event_then_wait(dossier, kind, **kwargs):
        done = event(dossier, kind, **kwargs)
        document = kwargs.get("document")
        if document is not None:
            Path(MARKER).write_text(document.storage_key, encoding="utf-8")
            time.sleep(600)
        return done

    services._event = event_then_wait
"""


def test_a_killed_web_process_leaves_no_row_without_bytes(
    doc_storage, settings, tmp_path, office, procedure
):
    d = online_dossier(procedure, office.ward)
    token, _ = issue_token(staff=office.receptionist)
    cfg = settings.MOTCUA_DOCUMENTS
    marker = tmp_path / "stored-key"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MOTCUA_DOCUMENTS_ROOT": cfg["ROOT"],
        "MOTCUA_S3_BUCKET": cfg["S3_BUCKET"],
        "MOTCUA_S3_ENDPOINT_URL": cfg["S3_ENDPOINT_URL"],
        "AWS_ACCESS_KEY_ID": cfg["S3_ACCESS_KEY"],
        "AWS_SECRET_ACCESS_KEY": cfg["S3_SECRET_KEY"],
    }
    config = tmp_path / "pause.py"
    config.write_text(f"MARKER = {str(marker)!r}\n" + PAUSE, encoding="utf-8")
    env.pop("DATABASE_REPLICA_URL", None)
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603
        [
            GUNICORN,
            "motcua.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "120",
            "--config",
            str(config),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        body, content_type = _multipart("quet.png", PNG)
        request = urllib.request.Request(  # noqa: S310 - 127.0.0.1
            f"http://127.0.0.1:{port}/api/v1/dossiers/{d.code}/documents",
            data=body,
            headers={"Content-Type": content_type, "Authorization": f"Bearer {token}"},
            method="POST",
        )
        errors: list[BaseException] = []

        def send() -> None:
            try:
                urllib.request.urlopen(request, timeout=60)  # noqa: S310
            except BaseException as exc:  # noqa: BLE001 - the process dies under it
                errors.append(exc)

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        for _ in range(300):
            if marker.exists() and marker.read_text():
                break
            time.sleep(0.1)
        key = marker.read_text()
        assert key.startswith(f"d/{d.pk}/")
        os.killpg(proc.pid, signal.SIGKILL)  # between the stored bytes and the commit
        proc.wait(timeout=10)
        sender.join(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    assert errors  # the client saw the process die
    assert not Document.objects.filter(storage_key=key).exists()
    assert not Document.objects.exists()  # no row without its bytes
    assert storage.exists(key)  # an orphan, left for the sweep
    assert services.sweep_orphans() == 0  # within the grace period
    assert services.sweep_orphans(now=timezone.now() + timedelta(days=1)) == 1
    assert not storage.exists(key)
