"""Concurrent kiosks and counters on PostgreSQL: 30 tickets taken at once get 30 distinct
consecutive numbers; two officers pressing "next" at the same instant never get the same
ticket."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from motcua.queueing import services
from motcua.queueing.models import FloorEvent, Ticket, TicketStatus
from tests.queueing.conftest import at

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and SKIP LOCKED are tested on PostgreSQL; SQLite serialises every "
        "writer with its IMMEDIATE transactions, so there is no race to show",
    ),
]


def race(n: int, work) -> list[object]:
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


def test_thirty_tickets_taken_at_once_get_thirty_distinct_consecutive_numbers(floor):
    results = race(
        30,
        lambda i: (
            services.issue_ticket(
                unit_code=floor.unit.code, group_code="ho-tich", now=at(10, 9, 0, second=i % 60)
            ).ticket.number
        ),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == [f"A{n:03d}" for n in range(1, 31)]
    assert FloorEvent.objects.filter(kind="issued").count() == 30


def test_two_officers_pressing_next_at_the_same_instant_never_get_the_same_ticket(floor):
    for i in range(12):
        services.issue_ticket(unit_code=floor.unit.code, group_code="ho-tich", now=at(10, 9, i))
    desks = [(floor.counter1.pk, floor.officer), (floor.counter2.pk, floor.officer2)]
    got: list[int] = []
    for round_ in range(6):
        results = race(
            2,
            lambda i, minute=round_: services.call_next(
                counter_id=desks[i][0], actor=desks[i][1], now=at(10, 10, minute)
            ),
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        assert all(r is not None for r in results), results
        first, second = results
        assert first.pk != second.pk
        got += [first.pk, second.pk]
    assert len(set(got)) == 12
    assert not Ticket.objects.filter(status=TicketStatus.WAITING).exists()
    for ticket in Ticket.objects.all():
        assert ticket.events.filter(kind="called").count() == 1
