from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background worker (Huey): delivers the outbox and runs the periodic sweeps."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=None, help="number of worker threads")

    def handle(self, *args: Any, **options: Any) -> None:
        conf: dict[str, Any] = settings.HUEY
        workers = options["workers"] or conf["consumer"]["workers"]
        self.stdout.write(f"MotCua worker: {conf['huey_class']} with {workers} workers")
        call_command("run_huey", workers=workers, worker_type="thread")
