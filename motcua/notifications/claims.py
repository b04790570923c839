"""How periodic sweeps claim their work, so that any number of workers may run them at the same
moment and a notice is written once (the domain apps' sweeps use these: `motcua.dossiers.sweeps`,
`motcua.feedback.sweeps`).

A notice is written only by the sweep that CLAIMS its object, in the same transaction as the
notice:

* :func:`claim_flag` — a conditional UPDATE of a flag column (``… SET flag = now WHERE pk = ? AND
  flag IS NULL``): on PostgreSQL the second worker's UPDATE waits for the first one's row lock,
  re-reads the row and matches nothing; on SQLite writers are serialised. Exactly one wins. (The
  outbox claims its rows this way; so does the feedback service, under a row lock.)
* :func:`claim_mark` — for another app's rows, which have no flag column of ours: an INSERT of a
  :class:`SweepMark` under a unique (kind, object, deadline); the second insert fails (on
  PostgreSQL it waits for the first transaction, then fails), so again exactly one wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef

from motcua.notifications.models import SweepMark
from motcua.notifications.services import notify_staff
from motcua.org.models import Staff

__all__ = ["claim_flag", "claim_mark", "marked", "notify_each", "unique_people"]


def claim_flag(model: type[models.Model], *, pk: int, flag: str, now: datetime) -> bool:
    """Set `flag` (a nullable timestamp) of row `pk` to `now` if it is still unset; True if this
    call set it. Call inside the transaction that writes what the claim guards."""
    manager = model._default_manager
    return manager.filter(pk=pk, **{f"{flag}__isnull": True}).update(**{flag: now}) == 1


def claim_mark(kind: str, object_id: int, ref_at: datetime, *, now: datetime) -> bool:
    """Record that the sweep `kind` acted on the deadline `ref_at` of `object_id`; True if this
    call is the first. Call inside the transaction that writes what the mark guards."""
    try:
        with transaction.atomic():  # a savepoint: losing the race leaves the caller's transaction
            SweepMark.objects.create(kind=kind, object_id=object_id, ref_at=ref_at, at=now)
    except IntegrityError:
        return False
    return True


def marked(kind: str, deadline_field: str) -> Exists:
    return Exists(
        SweepMark.objects.filter(
            kind=kind, object_id=OuterRef("pk"), ref_at=OuterRef(deadline_field)
        )
    )


def unique_people(people: Iterable[Staff]) -> list[Staff]:
    seen: dict[int, Staff] = {}
    for person in people:
        seen.setdefault(person.pk, person)
    return list(seen.values())


def notify_each(
    people: Iterable[Staff], *, template: str, context: dict[str, Any], key: str, **refs: Any
) -> int:
    """One notice to each person (once, whoever is named twice), deduplicated by ``key`` and the
    person; how many were written."""
    sent = 0
    for person in unique_people(people):
        notify_staff(
            staff=person,
            template_code=template,
            context=context,
            dedupe_key=f"{key}:{person.pk}",
            **refs,
        )
        sent += 1
    return sent
