import sys
from typing import Any

from django.core.management.base import BaseCommand

from motcua.demo import data
from motcua.demo.loader import demo_accounts, load_demo_city


class Command(BaseCommand):
    help = "Load the demo city (units, staff, focal points, procedures). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo_city(stream=sys.stderr if options["verbosity"] else None)
        if report.changed:
            made = ", ".join(f"{n} {what}" for what, n in sorted(report.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo city loaded: {made}."))
        else:
            self.stdout.write("Demo city already loaded; nothing changed.")
        if options["verbosity"]:
            self.stdout.write(f"Demo accounts (password: {data.DEMO_PASSWORD}):")
            for username, full_name, roles in demo_accounts():
                self.stdout.write(f"  {username:<12} {full_name:<28} {roles}")
