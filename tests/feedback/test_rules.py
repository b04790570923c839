"""The feedback clock (D11) and the look-up secret: pure rules, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import get_args
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.api.feedback import CategoryName
from motcua.feedback.models import Category
from motcua.feedback.rules import (
    DEFAULT_SLA,
    Clock,
    Sla,
    clean_text,
    derive_secret,
    hash_secret,
    is_overdue,
    normalize_secret,
    respond_by,
)
from motcua.workdays.official import build_calendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = build_calendar()


def test_e29_green_lane_delay_feedback_received_monday_9_is_answered_by_wednesday_9():
    received = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    due = respond_by(received_at=received, sla=DEFAULT_SLA["delay"], calendar=CAL)
    assert due == datetime(2026, 3, 4, 9, 0, tzinfo=VN)


def test_e30_regulation_feedback_received_monday_2_march_is_forwarded_by_monday_9_march():
    received = datetime(2026, 3, 2, 10, 0, tzinfo=VN)
    due = respond_by(received_at=received, sla=DEFAULT_SLA["regulation"], calendar=CAL)
    assert due.astimezone(VN).date() == date(2026, 3, 9)
    assert due.astimezone(VN).hour == 17


def test_48_clock_hours_run_through_the_weekend_but_48_working_hours_do_not():
    friday = datetime(2026, 3, 6, 9, 0, tzinfo=VN)
    assert respond_by(received_at=friday, sla=Sla(Clock.CLOCK_HOURS, 48), calendar=CAL) == datetime(
        2026, 3, 8, 9, 0, tzinfo=VN
    )
    working = respond_by(received_at=friday, sla=Sla(Clock.WORKING_HOURS, 48), calendar=CAL)
    assert working.astimezone(VN) == datetime(2026, 3, 16, 9, 0, tzinfo=VN)


def test_a_naive_reception_time_is_refused():
    with pytest.raises(ValueError):
        respond_by(
            received_at=datetime(2026, 3, 2, 9, 0),  # noqa: DTZ001
            sla=DEFAULT_SLA["delay"],
            calendar=CAL,
        )


def test_every_category_of_the_contract_has_a_default_clock():
    # the categories of API.md, as the API's schema names them
    assert set(DEFAULT_SLA) == set(get_args(CategoryName)) == set(Category.values)


@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1),  # noqa: DTZ001 — hypothesis bounds are naive
        max_value=datetime(2027, 12, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    hours=st.integers(min_value=1, max_value=200),
    clock=st.sampled_from(list(Clock)),
)
def test_the_respond_by_time_is_never_before_reception(start, hours, clock):
    amount = hours if clock != Clock.WORKING_DAYS else max(1, hours // 10)
    due = respond_by(received_at=start, sla=Sla(clock, amount), calendar=CAL)
    assert due > start


def test_out_of_scope_answered_and_closed_items_are_never_overdue():
    due = datetime(2026, 3, 4, 9, 0, tzinfo=VN)
    later = due + timedelta(days=30)
    assert is_overdue(status="forwarded", in_scope=True, respond_by=due, now=later)
    assert is_overdue(status="new", in_scope=None, respond_by=due, now=later)
    assert not is_overdue(status="closed", in_scope=False, respond_by=None, now=later)
    assert not is_overdue(status="new", in_scope=False, respond_by=due, now=later)
    assert not is_overdue(status="answered", in_scope=True, respond_by=due, now=later)
    assert not is_overdue(status="forwarded", in_scope=True, respond_by=due, now=due)


def test_control_characters_are_dropped_and_line_ends_kept():
    assert clean_text("  a\x00b\r\nc\x1bd\te  ") == "ab\ncd\te"


def test_the_secret_is_stable_for_a_nonce_and_forgiving_when_typed():
    secret = derive_secret(b"key", "nonce")
    assert secret == derive_secret(b"key", "nonce") and len(secret) == 10
    assert derive_secret(b"key", "other") != secret
    typed = f" {secret[:5].lower()}-{secret[5:]} "
    assert hash_secret("nonce", typed) == hash_secret("nonce", secret)
    assert normalize_secret("ab-cd ef") == "ABCDEF"
