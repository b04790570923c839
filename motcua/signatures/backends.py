"""Signing keys, three ways, one interface: :func:`open_signer` gives a pyHanko ``Signer`` for a
key described in the settings (``SIGNATURES["keys"]`` or the JSON file ``keys_file``):

* ``{"backend": "pkcs12", "path": "...", "passphrase_env": "VAR"}`` — a PKCS#12 file;
* ``{"backend": "pkcs11", "module": "/usr/lib/softhsm/libsofthsm2.so", "token": "label",
  "key_label": "...", "cert_path": "...pem" (or ``cert_label``), "pin_env": "VAR"}`` — a USB token
  or an HSM through its PKCS#11 module (SoftHSM2 in the tests);
* ``{"backend": "remote", "url": "https://...", "key_id": "...", "cert_path": "...pem",
  "token_env": "VAR"}`` — a remote-signing service (:mod:`motcua.signatures.remote`).

A key is looked up as ``staff:<username>`` (a leader) or ``unit:<code>`` (the unit's seal).
Passphrases, PINs and tokens come from the environment (``*_env``) or, for tests and the demo,
from the settings (``passphrase``/``pin``/``token``); never from the database, never logged.
In demo mode (``SIGNATURES["demo_fallback"]``) a person without a key signs with a certificate
issued on the spot by the DEMO CA (:mod:`motcua.signatures.demo`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign import signers

from motcua.core.errors import DomainError

T = TypeVar("T")


class SigningKeyMissing(DomainError):
    """Nobody configured a key for this signer (409: an administrator must add it)."""

    code = "signing_key_missing"


class SigningFailed(DomainError):
    """The key could not sign (wrong passphrase, token absent, remote refusal, timeout)."""

    code = "signing_failed"


def outside_event_loop(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``, in a thread of its own when this thread runs an event loop:
    pyHanko's signing and validation start their own loop (asyncio.run), which cannot nest
    (an ASGI view, a test driving a browser)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def config() -> dict[str, Any]:
    return dict(getattr(settings, "SIGNATURES", {}) or {})


def _keys() -> dict[str, dict[str, Any]]:
    conf = config()
    keys: dict[str, dict[str, Any]] = {}
    keys_file = conf.get("keys_file")
    if keys_file and Path(keys_file).exists():
        keys.update(json.loads(Path(keys_file).read_text(encoding="utf-8")))
    keys.update(conf.get("keys") or {})
    return keys


def key_for(name: str) -> dict[str, Any] | None:
    """The configured key of ``staff:<username>`` or ``unit:<code>``, or None."""
    return _keys().get(name)


def _secret(spec: dict[str, Any], name: str) -> str | None:
    env = spec.get(f"{name}_env")
    if env:
        value = os.environ.get(str(env))
        if value is None:
            raise SigningFailed(
                _(
                    "Biến môi trường chứa bí mật của khóa ký chưa được đặt; quản trị viên cần cấu hình."
                )
            )
        return value
    value = spec.get(name)
    return None if value is None else str(value)


def _read_cert(path: str) -> Any:
    from pyhanko.keys import load_cert_from_pemder

    return load_cert_from_pemder(path)


class _KeptKeySigner(signers.SimpleSigner):  # type: ignore[misc]
    """pyHanko's SimpleSigner parses its private key again at every signature (about 0.1 s for
    an RSA key, the key's checks included); this one keeps the parsed key (RSA PKCS#1 v1.5, what
    the demo CA and the Vietnamese CAs issue; anything else goes pyHanko's way)."""

    kept_key: Any = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash

        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algo = mechanism.signature_algo
        except ValueError:
            algo = mechanism["algorithm"].native
        if algo == "rsassa_pkcs1v15" and isinstance(self.kept_key, RSAPrivateKey):
            return bytes(
                self.kept_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            )
        return bytes(super().sign_raw(data, digest_algorithm))


#: PKCS#12 keys opened in this process: (path, size, mtime, SHA-256 of the passphrase) → signer.
#: Opening a file costs its key derivation (about a tenth of a second) at every signature
#: otherwise; a replaced file (another size or time) or another passphrase opens again.
_opened: dict[tuple[str, int, int, str], signers.SimpleSigner] = {}
_OPENED_MAX = 64


def _pkcs12_signer(path: str, passphrase: str | None) -> signers.SimpleSigner:
    refusal = _("Không mở được tệp khóa PKCS#12 (sai tệp hoặc mật khẩu).")
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise SigningFailed(refusal) from exc
    secret = hashlib.sha256((passphrase or "").encode()).hexdigest()
    key = (path, stat.st_size, stat.st_mtime_ns, secret)
    signer = _opened.get(key)
    if signer is not None:
        return signer
    try:
        signer = signers.SimpleSigner.load_pkcs12(
            path, passphrase=passphrase.encode() if passphrase else None
        )
    except Exception as exc:  # pyHanko logs and returns None, or raises on a bad file
        raise SigningFailed(refusal) from exc
    if signer is None:
        raise SigningFailed(refusal)
    signer.__class__ = _KeptKeySigner
    signer.kept_key = serialization.load_der_private_key(signer.signing_key.dump(), password=None)
    if len(_opened) >= _OPENED_MAX:
        _opened.clear()
    _opened[key] = signer
    return signer


@contextmanager
def open_signer(spec: dict[str, Any]) -> Iterator[signers.Signer]:
    """A pyHanko signer for ``spec`` (see the module's doc); the PKCS#11 session is closed on
    exit. Raises SigningFailed with a sentence when the key cannot be opened."""
    backend = spec.get("backend")
    if backend == "pkcs12":
        yield _pkcs12_signer(str(spec["path"]), _secret(spec, "passphrase"))
        return
    if backend == "pkcs11":
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11

        try:
            session = pkcs11.open_pkcs11_session(
                spec["module"],
                token_criteria=TokenCriteria(label=spec.get("token")),
                user_pin=_secret(spec, "pin"),
            )
        except Exception as exc:
            raise SigningFailed(
                _("Không mở được thiết bị ký số (token/HSM): hãy cắm token và kiểm tra mã PIN.")
            ) from exc
        try:
            cert = _read_cert(spec["cert_path"]) if spec.get("cert_path") else None
            ca_chain = [_read_cert(p) for p in spec.get("chain", [])]
            yield pkcs11.PKCS11Signer(
                session,
                cert_label=spec.get("cert_label"),
                signing_cert=cert,
                ca_chain=ca_chain,
                key_label=spec.get("key_label"),
            )
        finally:
            session.close()
        return
    if backend == "remote":
        from motcua.signatures.remote import RemoteSigner

        yield RemoteSigner(
            url=str(spec["url"]),
            key_id=str(spec["key_id"]),
            signing_cert=_read_cert(spec["cert_path"]),
            chain=[_read_cert(p) for p in spec.get("chain", [])],
            token=_secret(spec, "token") or "",
            timeout_seconds=float(spec.get("timeout_seconds", 120)),
        )
        return
    raise SigningKeyMissing(_("Cấu hình khóa ký không hợp lệ (backend: pkcs12, pkcs11, remote)."))
