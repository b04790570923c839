"""Concurrent writers on PostgreSQL: the row lock of a service and the daily code counter."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.services import complete_step
from tests.dossiers.helpers import at, receive

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT ... FOR UPDATE) are tested on PostgreSQL; SQLite serialises "
        "every writer with its IMMEDIATE transactions, so there is no race to show",
    ),
]


def _race(n: int, work) -> list[object]:
    """Run ``work(i)`` in ``n`` threads released together; each result or exception, in order."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # the outcome under test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_twenty_officers_completing_the_same_step_at_once_succeed_exactly_once(office, procedure):
    dossier = receive(office, procedure, now=at(19, 9)).dossier
    step_id = dossier.steps.get(order=1).pk

    results = _race(
        20,
        lambda i: complete_step(step_id=step_id, actor=office.receptionist, now=at(19, 10)),
    )

    done = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(done) == 1, results
    assert len(refused) == 19 and {e.code for e in refused} == {"step_already_finished"}
    assert Event.objects.filter(dossier=dossier, kind="step_completed").count() == 1
    assert dossier.steps.get(order=2).status == "active"


def test_fifty_receptions_at_one_unit_on_one_day_get_consecutive_codes(office, procedure):
    results = _race(50, lambda i: receive(office, procedure, now=at(19, 9)).dossier.code)

    assert not [r for r in results if isinstance(r, Exception)], results
    codes = sorted(str(r) for r in results)
    assert len(set(codes)) == 50
    assert [int(c.rsplit("-", 1)[1]) for c in codes] == list(range(1, 51))
    assert all(c.startswith("TP.01-260119-") for c in codes)
    assert Dossier.objects.count() == 50
