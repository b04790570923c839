"""``motcua refresh_reports [--all] [--month 2026-01 ...]``: recompute the report roll-ups."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.reports.facts import finished_months, refresh_facts


class Command(BaseCommand):
    help = "Recompute the monthly roll-ups of the dossier report from the dossiers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="every finished month")
        parser.add_argument("--month", action="append", default=[], help="YYYY-MM (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        months: list[date] | None = None
        if options["all"]:
            months = finished_months(now)
        elif options["month"]:
            try:
                months = [date.fromisoformat(f"{m}-01") for m in options["month"]]
            except ValueError as exc:
                raise CommandError("--month takes YYYY-MM, e.g. 2026-01") from exc
        done = refresh_facts(months=months, now=now)
        self.stdout.write(
            f"{len(done)} month(s) rolled up"
            + (f": {done[0]:%m/%Y}–{done[-1]:%m/%Y}" if done else "")
        )
