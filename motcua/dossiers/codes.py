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
from functools import lru_cache

from django.db import connection, transaction

from motcua.dossiers.models import DailySequence
from motcua.org.models import Unit


def format_code(unit_code: str, on: date, number: int) -> str:
    return f"{unit_code}-{on:%y%m%d}-{number:04d}"


def next_code(*, unit: Unit, on: date) -> str:
    """Take the next number of ``unit`` on the local date ``on``; call inside a transaction.

    One statement (an upsert that returns the new number, the same SQL on PostgreSQL and
    SQLite): the row stays locked until the caller commits, so call it as late as possible."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_code() must run inside the transaction that stores the dossier")
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [unit.pk, connection.ops.adapt_datefield_value(on)])
        (number,) = cursor.fetchone()
    return format_code(unit.code, on, number)


@lru_cache(maxsize=1)
def _upsert_sql() -> str:
    q = connection.ops.quote_name
    table = q(DailySequence._meta.db_table)
    unit, on, last = q("unit_id"), q("on"), q("last")
    return (
        f"INSERT INTO {table} ({unit}, {on}, {last}) VALUES (%s, %s, 1)"  # noqa: S608
        f" ON CONFLICT ({unit}, {on}) DO UPDATE SET {last} = {table}.{last} + 1"
        f" RETURNING {last}"
    )
