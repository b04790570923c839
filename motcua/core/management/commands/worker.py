import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from motcua.core import periodic

logger = logging.getLogger("motcua.worker")
BEAT_SECONDS = 15.0


def _beat_forever(stop: threading.Event) -> None:
    """This worker's heartbeat (/readyz shows its age), every BEAT_SECONDS, in its own thread."""
    while not stop.is_set():
        try:
            periodic.beat()
        except Exception:  # the database away for a while: beat again later
            logger.warning("heartbeat not written", exc_info=True)
            connection.close()
        stop.wait(BEAT_SECONDS)
    connection.close()


class Command(BaseCommand):
    help = "Run the background worker (Huey): delivers the outbox and runs the periodic sweeps."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=None, help="number of worker threads")

    def handle(self, *args: Any, **options: Any) -> None:
        conf: dict[str, Any] = settings.HUEY
        workers = options["workers"] or conf["consumer"]["workers"]
        self.stdout.write(f"MotCua worker: {conf['huey_class']} with {workers} workers")
        self.stdout.flush()
        stop = threading.Event()
        threading.Thread(target=_beat_forever, args=(stop,), daemon=True, name="beat").start()
        try:
            call_command("run_huey", workers=workers, worker_type="thread")
        finally:
            stop.set()
