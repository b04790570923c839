"""The payment-gateway adapter: the generic protocol of a national/provincial payment platform
(DOMAIN §18.3 found no public specification of PayGov's; this one has its usual shape).

MotCua → gateway (each request signed with the shared secret, hex HMAC-SHA256 of the raw body in
``X-Signature``, the merchant in ``X-Merchant``):
* ``POST {url}/api/orders`` ``{"merchant", "order_id", "amount", "currency", "description",
  "return_url", "notify_url"}`` → 201 ``{"gateway_ref", "payment_url"}``;
* ``GET {url}/api/transactions?merchant=&date=YYYY-MM-DD`` (the signature over the query
  string) → ``{"items": [{"order_id", "gateway_ref", "amount", "currency", "status",
  "paid_at"}]}``, the answer signed the same way.
Gateway → MotCua (server to server): ``POST /api/v1/payments/callbacks/{gateway}`` with
``{"merchant", "order_id", "gateway_ref", "amount", "currency", "status": "success|failed",
"paid_at"}`` signed in ``X-Signature``. The citizen's browser comes back to ``return_url``,
which only SHOWS the state: nothing is marked paid from it.

The secret is read from the settings (``PAYMENT_GATEWAYS``), never put in a URL or a log.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.payments import rules

TIMEOUT_SECONDS = 5.0


class GatewayUnavailable(DomainError):
    """The gateway did not answer: the dossier waits "chờ thanh toán"; pay later (503)."""

    code = "gateway_unavailable"
    status = 503


class UnknownGateway(DomainError):
    code = "unknown_gateway"
    status = 404


@dataclass(frozen=True)
class Gateway:
    name: str
    url: str
    merchant: str
    secret: bytes

    def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(payload, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - the configured gateway's http(s) URL
            self.url.rstrip("/") + path,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Merchant": self.merchant,
                "X-Signature": rules.sign(self.secret, body),
            },
        )
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                raw = response.read()
                signature = response.headers.get("X-Signature", "")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise GatewayUnavailable(
                _(
                    "Cổng thanh toán đang không trả lời. Hồ sơ vẫn được giữ ở trạng thái "
                    "“chờ thanh toán”; Ông/Bà có thể thanh toán lại sau từ trang tra cứu hồ sơ."
                )
            ) from exc
        if not rules.signature_ok(self.secret, raw, signature):
            raise GatewayUnavailable(
                _("Câu trả lời của cổng thanh toán không có chữ ký hợp lệ; hãy thử lại sau.")
            )
        try:
            answer = json.loads(raw)
        except ValueError as exc:
            raise GatewayUnavailable(_("Cổng thanh toán trả lời không đúng định dạng.")) from exc
        if not isinstance(answer, dict):
            raise GatewayUnavailable(_("Cổng thanh toán trả lời không đúng định dạng."))
        return answer

    def create_order(
        self,
        *,
        order_id: str,
        amount: int,
        description: str,
        return_url: str,
        notify_url: str,
    ) -> tuple[str, str]:
        """(gateway reference, the URL to send the citizen to)."""
        answer = self._post(
            "/api/orders",
            {
                "merchant": self.merchant,
                "order_id": order_id,
                "amount": amount,
                "currency": "VND",
                "description": description,
                "return_url": return_url,
                "notify_url": notify_url,
            },
        )
        ref, url = answer.get("gateway_ref"), answer.get("payment_url")
        if not isinstance(ref, str) or not isinstance(url, str) or not url.startswith("http"):
            raise GatewayUnavailable(_("Cổng thanh toán trả lời không đúng định dạng."))
        return ref, url

    def list_transactions(self, on: date) -> list[dict[str, Any]]:
        """The gateway's own list of the merchant's transactions of one day."""
        query = urlencode({"merchant": self.merchant, "date": on.isoformat()})
        request = urllib.request.Request(  # noqa: S310
            f"{self.url.rstrip('/')}/api/transactions?{query}",
            headers={
                "X-Merchant": self.merchant,
                "X-Signature": rules.sign(self.secret, query.encode()),
            },
        )
        items = self._send(request).get("items")
        if not isinstance(items, list):
            raise GatewayUnavailable(_("Cổng thanh toán trả lời không đúng định dạng."))
        return [i for i in items if isinstance(i, dict)]

    def verify(self, body: bytes, signature: str) -> bool:
        return rules.signature_ok(self.secret, body, signature)


def gateway_names() -> list[str]:
    return list(getattr(settings, "PAYMENT_GATEWAYS", {}))


def default_gateway() -> str:
    names = gateway_names()
    return names[0] if names else ""


def get_gateway(name: str) -> Gateway:
    config = getattr(settings, "PAYMENT_GATEWAYS", {}).get(name)
    if not config:
        raise UnknownGateway(_("Không có cổng thanh toán “%(name)s”.") % {"name": name[:30]})
    secret = config["SECRET"]
    return Gateway(
        name=name,
        url=str(config["URL"]),
        merchant=str(config.get("MERCHANT", "MOTCUA")),
        secret=secret.encode() if isinstance(secret, str) else bytes(secret),
    )
