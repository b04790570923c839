"""Real ASGI server processes (uvicorn, as `motcua serve` runs the streams) on free ports of
127.0.0.1, on the test database, their clock pinned to a working morning (time_machine, ticking)
so the floor is open whatever the hour of the run, their Redis channels under a prefix of this
run only. Stopped by the test."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

SERVE = """
import os, sys
from datetime import datetime
import time_machine
time_machine.travel(datetime.fromisoformat(os.environ["FLOOR_TEST_NOW"]), tick=True).start()
import uvicorn
uvicorn.run("motcua.asgi:application", host="127.0.0.1", port=int(sys.argv[1]),
            log_level="warning", lifespan="off", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
        return True
    except Exception:
        return False


def database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test database)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    user = quote(s.get("USER") or "postgres")
    password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def new_prefix() -> str:
    return f"motcua-test:{uuid.uuid4().hex[:12]}"


@contextmanager
def asgi_servers(
    n: int, *, now: datetime, prefix: str, tmp_path: Path, redis: bool = True
) -> Iterator[list[str]]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MOTCUA_VAR_DIR": str(tmp_path),
        "MOTCUA_QUEUE_REDIS_URL": REDIS_URL if redis else "",
        "MOTCUA_QUEUE_CHANNEL_PREFIX": prefix,
        "FLOOR_TEST_NOW": now.isoformat(),
        # The same keys as this process: its tokens, sessions and look-up secrets hold there.
        "SECRET_KEY": settings.SECRET_KEY,
        "MOTCUA_LOOKUP_KEY": settings.MOTCUA_LOOKUP_KEY,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    procs: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        for _ in range(n):
            port = free_port()
            procs.append(
                subprocess.Popen(  # noqa: S603 - our interpreter, our code, 127.0.0.1
                    [sys.executable, "-c", SERVE, str(port)],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, proc in zip(urls, procs, strict=True):
            wait_until_up(url, proc)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    host, port = url.removeprefix("http://").split(":")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server on {url} stopped (exit {proc.returncode})")
        try:
            conn = http.client.HTTPConnection(host, int(port), timeout=5)
            conn.request("GET", "/api/v1/queue/units/-/state")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server on {url} did not answer in {timeout} s")


class StateStream:
    """An open `text/event-stream` of a unit's floor, read event by event."""

    def __init__(self, url: str, unit: str, timeout: float = 30) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
        self.conn.request("GET", f"/api/v1/queue/units/{unit}/events")
        self.response = self.conn.getresponse()
        assert self.response.status == 200, self.response.status
        assert self.response.getheader("Content-Type", "").startswith("text/event-stream")

    def next_state(self) -> dict:
        data: list[str] = []
        while True:
            line = self.response.fp.readline()
            if not line:
                raise EOFError("the stream closed")
            text = line.decode().rstrip("\r\n")
            if text.startswith("data:"):
                data.append(text[5:].strip())
            elif text == "" and data:
                return json.loads("\n".join(data))

    def until(self, predicate, limit: int = 50) -> dict:
        for _ in range(limit):
            state = self.next_state()
            if predicate(state):
                return state
        raise AssertionError("the awaited state never came")

    def close(self) -> None:
        self.conn.close()
