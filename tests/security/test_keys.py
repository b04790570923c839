"""Finding 10: keys given to every process, a SECRET_KEY rotation that keeps sessions and the
citizens' look-up secrets, and `motcua check --deploy` clean with production settings."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import lookup_secret_of
from tests.api.test_public import submission
from tests.factories import PASSWORD, make_procedure
from tests.ops.servers import free_port, stop, wait_port

MOTCUA = str(Path(sys.executable).with_name("motcua"))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
ROOT = Path(__file__).resolve().parents[2]


def _production_env(tmp_path, **extra):
    """The environment of a production process (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE
    in this process for Playwright; a deployment never has it)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "MOTCUA_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.pop("PYTEST_VERSION", None)
    env.pop("SECRET_KEY", None)
    env.pop("MOTCUA_LOOKUP_KEY", None)
    return {
        **env,
        "MOTCUA_VAR_DIR": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(60),
        "MOTCUA_LOOKUP_KEY": secrets.token_urlsafe(40),
        "MOTCUA_HTTPS": "1",
        "ALLOWED_HOSTS": "motcua.example.vn",
        **extra,
    }


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = subprocess.run(  # noqa: S603 - our own command
        [MOTCUA, "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_a_serving_process_without_secret_key_refuses_to_start(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    done = subprocess.run(  # noqa: S603 - our own command
        [MOTCUA, "worker", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0 and "SECRET_KEY must be set" in done.stderr
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.django_db
def test_a_rotation_keeps_sessions_and_look_ups(client, office, settings):
    settings.SECRET_KEY = "a" * 60
    settings.SECRET_KEY_FALLBACKS = []
    procedure = make_procedure(units=[office.ward], online_mode="full")
    created = client.post(
        "/api/v1/public/dossiers",
        json.dumps(submission(procedure)),
        content_type="application/json",
    ).json()
    client.force_login(office.receptionist)
    assert client.get("/can-bo/").status_code == 200

    settings.SECRET_KEY = "b" * 60  # the rotation: the old key becomes a fallback
    settings.SECRET_KEY_FALLBACKS = ["a" * 60]
    assert client.get("/can-bo/").status_code == 200  # the session made before still works
    found = client.post(
        f"/api/v1/public/dossiers/{created['code']}/lookup",
        json.dumps({"secret": created["lookup_secret"]}),
        content_type="application/json",
    )
    assert found.status_code == 200
    # the secret shown again (receipt, replays) is the one the citizen holds
    assert lookup_secret_of(Dossier.objects.get(code=created["code"])) == created["lookup_secret"]
    settings.SECRET_KEY_FALLBACKS = []  # even once the old key is gone
    assert lookup_secret_of(Dossier.objects.get(code=created["code"])) == created["lookup_secret"]


SEED = """
import json
from tests.api.test_public import submission
from tests.factories import make_procedure, make_staff, make_unit
city = make_unit(code="TP", name="Thành phố Thử Nghiệm", kind="province")
ward = make_unit(code="TP.01", name="Phường Hoàn Kiếm Thử", parent=city)
make_staff(username="tiepnhan", roles=[(ward, "receptionist")])
print(json.dumps(submission(make_procedure(units=[ward], online_mode="full"))))
"""


def _web(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603 - our own server, 127.0.0.1 only
        [GUNICORN, "motcua.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert wait_port(port, 60) and proc.poll() is None, "gunicorn did not start"
    return proc, f"http://127.0.0.1:{port}"


def _sign_in(base: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/dang-nhap/", timeout=30)
    signed = session.post(
        f"{base}/dang-nhap/",
        data={
            "username": "tiepnhan",
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/dang-nhap/"},
        allow_redirects=False,
        timeout=30,
    )
    assert signed.status_code == 302, signed.text[:500]
    return session


def _signed_in(session: requests.Session, base: str) -> bool:
    answer = session.get(f"{base}/can-bo/", allow_redirects=False, timeout=30)
    return answer.status_code == 200


def _looked_up(base: str, code: str, secret: str) -> int:
    return requests.post(
        f"{base}/api/v1/public/dossiers/{code}/lookup", json={"secret": secret}, timeout=30
    ).status_code


@pytest.mark.server
def test_two_web_processes_share_a_key_and_survive_its_rotation(tmp_path):
    """Two gunicorn processes on one database and one SECRET_KEY: a session opened on one is
    valid on the other; then both restart with a new SECRET_KEY and the old one in
    SECRET_KEY_FALLBACKS: the session and the citizen's look-up made before still work on both
    (the look-up secret never depended on SECRET_KEY: MOTCUA_LOOKUP_KEY)."""
    old, new = secrets.token_urlsafe(60), secrets.token_urlsafe(60)
    env = _production_env(tmp_path, SECRET_KEY=old, ALLOWED_HOSTS="127.0.0.1")
    for name in ("DATABASE_URL", "MOTCUA_HTTPS", "SECRET_KEY_FALLBACKS"):
        env.pop(name, None)  # one SQLite file in tmp_path, plain HTTP on 127.0.0.1
    subprocess.run(  # noqa: S603 - our own command
        [MOTCUA, "migrate", "-v", "0"], env=env, cwd=ROOT, check=True, timeout=300
    )
    seeded = subprocess.run(  # noqa: S603 - our own command
        [MOTCUA, "shell", "-c", SEED],
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    payload = json.loads(seeded.stdout.strip().splitlines()[-1])

    servers = [_web(env), _web(env)]
    try:
        (_, first), (_, second) = servers
        created = requests.post(f"{first}/api/v1/public/dossiers", json=payload, timeout=60)
        assert created.status_code == 201, created.text
        code, secret = created.json()["code"], created.json()["lookup_secret"]
        session, idle = _sign_in(first), _sign_in(second)
        assert _signed_in(session, first) and _signed_in(session, second)
        assert _looked_up(second, code, secret) == 200

        for proc, _ in servers:
            stop(proc)
        rotated = {**env, "SECRET_KEY": new, "SECRET_KEY_FALLBACKS": old}
        servers = [_web(rotated), _web(rotated)]
        (_, first), (_, second) = servers
        assert _signed_in(session, first) and _signed_in(session, second)
        assert _looked_up(first, code, secret) == 200
        assert _looked_up(second, code, secret) == 200
        assert _looked_up(second, code, "sai" + secret[3:]) == 404

        # Once the old key is dropped: the session used during the rotation was renewed under
        # the new key (Django re-signs it from the fallback) and stays; one left idle through
        # the rotation is signed out; the look-up never depended on SECRET_KEY.
        for proc, _ in servers:
            stop(proc)
        servers = [_web({**env, "SECRET_KEY": new})]
        assert _signed_in(session, servers[0][1])
        assert not _signed_in(idle, servers[0][1])
        assert _looked_up(servers[0][1], code, secret) == 200
    finally:
        for proc, _ in servers:
            stop(proc)
