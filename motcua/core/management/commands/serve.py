"""`motcua serve`: gunicorn and the background worker side by side, stopped together."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve MotCua with gunicorn on 127.0.0.1 and run the background worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--no-worker", action="store_true", help="do not start the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        bindir = Path(sys.executable).parent
        gunicorn = shutil.which("gunicorn", path=str(bindir)) or shutil.which("gunicorn")
        motcua = shutil.which("motcua", path=str(bindir)) or shutil.which("motcua")
        if gunicorn is None or motcua is None:
            raise CommandError("gunicorn and motcua must be installed in the same environment")
        children: list[subprocess.Popen[bytes]] = []
        if not options["no_worker"]:
            children.append(subprocess.Popen([motcua, "worker"]))  # noqa: S603
        children.append(
            subprocess.Popen(  # noqa: S603
                [
                    gunicorn,
                    "motcua.wsgi",
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
                ]
            )
        )

        def stop(*_: object) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
