"""A local remote-signing server for the tests and the demo (:mod:`motcua.signatures.remote`'s
protocol). It holds the keys in memory, listens on 127.0.0.1 on a free port, and "the signer on
the phone" approves at once (``mode="approve"``), refuses (``"refuse"``) or approves after
``delay_seconds``. Never for production: anyone on the machine holding the token signs."""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils


class FakeRemoteSigningServer:
    def __init__(
        self,
        keys: dict[str, rsa.RSAPrivateKey],
        *,
        token: str,
        mode: str = "approve",
        delay_seconds: float = 0.0,
    ) -> None:
        self.keys = keys
        self.token = token
        self.mode = mode
        self.delay_seconds = delay_seconds
        self.requests: dict[str, dict[str, Any]] = {}
        self.seen_hashes: list[bytes] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeRemoteSigningServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeRemoteSigningServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _answer(self, request_id: str) -> dict[str, Any]:
        with self._lock:
            req = self.requests.get(request_id)
        if req is None:
            return {"status": "unknown"}
        if self.mode == "refuse":
            return {"status": "refused", "reason": "Người ký bấm Từ chối"}
        if time.monotonic() - req["at"] < self.delay_seconds:
            return {"status": "pending"}
        key = self.keys[req["key_id"]]
        signature = key.sign(req["hash"], padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
        return {"status": "approved", "signature": base64.b64encode(signature).decode()}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {server.token}":
                    self._reply(401, {"error": "unauthorised"})
                    return False
                return True

            def do_POST(self) -> None:  # noqa: N802
                if not self._authorised() or self.path != "/sign":
                    if self.path != "/sign":
                        self._reply(404, {"error": "not found"})
                    return
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                if body.get("key_id") not in server.keys:
                    self._reply(404, {"error": "unknown key"})
                    return
                digest = base64.b64decode(body["hash"])
                request_id = str(next(server._ids))
                with server._lock:
                    server.requests[request_id] = {
                        "key_id": body["key_id"],
                        "hash": digest,
                        "at": time.monotonic(),
                    }
                    server.seen_hashes.append(digest)
                self._reply(201, {"id": request_id})

            def do_GET(self) -> None:  # noqa: N802
                if not self._authorised():
                    return
                if not self.path.startswith("/sign/"):
                    self._reply(404, {"error": "not found"})
                    return
                self._reply(200, server._answer(self.path.removeprefix("/sign/")))

        return Handler
