"""The pure rules: timeliness (D7), the appointment (D3, D5), the green lane (D6), masking."""

from datetime import time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.dossiers.rules import (
    SECRET_ALPHABET,
    Timeliness,
    appointment,
    classify_timeliness,
    counted_steps,
    derive_secret,
    format_secret,
    green_lane_due,
    hash_secret,
    mask_name,
    normalize_secret,
)
from motcua.workdays.official import build_calendar
from tests.dossiers.helpers import VN, at

CAL = build_calendar()


def _due(received_at, days=None, hours=None, mode="day", cutoff=None):
    return appointment(
        CAL,
        received_at=received_at,
        legal_working_days=Decimal(days) if days is not None else None,
        legal_working_hours=Decimal(hours) if hours is not None else None,
        deadline_mode=mode,
        cutoff=cutoff,
    )


# --------------------------------------------------------------------------------- timeliness
def test_ready_on_a_day_before_the_due_day_is_early():  # E18
    due = at(26, 17, month=2)
    assert classify_timeliness(finished_at=at(25, 16, month=2), due_at=due, tz=VN) == "early"


def test_ready_on_the_due_day_within_hours_is_on_time():  # E19
    due = at(26, 17, month=2)
    assert classify_timeliness(finished_at=at(26, 9, month=2), due_at=due, tz=VN) == "on_time"
    assert classify_timeliness(finished_at=due, due_at=due, tz=VN) == Timeliness.ON_TIME


def test_ready_after_the_due_instant_is_late():  # E20
    due = at(26, 17, month=2)
    assert classify_timeliness(finished_at=at(27, 8, month=2), due_at=due, tz=VN) == "late"
    assert classify_timeliness(finished_at=at(26, 17, 1, month=2), due_at=due, tz=VN) == "late"


def test_timeliness_compares_local_dates_not_utc_dates():
    # 06:30 local on the 26th is still the 25th in UTC: the local date decides.
    due = at(26, 17, month=2)
    assert classify_timeliness(finished_at=at(26, 6, 30, month=2), due_at=due, tz=VN) == "on_time"


# -------------------------------------------------------------------------------- appointment
def test_three_working_days_from_a_friday_skip_the_weekend():  # E1
    effective, due = _due(at(16, 10), days="3")
    assert effective == at(16, 10)
    assert due == at(21, 17)


def test_five_working_days_skip_tet_2026():  # E2
    assert _due(at(12, 10, month=2), days="5")[1] == at(26, 17, month=2)


def test_zero_days_is_the_same_day_and_the_cutoff_moves_it():  # E11, D5
    assert _due(at(20, 14, 30), days="0", cutoff=time(15))[1] == at(20, 17)
    effective, due = _due(at(20, 15, 20), days="0", cutoff=time(15))
    assert effective == at(21, 8)
    assert due == at(21, 17)


def test_a_reception_after_hours_counts_from_the_next_opening():  # D5
    effective, due = _due(at(19, 18), days="1")
    assert effective == at(20, 8)
    assert due == at(21, 17)


def test_fractional_days_are_counted_in_working_hours():
    effective, due = _due(at(19, 9), days="0.5")
    assert due == at(19, 14)  # 4 working hours, lunch skipped


def test_hour_mode_counts_working_hours_from_the_effective_reception():
    assert _due(at(19, 11), hours="3", mode="hour")[1] == at(19, 15)
    assert _due(at(19, 11), days="1", mode="hour")[1] == at(20, 11)


def test_the_green_lane_target_is_forty_percent_in_working_hours():  # D6
    effective, due = _due(at(19, 9), days="3")
    target = green_lane_due(CAL, effective_received_at=effective, hours=Decimal("9.6"), due_at=due)
    assert target == at(20, 10, 36)


def test_a_same_day_procedure_keeps_its_due_as_green_lane_target():
    effective, due = _due(at(19, 9), days="0")
    assert green_lane_due(CAL, effective_received_at=effective, hours=Decimal(0), due_at=due) == due


# -------------------------------------------------------------------------------------- steps
def test_trailing_zero_hour_steps_are_the_return_and_do_not_count():
    d = [Decimal(x) for x in ("2", "12", "2", "0")]
    assert counted_steps(d) == 3
    assert counted_steps([Decimal(2), Decimal(0), Decimal(3)]) == 3
    assert counted_steps([Decimal(0), Decimal(0)]) == 1
    assert counted_steps([]) == 0


# ------------------------------------------------------------------------------------ masking
@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn An", "Ng*** V** A*"),
        ("Trần Thị Bích Ngọc", "T*** T** B*** N***"),
        ("Lê  Y", "L* Y*"),
        ("Công ty TNHH Ánh Dương", "C*** t* T*** Á** Dư***"),
    ],
)
def test_the_public_sees_a_masked_name(name, masked):
    assert mask_name(name) == masked


def test_a_decomposed_name_is_masked_like_the_composed_one():
    import unicodedata

    assert mask_name(unicodedata.normalize("NFD", "Nguyễn Văn An")) == "Ng*** V** A*"


@given(st.text(min_size=1, max_size=60))
def test_masking_never_shows_more_than_two_letters_of_a_word(name):
    for word in mask_name(name).split():
        assert len(word.rstrip("*")) <= 2 or "*" not in word[:2]


# ------------------------------------------------------------------------------------ secrets
def test_the_secret_is_derived_from_the_nonce_and_checked_through_its_hash():
    secret = derive_secret(b"key", "nonce-1")
    assert len(secret) == 12 and set(secret) <= set(SECRET_ALPHABET)
    assert derive_secret(b"key", "nonce-1") == secret
    assert derive_secret(b"key", "nonce-2") != secret
    printed = format_secret(secret)
    assert printed.count("-") == 2
    typed = printed.lower().replace("-", " ")
    assert normalize_secret(typed) == secret
    assert hash_secret("TP.01-260119-0001", typed) == hash_secret("TP.01-260119-0001", secret)
    assert hash_secret("TP.01-260119-0002", secret) != hash_secret("TP.01-260119-0001", secret)
