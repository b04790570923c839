"""Pure rules of the feedback desk: plain values in, plain values out, no ORM.

* :func:`respond_by` — the feedback clock of decision D11 (DOMAIN §12.3, §17): clock hours,
  working hours or working days from the moment the feedback was received;
* :func:`is_overdue` — past its respond-by time and still waiting for an answer (out-of-scope
  feedback is closed with guidance and never overdue);
* :func:`clean_text` — what a person typed, without the control characters that no form, no
  XML document and no terminal should carry;
* :func:`derive_secret` / :func:`hash_secret` — the citizen's look-up secret and its stored hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from motcua.core import secrets
from motcua.core.secrets import SECRET_ALPHABET, normalize_secret
from motcua.core.text import strip_controls as clean_text

__all__ = [
    "DEFAULT_SLA",
    "DEFAULT_SLA_OTHER",
    "MAX_CONTENT_CHARS",
    "OPEN311_MAX_DESCRIPTION",
    "OPEN_STATUSES",
    "SECRET_ALPHABET",
    "SECRET_LENGTH",
    "Clock",
    "Sla",
    "clean_text",
    "derive_secret",
    "hash_secret",
    "is_overdue",
    "normalize_secret",
    "respond_by",
]

#: The longest complaint accepted through any channel (a hotline transcript fits easily).
MAX_CONTENT_CHARS = 5000
#: GeoReport v2: "free form text limited to 4,000 characters".
OPEN311_MAX_DESCRIPTION = 4000

#: Statuses in which feedback waits for an answer: the clock runs.
OPEN_STATUSES = ("new", "classified", "forwarded")


class Clock(StrEnum):
    """How the respond-by time of a category is counted (D11: per category)."""

    CLOCK_HOURS = "clock_hours"
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"


@dataclass(frozen=True)
class Sla:
    clock: Clock
    amount: int


#: D11 defaults. In-scope conduct and delay: 48 clock hours (seed 000, doc. 991/UBND-TH).
#: Regulation feedback: forward within 5 working days (Decree 20/2008 Art. 9, DOMAIN E30).
DEFAULT_SLA_OTHER = Sla(Clock.CLOCK_HOURS, 48)
DEFAULT_SLA: dict[str, Sla] = {
    "harassment": Sla(Clock.CLOCK_HOURS, 48),
    "channel_obstruction": Sla(Clock.CLOCK_HOURS, 48),
    "delay": Sla(Clock.CLOCK_HOURS, 48),
    "extra_documents": Sla(Clock.CLOCK_HOURS, 48),
    "shirking": Sla(Clock.CLOCK_HOURS, 48),
    "unfairness": Sla(Clock.CLOCK_HOURS, 48),
    "conduct": Sla(Clock.CLOCK_HOURS, 48),
    "regulation": Sla(Clock.WORKING_DAYS, 5),
    "other": DEFAULT_SLA_OTHER,
}


class Calendar(Protocol):
    """What :func:`respond_by` needs of a working calendar (motcua.workdays.rules.WorkCalendar)."""

    def add_working_hours(self, at: datetime, hours: int) -> datetime: ...

    def add_working_days(self, at: datetime, n: int) -> datetime: ...


def respond_by(*, received_at: datetime, sla: Sla, calendar: Calendar) -> datetime:
    """The moment an answer is due (E29: Mon 09:00 + 48 clock hours = Wed 09:00; E30: a
    regulation feedback received Mon 02/03/2026 is forwarded by Mon 09/03/2026, 17:00)."""
    if received_at.tzinfo is None:
        raise ValueError("received_at must carry a time zone")
    if sla.amount < 0:
        raise ValueError("a feedback clock cannot be negative")
    if sla.clock == Clock.CLOCK_HOURS:
        return received_at + timedelta(hours=sla.amount)
    if sla.clock == Clock.WORKING_HOURS:
        return calendar.add_working_hours(received_at, sla.amount)
    return calendar.add_working_days(received_at, sla.amount)


def is_overdue(
    *, status: str, in_scope: bool | None, respond_by: datetime | None, now: datetime
) -> bool:
    """Waiting for an answer past its respond-by time. Answered, closed and out-of-scope
    feedback is never overdue."""
    if respond_by is None or in_scope is False or status not in OPEN_STATUSES:
        return False
    return now > respond_by


# ------------------------------------------------------------------------------ look-up secret
SECRET_LENGTH = 10


def derive_secret(key: bytes, nonce: str) -> str:
    """The citizen's look-up secret (`motcua.core.secrets`): only the nonce and the hash of the
    secret are stored; with the key the secret can be shown again to a client that repeats its
    request with the same Idempotency-Key."""
    return secrets.derive_secret(key, nonce, purpose="feedback-secret", length=SECRET_LENGTH)


def hash_secret(nonce: str, secret: str) -> str:
    return secrets.hash_secret(nonce, secret)
