"""The dossier code (mã hồ sơ) of D10: ``<unit code>-YYMMDD-XXXX`` (Circular 01/2018 Art. 19).

``XXXX`` is the sequence of the dossiers the unit received that day, from 0001. The counter is
one row per unit and day, taken under a row lock inside the caller's transaction, so concurrent
receptions get consecutive, distinct numbers (on PostgreSQL the second transaction waits for the
first; on SQLite writers are serialised by the IMMEDIATE transaction). After 9999 dossiers in a
day the number widens to five digits (DOMAIN §5: "reject > 9999/day or widen") rather than
refusing a citizen at the counter.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from motcua.dossiers.models import DailySequence
from motcua.org.models import Unit


def format_code(unit_code: str, on: date, number: int) -> str:
    return f"{unit_code}-{on:%y%m%d}-{number:04d}"


def next_code(*, unit: Unit, on: date) -> str:
    """Take the next number of ``unit`` on the local date ``on``; call inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_code() must run inside the transaction that stores the dossier")
    DailySequence.objects.bulk_create(
        [DailySequence(unit=unit, on=on, last=0)], ignore_conflicts=True
    )
    counter = DailySequence.objects.select_for_update().get(unit=unit, on=on)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_code(unit.code, on, counter.last)
