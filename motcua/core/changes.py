"""One change of a thing under its row lock, and the one event it writes (STYLE §2).

A service opens a change on the row it locked (who acts, when, from which status) and, once it
has changed the row, records exactly one event of the app's event table (an `EventBase`), with
the status the row has now."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from motcua.core.models import EventBase

E = TypeVar("E", bound=EventBase)


class Change(Generic[E]):
    """``thing`` (a locked row with a ``status``) changed by ``actor`` (None: the citizen or the
    system) at ``at``. A subclass names its event table and the event's foreign key to the
    thing."""

    event_model: ClassVar[type[Any]]  # an EventBase subclass
    subject: ClassVar[str]

    def __init__(self, thing: Any, *, actor: Any, at: datetime, from_status: str | None = None):
        self.thing = thing
        self.actor = actor
        self.at = at
        self.from_status = thing.status if from_status is None else from_status

    def record(self, kind: str, *, note: str = "", **links: Any) -> E:
        """The change's one event: from the status the thing had when the change opened to the
        one it has now; ``links`` are the event table's own fields (a step, units)."""
        event: E = self.event_model.objects.create(
            **{self.subject: self.thing},
            at=self.at,
            actor=self.actor,
            kind=kind,
            from_status=self.from_status,
            to_status=self.thing.status,
            note=note,
            **links,
        )
        return event
