"""Pure rules of the dossier engine: plain values in, plain values out, no ORM.

* :func:`appointment` — the effective reception (D5) and the citizen's due (D3, Mode D or H);
* :func:`classify_timeliness` — early / on time / late (D7, DOMAIN §7.1);
* :func:`counted_steps` — which steps of an internal procedure count towards the result
  (the trailing "Trả kết quả" steps of 0 hours are the return itself, DOMAIN §3.3);
* :func:`mask_name` — the applicant's name as the public look-up shows it;
* :func:`derive_secret` / :func:`hash_secret` — the look-up secret and its stored hash.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime, time, tzinfo
from decimal import Decimal
from enum import StrEnum

from motcua.core import secrets
from motcua.core.secrets import SECRET_ALPHABET, normalize_secret
from motcua.workdays.rules import HOURS_PER_DAY, WorkCalendar

__all__ = [
    "SECRET_ALPHABET",
    "SECRET_LENGTH",
    "Timeliness",
    "appointment",
    "classify_timeliness",
    "counted_steps",
    "derive_secret",
    "format_secret",
    "green_lane_due",
    "hash_secret",
    "mask_name",
    "normalize_secret",
]


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


def classify_timeliness(*, finished_at: datetime, due_at: datetime, tz: tzinfo) -> Timeliness:
    """D7 / DOMAIN §7.1: EARLY when finished on a day before the due's day (local dates),
    ON_TIME when finished by the due instant (inclusive), LATE otherwise."""
    if finished_at.astimezone(tz).date() < due_at.astimezone(tz).date():
        return Timeliness.EARLY
    if finished_at <= due_at:
        return Timeliness.ON_TIME
    return Timeliness.LATE


def appointment(
    calendar: WorkCalendar,
    *,
    received_at: datetime,
    legal_working_days: Decimal | None,
    legal_working_hours: Decimal | None,
    deadline_mode: str,
    cutoff: time | None,
) -> tuple[datetime, datetime]:
    """(effective reception, due) of a dossier received at ``received_at``.

    Effective reception (D5): ``calendar.effective_reception(received_at, cutoff)``.
    Due (D3): in mode ``"day"`` with a whole number N of working days, Mode D — the close of
    office hours of the N-th working day after the effective reception day (N = 0: the same day).
    A fractional number of days (e.g. 0.5) cannot be counted in whole days, so it is counted in
    working hours (N × 8, Mode H) from the effective reception; so is a procedure in mode
    ``"hour"`` or one whose statutory time is given in hours.
    """
    effective = calendar.effective_reception(received_at, cutoff)
    if deadline_mode == "day" and legal_working_days is not None:
        if legal_working_days == legal_working_days.to_integral_value():
            due = calendar.add_working_days(received_at, int(legal_working_days), cutoff)
            return effective, due
        return effective, calendar.add_working_hours(effective, legal_working_days * HOURS_PER_DAY)
    if legal_working_hours is not None:
        hours = legal_working_hours
    else:
        hours = (legal_working_days or Decimal(0)) * HOURS_PER_DAY
    return effective, calendar.add_working_hours(effective, hours)


def green_lane_due(
    calendar: WorkCalendar, *, effective_received_at: datetime, hours: Decimal, due_at: datetime
) -> datetime:
    """D6: the green-lane target, ``hours`` working hours from the effective reception.

    A same-day procedure has no time to shorten (40 % of 0 is 0): its target is its due. The
    target is never later than the statutory due.
    """
    if hours <= 0:
        return due_at
    return min(calendar.add_working_hours(effective_received_at, hours), due_at)


def counted_steps(durations: Sequence[Decimal]) -> int:
    """How many steps, from the first, count towards the result.

    The trailing steps with a budget of 0 hours ("Trả kết quả: không tính thời gian", DOMAIN
    §3.3, E15) are the return itself: the dossier is ready when the step before them is
    completed, and handing the result over completes them. The first step always counts.
    """
    n = len(durations)
    while n > 1 and durations[n - 1] == 0:
        n -= 1
    return n


# ------------------------------------------------------------------------------------- masking
def _mask_word(word: str) -> str:
    keep = 1 if len(word) <= 4 else 2
    stars = max(1, min(len(word) - keep, 3))
    return word[:keep] + "*" * stars


def mask_name(name: str) -> str:
    """The applicant's name for the public look-up: "Nguyễn Văn An" → "Ng*** V** A*".

    Each word keeps its first letter (its first two when it has five letters or more) and the
    rest becomes at most three stars, so the length of a word is not revealed beyond that.
    Letters are counted after NFC normalisation ("ễ" is one letter).
    """
    words = unicodedata.normalize("NFC", name).split()
    return " ".join(_mask_word(w) for w in words)


# -------------------------------------------------------------------------------- look-up secret
SECRET_LENGTH = 12  # 60 bits


def derive_secret(key: bytes, nonce: str) -> str:
    """The look-up secret of a dossier (`motcua.core.secrets`): only the nonce (random, per
    dossier) and the hash of the secret are stored; the secret can be shown again to the client
    that created the dossier (an idempotent replay) with the key."""
    return secrets.derive_secret(key, nonce, purpose="lookup-secret", length=SECRET_LENGTH)


def format_secret(secret: str) -> str:
    """Groups of four for printing: ABCD-EFGH-JKLM."""
    return "-".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def hash_secret(code: str, secret: str) -> str:
    """The stored form of a look-up secret (SHA-256 of the dossier code and the secret)."""
    return secrets.hash_secret(code, secret)
