"""Throughput of the outbox: messages delivered per second by ONE worker process (`motcua worker`)
to a local fake SMS provider. Prints figures, asserts nothing.

Run from the repository root: ``python bench/notifications.py [--messages N] [--threads T]
[--latency-ms L]``. It uses a fresh SQLite database and SQLite task storage in a temporary
directory; set DATABASE_URL (PostgreSQL) and/or REDIS_URL to measure those instead (the queue gets
a name of its own; a PostgreSQL database is migrated, and its outbox rows are left behind).

What is measured: N messages are queued first (rendered, written to the outbox, their delivery
tasks enqueued on commit — the queueing rate is printed too); then the worker starts and the clock
runs from "Huey consumer started" until every row is marked sent. Each delivery is a claim
(conditional UPDATE), an HTTP POST to the provider, and the UPDATE recording the outcome.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MOTCUA = str(Path(sys.executable).with_name("motcua"))
TOKEN = uuid.uuid4().hex


class FakeSms:
    """A provider on 127.0.0.1 that honours Idempotency-Key and counts distinct deliveries."""

    def __init__(self, latency: float) -> None:
        self.lock = threading.Lock()
        self.keys: set[str] = set()
        self.calls = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # one answer, not two packets waiting on an ACK

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                key = self.headers.get("Idempotency-Key", "")
                with fake.lock:
                    fake.calls += 1
                    fake.keys.add(key)
                if latency:
                    time.sleep(latency)
                body = json.dumps({"id": f"sms-{key}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=4, help="threads of the one worker")
    parser.add_argument("--latency-ms", type=float, default=0, help="the provider's latency")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-notifications-"))
    fake = FakeSms(args.latency_ms / 1000)
    env = {
        **os.environ,
        "MOTCUA_VAR_DIR": str(tmp),
        "MOTCUA_QUEUE_NAME": f"bench-{uuid.uuid4().hex[:10]}",
        "MOTCUA_SMS_URL": fake.url,
        "MOTCUA_SMS_TOKEN": TOKEN,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    worker: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run([MOTCUA, "migrate", "-v", "0"], env=env, check=True)
        import django

        django.setup()
        from django.conf import settings
        from django.db import transaction

        from motcua.notifications.models import Message
        from motcua.notifications.services import Recipient, queue_message

        n = args.messages
        t0 = time.perf_counter()
        ids: list[int] = []
        for start in range(0, n, 500):
            with transaction.atomic():
                for i in range(start, min(start + 500, n)):
                    ids.append(
                        queue_message(
                            recipient=Recipient(name="Người nhận thử", phone=f"09{i:08d}"),
                            channel="sms",
                            template_code="test_notice",
                            context={"text": f"Tin nhắn thử số {i}"},
                        ).pk
                    )
        queued_s = time.perf_counter() - t0
        db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"database: {db}; task storage: {settings.HUEY['huey_class']}")
        print(f"queued (render + outbox row + enqueue on commit): {n / queued_s:,.0f} messages/s")

        log = tmp / "worker.log"
        with log.open("wb") as out:
            worker = subprocess.Popen(  # noqa: S603
                [MOTCUA, "worker", "--workers", str(args.threads)],
                env={**env, "LOG_LEVEL": "INFO"},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while "Huey consumer started" not in log.read_text(errors="replace"):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the worker did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.01)
        t0 = time.perf_counter()
        pending = Message.objects.filter(pk__gte=ids[0], pk__lte=ids[-1]).exclude(
            status=Message.Status.SENT
        )
        deadline = time.monotonic() + max(120, n / 10)
        while pending.exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"not delivered in time: {pending.count()} left")
            time.sleep(0.2)
        took = time.perf_counter() - t0
        print(
            f"delivered by one worker ({args.threads} threads) to the fake SMS provider "
            f"(latency {args.latency_ms:g} ms): {n / took:,.0f} messages/s "
            f"({n:,} in {took:.2f} s)"
        )
        print(f"provider: {len(fake.keys):,} distinct deliveries, {fake.calls:,} calls")
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
        fake.server.shutdown()
        if "django" in sys.modules and os.environ.get("REDIS_URL"):
            from huey.contrib.djhuey import HUEY

            HUEY.flush()  # the bench's own queue (its name is unique): tasks, schedule, results
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
