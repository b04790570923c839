"""The pure working-time engine: examples, refusals and hypothesis properties. No Django."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workdays.official import build_calendar
from motcua.workdays.rules import (
    CalendarError,
    InvalidPauseError,
    NaiveDatetimeError,
    NegativeDurationError,
    OutOfRangeError,
    WorkCalendar,
    describe_working_hours,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = build_calendar()
# A small hand-made calendar: Tue 03/03/2026 off, Sat 07/03/2026 worked.
SMALL = WorkCalendar(
    non_working={date(2026, 3, 3): "Nghỉ thử"},
    makeup={date(2026, 3, 7): "Làm bù cho thứ Ba 03/03/2026"},
    first_year=2026,
    last_year=2026,
)


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=VN)


def in_working_time(cal: WorkCalendar, instant: datetime) -> bool:
    local = instant.astimezone(VN)
    return any(a <= local <= b for a, b in cal.working_periods(local.date()))


# ------------------------------------------------------------------------------ reception (D5)
def test_a_reception_inside_office_hours_counts_from_that_instant():
    assert CAL.effective_reception(at(2026, 1, 19, 9, 30)) == at(2026, 1, 19, 9, 30)


def test_a_reception_during_lunch_counts_from_13_00_the_same_day():
    assert CAL.effective_reception(at(2026, 1, 19, 12, 30)) == at(2026, 1, 19, 13)


def test_a_reception_after_17_00_counts_from_8_00_of_the_next_working_day():
    assert CAL.effective_reception(at(2026, 1, 16, 17, 0, 1)) == at(2026, 1, 19, 8)


def test_the_closing_instant_itself_is_still_office_time():
    assert CAL.effective_reception(at(2026, 1, 16, 17)) == at(2026, 1, 16, 17)
    assert CAL.add_working_days(at(2026, 1, 16, 17), 0) == at(2026, 1, 16, 17)


def test_a_reception_after_the_cutoff_counts_from_the_next_working_day():
    assert CAL.effective_reception(at(2026, 1, 16, 15, 1), cutoff=time(15)) == at(2026, 1, 19, 8)
    assert CAL.effective_reception(at(2026, 1, 16, 15, 0), cutoff=time(15)) == at(2026, 1, 16, 15)


def test_an_instant_in_another_zone_is_read_in_the_calendars_zone():
    utc = datetime(2026, 1, 19, 2, 0, tzinfo=UTC)  # 09:00 in Hanoi
    assert CAL.add_working_hours(utc, 2) == at(2026, 1, 19, 11)


def test_working_periods_of_a_day_off_are_empty_and_of_a_make_up_day_are_full():
    assert SMALL.working_periods(date(2026, 3, 3)) == []
    assert SMALL.working_periods(date(2026, 3, 7)) == [
        (at(2026, 3, 7, 8), at(2026, 3, 7, 12)),
        (at(2026, 3, 7, 13), at(2026, 3, 7, 17)),
    ]


# ------------------------------------------------------------------------------ modes D and H
def test_mode_d_skips_a_day_off_and_uses_a_make_up_saturday():
    assert SMALL.add_working_days(at(2026, 3, 2), 1) == at(2026, 3, 4, 17)
    assert SMALL.add_working_days(at(2026, 3, 5), 2) == at(2026, 3, 7, 17)


def test_mode_h_ends_exactly_at_a_session_end_rather_than_at_the_next_opening():
    assert CAL.add_working_hours(at(2026, 1, 19, 8), 4) == at(2026, 1, 19, 12)
    assert CAL.add_working_hours(at(2026, 1, 16, 9), 8) == at(2026, 1, 19, 9)
    assert CAL.add_working_hours(at(2026, 1, 16, 8), 8) == at(2026, 1, 16, 17)


def test_mode_h_accepts_int_decimal_fraction_and_float_budgets_exactly():
    start = at(2026, 1, 19, 8)
    expected = at(2026, 1, 19, 10, 30)
    for hours in (Decimal("2.5"), Fraction(5, 2), 2.5):
        assert CAL.add_working_hours(start, hours) == expected
    assert CAL.add_working_hours(start, Fraction(1, 3)) == at(2026, 1, 19, 8, 20)


def test_a_zero_budget_is_due_at_the_effective_reception():
    assert CAL.add_working_hours(at(2026, 1, 17, 22), 0) == at(2026, 1, 19, 8)


def test_working_hours_between_is_exact_and_negative_backwards():
    a, b = at(2026, 1, 16, 16, 30), at(2026, 1, 19, 8, 20)
    assert CAL.working_hours_between(a, b) == Fraction(5, 6)
    assert CAL.working_hours_between(b, a) == Fraction(-5, 6)


def test_bulk_mode_d_gives_the_same_dates_as_the_scalar_path():
    starts = np.array(["2026-01-16", "2026-02-12", "2026-04-29", "2026-01-17", "2025-12-31"])
    n = np.array([3, 5, 1, 0, 8])
    due = CAL.bulk_add_working_days(starts.astype("datetime64[D]"), n)
    for s, k, d in zip(starts, n, due, strict=True):
        scalar = CAL.add_working_days(at(*map(int, s.split("-"))), int(k))
        assert scalar.date() == d.astype(object)


# -------------------------------------------------------------------------------- pauses (D8)
def test_a_paused_clock_moves_the_due_by_the_paused_working_time_only():
    start = at(2026, 1, 19, 8)  # Monday
    pauses = [(at(2026, 1, 19, 10), at(2026, 1, 20, 10))]  # one working day paused
    assert CAL.due_with_pauses(start, 16, pauses) == at(2026, 1, 21, 17)


def test_an_open_pause_stops_the_clock():
    assert CAL.due_with_pauses(at(2026, 1, 19, 8), 16, [(at(2026, 1, 19, 10), None)]) is None


def test_a_pause_after_the_due_changes_nothing():
    pauses = [(at(2026, 1, 19, 12), None)]
    assert CAL.due_with_pauses(at(2026, 1, 19, 8), 4, pauses) == at(2026, 1, 19, 12)


def test_pauses_before_the_start_or_overlapping_are_refused():
    start = at(2026, 1, 19, 8)
    with pytest.raises(InvalidPauseError):
        CAL.due_with_pauses(start, 8, [(at(2026, 1, 16, 8), at(2026, 1, 19, 9))])
    overlapping = [(at(2026, 1, 19, 9), at(2026, 1, 19, 11)), (at(2026, 1, 19, 10), None)]
    with pytest.raises(InvalidPauseError):
        CAL.due_with_pauses(start, 8, overlapping)
    after_open = [(at(2026, 1, 19, 9), None), (at(2026, 1, 19, 10), at(2026, 1, 19, 11))]
    with pytest.raises(InvalidPauseError):
        CAL.due_with_pauses(start, 8, after_open)


def test_a_mode_d_due_shifted_by_two_paused_working_hours_moves_to_10_00_next_day():
    due = at(2026, 1, 21, 17)
    shifted = CAL.shift_by_paused_time(due, at(2026, 1, 19, 9), at(2026, 1, 19, 11))
    assert shifted == at(2026, 1, 22, 10)


# ---------------------------------------------------------------------------------- refusals
def test_a_naive_datetime_is_refused_in_both_languages():
    with pytest.raises(NaiveDatetimeError) as caught:
        CAL.add_working_days(datetime(2026, 1, 19, 9), 1)  # noqa: DTZ001
    assert "time zone" in str(caught.value)
    assert "múi giờ" in caught.value.message_vi


def test_negative_durations_are_refused():
    with pytest.raises(NegativeDurationError):
        CAL.add_working_days(at(2026, 1, 19), -1)
    with pytest.raises(NegativeDurationError):
        CAL.add_working_hours(at(2026, 1, 19), Decimal("-0.5"))
    with pytest.raises(NegativeDurationError):
        CAL.bulk_add_working_days(np.array(["2026-01-19"], dtype="datetime64[D]"), np.array([-1]))


def test_dates_and_results_outside_the_calendar_years_are_refused():
    with pytest.raises(OutOfRangeError):
        CAL.add_working_days(at(2019, 12, 31), 1)
    with pytest.raises(OutOfRangeError):
        CAL.add_working_days(at(2030, 12, 20), 30)
    with pytest.raises(OutOfRangeError):
        CAL.add_working_hours(at(2030, 12, 31, 18), 1)
    with pytest.raises(OutOfRangeError):
        CAL.is_working_day(date(2031, 1, 1))
    with pytest.raises(OutOfRangeError) as caught:
        CAL.bulk_add_working_days(np.array(["2031-01-02"], dtype="datetime64[D]"), np.array([1]))
    assert "2020–2030" in str(caught.value)


def test_a_date_both_off_and_worked_is_refused():
    with pytest.raises(CalendarError):
        WorkCalendar(non_working={date(2026, 3, 7): "x"}, makeup={date(2026, 3, 7): "y"})


def test_a_non_finite_budget_is_refused():
    with pytest.raises(CalendarError):
        CAL.add_working_hours(at(2026, 1, 19), float("nan"))


# ----------------------------------------------------------------------------- explain, words
def test_explain_names_the_out_of_hours_rule_the_holidays_and_the_due():
    lines = CAL.explain(at(2026, 2, 13, 18), working_days=1)
    assert lines[1] == "Tiếp nhận ngoài giờ làm việc: tính từ 08:00 thứ Hai 23/02/2026"
    assert "17/02/2026 (thứ Ba): nghỉ — Tết Nguyên Đán" in lines
    assert lines[-1] == "Hạn: 17:00 thứ Ba 24/02/2026"


def test_explain_names_the_cutoff_for_a_same_day_procedure():
    lines = CAL.explain(at(2026, 1, 20, 15, 20), working_days=0, cutoff=time(15))
    assert any("sau 15:00" in line for line in lines)
    assert lines[-1] == "Hạn: 17:00 thứ Tư 21/01/2026"


def test_explain_mode_h_states_the_budget_in_hours_and_days():
    lines = CAL.explain(at(2026, 1, 19, 11), working_hours=2)
    assert "2 giờ làm việc (0,25 ngày" in lines[1]
    assert lines[-1] == "Hạn: 14:00 thứ Hai 19/01/2026"


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (21, "còn 2 ngày 5 giờ"),
        (2, "còn 2 giờ"),
        (Fraction(1, 2), "còn 30 phút"),
        (Decimal("2.5"), "còn 2 giờ 30 phút"),
        (-11, "quá hạn 1 ngày 3 giờ"),
        (8, "còn 1 ngày"),
        (0, "đến hạn"),
        (Fraction(1, 120), "còn dưới 1 phút"),
    ],
)
def test_remaining_working_time_is_described_in_vietnamese(hours, words):
    assert describe_working_hours(hours) == words


# -------------------------------------------------------------------------------- properties
START = datetime(2020, 1, 1, tzinfo=VN)
instants = st.integers(min_value=0, max_value=(10 * 365 + 120) * 86_400).map(
    lambda s: START + timedelta(seconds=s)
)
hour_budgets = st.fractions(min_value=0, max_value=400, max_denominator=3600).map(
    lambda h: Fraction(round(h * 3600), 3600)
)
day_budgets = st.integers(min_value=0, max_value=60)
FAST = settings(max_examples=150, deadline=None)


@FAST
@given(instants, hour_budgets)
def test_a_mode_h_deadline_is_never_before_its_start_and_always_in_working_time(s, h):
    due = CAL.add_working_hours(s, h)
    assert due >= s
    assert in_working_time(CAL, due)


@FAST
@given(instants, hour_budgets, hour_budgets)
def test_adding_a_then_b_working_hours_equals_adding_a_plus_b(s, a, b):
    assert CAL.add_working_hours(CAL.add_working_hours(s, a), b) == CAL.add_working_hours(s, a + b)


@FAST
@given(instants, hour_budgets)
def test_the_working_time_up_to_a_mode_h_deadline_is_the_budget(s, h):
    working_start = CAL.effective_reception(s)
    assert CAL.working_hours_between(working_start, CAL.add_working_hours(working_start, h)) == h
    assert CAL.working_hours_between(s, CAL.add_working_hours(s, h)) == h


@FAST
@given(instants, day_budgets, st.sampled_from([None, time(15)]))
def test_a_mode_d_deadline_is_the_close_of_a_working_day_not_before_the_start(s, n, cutoff):
    due = CAL.add_working_days(s, n, cutoff)
    assert due >= s
    assert CAL.is_working_day(due.date())
    assert due == CAL.working_periods(due.date())[-1][1]


@FAST
@given(instants, hour_budgets, st.lists(st.integers(0, 30 * 86_400), min_size=0, max_size=6))
def test_a_paused_clock_never_lends_time_and_moves_by_the_paused_working_time(s, h, offsets):
    marks = sorted(s + timedelta(seconds=x) for x in offsets)
    pauses = list(zip(marks[::2], marks[1::2], strict=False))
    due = CAL.add_working_hours(s, h)
    paused = CAL.due_with_pauses(s, h, pauses)
    assert paused is not None and paused >= due
    counted = sum(
        (CAL.working_hours_between(p, r) for p, r in pauses if p < CAL.add_working_hours(s, h)),
        Fraction(0),
    )
    if len(pauses) <= 1:
        assert paused == CAL.add_working_hours(due, counted)
    assert CAL.working_hours_between(s, paused) >= h


@FAST
@given(instants, hour_budgets, st.integers(0, 20 * 86_400), st.integers(0, 20 * 86_400))
def test_one_pause_before_the_due_moves_it_by_exactly_its_working_time(s, h, x, y):
    due = CAL.add_working_hours(s, h)
    p, r = sorted((s + timedelta(seconds=x), s + timedelta(seconds=y)))
    paused = CAL.due_with_pauses(s, h, [(p, r)])
    if p < due:
        assert paused == CAL.add_working_hours(due, CAL.working_hours_between(p, r))
        assert paused == CAL.shift_by_paused_time(due, p, r)
    else:
        assert paused == due


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.dates(date(2020, 1, 1), date(2030, 6, 30)), min_size=1, max_size=30),
    st.data(),
)
def test_bulk_mode_d_agrees_with_the_scalar_path_for_any_start_dates(starts, data):
    n = data.draw(st.lists(day_budgets, min_size=len(starts), max_size=len(starts)))
    due = CAL.bulk_add_working_days(np.array(starts, dtype="datetime64[D]"), np.array(n))
    for d, k, got in zip(starts, n, due, strict=True):
        noon = datetime.combine(d, time(10), tzinfo=VN)
        assert CAL.add_working_days(noon, k).date() == got.astype(object)
