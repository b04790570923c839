"""A fake payment gateway: its own small process on 127.0.0.1 that plays the protocol of
`motcua.payments.gateway` (orders, the citizen's payment page, signed server-to-server
callbacks, the day's transaction list), for the tests and for `make run` in demo mode.

    MOTCUA_PAYMENT_SECRET=S python -m motcua.payments.fakegateway --port 0 [--merchant MOTCUA]

prints ``LISTENING <port>`` on its first line once it accepts connections. Standard library only
(no Django): it stands for somebody else's system.

Behaviour for tests, set with ``POST /_control`` ``{"mode": ...}`` (JSON, signed like any
request):
* ``normal`` — one callback right after the citizen pays;
* ``down`` — every API call answers 503 (the gateway is down);
* ``duplicate`` — the callback is sent ``copies`` times;
* ``late`` — the callback is sent ``delay`` seconds after the citizen is sent back;
* ``fail`` — the payment fails (a "failed" callback);
* ``silent`` — the citizen pays but no callback is sent (a lost notice, for reconciliation).
``POST /_control/replay`` ``{"order_id", "times"}`` sends the last callback again;
``POST /_control/forge`` ``{"order_id", "amount"?, "bad_signature"?}`` sends a forged one.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import html
import json
import os
import secrets
import socket
import sys
import threading
import urllib.request
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

HANOI = timezone(timedelta(hours=7))


def sign(secret: bytes, body: bytes) -> str:
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


class State:
    def __init__(self, secret: bytes, merchant: str) -> None:
        self.secret = secret
        self.merchant = merchant
        self.lock = threading.Lock()
        self.orders: dict[str, dict[str, Any]] = {}  # by gateway_ref
        self.mode = "normal"
        self.copies = 5
        self.delay = 1.0
        self.sent: list[dict[str, Any]] = []  # every callback sent: order_id, http status

    def by_order(self, order_id: str) -> dict[str, Any] | None:
        return next((o for o in self.orders.values() if o["order_id"] == order_id), None)


def send_callback(state: State, order: dict[str, Any], body: bytes, signature: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - the merchant's notify URL on 127.0.0.1
        order["notify_url"],
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Signature": signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        status = int(exc.code)
    except OSError:
        status = 0
    with state.lock:
        state.sent.append({"order_id": order["order_id"], "status": status})
    return status


def callback_body(state: State, order: dict[str, Any], **override: Any) -> bytes:
    payload = {
        "merchant": state.merchant,
        "order_id": order["order_id"],
        "gateway_ref": order["gateway_ref"],
        "amount": order["amount"],
        "currency": "VND",
        "status": order["status"],
        "paid_at": order.get("paid_at"),
        "nonce": secrets.token_hex(4),
    }
    payload.update(override)
    return json.dumps(payload).encode()


def make_handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # quiet: the tests read the state, not the log

        # ------------------------------------------------------------------- helpers
        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _json(self, status: int, payload: Any) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Signature", sign(state.secret, body))
            self.end_headers()
            self.wfile.write(body)

        def _html(self, status: int, text: str) -> None:
            body = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            # like a bank's page: no script, no style, not framed (its form returns to MotCua)
            self.send_header(
                "Content-Security-Policy",
                "default-src 'none'; base-uri 'none'; frame-ancestors 'none'",
            )
            self.end_headers()
            self.wfile.write(body)

        def _redirect(self, url: str) -> None:
            self.send_response(303)
            self.send_header("Location", url)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _signed(self, body: bytes) -> bool:
            return hmac.compare_digest(
                sign(state.secret, body), self.headers.get("X-Signature", "")
            )

        # ------------------------------------------------------------------- routes
        def do_GET(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            if url.path == "/_state":
                with state.lock:
                    self._json(
                        200,
                        {
                            "mode": state.mode,
                            "sent": state.sent,
                            "orders": list(state.orders.values()),
                        },
                    )
                return
            if url.path == "/api/transactions":
                if state.mode == "down":
                    self._json(503, {"error": "down"})
                    return
                if not self._signed(url.query.encode()):
                    self._json(401, {"error": "bad signature"})
                    return
                day = parse_qs(url.query).get("date", [""])[0]
                with state.lock:
                    items = [
                        {
                            k: o[k]
                            for k in (
                                "order_id",
                                "gateway_ref",
                                "amount",
                                "currency",
                                "status",
                                "paid_at",
                            )
                        }
                        for o in state.orders.values()
                        if o["local_day"] == day
                    ]
                self._json(200, {"items": items})
                return
            if url.path.startswith("/pay/"):
                order = state.orders.get(url.path.removeprefix("/pay/"))
                if order is None:
                    self._html(
                        404,
                        "<!doctype html><title>Không tìm thấy</title><p>Không tìm thấy giao dịch.</p>",
                    )
                    return
                amount = f"{order['amount']:,}".replace(",", ".")
                self._html(
                    200,
                    "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
                    "<title>Cổng thanh toán thử nghiệm</title></head><body>"
                    "<h1>Cổng thanh toán thử nghiệm</h1>"
                    f"<p>Giao dịch <b>{html.escape(order['order_id'])}</b>: "
                    f"{html.escape(order['description'])}</p>"
                    f"<p>Số tiền: <b id='amount'>{amount} đồng</b></p>"
                    f"<form method='post' action='/pay/{order['gateway_ref']}'>"
                    "<button name='action' value='pay'>Thanh toán</button> "
                    "<button name='action' value='cancel'>Hủy giao dịch</button></form>"
                    "</body></html>",
                )
                return
            self._json(404, {"error": "not found"})

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            body = self._body()
            if url.path.startswith("/_control"):
                self._control(url.path, body)
                return
            if url.path == "/api/orders":
                self._create_order(body)
                return
            if url.path.startswith("/pay/"):
                self._pay(url.path.removeprefix("/pay/"), body)
                return
            self._json(404, {"error": "not found"})

        def _create_order(self, body: bytes) -> None:
            if state.mode == "down":
                self._json(503, {"error": "down"})
                return
            if not self._signed(body):
                self._json(401, {"error": "bad signature"})
                return
            data = json.loads(body)
            ref = "GW" + secrets.token_hex(8).upper()
            now = datetime.now(UTC)
            order = {
                "order_id": data["order_id"],
                "gateway_ref": ref,
                "amount": int(data["amount"]),
                "currency": data["currency"],
                "description": str(data.get("description", "")),
                "return_url": data["return_url"],
                "notify_url": data["notify_url"],
                "status": "pending",
                "created_at": now.isoformat(),
                "local_day": now.astimezone(HANOI).date().isoformat(),
                "paid_at": None,
            }
            with state.lock:
                state.orders[ref] = order
            host = self.headers.get("Host", "127.0.0.1")
            self._json(201, {"gateway_ref": ref, "payment_url": f"http://{host}/pay/{ref}"})

        def _pay(self, ref: str, body: bytes) -> None:
            order = state.orders.get(ref)
            if order is None:
                self._json(404, {"error": "not found"})
                return
            action = parse_qs(body.decode()).get("action", ["pay"])[0]
            mode = state.mode
            with state.lock:
                if action == "pay" and mode != "fail":
                    order["status"] = "success"
                    order["paid_at"] = datetime.now(UTC).isoformat()
                else:
                    order["status"] = "failed"
            payload = callback_body(state, order)
            signature = sign(state.secret, payload)
            if mode == "late":
                threading.Timer(
                    state.delay, send_callback, (state, order, payload, signature)
                ).start()
            elif mode != "silent":
                for _ in range(state.copies if mode == "duplicate" else 1):
                    send_callback(state, order, payload, signature)
            query = urlencode({"order_id": order["order_id"], "result": order["status"]})
            sep = "&" if "?" in order["return_url"] else "?"
            self._redirect(f"{order['return_url']}{sep}{query}")

        def _control(self, path: str, body: bytes) -> None:
            data = json.loads(body or b"{}")
            if path == "/_control":
                with state.lock:
                    state.mode = str(data.get("mode", state.mode))
                    state.copies = int(data.get("copies", state.copies))
                    state.delay = float(data.get("delay", state.delay))
                self._json(200, {"mode": state.mode})
                return
            order = state.by_order(str(data.get("order_id", "")))
            if order is None:
                self._json(404, {"error": "no such order"})
                return
            if path == "/_control/replay":
                payload = callback_body(state, order)
                statuses = [
                    send_callback(state, order, payload, sign(state.secret, payload))
                    for _ in range(int(data.get("times", 1)))
                ]
                self._json(200, {"statuses": statuses})
                return
            if path == "/_control/forge":
                override = {"status": "success"}
                if "amount" in data:
                    override["amount"] = data["amount"]
                payload = callback_body(state, order, **override)
                signature = "0" * 64 if data.get("bad_signature") else sign(state.secret, payload)
                self._json(200, {"status": send_callback(state, order, payload, signature)})
                return
            if path == "/_control/settle":
                # The gateway took the money but its callback was lost (for reconciliation).
                with state.lock:
                    order["status"] = "success"
                    order["paid_at"] = datetime.now(UTC).isoformat()
                self._json(200, {"status": "success"})
                return
            self._json(404, {"error": "not found"})

    return Handler


def serve(port: int, secret: bytes, merchant: str) -> None:
    state = State(secret, merchant)
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(state))
    server.daemon_threads = True
    sys.stdout.write(f"LISTENING {server.server_address[1]}\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def demo_command(python: str, env: dict[str, str]) -> list[str]:
    """The command that runs this gateway beside the demo (`motcua serve` with MOTCUA_DEMO=1),
    on a free port of 127.0.0.1. Sets in ``env`` (the environment of every process serve
    starts) the gateway's URL and, unless one is set, a secret shared by MotCua and the gateway,
    so the web processes talk to it (settings.PAYMENT_GATEWAYS)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env["MOTCUA_PAYMENT_GATEWAY_URL"] = f"http://127.0.0.1:{port}"
    env.setdefault("MOTCUA_PAYMENT_SECRET", secrets.token_hex(32))
    return [python, "-m", "motcua.payments.fakegateway", "--port", str(port)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="MotCua's fake payment gateway (127.0.0.1).")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--merchant", default="MOTCUA")
    args = parser.parse_args(argv)
    secret = os.environ.get("MOTCUA_PAYMENT_SECRET", "")
    if not secret:
        parser.error("MOTCUA_PAYMENT_SECRET is not set (the secret shared with MotCua)")
    serve(args.port, secret.encode(), args.merchant)


if __name__ == "__main__":
    main()
