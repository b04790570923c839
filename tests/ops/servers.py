"""Real servers for the operations tests, on 127.0.0.1 at free ports, stopped by the tests:
redis-server (Debian), moto's S3 server, a private PostgreSQL instance (initdb in a temporary
folder) and `motcua serve`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
MOTCUA = str(BIN / "motcua")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def get(url: str, timeout: float = 10.0, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode()


def stop(proc: subprocess.Popen | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_redis(port: int | None = None) -> tuple[subprocess.Popen, int]:
    redis = shutil.which("redis-server")
    assert redis, "redis-server is missing (make cluster-deps installs it)"
    for _ in range(5):
        chosen = port or free_port()
        proc = subprocess.Popen(  # noqa: S603
            [
                redis,
                "--bind",
                "127.0.0.1",
                "--port",
                str(chosen),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if wait_port(chosen, 10) and proc.poll() is None:
            return proc, chosen
        stop(proc)
        if port:
            time.sleep(0.5)
    raise RuntimeError("redis-server did not start")


def start_moto(port: int | None = None) -> tuple[subprocess.Popen, int]:
    for _ in range(5):
        chosen = port or free_port()
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(chosen)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if wait_port(chosen, 30) and proc.poll() is None:
            return proc, chosen
        stop(proc)
        if port:
            time.sleep(0.5)
    raise RuntimeError("moto's server did not start")


def pg_bindir() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    raise RuntimeError("PostgreSQL's server binaries are missing (apt-get install postgresql)")


def pg_env() -> dict[str, str]:
    env = dict(os.environ)
    if os.geteuid() == 0:
        env["PGUSER"] = "postgres"
    return env


def as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


class PrivatePostgres:
    """A PostgreSQL instance of its own (initdb in ``root``), at a free port, that a test may
    stop and start without touching the machine's shared server."""

    def __init__(self) -> None:
        # not under pytest's tmp_path: its parents are private to root, and the server runs as
        # the postgres user
        self.root = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
        self.root.chmod(0o755)
        root = self.root
        self.data = root / "pg"
        self.port = free_port()
        self.bindir = pg_bindir()
        root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")

    def _run(self, *argv: str) -> None:
        subprocess.run(as_postgres(list(argv)), check=True, capture_output=True)  # noqa: S603

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"
        )

    def start(self) -> None:
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "pg.log"),
            "-o",
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"
