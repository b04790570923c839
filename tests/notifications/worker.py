"""A real `motcua worker` process for the tests, on the test database and a test queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.db import connection

MOTCUA = str(Path(sys.executable).with_name("motcua"))


def database_url() -> str:
    """The URL of the database this test runs on (the test database, already migrated)."""
    conf = connection.settings_dict
    if conf["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(conf['NAME']).resolve()}"
    auth = quote(conf["USER"] or "")
    if conf["PASSWORD"]:
        auth += ":" + quote(conf["PASSWORD"])
    host = conf["HOST"] or "127.0.0.1"
    port = conf["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{conf['NAME']}"


def wait_for(
    check: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.05
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Worker:
    """`motcua worker` started as its own process; always stop() it in a finally."""

    def __init__(self, env: dict[str, str], log: Path, threads: int = 2) -> None:
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.log = log
        self.threads = threads
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> Worker:
        out = self.log.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603
            [MOTCUA, "worker", "--workers", str(self.threads)],
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        out.close()
        proc = self.proc

        def started() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"the worker exited: {self.log.read_text()[-3000:]}")
            return self.log.read_text().count("Huey consumer started") >= self.starts

        self.starts = getattr(self, "starts", 0) + 1
        wait_for(started, timeout=timeout, what="the worker to start")
        return self

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
