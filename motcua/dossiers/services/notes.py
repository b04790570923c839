"""Entries that other apps put on a dossier's timeline without changing its state: a complaint
about it, a satisfaction rating. One event each, in the transaction of the service that took
them."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from motcua.dossiers.models import Dossier, Event, EventKind
from motcua.dossiers.services.common import DossierChange, lock
from motcua.org.models import Staff


def _note(kind: str, *, dossier: Dossier, actor: Staff | None, at: datetime, note: str) -> Event:
    change = DossierChange(lock(dossier.pk), actor=actor, at=at, steps=[])
    return change.record(kind, note=note)


@transaction.atomic
def note_feedback(*, dossier: Dossier, actor: Staff | None, at: datetime, note: str) -> Event:
    """A complaint about the dossier (or its answer) on the dossier's timeline."""
    return _note(EventKind.FEEDBACK, dossier=dossier, actor=actor, at=at, note=note)


@transaction.atomic
def note_rating(*, dossier: Dossier, actor: Staff | None, at: datetime, note: str) -> Event:
    """A satisfaction rating of the dossier on its timeline (``actor`` None: the citizen; a
    staff member when entering a paper survey)."""
    return _note(EventKind.RATED, dossier=dossier, actor=actor, at=at, note=note)
