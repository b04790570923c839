"""Rates with D12 rounding and the ranking score (motcua/reports/rules.py)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.reports.rules import Ranked, rank, rate, round_rate, score, split_by_volume


def test_seed_001_resolution_rate_is_98_08_half_up_and_98_07_truncated():
    assert rate(54_513, 55_582) == Decimal("98.08")
    assert rate(54_513, 55_582, "truncate") == Decimal("98.07")


def test_seed_000_reads_98_64_half_up_and_98_63_truncated_as_published():
    assert rate(92_526, 93_804) == Decimal("98.64")
    assert rate(92_526, 93_804, "truncate") == Decimal("98.63")


def test_all_on_time_is_100_percent_and_nothing_is_no_rate():
    assert rate(54_513, 54_513) == Decimal("100.00")
    assert rate(0, 0) is None


def test_a_half_rounds_up_only_in_half_up_mode():
    assert round_rate(Decimal("12.345")) == Decimal("12.35")
    assert round_rate(Decimal("12.345"), "truncate") == Decimal("12.34")


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        rate(-1, 3)


@given(st.integers(0, 10**7), st.integers(1, 10**7))
def test_a_rate_lies_between_truncated_and_truncated_plus_a_cent(n, d):
    n = min(n, d)
    half_up, truncated = rate(n, d), rate(n, d, "truncate")
    assert Decimal(0) <= truncated <= half_up <= truncated + Decimal("0.01") <= Decimal("100.01")
    assert truncated <= Decimal(n) * 100 / Decimal(d) < truncated + Decimal("0.01")


def test_the_score_reweights_the_components_that_exist():
    rates = {"on_time_rate": Decimal(100), "online_rate": Decimal(50)}
    # (40 × 100 + 20 × 50) / 60
    assert score(rates) == Decimal("83.33")
    assert score({}) is None
    full = {
        "on_time_rate": Decimal(100),
        "online_rate": Decimal(100),
        "satisfaction_rate": Decimal(100),
        "feedback_on_time_rate": Decimal(0),
    }
    assert score(full) == Decimal("80.00")


def test_equal_scores_share_a_rank_and_are_flagged():
    ranked = rank([("a", Decimal(90)), ("b", Decimal(95)), ("c", Decimal(90)), ("d", Decimal(80))])
    assert ranked == [
        Ranked("b", 1, False),
        Ranked("a", 2, True),
        Ranked("c", 2, True),
        Ranked("d", 4, False),
    ]


def test_units_under_the_minimum_volume_are_set_apart():
    assert split_by_volume([("a", 3), ("b", 30), ("c", 100)], 30) == (["b", "c"], ["a"])
