"""Amounts in Vietnamese words, reductions and gateway signatures: pure rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from motcua.payments import rules


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
        (21_000, "Hai mươi mốt nghìn đồng"),
        (105_000, "Một trăm linh năm nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (2_000_015, "Hai triệu không trăm mười lăm đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_amounts_read_in_vietnamese_as_receipts_write_them(amount, words):
    assert rules.amount_in_words(amount) == words


def test_num2words_alone_drops_the_hundreds_that_receipts_write():
    """Why the rule assembles the groups itself: num2words reads 1.005.000 without "không
    trăm" and with the spoken "lẻ" (checked with the installed version)."""
    assert num2words(1_005_000, lang="vi") == "một triệu năm nghìn"
    assert rules.amount_in_words(1_005_000) != "Một triệu năm nghìn đồng"


@given(st.integers(min_value=1, max_value=rules.MAX_AMOUNT))
def test_every_amount_is_capitalised_words_ending_in_dong(amount):
    text = rules.amount_in_words(amount)
    assert text.endswith(" đồng") and text[0].isupper()
    assert not any(ch.isdigit() for ch in text)


@pytest.mark.parametrize("amount", [-1, rules.MAX_AMOUNT + 1])
def test_amounts_out_of_range_are_refused(amount):
    with pytest.raises(ValueError):
        rules.amount_in_words(amount)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=100))
def test_a_reduction_never_makes_a_fraction_or_a_negative_amount(gross, percent):
    discount, due = rules.amount_due(gross, percent)
    assert discount + due == gross and 0 <= due <= gross


def test_a_signature_is_checked_against_the_raw_body():
    body = b'{"order_id":"TT1","amount":15000}'
    good = rules.sign(b"secret", body)
    assert rules.signature_ok(b"secret", body, good)
    assert not rules.signature_ok(b"secret", body.replace(b"15000", b"1500"), good)
    assert not rules.signature_ok(b"other", body, good)
    assert not rules.signature_ok(b"secret", body, "")
