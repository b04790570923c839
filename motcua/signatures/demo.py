"""The DEMO certificate authority of `motcua demo`, `make run` and the tests: a CA named
"MotCua DEMO CA - KHONG DUNG THAT" under ``SIGNATURES["demo_dir"]``, and a PKCS#12 per person
or unit issued on first use. Trusted only where ``SIGNATURES["trust_demo"]`` is set (demo mode,
tests); production settings never trust it."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

from motcua.signatures import pki
from motcua.signatures.backends import config

# A demo passphrase, on purpose not secret: the demo keys sign nothing real.
DEMO_PASSPHRASE = "demo-motcua"  # noqa: S105
_lock = threading.Lock()


def demo_dir() -> Path:
    return Path(config()["demo_dir"])


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    tmp.write_bytes(data)
    tmp.chmod(0o600)
    tmp.replace(path)


def ensure_ca() -> pki.Issued:
    """The demo CA, created on first use (files ca.pem, ca-key.pem)."""
    folder = demo_dir()
    with _lock:
        found = pki.read_ca(folder, DEMO_PASSPHRASE.encode())
        if found is not None:
            return found
        ca = pki.make_ca()
        folder.mkdir(parents=True, exist_ok=True)
        staging = folder / f".ca-{os.getpid()}"
        pki.write_ca(staging, ca, DEMO_PASSPHRASE.encode())
        # Another process may have won meanwhile: keep the first CA, whoever made it.
        if not (folder / "ca.pem").exists():
            (staging / "ca-key.pem").replace(folder / "ca-key.pem")
            (staging / "ca.pem").replace(folder / "ca.pem")
        for leftover in staging.glob("*"):
            leftover.unlink()
        staging.rmdir()
        found = pki.read_ca(folder, DEMO_PASSPHRASE.encode())
        if found is None:
            raise RuntimeError(f"the demo CA in {folder} cannot be read")
        return found


def ca_pem_path() -> Path:
    """The demo CA's certificate (the CA is made first when there is none). A verification
    reads only the certificate: decrypting the CA's key each time cost ~80 ms a check."""
    folder = demo_dir()
    if not ((folder / "ca.pem").exists() and (folder / "ca-key.pem").exists()):
        ensure_ca()
    return folder / "ca.pem"


def key_for(name: str, common_name: str, *, org: str = "MotCua DEMO") -> dict[str, Any]:
    """The PKCS#12 key spec of ``name`` (``staff:<username>``/``unit:<code>``), issued by the demo
    CA on first use with ``common_name`` in the certificate."""
    digest = hashlib.sha256(f"{name}\n{common_name}\n{org}".encode()).hexdigest()[:16]
    path = demo_dir() / "keys" / f"{digest}.p12"
    if not path.exists():
        ca = ensure_ca()
        issued = pki.issue(ca, common_name, org=org)
        path.parent.mkdir(parents=True, exist_ok=True)
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.serialization import pkcs12

        data = pkcs12.serialize_key_and_certificates(
            name=None,
            key=issued.key,
            cert=issued.cert,
            cas=[ca.cert],
            encryption_algorithm=serialization.BestAvailableEncryption(DEMO_PASSPHRASE.encode()),
        )
        _atomic_write(path, data)
    return {"backend": "pkcs12", "path": str(path), "passphrase": DEMO_PASSPHRASE}
