import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.demo import data
from motcua.demo.dossiers import generate_history
from motcua.demo.loader import demo_accounts, load_demo_city, unit_accounts
from motcua.demo.monday import open_work


class Command(BaseCommand):
    help = "Load the demo city (units, staff, focal points, procedures). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dossiers",
            type=int,
            default=0,
            metavar="N",
            help="also make N dossiers of the past year through the real services "
            "(each run adds N more)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed of --dossiers")

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo_city(stream=sys.stderr if options["verbosity"] else None)
        if report.changed:
            made = ", ".join(f"{n} {what}" for what, n in sorted(report.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo city loaded: {made}."))
        else:
            self.stdout.write("Demo city already loaded; nothing changed.")
        if options["dossiers"] > 0:
            history = generate_history(
                options["dossiers"],
                seed=options["seed"],
                stream=sys.stderr if options["verbosity"] else None,
            )
            self.stdout.write(self.style.SUCCESS(f"Demo dossiers: {history.line()}."))
            # and today's open work at every unit, in every state (issue 19, finding 12)
            work = open_work(seed=options["seed"])
            made = ", ".join(f"{state}: {n}" for state, n in sorted(work["made"].items()))
            self.stdout.write(self.style.SUCCESS(f"Open work of the day: {made}."))
        if options["verbosity"]:
            self.stdout.write(f"Demo accounts (password: {data.DEMO_PASSWORD}):")
            for username, full_name, roles in demo_accounts():
                self.stdout.write(f"  {username:<12} {full_name:<28} {roles}")
            self.stdout.write("Staff of every demo unit (same password):")
            for code, name, staff in unit_accounts():
                self.stdout.write(f"  {code} {name}")
                for username, full_name, roles in staff:
                    self.stdout.write(f"    {username:<24} {full_name:<28} {roles}")
