"""`motcua serve` survives its parts; a restarted PostgreSQL costs no request a 500."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time

import pytest

from tests.ops import servers
from tests.ops.conftest import Output, migrate, sqlite_env

pytestmark = pytest.mark.server


class Poller:
    """GET a URL every 100 ms in a thread and keep the statuses."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.statuses: list[int] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.statuses.append(servers.get(self.url, timeout=10)[0])
            except OSError:
                self.statuses.append(0)  # no answer at all
            time.sleep(0.1)

    def stop(self) -> list[int]:
        self._stop.set()
        self.thread.join(timeout=15)
        return self.statuses


def _answers(url: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if servers.get(url, timeout=10)[0] == 200:
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_worker_is_restarted_and_the_web_answers_throughout(tmp_path, migrated_sqlite):
    env = sqlite_env(tmp_path, migrated_sqlite)
    port = servers.free_port()
    serve = subprocess.Popen(  # noqa: S603
        [servers.MOTCUA, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    out = Output(serve)
    poller = None
    try:
        first = int(out.wait_for(r"worker started \(pid (\d+)\)")[0])
        out.wait_for("Huey consumer started")
        assert servers.wait_port(port)
        assert _answers(f"http://127.0.0.1:{port}/healthz")  # gunicorn's worker has booted
        poller = Poller(f"http://127.0.0.1:{port}/healthz")
        time.sleep(1)
        os.kill(first, signal.SIGKILL)
        out.wait_for(r"worker exited \(-9\); restarting in 1 s", timeout=10)
        pids = out.wait_for(r"worker started \(pid (\d+)\)", count=2, timeout=15)
        second = int(pids[1])
        assert second != first and _alive(second)
        out.wait_for("Huey consumer started", count=2, timeout=30)
        time.sleep(1)
        statuses = poller.stop()
        assert statuses and set(statuses) == {200}, statuses
        assert serve.poll() is None  # serve itself kept running
        # a second kill: the back-off doubles
        os.kill(second, signal.SIGKILL)
        out.wait_for(r"worker exited \(-9\); restarting in 2 s", timeout=10)
        out.wait_for(r"worker started \(pid (\d+)\)", count=3, timeout=15)
    finally:
        if poller:
            poller.stop()
        serve.terminate()
        serve.wait(timeout=30)
    children = [int(p) for p in re.findall(r"started \(pid (\d+)\)", out.text)]
    time.sleep(0.5)
    assert not [p for p in children if _alive(p)]  # serve stopped what it started


def test_a_dead_web_server_stops_serve_for_the_process_manager(tmp_path, migrated_sqlite):
    env = sqlite_env(tmp_path, migrated_sqlite)
    port = servers.free_port()
    serve = subprocess.Popen(  # noqa: S603
        [servers.MOTCUA, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    out = Output(serve)
    try:
        web = int(out.wait_for(r"web started \(pid (\d+)\)")[0])
        assert servers.wait_port(port)
        os.kill(web, signal.SIGKILL)
        assert serve.wait(timeout=30) == 1  # systemd's Restart=always starts serve again
        out.wait_for(r"web exited \(-9\); stopping")
    finally:
        servers.stop(serve)


def test_after_a_postgresql_restart_no_request_answers_500(tmp_path):
    pg = servers.PrivatePostgres()
    try:
        pg.init()
        pg.start()
        env = {
            **os.environ,
            "MOTCUA_VAR_DIR": str(tmp_path),
            "DATABASE_URL": pg.url,
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("REDIS_URL", None)
        migrate(env)
        port = servers.free_port()
        web = subprocess.Popen(  # noqa: S603
            [
                str(servers.BIN / "gunicorn"),
                "motcua.wsgi",
                "-c",
                "python:motcua.ops.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "2",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert servers.wait_port(port)
            base = f"http://127.0.0.1:{port}"
            urls = [f"{base}/api/v1/procedures", f"{base}/readyz", f"{base}/api/v1/units"]
            for _ in range(12):  # every process and thread holds a kept connection
                for url in urls:
                    assert servers.get(url, timeout=30)[0] == 200
            pg.restart()
            statuses = [servers.get(urls[i % 3], timeout=30)[0] for i in range(30)]
            assert 500 not in statuses, statuses
            assert set(statuses) == {200}, statuses
        finally:
            servers.stop(web)
    finally:
        pg.remove()
