"""Periodic work across several workers: once per period, and safe if it does run twice."""

from __future__ import annotations

import random
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection, transaction

from motcua.core.models import Lock, PeriodClaim
from motcua.core.periodic import claim_period, exclusive, once_per_period, period_start
from motcua.reports.facts import refresh_facts
from motcua.reports.models import MonthlyFact
from tests.reports.helpers import at
from tests.reports.test_selectors import _random_dossiers

NOW = at(2026, 5, 15, 10)


def _in_threads(n, fn):
    """Run ``fn`` in ``n`` threads released at the same moment; their results or errors."""
    barrier = threading.Barrier(n)
    out: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            out[i] = fn()
        except Exception as exc:
            out[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return out


@pytest.mark.django_db
def test_a_period_is_claimed_once_and_the_next_period_again():
    first = claim_period("t.sweep", "minute", now=NOW)
    assert first is not None
    assert claim_period("t.sweep", "minute", now=NOW + timedelta(seconds=59)) is None
    assert claim_period("t.sweep", "minute", now=NOW + timedelta(seconds=60)) is not None
    assert claim_period("t.other", "minute", now=NOW) is not None
    assert PeriodClaim.objects.filter(task="t.sweep").count() == 2


def test_a_day_is_the_local_day():
    # 23:30 UTC is 06:30 the next day in Hà Nội
    late = datetime(2026, 5, 14, 23, 30, tzinfo=UTC)
    assert period_start("day", late).date() == date(2026, 5, 15)
    assert period_start("day", late).utcoffset() == timedelta(hours=7)


@pytest.mark.django_db
def test_a_decorated_task_runs_once_a_period_and_gives_back_a_failed_period():
    runs: list[int] = []

    @once_per_period("t.count", "hour")
    def task(fail=False):
        runs.append(1)
        if fail:
            raise RuntimeError("boom")
        return "done"

    with pytest.raises(RuntimeError):
        task(fail=True)
    assert not PeriodClaim.objects.filter(task="t.count").exists()  # given back
    assert task() == "done"
    assert task() is None  # the period is taken
    assert len(runs) == 2
    claim = PeriodClaim.objects.get(task="t.count")
    assert claim.finished_at is not None


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError):
        once_per_period("t", "fortnight")


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_run_the_task_once():
    ran: list[str] = []

    @once_per_period("t.race", "minute")
    def task():
        ran.append(threading.current_thread().name)
        return True

    results = _in_threads(4, task)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(ran) == 1
    assert PeriodClaim.objects.filter(task="t.race").count() == 1


@pytest.mark.django_db(transaction=True)
def test_exclusive_needs_a_transaction():
    with pytest.raises(RuntimeError):
        exclusive("t")
    with transaction.atomic():
        exclusive("t")
    assert Lock.objects.filter(name="t").exists()


def _figures():
    return sorted(
        (m, u, p or 0, *rest)
        for m, u, p, *rest in MonthlyFact.objects.values_list(
            "month", "unit_id", "procedure_id", "received", "resolved", "in_progress"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_refresh_facts_run_twice_at_once_leaves_the_same_figures(office):
    _random_dossiers(office, random.Random(21), n=60)
    months = [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    refresh_facts(months=months, now=NOW)
    once = _figures()
    assert once
    for _round in range(3):
        results = _in_threads(2, lambda: refresh_facts(months=months, now=NOW))
        assert not [r for r in results if isinstance(r, Exception)], results
        assert _figures() == once
