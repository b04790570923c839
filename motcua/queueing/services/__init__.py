"""Every write of the counter floor (STYLE §2): tickets and calls in `tickets`, bookings in
`bookings`, what they share in `common`."""

from motcua.queueing.services.bookings import (
    DAYS_AHEAD,
    Slot,
    book_slot,
    bookable_days,
    cancel_booking,
    group_for_procedure,
    slots_of,
)
from motcua.queueing.services.common import floor_is_open, next_opening
from motcua.queueing.services.tickets import (
    Issued,
    call_next,
    count_waiting_before,
    finish_ticket,
    issue_ticket,
    leave_counter,
    link_dossier,
    mark_no_show,
    recall_ticket,
    transfer_ticket,
)

__all__ = [
    "DAYS_AHEAD",
    "Issued",
    "Slot",
    "book_slot",
    "bookable_days",
    "call_next",
    "cancel_booking",
    "count_waiting_before",
    "finish_ticket",
    "floor_is_open",
    "group_for_procedure",
    "issue_ticket",
    "leave_counter",
    "link_dossier",
    "mark_no_show",
    "next_opening",
    "recall_ticket",
    "slots_of",
    "transfer_ticket",
]
