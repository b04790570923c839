"""The real server: gunicorn serving MotCua on 127.0.0.1, as `make run` starts it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.server
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 — 127.0.0.1 only
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode()


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if gunicorn's graceful stop outlasts 20 s on a busy machine."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _serve(env: dict[str, str]):
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603
        [GUNICORN, "motcua.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc, base


def test_readyz_answers_503_when_the_database_is_gone_and_healthz_stays_alive(tmp_path):
    env = {
        **os.environ,
        "MOTCUA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nowhere",
    }
    proc, base = _serve(env)
    try:
        status, body = _get(f"{base}/readyz")
        assert status == 503
        assert json.loads(body)["database"]["state"] == "unreachable"
        assert "database: unreachable" in json.loads(body)["reason"]
        assert _get(f"{base}/healthz")[0] == 200  # liveness: the process itself answers
    finally:
        _stop(proc)


def test_the_server_serves_a_migrated_sqlite_database(tmp_path):
    motcua = shutil.which("motcua", path=str(Path(sys.executable).parent))
    assert motcua is not None
    env = {**os.environ, "MOTCUA_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run([motcua, "migrate", "-v", "0"], env=env, check=True)  # noqa: S603
    proc, base = _serve(env)
    try:
        assert _get(f"{base}/healthz")[0] == 200
        status, body = _get(f"{base}/dang-nhap/")
        assert status == 200 and "Đăng nhập" in body
        assert _get(f"{base}/static/motcua/site.css")[0] == 200
    finally:
        _stop(proc)


def test_serve_runs_the_web_server_and_the_worker_and_stops_both(tmp_path):
    bindir = Path(sys.executable).parent
    motcua = str(bindir / "motcua")
    env = {**os.environ, "MOTCUA_VAR_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    subprocess.run([motcua, "migrate", "-v", "0"], env=env, check=True)  # noqa: S603
    port = _free_port()
    serve = subprocess.Popen(  # noqa: S603
        [motcua, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 90  # a busy machine boots Django slowly
        assert serve.stdout is not None
        while time.monotonic() < deadline:
            line = serve.stdout.readline()
            seen.append(line)
            text = "".join(seen)
            if "Listening at: http://127.0.0.1:" in text and "Huey consumer started" in text:
                break
        assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200
    finally:
        serve.terminate()
        serve.communicate(timeout=20)
    text = "".join(seen)
    assert "MotCua worker: huey.SqliteHuey" in text
    assert "Huey consumer started" in text
    assert serve.returncode is not None
