"""Fifty payments at once at one unit on PostgreSQL: the receipts are numbered 1…N without gap
or duplicate, also when some of the transactions roll back."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from motcua.payments.models import Receipt, ReceiptSeries
from motcua.payments.rules import consecutive
from motcua.payments.services import fix_amount_due, pay_at_counter
from tests.dossiers.helpers import at, receive
from tests.dossiers.test_concurrency import _race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT ... FOR UPDATE) are raced on PostgreSQL; SQLite serialises "
        "every writer, so there is no race to show",
    ),
]


class ForcedRollback(Exception):
    pass


def _dossiers(office, procedure, n):
    out = []
    for _ in range(n):
        d = receive(office, procedure, now=at(19, 9)).dossier
        fix_amount_due(dossier_id=d.pk, actor=None)
        out.append(d)
    return out


def _pay(office, dossier, *, fail: bool):
    with transaction.atomic():
        paid = pay_at_counter(
            dossier=dossier, method="cash", amount=65_000, actor=office.receptionist
        )
        if fail:
            raise ForcedRollback(paid.receipt.number)
    return paid.receipt.number


def test_fifty_concurrent_payments_get_fifty_consecutive_receipt_numbers(office, procedure):
    dossiers = _dossiers(office, procedure, 50)

    results = _race(50, lambda i: _pay(office, dossiers[i], fail=False))

    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = list(Receipt.objects.values_list("number", flat=True))
    assert len(numbers) == 50 and consecutive(numbers)
    assert sorted(results) == list(range(1, 51))
    assert ReceiptSeries.objects.get().last_number == 50


def test_ten_rolled_back_of_fifty_consume_no_number(office, procedure):
    dossiers = _dossiers(office, procedure, 50)

    results = _race(50, lambda i: _pay(office, dossiers[i], fail=i % 5 == 0))

    failed = [r for r in results if isinstance(r, ForcedRollback)]
    assert len(failed) == 10
    assert not [
        r for r in results if isinstance(r, Exception) and not isinstance(r, ForcedRollback)
    ]
    numbers = list(Receipt.objects.values_list("number", flat=True))
    assert len(numbers) == 40 and consecutive(numbers)
    assert ReceiptSeries.objects.get().last_number == 40
    # the ten pay again: 41…50, still no gap
    for i in range(0, 50, 5):
        _pay(office, dossiers[i], fail=False)
    assert consecutive(list(Receipt.objects.values_list("number", flat=True)))
    assert Receipt.objects.count() == 50
