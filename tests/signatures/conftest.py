"""The three kinds of signing keys, for real: a PKCS#12 file, a SoftHSM2 token over PKCS#11
(a real PKCS#11 module, in a token directory of the session), and the fake remote-signing
server on 127.0.0.1 (stopped by the fixture). All certificates come from the DEMO CA that the
root conftest configures, so that the validator trusts them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from motcua.signatures import demo, pki
from motcua.signatures.fake_remote import FakeRemoteSigningServer

SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
SOFTHSM_UTIL = shutil.which("softhsm2-util")
LEADER = "Trần Văn Lãnh"  # the root conftest's office.leader
PIN = "246810"


@pytest.fixture
def demo_ca(settings) -> pki.Issued:
    return demo.ensure_ca()


@pytest.fixture
def leader_cert(demo_ca, tmp_path) -> pki.Issued:
    return pki.issue(demo_ca, LEADER, org="Phường Hoàn Kiếm Thử")


def pkcs12_spec(issued: pki.Issued, ca: pki.Issued, folder: Path) -> dict:
    path = folder / "lanhdao.p12"
    pki.write_pkcs12(path, issued, ca, b"mat-khau-thu")
    return {"backend": "pkcs12", "path": str(path), "passphrase": "mat-khau-thu"}


def pem(folder: Path, name: str, issued: pki.Issued) -> str:
    path = folder / name
    path.write_bytes(pki.cert_pem(issued.cert))
    return str(path)


TOKEN = "motcua-thu"


@pytest.fixture(scope="session")
def softhsm_dir(tmp_path_factory):
    """A SoftHSM2 configuration of this session with one token, made before the PKCS#11 module
    is first loaded: a module scans its slots once per process (as a token plugged in after
    the worker started would need a restart), while keys imported later are seen."""
    if not SOFTHSM_MODULE.exists() or SOFTHSM_UTIL is None:
        if os.environ.get("CI") == "true":
            pytest.fail("SoftHSM2 is missing: `make test` installs it (make signing-deps).")
        pytest.skip("SoftHSM2 is not installed (make signing-deps)")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    old = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(  # noqa: S603
        [
            str(SOFTHSM_UTIL),
            "--init-token",
            "--free",
            "--label",
            TOKEN,
            "--pin",
            PIN,
            "--so-pin",
            "13579",
        ],
        check=True,
        capture_output=True,
    )
    yield folder
    if old is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = old


def softhsm_spec(issued: pki.Issued, ca: pki.Issued, folder: Path, token_dir: Path) -> dict:
    """The leader's key imported (as PKCS#8) into the session's token, like a USB token."""
    label = f"lanhdao-{os.urandom(4).hex()}"
    key = folder / "key.pem"
    key.write_bytes(
        issued.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    try:
        subprocess.run(  # noqa: S603
            [
                str(SOFTHSM_UTIL),
                "--import",
                str(key),
                "--token",
                TOKEN,
                "--label",
                label,
                "--id",
                os.urandom(4).hex(),
                "--pin",
                PIN,
            ],
            check=True,
            capture_output=True,
        )
    finally:
        key.unlink()  # the key lives on the token only
    return {
        "backend": "pkcs11",
        "module": str(SOFTHSM_MODULE),
        "token": TOKEN,
        "key_label": label,
        "cert_path": pem(folder, "lanhdao.pem", issued),
        "chain": [pem(folder, "ca.pem", ca)],
        "pin": PIN,
    }


@pytest.fixture
def remote_server(leader_cert):
    with FakeRemoteSigningServer({"lanhdao": leader_cert.key}, token="tok-thu") as server:
        yield server


def remote_spec(server: FakeRemoteSigningServer, issued, ca, folder: Path) -> dict:
    return {
        "backend": "remote",
        "url": server.url,
        "key_id": "lanhdao",
        "cert_path": pem(folder, "lanhdao.pem", issued),
        "chain": [pem(folder, "ca.pem", ca)],
        "token": "tok-thu",
        "timeout_seconds": 10,
    }


@pytest.fixture(params=["pkcs12", "pkcs11", "remote"])
def leader_key(request, demo_ca, leader_cert, tmp_path):
    """The leader's key spec, each of the three ways."""
    if request.param == "pkcs12":
        return pkcs12_spec(leader_cert, demo_ca, tmp_path)
    if request.param == "pkcs11":
        token_dir = request.getfixturevalue("softhsm_dir")
        return softhsm_spec(leader_cert, demo_ca, tmp_path, token_dir)
    server = request.getfixturevalue("remote_server")
    return remote_spec(server, leader_cert, demo_ca, tmp_path)


@pytest.fixture
def use_key(settings):
    """Configure ``staff:<username>`` → spec (as MOTCUA_SIGNING_KEYS would)."""

    def configure(username: str, spec: dict) -> None:
        settings.SIGNATURES = {
            **settings.SIGNATURES,
            "keys": {**settings.SIGNATURES.get("keys", {}), f"staff:{username}": spec},
            "demo_fallback": False,
        }

    return configure
