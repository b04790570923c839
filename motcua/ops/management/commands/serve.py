"""`motcua serve`: gunicorn, the streams' ASGI server (uvicorn) and the background worker side by
side, supervised.

The processes are a list (`processes()`); each is either essential (gunicorn: if it dies, serve
stops the rest and exits non-zero, and the process manager — systemd in docs/deploy.md — starts
serve again) or restarted (the worker: restarted after a back-off that doubles from 1 s to 30 s and
starts over once it has run a minute). A dead worker never takes the web down.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.payments.fakegateway import demo_command as fake_payment_gateway

BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
#: A process that ran this long before dying starts its back-off over.
HEALTHY_AFTER = 60.0


@dataclass
class Supervised:
    """One child process of serve: its name, its command, and what its death means."""

    name: str
    argv: list[str]
    essential: bool  # True: serve stops when it dies; False: it is restarted with back-off
    env: dict[str, str] | None = None
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    backoff: float = BACKOFF_FIRST
    restart_at: float | None = None
    restarts: int = field(default=0)

    def start(self, out: Any) -> None:
        self.proc = subprocess.Popen(self.argv, env=self.env)  # noqa: S603
        self.started_at = time.monotonic()
        self.restart_at = None
        out.write(f"motcua serve: {self.name} started (pid {self.proc.pid})\n")
        out.flush()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


class Command(BaseCommand):
    help = (
        "Serve MotCua with gunicorn and uvicorn (the floor's streams) on 127.0.0.1, and the worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--no-worker", action="store_true", help="do not start the worker")
        parser.add_argument(
            "--stream-port",
            type=int,
            default=0,
            help="port of the ASGI server of the floor's live streams (default: --port + 1)",
        )
        parser.add_argument(
            "--no-streams", action="store_true", help="do not start the streams' ASGI server"
        )

    def processes(self, options: dict[str, Any], env: dict[str, str]) -> list[Supervised]:
        """What serve runs. Another long-running process is one more entry here."""
        bindir = Path(sys.executable).parent
        gunicorn = shutil.which("gunicorn", path=str(bindir)) or shutil.which("gunicorn")
        motcua = shutil.which("motcua", path=str(bindir)) or shutil.which("motcua")
        if gunicorn is None or motcua is None:
            raise CommandError("gunicorn and motcua must be installed in the same environment")
        found: list[Supervised] = []
        if settings.DEMO_MODE and not env.get("MOTCUA_PAYMENT_GATEWAY_URL"):
            # the demo's payment gateway: the fake one, on 127.0.0.1 (motcua.payments.fakegateway)
            argv = fake_payment_gateway(sys.executable, env)  # sets its URL and secret in env
            found.append(Supervised("payment gateway (demo)", argv, essential=False, env=env))
        if not options["no_worker"]:
            found.append(Supervised("worker", [motcua, "worker"], essential=False, env=env))
        if not options["no_streams"]:
            found.append(self.streams(options, env, bindir))
        found.append(
            Supervised(
                "web",
                [
                    gunicorn,
                    "motcua.wsgi",
                    "--config",
                    "python:motcua.ops.gunicorn_conf",
                    "--bind",
                    f"{options['host']}:{options['port']}",
                    "--workers",
                    str(options["workers"]),
                    "--threads",
                    "4",
                    "--access-logfile",
                    "-",
                    "--graceful-timeout",
                    "5",
                ],
                essential=True,
                env=env,
            )
        )
        return found

    def streams(self, options: dict[str, Any], env: dict[str, str], bindir: Path) -> Supervised:
        """uvicorn (ASGI) beside gunicorn for the floor's Server-Sent Events: open displays hold
        no WSGI worker. The pages learn its port through MOTCUA_STREAM_PORT (motcua.settings)."""
        uvicorn = shutil.which("uvicorn", path=str(bindir)) or shutil.which("uvicorn")
        if uvicorn is None:
            raise CommandError("uvicorn must be installed in the same environment")
        port = options["stream_port"] or options["port"] + 1
        if not env.get("MOTCUA_STREAM_ORIGIN"):
            env.setdefault("MOTCUA_STREAM_PORT", str(port))
        argv = [uvicorn, "motcua.asgi:application", "--host", options["host"], "--port", str(port)]
        # open streams never end by themselves: shutdown closes them after 2 s
        argv += ["--lifespan", "off", "--no-access-log", "--timeout-graceful-shutdown", "2"]
        return Supervised("streams", argv, essential=False, env=env)

    def handle(self, *args: Any, **options: Any) -> None:
        env = dict(os.environ)
        if not env.get("PROMETHEUS_MULTIPROC_DIR"):
            # the web processes share their counters here (motcua.ops.metrics)
            env["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="motcua-metrics-")
        children = self.processes(options, env)
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        for child in children:
            child.start(self.stdout)
        exit_code = 0
        try:
            while not stopping:
                time.sleep(0.2)
                now = time.monotonic()
                for child in children:
                    if child.alive():
                        continue
                    if child.restart_at is None:  # just died
                        code = child.proc.returncode if child.proc else None
                        if child.essential:
                            self.stderr.write(
                                f"motcua serve: {child.name} exited ({code}); stopping"
                            )
                            stopping = True
                            exit_code = 1
                            break
                        if now - child.started_at >= HEALTHY_AFTER:
                            child.backoff = BACKOFF_FIRST
                        child.restart_at = now + child.backoff
                        self.stderr.write(
                            f"motcua serve: {child.name} exited ({code}); "
                            f"restarting in {child.backoff:.0f} s"
                        )
                        child.backoff = min(child.backoff * 2, BACKOFF_MAX)
                    elif now >= child.restart_at:
                        child.restarts += 1
                        child.start(self.stdout)
        finally:
            for child in children:
                if child.alive() and child.proc is not None:
                    child.proc.terminate()
            for child in children:
                if child.proc is None:
                    continue
                try:
                    child.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.proc.kill()
        if exit_code:
            sys.exit(exit_code)
