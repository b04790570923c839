"""Local fakes of the providers, started by the tests on 127.0.0.1.

Both record each delivery ONCE per idempotency key (the HTTP ``Idempotency-Key`` header, the
email's ``Message-ID``), as the channels' contract asks of a real provider: a repeated call with a
known key is answered with the first delivery's id and counted as a replay, not delivered again.
"""

from __future__ import annotations

import email
import email.policy
import json
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Delivery:
    key: str
    provider_id: str
    to: str
    text: str
    subject: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)


class _Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.deliveries: list[Delivery] = []
        self.by_key: dict[str, str] = {}
        self.replays = 0
        self.requests = 0

    def record(self, key: str, make: Any) -> tuple[str, bool]:
        """The provider id for `key` and whether it is new (delivered now)."""
        with self.lock:
            self.requests += 1
            if key in self.by_key:
                self.replays += 1
                return self.by_key[key], False
            delivery: Delivery = make(len(self.deliveries) + 1)
            self.deliveries.append(delivery)
            self.by_key[key] = delivery.provider_id
            return delivery.provider_id, True

    def keys(self) -> list[str]:
        with self.lock:
            return [d.key for d in self.deliveries]

    def count(self) -> int:
        with self.lock:
            return len(self.deliveries)


class FakeHttpProvider(_Recorder):
    """An SMS (``style="sms"``) or Zalo (``style="zalo"``) provider.

    ``fail_next``: that many requests answer ``fail_status`` first; ``delay``: seconds each
    accepted request waits AFTER recording the delivery and before answering (the crash window).
    """

    def __init__(self, *, token: str, style: str = "sms", delay: float = 0.0) -> None:
        super().__init__()
        self.token = token
        self.style = style
        self.delay = delay
        self.fail_next = 0
        self.fail_status = 503
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real providers
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.headers.get("Authorization") != f"Bearer {provider.token}":
                    return self._answer(401, {"error": "unauthorized"})
                with provider.lock:
                    failing = provider.fail_next > 0
                    if failing:
                        provider.fail_next -= 1
                if failing:
                    return self._answer(provider.fail_status, {"error": "try later"})
                key = self.headers.get("Idempotency-Key") or ""
                if not key:
                    return self._answer(400, {"error": "Idempotency-Key required"})
                to = body.get("to") or body.get("phone") or ""
                prefix = "sms" if provider.style == "sms" else "zalo"
                pid, _new = provider.record(
                    key,
                    lambda n: Delivery(
                        key=key,
                        provider_id=f"{prefix}-{n:05d}",
                        to=to,
                        text=body.get("text", ""),
                        headers={k.lower(): v for k, v in self.headers.items()},
                    ),
                )
                if provider.delay:
                    time.sleep(provider.delay)
                if provider.style == "zalo":
                    return self._answer(
                        200, {"error": 0, "message": "Success", "data": {"msg_id": pid}}
                    )
                return self._answer(200, {"id": pid, "status": "accepted"})

            def _answer(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client killed mid-answer (kill -9) is what the tests do on purpose

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeHttpProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeSmtpServer(_Recorder):
    """An SMTP server (aiosmtpd) that keeps each Message-ID once."""

    def __init__(self) -> None:
        super().__init__()
        self.port = free_port()
        recorder = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
                key = str(msg.get("Message-ID", ""))
                body = msg.get_body(preferencelist=("plain",))
                attachments = [
                    (
                        part.get_filename() or "",
                        part.get_content_type(),
                        part.get_payload(decode=True) or b"",
                    )
                    for part in msg.iter_attachments()
                ]
                recorder.record(
                    key,
                    lambda n: Delivery(
                        key=key,
                        provider_id=key,
                        to=",".join(envelope.rcpt_tos),
                        text=body.get_content() if body is not None else "",
                        subject=str(msg.get("Subject", "")).strip(),
                        headers={k: str(v) for k, v in msg.items()},
                        attachments=attachments,
                    ),
                )
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self) -> FakeSmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
