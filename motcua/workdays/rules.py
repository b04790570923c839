"""Working-time arithmetic for one-stop deadlines (DOMAIN §6, §7, §8; decisions D1, D3–D5, D8).

A pure module: plain values in, plain values out. It imports nothing from the project and nothing
of Django, so it can be tested and benchmarked on its own (``bench/workdays.py``).

The model
---------
A :class:`WorkCalendar` knows, for every date of ``first_year``..``last_year``, whether it is a
working day and, if so, its office sessions (D1: 08:00–12:00 and 13:00–17:00). Everything is
precomputed in ``__init__``: the sorted working days, for each date the index of the next working
day, and the cumulative amount of working time (in integer microseconds) before each working day.
That cumulative count is a "working clock" ``W``: a non-decreasing function of the instant that
advances only inside office sessions. Every operation is a lookup or a bisection on it:

* Mode D (``add_working_days``) is an index shift over the working days: O(1).
* Mode H (``add_working_hours``) is ``W⁻¹(W(start) + budget)``: O(log n).
* ``working_hours_between(a, b)`` is ``W(b) − W(a)``, an exact :class:`fractions.Fraction` of hours.

Boundary decisions (all documented in the functions too)
--------------------------------------------------------
* Office sessions are CLOSED intervals: 08:00:00 and 17:00:00 themselves are office time. A
  dossier received at exactly 17:00:00 counts as received that day; 17:00:00.000001 is "after
  17:00" and counts from the next working day (D5).
* A cut-off (e.g. 15:00, Decree 23/2015 Art. 7) applies when the local time is strictly after it.
* Mode H: when the budget runs out exactly at the end of a session, the due is that end instant
  (12:00 or 17:00), never the next opening. A zero budget gives the effective reception.
* Durations are resolved to the microsecond, rounding UP (a budget is never shortened). Whole
  seconds, and any hours given as int, Decimal or Fraction with a microsecond resolution, are exact,
  so ``working_hours_between(s, add_working_hours(s, h)) == h``.
* Local wall-clock time of the calendar's zone is the timeline (Asia/Ho_Chi_Minh has no DST).
"""

from __future__ import annotations

import math
import operator
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from fractions import Fraction
from typing import NamedTuple, TypeAlias
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

__all__ = [
    "DEFAULT_SESSIONS",
    "DEFAULT_TZ",
    "HOURS_PER_DAY",
    "CalendarDay",
    "CalendarError",
    "Hours",
    "InvalidPauseError",
    "NaiveDatetimeError",
    "NegativeDurationError",
    "OutOfRangeError",
    "Session",
    "WEEKDAY_VI",
    "WorkCalendar",
    "describe_working_hours",
]

Hours: TypeAlias = int | Decimal | Fraction | float
Session: TypeAlias = tuple[time, time]
Pause: TypeAlias = tuple[datetime, datetime | None]

DEFAULT_TZ = "Asia/Ho_Chi_Minh"
HOURS_PER_DAY = 8  # DOMAIN §6.5 and D4: 1 working day = 8 working hours
_WEEKDAY_SESSIONS: tuple[Session, ...] = (
    (time(8, 0), time(12, 0)),
    (time(13, 0), time(17, 0)),
)
#: D1: Monday–Friday 08:00–12:00 and 13:00–17:00; Saturday and Sunday are weekly rest days.
DEFAULT_SESSIONS: Mapping[int, tuple[Session, ...]] = {wd: _WEEKDAY_SESSIONS for wd in range(5)}

_US_PER_SECOND = 1_000_000
_US_PER_HOUR = 3_600 * _US_PER_SECOND
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
WEEKDAY_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


# --------------------------------------------------------------------------------------- errors
class CalendarError(ValueError):
    """Base of every refusal of this module: an English message and a Vietnamese ``message_vi``."""

    def __init__(self, message: str, message_vi: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_vi = message_vi


class NaiveDatetimeError(CalendarError):
    """A datetime without tzinfo was given; only aware datetimes are accepted."""


class NegativeDurationError(CalendarError):
    """A negative number of working days or hours (or an interval that ends before it starts)."""


class OutOfRangeError(CalendarError):
    """A date, or a result, outside the calendar's supported years."""


class InvalidPauseError(CalendarError):
    """Pauses that begin before the start, overlap, are out of order or follow an open pause."""


class CalendarDay(NamedTuple):
    """One exceptional day of a year, for the calendar page (D2)."""

    on: date
    working: bool
    reason: str
    source: str


# -------------------------------------------------------------------------------------- helpers
def _time_us(t: time) -> int:
    if t.tzinfo is not None:
        raise CalendarError(
            f"Office times must be local wall-clock times without tzinfo, got {t!r}.",
            f"Giờ làm việc phải là giờ địa phương không kèm múi giờ, nhận được {t!r}.",
        )
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US_PER_SECOND + t.microsecond


def _hours_to_us(hours: Hours) -> int:
    """Convert a duration in hours to whole microseconds, exactly, rounding up to 1 µs."""
    if type(hours) is int:
        us = hours * _US_PER_HOUR
    elif isinstance(hours, bool):
        raise TypeError("A duration in hours must be a number, not a bool.")
    elif isinstance(hours, int):
        us = int(hours) * _US_PER_HOUR
    elif isinstance(hours, Fraction):
        q = hours * _US_PER_HOUR
        us = -(-q.numerator // q.denominator)
    elif isinstance(hours, Decimal | float):
        if isinstance(hours, float):
            if not math.isfinite(hours):
                raise _not_finite(hours)
            hours = Decimal(repr(hours))
        if not hours.is_finite():
            raise _not_finite(hours)
        try:
            us = int((hours * _US_PER_HOUR).to_integral_value(rounding=ROUND_CEILING))
        except InvalidOperation as exc:  # pragma: no cover - absurdly large values
            raise _not_finite(hours) from exc
    else:
        raise TypeError(
            f"A duration in hours must be an int, Decimal, Fraction or float, "
            f"got {type(hours).__name__}."
        )
    if us < 0:
        raise NegativeDurationError(
            f"A duration cannot be negative (got {hours} hours); give 0 or more working hours.",
            f"Thời hạn không được âm (nhận {hours} giờ); hãy nhập từ 0 giờ làm việc trở lên.",
        )
    return us


def _not_finite(value: object) -> CalendarError:
    return CalendarError(
        f"A duration must be a finite number of hours, got {value}.",
        f"Thời hạn phải là một số giờ hữu hạn, nhận được {value}.",
    )


def _fmt_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _fmt_instant(dt: datetime) -> str:
    clock = f"{dt.hour:02d}:{dt.minute:02d}"
    if dt.second or dt.microsecond:
        clock += f":{dt.second:02d}"
    return f"{clock} {WEEKDAY_VI[dt.weekday()]} {_fmt_date(dt)}"


def _fmt_hours(hours: Fraction) -> str:
    if hours.denominator == 1:
        return str(hours.numerator)
    text = f"{float(hours):.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def describe_working_hours(hours: Hours) -> str:
    """Vietnamese wording of a remaining (positive) or overdue (negative) working time.

    1 day = 8 working hours. Days and hours are shown when a day or more remains ("còn 2 ngày 5
    giờ"), hours and minutes below a day ("còn 2 giờ 30 phút"), minutes below an hour ("còn 30
    phút"). Minutes are truncated; below one minute: "còn dưới 1 phút" / "quá hạn dưới 1 phút";
    exactly 0: "đến hạn".
    """
    if isinstance(hours, float):
        if not math.isfinite(hours):
            raise _not_finite(hours)
        value = Fraction(Decimal(repr(hours)))
    elif isinstance(hours, Decimal):
        if not hours.is_finite():
            raise _not_finite(hours)
        value = Fraction(hours)
    else:
        value = Fraction(hours)
    if value == 0:
        return "đến hạn"
    prefix = "còn" if value > 0 else "quá hạn"
    minutes = math.floor(abs(value) * 60)
    if minutes == 0:
        return f"{prefix} dưới 1 phút"
    days, rest = divmod(minutes, HOURS_PER_DAY * 60)
    hrs, mins = divmod(rest, 60)
    parts: list[str] = []
    if days:
        parts.append(f"{days} ngày")
        if hrs:
            parts.append(f"{hrs} giờ")
    else:
        if hrs:
            parts.append(f"{hrs} giờ")
        if mins:
            parts.append(f"{mins} phút")
    return f"{prefix} {' '.join(parts)}"


# ------------------------------------------------------------------------------------- calendar
_Pattern: TypeAlias = tuple[tuple[int, int, int], ...]  # (start µs, end µs, worked before µs)


class WorkCalendar:
    """A working calendar for ``first_year``..``last_year`` built from plain data.

    ``sessions``: weekday (0 = Monday … 6 = Sunday) → office sessions ``(start, end)`` in local
    wall-clock time; a weekday absent or empty is a weekly rest day. Default D1.
    ``non_working``: date → reason, days off (holidays, swapped weekdays, compensatory days).
    ``makeup``: date → reason, days worked although normally off (make-up Saturdays). A make-up day
    uses its own weekday's sessions if it has some, otherwise ``makeup_sessions`` (default: the
    Monday sessions). A date cannot be in both mappings.
    ``sources``: optional date → where the entry comes from (a legal reference, "holidays library").
    Dates outside the years are ignored. Everything is precomputed here; calls are O(1)/O(log n).
    """

    def __init__(
        self,
        sessions: Mapping[int, Sequence[Session]] = DEFAULT_SESSIONS,
        non_working: Mapping[date, str] | None = None,
        makeup: Mapping[date, str] | None = None,
        tz: str | tzinfo = DEFAULT_TZ,
        first_year: int = 2020,
        last_year: int = 2030,
        *,
        makeup_sessions: Sequence[Session] | None = None,
        sources: Mapping[date, str] | None = None,
    ) -> None:
        if not 1 <= first_year <= last_year <= 9998:
            raise CalendarError(
                f"Invalid year range {first_year}..{last_year}: first_year must not be after "
                "last_year.",
                f"Khoảng năm không hợp lệ {first_year}..{last_year}: năm đầu phải trước năm cuối.",
            )
        self.tz: tzinfo = ZoneInfo(tz) if isinstance(tz, str) else tz
        self.first_year = first_year
        self.last_year = last_year
        non_working = dict(non_working or {})
        makeup = dict(makeup or {})
        both = sorted(set(non_working) & set(makeup))
        if both:
            raise CalendarError(
                f"{both[0].isoformat()} is both a day off and a make-up working day; "
                "keep it in one mapping only.",
                f"Ngày {_fmt_date(both[0])} vừa là ngày nghỉ vừa là ngày làm bù; chỉ giữ một loại.",
            )
        self._non_working = non_working
        self._makeup = makeup
        self._sources = dict(sources or {})

        patterns = {wd: self._pattern(sessions.get(wd, ())) for wd in range(7)}
        fallback = makeup_sessions if makeup_sessions is not None else sessions.get(0, ())
        makeup_pattern = self._pattern(fallback)
        if not makeup_pattern and makeup:
            raise CalendarError(
                "Make-up working days need sessions: give makeup_sessions or Monday sessions.",
                "Ngày làm bù cần có giờ làm việc: hãy khai báo giờ làm việc của thứ Hai.",
            )

        self._base = date(first_year, 1, 1).toordinal()
        self._stop = date(last_year, 12, 31).toordinal() + 1
        nrange = self._stop - self._base
        work_ords: list[int] = []
        pats: list[_Pattern] = []
        day_idx = [-1] * nrange
        next_idx = [0] * (nrange + 1)
        cum = [0]
        for k in range(nrange):
            o = self._base + k
            d = date.fromordinal(o)
            pat = patterns[d.weekday()]
            if d in non_working:
                pat = ()
            elif d in makeup and not pat:
                pat = makeup_pattern
            if pat:
                day_idx[k] = len(work_ords)
                work_ords.append(o)
                pats.append(pat)
                cum.append(cum[-1] + pat[-1][2] + pat[-1][1] - pat[-1][0])
        nwork = len(work_ords)
        nxt = nwork
        next_idx[nrange] = nwork
        for k in range(nrange - 1, -1, -1):
            if day_idx[k] >= 0:
                nxt = day_idx[k]
            next_idx[k] = nxt
        self._nwork = nwork
        self._work_ords = work_ords
        self._pats = pats
        self._day_idx = day_idx
        self._next_idx = next_idx
        self._cum = cum
        tz_ = self.tz
        self._midnight = [
            datetime.combine(date.fromordinal(o), time(0), tzinfo=tz_) for o in work_ords
        ]
        self._close = [
            m + timedelta(microseconds=p[-1][1]) for m, p in zip(self._midnight, pats, strict=True)
        ]
        self._periods: list[tuple[tuple[datetime, datetime], ...] | None] = [None] * nwork
        self._cutoffs: dict[time, int] = {}
        # numpy twins for the bulk path (epoch days, as datetime64[D] counts)
        self._base_epoch = self._base - _EPOCH_ORDINAL
        self._next_idx_np = np.asarray(next_idx, dtype=np.int64)
        self._work_days_np = (np.asarray(work_ords, dtype=np.int64) - _EPOCH_ORDINAL).astype(
            "datetime64[D]"
        )

    @staticmethod
    def _pattern(sessions: Sequence[Session]) -> _Pattern:
        out: list[tuple[int, int, int]] = []
        before = 0
        last_end = -1
        for start, end in sessions:
            s, e = _time_us(start), _time_us(end)
            if not s < e or s < last_end:
                raise CalendarError(
                    f"Office sessions must be ordered, non-overlapping and start before they end; "
                    f"got {start}–{end}.",
                    f"Các ca làm việc phải theo thứ tự, không chồng nhau, giờ bắt đầu trước giờ "
                    f"kết thúc; nhận được {start}–{end}.",
                )
            out.append((s, e, before))
            before += e - s
            last_end = e
        return tuple(out)

    # ---------------------------------------------------------------------------- internals
    def _out_of_range(self, what: str, what_vi: str) -> OutOfRangeError:
        return OutOfRangeError(
            f"{what} is outside the working calendar, which covers "
            f"{self.first_year}–{self.last_year}; use a date within those years.",
            f"{what_vi} nằm ngoài lịch làm việc (chỉ có các năm {self.first_year}–"
            f"{self.last_year}); hãy dùng ngày trong khoảng này.",
        )

    def _local(self, at: datetime) -> tuple[int, int, datetime]:
        """(day offset from the first date, µs of the local day, the local datetime)."""
        tz = at.tzinfo
        if tz is not self.tz and (tz is None or tz.utcoffset(at) is None):
            raise NaiveDatetimeError(
                f"{at!r} has no time zone; give an aware datetime (e.g. tzinfo=ZoneInfo"
                f"('{DEFAULT_TZ}')).",
                f"Thời điểm {at} không có múi giờ; hãy dùng thời điểm có múi giờ "
                f"(ví dụ {DEFAULT_TZ}).",
            )
        loc = at.astimezone(self.tz)
        k = loc.toordinal() - self._base
        if not 0 <= k < self._stop - self._base:
            raise self._out_of_range(f"The instant {at.isoformat()}", f"Thời điểm {at.isoformat()}")
        us = ((loc.hour * 60 + loc.minute) * 60 + loc.second) * _US_PER_SECOND + loc.microsecond
        return k, us, loc

    def _cutoff_us(self, cutoff: time) -> int:
        us = self._cutoffs.get(cutoff)
        if us is None:
            us = self._cutoffs[cutoff] = _time_us(cutoff)
        return us

    def _eff(self, k: int, us: int, cutoff_us: int | None) -> tuple[int, int, bool]:
        """Effective reception as (working-day index, µs of that day, is the instant itself)."""
        if cutoff_us is not None and us > cutoff_us:
            i = self._next_idx[k + 1]
        else:
            i = self._day_idx[k]
            if i >= 0:
                for s, e, _ in self._pats[i]:
                    if us < s:
                        return i, s, False
                    if us <= e:
                        return i, us, True
                i = self._next_idx[k + 1]
            else:
                i = self._next_idx[k]
        if i >= self._nwork:
            raise self._out_of_range("The next working day", "Ngày làm việc tiếp theo")
        return i, self._pats[i][0][0], False

    def _w(self, k: int, us: int) -> int:
        """The working clock: working µs since the calendar's first working instant."""
        i = self._day_idx[k]
        if i < 0:
            return self._cum[self._next_idx[k]]
        w = self._cum[i]
        for s, e, before in self._pats[i]:
            if us <= s:
                return w + before
            if us < e:
                return w + before + us - s
        return self._cum[i + 1]

    def _w_of(self, at: datetime) -> int:
        k, us, _ = self._local(at)
        return self._w(k, us)

    def _instant(self, target: int) -> datetime:
        """The first instant at which the working clock reaches ``target`` (> 0)."""
        j = bisect_left(self._cum, target) - 1
        if j >= self._nwork:
            raise self._out_of_range("The deadline", "Hạn giải quyết")
        rem = target - self._cum[j]
        for s, e, before in self._pats[j]:
            if rem <= before + e - s:
                return self._midnight[j] + timedelta(microseconds=s + rem - before)
        raise AssertionError("unreachable: cumulative counts are consistent")  # pragma: no cover

    def _at(self, i: int, us: int) -> datetime:
        return self._midnight[i] + timedelta(microseconds=us)

    def _date_offset(self, d: date) -> int:
        k = d.toordinal() - self._base
        if not 0 <= k < self._stop - self._base:
            raise self._out_of_range(f"The date {d.isoformat()}", f"Ngày {d:%d/%m/%Y}")
        return k

    # ------------------------------------------------------------------------------ queries
    def is_working_day(self, d: date) -> bool:
        """True when ``d`` has office sessions (a weekday not off, or a make-up day)."""
        return self._day_idx[self._date_offset(d)] >= 0

    def reason(self, d: date) -> str | None:
        """Why ``d`` is exceptional (holiday name, make-up note), or None for an ordinary day."""
        return self._non_working.get(d) or self._makeup.get(d)

    def source(self, d: date) -> str | None:
        """Where the exception of ``d`` comes from, when the builder said so."""
        return self._sources.get(d)

    def exceptional_days(self, year: int) -> list[CalendarDay]:
        """Every non-working weekday and every working weekly-rest day of ``year``, with reasons.

        This is what the calendar page lists for an administrator to check against the year's
        official notice (D2).
        """
        out: list[CalendarDay] = []
        d = date(year, 1, 1)
        while d.year == year:
            k = self._date_offset(d)
            working = self._day_idx[k] >= 0
            if d in self._non_working or d in self._makeup:
                why = self.reason(d) or ""
                out.append(CalendarDay(d, working, why, self._sources.get(d, "")))
            d += timedelta(days=1)
        return out

    def working_periods(self, d: date) -> list[tuple[datetime, datetime]]:
        """The office sessions of ``d`` as aware datetimes in the calendar's zone ([] if off)."""
        i = self._day_idx[self._date_offset(d)]
        if i < 0:
            return []
        periods = self._periods[i]
        if periods is None:
            periods = self._periods[i] = tuple(
                (self._at(i, s), self._at(i, e)) for s, e, _ in self._pats[i]
            )
        return list(periods)

    # ---------------------------------------------------------------------------- reception
    def effective_reception(self, at: datetime, cutoff: time | None = None) -> datetime:
        """D5: the moment from which a dossier received at ``at`` counts.

        Within a session of a working day (sessions are closed: 12:00:00 and 17:00:00 are inside)
        it is ``at`` itself (in the calendar's zone); otherwise the opening of the next session
        (during lunch: 13:00 the same day; after 17:00 or on a day off: 08:00 of the next working
        day). With a ``cutoff`` and a local time strictly after it, the opening of the next
        working day after the date of ``at``.
        """
        k, us, loc = self._local(at)
        i, eus, itself = self._eff(k, us, None if cutoff is None else self._cutoff_us(cutoff))
        return loc if itself else self._at(i, eus)

    # ------------------------------------------------------------------------------- Mode D
    def add_working_days(self, at: datetime, n: int, cutoff: time | None = None) -> datetime:
        """Mode D (D3, DOMAIN §6.6): the close of office hours of the n-th working day after the
        effective reception day (Civil Code Art. 147: the reception day is not counted).

        ``n = 0`` gives the close of the effective reception day ("same day"). With a
        ``cutoff`` (e.g. 15:00) a reception strictly after it counts from the next working day.
        """
        if type(n) is not int:
            n = operator.index(n)
        if n < 0:
            raise NegativeDurationError(
                f"The number of working days cannot be negative (got {n}); give 0 or more.",
                f"Số ngày làm việc không được âm (nhận {n}); hãy nhập từ 0 trở lên.",
            )
        k, us, _ = self._local(at)
        i = self._eff(k, us, None if cutoff is None else self._cutoff_us(cutoff))[0] + n
        if i >= self._nwork:
            raise self._out_of_range("The deadline", "Hạn giải quyết")
        return self._close[i]

    def bulk_add_working_days(
        self,
        starts_local_dates: npt.NDArray[np.datetime64],
        n: npt.NDArray[np.integer],
    ) -> npt.NDArray[np.datetime64]:
        """Vectorised Mode D on dates: the due DATE of each (start date, n) pair.

        Each start date is treated as a reception inside office hours: if it is a working day it
        is the reception day, otherwise the next working day is. The due date is the n-th working
        day after it, the same date as ``add_working_days(<that date at 10:00>, n)``. No Python
        loop: a lookup of the next working-day index and one fancy index into the working days.
        """
        s = np.asarray(starts_local_dates, dtype="datetime64[D]").astype(np.int64)
        s = s - self._base_epoch
        steps = np.asarray(n, dtype=np.int64)
        if s.size:
            if s.min() < 0 or s.max() >= self._stop - self._base:
                raise self._out_of_range("A start date", "Một ngày bắt đầu")
            if steps.size and steps.min() < 0:
                raise NegativeDurationError(
                    "The numbers of working days cannot be negative; give 0 or more.",
                    "Số ngày làm việc không được âm; hãy nhập từ 0 trở lên.",
                )
        idx = self._next_idx_np[s] + steps
        if idx.size and idx.max() >= self._nwork:
            raise self._out_of_range("A deadline", "Một hạn giải quyết")
        due: npt.NDArray[np.datetime64] = self._work_days_np[idx]
        return due

    # ------------------------------------------------------------------------------- Mode H
    def add_working_hours(self, at: datetime, hours: Hours) -> datetime:
        """Mode H (D4): consume ``hours`` of office time from the effective reception of ``at``.

        Lunch breaks and non-working days are skipped. When the budget runs out exactly at the end
        of a session the due is that end (12:00, 17:00), not the next opening; a zero budget gives
        the effective reception. ``hours`` may be int, Decimal, Fraction or float (a float is read
        through its shortest repr, so 0.1 means 1/10); it is resolved to the microsecond, rounding
        up.
        """
        budget = _hours_to_us(hours)
        k, us, loc = self._local(at)
        i, eus, itself = self._eff(k, us, None)
        if budget == 0:
            return loc if itself else self._at(i, eus)
        return self._instant(self._w(k, us) + budget)

    def working_hours_between(self, a: datetime, b: datetime) -> Fraction:
        """Working time from ``a`` to ``b`` as an exact Fraction of hours (negative if b < a)."""
        return Fraction(self._w_of(b) - self._w_of(a), _US_PER_HOUR)

    # ------------------------------------------------------------------------------- pauses
    def due_with_pauses(
        self, start: datetime, budget_hours: Hours, pauses: Sequence[Pause]
    ) -> datetime | None:
        """D8 PAUSE_CLOCK: the due of a ``budget_hours`` clock started at ``start`` that stops at
        each pause and resumes at its resume instant.

        The due moves by exactly the WORKING time of each pause that begins strictly before the
        running due instant; a pause that begins at or after it changes nothing (the clock never
        lends time). An open pause (resume None) that begins before the running due gives None:
        the clock is stopped. Pauses must be in order, begin at or after ``start``, not
        overlap (one may begin when the previous resumes), resume at or after they begin, and an
        open pause must be the last; otherwise :class:`InvalidPauseError`.
        """
        budget = _hours_to_us(budget_hours)
        k, us, loc = self._local(start)
        i, eus, itself = self._eff(k, us, None)
        eff = loc if itself else self._at(i, eus)
        w0 = self._w(k, us)
        self._check_pauses(start, pauses)
        target = w0 + budget
        for paused_at, resumed_at in pauses:
            wp = self._w_of(paused_at)
            # The pause counts when it begins strictly before the running due instant.
            if wp > target or (wp == target and paused_at >= self._due_at(target, w0, eff)):
                break
            if resumed_at is None:
                return None
            target += self._w_of(resumed_at) - wp
        return self._due_at(target, w0, eff)

    def _due_at(self, target: int, w0: int, eff: datetime) -> datetime:
        return eff if target == w0 else self._instant(target)

    def _check_pauses(self, start: datetime, pauses: Sequence[Pause]) -> None:
        previous: datetime | None = start
        for number, (paused_at, resumed_at) in enumerate(pauses, start=1):
            self._local(paused_at)  # aware and within the years, or a named error
            if resumed_at is not None:
                self._local(resumed_at)
            if previous is None:
                raise InvalidPauseError(
                    f"Pause {number} follows an open pause; only the last pause may be open.",
                    f"Lần tạm dừng {number} đứng sau một lần tạm dừng chưa kết thúc; chỉ lần "
                    "cuối cùng được phép chưa kết thúc.",
                )
            if paused_at < previous:
                raise InvalidPauseError(
                    f"Pause {number} begins at {paused_at.isoformat()}, before the clock start or "
                    "the previous resume; give pauses in order, without overlap.",
                    f"Lần tạm dừng {number} bắt đầu lúc {paused_at}, trước khi bắt đầu tính giờ "
                    "hoặc trước lần tiếp tục trước; hãy nhập các lần tạm dừng theo thứ tự, "
                    "không chồng nhau.",
                )
            if resumed_at is not None and resumed_at < paused_at:
                raise InvalidPauseError(
                    f"Pause {number} resumes ({resumed_at.isoformat()}) before it begins "
                    f"({paused_at.isoformat()}).",
                    f"Lần tạm dừng {number} tiếp tục ({resumed_at}) trước khi bắt đầu "
                    f"({paused_at}).",
                )
            previous = resumed_at

    def shift_by_paused_time(
        self, due: datetime, paused_from: datetime, resumed_at: datetime
    ) -> datetime:
        """Move an already computed due (e.g. a Mode D appointment) by the WORKING time of one
        pause: ``add_working_hours(due, working_hours_between(paused_from, resumed_at))``.

        A Mode D due at 17:00 paused for two working hours becomes 10:00 of the next working day;
        paused for whole working days it stays at 17:00. Use it only for a pause that began before
        the due (a later pause must not move it; :meth:`due_with_pauses` checks that itself).
        """
        if resumed_at < paused_from:
            raise NegativeDurationError(
                f"The pause resumes ({resumed_at.isoformat()}) before it begins "
                f"({paused_from.isoformat()}).",
                f"Thời điểm tiếp tục ({resumed_at}) trước thời điểm tạm dừng ({paused_from}).",
            )
        paused = self._w_of(resumed_at) - self._w_of(paused_from)
        k, us, loc = self._local(due)
        i, eus, itself = self._eff(k, us, None)
        if paused == 0:
            return loc if itself else self._at(i, eus)
        return self._instant(self._w(k, us) + paused)

    # ------------------------------------------------------------------------------ explain
    def explain(
        self,
        at: datetime,
        *,
        working_days: int | None = None,
        working_hours: Hours | None = None,
        cutoff: time | None = None,
    ) -> list[str]:
        """Vietnamese lines explaining a deadline, one per rule applied and per day skipped.

        Give ``working_days`` (Mode D, with an optional ``cutoff``) or ``working_hours`` (Mode H).
        Every holiday or swapped day off between the reception and the due is named on its own
        line, and so is every make-up working day used; plain weekends are summarised in one line.
        """
        if working_days is not None and working_hours is not None:
            raise CalendarError(
                "Explain one mode at a time: give working_days or working_hours, not both.",
                "Chỉ giải thích một cách tính: số ngày làm việc hoặc số giờ làm việc.",
            )
        k, us, loc = self._local(at)
        lines = [f"Tiếp nhận lúc {_fmt_instant(loc)}"]
        use_cutoff = cutoff if working_hours is None else None
        eff = self.effective_reception(at, use_cutoff)
        if use_cutoff is not None and us > self._cutoff_us(use_cutoff):
            lines.append(
                f"Tiếp nhận sau {use_cutoff.strftime('%H:%M')} (giờ chốt của thủ tục): "
                f"tính từ {_fmt_instant(eff)}"
            )
        elif eff != loc:
            lines.append(f"Tiếp nhận ngoài giờ làm việc: tính từ {_fmt_instant(eff)}")
        if working_days is not None:
            due = self.add_working_days(at, working_days, cutoff)
            if working_days == 0:
                lines.append("Giải quyết trong ngày tiếp nhận: hạn là cuối giờ làm việc")
            else:
                lines.append(
                    f"Thời hạn {working_days} ngày làm việc, không tính ngày tiếp nhận "
                    "(Bộ luật Dân sự, Điều 147): đếm từ ngày làm việc kế tiếp"
                )
        elif working_hours is not None:
            due = self.add_working_hours(at, working_hours)
            exact = Fraction(_hours_to_us(working_hours), _US_PER_HOUR)
            lines.append(
                f"Thời hạn {_fmt_hours(exact)} giờ làm việc "
                f"({_fmt_hours(exact / HOURS_PER_DAY)} ngày; 1 ngày = {HOURS_PER_DAY} giờ), "
                "bỏ qua giờ nghỉ trưa và ngày nghỉ"
            )
        else:
            return lines
        weekends: list[date] = []
        named: list[str] = []
        d = loc.date()
        last = due.astimezone(self.tz).date()
        while d <= last:
            i = self._day_idx[d.toordinal() - self._base]
            if i < 0:
                why = self._non_working.get(d)
                if why is None:
                    weekends.append(d)
                else:
                    named.append(f"{_fmt_date(d)} ({WEEKDAY_VI[d.weekday()]}): nghỉ — {why}")
            elif d in self._makeup and d >= eff.date():
                named.append(
                    f"{_fmt_date(d)} ({WEEKDAY_VI[d.weekday()]}): ngày làm bù — {self._makeup[d]}"
                )
            d += timedelta(days=1)
        if weekends:
            days = ", ".join(_fmt_date(x) for x in weekends)
            lines.append(f"Nghỉ cuối tuần ({len(weekends)} ngày): {days}")
        lines.extend(named)
        lines.append(f"Hạn: {_fmt_instant(due)}")
        return lines
