"""The named refusals of the counter floor (each a DomainError with its API.md `code`)."""

from __future__ import annotations

from motcua.core.errors import DomainError


class FloorClosed(DomainError):
    """No ticket outside the unit's office hours; the message says when the floor opens."""

    code = "floor_closed"


class SlotUnavailable(DomainError):
    """A booking on a non-working day, outside office hours, too far ahead or in a full slot."""

    code = "slot_unavailable"


class BookingNotUsable(DomainError):
    """A booking code unknown, already used, cancelled, or checked in outside its window."""

    code = "booking_not_usable"


class TicketNotCallable(DomainError):
    """A ticket in a state where this action does not apply (already served, not called…)."""

    code = "ticket_state"


class FloorNotFound(DomainError):
    """Another unit's counter or ticket, or one that does not exist (404)."""

    code = "not_found"
    status = 404
