"""The remote-signing adapter: the way citizen-facing remote signing services work. MotCua sends
only the hash of what is signed; the signer approves on their phone; the signature comes back.

Protocol (our adapter; a provider's own API is wrapped to it):

* ``POST {url}/sign`` ``{"key_id", "hash_algorithm": "sha256", "hash": base64}`` with
  ``Authorization: Bearer <token>`` → 201 ``{"id"}``;
* ``GET {url}/sign/{id}`` → ``{"status": "pending|approved|refused", "signature": base64,
  "reason"}``; the adapter polls until approved, refused or ``timeout_seconds``.

:mod:`motcua.signatures.fake_remote` is a local server speaking it, for the tests and the demo.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import time
import urllib.error
import urllib.request
from typing import Any

from asn1crypto import x509
from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.signatures.backends import SigningFailed

POLL_SECONDS = 0.1


class RemoteSigner(signers.Signer):
    def __init__(
        self,
        *,
        url: str,
        key_id: str,
        signing_cert: x509.Certificate,
        chain: list[x509.Certificate],
        token: str,
        timeout_seconds: float = 120,
    ) -> None:
        super().__init__(
            signing_cert=signing_cert,
            cert_registry=SimpleCertificateStore.from_certs([signing_cert, *chain]),
        )
        self.url = url.rstrip("/")
        self.key_id = key_id
        self._token = token
        self.timeout_seconds = timeout_seconds

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        if not self.url.startswith(("http://", "https://")):
            raise SigningFailed(_("Địa chỉ dịch vụ ký từ xa không hợp lệ."))
        req = urllib.request.Request(  # noqa: S310 (scheme checked above)
            self.url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self._token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
                return json.loads(resp.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SigningFailed(
                _("Không liên lạc được với dịch vụ ký từ xa; thử lại sau hoặc báo quản trị viên.")
            ) from exc

    def _key_bytes(self) -> int:
        cert = self.signing_cert
        if cert is None:
            raise SigningFailed(_("Thiếu chứng thư số của người ký."))
        return (int(cert.public_key.bit_size) + 7) // 8

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            return bytes(self._key_bytes())
        if digest_algorithm.lower() != "sha256":
            raise SigningFailed(_("Dịch vụ ký từ xa chỉ nhận SHA-256."))
        digest = hashlib.sha256(data).digest()
        return await asyncio.get_running_loop().run_in_executor(None, self._sign_digest, digest)

    def _sign_digest(self, digest: bytes) -> bytes:
        started = self._call(
            "POST",
            "/sign",
            {
                "key_id": self.key_id,
                "hash_algorithm": "sha256",
                "hash": base64.b64encode(digest).decode(),
            },
        )
        request_id = str(started.get("id", ""))
        deadline = time.monotonic() + self.timeout_seconds
        while True:
            state = self._call("GET", f"/sign/{request_id}")
            status = state.get("status")
            if status == "approved":
                return base64.b64decode(state["signature"])
            if status == "refused":
                raise SigningFailed(
                    _("Người ký đã từ chối yêu cầu ký trên điện thoại: %(reason)s")
                    % {"reason": state.get("reason") or _("không nêu lý do")}
                )
            if time.monotonic() > deadline:
                raise SigningFailed(
                    _(
                        "Người ký chưa xác nhận trên điện thoại trong thời gian chờ; hãy gửi lại yêu cầu ký."
                    )
                )
            time.sleep(POLL_SECONDS)
