"""`motcua serve` (what `make run` starts) serves the floor's streams from its ASGI server beside
gunicorn: the pages served by gunicorn point their EventSource at it (and their
Content-Security-Policy lets them), a change of the floor reaches an open stream, and the stream
path asked of gunicorn answers at once instead of holding a WSGI worker."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from motcua.queueing.models import FloorEvent, Ticket
from tests.queueing.servers import ROOT, StateStream, database_url, free_port

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]
MOTCUA = str(Path(sys.executable).with_name("motcua"))


def wait_for(port: int, path: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"motcua serve stopped (exit {proc.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} in {timeout} s")


def get(port: int, path: str) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        answer = conn.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read().decode()
    finally:
        conn.close()


def test_serve_runs_the_streams_on_an_asgi_server_the_pages_point_to(floor, tmp_path):
    web, streams = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MOTCUA_VAR_DIR": str(tmp_path),
        "MOTCUA_QUEUE_REDIS_URL": "",  # the streams poll the floor: no Redis needed
        "PYTHONPATH": str(ROOT),
    }
    for name in ("MOTCUA_STREAM_ORIGIN", "MOTCUA_STREAM_PORT", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    serve = subprocess.Popen(  # noqa: S603 - our command, 127.0.0.1
        [MOTCUA, "serve", "--port", str(web), "--stream-port", str(streams), "--workers", "1"]
        + ["--no-worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    unit = floor.unit.code
    events = f"/api/v1/queue/units/{unit}/events"
    try:
        wait_for(web, "/healthz", serve)
        wait_for(streams, "/healthz", serve)

        status, headers, page = get(web, f"/quay/{unit}/man-hinh/")
        assert status == 200
        origin = f"http://127.0.0.1:{streams}"
        assert f'data-stream="{origin}{events}"' in page
        assert origin in headers["Content-Security-Policy"].split("connect-src")[1].split(";")[0]

        # gunicorn answers the stream path with the state once and a retry: no worker is held
        started = time.monotonic()
        status, headers, body = get(web, events)
        assert status == 200 and headers["Content-Type"].startswith("text/event-stream")
        assert body.startswith("retry: 2000") and '"calling": []' in body
        assert time.monotonic() - started < 10

        display = StateStream(f"http://127.0.0.1:{streams}", unit)
        try:
            assert display.next_state()["waiting"]["ho-tich"] == 0
            now = timezone.now()
            ticket = Ticket.objects.create(
                unit=floor.unit,
                group=floor.a,
                issued_group=floor.a,
                day=timezone.localdate(now),
                sequence=1,
                number="A001",
                token="serve-test",
                issued_at=now,
            )
            FloorEvent.objects.create(unit=floor.unit, ticket=ticket, at=now, kind="issued")
            assert display.until(lambda s: s["waiting"]["ho-tich"] == 1)
        finally:
            display.close()
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
