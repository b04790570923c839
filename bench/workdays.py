"""Throughput of the working-time engine (motcua/workdays/rules.py). Prints figures, asserts nothing.

Run from the repository root: ``python bench/workdays.py``.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from motcua.workdays.official import build_calendar  # noqa: E402

SEED = 20260101
SCALAR_CALLS = 200_000
BULK_PAIRS = 1_000_000
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}"


def main() -> None:
    rng = random.Random(SEED)
    cal = build_calendar()
    first = datetime(2020, 1, 1, tzinfo=VN)
    span = (10 * 365) * 86_400  # starts in 2020–2029, so every deadline stays inside 2030
    starts = [first + timedelta(seconds=rng.randrange(span)) for _ in range(SCALAR_CALLS)]
    days = [rng.randrange(0, 31) for _ in range(SCALAR_CALLS)]
    hours = [rng.randrange(0, 241) for _ in range(SCALAR_CALLS)]

    add_days = cal.add_working_days
    t0 = time.perf_counter()
    for s, n in zip(starts, days, strict=True):
        add_days(s, n)
    print(f"scalar add_working_days: {rate(SCALAR_CALLS, time.perf_counter() - t0)} calls/s")

    add_hours = cal.add_working_hours
    t0 = time.perf_counter()
    for s, h in zip(starts, hours, strict=True):
        add_hours(s, h)
    print(f"scalar add_working_hours: {rate(SCALAR_CALLS, time.perf_counter() - t0)} calls/s")

    nrng = np.random.default_rng(SEED)
    base = np.datetime64("2020-01-01", "D")
    start_dates = base + nrng.integers(0, 10 * 365, BULK_PAIRS).astype("timedelta64[D]")
    steps = nrng.integers(0, 31, BULK_PAIRS)

    t0 = time.perf_counter()
    ours = cal.bulk_add_working_days(start_dates, steps)
    ours_s = time.perf_counter() - t0
    print(f"bulk_add_working_days: {rate(BULK_PAIRS, ours_s)} deadlines/s ({BULK_PAIRS:,} pairs)")

    # The reference: Mon–Fri weekmask plus every non-working weekday of the calendar. busday_offset
    # cannot express a make-up Saturday, so it is compared only on pairs that involve none.
    all_days = np.arange(base, np.datetime64("2031-01-01", "D"))
    working = np.array([cal.is_working_day(d.astype(object)) for d in all_days])
    weekday = (all_days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    holidays = all_days[(weekday < 5) & ~working]
    makeup = all_days[(weekday >= 5) & working]
    calendar = np.busdaycalendar(weekmask="1111100", holidays=holidays)
    t0 = time.perf_counter()
    ref = np.busday_offset(start_dates, steps, roll="forward", busdaycal=calendar)
    ref_s = time.perf_counter() - t0
    print(
        f"numpy.busday_offset (weekmask Mon–Fri + {len(holidays)} holidays; cannot do make-up "
        f"Saturdays): {rate(BULK_PAIRS, ref_s)} deadlines/s"
    )
    print(f"ratio bulk / numpy: {ref_s / ours_s:.2f}x")

    touches = np.zeros(BULK_PAIRS, dtype=bool)
    for m in makeup:
        touches |= (start_dates <= m) & (ref >= m)
    clean = ~touches
    agree = int(np.count_nonzero(ours[clean] == ref[clean]))
    print(
        f"agreement on pairs with no make-up Saturday ({len(makeup)} in the calendar): "
        f"{agree:,} / {int(clean.sum()):,}; pairs spanning a make-up Saturday: "
        f"{int(touches.sum()):,} (numpy differs on {int(np.count_nonzero(ours != ref)):,})"
    )


if __name__ == "__main__":
    main()
