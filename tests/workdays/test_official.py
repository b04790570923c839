"""The shipped civil-servant calendar against DOMAIN §8.5 and the worked examples of §15.

No Django, no database: the calendar is plain data.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.workdays.official import (
    LIBRARY_SOURCE,
    OFFICIAL_EXCEPTIONS,
    CalendarException,
    ExceptionKind,
    build_calendar,
)
from motcua.workdays.rules import CalendarError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = build_calendar()


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# DOMAIN §8.5 (plus 2024 New Year, Tết Giáp Thìn and Hùng Kings): every day off of each occasion.
OFF_PERIODS = [
    ("2024 Tết Dương lịch", date(2024, 1, 1), date(2024, 1, 1)),
    ("2024 Tết Giáp Thìn", date(2024, 2, 8), date(2024, 2, 14)),
    ("2024 Giỗ Tổ Hùng Vương", date(2024, 4, 18), date(2024, 4, 18)),
    ("2024 30/4–1/5", date(2024, 4, 27), date(2024, 5, 1)),
    ("2024 Quốc khánh", date(2024, 8, 31), date(2024, 9, 3)),
    ("2025 Tết Dương lịch", date(2025, 1, 1), date(2025, 1, 1)),
    ("2025 Tết Ất Tỵ", date(2025, 1, 25), date(2025, 2, 2)),
    ("2025 Giỗ Tổ Hùng Vương", date(2025, 4, 7), date(2025, 4, 7)),
    ("2025 30/4–1/5", date(2025, 4, 30), date(2025, 5, 4)),
    ("2025 Quốc khánh", date(2025, 8, 30), date(2025, 9, 2)),
    ("2026 Tết Dương lịch", date(2026, 1, 1), date(2026, 1, 4)),
    ("2026 Tết Bính Ngọ", date(2026, 2, 14), date(2026, 2, 22)),
    ("2026 Giỗ Tổ Hùng Vương", date(2026, 4, 25), date(2026, 4, 27)),
    ("2026 30/4–1/5", date(2026, 4, 30), date(2026, 5, 3)),
    ("2026 Quốc khánh", date(2026, 8, 29), date(2026, 9, 2)),
]
OFF_DAYS = [(name, d) for name, first, last in OFF_PERIODS for d in days(first, last)]
OFF_WEEKDAYS = [(name, d) for name, d in OFF_DAYS if d.weekday() < 5]
MAKEUP_SATURDAYS = [date(2024, 5, 4), date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)]


@pytest.mark.parametrize(("occasion", "day"), OFF_DAYS, ids=[str(d) for _, d in OFF_DAYS])
def test_every_day_off_of_the_official_2024_2026_calendars_is_not_a_working_day(occasion, day):
    assert not CAL.is_working_day(day), occasion


@pytest.mark.parametrize(("occasion", "day"), OFF_WEEKDAYS, ids=[str(d) for _, d in OFF_WEEKDAYS])
def test_every_weekday_off_in_2024_2026_has_a_reason_and_a_source(occasion, day):
    assert CAL.reason(day), occasion
    assert CAL.source(day), occasion


@pytest.mark.parametrize("day", MAKEUP_SATURDAYS, ids=str)
def test_every_make_up_saturday_of_2024_2026_is_a_working_day_with_full_hours(day):
    assert day.weekday() == 5
    assert CAL.is_working_day(day)
    assert CAL.reason(day).startswith("Làm bù cho")
    assert [(a.time(), b.time()) for a, b in CAL.working_periods(day)] == [
        (time(8), time(12)),
        (time(13), time(17)),
    ]


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_no_other_weekday_is_off_and_no_other_weekend_day_is_worked_in_2024_2026(year):
    listed_off = {d for _, d in OFF_WEEKDAYS}
    for day in days(date(year, 1, 1), date(year, 12, 31)):
        expected = (day.weekday() < 5 and day not in listed_off) or day in MAKEUP_SATURDAYS
        assert CAL.is_working_day(day) is expected, day


def test_the_2026_new_year_swap_holds_friday_2_january_off_and_saturday_10_january_worked():
    assert not CAL.is_working_day(date(2026, 1, 2))
    assert CAL.is_working_day(date(2026, 1, 10))
    assert "10/01/2026" in CAL.reason(date(2026, 1, 2))
    assert CAL.reason(date(2026, 1, 10)) == "Làm bù cho thứ Sáu 02/01/2026"
    assert "12729/VPCP-KGVX" in CAL.source(date(2026, 1, 2))


def test_days_from_the_library_are_credited_to_the_library():
    assert CAL.source(date(2026, 2, 17)) == LIBRARY_SOURCE
    assert CAL.reason(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert CAL.reason(date(2026, 8, 22)) == "Làm bù cho thứ Hai 31/08/2026"


def test_the_calendar_page_lists_each_exceptional_day_of_a_year_with_its_source():
    rows = {row.on: row for row in CAL.exceptional_days(2026)}
    assert rows[date(2026, 1, 10)].working
    assert not rows[date(2026, 1, 2)].working
    assert all(row.source for row in rows.values())
    assert {d for _, d in OFF_WEEKDAYS if d.year == 2026} <= set(rows)


def test_vietnam_culture_day_is_left_out_until_enacted_unless_the_flag_is_set():
    assert CAL.is_working_day(date(2026, 11, 24))
    with_flag = build_calendar(2026, 2026, culture_day=True)
    assert not with_flag.is_working_day(date(2026, 11, 24))


def test_an_exception_wins_over_the_library_both_ways():
    cal = build_calendar(
        2026,
        2026,
        exceptions=[
            CalendarException(date(2026, 9, 1), ExceptionKind.MAKEUP_WORKDAY, "Làm việc", "test"),
            CalendarException(date(2026, 3, 3), ExceptionKind.HOLIDAY, "Nghỉ riêng", "QĐ 1/2026"),
        ],
    )
    assert cal.is_working_day(date(2026, 9, 1))
    assert not cal.is_working_day(date(2026, 3, 3))
    assert cal.source(date(2026, 3, 3)) == "QĐ 1/2026"
    # without the shipped exceptions the library's gap shows again
    assert cal.is_working_day(date(2026, 1, 2))


def test_two_exceptions_on_one_date_are_refused():
    twice = [OFFICIAL_EXCEPTIONS[0], OFFICIAL_EXCEPTIONS[0]]
    with pytest.raises(CalendarError):
        build_calendar(2026, 2026, exceptions=twice)


# ------------------------------------------------------------------ worked examples (DOMAIN §15)
def test_e1_three_working_days_from_friday_16_january_2026_end_on_wednesday_21():
    assert CAL.add_working_days(at(2026, 1, 16), 3) == at(2026, 1, 21, 17)


def test_e2_five_working_days_from_thursday_12_february_2026_skip_tet_to_thursday_26():
    assert CAL.add_working_days(at(2026, 2, 12), 5) == at(2026, 2, 26, 17)


def test_e6_one_working_day_from_29_april_2026_skips_the_holidays_to_monday_4_may():
    assert CAL.add_working_days(at(2026, 4, 29), 1) == at(2026, 5, 4, 17)


def test_e11_a_certification_received_at_14_30_is_due_the_same_day():
    assert CAL.add_working_days(at(2026, 1, 20, 14, 30), 0, cutoff=time(15)) == at(2026, 1, 20, 17)


def test_e11_a_certification_received_at_15_20_is_due_the_next_working_day():
    assert CAL.add_working_days(at(2026, 1, 20, 15, 20), 0, cutoff=time(15)) == at(2026, 1, 21, 17)


def test_e13_a_paper_dossier_at_15_20_is_transferred_at_opening_and_filed_within_one_day():
    received = at(2026, 1, 20, 15, 20)
    assert CAL.effective_reception(received, cutoff=time(15)) == at(2026, 1, 21, 8)
    assert CAL.add_working_hours(received, 8) == at(2026, 1, 21, 15, 20)


def test_e16_a_quarter_day_step_from_monday_9_00_is_due_11_00_and_from_11_00_due_14_00():
    monday = (2026, 1, 19)
    assert CAL.add_working_hours(at(*monday, 9), 0.25 * 8) == at(*monday, 11)
    assert CAL.add_working_hours(at(*monday, 11), 2) == at(*monday, 14)


def test_e29_forty_eight_clock_hours_need_no_calendar():
    received = at(2026, 3, 2, 9)
    assert received + timedelta(hours=48) == at(2026, 3, 4, 9)
    # a working-hours reading would differ: 48 working hours are six working days
    assert CAL.add_working_hours(received, 48) == at(2026, 3, 10, 9)


def test_e30_out_of_competence_feedback_is_forwarded_within_five_working_days():
    assert CAL.add_working_days(at(2026, 3, 2), 5) == at(2026, 3, 9, 17)


def test_a_dossier_received_on_new_year_eve_2025_counts_the_make_up_saturday():
    lines = CAL.explain(at(2025, 12, 31, 16), working_days=8)
    assert lines[-1] == "Hạn: 17:00 thứ Ba 13/01/2026"
    assert "02/01/2026 (thứ Sáu): nghỉ — " in "\n".join(lines)
    assert "10/01/2026 (thứ Bảy): ngày làm bù — Làm bù cho thứ Sáu 02/01/2026" in lines
